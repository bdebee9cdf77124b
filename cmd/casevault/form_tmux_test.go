//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The form of 'case new' is tested by driving the real binary in a real
// terminal: tmux, 80×24, keys sent with send-keys and the screen read
// with capture-pane, as a person would type and look. The driver waits
// for the field it means to fill to have the focus (the line marked ┃),
// so that a loaded machine makes the test slower, never wrong; a field it
// does not know (one added to the schema later) is passed with Enter.

// requireTmux returns the tmux binary, or skips the test when tmux is
// missing and CI is unset (CI installs it: .ci/setup).
func requireTmux(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("tmux is not installed (and CI is unset): the terminal tests of the case form need it; apt-get install tmux")
		}
		t.Fatal("tmux is not installed on CI: .ci/setup should have installed it")
	}
	return p
}

// A tmuxTerm is one tmux server of its own (its own socket) with one
// 80×24 session running a command.
type tmuxTerm struct {
	t    *testing.T
	tmux string
	sock string
}

func newTmuxTerm(t *testing.T, env []string, command string) *tmuxTerm {
	t.Helper()
	tt := &tmuxTerm{t: t, tmux: requireTmux(t), sock: filepath.Join(t.TempDir(), "tmux.sock")}
	args := []string{"-S", tt.sock, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24", "-s", "form",
		"env " + strings.Join(shellQuoteAll(env), " ") + " " + command + `; echo "casevault-exit=$?"; sleep 600`}
	cmd := exec.Command(tt.tmux, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(tt.tmux, "-S", tt.sock, "kill-server").Run() })
	return tt
}

func shellQuoteAll(l []string) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return out
}

