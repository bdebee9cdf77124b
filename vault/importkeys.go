package vault

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/bulk"
	"github.com/casevault/casevault/vault/internal/store"
)

// Re-import without duplicates. Each record of an import file has stable
// keys (bulk.StableKeys: its external_id, and a hash of name, birth date
// and first charge). An import key record (K, store.PImportKey) maps the
// MAC of a stable key under the index key to the case it was imported as,
// with the SHA-256 of the record last imported under it. A later import
// finds the case through it: an unchanged record is skipped, a changed one
// updates the case as a new revision (its fields merged over the current
// document, so fields the file does not have stay as they are).
//
// Cases stored before import keys existed (or added by hand) have no key
// record: each import reads the current revision of every local case that
// no key record names and matches records to them by the same hash; the
// key record of a case so matched is written then, so the first re-import
// after upgrading finds the cases of earlier imports instead of adding
// them again. Rekey (and purge) rebuild the key records from the current
// revisions of the remaining local cases.

// importKeyMACLen is the length of the MAC in an import key record's key.
const importKeyMACLen = 16

// importKeyRecord is the value of an import key record.
type importKeyRecord struct {
	Case string `json:"case"`
	Sum  string `json:"sum,omitempty"` // SHA-256 of the record last imported under the key
	// V is 2 for records written with the case's charge keys
	// (bulk.ChargeKeys) beside them; 0 for records of an earlier version.
	V int `json:"v,omitempty"`
}

// importKeyVersion is the V of the import key records this version writes.
const importKeyVersion = 2

func importKeyKey(idx crypto.Key, stable string) []byte {
	return key(pImportKey, crypto.MAC(idx, []byte("casevault import key\x00"+stable))[:importKeyMACLen])
}

// getImportKey returns the case and record sum a stable key names, or
// found false.
func (v *Vault) getImportKey(txn *store.Txn, stable string) (id CaseID, sum string, found bool, err error) {
	k := importKeyKey(v.keys.index, stable)
	item, err := txn.Get(k)
	if errors.Is(err, store.ErrKeyNotFound) {
		return id, "", false, nil
	}
	if err != nil {
		return id, "", false, err
	}
	sealed, err := item.ValueCopy(nil)
	if err != nil {
		return id, "", false, err
	}
	var rec importKeyRecord
	if err := openJSON(k, v.keys.index, sealed, &rec); err != nil {
		return id, "", false, err
	}
	id, err = ParseCaseID(rec.Case)
	if err != nil {
		return id, "", false, &CorruptError{What: describeKey(k), Err: err}
	}
	return id, rec.Sum, true, nil
}

func (c *change) putImportKey(stable string, id CaseID, sum string) error {
	k := importKeyKey(c.v.keys.index, stable)
	return c.putJSON(k, c.v.keys.index, importKeyRecord{Case: id.String(), Sum: sum, V: importKeyVersion})
}

