package vault

import (
	"time"

	"github.com/casevault/casevault/crypto"
)

// A Witness is a partner organisation's audit head, as carried by a bundle
// it sent us. Holding it lets the partner later prove that its log was not
// rewritten (casevault audit verify --witness).
type Witness struct {
	Org      string    `json:"org"`
	Head     AuditHead `json:"head"`
	BundleID string    `json:"bundle_id"`
	Received time.Time `json:"received"`
}

func (v *Vault) orgMAC(org string) []byte {
	return crypto.MAC(v.keys.sys, []byte("org\x00"+org))[:8]
}

func witnessKey(orgMAC []byte, seq uint64) []byte { return key(pWitness, orgMAC, u64(seq)) }

// recordWitness stores a partner's audit head received in a bundle.
func (c *change) recordWitness(w Witness) error {
	return c.putJSON(witnessKey(c.v.orgMAC(w.Org), w.Head.Seq), c.v.keys.sys, w)
}
