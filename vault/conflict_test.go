package vault

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/internal/store"
)

// importOK imports a bundle and returns the result of its only case.
func importOne(t *testing.T, v *Vault, file string) BundleCase {
	t.Helper()
	res, err := v.ImportBundle(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	if res.AlreadyImported || len(res.Cases) != 1 {
		t.Fatalf("import: %+v", res)
	}
	return res.Cases[0]
}

func mustUpdate(t *testing.T, v *Vault, id CaseID, text string) {
	t.Helper()
	if _, err := v.UpdateCase(id, coreCase(t, text)); err != nil {
		t.Fatal(err)
	}
}

// TestBundleConflictNoLostWrite: a partner's newer version of a case
// edited here is kept as a conflict revision, the local one stays current;
// the same or an older bundle changes nothing; resolving stores a new
// revision, is audited and clears the conflict.
func TestBundleConflictNoLostWrite(t *testing.T) {
	a, b := partners(t)
	x := addCaseText(t, a, "person: {name: Ivan Petrov, region: Omsk}\nstatus: pretrial\n")
	if _, err := a.ShareCase(x, "Beta Rights", nil); err != nil {
		t.Fatal(err)
	}
	e1 := exportTo(t, a, "Beta Rights")
	e1again := exportTo(t, a, "Beta Rights")
	e1late := exportTo(t, a, "Beta Rights") // replayed after a newer one
	bc := importOne(t, b, e1)
	y, _ := ParseCaseID(bc.Case)
	if got := importOne(t, b, e1again); got.Result != ImportUnchanged {
		t.Fatalf("the same version again: %q, want unchanged", got.Result)
	}
	mustUpdate(t, b, y, "person: {name: Ivan Petrov, region: Omsk}\nstatus: pretrial\nnotes: Beta's visit\n")
	mustUpdate(t, a, x, "person: {name: Ivan Petrov, region: Tomsk}\nstatus: pretrial\n")
	e2 := exportTo(t, a, "Beta Rights")
	got := importOne(t, b, e2)
	if got.Result != ImportConflict || got.Conflict != 1 {
		t.Fatalf("partner's newer version over a local edit: %+v, want a conflict", got)
	}
	cur, err := b.Case(y)
	if err != nil {
		t.Fatal(err)
	}
	if cur.Rev != 2 || !strings.Contains(string(cur.Doc), "Beta's visit") {
		t.Fatalf("the local edit is not current: rev %d %s", cur.Rev, cur.Doc)
	}
	cfs, err := b.Conflicts(y)
	if err != nil || len(cfs) != 1 || !strings.Contains(string(cfs[0].Theirs), "Tomsk") || cfs[0].BaseRev != 1 || cfs[0].Org != "Alpha Defence" {
		t.Fatalf("conflicts: %+v %v", cfs, err)
	}
	// Repeats and older versions change nothing.
	before := storeDump(t, b)
	if res, err := b.ImportBundle(context.Background(), e2); err != nil || !res.AlreadyImported {
		t.Fatalf("same bundle again: %+v %v", res, err)
	}
	if storeDump(t, b) != before {
		t.Fatal("importing the same bundle again changed the vault")
	}
	// An old bundle arriving late: the version we had from them.
	if got := importOne(t, b, e1late); got.Result != ImportUnchanged {
		t.Fatalf("old bundle after a newer one: %q, want unchanged", got.Result)
	}
	if cur, _ := b.Case(y); cur.Rev != 2 {
		t.Fatalf("old bundle changed the case: rev %d", cur.Rev)
	}
	if cfs, _ := b.Conflicts(y); len(cfs) != 1 || !strings.Contains(string(cfs[0].Theirs), "Tomsk") {
		t.Fatalf("old bundle changed the conflict: %+v", cfs)
	}
	// Three-way view.
	view, err := b.ViewConflict(y, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(view.LocalChanges) != 1 || view.LocalChanges[0].Path != "notes" || len(view.TheirChanges) != 1 || view.TheirChanges[0].Path != "person.region" {
		t.Fatalf("view: local %+v theirs %+v", view.LocalChanges, view.TheirChanges)
	}
	// A decision made on a revision that is no longer current is refused.
	mustUpdate(t, b, y, "person: {name: Ivan Petrov, region: Omsk}\nstatus: pretrial\nnotes: Beta's second visit\n")
	_, _, err = b.ResolveConflict(y, ResolveOptions{Take: TakeTheirs, LocalRev: view.LocalRev, SHA256: view.Conflict.SHA256})
	var se *StaleError
	if !errors.As(err, &se) {
		t.Fatalf("stale decision: %v, want a StaleError", err)
	}
	rev, cf, err := b.ResolveConflict(y, ResolveOptions{Take: TakeTheirs})
	if err != nil {
		t.Fatal(err)
	}
	if rev.Rev != 4 || rev.Op != OpCaseResolve || !strings.Contains(string(rev.Doc), "Tomsk") || cf.Seq != 1 {
		t.Fatalf("resolved: rev %d op %s %s", rev.Rev, rev.Op, rev.Doc)
	}
	if cfs, err := b.Conflicts(y); err != nil || len(cfs) != 0 {
		t.Fatalf("after resolve: %d conflicts, %v", len(cfs), err)
	}
	found := false
	if err := b.AuditLog(AuditFilter{}, func(e AuditEntry) error {
		found = found || (e.Op == OpCaseResolve && len(e.Targets) > 0 && e.Targets[0] == y.String())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatal("no case.resolve audit entry")
	}
	// The partner's next version goes straight in: it is based on the one
	// taken.
	mustUpdate(t, a, x, "person: {name: Ivan Petrov, region: Kazan}\nstatus: pretrial\n")
	if got := importOne(t, b, exportTo(t, a, "Beta Rights")); got.Result != ImportUpdated {
		t.Fatalf("next version after resolving: %q", got.Result)
	}
}

// TestConflictRecordsBoundAndPurged: a conflict revision opens only under
// its own key (moved to another case it fails), survives rekey, and goes
// with its case in purge and rm.
func TestConflictRecordsBoundAndPurged(t *testing.T) {
	_, v := audVault(t, "Alpha Defence")
	c1, err := v.AddCase(audCase(t, "Ivan Petrov"))
	if err != nil {
		t.Fatal(err)
	}
	c2, err := v.AddCase(audCase(t, "Olga Smirnova"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.RecordConflict(c1, ConflictInput{Source: "laptop 2", Doc: audCase(t, "Ivan P.")}); err != nil {
		t.Fatal(err)
	}
	// The same document again: nothing new.
	if _, err := v.RecordConflict(c1, ConflictInput{Source: "laptop 2", Doc: audCase(t, "Ivan P.")}); err != nil {
		t.Fatal(err)
	}
	if cfs, _ := v.Conflicts(c1); len(cfs) != 1 {
		t.Fatalf("%d conflicts, want 1", len(cfs))
	}
	if _, err := v.Rekey(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfs, err := v.Conflicts(c1)
	if err != nil || len(cfs) != 1 || cfs[0].Source != "laptop 2" {
		t.Fatalf("after rekey: %+v %v", cfs, err)
	}
	// Moved to another case: refused.
	coreSetRaw(t, v, conflictKey(c2, 1), coreRaw(t, v, conflictKey(c1, 1)))
	if _, err := v.Conflicts(c2); err == nil {
		t.Fatal("a conflict record moved to another case opened")
	}
	if err := v.db.Update(func(txn *store.Txn) error { return txn.Delete(conflictKey(c2, 1)) }); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Purge(context.Background(), c1); err != nil {
		t.Fatal(err)
	}
	if n := len(coreKeys(t, v, conflictPrefix(c1))); n != 0 {
		t.Fatalf("%d conflict records of the purged case left", n)
	}
	if _, _, err := v.ResolveConflict(c1, ResolveOptions{Take: TakeLocal}); !IsNotFound(err) {
		t.Fatalf("resolve after purge: %v, want not found", err)
	}
	if _, err := v.RecordConflict(c2, ConflictInput{Source: "laptop 2", Doc: audCase(t, "Olga S.")}); err != nil {
		t.Fatal(err)
	}
	if err := v.RemoveCase(c2); err != nil {
		t.Fatal(err)
	}
	if n := len(coreKeys(t, v, conflictPrefix(c2))); n != 0 {
		t.Fatalf("%d conflict records of the removed case left", n)
	}
	rep, err := v.Check(context.Background(), CheckOptions{})
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check: %+v %v", rep, err)
	}
}
