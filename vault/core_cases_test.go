package vault

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/schema"
)

func TestAddUpdateHistory(t *testing.T) {
	dir, v := coreInit(t, true)
	id := coreAdd(t, v, coreIvan)
	if !strings.HasPrefix(id.String(), "c") || len(id.String()) != 17 {
		t.Fatalf("case ID %q", id)
	}
	if back, err := ParseCaseID(id.String()); err != nil || back != id {
		t.Fatalf("ParseCaseID(%s) = %v, %v", id, back, err)
	}
	r1, err := v.Case(id)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Rev != 1 || r1.Author != "tester" || r1.Op != "case.add" || r1.CaseID != id.String() {
		t.Fatalf("revision 1: %+v", r1)
	}
	if time.Since(r1.Time) > time.Hour || r1.Time.Location() != time.UTC {
		t.Fatalf("revision time %v", r1.Time)
	}
	c1, _ := r1.Case()
	if c1.Name() != "Ivan Petrov" || c1.Status() != "pretrial" {
		t.Fatalf("case 1: %v", c1.Doc)
	}

	updated := strings.Replace(coreIvan, "status: pretrial", "status: sentenced", 1)
	r2, err := v.UpdateCase(id, coreCase(t, updated))
	if err != nil {
		t.Fatal(err)
	}
	if r2.Rev != 2 || r2.Op != "case.update" || r2.SHA256 == r1.SHA256 {
		t.Fatalf("revision 2: %+v", r2)
	}
	edited := strings.Replace(updated, "Omsk\n", "Omsk region\n", 1)
	if _, err := v.UpdateCaseWith(id, coreCase(t, edited), AddOptions{Op: "case.edit"}); err != nil {
		t.Fatal(err)
	}

	v.Close()
	v = coreOpen(t, dir)
	cur, err := v.Case(id)
	if err != nil {
		t.Fatal(err)
	}
	if cur.Rev != 3 || cur.Op != "case.edit" {
		t.Fatalf("current: rev %d op %s", cur.Rev, cur.Op)
	}
	hist, err := v.History(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 {
		t.Fatalf("%d revisions", len(hist))
	}
	for i, r := range hist {
		if r.Rev != uint32(i+1) {
			t.Fatalf("history[%d].Rev = %d", i, r.Rev)
		}
	}
	// Old revisions stay readable, unchanged.
	old, err := v.CaseRevision(id, 1)
	if err != nil {
		t.Fatal(err)
	}
	if old.SHA256 != r1.SHA256 || !bytes.Equal(old.Doc, r1.Doc) {
		t.Fatal("revision 1 changed")
	}
	oc, _ := old.Case()
	if oc.Status() != "pretrial" {
		t.Fatalf("revision 1 status %q", oc.Status())
	}
	if _, err := v.CaseRevision(id, 4); !IsNotFound(err) {
		t.Fatalf("revision 4: %v, want NotFoundError", err)
	}
	if _, err := v.CaseRevision(id, 0); !IsNotFound(err) {
		t.Fatalf("revision 0: %v, want NotFoundError", err)
	}
	coreVerifyAudit(t, v, 4) // init, add, update, edit
}

func TestUnknownCase(t *testing.T) {
	_, v := coreInit(t, true)
	id := NewCaseID()
	for name, f := range map[string]func() error{
		"Case":         func() error { _, err := v.Case(id); return err },
		"CaseRevision": func() error { _, err := v.CaseRevision(id, 1); return err },
		"History":      func() error { _, err := v.History(id); return err },
		"UpdateCase":   func() error { _, err := v.UpdateCase(id, coreCase(t, coreIvan)); return err },
		"RemoveCase":   func() error { return v.RemoveCase(id) },
	} {
		err := f()
		if !IsNotFound(err) || !strings.Contains(err.Error(), id.String()) {
			t.Errorf("%s of an unknown case: %v", name, err)
		}
	}
	coreVerifyAudit(t, v, 1) // nothing was recorded for the failures
	for _, bad := range []string{"", "c", "cabc", "Caaaaaaaaaaaaaaaa", "caaaaaaaaaaaaaaa1", "eaaaaaaaaaaaaaaaa", "caaaaaaaaaaaaaaaaa"} {
		var inv *InvalidIDError
		if _, err := ParseCaseID(bad); !errors.As(err, &inv) {
			t.Errorf("ParseCaseID(%q) = %v", bad, err)
		}
	}
}

func TestFailedUpdateChangesNothing(t *testing.T) {
	_, v := coreInit(t, true)
	id := coreAdd(t, v, coreIvan)
	head, _ := v.AuditHead()
	withRef := coreIvan + "mistreatment:\n  - date: 2023-01-01\n    kind: [beating]\n    evidence: [eabcdefghijklmnop]\n"
	_, err := v.UpdateCase(id, coreCase(t, withRef))
	var ve *schema.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("update referring to unknown evidence: %v", err)
	}
	if _, err := v.AddCase(coreCase(t, withRef)); !errors.As(err, &ve) {
		t.Fatalf("add referring to unknown evidence: %v", err)
	}
	r, _ := v.Case(id)
	if r.Rev != 1 {
		t.Fatalf("failed update made revision %d", r.Rev)
	}
	if after, _ := v.AuditHead(); after != head {
		t.Fatalf("failed update moved the audit head from %v to %v", head, after)
	}
	if list, _ := v.ListCases(Filter{}); len(list) != 1 {
		t.Fatalf("failed add left a case: %v", list)
	}
}

