package vault

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/audit"
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

// ExportWitness returns, as a signed witness file, the audit heads this
// vault holds from organisation org. The export is itself recorded in the
// audit log (op audit.witness, content = the file).
func (v *Vault) ExportWitness(org string) ([]byte, error) {
	if err := v.needOwner("audit witness"); err != nil {
		return nil, err
	}
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

// VerifyWitness verifies the whole chain as VerifyAudit does, then checks
// that at every sequence number witnessed in f this log holds an entry
// with exactly the witnessed hash. A missing or different entry is an
// *AuditBreak: the history was rewritten or rolled back after the holder
// saw it, whoever did it and whatever key they hold.
func (v *Vault) VerifyWitness(f *WitnessFile) (*WitnessCheck, error) {
	res := &WitnessCheck{Holder: f.Holder, HolderVerifyKey: base64.StdEncoding.EncodeToString(f.HolderVerifyKey)}
	var err error
	if res.SubjectKeyChecked, err = f.CheckKeys(v.ownVerifyKeys()); err != nil { // keys before a rotation too
		return nil, err
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

// checkHeads verifies the chain and then every head (audit.CheckHeads).
func (v *Vault) checkHeads(heads []WitnessedHead, how string, res *WitnessCheck) error {
	return v.view(func(txn *store.Txn) error {
		n, head, err := v.verifyAuditTxn(txn)
		res.Entries, res.Head = n, head
		if err != nil {
			return err
		}
		return audit.CheckHeads(heads, how, head, func(seq uint64) (AuditEntry, error) { return v.auditEntryAt(txn, seq) }, res)
	})
}
