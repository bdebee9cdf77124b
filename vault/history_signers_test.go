package vault

import (
	"slices"
	"testing"
)

// A revision's Author is the declared label; RevisionSigners names the key
// that signed its audit entry: a member who declares "owner" is still the
// member, and a revision written again with the same content (same hash)
// is matched to its own entry.
func TestRevisionSigners(t *testing.T) {
	dir, v := coreInit(t, true)
	anna, card := staffIdentity(t, "Anna", true)
	if _, err := v.AddStaff(card, false); err != nil {
		t.Fatal(err)
	}
	id := coreAdd(t, v, coreIvan)
	v.Close()
	sv, err := Open(dir, Unlock{Identity: anna}, Options{Author: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sv.UpdateCase(id, coreCase(t, coreIvan+"notes: changed\n")); err != nil {
		t.Fatal(err)
	}
	sv.Close()
	ov := coreOpen(t, dir)
	if _, err := ov.UpdateCase(id, coreCase(t, coreIvan)); err != nil {
		t.Fatal(err)
	}
	revs, err := ov.History(id)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ov.RevisionSigners(id, revs)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"owner", "Anna", "owner"}; !slices.Equal(got, want) || revs[1].Author != "owner" {
		t.Fatalf("signers %q (author of rev 2 %q), want %q", got, revs[1].Author, want)
	}
}
