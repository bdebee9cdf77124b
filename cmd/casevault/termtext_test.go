package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlain(t *testing.T) {
	for in, want := range map[string]string{
		"Ivan Petrov":              "Ivan Petrov",
		"Иванов Ёж":                "Иванов Ёж",
		"a\x1b[2Jb":                `a\x1b[2Jb`,
		"line\nnext\ttab\r":        `line\x0anext\x09tab\x0d`,
		"c1\u009b31m":              `c1\u009b31m`,
		"bad\x9butf8":              `bad\x9butf8`,
		"rlo\u202eevil":            `rlo\u202eevil`,
		"isolate\u2066x\u2069":     `isolate\u2066x\u2069`,
		"replacement \ufffd stays": "replacement \ufffd stays",
	} {
		if got := plain(in); got != want {
			t.Errorf("plain(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTablesEscapeControlCharacters runs the real commands on a case, an
// evidence item and an author whose text carries terminal escape
// sequences (as a partner's bundle may): no table or text output passes
// them to the terminal raw.
func TestTablesEscapeControlCharacters(t *testing.T) {
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass")
	if err := os.WriteFile(pass, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const esc = "\x1b[1A\x1b[2K"
	vars := map[string]string{"CASEVAULT_DIR": filepath.Join(dir, "v"), "CASEVAULT_PASSPHRASE_FILE": pass,
		"CASEVAULT_AUTHOR": "mallory" + esc, "NO_COLOR": "1"}
	cv := func(stdin string, args ...string) string {
		t.Helper()
		e, out, errb := coreEnv([]byte(stdin), vars)
		e.isTerminal = func(any) bool { return true } // what reaches a person's terminal
		if code := run(args, e); code != 0 {
			t.Fatalf("casevault %s: exit %d: %s", strings.Join(args, " "), code, errb)
		}
		return out.String()
	}
	cv("", "init", "--org", "Test")
	id := strings.TrimSpace(cv(`{"schema":"case.v1","person":{"name":"Ivan`+esc+`Petrov","name_native":"\u202eИван"},"status":"pretrial"}`,
		"case", "add", "-f", "-"))
	ev := strings.Fields(cv("evidence bytes", "evidence", "add", id, "-", "--name", "report"+esc+".pdf", "--source", "src"+esc))[0]
	for _, args := range [][]string{
		{"case", "list"}, {"case", "search", "ivan"}, {"case", "history", id}, {"case", "show", id},
		{"evidence", "list", id}, {"evidence", "show", ev}, {"evidence", "verify", ev}, {"audit", "log"},
	} {
		out := cv("", args...)
		if strings.ContainsAny(out, "\x1b\u202e") {
			t.Errorf("casevault %s passes control characters to the terminal:\n%q", strings.Join(args, " "), out)
		}
	}
}

// TestCheckEscapesFileNames plants a file whose name carries an escape
// sequence in the evidence directory (anyone with the disk can): check
// reports it without passing the sequence to the terminal.
func TestCheckEscapesFileNames(t *testing.T) {
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass")
	if err := os.WriteFile(pass, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"CASEVAULT_DIR": filepath.Join(dir, "v"), "CASEVAULT_PASSPHRASE_FILE": pass, "NO_COLOR": "1"}
	e, _, errb := coreEnv(nil, vars)
	if code := run([]string{"init", "--org", "Test"}, e); code != 0 {
		t.Fatalf("init: exit %d: %s", code, errb)
	}
	blobs := filepath.Join(dir, "v", "blobs")
	os.MkdirAll(blobs, 0o700)
	if err := os.WriteFile(filepath.Join(blobs, "x\x1b[2Jy"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	e, out, errb := coreEnv(nil, vars)
	run([]string{"check"}, e)
	if !strings.Contains(out.String(), `x\x1b[2Jy`) || strings.Contains(out.String(), "\x1b") {
		t.Errorf("check output does not show the name escaped:\n%q\n%s", out.String(), errb)
	}
}

// TestErrorsEscapeControlCharacters: an error naming a file (here one
// whose name carries an escape sequence) reaches the terminal escaped.
func TestErrorsEscapeControlCharacters(t *testing.T) {
	e, _, errb := coreEnv(nil, map[string]string{"CASEVAULT_DIR": t.TempDir()})
	run([]string{"case", "add", "-f", filepath.Join(t.TempDir(), "x\x1b]0;owned\x07.yaml")}, e)
	if strings.Contains(errb.String(), "\x1b") || !strings.Contains(errb.String(), `x\x1b]0;owned\x07.yaml`) {
		t.Errorf("error output not escaped: %q", errb.String())
	}
}

// TestMessagesEscapeControlCharacters: informational messages and warnings
// escape what they quote, like errors.
func TestMessagesEscapeControlCharacters(t *testing.T) {
	e, _, errb := coreEnv(nil, nil)
	g := &globals{env: e}
	g.infof("wrote %s", "x\x1b[2J")
	g.warnf("file %s", "y\x9b")
	if strings.ContainsAny(errb.String(), "\x1b\x9b") || !strings.Contains(errb.String(), `x\x1b[2J`) {
		t.Errorf("messages not escaped: %q", errb.String())
	}
}

// TestOrgNamesEscapeBidi: organisation names may hold neither control
// characters nor bidirectional overrides, but a partner's card may carry
// direction marks (RLM) that change how a name shows; lists show them
// escaped.
func TestOrgNamesEscapeBidi(t *testing.T) {
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass")
	if err := os.WriteFile(pass, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cv := func(vaultDir string, args ...string) string {
		t.Helper()
		e, out, errb := coreEnv(nil, map[string]string{"CASEVAULT_DIR": vaultDir, "CASEVAULT_PASSPHRASE_FILE": pass, "NO_COLOR": "1"})
		if code := run(args, e); code != 0 {
			t.Fatalf("casevault %s: exit %d: %s", strings.Join(args, " "), code, errb)
		}
		return out.String()
	}
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	cv(a, "init", "--org", "Alpha")
	cv(b, "init", "--org", "Beta \u200fRights")
	card := filepath.Join(dir, "card.json")
	cv(b, "org", "card", "-o", card)
	id := strings.TrimSpace(cv(a, "case", "add", "-f", writeCaseFile(t, dir)))
	for _, args := range [][]string{{"org", "add", card}, {"org", "list"}, {"share", id, "--with", "Beta \u200fRights"}, {"share", "list"}} {
		if out := cv(a, args...); strings.Contains(out, "\u200f") {
			t.Errorf("casevault %s shows a raw direction mark: %q", strings.Join(args, " "), out)
		}
	}
}

func writeCaseFile(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "case.yaml")
	if err := os.WriteFile(p, []byte("schema: case.v1\nperson:\n  name: Ivan Petrov\nstatus: pretrial\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
