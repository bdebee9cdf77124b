package ids

import (
	"errors"
	"testing"
)

func TestRoundTripAndKinds(t *testing.T) {
	c, e, b := NewCaseID(), NewEvidenceID(), NewBundleID()
	if got, err := ParseCaseID(c.String()); err != nil || got != c {
		t.Fatalf("case %s: %v, %v", c, got, err)
	}
	if got, err := ParseEvidenceID(" " + e.String() + "\n"); err != nil || got != e {
		t.Fatalf("evidence %s: %v, %v", e, got, err)
	}
	if got, err := ParseBundleID(b.String()); err != nil || got != b {
		t.Fatalf("bundle %s: %v, %v", b, got, err)
	}
	// An ID of one kind is not accepted as another.
	var inv *InvalidIDError
	if _, err := ParseCaseID(e.String()); !errors.As(err, &inv) || inv.Kind != "case" {
		t.Fatalf("evidence ID parsed as a case ID: %v", err)
	}
	for _, s := range []string{"", "c", "c" + "aaaaaaaaaaaaaaa1", "C" + c.String()[1:], c.String() + "a"} {
		if _, err := ParseCaseID(s); err == nil {
			t.Errorf("ParseCaseID(%q) accepted", s)
		}
	}
	if len(e.Bytes()) != Len {
		t.Fatalf("Bytes: %d bytes", len(e.Bytes()))
	}
}
