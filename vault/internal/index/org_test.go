package index

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestOrgTokenFoldsLikeEqualFold: two organisation names have the same
// token exactly when strings.EqualFold takes them (trimmed) as equal, so
// the token lookup finds every case the --org filter matches, and no
// other.
func TestOrgTokenFoldsLikeEqualFold(t *testing.T) {
	for _, p := range [][2]string{
		{"Beta Rights", "beta rights"}, {" BETA RIGHTS ", "Beta Rights"}, {"Мемориал", "МЕМОРИАЛ"},
		{"Straße", "STRAßE"}, {"ſigma", "Sigma"}, {"Kelvin", "\u212aelvin"},
	} {
		if OrgToken(p[0]) != OrgToken(p[1]) {
			t.Errorf("%q and %q: tokens %q and %q differ", p[0], p[1], OrgToken(p[0]), OrgToken(p[1]))
		}
	}
	if OrgToken("Beta Rights") == OrgToken("Beta Right") || OrgToken("Alpha") == OrgToken("Alpha2") {
		t.Error("different names share a token")
	}
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.StringMatching(`[ a-zA-Zа-яА-ЯёЁßſK\x{212a}]{0,8}`).Draw(t, "a")
		b := rapid.OneOf(rapid.Just(strings.ToUpper(a)), rapid.Just(strings.ToLower(a)),
			rapid.StringMatching(`[ a-zA-Zа-яА-ЯёЁßſK\x{212a}]{0,8}`)).Draw(t, "b")
		eq := strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
		if same := OrgToken(a) == OrgToken(b); same != eq {
			t.Fatalf("%q, %q: same token %v, EqualFold %v", a, b, same, eq)
		}
	})
	tf := TokenFields{}
	tf.AddOrg("  ")
	if len(tf) != 0 {
		t.Errorf("a case of ours got tokens %v", tf)
	}
	tf.AddOrg("Beta Rights")
	if !hasToken(tf, OrgToken("beta rights")) {
		t.Errorf("no org token in %v", tf)
	}
}