func (tt *tmuxTerm) run(args ...string) string {
	tt.t.Helper()
	out, err := exec.Command(tt.tmux, append([]string{"-S", tt.sock}, args...)...).CombinedOutput()
	if err != nil {
		tt.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// screen returns what the terminal shows.
func (tt *tmuxTerm) screen() string { return tt.run("capture-pane", "-p", "-t", "form") }

// keys sends keys by their tmux names (Enter, Down, C-c).
func (tt *tmuxTerm) keys(k ...string) { tt.run(append([]string{"send-keys", "-t", "form"}, k...)...) }

// typeText types s as it is.
func (tt *tmuxTerm) typeText(s string) { tt.run("send-keys", "-t", "form", "-l", s) }

// waitFor polls the screen until ok says yes. The limit is generous: it
// only stops a test that hangs.
func (tt *tmuxTerm) waitFor(what string, ok func(screen string) bool) string {
	tt.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		s := tt.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("gave up waiting for %s; the screen:\n%s", what, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// focused returns the lines of the field that has the focus (marked ┃),
// without the mark.
func focused(screen string) []string {
	// The live field is the last block of lines with the focus bar: the
	// frames of the walk's earlier forms stay above it, each with the bar
	// on its last field.
	var out []string
	inBlock := false
	for _, l := range strings.Split(screen, "\n") {
		rest, ok := strings.CutPrefix(l, "┃")
		if !ok {
			inBlock = false
			continue
		}
		if !inBlock {
			out = out[:0]
			inBlock = true
		}
		out = append(out, strings.TrimPrefix(rest, " "))
	}
	return out
}

func focusedTitle(screen string) string {
	if f := focused(screen); len(f) > 0 {
		return f[0]
	}
	return ""
}

var exitRE = regexp.MustCompile(`casevault-exit=(\d+)`)

// exited returns the exit code of the command once it has ended.
func (tt *tmuxTerm) exited() (string, int) {
	s := tt.waitFor("casevault to exit", func(s string) bool { return exitRE.MatchString(s) })
	var code int
	fmt.Sscan(exitRE.FindStringSubmatch(s)[1], &code)
	return s, code
}

// A formStep fills one field: the focused field's title starts with
// title, then do runs.
type formStep struct {
	title string
	do    func(tt *tmuxTerm)
}

func typeEnter(s string) func(*tmuxTerm) {
	return func(tt *tmuxTerm) {
		if s != "" {
			tt.typeText(s)
			tt.waitFor("the text typed", func(sc string) bool { return strings.Contains(strings.Join(focused(sc), "\n"), lastWord(s)) })
		}
		tt.keys("Enter")
	}
}

func lastWord(s string) string {
	f := strings.Fields(s)
	return f[len(f)-1]
}

func press(k ...string) func(*tmuxTerm) { return func(tt *tmuxTerm) { tt.keys(k...) } }

// choose moves the cursor of the focused list to the option that
// contains opt and presses Enter.
func choose(opt string) func(*tmuxTerm) {
	return func(tt *tmuxTerm) {
		tt.moveTo(opt)
		tt.keys("Enter")
	}
}

// tick ticks each option of the focused multiple choice (x), then
// presses Enter.
func tick(opts ...string) func(*tmuxTerm) {
	return func(tt *tmuxTerm) {
		for _, opt := range opts {
			tt.moveTo(opt)
			tt.keys("x")
			tt.waitFor("the tick on "+opt, func(s string) bool { return tickedOn(s, opt) })
		}
		tt.keys("Enter")
	}
}

// moveTo presses Down until the cursor of the focused list is on opt.
func (tt *tmuxTerm) moveTo(opt string) {
	tt.t.Helper()
	for i := 0; ; i++ {
		if i > 80 {
			tt.t.Fatalf("option %q not found:\n%s", opt, tt.screen())
		}
		sc := tt.screen()
		if cursorOn(sc, opt) {
			return
		}
		tt.keys("Down")
		tt.waitFor("the cursor to move", func(s string) bool { return s != sc })
	}
}

// cursorOn reports whether the focused list's cursor (>) is on opt.
func cursorOn(screen, opt string) bool {
	for _, l := range focused(screen) {
		if strings.HasPrefix(strings.TrimSpace(l), ">") && strings.Contains(l, opt) {
			return true
		}
	}
	return false
}

func tickedOn(screen, opt string) bool {
	for _, l := range focused(screen) {
		if strings.Contains(l, opt) && (strings.Contains(l, "[•]") || strings.Contains(l, "[x]") || strings.Contains(l, "✓")) {
			return true
		}
	}
	return false
}

// drive runs the steps in order. Between them, a focused field that is
// neither the next step's nor the one just filled (whose focus may not
// have moved yet) is passed with Enter: a field the test does not know,
// such as one added to the schema later.
func (tt *tmuxTerm) drive(steps []formStep, shots map[string]*string) {
	tt.t.Helper()
	done := "" // the full title of the field filled last
	for _, st := range steps {
		var last string
		sc := tt.waitFor("the field "+st.title, func(sc string) bool {
			title := focusedTitle(sc)
			if strings.HasPrefix(title, st.title) {
				return true
			}
			if title != "" && title != done && title == last {
				tt.t.Logf("passing a field the test does not know: %q", title)
				tt.keys("Enter")
				last = ""
				return false
			}
			last = title
			return false
		})
		if p, ok := shots[st.title]; ok && *p == "" {
			*p = sc
		}
		done = focusedTitle(sc)
		st.do(tt)
	}
}

// saveScreenshot writes a capture to testdata/screenshots when
// CASEVAULT_SCREENSHOTS is set (the note's pictures of the form).
func saveScreenshot(t *testing.T, name, screen string) {
	if os.Getenv("CASEVAULT_SCREENSHOTS") == "" || screen == "" {
		return
	}
	dir := filepath.Join("..", "..", "testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.TrimRight(screen, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runJSON runs the binary and decodes its JSON output.
func (cv *crashVault) runJSON(t *testing.T, out any, args ...string) {
	t.Helper()
	cmd := exec.Command(cv.bin, append(args, "--json")...)
	cmd.Env = cv.env
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("casevault %v: %v", args, err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("casevault %v: %v\n%s", args, err, b)
	}
}

func (cv *crashVault) auditLog(t *testing.T) string {
	t.Helper()
	cmd := exec.Command(cv.bin, "audit", "log", "--json")
	cmd.Env = cv.env
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("audit log: %v", err)
	}
	return string(b)
}

// testCaseNewTerminal fills a whole case in the form in an 80×24 tmux
// terminal (a bad date corrected as the form says, the article picker,
// a detention period with conditions, an incident with an evidence file,
// consent, one more file for the case) and checks what 'case show' and
// 'evidence list' then say.
func testCaseNewTerminal(t *testing.T, bin string) {
	requireTmux(t)
	cv := newCrashVault(t, bin)
	files := t.TempDir()
	photo := filepath.Join(files, "bruises.jpg")
	letter := filepath.Join(files, "letter.txt")
	os.WriteFile(photo, []byte("\xff\xd8\xff\xe0 not really a photo"), 0o600)
	os.WriteFile(letter, []byte("a letter from the colony"), 0o600)

	tt := newTmuxTerm(t, cv.env, bin+" case new")
	var shotPerson, shotArticle, shotConditions, shotSummary, shotConfirm string
	var sawLiveError bool
	steps := []formStep{
		{"Name (Latin script)", typeEnter("Ivan Petrov")},
		{"Name in the original script", typeEnter("Иван Петров")},
		{"Aliases", typeEnter("Vanya")},
		{"Date of birth", func(tt *tmuxTerm) {
			tt.typeText("1990-02-30")
			// The mistake shows as it is typed, with the validator's words
			// and without the (confidential) value.
			sc := tt.waitFor("the live check of the date", func(s string) bool {
				return strings.Contains(strings.Join(focused(s), "\n"), "must match YYYY, YYYY-MM or YYYY-MM-DD (value not shown: confidential field)")
			})
			shotPerson, sawLiveError = sc, true
			tt.keys("Enter") // refused: the focus stays
			tt.waitFor("the refusal", func(s string) bool { return strings.Contains(s, "* must match YYYY") })
			tt.keys("BSpace", "BSpace")
			tt.typeText("28")
			tt.waitFor("the corrected date", func(s string) bool {
				f := strings.Join(focused(s), "\n")
				return strings.Contains(f, "1990-02-28") && !strings.Contains(f, "✗")
			})
			tt.keys("Enter")
		}},
		{"Year of birth", typeEnter("")},
		{"Gender", choose("male")},
		{"Citizenship", typeEnter("RU; UA")},
		{"Region", typeEnter("Moscow")},
		{"Occupation", typeEnter("journalist")},
		{"Add a contact?", press("n")},
		{"Add a charge?", press("y")},
		{"Article", choose("RU-CC 280.3")},
		{"Part of the article", typeEnter("1")},
		{"What the article punishes", typeEnter("")},
		{"Date charged", typeEnter("2022-04-22")},
		{"Add another charge?", press("n")},
		{"Add a period of detention?", press("y")},
		{"Kind", choose("pretrial")},
		{"Facility", typeEnter("SIZO-5, Moscow")},
		{"From", typeEnter("2022-04-11")},
		{"To (empty", typeEnter("")},
		{"Conditions", tick("solitary-confinement", "no-family-visits")},
		{"Notes [restricted]", typeEnter("")},
		{"Add another period of detention?", press("n")},
		{"Add an incident of mistreatment?", press("y")},
		{"Date [public]", typeEnter("2023-02-01")},
		{"Kinds of mistreatment", tick("beating")},
		{"Description", typeEnter("beaten during a search")},
		{"Perpetrators", typeEnter("")},
		{"Witnesses", typeEnter("")},
		{"Evidence files of this incident", typeEnter(photo)},
		{"Add another incident of mistreatment?", press("n")},
		{"Court [public]", typeEnter("Meshchansky District Court")},
		{"Status", choose("pretrial")},
		{"Consent to publication", choose("anonymous")},
		{"Summary for the public", typeEnter("")},
		{"Evidence files to attach", typeEnter(letter)},
		{"Summary, page 1 of", press("Enter")},
		{"What now?", choose("Store the case and 2 evidence file(s)")},
	}
	tt.drive(steps, map[string]*string{"Article": &shotArticle, "Conditions": &shotConditions, "Summary, page 1 of": &shotSummary, "What now?": &shotConfirm})
	screen, code := tt.exited()
	if code != 0 {
		t.Fatalf("case new exited with %d:\n%s", code, screen)
	}
	if !sawLiveError {
		t.Fatal("no live check seen")
	}
	var list []struct {
		ID string `json:"id"`
	}
	cv.runJSON(t, &list, "case", "list")
	if len(list) != 1 {
		t.Fatalf("%d cases stored, want 1", len(list))
	}
	var shown struct {
		Rev  uint32         `json:"rev"`
		Case map[string]any `json:"case"`
	}
	cv.runJSON(t, &shown, "case", "show", list[0].ID)
	got, _ := json.Marshal(shown.Case)
	for _, want := range []string{
		`"name":"Ivan Petrov"`, `"name_native":"Иван Петров"`, `"aliases":["Vanya"]`, `"birth_date":"1990-02-28"`,
		`"birth_year":1990`, `"gender":"male"`, `"citizenship":["RU","UA"]`, `"region":"Moscow"`,
		`"code":"RU-CC"`, `"article":"280.3(1)"`, `"title":"Public actions aimed at discrediting the use of the armed forces"`,
		`"date":"2022-04-22"`, `"kind":"pretrial"`, `"facility":"SIZO-5, Moscow"`, `"from":"2022-04-11"`,
		`"conditions":["solitary-confinement","no-family-visits"]`, `"kind":["beating"]`,
		`"description":"beaten during a search"`, `"court":"Meshchansky District Court"`, `"status":"pretrial"`,
		`"consent":"anonymous"`,
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("stored case lacks %s:\n%s", want, got)
		}
	}
	var ev []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	cv.runJSON(t, &ev, "evidence", "list", list[0].ID)
	if len(ev) != 2 {
		t.Fatalf("%d evidence files stored, want 2: %+v", len(ev), ev)
	}
	var photoID string
	for _, e := range ev {
		if e.Name == "bruises.jpg" {
			photoID = e.ID
		}
	}
	if photoID == "" || !strings.Contains(string(got), `"evidence":["`+photoID+`"]`) {
		t.Errorf("the incident is not linked to %s (%+v):\n%s", photoID, ev, got)
	}
	if shown.Rev != 2 {
		t.Errorf("revision %d, want 2 (the case, then the incident's evidence)", shown.Rev)
	}
	for _, s := range []string{shotPerson, shotArticle, shotConditions, shotSummary, shotConfirm} {
		for i, l := range strings.Split(s, "\n") {
			if n := len([]rune(l)); n > 80 {
				t.Errorf("line %d of a screen is %d characters wide", i+1, n)
			}
		}
	}
	if !strings.Contains(shotSummary, "person.birth_date [confidential]: 1990-02-28") {
		t.Errorf("the summary does not show the fields with their levels:\n%s", shotSummary)
	}
	saveScreenshot(t, "case-new-person.txt", shotPerson)
	saveScreenshot(t, "case-new-article.txt", shotArticle)
	saveScreenshot(t, "case-new-conditions.txt", shotConditions)
	saveScreenshot(t, "case-new-summary.txt", shotSummary)
	saveScreenshot(t, "case-new-confirm.txt", shotConfirm)
}

// testCaseNewCtrlC leaves the form with Ctrl-C halfway through a charge:
// nothing is stored, the audit log is as it was, no file is left in the
// temporary directory, and the exit code is that of an interruption.
func testCaseNewCtrlC(t *testing.T, bin string) {
	requireTmux(t)
	cv := newCrashVault(t, bin)
	before := cv.auditLog(t)
	tmp := t.TempDir()
	env := append(append([]string{}, cv.env...), "TMPDIR="+tmp)
	tt := newTmuxTerm(t, env, bin+" case new")
	tt.drive([]formStep{
		{"Name (Latin script)", typeEnter("Ivan Petrov")},
		{"Add a contact?", press("n")},
		{"Add a charge?", press("y")},
		{"Article", press("C-c")},
	}, nil)
	screen, code := tt.exited()
	if code != exitInterrupted {
		t.Fatalf("exit code %d, want %d:\n%s", code, exitInterrupted, screen)
	}
	if !strings.Contains(screen, "nothing was stored") {
		t.Errorf("no message:\n%s", screen)
	}
	var list []any
	cv.runJSON(t, &list, "case", "list")
	if len(list) != 0 {
		t.Errorf("%d cases stored", len(list))
	}
	if after := cv.auditLog(t); after != before {
		t.Errorf("the audit log changed:\n%s\n---\n%s", before, after)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("files left in TMPDIR: %v", left)
	}
}
