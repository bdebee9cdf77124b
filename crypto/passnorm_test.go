package crypto

import (
	"errors"
	"testing"

	"filippo.io/age"
)

// Passphrases are sealed in Unicode NFC and tried as typed, then in NFC
// (issue 11, attack 04): "Мемориал-й" typed with a decomposed й (и +
// U+0306) opens a file sealed with the composed one, and a file sealed
// before normalisation (with the decomposed form) still opens as typed.
func TestPassphraseUnicodeNormalisation(t *testing.T) {
	nfc := []byte("correct horse пароль й café")
	nfd := []byte("correct horse пароль и\u0306 cafe\u0301")
	ct, err := EncryptWithPassphrase([]byte("secret"), nfc)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][]byte{nfc, nfd} {
		if pt, err := DecryptWithPassphrase(ct, p, 100); err != nil || string(pt) != "secret" {
			t.Errorf("%q: %q, %v", p, pt, err)
		}
	}
	// typed in NFD, sealed in NFC too
	ct2, err := EncryptWithPassphrase([]byte("secret"), nfd)
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := DecryptWithPassphrase(ct2, nfc, 100); err != nil || string(pt) != "secret" {
		t.Errorf("NFD sealed, NFC typed: %q, %v", pt, err)
	}
	// an old file sealed with the decomposed form as typed still opens
	r, err := age.NewScryptRecipient(string(nfd))
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkFactor(10)
	old, err := EncryptToRecipients([]byte("secret"), r)
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := DecryptWithPassphrase(old, nfd, 100); err != nil || string(pt) != "secret" {
		t.Errorf("old NFD file: %q, %v", pt, err)
	}
	if _, err := DecryptWithPassphrase(ct, []byte("correct horse пароль и café"), 100); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("a different passphrase: %v", err)
	}
}
