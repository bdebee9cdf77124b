package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStatsCSVEscapesOnTerminal: 'stats --format csv' on a terminal does
// not pass escape sequences or bidi marks from case text through (as the
// table does not), while CSV written to a file or pipe keeps the text
// exact.
func TestStatsCSVEscapesOnTerminal(t *testing.T) {
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass")
	if err := os.WriteFile(pass, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"CASEVAULT_DIR": filepath.Join(dir, "v"), "CASEVAULT_PASSPHRASE_FILE": pass, "NO_COLOR": "1"}
	cv := func(terminal bool, stdin string, args ...string) string {
		t.Helper()
		e, out, errb := coreEnv([]byte(stdin), vars)
		e.isTerminal = func(s any) bool { return terminal && s == e.stdout }
		if code := run(args, e); code != 0 {
			t.Fatalf("casevault %s: exit %d: %s", strings.Join(args, " "), code, errb)
		}
		return out.String()
	}
	const region = "Omsk\x1b[2J\x1b[1A\u202eksmo"
	cv(false, "", "init", "--org", "Test")
	cv(false, `{"schema":"case.v1","person":{"name":"Ivan Petrov","region":"`+strings.ReplaceAll(region, "\x1b", `\u001b`)+`"},"status":"pretrial"}`,
		"case", "add", "-f", "-")
	onTerm := cv(true, "", "stats", "--format", "csv")
	if strings.ContainsAny(onTerm, "\x1b\u202e") {
		t.Errorf("stats --format csv passes control characters to the terminal:\n%q", onTerm)
	}
	if !strings.Contains(onTerm, `Omsk\x1b[2J\x1b[1A\u202eksmo`) {
		t.Errorf("the region is not shown escaped on the terminal:\n%q", onTerm)
	}
	toFile := cv(false, "", "stats", "--format", "csv")
	if !strings.Contains(toFile, "region,"+region+",1\n") {
		t.Errorf("CSV into a file does not keep the region exact:\n%q", toFile)
	}
}
