package vault

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/casevault/casevault/schema/bounds"
	"slices"
	"strings"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/store"
)

// A Witness is a partner organisation's audit head, as carried by a bundle
// it sent us. Holding it lets the partner later prove that its log was not
// rewritten (casevault audit verify --witness).
type Witness struct {
	Org      string    `json:"org"`
	Head     AuditHead `json:"head"`
	BundleID string    `json:"bundle_id"`
	Received time.Time `json:"received"`
	// VerifyKey is the sender's Ed25519 verify key as stated by the signed
	// bundle, when known. It lets the sender's vault refuse a witness of
	// another organisation's log.
	VerifyKey []byte `json:"verify_key,omitempty"`
}

func (v *Vault) orgMAC(org string) []byte {
	return crypto.MAC(v.keys.sys, []byte("org\x00"+org))[:8]
}

// recordWitness stores a partner's audit head received in a bundle.
func (c *change) recordWitness(w Witness) error {
	return c.putJSON(witnessKey(c.v.orgMAC(w.Org), w.Head.Seq), c.v.keys.sys, w)
}

// Witnesses returns the audit heads we hold from organisation org, oldest
// (lowest sequence number) first.
func (v *Vault) Witnesses(org string) ([]Witness, error) {
	var out []Witness
	err := v.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{Prefix: witnessPrefix(v.orgMAC(org)), PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var w Witness
			if _, err := itemJSON(it.Item(), v.keys.sys, &w); err != nil {
				return err
			}
			out = append(out, w)
		}
		return nil
	})
	return out, err
}

// WitnessFormat names the witness file format.
const WitnessFormat = "casevault-audit-witness"

// maxWitnessFile bounds a witness file read from outside.
const maxWitnessFile = 16 << 20

const witnessSigLabel = "casevault audit witness v1\n"

// A WitnessFile is the set of audit heads of one organisation's log (the
// subject) held by a partner (the holder), exported by the holder with
// 'casevault audit witness' and checked by the subject with 'casevault
// audit verify --witness'. The holder signs it with its Ed25519 key.
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

func (f WitnessFile) signedMessage() []byte {
	f.Sig = nil
	b, _ := json.Marshal(f)
	return append([]byte(witnessSigLabel), b...)
}

// WitnessFileError reports a witness file that is malformed, not signed by
// the key it names, or not about this vault's log.
type WitnessFileError struct{ Reason string }

func (e *WitnessFileError) Error() string { return "witness file: " + e.Reason }

