package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// On a terminal, case rm asks, and only "yes" removes; without a terminal
// it needs --yes (the script tests check that side too).
func TestCaseRmConfirmOnTerminal(t *testing.T) {
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass")
	os.WriteFile(pass, []byte("correct horse battery staple\n"), 0o600)
	caseFile := filepath.Join(dir, "case.yaml")
	os.WriteFile(caseFile, []byte("schema: case.v1\nperson: {name: Asked First}\n"), 0o600)
	vars := map[string]string{"CASEVAULT_DIR": filepath.Join(dir, "vault"), "CASEVAULT_PASSPHRASE_FILE": pass, "NO_COLOR": "1"}
	runIn := func(stdin string, terminal bool, args ...string) (int, string, string) {
		e, out, errb := coreEnv([]byte(stdin), vars)
		e.isTerminal = func(s any) bool { return terminal && s == e.stdin }
		code := run(args, e)
		return code, out.String(), errb.String()
	}
	if code, _, errs := runIn("", false, "init", "--org", "Confirm Group"); code != 0 {
		t.Fatalf("init: %d %s", code, errs)
	}
	code, out, errs := runIn("", false, "case", "add", "-f", caseFile)
	if code != 0 {
		t.Fatalf("add: %d %s", code, errs)
	}
	id := strings.TrimSpace(out)

	// no terminal, no --yes: refused, nothing removed
	if code, _, errs := runIn("yes\n", false, "case", "rm", id); code != exitUsage || !strings.Contains(errs, "--yes") {
		t.Fatalf("rm without terminal: %d %s", code, errs)
	}
	// a terminal, answered "no" (or nothing): not removed
	for _, answer := range []string{"no\n", "\n", ""} {
		if code, _, errs := runIn(answer, true, "case", "rm", id); code != exitError || !strings.Contains(errs, "Asked First") || !strings.Contains(errs, "not confirmed") {
			t.Fatalf("rm answered %q: %d %s", answer, code, errs)
		}
	}
	if code, out, _ := runIn("", false, "case", "list"); code != 0 || !strings.Contains(out, "Asked First") {
		t.Fatalf("case gone after a refused confirmation: %s", out)
	}
	// "yes" removes
	if code, _, errs := runIn("yes\n", true, "case", "rm", id); code != 0 {
		t.Fatalf("rm answered yes: %d %s", code, errs)
	}
	if _, out, _ := runIn("", false, "case", "list"); strings.Contains(out, "Asked First") {
		t.Fatal("case still listed after rm")
	}
}
