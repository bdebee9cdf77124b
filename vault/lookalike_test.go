package vault

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// A witness signed by one partner's key whose holder names another
// partner (or looks like it) is an impostor; the right name (in any case
// or spacing) is fine.
func TestCheckWitnessHolder(t *testing.T) {
	orgs := []Org{{Name: "Beta Rights"}, {Name: "Gamma Watch"}}
	var wie *WitnessImpostorError
	for _, c := range []struct {
		holder, keyOrg string
		bad            bool
	}{
		{"Beta Rights", "Beta Rights", false},
		{"beta  rights", "Beta Rights", false},
		{"Gamma Watch", "Beta Rights", true},
		{"G\u0430mma Watch", "Beta Rights", true}, // Cyrillic а
		{"Beta Rights", "", true},
		{"Beta\u200bRights", "", true}, // "BetaRights": joined words look the same (issue 11, 05)
		{"Beta\u200b Rights", "", true},
		{"Alpha Defence", "Gamma Watch", true}, // our own name
		{"Somebody Else", "", false},
	} {
		err := checkWitnessHolder(c.holder, c.keyOrg, "Alpha Defence", orgs)
		if got := errors.As(err, &wie); got != c.bad {
			t.Errorf("holder %q signed by %q: %v, want impostor %v", c.holder, c.keyOrg, err, c.bad)
		}
	}
}

// A vault of an earlier version may already hold two lookalike partners:
// sharing with or exporting to either name is refused as ambiguous.
func TestShareWithLookalikeOrgRefused(t *testing.T) {
	a, _ := partners(t)
	evil := Org{Name: "B\u0435ta Rights", Recipient: "age1x", VerifyKey: make([]byte, 32), Fingerprint: "x"}
	err := a.commit(func(c *change) error {
		c.audit("org.add", []string{evil.Name}, nil)
		return c.putJSON(orgKey(a.orgMAC(evil.Name)), a.keys.sys, &evil)
	})
	if err != nil {
		t.Fatal(err)
	}
	id := addCaseText(t, a, fullCase)
	var le *OrgLookalikeError
	for _, name := range []string{"Beta Rights", evil.Name} {
		if _, err := a.ShareCase(id, name, nil); !errors.As(err, &le) || !le.Ambiguous || !strings.Contains(err.Error(), "ambiguous") {
			t.Errorf("ShareCase(%q) = %v, want refused as ambiguous", name, err)
		}
	}
	if _, err := a.ExportBundle(context.Background(), ExportBundleOptions{To: "Beta Rights", Out: t.TempDir() + "/b.cvb"}); !errors.As(err, &le) {
		t.Errorf("ExportBundle to an ambiguous name = %v", err)
	}
}
