package audit

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema/bounds"
	"github.com/casevault/casevault/vault/internal/errs"
)

// WitnessFormat names the witness file format.
const WitnessFormat = "casevault-audit-witness"

// MaxWitnessFile bounds a witness file read from outside.
const MaxWitnessFile = 16 << 20

const witnessSigLabel = "casevault audit witness v1\n"

// A WitnessFile is the set of audit heads of one organisation's log (the
// subject) held by a partner (the holder), exported by the holder and
// checked by the subject against its own log. The holder signs it with its
// Ed25519 key.
type WitnessFile struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// Subject is the organisation whose log the heads belong to, as the
	// holder names it; SubjectVerifyKey is its verify key, when the holder
	// knows it.
	Subject          string `json:"subject"`
	SubjectVerifyKey []byte `json:"subject_verify_key,omitempty"`
	// Holder is the organisation that received the heads and exported the
	// file; HolderVerifyKey checks Sig.
	Holder          string          `json:"holder"`
	HolderVerifyKey []byte          `json:"holder_verify_key"`
	Exported        time.Time       `json:"exported"`
	Heads           []WitnessedHead `json:"heads"`
	Sig             []byte          `json:"sig"`
}

// A WitnessedHead is one audit head as received by the holder.
type WitnessedHead struct {
	Seq      uint64    `json:"seq"`
	Hash     string    `json:"hash"`
	BundleID string    `json:"bundle_id,omitempty"`
	Received time.Time `json:"received"`
}

// SignedMessage returns what Sig signs: the label "casevault audit
// witness v1\n" followed by the file's JSON with "sig":null.
func (f WitnessFile) SignedMessage() []byte {
	f.Sig = nil
	b, _ := json.Marshal(f)
	return append([]byte(witnessSigLabel), b...)
}

// WitnessFileError reports a witness file that is malformed, not signed by
// the key it names, or not about this vault's log.
type WitnessFileError struct{ Reason string }

func (e *WitnessFileError) Error() string { return "witness file: " + e.Reason }

// Is puts a WitnessFileError among invalid input.
func (e *WitnessFileError) Is(target error) bool { return target == errs.ErrInvalid }

// NewWitnessFile returns a witness file (indented JSON) of heads of the log
// of organisation subject, held by organisation holder and signed with its
// identity. subjectKey (the subject's verify key) may be nil when unknown.
func NewWitnessFile(holder string, id *crypto.Identity, subject string, subjectKey []byte, heads []WitnessedHead, now time.Time) ([]byte, error) {
	f := WitnessFile{Format: WitnessFormat, Version: 1, Subject: subject, SubjectVerifyKey: subjectKey,
		Holder: holder, HolderVerifyKey: id.VerifyKey(), Exported: now.UTC(), Heads: heads}
	f.Sig = id.Sign(f.SignedMessage())
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ParseWitnessFile decodes a witness file and checks its form and the
// holder's signature (which proves only that the holder of that key made
// it; whose key it is must be known otherwise, e.g. from its card).
func ParseWitnessFile(b []byte) (*WitnessFile, error) {
	if len(b) > MaxWitnessFile {
		return nil, &WitnessFileError{Reason: fmt.Sprintf("%d bytes is larger than the %d-byte limit", len(b), MaxWitnessFile)}
	}
	if err := bounds.JSON(b, jsonLimits); err != nil {
		return nil, &WitnessFileError{Reason: err.Error()}
	}
	var f WitnessFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, &WitnessFileError{Reason: "not valid JSON: " + err.Error()}
	}
	switch {
	case f.Format != WitnessFormat:
		return nil, &WitnessFileError{Reason: fmt.Sprintf("format is %q, want %q", f.Format, WitnessFormat)}
	case f.Version != 1:
		return nil, &WitnessFileError{Reason: fmt.Sprintf("version %d is not supported (this casevault reads version 1)", f.Version)}
	case len(f.HolderVerifyKey) != ed25519.PublicKeySize:
		return nil, &WitnessFileError{Reason: "holder_verify_key is not an Ed25519 public key"}
	case len(f.SubjectVerifyKey) != 0 && len(f.SubjectVerifyKey) != ed25519.PublicKeySize:
		return nil, &WitnessFileError{Reason: "subject_verify_key is not an Ed25519 public key"}
	case len(f.Heads) == 0:
		return nil, &WitnessFileError{Reason: "no heads"}
	}
	for i, h := range f.Heads {
		if h.Seq == 0 {
			return nil, &WitnessFileError{Reason: fmt.Sprintf("heads[%d].seq is 0", i)}
		}
		if _, err := hex.DecodeString(h.Hash); err != nil || len(h.Hash) != 64 || strings.ToLower(h.Hash) != h.Hash {
			return nil, &WitnessFileError{Reason: fmt.Sprintf("heads[%d].hash is not 64 lower-case hex digits", i)}
		}
	}
	if !crypto.Verify(f.HolderVerifyKey, f.SignedMessage(), f.Sig) {
		return nil, &WitnessFileError{Reason: "signature does not verify with holder_verify_key (file altered)"}
	}
	return &f, nil
}

