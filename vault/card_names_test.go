package vault

import (
	"crypto/ed25519"
	"testing"

	"github.com/casevault/casevault/vault/internal/cardfmt"
)

// cardJSON is the wire form of a card, which the tests here alter.
type cardJSON = cardfmt.JSON

func cardSignedBytes(version int, org, recipient string, vk ed25519.PublicKey, fp string) []byte {
	return cardfmt.Signed(version, org, recipient, vk, fp)
}

// The card codec's JSON bounds are the vault's.
func TestCardCodecLimits(t *testing.T) {
	if cardfmt.JSONLimits != jsonLimits {
		t.Fatalf("card codec JSON limits %+v, vault %+v", cardfmt.JSONLimits, jsonLimits)
	}
}
