package vault

import (
	"errors"
	"testing"
)

// An update based on an older revision is refused in the write's own
// transaction when it would undo what changed since, with those fields;
// one that keeps them, or is based on the current revision, is stored.
func TestUpdateStaleBase(t *testing.T) {
	_, v := coreInit(t, true)
	defer v.Close()
	id := coreAdd(t, v, "person:\n  name: Ivan Petrov\n  region: Omsk\nstatus: pretrial\n")
	if _, err := v.UpdateCase(id, coreCase(t, "person:\n  name: Ivan Petrov\n  region: Tomsk\nstatus: pretrial\nnotes: 'Beta: visit'\n")); err != nil {
		t.Fatal(err)
	}
	base := uint32(1)
	_, err := v.UpdateCaseWith(id, coreCase(t, "person:\n  name: Ivan S. Petrov\n  region: Omsk\nstatus: pretrial\n"), AddOptions{Base: &base})
	var se *StaleError
	if !errors.As(err, &se) || se.Base != 1 || se.Current != 2 || len(se.Undone) != 2 ||
		se.Undone[0].Path != "notes" || se.Undone[0].Kind != ChangeRemoved ||
		se.Undone[1].Path != "person.region" || se.Undone[1].Old != "Tomsk" || se.Undone[1].New != "Omsk" {
		t.Fatalf("stale update: %v %+v", err, se)
	}
	if cur, _ := v.Case(id); cur.Rev != 2 {
		t.Fatalf("a refused update stored revision %d", cur.Rev)
	}
	// keeps the changes since revision 1 and changes the name: stored
	rev, err := v.UpdateCaseWith(id, coreCase(t, "person:\n  name: Ivan S. Petrov\n  region: Tomsk\nstatus: pretrial\nnotes: 'Beta: visit'\n"), AddOptions{Base: &base})
	if err != nil || rev.Rev != 3 {
		t.Fatalf("merged update: %v", err)
	}
	// a base the case never reached
	future := uint32(9)
	if _, err := v.UpdateCaseWith(id, coreCase(t, "person:\n  name: X\n"), AddOptions{Base: &future}); !errors.As(err, &se) {
		t.Fatalf("future base: %v", err)
	}
	// the current base, and no base: stored
	cur := uint32(3)
	if _, err := v.UpdateCaseWith(id, coreCase(t, "person:\n  name: X\n"), AddOptions{Base: &cur}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.UpdateCase(id, coreCase(t, "person:\n  name: Y\n")); err != nil {
		t.Fatal(err)
	}
	d, err := v.DiffRevisions(id, 4, 5)
	if err != nil || len(d) != 1 || d[0].Path != "person.name" || d[0].Old != "X" || d[0].New != "Y" {
		t.Fatalf("diff 4 5: %+v %v", d, err)
	}
	if _, err := v.DiffRevisions(id, 1, 6); !errors.Is(err, ErrNotFound) {
		t.Fatalf("diff to a missing revision: %v", err)
	}
}
