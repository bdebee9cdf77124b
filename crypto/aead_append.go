package crypto

import (
	"golang.org/x/crypto/chacha20poly1305"
)

// OpenAppend is [Open] that appends the plaintext to dst and returns the
// extended slice: a reader of many records reuses one buffer. On failure
// it returns [ErrTampered] and dst's contents past len(dst) are undefined.
func OpenAppend(dst []byte, key Key, sealed, ad []byte) ([]byte, error) {
	if len(sealed) < SealOverhead || sealed[0] != sealVersion {
		_, err := Open(key, sealed, ad) // the same error as Open's
		return dst, err
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