func coreNames(list []Summary) string {
	var names []string
	for _, s := range list {
		names = append(names, s.Name)
	}
	return strings.Join(names, ",")
}

func TestSearch(t *testing.T) {
	_, v := coreInit(t, true)
	coreAdd(t, v, coreIvan)
	coreAdd(t, v, coreKaraMurza)
	coreAdd(t, v, coreFyodor)
	for _, tc := range []struct{ q, want string }{
		{"кара-мурза", "Vladimir Kara-Murza"},
		{"КАРА-МУРЗА", "Vladimir Kara-Murza"},
		{"Кара-Мурза", "Vladimir Kara-Murza"},
		{"kara-murza", "Vladimir Kara-Murza"},
		{"KARA murza", "Vladimir Kara-Murza"},
		{"владимир", "Vladimir Kara-Murza"},
		{"федор", "Fyodor Sergeyev"}, // ё folded to е
		{"Фёдор", "Fyodor Sergeyev"},
		{"ФЁДОР СЕРГЕЕВ", "Fyodor Sergeyev"},
		{"иван", "Ivan Petrov"},
		{"ИВАН петров", "Ivan Petrov"},
		{"207.3", "Ivan Petrov"},
		{"207", ""},                                 // "207.3" is one token
		{"omsk", "Ivan Petrov,Vladimir Kara-Murza"}, // region, facility
		{"omsk ik-6", "Vladimir Kara-Murza"},        // AND
		{"omsk treason", "Vladimir Kara-Murza"},     // AND across fields
		{"omsk petrov", "Ivan Petrov"},              // AND
		{"omsk tver", ""},                           // AND, no case has both
		{"ivan nobody", ""},                         // one word matches nothing
		{"sizo-1", "Ivan Petrov"},                   // facility
		{"armed forces", "Ivan Petrov"},             // charge title
		{"пётр", ""},                                // no partial-word matches
		{"petr", ""},                                // no prefixes
		{"exchanged", "Vladimir Kara-Murza"},        // status is searchable
	} {
		got, err := v.Search(tc.q)
		if err != nil {
			t.Fatalf("Search(%q): %v", tc.q, err)
		}
		if coreNames(got) != tc.want {
			t.Errorf("Search(%q) = %q, want %q", tc.q, coreNames(got), tc.want)
		}
	}
	if _, err := v.Search(" -- ! "); err == nil {
		t.Error("search without letters accepted")
	}
}

