package vault

import (
	"encoding/hex"

	"github.com/casevault/casevault/crypto"
)

// keepConflict keeps the other copy's revision rev of case id beside this
// copy's head as a conflict revision (RecordConflict's record: kind X,
// sealed under the case's data key, resolved with 'casevault case
// resolve'), once: the same revision from the same copy again changes
// nothing. parent is the SHA-256 of the revision it was based on there;
// the local revision with that hash is the conflict's base. It is the one
// place sync writes a conflict.
func (c *change) keepConflict(id CaseID, rev *Revision, parent []byte, dk crypto.Key, head uint32) (bool, error) {
	doc, err := rev.Case()
	if err != nil {
		return false, &CorruptError{What: "revision of case " + id.String() + " from another copy", Err: err}
	}
	var base uint32
	want := hex.EncodeToString(parent)
	for n := head; n >= 1 && head-n < 256 && len(parent) > 0; n-- {
		r, err := c.revisionAt(id, n, dk)
		if err != nil {
			return false, err
		}
		if r.SHA256 == want {
			base = n
			break
		}
	}
	source := "another copy of this vault"
	if rev.Author != "" {
		source += " (" + rev.Author + ")"
	}
	_, changed, err := c.recordConflict(id, ConflictInput{Source: source, Doc: doc, BaseRev: base})
	if err != nil || !changed {
		return false, err
	}
	c.auditHash(OpSyncConflict, []string{id.String()}, mustHex(rev.SHA256))
	return true, nil
}
