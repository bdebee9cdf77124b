package vault

import (
	"errors"
	"testing"
)

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"beta", "beta", 0}, {"beta", "betta", 1}, {"beta rights", "beta rigths", 2}, {"", "abc", 3}, {"мемориал", "мемориол", 1}} {
		if d := editDistance(tc.a, tc.b); d != tc.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, d, tc.d)
		}
	}
}

func TestResolveOrg(t *testing.T) {
	_, a := audVault(t, "Alpha Defence")
	_, b := audVault(t, "Beta Rights")
	data, err := b.Card()
	if err != nil {
		t.Fatal(err)
	}
	card, err := ParseCard(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddOrg(card); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"Beta Rights", "beta rights", "BETA  RIGHTS", " Beta Rights "} {
		if got, err := a.ResolveOrg(in); err != nil || got != "Beta Rights" {
			t.Errorf("ResolveOrg(%q) = %q, %v", in, got, err)
		}
	}
	var ue *UnknownOrgError
	if _, err := a.ResolveOrg("Beta Rigths"); !errors.As(err, &ue) || ue.Suggestion != "Beta Rights" || !errors.Is(err, ErrNotFound) {
		t.Errorf("misspelt: %v", err)
	}
	if _, err := a.ResolveOrg("Memorial"); !errors.As(err, &ue) || ue.Suggestion != "" {
		t.Errorf("unrelated name: %v (a suggestion would be a false alarm)", err)
	}
}
