package vault

import (
	"encoding/hex"
	"errors"
	"time"

	"github.com/casevault/casevault/vault/internal/store"
)

// A Conflict is another copy's revision of a case that sync kept beside
// this copy's own, because both copies changed the case since they last
// agreed. The case's current revision here is unchanged; the other one is
// kept whole (its record as that copy sealed it) until someone merges the
// two by hand with 'casevault case update'.
type Conflict struct {
	Case   string    `json:"case"`
	Rev    uint32    `json:"rev"`    // its number on the other copy
	SHA256 string    `json:"sha256"` // of its document
	Parent string    `json:"parent"` // SHA-256 of the revision it was based on there
	Author string    `json:"author"`
	Time   time.Time `json:"time"`
	Kept   time.Time `json:"kept"`
	Record []byte    `json:"record"` // the revision record, sealed under the case's data key at r case rev
}

func conflictKey(id CaseID, sha []byte) []byte { return key(store.PSyncConflict, id[:], sha[:8]) }

// keepConflict records the other copy's revision rev (its sealed record
// raw and its parent's hash) beside this copy's head, once. It is the one
// place a sync conflict is written: when conflict revisions (issue 17)
// land as a library API, this function becomes a call to it.
func (c *change) keepConflict(id CaseID, rev *Revision, raw, parent []byte) (bool, error) {
	sum := mustHex(rev.SHA256)
	k := conflictKey(id, sum)
	if _, err := c.txn.Get(k); err == nil {
		return false, nil
	} else if !errors.Is(err, store.ErrKeyNotFound) {
		return false, err
	}
	cf := Conflict{Case: id.String(), Rev: rev.Rev, SHA256: rev.SHA256, Parent: hex.EncodeToString(parent),
		Author: rev.Author, Time: rev.Time, Kept: c.v.now(), Record: raw}
	if err := c.putJSON(k, c.v.keys.sys, cf); err != nil {
		return false, err
	}
	c.auditHash(OpSyncConflict, []string{id.String()}, sum)
	return true, nil
}

// Conflicts returns the other copies' revisions kept beside case id.
func (v *Vault) Conflicts(id CaseID) ([]Conflict, error) {
	var out []Conflict
	err := v.view(func(txn *store.Txn) error {
		return eachKey(txn, key(store.PSyncConflict, id[:]), true, func(k []byte, item *store.Item) error {
			var cf Conflict
			if _, err := itemJSON(item, v.keys.sys, &cf); err != nil {
				return err
			}
			out = append(out, cf)
			return nil
		})
	})
	return out, err
}

// ConflictRevision opens a kept conflict's revision.
func (v *Vault) ConflictRevision(cf *Conflict) (*Revision, error) {
	id, err := ParseCaseID(cf.Case)
	if err != nil {
		return nil, err
	}
	var rev *Revision
	err = v.view(func(txn *store.Txn) error {
		dk, err := v.caseKey(txn, id)
		if err != nil {
			return err
		}
		rev, err = decodeRevisionValue(revisionKey(id, cf.Rev), cf.Record, id, dk)
		return err
	})
	return rev, err
}
