package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
)

// editGlobals returns globals whose editor is the shell script script,
// run with $WORK set to a temporary directory (returned).
func editGlobals(t *testing.T, script string) (*globals, string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("case edit runs the editor through /bin/sh")
	}
	work := t.TempDir()
	ed := filepath.Join(work, "editor")
	if err := os.WriteFile(ed, []byte("#!/bin/sh\nWORK="+work+"\nn=$(cat \"$WORK/n\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$WORK/n\"\ncp \"$1\" \"$WORK/seen$n\"\necho \"$1\" > \"$WORK/path\"\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	env := &env{stdin: os.Stdin, stdout: &bytes.Buffer{}, stderr: &errOut, getenv: func(k string) string {
		if k == "EDITOR" {
			return ed
		}
		return ""
	}}
	return &globals{env: env}, work
}

func readWork(t *testing.T, work, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(work, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const loopID = "cabcdefghijklmnop"

func conflictText() []byte {
	return []byte(vault.CaseBaseLine(vault.CaseBase{Case: loopID, Rev: 1}, "") + "\nperson:\n  name: Ivan\n")
}

func staleAt2() error {
	return &vault.StaleError{Case: loopID, Base: 1, Current: 2, Undone: []vault.Change{
		{Path: "notes", Kind: vault.ChangeRemoved, Old: "Beta: lawyer visit"}}}
}

// A case changed while its file was open: the editor opens again with the
// conflict at the top and the base line moved on; saving the text as it is
// stores it.
func TestEditLoopConflictSavedAgain(t *testing.T) {
	g, work := editGlobals(t, `case $n in
1) sed -i 's/name: Ivan/name: Ivan Petrov/' "$1" ;;
2) touch "$1" ;;
esac
`)
	var got [][]byte
	out, problem, err := g.editLoop(conflictText(), func(b []byte) error {
		got = append(got, append([]byte(nil), b...))
		if len(got) == 1 {
			return staleAt2()
		}
		return nil
	})
	if err != nil || problem != nil || out != editStored {
		t.Fatalf("outcome %v, problem %v, err %v", out, problem, err)
	}
	if len(got) != 2 || !bytes.Contains(got[1], []byte("name: Ivan Petrov")) || !strings.Contains(string(got[1]), "revision 2") || strings.Contains(string(got[1]), "NOT STORED") {
		t.Fatalf("stored %q", got)
	}
	seen := readWork(t, work, "seen2")
	for _, want := range []string{problemHead, "the case is at revision 2; storing it would undo 1 change", `#     - notes: "Beta: lawyer visit" (now), absent in this file`, "# casevault: case " + loopID + " revision 2", "name: Ivan Petrov"} {
		if !strings.Contains(seen, want) {
			t.Errorf("second round lacks %q:\n%s", want, seen)
		}
	}
	if _, err := os.Lstat(strings.TrimSpace(readWork(t, work, "path"))); !os.IsNotExist(err) {
		t.Fatalf("the plaintext copy is still there: %v", err)
	}
}

// Closed without saving after the conflict: cancelled with the conflict,
// and the user's text is not stored.
func TestEditLoopConflictCancelled(t *testing.T) {
	g, _ := editGlobals(t, `if [ $n = 1 ]; then sed -i 's/name: Ivan/name: Ivan Petrov/' "$1"; fi
`)
	calls := 0
	out, problem, err := g.editLoop(conflictText(), func(b []byte) error { calls++; return staleAt2() })
	var se *vault.StaleError
	if err != nil || out != editCancelled || !errors.As(problem, &se) || calls != 1 {
		t.Fatalf("outcome %v, problem %v, err %v, stored %d times", out, problem, err, calls)
	}
}

// The line a syntax message names is the line of the file as the editor
// shows it, message lines included.
func TestProblemBlockSyntaxLine(t *testing.T) {
	body := []byte("# casevault: case " + loopID + " revision 1\nschema: case.v1\nperson:\n  name: Ivan\n  region: [Tomsk\nstatus: pretrial\n")
	_, perr := schema.Parse(body)
	var se *schema.SyntaxError
	if !errors.As(perr, &se) {
		t.Fatalf("not a syntax error: %v", perr)
	}
	block := problemBlock(perr)
	file := strings.Split(string(block)+string(body), "\n")
	bodyLines := strings.Split(string(body), "\n")
	want := "at line " + strconv.Itoa(se.Line+strings.Count(string(block), "\n"))
	if !strings.Contains(string(block), want) {
		t.Fatalf("block %q does not name %q", block, want)
	}
	if file[se.Line+strings.Count(string(block), "\n")-1] != bodyLines[se.Line-1] {
		t.Fatal("the named line is not the parser's line")
	}
	if got := stripProblemBlock(append(block, body...)); !bytes.Equal(got, body) {
		t.Fatalf("strip left %q", got)
	}
	// a block whose end line the user deleted stays (as comments)
	cut := bytes.Replace(append(block, body...), []byte(problemEnd+"\n"), nil, 1)
	if got := stripProblemBlock(cut); !bytes.Equal(got, cut) {
		t.Fatal("a mangled block was cut into the text")
	}
}
