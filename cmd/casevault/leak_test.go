package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/schema"
)

// The leak test (issue 2): a unique canary string goes into every free-text
// field of the case model; the case is added, shown, updated, edited in
// $EDITOR and removed through the real command; then every file under the
// vault directory, os.TempDir() and /dev/shm is scanned for every canary
// (raw and lower-cased) and for the case's name. None may appear. Outside
// the vault directory only files modified since the test began are read:
// nothing the test did can be in the others.
//
// Canaries are random per run and reach casevault only through pipes and
// environment variables, never through files, so a hit can only be a leak.

// leakSession is a random token contained in every canary of one run.
type leakSession struct {
	token    string
	canaries map[string]string // canary -> field path
	next     int
}

func newLeakSession(t *testing.T) *leakSession {
	return &leakSession{token: leakRandom(t, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz", 14), canaries: map[string]string{}}
}

func leakRandom(t *testing.T, alphabet string, n int) string {
	rs := []rune(alphabet)
	var b strings.Builder
	for range n {
		i, err := rand.Int(rand.Reader, big.NewInt(int64(len(rs))))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteRune(rs[i.Int64()])
	}
	return b.String()
}

// canary returns a fresh canary for the field at path. Some fields get
// Cyrillic canaries, so that both scripts are checked.
func (s *leakSession) canary(t *testing.T, path string) string {
	s.next++
	var c string
	switch {
	case strings.Contains(path, "native") || strings.Contains(path, "witnesses") || strings.Contains(path, "address") || strings.HasSuffix(path, "notes"):
		c = fmt.Sprintf("Канарейка-%s-%s-%d", leakRandom(t, "АБВГДЕЁЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ", 6), s.token, s.next)
	case path == "person.name":
		c = fmt.Sprintf("Lev Kanarejkin-%s-%d", s.token, s.next)
	default:
		c = fmt.Sprintf("Canary-%s-%d", s.token, s.next)
	}
	s.canaries[c] = path
	return c
}

// leakDoc builds a case document from the schema itself, so that a field
// added to the model later gets its canary too: every string field without
// an enum or pattern holds a canary, every list of them two, every list of
// objects one entry. Fields it cannot fill make the test fail.
func leakDoc(t *testing.T, s *leakSession) map[string]any {
	var sch map[string]any
	if err := json.Unmarshal(schema.SchemaJSON(), &sch); err != nil {
		t.Fatal(err)
	}
	defs, _ := sch["$defs"].(map[string]any)
	resolve := func(n map[string]any) map[string]any {
		for {
			ref, ok := n["$ref"].(string)
			if !ok {
				return n
			}
			n, _ = defs[ref[strings.LastIndex(ref, "/")+1:]].(map[string]any)
		}
	}
	var fill func(n map[string]any, path string) (any, bool)
	fill = func(n map[string]any, path string) (any, bool) {
		n = resolve(n)
		typ, _ := n["type"].(string)
		if props, ok := n["properties"].(map[string]any); ok || typ == "object" {
			obj := map[string]any{}
			for k, p := range props {
				pp := strings.TrimPrefix(path+"."+k, ".")
				if v, ok := fill(p.(map[string]any), pp); ok {
					obj[k] = v
				}
			}
			return obj, len(obj) > 0
		}
		switch typ {
		case "array":
			items, _ := n["items"].(map[string]any)
			if it := resolve(items); it["type"] == "string" && it["enum"] == nil && it["pattern"] == nil {
				a, _ := fill(items, path)
				b, _ := fill(items, path)
				return []any{a, b}, true
			}
			v, ok := fill(items, path)
			if !ok {
				return nil, false
			}
			return []any{v}, true
		case "string":
			if e, ok := n["enum"].([]any); ok {
				return e[0], true
			}
			if p, ok := n["pattern"].(string); ok {
				switch {
				case strings.Contains(p, "[0-9]{3}(?:-"): // dates
					return "2020-02-03", true
				case p == "^[A-Z]{2}$":
					return "RU", true
				case strings.HasSuffix(p, "[0-5][0-9]$"): // times of day
					return "10:30", true
				case strings.HasPrefix(p, "^e["): // evidence IDs need stored evidence
					return nil, false
				}
				t.Fatalf("leak test cannot fill %s (pattern %s): teach leakDoc", path, p)
			}
			if path == "schema" {
				return "case.v1", true
			}
			return s.canary(t, path), true
		case "integer", "number", "boolean":
			return nil, false // birth_year is derived; no free text
		}
		t.Fatalf("leak test cannot fill %s (type %q): teach leakDoc", path, typ)
		return nil, false
	}
	doc, _ := fill(sch, "")
	m := doc.(map[string]any)
	// Overrides must name known fields and raise levels.
	m["sensitivity_overrides"] = map[string]any{"person.name": "confidential"}
	return m
}

// leakRun runs the casevault command (installed in $PATH by
// testscript.Main) with input on a pipe.
func leakRun(t *testing.T, env []string, stdin []byte, args ...string) string {
	t.Helper()
	cmd := exec.Command("casevault", args...)
	cmd.Env = env
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		// Do not print stdout: it may hold canaries, and test logs are
		// files too.
		t.Fatalf("casevault %s: %v\n%s", args[0], err, errb.String())
	}
	return out.String()
}

func TestLeakCanaries(t *testing.T) {
	if _, err := exec.LookPath("casevault"); err != nil {
		t.Skip("casevault is not in $PATH (run through go test)")
	}
	// Modification times have at least 1 s granularity on some file
	// systems: start the window early.
	testStart := time.Now().Add(-2 * time.Second)
	work := t.TempDir()
	vaultDir := filepath.Join(work, "vault")
	passFile := filepath.Join(work, "pass")
	if err := os.WriteFile(passFile, []byte("leak test passphrase\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	editReport := filepath.Join(work, "edit-report")
	s := newLeakSession(t)
	docA := leakDoc(t, s)
	docB := leakDoc(t, s)
	if len(s.canaries) < 2*25 {
		t.Fatalf("only %d canaries: the schema walk missed fields", len(s.canaries))
	}
	nameA := docA["person"].(map[string]any)["name"].(string)
	notesB := docB["notes"].(string)
	notesC := s.canary(t, "notes")

	// The editor replaces one canary by a new one and reports the mode and
	// place of the file it was given.
	editor := fmt.Sprintf(`leak_edit() { stat -c '%%a %%n' "$1" > %s && sed -i 's/%s/%s/' "$1"; }; leak_edit`, editReport, notesB, notesC)
	env := append(os.Environ(),
		"CASEVAULT_DIR="+vaultDir,
		"CASEVAULT_PASSPHRASE_FILE="+passFile,
		"CASEVAULT_AUTHOR=tester",
		"NO_COLOR=1",
		"VISUAL=",
		"EDITOR="+editor,
	)
	jsonA, _ := json.Marshal(docA)
	jsonB, _ := json.Marshal(docB)

	leakRun(t, env, nil, "init", "--org", "Leak Test Group")
	id := strings.TrimSpace(leakRun(t, env, jsonA, "case", "add", "-f", "-"))
	if !strings.Contains(leakRun(t, env, nil, "case", "show", id), nameA) {
		t.Fatal("case show does not print the name")
	}
	leakRun(t, env, jsonB, "case", "update", id, "-f", "-")
	leakRun(t, env, nil, "case", "edit", id)
	shown := leakRun(t, env, nil, "case", "show", id, "--json")
	if !strings.Contains(shown, notesC) || strings.Contains(shown, notesB) {
		t.Fatal("the edit did not reach the stored case")
	}
	if !strings.Contains(leakRun(t, env, nil, "case", "show", id, "--rev", "1"), nameA) {
		t.Fatal("revision 1 lost")
	}
	leakRun(t, env, nil, "case", "history", id)
	leakRun(t, env, nil, "case", "search", docB["person"].(map[string]any)["name"].(string))
	leakRun(t, env, nil, "case", "list")
	leakRun(t, env, nil, "case", "rm", "--yes", id)
	if out := leakRun(t, env, nil, "case", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("case list after rm: %s", out)
	}
	// Every command has exited: the vault is closed.

	// The edit copy was 0600 in /dev/shm and is gone.
	rep, err := os.ReadFile(editReport)
	if err != nil {
		t.Fatalf("the editor did not run: %v", err)
	}
	mode, editFile, _ := strings.Cut(strings.TrimSpace(string(rep)), " ")
	if _, err := os.Stat("/dev/shm"); err == nil {
		if filepath.Dir(editFile) != "/dev/shm" {
			t.Errorf("edit copy was %s, not in /dev/shm", editFile)
		}
	}
	if mode != "600" {
		t.Errorf("edit copy had mode %s, want 600", mode)
	}
	if _, err := os.Lstat(editFile); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("edit copy %s still exists after the edit (%v)", editFile, err)
	}

	// Scan.
	needles := map[string]string{}
	for c, path := range s.canaries {
		needles[c] = path
		needles[strings.ToLower(c)] = path + " (lower-cased)"
	}
	needles[s.token] = "the run's token (part of every canary)"
	needles[strings.ToLower(s.token)] = "the run's token, lower-cased"
	roots := []string{vaultDir, os.TempDir(), "/dev/shm"}
	var hits []string
	files := 0
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil // vanished or unreadable: other processes share /tmp
			}
			// Outside the vault, a file last modified before this test
			// began cannot hold anything from it (others' gigabytes in
			// /tmp need not be read). The vault is read entirely.
			if root != vaultDir {
				if info, err := d.Info(); err != nil || info.ModTime().Before(testStart) {
					return nil
				}
			}
			found, ok := leakScanFile(p, s.token, needles)
			if ok {
				files++
			}
			for _, what := range found {
				hits = append(hits, fmt.Sprintf("%s: %s", p, what))
			}
			return nil
		})
	}
	sort.Strings(hits)
	hits = compactStrings(hits)
	for _, h := range hits {
		t.Errorf("canary found in %s", h)
	}
	if files == 0 {
		t.Fatal("scanned no files")
	}
	vaultFiles := 0
	filepath.WalkDir(vaultDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			vaultFiles++
		}
		return nil
	})
	if vaultFiles < 4 {
		t.Fatalf("only %d files in the vault: the scan would prove nothing", vaultFiles)
	}
	fields := map[string]bool{}
	for _, path := range s.canaries {
		fields[path] = true
	}
	t.Logf("%d canaries in %d fields, %d files scanned (%d in the vault), no hits", len(s.canaries), len(fields), files, vaultFiles)
}

