package crypto

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"filippo.io/age"
)

// An Identity is an organisation's secret: an age identity (post-quantum
// hybrid or classic X25519) and the Ed25519 signing key derived from it.
type Identity struct {
	age     age.Identity
	rcpt    age.Recipient
	secret  string
	signing ed25519.PrivateKey
	hybrid  bool
	plugin  bool // an age plugin identity (plugin.go): signing is set by SetSigningSeed
}

// ErrNoIdentity is returned when an identity file holds no usable key.
var ErrNoIdentity = errors.New("no age identity found (expected a line starting with AGE-SECRET-KEY-)")

// GenerateIdentity makes a new identity: post-quantum hybrid by default, or
// classic X25519 when classic is true.
func GenerateIdentity(classic bool) (*Identity, error) {
	if classic {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			return nil, err
		}
		return ParseIdentity([]byte(id.String()))
	}
	id, err := age.GenerateHybridIdentity()
	if err != nil {
		return nil, err
	}
	return ParseIdentity([]byte(id.String()))
}

// ParseIdentity reads the first age identity in an identity file as written
// by age-keygen (comments and blank lines are skipped).
func ParseIdentity(text []byte) (*Identity, error) {
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 0, 8192), 64*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		switch {
		case strings.HasPrefix(line, "AGE-SECRET-KEY-PQ-1"):
			id, err := age.ParseHybridIdentity(line)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", n, err)
			}
			return newIdentity(id, id.Recipient(), line, true), nil
		case strings.HasPrefix(line, "AGE-SECRET-KEY-1"):
			id, err := age.ParseX25519Identity(line)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", n, err)
			}
			return newIdentity(id, id.Recipient(), line, false), nil
		default:
			return nil, fmt.Errorf("line %d: not an age identity (plugin and SSH keys are not supported)", n)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return nil, ErrNoIdentity
}

func newIdentity(id age.Identity, r age.Recipient, secret string, hybrid bool) *Identity {
	seed, err := hkdf.Key(sha256.New, []byte(secret), nil, "casevault v1 ed25519 signing key", ed25519.SeedSize)
	if err != nil {
		panic(err)
	}
	return &Identity{age: id, rcpt: r, secret: secret, signing: ed25519.NewKeyFromSeed(seed), hybrid: hybrid}
}

// String returns the identity in age's text form (a secret).
func (i *Identity) String() string { return i.secret }

// AgeIdentity returns the age identity for decryption.
func (i *Identity) AgeIdentity() age.Identity { return i.age }

// Recipient returns the age recipient (public key) for encryption to this
// identity.
func (i *Identity) Recipient() age.Recipient { return i.rcpt }

// RecipientString returns the recipient in text form (age1… or age1pq1…).
func (i *Identity) RecipientString() string { return fmt.Sprint(i.rcpt) }

// PostQuantum reports whether the identity is an ML-KEM-768 + X25519 hybrid.
func (i *Identity) PostQuantum() bool { return i.hybrid }

// VerifyKey returns the Ed25519 public key that checks this identity's
// signatures.
func (i *Identity) VerifyKey() ed25519.PublicKey {
	if i.signing == nil {
		return nil // a plugin identity before SetSigningSeed
	}
	return i.signing.Public().(ed25519.PublicKey)
}

// Sign signs msg with the identity's Ed25519 key.
func (i *Identity) Sign(msg []byte) []byte { return ed25519.Sign(i.signing, msg) }

// Verify reports whether sig is a valid Ed25519 signature of msg by pub.
func Verify(pub ed25519.PublicKey, msg, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
		return false
	}
	return ed25519.Verify(pub, msg, sig)
}

// ParseRecipient parses an age recipient string (age1… or age1pq1…).
func ParseRecipient(s string) (age.Recipient, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "age1pq1") {
		return age.ParseHybridRecipient(s)
	}
	return age.ParseX25519Recipient(s)
}
