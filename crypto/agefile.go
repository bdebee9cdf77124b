package crypto

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"filippo.io/age"
	"github.com/casevault/casevault/crypto/internal/scryptcost"
	"golang.org/x/text/unicode/norm"
)

// ErrWrongPassphrase is returned when a passphrase does not open a
// passphrase-protected file.
var ErrWrongPassphrase = errors.New("wrong passphrase")

// maxScryptWorkFactor is the highest scrypt cost DecryptWithPassphrase
// accepts: age's default of 22 would let a planted file make casevault
// spend 4 GiB of memory; 20 (1 GiB) leaves room above the factor written.
const maxScryptWorkFactor = 20

// EncryptToRecipients returns plaintext as an age file for the recipients.
func EncryptToRecipients(plaintext []byte, rs ...age.Recipient) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, rs...)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DecryptWithIdentity opens an age file with the identity, reading at most
// limit bytes of plaintext.
func DecryptWithIdentity(ciphertext []byte, id age.Identity, limit int64) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(ciphertext), id)
	if err != nil {
		return nil, err
	}
	return readLimited(r, limit)
}

// EncryptWithPassphrase returns plaintext as a passphrase-protected age file
// (scrypt), which the stock age command can also decrypt.
func EncryptWithPassphrase(plaintext, passphrase []byte) ([]byte, error) {
	if len(passphrase) == 0 {
		return nil, errors.New("empty passphrase")
	}
	r, err := age.NewScryptRecipient(string(NormalizePassphrase(passphrase)))
	if err != nil {
		return nil, err
	}
	// 18 in every released binary; test binaries lower it through
	// crypto/cryptotest, which the casevault command does not import.
	r.SetWorkFactor(scryptcost.WorkFactor)
	return EncryptToRecipients(plaintext, r)
}

// DecryptWithPassphrase opens a file made by [EncryptWithPassphrase]. A
// passphrase that does not match returns [ErrWrongPassphrase].
//
// The passphrase is tried as typed, then (if different) in Unicode NFC,
// the form EncryptWithPassphrase seals with: a keyboard or input method
// that composes "й" differently still opens the file, and a file sealed
// before passphrases were normalised still opens as it was typed then.
func DecryptWithPassphrase(ciphertext, passphrase []byte, limit int64) ([]byte, error) {
	pt, err := decryptWithPassphrase(ciphertext, passphrase, limit)
	if errors.Is(err, ErrWrongPassphrase) {
		if n := NormalizePassphrase(passphrase); !bytes.Equal(n, passphrase) {
			return decryptWithPassphrase(ciphertext, n, limit)
		}
	}
	return pt, err
}

// NormalizePassphrase returns the Unicode NFC form of a passphrase that is
// valid UTF-8, and any other passphrase unchanged.
func NormalizePassphrase(p []byte) []byte {
	if !utf8.Valid(p) || norm.NFC.IsNormal(p) {
		return p
	}
	return norm.NFC.Bytes(p)
}

func decryptWithPassphrase(ciphertext, passphrase []byte, limit int64) ([]byte, error) {
	id, err := age.NewScryptIdentity(string(passphrase))
	if err != nil {
		return nil, err
	}
	id.SetMaxWorkFactor(maxScryptWorkFactor)
	r, err := age.Decrypt(bytes.NewReader(ciphertext), id)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) || errors.Is(err, age.ErrIncorrectIdentity) {
			return nil, ErrWrongPassphrase
		}
		return nil, err
	}
	return readLimited(r, limit)
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("plaintext larger than %d bytes", limit)
	}
	return b, nil
}