// leakScanFile reads a file in chunks (files under /tmp may be large) and
// returns what each needle found in it names. A chunk without the run's
// token, raw or lower-cased, holds no canary and is not searched further;
// chunks overlap by the longest needle so nothing is missed at a boundary.
func leakScanFile(path, token string, needles map[string]string) ([]string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	maxLen := 0
	for n := range needles {
		maxLen = max(maxLen, len(n))
	}
	tok, lowTok := []byte(token), []byte(strings.ToLower(token))
	found := map[string]bool{}
	buf, chunk := leakBuf[:0], leakChunk[:]
	for {
		n, err := f.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if bytes.Contains(buf, tok) || bytes.Contains(buf, lowTok) {
			for needle, what := range needles {
				if bytes.Contains(buf, []byte(needle)) {
					found[what] = true
				}
			}
		}
		if err != nil {
			break // io.EOF, or the file went away: scanned what there was
		}
		if keep := maxLen - 1; len(buf) > keep {
			buf = append(buf[:0], buf[len(buf)-keep:]...)
		}
	}
	leakBuf = buf[:0]
	var out []string
	for what := range found {
		out = append(out, what)
	}
	return out, true
}

// Buffers of leakScanFile, reused from file to file (the test is not
// parallel).
var (
	leakChunk [1 << 20]byte
	leakBuf   = make([]byte, 0, 2<<20)
)

func compactStrings(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
