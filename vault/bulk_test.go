package vault

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/schema/casegen"
)

func writeGenerated(t testing.TB, format string, n int, seed uint64) string {
	t.Helper()
	var b bytes.Buffer
	if err := casegen.Write(&b, format, n, seed); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "cases."+format)
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func countOps(t testing.TB, v *Vault, op string) int {
	n := 0
	for _, o := range auditOps(t, v) {
		if strings.HasPrefix(o, op+" ") {
			n++
		}
	}
	return n
}

func TestImportFormats(t *testing.T) {
	for _, format := range []string{FormatJSONL, FormatCSV, FormatYAML} {
		t.Run(format, func(t *testing.T) {
			v := newTestVault(t)
			path := writeGenerated(t, format, 120, 5)
			rep, err := v.Import(context.Background(), path, ImportOptions{Format: format, BatchBytes: 40 << 10})
			if err != nil {
				t.Fatalf("%v\n%+v", err, rep)
			}
			if rep.Records != 120 || rep.Imported != 120 || rep.Invalid != 0 || rep.Batches < 2 {
				t.Fatalf("report %+v", rep)
			}
			list, err := v.ListCases(Filter{})
			if err != nil || len(list) != 120 {
				t.Fatalf("%d cases listed, %v", len(list), err)
			}
			if n := countOps(t, v, "case.import"); n != 120 {
				t.Errorf("%d case.import audit entries, want 120", n)
			}
			// Every generated case is found by its native name's surname
			// and by status, through posting groups.
			g := casegen.New(5)
			for range 10 {
				doc := g.Case()
				native := doc["person"].(map[string]any)["name_native"].(string)
				hits, err := v.Search(native)
				if err != nil || len(hits) == 0 {
					t.Fatalf("search %q: %d hits, %v", native, len(hits), err)
				}
				st := doc["status"].(string)
				list, err := v.ListCases(Filter{Status: st})
				if err != nil || !slices.ContainsFunc(list, func(s Summary) bool { return s.NameNative == native }) {
					t.Fatalf("list --status %s does not hold %s (%v)", st, native, err)
				}
			}
		})
	}
}

func TestImportInvalidImportsNothing(t *testing.T) {
	v := newTestVault(t)
	path := "../testdata/import/invalid.csv"
	rep, err := v.Import(context.Background(), path, ImportOptions{Format: FormatCSV})
	if !errors.Is(err, ErrImportInvalid) {
		t.Fatalf("err %v", err)
	}
	if rep.Records != 4 || rep.Valid != 1 || rep.Invalid != 3 || rep.Imported != 0 {
		t.Fatalf("report %+v", rep)
	}
	want := []string{
		"line 2: person.birth_date (column birth_date): must match YYYY, YYYY-MM or YYYY-MM-DD",
		"line 3: person.name (column name): is required",
		"line 4: charges (column charge_dates): has 1 values separated by |, but column articles has 2",
		"line 4: person.gender (column gender): must be one of",
		"line 4: status (column status): must be one of",
	}
	var got []string
	for _, e := range rep.Rejected {
		got = append(got, e.String())
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("no rejection %q in\n%s", w, strings.Join(got, "\n"))
		}
	}
	if list, _ := v.ListCases(Filter{}); len(list) != 0 {
		t.Fatalf("%d cases imported from an invalid file", len(list))
	}
	if n := countOps(t, v, "case.import"); n != 0 {
		t.Fatalf("%d audit entries", n)
	}
	rep, err = v.Import(context.Background(), path, ImportOptions{Format: FormatCSV, SkipInvalid: true})
	if err != nil || rep.Imported != 1 {
		t.Fatalf("skip-invalid: %v %+v", err, rep)
	}
	if hits, _ := v.Search("volkov"); len(hits) != 1 {
		t.Fatalf("valid row not imported: %v", hits)
	}
}

func TestImportSampleCSV(t *testing.T) {
	v := newTestVault(t)
	rep, err := v.Import(context.Background(), "../testdata/import/sample.csv", ImportOptions{Format: FormatCSV})
	if err != nil || rep.Imported != 3 {
		t.Fatalf("%v %+v", err, rep)
	}
	hits, err := v.Search("соколов 207.3")
	if err != nil || len(hits) != 1 {
		t.Fatalf("search: %v %v", hits, err)
	}
	id, _ := ParseCaseID(hits[0].ID)
	r, err := v.Case(id)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := r.Case()
	det := c.Doc["detention"].([]any)
	if len(det) != 2 || det[1].(map[string]any)["to"] != nil ||
		!slices.Equal(det[1].(map[string]any)["conditions"].([]any), []any{"solitary-confinement", "no-family-visits"}) {
		t.Errorf("detention %v", det)
	}
	if ch := c.Doc["charges"].([]any); len(ch) != 2 || ch[1].(map[string]any)["code"] != "RU-CC" {
		t.Errorf("charges %v", ch)
	}
	if by := c.Doc["person"].(map[string]any)["birth_year"]; by != float64(1979) {
		t.Errorf("birth_year %v", by)
	}
}

func TestImportBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o600)
		return p
	}
	var fe *ImportFileError
	if _, err := CheckImportFile(write("a.csv", "name,colour\nx,red\n"), ImportOptions{Format: FormatCSV}); !errors.As(err, &fe) || !strings.Contains(err.Error(), `unknown column "colour"`) {
		t.Errorf("unknown column: %v", err)
	}
	if _, err := CheckImportFile(write("b.csv", "gender\nmale\n"), ImportOptions{Format: FormatCSV}); !errors.As(err, &fe) {
		t.Errorf("no name column: %v", err)
	}
	if _, err := CheckImportFile(write("c.csv", ""), ImportOptions{Format: FormatCSV}); !errors.As(err, &fe) {
		t.Errorf("empty: %v", err)
	}
	rep, err := CheckImportFile(write("d.jsonl", `{"person":{"name":"A"}}`+"\n\nnot json\n"+`{"person":{"name":"B"},"status":"x"}`+"\n"+strings.Repeat("x", maxImportRecord+10)+"\n"), ImportOptions{Format: FormatJSONL})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != 4 || rep.Valid != 1 || rep.Rejected[0].Line != 3 || rep.Rejected[1].Line != 4 || rep.Rejected[1].Path != "status" || rep.Rejected[2].Line != 5 {
		t.Errorf("jsonl report %+v", rep)
	}
	rep, err = CheckImportFile(write("e.yaml", "# cases\n---\nperson:\n  name: A\n---\nperson:\n  nme: B\n"), ImportOptions{Format: FormatYAML})
	if err != nil || rep.Records != 2 || rep.Valid != 1 || rep.Rejected[0].Line != 6 {
		t.Errorf("yaml report %+v %v", rep, err)
	}
	rep, err = CheckImportFile(write("f.jsonl", `{"person":{"name":"A"},"mistreatment":[{"evidence":["eabcdefghijklmnop"]}]}`+"\n"), ImportOptions{Format: FormatJSONL})
	if err != nil || rep.Invalid != 1 || !strings.Contains(rep.Rejected[0].Reason, "evidence") {
		t.Errorf("evidence refs: %+v %v", rep, err)
	}
}

// A file that changes between the check and the import stops the import.
func TestImportFileChanged(t *testing.T) {
	v := newTestVault(t)
	path := writeGenerated(t, FormatJSONL, 30, 9)
	other := writeGenerated(t, FormatJSONL, 30, 10)
	prog := func(phase string, done, total int) {
		if phase == "check" && done == total {
			b, _ := os.ReadFile(other)
			os.WriteFile(path, b, 0o600)
		}
	}
	_, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL, Progress: prog})
	if !errors.Is(err, ErrImportChanged) {
		t.Fatalf("err %v", err)
	}
	if list, _ := v.ListCases(Filter{}); len(list) != 0 {
		t.Fatalf("%d cases imported", len(list))
	}
}

// Transactions too big for the store are split; every case goes in.
func TestImportSplitsBigBatches(t *testing.T) {
	v := newTestVault(t)
	path := writeGenerated(t, FormatJSONL, 3000, 11)
	rep, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL, BatchBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 3000 || rep.Batches < 2 {
		t.Fatalf("report %+v", rep)
	}
}

