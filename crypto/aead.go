package crypto

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// KeySize is the size in bytes of every symmetric key in casevault.
const KeySize = 32

// A Key is a 256-bit symmetric key.
type Key [KeySize]byte

// sealVersion is the first byte of every sealed record.
const sealVersion = 0x01

// SealOverhead is how many bytes [Seal] adds to a plaintext.
const SealOverhead = 1 + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

// ErrTampered is returned by [Open] when a sealed record fails
// authentication: it was altered, truncated, moved to another place, or
// sealed under another key.
var ErrTampered = errors.New("record failed authentication (altered, moved or sealed under another key)")

// NewKey returns a fresh random key.
func NewKey() Key {
	var k Key
	if _, err := rand.Read(k[:]); err != nil {
		panic("casevault: crypto/rand failed: " + err.Error())
	}
	return k
}

// Seal encrypts and authenticates plaintext with XChaCha20-Poly1305 under
// key, binding it to ad. The result is version || nonce || ciphertext || tag.
func Seal(key Key, plaintext, ad []byte) []byte {
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		panic(err) // unreachable: the key size is fixed
	}
	out := make([]byte, 1+chacha20poly1305.NonceSizeX, SealOverhead+len(plaintext))
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		panic("casevault: crypto/rand failed: " + err.Error())
	}
	return aead.Seal(out, out[1:], plaintext, ad)
}

// Open authenticates and decrypts a record made by [Seal] with the same key
// and additional data. Any mismatch returns [ErrTampered].
func Open(key Key, sealed, ad []byte) ([]byte, error) {
	return OpenAppend(nil, key, sealed, ad)
}

// WrapKey seals a key under a key-encryption key, bound to ad.
func WrapKey(kek, k Key, ad []byte) []byte { return Seal(kek, k[:], ad) }

// UnwrapKey opens a key sealed by [WrapKey].
func UnwrapKey(kek Key, wrapped, ad []byte) (Key, error) {
	var k Key
	pt, err := Open(kek, wrapped, ad)
	if err != nil {
		return k, err
	}
	if len(pt) != KeySize {
		return k, fmt.Errorf("%w: wrapped key has %d bytes", ErrTampered, len(pt))
	}
	copy(k[:], pt)
	return k, nil
}

// Equal reports whether a and b are equal, in time independent of their
// contents. Use it for every comparison of secrets or authenticators.
func Equal(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }

// Wipe overwrites b with zeros. It is best effort: Go may have copied the
// bytes elsewhere.
func Wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
