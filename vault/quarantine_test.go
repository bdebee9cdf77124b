package vault

import (
	"errors"
	"testing"
)

// A quarantined case is reported by IsQuarantined, refused by ShareCase,
// and shareable again after Release.
func TestQuarantineLibrary(t *testing.T) {
	us := newOrgVault(t, "Alpha Defence", nil)
	partner := newOrgVault(t, "Gamma Watch", nil)
	card, _ := partner.Card()
	c, _ := ParseCard(card)
	if _, err := us.AddOrg(c); err != nil {
		t.Fatal(err)
	}
	id := coreAdd(t, us, "schema: case.v1\nperson: {name: Held Back}\n")
	if q, _, err := us.IsQuarantined(id); err != nil || q {
		t.Fatalf("new case quarantined=%v, %v", q, err)
	}
	if err := us.Quarantine([]CaseID{id}, "Beta Rights"); err != nil {
		t.Fatal(err)
	}
	if q, org, err := us.IsQuarantined(id); err != nil || !q || org != "Beta Rights" {
		t.Fatalf("IsQuarantined = %v %q %v", q, org, err)
	}
	var qe *QuarantinedError
	if _, err := us.ShareCase(id, "Gamma Watch", nil); !errors.As(err, &qe) {
		t.Fatalf("ShareCase of a quarantined case: %v", err)
	}
	if was, err := us.Release(id); err != nil || !was {
		t.Fatalf("Release: %v %v", was, err)
	}
	if _, err := us.ShareCase(id, "Gamma Watch", nil); err != nil {
		t.Fatalf("ShareCase after release: %v", err)
	}
}
