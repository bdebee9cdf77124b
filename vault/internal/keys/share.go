package keys

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema/bounds"
	"github.com/casevault/casevault/vault/internal/errs"
)

// MaxShareFile bounds a share file (clear line and age ciphertext).
const MaxShareFile = 64 << 10

// ShareFormat is the "format" of a share payload; ShareLine starts the
// clear first line of a share file.
const (
	ShareFormat   = "casevault-recovery-share"
	ShareLine     = "casevault recovery share v1"
	shareSigLabel = "casevault recovery share v1\n"
)

// Errors of the share parsers.
var (
	ErrBadShare       = errs.New(errs.ErrInvalid, "not a valid recovery share")
	ErrShareSignature = errs.New(errs.ErrDamaged, "recovery share signature does not verify (share altered or forged)")
)

// A ShareTag is what a share file says in the clear, and its payload
// repeats under the organisation's signature.
type ShareTag struct {
	Vault     string    `json:"vault"`
	Split     string    `json:"split"`
	Index     int       `json:"index"`
	Of        int       `json:"of"`
	Threshold int       `json:"threshold"`
	Created   time.Time `json:"created"`
}

// Line returns the clear first line of a share file (without newline).
func (t ShareTag) Line() string {
	return fmt.Sprintf("%s vault=%s split=%s index=%d of=%d threshold=%d created=%s",
		ShareLine, t.Vault, t.Split, t.Index, t.Of, t.Threshold, t.Created.UTC().Format(time.RFC3339))
}

// Check checks the tag's form.
func (t ShareTag) Check() error {
	switch {
	case !isHex(t.Vault, 32):
		return errors.New("vault ID is malformed")
	case !isHex(t.Split, 16):
		return errors.New("split ID is malformed")
	case t.Threshold < 2 || t.Of < t.Threshold || t.Of > 255:
		return fmt.Errorf("threshold %d of %d is impossible", t.Threshold, t.Of)
	case t.Index < 1 || t.Index > t.Of:
		return fmt.Errorf("index %d is not between 1 and %d", t.Index, t.Of)
	}
	return nil
}

func isHex(s string, n int) bool {
	if len(s) != n || strings.ToLower(s) != s {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// A Share is the decrypted payload of a share file.
type Share struct {
	Format string `json:"format"`
	ShareTag
	Trustee          string `json:"trustee"`
	TrusteeRecipient string `json:"trustee_recipient"`
	Org              string `json:"org"`
	OrgRecipient     string `json:"org_recipient"`
	OrgVerifyKey     []byte `json:"org_verify_key"`
	Value            []byte `json:"share"`
	Sig              []byte `json:"sig"`
}

// SignedMessage is what Sig covers: a label and the canonical JSON of the
// share without its signature.
func (s Share) SignedMessage() []byte {
	s.Sig = nil
	b, _ := json.Marshal(s)
	return append([]byte(shareSigLabel), b...)
}

// SplitShareFile separates a share file into its clear tag and the age
// ciphertext, checking the size first.
func SplitShareFile(data []byte) (ShareTag, []byte, error) {
	var t ShareTag
	if len(data) > MaxShareFile {
		return t, nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrBadShare, len(data), MaxShareFile)
	}
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 || nl > 512 {
		return t, nil, fmt.Errorf("%w: no share line", ErrBadShare)
	}
	line := string(data[:nl])
	rest := strings.TrimPrefix(line, ShareLine+" ")
	if rest == line {
		return t, nil, fmt.Errorf("%w: the first line is not %q", ErrBadShare, ShareLine)
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(rest))
	sc.Split(bufio.ScanWords)
	for sc.Scan() {
		k, val, ok := strings.Cut(sc.Text(), "=")
		if !ok || seen[k] {
			return t, nil, fmt.Errorf("%w: malformed share line", ErrBadShare)
		}
		seen[k] = true
		var err error
		switch k {
		case "vault":
			t.Vault = val
		case "split":
			t.Split = val
		case "index":
			t.Index, err = strconv.Atoi(val)
		case "of":
			t.Of, err = strconv.Atoi(val)
		case "threshold":
			t.Threshold, err = strconv.Atoi(val)
		case "created":
			t.Created, err = time.Parse(time.RFC3339, val)
		default:
			err = fmt.Errorf("unknown field %q", k)
		}
		if err != nil {
			return t, nil, fmt.Errorf("%w: share line: %v", ErrBadShare, err)
		}
	}
	if len(seen) != 6 {
		return t, nil, fmt.Errorf("%w: the share line lacks fields", ErrBadShare)
	}
	if err := t.Check(); err != nil {
		return t, nil, fmt.Errorf("%w: %v", ErrBadShare, err)
	}
	if t.Line() != line {
		return t, nil, fmt.Errorf("%w: share line is not in canonical form", ErrBadShare)
	}
	return t, data[nl+1:], nil
}

// ParseShare decodes a decrypted share payload, checks that it repeats
// the clear tag, and verifies the organisation's signature with the key it
// names (the caller compares that key across shares and with the result).
func ParseShare(data []byte, tag ShareTag) (*Share, error) {
	if len(data) > MaxShareFile {
		return nil, fmt.Errorf("%w: payload too large", ErrBadShare)
	}
	var s Share
	if err := bounds.DecodeStrict(data, bounds.Wire, &s); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadShare, err)
	}
	switch {
	case s.Format != ShareFormat:
		return nil, fmt.Errorf("%w: format %q", ErrBadShare, s.Format)
	case len(s.OrgVerifyKey) != ed25519.PublicKeySize:
		return nil, fmt.Errorf("%w: organisation key is malformed", ErrBadShare)
	case len(s.Value) < 2 || len(s.Value) > 8192:
		return nil, fmt.Errorf("%w: share value is %d bytes", ErrBadShare, len(s.Value))
	}
	if !crypto.Verify(s.OrgVerifyKey, s.SignedMessage(), s.Sig) {
		return nil, ErrShareSignature
	}
	if s.ShareTag.Line() != tag.Line() {
		return nil, fmt.Errorf("%w: the clear share line differs from the signed one (file edited)", ErrShareSignature)
	}
	return &s, nil
}
