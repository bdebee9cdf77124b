package crypto

import (
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// OpenAppend opens a record sealed by [Seal] as [Open] does, appending the
// plaintext to dst and returning the extended slice: a reader of many
// records reuses one buffer. On failure it returns [ErrTampered] and dst's
// contents past len(dst) are undefined.
func OpenAppend(dst []byte, key Key, sealed, ad []byte) ([]byte, error) {
	if len(sealed) < SealOverhead {
		return dst, fmt.Errorf("%w: %d bytes is too short", ErrTampered, len(sealed))
	}
	if sealed[0] != sealVersion {
		return dst, fmt.Errorf("%w: unknown record version %d", ErrTampered, sealed[0])
	}
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		panic(err) // unreachable: the key size is fixed
	}
	nonce := sealed[1 : 1+chacha20poly1305.NonceSizeX]
	out, err := aead.Open(dst, nonce, sealed[1+chacha20poly1305.NonceSizeX:], ad)
	if err != nil {
		return dst, ErrTampered
	}
	return out, nil
}
