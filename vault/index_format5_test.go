package vault

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A vault whose index is of format 5, where a common word had the token
// of a name (или and Илья: il~; ему and Эмма: em~; мая and Майя: ma), is
// rebuilt at its first read-write open: Илья, Эмма and Майя then find
// the cases that name them and not the note that only uses the words, as
// opening every case answers too, and each word still finds that note.
func TestFormat5IndexRebuilds(t *testing.T) {
	const orlov, sokolova = "cxtugwd2xbs7qette", "cg34ld64nmq7ibcsr"
	before, _ := migrateFixture(t, "testdata/vault-format5", []fixtureQuery{
		{"Илья", ""}, {"Ilya", ""}, {"или", ""}, {"ИЛИ", ""}, {"Эмма", ""}, {"ему", ""}, {"Майя", ""}, {"мая", ""},
		{"Инна", ""}, {"иные", ""}, {"Элла", ""}, {"ели", ""}, {"Эмма", "notes"}, {`"сказал ему"`, ""},
	})
	has := func(q, id string) bool {
		return slices.ContainsFunc(before[q], func(s string) bool { return strings.HasPrefix(s, id+" ") })
	}
	for _, c := range []struct {
		q       string
		in, out []string
	}{
		{"Илья|", []string{orlov}, nil},
		{"или|", []string{orlov}, nil},
		{"ИЛИ|", []string{orlov}, nil},
		{"Эмма|", []string{orlov, sokolova}, nil}, // Орлов's note names his sister Эмма
		{"ему|", []string{orlov}, []string{sokolova}},
		{"Майя|", []string{sokolova}, []string{orlov}},
		{"мая|", []string{orlov}, []string{sokolova}},
		{"Инна|", []string{sokolova}, []string{orlov}},
		{"иные|", []string{orlov}, []string{sokolova}},
		{"ели|", []string{orlov}, nil},
		{`"сказал ему"|`, []string{orlov}, nil},
	} {
		for _, id := range c.in {
			if !has(c.q, id) {
				t.Errorf("%s does not find %s: %v", c.q, id, before[c.q])
			}
		}
		for _, id := range c.out {
			if has(c.q, id) {
				t.Errorf("%s finds %s: %v", c.q, id, before[c.q])
			}
		}
	}
	// Only the note of Орлов uses или; the generated cases of an Илья do
	// not, so Илья finds more than или, and Элла (no one) finds nothing.
	if len(before["Илья|"]) <= len(before["или|"]) || len(before["или|"]) != 1 || len(before["Элла|"]) != 0 {
		t.Errorf("Илья %v, или %v, Элла %v", before["Илья|"], before["или|"], before["Элла|"])
	}
}

// A read-write open that must rebuild an index of an earlier format says
// so first (Options.Notify) and stops when its context is cancelled
// (Ctrl-C in the CLI). The rebuild cut short leaves the index incomplete,
// which a read-only open then says and check reports as not compared;
// the next read-write open rebuilds it whole.
func TestIndexRebuildAtOpenCancels(t *testing.T) {
	root := copyFixture(t, "testdata/vault-format5")
	dir, u := filepath.Join(root, "vault"), Unlock{IdentityFile: filepath.Join(root, "identity.txt")}
	ctx, cancel := context.WithCancel(context.Background())
	var told []string
	notify := func(m string) { told = append(told, m); cancel() } // Ctrl-C as soon as the user is told
	v, err := Open(dir, u, Options{Author: "tester", Context: ctx, Notify: notify})
	if !errors.Is(err, context.Canceled) {
		if err == nil {
			v.Close()
		}
		t.Fatalf("open cancelled during the rebuild: %v", err)
	}
	if len(told) != 1 || !strings.Contains(told[0], "rebuilding the search index of format 5") {
		t.Fatalf("told before the rebuild: %q", told)
	}

	ro, err := Open(dir, u, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := ro.IndexNotice(); !strings.Contains(n, "the search index is incomplete") {
		t.Errorf("read-only notice after a rebuild cut short: %q", n)
	}
	if got := searchAnswer(t, ro, "или", SearchOptions{}, Filter{}); len(got) != 1 {
		t.Errorf("или on the incomplete index (answered by opening the cases): %v", got)
	}
	rep, err := ro.Check(context.Background(), CheckOptions{})
	if err != nil || !rep.SearchIndexSkipped || len(rep.Problems) != 0 {
		t.Errorf("check of the incomplete index: %+v, %v", rep, err)
	}
	ro.Close()

	told = nil
	v, err = Open(dir, u, Options{Author: "tester", Notify: func(m string) { told = append(told, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(told) != 1 || !strings.Contains(told[0], "incomplete (a rebuild was cut short) or of the first format") {
		t.Errorf("told before the second rebuild: %q", told)
	}
	if !v.indexCurrent || v.IndexNotice() != "" {
		v.Close()
		t.Fatalf("index after the second rebuild: current %v, notice %q", v.indexCurrent, v.IndexNotice())
	}
	if got := searchAnswer(t, v, "или", SearchOptions{}, Filter{}); len(got) != 1 {
		t.Errorf("или after the rebuild: %v", got)
	}
	rep, err = v.Check(context.Background(), CheckOptions{})
	if err != nil || rep.SearchIndexSkipped || len(rep.Problems) != 0 {
		t.Errorf("check after the rebuild: %+v, %v", rep, err)
	}
	told = nil
	v.Close()
	v, err = Open(dir, u, Options{Author: "tester", Notify: func(m string) { told = append(told, m) }})
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
	if len(told) != 0 {
		t.Errorf("told at an open with a current index: %q", told)
	}
}

// countingCtx counts the calls of Err and, from call cancelAt on (0:
// never), reports the context cancelled: a Ctrl-C that comes at a chosen
// point of the work that checks it.
type countingCtx struct {
	context.Context
	calls, cancelAt int
}

func (c *countingCtx) Err() error {
	c.calls++
	if c.cancelAt > 0 && c.calls >= c.cancelAt {
		return context.Canceled
	}
	return nil
}

// A Ctrl-C that comes after the rebuild at open has made its last check
// (as the attack of session 17 found by timing: the case was added all
// the same) still stops the command: the open fails as cancelled, with
// the index rebuilt and current.
func TestIndexRebuildAtOpenLateCancel(t *testing.T) {
	open := func(ctx context.Context) (string, error) {
		root := copyFixture(t, "testdata/vault-format5")
		dir, u := filepath.Join(root, "vault"), Unlock{IdentityFile: filepath.Join(root, "identity.txt")}
		v, err := Open(dir, u, Options{Author: "tester", Context: ctx})
		if err == nil {
			v.Close()
		}
		return dir, err
	}
	count := &countingCtx{Context: context.Background()}
	if _, err := open(count); err != nil {
		t.Fatal(err)
	}
	if count.calls < 2 {
		t.Fatalf("the rebuild checked its context %d times", count.calls)
	}
	// cancelled at the last check of the open (the one after the
	// rebuild's own: without it, the rebuild's last check, which would
	// leave the index incomplete)
	dir, err := open(&countingCtx{Context: context.Background(), cancelAt: count.calls})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("open with a Ctrl-C after the rebuild: %v", err)
	}
	ro, err := Open(dir, Unlock{IdentityFile: filepath.Join(filepath.Dir(dir), "identity.txt")}, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if !ro.indexCurrent || ro.IndexNotice() != "" {
		t.Errorf("after the late Ctrl-C the index is not current: %q", ro.IndexNotice())
	}
}
