package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"filippo.io/age"
)

// newOrgVault makes a vault for organisation org, adopting identity when it
// is not nil.
func newOrgVault(t testing.TB, org string, identity []byte) *Vault {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "vault")
	v, err := Init(dir, InitOptions{Org: org, Classic: identity == nil, Identity: identity, Passphrase: testPass, Options: Options{Author: "tester"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

func TestCardRoundTrip(t *testing.T) {
	v := newOrgVault(t, "Мемориал Defence", nil)
	data, err := v.Card()
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCard(data)
	if err != nil {
		t.Fatalf("own card does not parse: %v\n%s", err, data)
	}
	if c.Org != "Мемориал Defence" || c.Recipient != v.Meta().Recipient || !bytes.Equal(c.VerifyKey, v.Identity().VerifyKey()) {
		t.Errorf("card = %+v", c)
	}
	if !regexp.MustCompile(`^([a-z2-7]{4} ){7}[a-z2-7]{4}$`).MatchString(c.Fingerprint) {
		t.Errorf("fingerprint %q is not 8 groups of 4", c.Fingerprint)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil || m["type"] != "casevault-org-card" || m["version"] != 1.0 {
		t.Errorf("card JSON = %s", data)
	}
}

// TestCardFromAgeKeygen adopts identities as age-keygen makes them, classic
// and post-quantum, and checks that their cards verify.
func TestCardFromAgeKeygen(t *testing.T) {
	classic, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	pq, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	for name, id := range map[string]string{"classic": classic.String(), "pq": pq.String()} {
		t.Run(name, func(t *testing.T) {
			file := "# created: 2026-11-26T10:00:00Z\n# public key: x\n" + id + "\n"
			v := newOrgVault(t, "Keygen Org", []byte(file))
			data, err := v.Card()
			if err != nil {
				t.Fatal(err)
			}
			c, err := ParseCard(data)
			if err != nil {
				t.Fatal(err)
			}
			wantPrefix := "age1"
			if name == "pq" {
				wantPrefix = "age1pq1"
			}
			if !strings.HasPrefix(c.Recipient, wantPrefix) {
				t.Errorf("recipient %q", c.Recipient)
			}
		})
	}
}

func TestCardTampered(t *testing.T) {
	v := newOrgVault(t, "Honest Org", nil)
	other := newOrgVault(t, "Other Org", nil)
	data, err := v.Card()
	if err != nil {
		t.Fatal(err)
	}
	var cj cardJSON
	if err := json.Unmarshal(data, &cj); err != nil {
		t.Fatal(err)
	}
	otherCard, _ := other.Card()
	var ocj cardJSON
	json.Unmarshal(otherCard, &ocj)
	mutate := map[string]func(c *cardJSON){
		"org":        func(c *cardJSON) { c.Org = "Evil Org" },
		"recipient":  func(c *cardJSON) { c.Recipient = ocj.Recipient },
		"verify key": func(c *cardJSON) { c.VerifyKey = ocj.VerifyKey },
		"keys and fp": func(c *cardJSON) {
			c.Recipient, c.VerifyKey, c.Fingerprint = ocj.Recipient, ocj.VerifyKey, ocj.Fingerprint
		},
		"fingerprint": func(c *cardJSON) { c.Fingerprint = ocj.Fingerprint },
		"sig":         func(c *cardJSON) { c.Sig = ocj.Sig },
		"type":        func(c *cardJSON) { c.Type = "something" },
		"version":     func(c *cardJSON) { c.Version = 2 },
	}
	for name, f := range mutate {
		c := cj
		f(&c)
		b, _ := json.Marshal(c)
		if _, err := ParseCard(b); err == nil {
			t.Errorf("%s: tampered card accepted", name)
		}
	}
	// every single byte flip is caught
	for i := range data {
		b := bytes.Clone(data)
		b[i] ^= 0x01
		if c, err := ParseCard(b); err == nil && (c.Org != "Honest Org" || c.Recipient != cj.Recipient) {
			t.Fatalf("flip at %d accepted with changed content", i)
		}
	}
	if _, err := ParseCard(bytes.Repeat([]byte(" "), MaxCardSize+1)); !errors.Is(err, ErrBadCard) {
		t.Errorf("oversized card: %v", err)
	}
	if _, err := ParseCard(append(bytes.Clone(data), '{', '}')); err == nil {
		t.Error("trailing data accepted")
	}
}

// TestOrgNameRefusesBidiOverrides: a name with characters that reorder
// the text on the screen could pass for another organisation's name.
func TestOrgNameRefusesBidiOverrides(t *testing.T) {
	for _, name := range []string{"Beta \u202estfiR", "Alpha\u2066 Rights\u2069", "\u202aBeta"} {
		if err := CheckOrgName(name); err == nil {
			t.Errorf("CheckOrgName(%q) accepted", name)
		}
	}
	for _, name := range []string{"Beta Rights", "Мемориал", "منظمة حقوق", "ארגון זכויות"} {
		if err := CheckOrgName(name); err != nil {
			t.Errorf("CheckOrgName(%q): %v", name, err)
		}
	}
}
