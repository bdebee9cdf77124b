package vault

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"
)

// One recipient (encryption key) registered under a second organisation
// name is refused (issue 11, attack 05): bundles "to" the new name would
// be readable by the organisation already known by that key.
func TestOrgAddRecipientOfAnotherOrgRefused(t *testing.T) {
	a, b := partners(t)
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	card := &Card{Org: "Quite Different Name", Recipient: b.Meta().Recipient, VerifyKey: pub}
	_, err = a.AddOrg(card)
	if err == nil || !strings.Contains(err.Error(), `already known as organisation "Beta Rights"`) {
		t.Fatalf("AddOrg with Beta's recipient: %v", err)
	}
	orgs, err := a.Orgs(false)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.Name == card.Org {
			t.Fatal("the organisation was added")
		}
	}
}
