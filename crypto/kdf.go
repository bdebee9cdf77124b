package crypto

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
)

// DeriveKey derives a subkey of master for one purpose, named by label, with
// HKDF-SHA-256. Distinct labels give independent keys.
func DeriveKey(master Key, label string) Key {
	b, err := hkdf.Key(sha256.New, master[:], nil, "casevault v1 "+label, KeySize)
	if err != nil {
		panic(err) // unreachable: the output length is fixed and small
	}
	var k Key
	copy(k[:], b)
	return k
}

// MAC returns HMAC-SHA-256 of msg under key. It blinds values (such as
// search tokens) that are used as store keys.
func MAC(key Key, msg []byte) []byte {
	m := hmac.New(sha256.New, key[:])
	m.Write(msg)
	return m.Sum(nil)
}