// A WitnessCheck is the result of a successful verification of witnessed
// heads against a log.
type WitnessCheck struct {
	Entries int  // entries of the chain verified
	Head    Head // the chain's head
	Holder  string
	// HolderVerifyKey is the base64 key that signed the witness file.
	HolderVerifyKey string
	Heads           int    // witnessed heads checked
	Newest          uint64 // highest witnessed sequence number
	// SubjectKeyChecked is true when the file named the subject's verify
	// key and it is this vault's.
	SubjectKeyChecked bool
	// HolderOrg and HolderFingerprint name the partner organisation of this
	// vault whose verify key signed the file; empty if it is not a known
	// partner (then nothing says whose witness it is).
	HolderOrg, HolderFingerprint string
	// HolderRemoved names the organisation whose key signed the file when
	// it was removed from this vault (then HolderOrg is empty: a partner
	// removed, perhaps for a seized key, vouches for nothing), and
	// HolderRemovedAt when.
	HolderRemoved   string
	HolderRemovedAt time.Time
}

// CheckKeys checks the parties of f against own, every verify key the
// verifying organisation has had, its current key first (keys before a
// rotation too): the heads
// must be of its log (when f names the subject's key) and the file must
// have been made by another key, a partner's. It reports whether the
// subject's key was named and checked.
func (f *WitnessFile) CheckKeys(own []ed25519.PublicKey) (subjectChecked bool, err error) {
	isOwn := func(k []byte) bool {
		return slices.ContainsFunc(own, func(o ed25519.PublicKey) bool { return bytes.Equal(k, o) })
	}
	if len(f.SubjectVerifyKey) > 0 {
		if !isOwn(f.SubjectVerifyKey) {
			cur := []byte(nil)
			if len(own) > 0 {
				cur = own[0]
			}
			return false, &WitnessFileError{Reason: fmt.Sprintf("it witnesses the log of the organisation with verify key %s, not this vault's (%s)",
				b64(f.SubjectVerifyKey), b64(cur))}
		}
		subjectChecked = true
	}
	if isOwn(f.HolderVerifyKey) {
		return subjectChecked, &WitnessFileError{Reason: "it was made by this vault's own key: a witness must come from a partner"}
	}
	return subjectChecked, nil
}

// CheckHeads checks heads, lowest seq first, against a log whose chain was
// verified up to head: at every witnessed sequence number the log must
// hold an entry (entryAt returns it) with exactly the witnessed hash. A
// missing or different entry is a *Break: the history was rewritten or
// rolled back after the head was seen, whoever did it and whatever key
// they hold. how says how the heads were seen ("witnessed by ORG",
// "recorded"). It counts the heads checked, and the newest, in res.
func CheckHeads(in []WitnessedHead, how string, head Head, entryAt func(seq uint64) (Entry, error), res *WitnessCheck) error {
	heads := slices.Clone(in)
	slices.SortFunc(heads, func(a, b WitnessedHead) int {
		switch {
		case a.Seq < b.Seq:
			return -1
		case a.Seq > b.Seq:
			return 1
		}
		return 0
	})
	for _, h := range heads {
		seen := how
		if !h.Received.IsZero() {
			seen += " on " + h.Received.UTC().Format(time.RFC3339)
		}
		if h.BundleID != "" {
			seen += " (bundle " + h.BundleID + ")"
		}
		if h.Seq > head.Seq {
			return &Break{Seq: h.Seq, Reason: fmt.Sprintf("entry %d was %s but the log now ends at entry %d (vault rolled back or entries removed and the head rewritten)", h.Seq, seen, head.Seq)}
		}
		e, err := entryAt(h.Seq)
		if err != nil {
			return err
		}
		if e.Hash() != h.Hash {
			return &Break{Seq: h.Seq, Reason: fmt.Sprintf("entry differs from the one %s: history rewritten since (hash now %s, then %s)", seen, e.Hash()[:16], h.Hash[:16])}
		}
		res.Heads++
		res.Newest = h.Seq
	}
	return nil
}
