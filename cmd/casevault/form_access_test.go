//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The accessible mode of 'case new' is driven through a pipe, as a
// screen reader's user or a script would answer it: the test reads each
// question from stderr and answers the ones it knows (by the question's
// words, never by its position, so that a field added to the schema later
// only gets an empty answer).

// runAccessible runs 'case new --accessible' with answers from a, and
// returns the transcript (stderr), stdout and the exit code.
func runAccessible(t *testing.T, cv *crashVault, answer func(block string) string, args ...string) (string, string, int) {
	t.Helper()
	if len(args) == 0 {
		args = []string{"case", "new", "--accessible"}
	}
	cmd := exec.Command(cv.bin, args...)
	cmd.Env = cv.env
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var transcript, block strings.Builder
	buf := make([]byte, 1<<16)
	answered := 0
	for {
		n, err := errPipe.Read(buf)
		transcript.Write(buf[:n])
		block.Write(buf[:n])
		if n > 0 && buf[n-1] != '\n' {
			// Every line casevault prints ends with a newline; a question
			// does not: it waits for the answer.
			ans := answer(block.String())
			transcript.WriteString(ans + "\n")
			block.Reset()
			if _, err := io.WriteString(in, ans+"\n"); err != nil {
				t.Fatalf("answer: %v\n%s", err, transcript.String())
			}
			if answered++; answered > 500 {
				t.Fatalf("more than 500 questions:\n%s", transcript.String())
			}
		}
		if err != nil {
			break
		}
	}
	in.Close()
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return transcript.String(), stdout.String(), code
}

// testCaseNewAccessible fills a case through a pipe in accessible mode
// and checks what was stored, that the questions carry each field's level
// and that nothing on the screen reader's side is a terminal escape.
func testCaseNewAccessible(t *testing.T, bin string) {
	cv := newCrashVault(t, bin)
	letter := filepath.Join(t.TempDir(), "letter.txt")
	os.WriteFile(letter, []byte("a letter"), 0o600)
	a := &accessAnswers{
		inputs: map[string]string{
			"Name (Latin script)":         "Olga Smirnova",
			"Name in the original script": "Ольга Смирнова",
			"Date of birth":               "1985-13-01", // refused, asked again
			"Citizenship":                 "RU",
			"Part of the article":         "",
			"Date charged":                "2023-03",
			"Facility":                    "IK-2, Mordovia",
			"From":                        "2023-03-10",
			"Court [public]":              "Basmanny District Court",
			"Evidence files to attach":    letter,
		},
		choices: map[string]string{
			"Gender":                 "female",
			"Article":                "RU-CC 207.3  Public dissemination of knowingly false information about th…",
			"Kind [public]":          "colony",
			"Status":                 "sentenced",
			"Consent to publication": "full",
			"What now?":              "Store the case and 1 evidence file(s)",
		},
		multi: map[string][]string{"Conditions": {"denied-medical-care"}},
		confirms: map[string]string{
			"Add a charge?":              "y",
			"Add a period of detention?": "y",
		},
		ticked: map[string]int{},
	}
	// The date of birth is first given wrong, then right when it is asked
	// again.
	retried, askedDate := false, 0
	transcript, stdout, code := runAccessible(t, cv, func(block string) string {
		lines := strings.Split(block, "\n")
		if strings.HasPrefix(lines[len(lines)-1], "Date of birth") {
			if askedDate++; askedDate > 1 {
				retried = true
				return "1985-12-01"
			}
		}
		return a.answer(block)
	})
	if code != 0 {
		t.Fatalf("exit code %d:\n%s", code, transcript)
	}
	if !retried || !strings.Contains(transcript, "must match YYYY, YYYY-MM or YYYY-MM-DD (value not shown: confidential field)") {
		t.Errorf("the wrong date was not refused with the validator's message:\n%s", transcript)
	}
	for _, want := range []string{"Name (Latin script) [public] (required)", "Date of birth [confidential]", "Aliases [restricted]", "Consent to publication [restricted]"} {
		if !strings.Contains(transcript, want) {
			t.Errorf("no question %q:\n%s", want, transcript)
		}
	}
	if strings.Contains(transcript, "\x1b") {
		t.Errorf("the accessible transcript holds terminal escapes:\n%q", transcript)
	}
	id := strings.TrimSpace(stdout)
	var shown struct {
		Case map[string]any `json:"case"`
	}
	cv.runJSON(t, &shown, "case", "show", id)
	got, _ := json.Marshal(shown.Case)
	for _, want := range []string{`"name":"Olga Smirnova"`, `"birth_date":"1985-12-01"`, `"gender":"female"`, `"article":"207.3"`, `"code":"RU-CC"`,
		`"date":"2023-03"`, `"kind":"colony"`, `"conditions":["denied-medical-care"]`, `"status":"sentenced"`, `"consent":"full"`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("stored case lacks %s:\n%s", want, got)
		}
	}
	var ev []any
	cv.runJSON(t, &ev, "evidence", "list", id)
	if len(ev) != 1 {
		t.Errorf("%d evidence files, want 1", len(ev))
	}
	saveScreenshot(t, "case-new-accessible.txt", transcript)
}

