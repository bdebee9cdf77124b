package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestPrivateOutputsRefuseTerminal: the charts of stats (--format svg or
// html) and the agenda's iCalendar file hold private data, so they are
// never written to a terminal; with -o they go to a 0600 file, and the
// same charts go to a pipe.
func TestPrivateOutputsRefuseTerminal(t *testing.T) {
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass")
	if err := os.WriteFile(pass, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"CASEVAULT_DIR": filepath.Join(dir, "v"), "CASEVAULT_PASSPHRASE_FILE": pass, "NO_COLOR": "1"}
	cv := func(terminal bool, stdin string, args ...string) (int, string, string) {
		t.Helper()
		e, out, errb := coreEnv([]byte(stdin), vars)
		e.isTerminal = func(s any) bool { return terminal && s == e.stdout }
		code := run(args, e)
		return code, out.String(), errb.String()
	}
	if code, _, errs := cv(false, "", "init", "--org", "Test"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := cv(false, "person:\n  name: Ivan Petrov\nstatus: pretrial\nhearings:\n  - date: 2026-12-04\n    court: Omsk Regional Court\n", "case", "add", "-f", "-"); code != 0 {
		t.Fatal(errs)
	}
	for _, format := range []string{"svg", "html"} {
		code, out, errs := cv(true, "", "stats", "--format", format)
		if code != exitUsage || out != "" || !strings.Contains(errs, "not writing the charts (they hold the vault's private counts) to the terminal: give -o FILE") {
			t.Errorf("stats --format %s on a terminal: exit %d, stdout %q, stderr %q", format, code, out, errs)
		}
		code, out, _ = cv(false, "", "stats", "--format", format)
		if code != 0 || !strings.Contains(out, "Prisoners by status") {
			t.Errorf("stats --format %s into a pipe: exit %d, %.80q", format, code, out)
		}
		file := filepath.Join(dir, "counts."+format)
		code, out, errs = cv(true, "", "stats", "--format", format, "-o", file)
		if code != 0 || out != "" {
			t.Fatalf("stats --format %s -o: exit %d: %s", format, code, errs)
		}
		fi, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v, want 0600", file, fi.Mode().Perm())
		}
	}
	// In Russian and Ukrainian the refusal is said wholly in the language.
	for lang, want := range map[string]string{
		"ru": "не вывожу на терминал: диаграммы (в них закрытые числа хранилища); укажите -o FILE",
		"uk": "не виводжу на термінал: діаграми (у них закриті числа сховища); вкажіть -o FILE",
	} {
		code, _, errs := cv(true, "", "--lang", lang, "stats", "--format", "svg")
		if code != exitUsage || !strings.Contains(errs, want) || strings.Contains(errs, "charts") {
			t.Errorf("%s: stats --format svg on a terminal: exit %d, stderr %q", lang, code, errs)
		}
	}
	code, out, errs := cv(true, "", "agenda", "--from", "2026-12-01", "--ics")
	if code != exitUsage || out != "" || !strings.Contains(errs, "give -o FILE") {
		t.Errorf("agenda --ics on a terminal: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	ics := filepath.Join(dir, "a.ics")
	code, out, errs = cv(true, "", "agenda", "--from", "2026-12-01", "--ics", "-o", ics)
	if code != 0 || out != "" || !strings.Contains(errs, "holds the names and courts of 1 person") {
		t.Fatalf("agenda --ics -o: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if fi, err := os.Stat(ics); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v %v", ics, fi, err)
	}
}