// ExportWitness returns, as a signed witness file, the audit heads this
// vault holds from organisation org. The export is itself recorded in the
// audit log (op audit.witness, content = the file).
func (v *Vault) ExportWitness(org string) ([]byte, error) {
	ws, err := v.Witnesses(org)
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 {
		return nil, &NotFoundError{Kind: NotFoundWitness, ID: fmt.Sprintf("%q", org)}
	}
	var subjectKey []byte
	heads := make([]WitnessedHead, 0, len(ws))
	for _, w := range ws {
		if len(w.VerifyKey) > 0 {
			subjectKey = w.VerifyKey
		}
		heads = append(heads, WitnessedHead{Seq: w.Head.Seq, Hash: w.Head.Hash, BundleID: w.BundleID, Received: w.Received})
	}
	b, err := NewWitnessFile(v.meta.Org, v.id, org, subjectKey, heads, v.now())
	if err != nil {
		return nil, err
	}
	err = v.commit(func(c *change) error {
		c.audit(OpAuditWitness, nil, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// NewWitnessFile returns a witness file (indented JSON) of heads of the log
// of organisation subject, held by organisation holder and signed with its
// identity. subjectKey (the subject's verify key) may be nil when unknown.
func NewWitnessFile(holder string, id *crypto.Identity, subject string, subjectKey []byte, heads []WitnessedHead, now time.Time) ([]byte, error) {
	f := WitnessFile{Format: WitnessFormat, Version: 1, Subject: subject, SubjectVerifyKey: subjectKey,
		Holder: holder, HolderVerifyKey: id.VerifyKey(), Exported: now.UTC(), Heads: heads}
	f.Sig = id.Sign(f.signedMessage())
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
	if len(b) > maxWitnessFile {
		return nil, &WitnessFileError{Reason: fmt.Sprintf("%d bytes is larger than the %d-byte limit", len(b), maxWitnessFile)}
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
	if !crypto.Verify(f.HolderVerifyKey, f.signedMessage(), f.Sig) {
		return nil, &WitnessFileError{Reason: "signature does not verify with holder_verify_key (file altered)"}
	}
	return &f, nil
}

// A WitnessCheck is the result of a successful [Vault.VerifyWitness].
type WitnessCheck struct {
	Entries int       // entries of the chain verified
	Head    AuditHead // the chain's head
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

// VerifyWitness verifies the whole chain as VerifyAudit does, then checks
// that at every sequence number witnessed in f this log holds an entry
// with exactly the witnessed hash. A missing or different entry is an
// *AuditBreak: the history was rewritten or rolled back after the holder
// saw it, whoever did it and whatever key they hold.
func (v *Vault) VerifyWitness(f *WitnessFile) (*WitnessCheck, error) {
	own := v.id.VerifyKey()
	res := &WitnessCheck{Holder: f.Holder, HolderVerifyKey: base64.StdEncoding.EncodeToString(f.HolderVerifyKey)}
	isOwn := func(k []byte) bool {
		for _, o := range v.ownVerifyKeys() { // keys before a rotation too
			if bytes.Equal(k, o) {
				return true
			}
		}
		return false
	}
	if len(f.SubjectVerifyKey) > 0 {
		if !isOwn(f.SubjectVerifyKey) {
			return nil, &WitnessFileError{Reason: fmt.Sprintf("it witnesses the log of the organisation with verify key %s, not this vault's (%s)",
				base64.StdEncoding.EncodeToString(f.SubjectVerifyKey), base64.StdEncoding.EncodeToString(own))}
		}
		res.SubjectKeyChecked = true
	}
	if isOwn(f.HolderVerifyKey) {
		return nil, &WitnessFileError{Reason: "it was made by this vault's own key: a witness must come from a partner"}
	}
	orgs, err := v.Orgs(true)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if bytes.Equal(o.VerifyKey, f.HolderVerifyKey) {
			if o.Removed != nil {
				res.HolderRemoved, res.HolderRemovedAt = o.Name, *o.Removed
				continue
			}
			res.HolderOrg, res.HolderFingerprint = o.Name, o.Fingerprint
		}
	}
	keyOrg := res.HolderOrg
	if keyOrg == "" {
		keyOrg = res.HolderRemoved
	}
	if err := checkWitnessHolder(f.Holder, keyOrg, v.meta.Org, orgs); err != nil {
		return nil, err
	}
	return res, v.checkHeads(f.Heads, "witnessed by "+f.Holder, res)
}

// VerifyHeads is VerifyWitness for heads recorded outside any witness file
// (printed by 'audit head' into a letter, a notary's record or a public
// post): after verifying the chain, the log must hold at each head's seq an
// entry with exactly that hash.
func (v *Vault) VerifyHeads(heads []AuditHead) (*WitnessCheck, error) {
	wh := make([]WitnessedHead, 0, len(heads))
	for _, h := range heads {
		wh = append(wh, WitnessedHead{Seq: h.Seq, Hash: h.Hash})
	}
	res := &WitnessCheck{}
	return res, v.checkHeads(wh, "recorded", res)
}

// checkHeads verifies the chain and then every head, lowest seq first.
func (v *Vault) checkHeads(in []WitnessedHead, how string, res *WitnessCheck) error {
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
	return v.view(func(txn *store.Txn) error {
		n, head, err := v.verifyAuditTxn(txn)
		res.Entries, res.Head = n, head
		if err != nil {
			return err
		}
		for _, h := range heads {
			seen := how
			if !h.Received.IsZero() {
				seen += " on " + h.Received.UTC().Format(time.RFC3339)
			}
			if h.BundleID != "" {
				seen += " (bundle " + h.BundleID + ")"
			}
			if h.Seq > head.Seq {
				return &AuditBreak{Seq: h.Seq, Reason: fmt.Sprintf("entry %d was %s but the log now ends at entry %d (vault rolled back or entries removed and the head rewritten)", h.Seq, seen, head.Seq)}
			}
			e, err := v.auditEntryAt(txn, h.Seq)
			if err != nil {
				return err
			}
			if e.Hash() != h.Hash {
				return &AuditBreak{Seq: h.Seq, Reason: fmt.Sprintf("entry differs from the one %s: history rewritten since (hash now %s, then %s)", seen, e.Hash()[:16], h.Hash[:16])}
			}
			res.Heads++
			res.Newest = h.Seq
		}
		return nil
	})
}
