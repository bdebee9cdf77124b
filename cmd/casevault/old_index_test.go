//go:build linux

package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestOldIndexNotice: on a vault whose search index was written by the
// casevault of index format 5, a search still answers (by opening every
// case, which is slow) and says so on stderr, not on stdout; the first
// command that changes the vault rebuilds the index, and the notice is
// gone. check says it did not compare the old index; the command that
// rebuilds it says so first.
func TestOldIndexNotice(t *testing.T) {
	bin := buildCasevault(t)
	cv := fixtureVault(t, bin, "../../vault/testdata/vault-format5", filepath.Join(t.TempDir(), "vault"))
	cv.env = append(cv.env, "LANG=C")
	const orlov = "cxtugwd2xbs7qette"
	const notice = "the search index is of format 5"
	for _, args := range [][]string{{"case", "search", "или"}, {"case", "list", "--region", "Omsk"}, {"stats"}} {
		r := cv.run(t, nil, args...)
		if r.code != 0 || !strings.Contains(r.stderr, notice) || strings.Contains(r.stdout, notice) {
			t.Fatalf("%v on the format 5 vault: exit %d\nstdout:\n%s\nstderr:\n%s", args, r.code, r.stdout, r.stderr)
		}
		if len(args) > 1 && args[1] == "search" && !strings.Contains(r.stdout, orlov) {
			t.Fatalf("или does not find %s:\n%s", orlov, r.stdout)
		}
	}
	// check does not compare the old index with the cases, and says why;
	// with --json, stderr stays JSON lines.
	r := cv.run(t, nil, "check", "--json")
	if r.code != 0 || !strings.Contains(r.stderr, notice) || !strings.Contains(r.stdout, `"search_index_skipped": true`) {
		t.Fatalf("check on the format 5 vault: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		var n struct{ Notice string }
		if err := json.Unmarshal([]byte(line), &n); err != nil || !strings.HasPrefix(n.Notice, notice) {
			t.Fatalf("check --json: stderr line %q is not a JSON notice (%v)", line, err)
		}
	}
	// The first change rebuilds the index, and says so before it starts.
	r = cv.run(t, nil, "case", "add", "-f", writeTemp(t, []byte("person:\n  name: Ivan Sidorov\n")))
	if r.code != 0 || !strings.Contains(r.stderr, "rebuilding the search index of format 5") {
		t.Fatalf("case add: exit %d\n%s", r.code, r.stderr)
	}
	if r := cv.run(t, nil, "check", "--json"); r.code != 0 || strings.Contains(r.stdout, "search_index_skipped") {
		t.Fatalf("check after the rebuild: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	r = cv.run(t, nil, "case", "search", "или")
	if r.code != 0 || strings.Contains(r.stderr, notice) || !strings.Contains(r.stdout, orlov) {
		t.Fatalf("search after the rebuild: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}