// TestCaseNewAccessibleEmpty: an empty input (or one that ends halfway)
// stores nothing and says so.
func testCaseNewAccessibleEmpty(t *testing.T, bin string) {
	cv := newCrashVault(t, bin)
	before := cv.auditLog(t)
	for _, input := range []string{"", "Half Way\n\n"} {
		cmd := exec.Command(cv.bin, "case", "new", "--accessible")
		cmd.Env = cv.env
		cmd.Stdin = strings.NewReader(input)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != exitInterrupted {
			t.Errorf("input %q: %v\n%s", input, err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "nothing was stored") {
			t.Errorf("input %q: no message:\n%s", input, stderr.String())
		}
	}
	var list []any
	cv.runJSON(t, &list, "case", "list")
	if len(list) != 0 {
		t.Errorf("%d cases stored", len(list))
	}
	if after := cv.auditLog(t); after != before {
		t.Error("the audit log changed")
	}
}

// testCaseEditForm changes a stored case in the accessible form: a field
// is changed, a charge removed, the rest kept as it was; the result is a
// new revision with exactly those changes.
func testCaseEditForm(t *testing.T, bin string) {
	cv := newCrashVault(t, bin)
	caseFile := filepath.Join(t.TempDir(), "case.yaml")
	os.WriteFile(caseFile, []byte("person:\n  name: Petr Ivanov\n  region: Omsk\ncharges:\n  - article: ст. 275 УК РФ\nstatus: pretrial\nnotes: keep me\n"), 0o600)
	add := exec.Command(cv.bin, "case", "add", "-f", caseFile)
	add.Env = cv.env
	out, err := add.Output()
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSpace(string(out))
	a := &accessAnswers{
		choices: map[string]string{
			"Charge 1 of 1": "Remove it",
			"Status":        "released",
			"What now?":     "Store the case",
		},
		inputs: map[string]string{"Region": "Omsk region"},
	}
	transcript, _, code := runAccessible(t, cv, a.answer, "case", "edit", "--form", "--accessible", id)
	if code != 0 {
		t.Fatalf("exit code %d:\n%s", code, transcript)
	}
	var shown struct {
		Rev  uint32         `json:"rev"`
		Case map[string]any `json:"case"`
	}
	cv.runJSON(t, &shown, "case", "show", id)
	got, _ := json.Marshal(shown.Case)
	want := `{"notes":"keep me","person":{"name":"Petr Ivanov","region":"Omsk region"},"schema":"case.v1","status":"released"}`
	if string(got) != want || shown.Rev != 2 {
		t.Errorf("revision %d:\n%s\nwant\n%s\n%s", shown.Rev, got, want, transcript)
	}
}

// TestCaseFormBinary runs the tests of the case form that drive the real
// binary (built once for all of them): in tmux, and through a pipe in
// accessible mode.
func TestCaseFormBinary(t *testing.T) {
	bin := buildCasevault(t)
	t.Run("terminal", func(t *testing.T) { testCaseNewTerminal(t, bin) })
	t.Run("ctrl-c", func(t *testing.T) { testCaseNewCtrlC(t, bin) })
	t.Run("accessible", func(t *testing.T) { testCaseNewAccessible(t, bin) })
	t.Run("accessible-empty", func(t *testing.T) { testCaseNewAccessibleEmpty(t, bin) })
	t.Run("edit", func(t *testing.T) { testCaseEditForm(t, bin) })
}