func TestListByStatus(t *testing.T) {
	_, v := coreInit(t, true)
	ivan := coreAdd(t, v, coreIvan)
	coreAdd(t, v, coreKaraMurza)
	coreAdd(t, v, coreFyodor)
	all, err := v.ListCases(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if coreNames(all) != "Fyodor Sergeyev,Ivan Petrov,Vladimir Kara-Murza" {
		t.Fatalf("list: %s", coreNames(all))
	}
	for status, want := range map[string]string{
		"pretrial": "Ivan Petrov", "exchanged": "Vladimir Kara-Murza", "sentenced": "Fyodor Sergeyev", "released": "", "nonsense": "",
	} {
		got, err := v.ListCases(Filter{Status: status})
		if err != nil || coreNames(got) != want {
			t.Errorf("ListCases(%q) = %q, %v; want %q", status, coreNames(got), err, want)
		}
	}
	// The status index follows updates.
	if _, err := v.UpdateCase(ivan, coreCase(t, strings.Replace(coreIvan, "status: pretrial", "status: sentenced", 1))); err != nil {
		t.Fatal(err)
	}
	if got, _ := v.ListCases(Filter{Status: "pretrial"}); len(got) != 0 {
		t.Fatalf("pretrial after update: %s", coreNames(got))
	}
	if got, _ := v.ListCases(Filter{Status: "sentenced"}); coreNames(got) != "Fyodor Sergeyev,Ivan Petrov" {
		t.Fatalf("sentenced after update: %s", coreNames(got))
	}
	for _, s := range all {
		if s.Rev != 1 || s.Updated.IsZero() || s.ID == "" {
			t.Fatalf("summary %+v", s)
		}
	}
}

func TestRemoveCase(t *testing.T) {
	_, v := coreInit(t, true)
	ivan := coreAdd(t, v, coreIvan)
	km := coreAdd(t, v, coreKaraMurza)
	if _, err := v.UpdateCase(ivan, coreCase(t, strings.Replace(coreIvan, "Omsk\n", "Tomsk\n", 1))); err != nil {
		t.Fatal(err)
	}
	postingsBefore := len(coreKeys(t, v, []byte{pPosting}))
	if err := v.RemoveCase(ivan); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Case(ivan); !IsNotFound(err) {
		t.Fatalf("removed case: %v", err)
	}
	if _, err := v.History(ivan); !IsNotFound(err) {
		t.Fatalf("history of removed case: %v", err)
	}
	for _, q := range []string{"ivan", "иван", "207.3", "tomsk", "sizo-1"} {
		if got, _ := v.Search(q); len(got) != 0 {
			t.Errorf("Search(%q) after rm: %s", q, coreNames(got))
		}
	}
	if got, _ := v.Search("omsk"); coreNames(got) != "Vladimir Kara-Murza" {
		t.Errorf("other case lost from the index: %s", coreNames(got))
	}
	if got, _ := v.ListCases(Filter{}); coreNames(got) != "Vladimir Kara-Murza" {
		t.Errorf("list after rm: %s", coreNames(got))
	}
	// No store key of the case is left: key, revisions, summary, postings.
	for _, pfx := range [][]byte{caseKeyKey(ivan), revisionPrefix(ivan), summaryKey(ivan), evidencePrefix(ivan), sharePrefix(ivan)} {
		if ks := coreKeys(t, v, pfx); len(ks) != 0 {
			t.Errorf("%d keys with prefix %q left", len(ks), pfx[:1])
		}
	}
	postings := coreKeys(t, v, []byte{pPosting})
	for _, k := range postings {
		if bytes.HasSuffix(k, ivan[:]) {
			t.Errorf("posting of the removed case left: %x", k)
		}
	}
	if len(postings) >= postingsBefore {
		t.Errorf("%d postings before rm, %d after", postingsBefore, len(postings))
	}
	if ids, _ := v.CaseIDs(); len(ids) != 1 || ids[0] != km {
		t.Errorf("CaseIDs after rm: %v", ids)
	}
	if err := v.RemoveCase(ivan); !IsNotFound(err) {
		t.Errorf("second rm: %v", err)
	}
	coreVerifyAudit(t, v, 5) // init, add, add, update, rm
}

// TestAuditAfterEverything runs every core operation and checks the chain,
// its entries and their targets.
func TestAuditAfterEverything(t *testing.T) {
	dir, v := coreInit(t, false)
	a := coreAdd(t, v, coreIvan)
	b := coreAdd(t, v, coreFyodor)
	v.UpdateCase(a, coreCase(t, coreKaraMurza))
	v.RemoveCase(b)
	v.ChangePassphrase([]byte("new"))
	v.Close()
	v2, err := Open(dir, corePassphrase("new"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v2.Close()
	coreVerifyAudit(t, v2, 6)
	var ops []string
	v2.AuditEntries(func(e AuditEntry) error {
		op := string(e.Op)
		if len(e.Targets) > 0 {
			op += " " + e.Targets[0]
		}
		if e.Actor != "tester" {
			t.Errorf("entry %d actor %q", e.Seq, e.Actor)
		}
		ops = append(ops, op)
		return nil
	})
	want := []string{"vault.init", "case.add " + a.String(), "case.add " + b.String(), "case.update " + a.String(), "case.rm " + b.String(), "passwd"}
	if strings.Join(ops, "|") != strings.Join(want, "|") {
		t.Fatalf("audit ops:\n%q\nwant\n%q", ops, want)
	}
}