// importKeyVersionOf returns the V of the record of a stable key (0 when
// there is none).
func (v *Vault) importKeyVersionOf(txn *store.Txn, stable string) (int, error) {
	k := importKeyKey(v.keys.index, stable)
	item, err := txn.Get(k)
	if errors.Is(err, store.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	sealed, err := item.ValueCopy(nil)
	if err != nil {
		return 0, err
	}
	var rec importKeyRecord
	if err := openJSON(k, v.keys.index, sealed, &rec); err != nil {
		return 0, err
	}
	return rec.V, nil
}

// chargeMatch finds the local case a record without external ID is
// another version of, by its charge keys (the record's hash key having
// missed): the case that most of the record's charges name, among cases
// of the same person (bulk.PersonConflict finds none). Two cases named
// equally often, or none, is no match: a new case rather than a merge
// into the wrong one. unkeyed holds the charge keys of cases without
// key records of this version.
func (c *change) chargeMatch(doc *schema.Case, unkeyed map[string]CaseID) (CaseID, *schema.Case, error) {
	var none CaseID
	hits := map[CaseID]int{}
	docs := map[CaseID]*schema.Case{}
	fresh := c.prepared != nil && c.prepared.fresh // see preparedAdd
	for _, k := range c.chargeKeys(doc) {
		var cand CaseID
		var found bool
		var err error
		if !fresh {
			if cand, _, found, err = c.v.getImportKey(c.txn, k); err != nil {
				return none, nil, err
			}
		}
		if !found {
			if cand, found = unkeyed[k]; !found {
				continue
			}
		}
		d, seen := docs[cand]
		if !seen {
			if d, err = c.v.localCaseDoc(c.txn, cand); err != nil {
				return none, nil, err
			}
			if d != nil && bulk.PersonConflict(d, doc) != "" {
				d = nil
			}
			docs[cand] = d
		}
		if d != nil {
			hits[cand]++
		}
	}
	best, bestN, tie := none, 0, false
	for id, n := range hits {
		switch {
		case n > bestN:
			best, bestN, tie = id, n, false
		case n == bestN:
			tie = true
		}
	}
	if bestN == 0 || tie {
		return none, nil, nil
	}
	return best, docs[best], nil
}

// localCaseDoc returns the current document of a case of this
// organisation, or nil when the case is gone or came from a partner.
func (v *Vault) localCaseDoc(txn *store.Txn, id CaseID) (*schema.Case, error) {
	dk, err := v.caseKey(txn, id)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer crypto.Wipe(dk[:])
	r, err := v.latestRevision(txn, id, dk)
	if err != nil {
		return nil, err
	}
	if r.Provenance != nil {
		return nil, nil
	}
	doc, err := r.Case()
	if err != nil {
		return nil, &CorruptError{What: "revision of case " + id.String(), Err: err}
	}
	return doc, nil
}

// unkeyedCases maps the hash and charge keys, and the external ID, of the
// local cases that no import key record names to those cases (the
// smallest ID where several share a hash or charge key; an external ID
// that several such cases have matches none of them, rather than the
// wrong person's): cases imported before import keys existed, and cases
// added by hand; and the charge keys of cases keyed by an earlier version
// (records without charge keys).
func (v *Vault) unkeyedCases(ctx context.Context) (map[string]CaseID, error) {
	out := map[string]CaseID{}
	shared := map[string]bool{} // external IDs of several cases: no match by them
	err := v.view(func(txn *store.Txn) error {
		named := map[CaseID]bool{}
		current := map[CaseID]bool{} // named by a record of this version
		err := v.eachImportKey(txn, func(_ []byte, rec importKeyRecord) error {
			if id, err := ParseCaseID(rec.Case); err == nil {
				named[id] = true
				if rec.V >= importKeyVersion {
					current[id] = true
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		cit := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pCaseKey}})
		defer cit.Close()
		for cit.Rewind(); cit.Valid(); cit.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			var id CaseID
			copy(id[:], cit.Item().Key()[1:])
			if current[id] {
				continue
			}
			doc, err := v.localCaseDoc(txn, id)
			if err != nil {
				return err
			}
			if doc == nil {
				continue
			}
			// Cases keyed by an earlier version have no charge keys yet:
			// matched by them here (and given them when matched).
			keys := bulk.ChargeKeys(doc)
			if !named[id] {
				ext, h := bulk.StableKeys(doc)
				keys = append([]string{h}, keys...)
				if _, twice := out[ext]; twice {
					shared[ext] = true
				} else if ext != "" {
					keys = append(keys, ext)
				}
			}
			for _, k := range keys {
				if _, dup := out[k]; !dup {
					out[k] = id // case keys iterate in ID order: the smallest wins
				}
			}
		}
		return nil
	})
	for ext := range shared {
		delete(out, ext)
	}
	return out, err
}

// importOutcome is what importing one record did.
type importOutcome int

const (
	importAdded importOutcome = iota
	importUpdated
	importUnchanged
	importUnchangedKeyed // unchanged, and its key records written
	importConflict       // the key names another person's case: not imported
)

// importConflictError is a record whose stable key matched a case of
// another person (bulk.PersonConflict): the record is rejected, the case
// left as it is.
type importConflictError struct{ key, why string }

func (e *importConflictError) Error() string {
	what := "the name, birth date and first charge"
	if id, ok := strings.CutPrefix(e.key, "ext:"); ok {
		what = "external_id " + id
	}
	return what + " " + e.why + ": not imported, the case was left as it is (give this row another external_id)"
}

// matchedCase returns the local case cand that the record doc's key names,
// or nil when that case is gone, came from a partner or has another
// external ID. A case of another person is an *importConflictError: a
// reused key (another sheet's row "1") never overwrites another person's
// case. (On an error importBatch looks only at the error.)
func (c *change) matchedCase(cand CaseID, key, ext string, doc *schema.Case) (*schema.Case, error) {
	d, err := c.v.localCaseDoc(c.txn, cand)
	if err != nil || d == nil || otherExternalID(d, ext) {
		return nil, err
	}
	if why := bulk.PersonConflict(d, doc); why != "" {
		return nil, &importConflictError{key: key, why: why}
	}
	return d, nil
}

// importRecord stores one valid record: it updates or skips the case its
// stable keys name (in a key record, or in unkeyed for cases without
// one), or adds a new case; and writes the key records.
func (c *change) importRecord(doc *schema.Case, sum [32]byte, q *bulk.Mark, cleared []string, unkeyed map[string]CaseID) (importOutcome, CaseID, error) {
	v := c.v
	ext, hash := c.stableKeys(doc)
	sumHex := hex.EncodeToString(sum[:])
	putKeys := func(id CaseID) error {
		keys := []string{ext, hash}
		if ext == "" {
			keys = append(keys, c.chargeKeys(doc)...)
		}
		for _, k := range keys {
			if k != "" {
				if err := c.putImportKey(k, id, sumHex); err != nil {
					return err
				}
			}
		}
		return nil
	}
	var id CaseID
	var cur *schema.Case
	var oldSum string
	fresh := c.prepared != nil && c.prepared.fresh
	for _, k := range []string{ext, hash} {
		if k == "" || fresh {
			continue
		}
		cand, s, found, err := v.getImportKey(c.txn, k)
		if err != nil {
			return 0, id, err
		}
		if !found {
			continue
		}
		if s == sumHex {
			// The same record as last time: unchanged if its case is
			// still there, without reading the case.
			if _, err := c.txn.Get(caseKeyKey(cand)); err == nil {
				if ext == "" {
					// Keyed by an earlier version, without charge
					// keys: written now, once.
					if ver, err := v.importKeyVersionOf(c.txn, k); err != nil {
						return 0, cand, err
					} else if ver < importKeyVersion {
						return importUnchangedKeyed, cand, putKeys(cand)
					}
				}
				return importUnchanged, cand, nil
			} else if !errors.Is(err, store.ErrKeyNotFound) {
				return 0, id, err
			}
			continue
		}
		d, err := c.matchedCase(cand, k, ext, doc)
		if err != nil {
			return importConflict, cand, err
		}
		if d != nil {
			id, cur, oldSum = cand, d, s
			break
		}
	}
	if cand, ok := unkeyed[ext]; ok && cur == nil && ext != "" {
		// A case added by hand with the record's external ID (a case
		// with a key record was found above).
		d, err := c.matchedCase(cand, ext, ext, doc)
		if err != nil {
			return importConflict, cand, err
		}
		if d != nil {
			id, cur = cand, d
			delete(unkeyed, ext)
		}
	}
	if cur == nil && ext == "" {
		// Only a record without an external ID is matched by the hash to
		// a case without a key record: two records with different
		// external IDs are different cases, whatever their names.
		if cand, ok := unkeyed[hash]; ok {
			d, err := v.localCaseDoc(c.txn, cand)
			if err != nil {
				return 0, id, err
			}
			if d != nil {
				id, cur = cand, d
				delete(unkeyed, hash)
			}
		}
	}
	if cur == nil && ext == "" {
		cand, d, err := c.chargeMatch(doc, unkeyed)
		if err != nil {
			return 0, id, err
		}
		if d != nil {
			id, cur = cand, d
		}
	}
	if cur == nil {
		var id CaseID
		var err error
		if c.prepared != nil && q == nil {
			id, err = c.addPrepared(doc, c.prepared)
		} else {
			id, err = c.addCase(doc, AddOptions{Op: OpCaseImport})
		}
		if err != nil {
			return 0, id, err
		}
		added := id
		if q != nil {
			// Exported quarantined: it stays quarantined here.
			m, err := v.caseMeta(c.txn, id)
			if err != nil {
				return 0, id, err
			}
			m.Quarantine = q
			if err := c.putJSON(caseMetaKey(id), v.keys.sys, m); err != nil {
				return 0, id, err
			}
			c.audit(OpCaseQuarantine, []string{id.String(), q.Org}, nil)
		}
		return importAdded, added, putKeys(added)
	}
	if oldSum == sumHex {
		return importUnchanged, id, nil // the same record as last time
	}
	merged := mergeDoc(cloneDoc(cur.Doc), doc.Doc)
	for _, p := range cleared {
		deletePath(merged, p) // a CSV column present but empty
	}
	next := schema.Default().NewCase(merged)
	next.NormalizeCharges()
	norm := schema.Default().NewCase(cloneDoc(cur.Doc))
	norm.NormalizeCharges()
	if sameCaseDoc(next.Doc, norm.Doc) {
		return importUnchangedKeyed, id, putKeys(id)
	}
	if err := next.Validate(); err != nil {
		return 0, id, err
	}
	if _, err := c.updateCase(id, next, AddOptions{Op: OpCaseUpdate}); err != nil {
		return 0, id, err
	}
	return importUpdated, id, putKeys(id)
}

// mergeDoc writes the fields of over into base, objects merged field by
// field, anything else (lists included) replaced; it returns base.
func mergeDoc(base, over map[string]any) map[string]any {
	for k, ov := range over {
		if om, ok := ov.(map[string]any); ok {
			if bm, ok := base[k].(map[string]any); ok {
				base[k] = mergeDoc(bm, om)
				continue
			}
		}
		base[k] = ov
	}
	return base
}

// deletePath removes the value at a dotted path of doc, and the objects on
// the path it leaves empty.
func deletePath(doc map[string]any, path string) {
	head, rest, nested := strings.Cut(path, ".")
	if !nested {
		delete(doc, head)
		return
	}
	m, ok := doc[head].(map[string]any)
	if !ok {
		return
	}
	deletePath(m, rest)
	if len(m) == 0 {
		delete(doc, head)
	}
}

// cloneDoc deep-copies a case document.
func cloneDoc(d map[string]any) map[string]any {
	b, err := json.Marshal(d)
	if err != nil {
		panic("casevault: a case document does not marshal: " + err.Error())
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		panic("casevault: a case document does not unmarshal: " + err.Error())
	}
	return out
}

// sameCaseDoc compares two documents in their JSON form (keys sorted).
func sameCaseDoc(a, b map[string]any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

// otherExternalID reports whether doc has an external ID other than the
// record's (ext, "ext:" and the ID, or "" for none).
func otherExternalID(doc *schema.Case, ext string) bool {
	if ext == "" {
		return false
	}
	mine, _ := bulk.StableKeys(doc)
	return mine != "" && mine != ext
}

// importKeyStrings returns the stable keys of a local case's document:
// what its import key records are keyed by.
func importKeyStrings(doc *schema.Case) []string {
	ext, hash := bulk.StableKeys(doc)
	keys := []string{ext, hash}
	if ext == "" {
		keys = append(keys, bulk.ChargeKeys(doc)...)
	}
	return keys
}

// copyImportKeys writes the import key records of a local case under nv's
// index key, from the stable keys of the case's current revision (rekey
// and purge rebuild them, as they rebuild the search postings; the record
// sums are not carried, so the next import compares the records with the
// cases).
func copyImportKeys(id CaseID, keys []string, nv *Vault, wb *batchWriter) error {
	for _, s := range keys {
		if s == "" {
			continue
		}
		k := importKeyKey(nv.keys.index, s)
		b, err := marshalJSON(importKeyRecord{Case: id.String(), V: importKeyVersion})
		if err != nil {
			return err
		}
		if err := wb.set(k, crypto.Seal(nv.keys.index, b, recordAD(k))); err != nil {
			return err
		}
	}
	return nil
}

// removeImportKeys deletes the import key records that name case id (a
// removed case): a record left behind would still confirm, to someone
// holding the passphrase, that a person of a guessed name and birth date
// was once imported.
func (c *change) removeImportKeys(id CaseID) error {
	var gone [][]byte
	err := c.v.eachImportKey(c.txn, func(k []byte, rec importKeyRecord) error {
		if rec.Case == id.String() {
			gone = append(gone, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range gone {
		if err := c.del(k); err != nil {
			return err
		}
	}
	return nil
}

// eachImportKey calls fn with the key and the opened record of every
// import key record (fn may keep k).
func (v *Vault) eachImportKey(txn *store.Txn, fn func(k []byte, rec importKeyRecord) error) error {
	it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pImportKey}, PrefetchValues: true})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().KeyCopy(nil)
		sealed, err := it.Item().ValueCopy(nil)
		if err != nil {
			return err
		}
		var rec importKeyRecord
		if err := openJSON(k, v.keys.index, sealed, &rec); err != nil {
			return err
		}
		if err := fn(k, rec); err != nil {
			return err
		}
	}
	return nil
}