func TestExportRoundTrip(t *testing.T) {
	v := newTestVault(t)
	path := writeGenerated(t, FormatJSONL, 80, 12)
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	n, err := v.Export(context.Background(), &out)
	if err != nil || n != 80 {
		t.Fatalf("%d %v", n, err)
	}
	exp := filepath.Join(t.TempDir(), "export.jsonl")
	os.WriteFile(exp, out.Bytes(), 0o600)
	w := newTestVault(t)
	if _, err := w.Import(context.Background(), exp, ImportOptions{Format: FormatJSONL}); err != nil {
		t.Fatal(err)
	}
	var out2 bytes.Buffer
	w.Export(context.Background(), &out2)
	a := strings.Split(out.String(), "\n")
	b := strings.Split(out2.String(), "\n")
	slices.Sort(a)
	slices.Sort(b)
	if !slices.Equal(a, b) {
		t.Fatal("export of the re-imported vault differs")
	}
	// The export holds the original documents, confidential fields too
	// (the charges in their normalised form, the article as written kept
	// in article_original).
	orig, _ := os.ReadFile(path)
	var want []string
	for _, l := range strings.Split(strings.TrimSpace(string(orig)), "\n") {
		c, err := schema.FromJSON([]byte(l))
		if err != nil {
			t.Fatal(err)
		}
		c.NormalizeCharges()
		want = append(want, string(c.Canonical()))
	}
	want = append(want, "")
	slices.Sort(want)
	if !slices.Equal(a, want) {
		t.Fatal("export differs from the imported documents")
	}
}

// Removing and updating cases that sit in posting groups keeps search
// exact: the head of a group, a member, and a token dropped by an update.
func TestPostingGroups(t *testing.T) {
	v := newTestVault(t)
	path := filepath.Join(t.TempDir(), "c.jsonl")
	var lines []string
	for i := range 6 {
		lines = append(lines, `{"person":{"name":"Shared Name `+string(rune('a'+i))+`","region":"Omsk"},"status":"pretrial"}`)
	}
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL}); err != nil {
		t.Fatal(err)
	}
	hits, _ := v.Search("shared omsk")
	if len(hits) != 6 {
		t.Fatalf("%d hits", len(hits))
	}
	ids, _ := v.CaseIDs() // sorted; the group head is one of them
	for _, id := range ids[:2] {
		if err := v.RemoveCase(id); err != nil {
			t.Fatal(err)
		}
	}
	upd := ids[3]
	c, _ := schema.Parse([]byte("person:\n  name: Other Person\n  region: Omsk\nstatus: sentenced\n"))
	if _, err := v.UpdateCase(upd, c); err != nil {
		t.Fatal(err)
	}
	v = reopen(t, v)
	check := func(q string, want int) {
		t.Helper()
		hits, err := v.Search(q)
		if err != nil || len(hits) != want {
			t.Errorf("search %q: %d hits, want %d (%v)", q, len(hits), want, err)
		}
	}
	check("shared", 3)
	check("omsk", 4)
	for st, want := range map[string]int{"pretrial": 3, "sentenced": 1} {
		if l, err := v.ListCases(Filter{Status: st}); err != nil || len(l) != want {
			t.Errorf("list --status %s: %d cases, want %d (%v)", st, len(l), want, err)
		}
	}
	check("other", 1)
	for _, id := range ids {
		if err := v.RemoveCase(id); err != nil && !errors.As(err, new(*NotFoundError)) {
			t.Fatal(err)
		}
	}
	if keys := coreKeys(t, v, []byte{pPosting}); len(keys) != 0 {
		t.Errorf("%d postings left after removing every case", len(keys))
	}
}

// check understands posting groups: an imported vault is clean, a group
// with a member removed behind the index's back is repaired.
func TestCheckPostingGroups(t *testing.T) {
	v := newTestVault(t)
	path := writeGenerated(t, FormatJSONL, 40, 13)
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL}); err != nil {
		t.Fatal(err)
	}
	rep, err := v.Check(context.Background(), CheckOptions{})
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check of an imported vault: %v %+v", err, rep)
	}
	// Delete a case's key and revisions directly: its postings (in groups)
	// and summary become stale.
	ids, _ := v.CaseIDs()
	gone := ids[len(ids)/2]
	if err := v.commit(func(c *change) error {
		c.del(caseKeyKey(gone))
		c.audit("test.tamper", nil, nil)
		return c.deletePrefix(revisionPrefix(gone))
	}); err != nil {
		t.Fatal(err)
	}
	rep, err = v.Check(context.Background(), CheckOptions{Repair: true})
	if err != nil || len(rep.Problems) == 0 {
		t.Fatalf("check found nothing: %v %+v", err, rep)
	}
	rep, err = v.Check(context.Background(), CheckOptions{})
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("after repair: %v %+v", err, rep)
	}
	g := casegen.New(13)
	for range 40 {
		doc := g.Case()
		native := doc["person"].(map[string]any)["name_native"].(string)
		hits, err := v.Search(native)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if h.ID == gone.String() {
				t.Fatalf("removed case still found by %q", native)
			}
		}
	}
}
