package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/cases"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/store"
)

// Results of a case in a bundle import.
const (
	ImportAdded     = "added"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
	ImportOlder     = "older"
	ImportConflict  = "conflict"
	ImportRejected  = "rejected"
)

// importCase adds or updates the local case holding one case entry, or
// records the partner's version as a conflict revision when the local case
// was edited since the last version received from the partner. A case
// refused on its own (result rejected, with the reason) is decided before
// anything is written for it, so the bundle's other cases go in.
func (c *change) importCase(mac []byte, org, bundleID string, now time.Time, p pendingCase, blobs map[string]*pendingEvidence) (BundleCase, error) {
	v := c.v
	bc := BundleCase{Origin: p.origin}
	reject := func(format string, a ...any) (BundleCase, error) {
		bc.Result, bc.Reason = ImportRejected, fmt.Sprintf(format, a...)
		return bc, nil
	}
	if p.rejected != nil {
		msg := p.rejected.Error()
		var be *BundleError
		if errors.As(p.rejected, &be) {
			msg = be.Msg
			if be.Err != nil {
				msg += ": " + be.Err.Error()
			}
		}
		return reject("%s", msg)
	}
	bc.Rev = p.entry.OriginRev
	origin, err := ParseCaseID(p.entry.OriginCaseID)
	if err != nil {
		return reject("%v", err)
	}
	ok := originKey(mac, origin)
	var orec originRecord
	err = v.getJSON(c.txn, ok, v.keys.sys, &orec)
	found := err == nil
	if err != nil && !errors.Is(err, errNoRecord) {
		return bc, err
	}
	if p.entry.ReturnOf != nil || (found && orec.Returned) {
		return c.importReturned(mac, org, bundleID, p, blobs, bc, orec, found)
	}
	var local CaseID
	exists := false
	if found {
		if local, err = ParseCaseID(orec.Case); err != nil {
			return bc, &CorruptError{What: describeKey(ok), Err: err}
		}
		if _, err := c.txn.Get(caseKeyKey(local)); err == nil {
			exists = true
		} else if !errors.Is(err, store.ErrKeyNotFound) {
			return bc, err
		}
	}
	theirs := cases.Hash(p.doc.Canonical())
	if !exists {
		if reason, err := c.evidenceClash(nil, p, blobs); err != nil || reason != "" {
			if err != nil {
				return bc, err
			}
			return reject("%s", reason)
		}
		prov := &Provenance{Org: org, BundleID: bundleID, OriginCaseID: origin.String(), ImportedAt: now}
		local, err = c.addCaseBefore(p.doc, AddOptions{Op: OpCaseImport, Provenance: prov}, func(id CaseID) error {
			return c.importEvidence(id, org, bundleID, p, blobs)
		})
		if err != nil {
			return bc, err
		}
		bc.Case, bc.Result = local.String(), ImportAdded
		orec = originRecord{Org: org, OriginCaseID: origin.String(), Case: local.String(), OriginRev: p.entry.OriginRev,
			BundleID: bundleID, BaseRev: 1, BaseSHA256: theirs}
		return bc, c.putJSON(ok, v.keys.sys, orec)
	}
	bc.Case = local.String()
	dk, err := v.caseKey(c.txn, local)
	if err != nil {
		return bc, err
	}
	cur, err := v.latestRevision(c.txn, local, dk)
	if err != nil {
		return bc, err
	}
	if orec.BaseSHA256 == "" {
		// Imported by an older casevault: the base is the newest
		// revision an import wrote.
		orec.BaseRev, orec.BaseSHA256, err = v.lastImported(c.txn, local, dk)
		if err != nil {
			return bc, err
		}
	}
	if p.entry.OriginRev < orec.OriginRev || (p.entry.OriginRev == orec.OriginRev && len(p.entry.Evidence) == 0) {
		// A version we had before, or an older one: nothing changes.
		bc.Result = ImportOlder
		if theirs == cur.SHA256 || theirs == orec.BaseSHA256 {
			bc.Result = ImportUnchanged
		}
		return bc, nil
	}
	if reason, err := c.evidenceClash(&local, p, blobs); err != nil || reason != "" {
		if err != nil {
			return bc, err
		}
		return reject("%s", reason)
	}
	if err := c.importEvidence(local, org, bundleID, p, blobs); err != nil {
		return bc, err
	}
	if p.entry.OriginRev == orec.OriginRev {
		// The version we have, sent with evidence files (bundle export
		// --evidence): the new files are stored, the case is as it was.
		bc.Result = ImportUnchanged
		if theirs != cur.SHA256 && theirs != orec.BaseSHA256 {
			bc.Result = ImportOlder
		}
		return bc, nil
	}
	switch {
	case theirs == cur.SHA256:
		bc.Result = ImportUnchanged
		orec.BaseRev, orec.BaseSHA256 = cur.Rev, theirs
		if err := c.dropConflictsFrom(local, dk, org); err != nil {
			return bc, err
		}
	case cur.SHA256 == orec.BaseSHA256:
		// No edits here since the last version from the partner.
		prov := &Provenance{Org: org, BundleID: bundleID, OriginCaseID: origin.String(), ImportedAt: now}
		rev, err := c.updateCase(local, p.doc, AddOptions{Op: OpCaseImport, Provenance: prov})
		if err != nil {
			return bc, err
		}
		bc.Result = ImportUpdated
		orec.BaseRev, orec.BaseSHA256 = rev.Rev, theirs
		if err := c.dropConflictsFrom(local, dk, org); err != nil {
			return bc, err
		}
	case theirs == orec.BaseSHA256:
		// The partner sent the version we had from them again: the
		// edits made here since stay.
		bc.Result = ImportUnchanged
	default:
		cf, _, err := c.recordConflict(local, ConflictInput{Source: org, Org: org, BundleID: bundleID,
			OriginCaseID: origin.String(), OriginRev: p.entry.OriginRev, BaseRev: orec.BaseRev, Doc: p.doc})
		if err != nil {
			return bc, err
		}
		bc.Result, bc.Conflict = ImportConflict, cf.Seq
	}
	orec.OriginRev, orec.BundleID = p.entry.OriginRev, bundleID
	return bc, c.putJSON(ok, v.keys.sys, orec)
}

// importReturned handles our own case sent back by the partner it was
// shared with (CaseEntry.ReturnOf): the claim must name a case this vault
// holds and shares with the sender. The partner's copy holds only the
// fields the share let go, so it is merged into our case field by field
// (merged); fields of which we hold more than the partner saw are never
// overwritten (unmerged: a conflict, resolved with --take edit).
func (c *change) importReturned(mac []byte, org, bundleID string, p pendingCase, blobs map[string]*pendingEvidence, bc BundleCase, orec originRecord, found bool) (BundleCase, error) {
	v := c.v
	bc.Returned = true
	reject := func(format string, a ...any) (BundleCase, error) {
		bc.Result, bc.Reason = ImportRejected, fmt.Sprintf(format, a...)
		return bc, nil
	}
	claim := p.entry.ReturnOf
	switch {
	case claim == nil:
		return reject("it was sent back as our case %s before, and this version does not say so: refused", orec.Case)
	case found && !orec.Returned:
		return reject("it claims to be our case %s, but this vault holds it as %s's case (here %s): refused", claim.CaseID, org, orec.Case)
	case found && orec.Case != claim.CaseID:
		return reject("it claims to be our case %s, but was sent back before as our case %s: refused", claim.CaseID, orec.Case)
	}
	local, err := ParseCaseID(claim.CaseID)
	if err != nil {
		return reject("%v", err)
	}
	bc.Case = local.String()
	dk, err := v.caseKey(c.txn, local)
	if IsNotFound(err) {
		bc.Case = ""
		return reject("it claims to be our case %s, which this vault does not hold (removed, purged, or never ours): refused", claim.CaseID)
	}
	if err != nil {
		return bc, err
	}
	shares, err := v.shares(c.txn, &local, mac)
	if err != nil {
		return bc, err
	}
	if len(shares) != 1 {
		return reject("it claims to be our case %s, which is not shared with %q: refused", claim.CaseID, org)
	}
	share := shares[0]
	cur, err := v.latestRevision(c.txn, local, dk)
	if err != nil {
		return bc, err
	}
	if claim.Rev > cur.Rev {
		return reject("it says it is based on revision %d of our case %s, which has only %d revisions: refused", claim.Rev, claim.CaseID, cur.Rev)
	}
	curDoc, err := cur.Case()
	if err != nil {
		return bc, &CorruptError{What: "revision of case " + local.String(), Err: err}
	}
	localShared := share.Apply(curDoc)
	sentHash := cases.Hash(p.doc.Canonical())
	sameAsOurs := sentHash == cases.Hash(localShared.Canonical())
	older := found && p.entry.OriginRev <= orec.OriginRev
	if older && (p.entry.OriginRev < orec.OriginRev || len(p.entry.Evidence) == 0) {
		bc.Result = ImportOlder
		if sameAsOurs {
			bc.Result = ImportUnchanged
		}
		return bc, nil
	}
	if reason, err := c.evidenceClash(&local, p, blobs); err != nil || reason != "" {
		if err != nil {
			return bc, err
		}
		return reject("%s", reason)
	}
	if err := c.importEvidence(local, org, bundleID, p, blobs); err != nil {
		return bc, err
	}
	if older {
		// The version we had, sent again with evidence files.
		bc.Result = ImportUnchanged
		if !sameAsOurs {
			bc.Result = ImportOlder
		}
		return bc, nil
	}
	baseRev, err := c.v.revisionDoc(c.txn, local, dk, claim.Rev)
	if err != nil {
		return bc, err
	}
	baseShared := share.Apply(baseRev)
	merged, unmerged, err := mergeReturned(curDoc, localShared, p.doc)
	if err != nil {
		return reject("their version cannot be merged into our case %s: %v", local, err)
	}
	origin, _ := ParseCaseID(p.entry.OriginCaseID)
	switch {
	case sameAsOurs:
		bc.Result = ImportUnchanged
	case len(unmerged) == 0 && cases.Hash(baseShared.Canonical()) == cases.Hash(localShared.Canonical()):
		// What we shared has not changed here since the revision the
		// partner had: their changes go in.
		if cases.Hash(merged.Canonical()) == cur.SHA256 {
			bc.Result = ImportUnchanged
			break
		}
		if _, err := c.updateCase(local, merged, AddOptions{Op: OpCaseImport}); err != nil {
			return bc, err
		}
		bc.Result = ImportUpdated
		if err := c.dropConflictsFrom(local, dk, org); err != nil {
			return bc, err
		}
	default:
		cf, _, err := c.recordConflict(local, ConflictInput{Source: org, Org: org, BundleID: bundleID,
			OriginCaseID: origin.String(), OriginRev: p.entry.OriginRev, BaseRev: claim.Rev, Doc: merged,
			Returned: true, Sent: p.doc, Unmerged: unmerged})
		if err != nil {
			return bc, err
		}
		bc.Result, bc.Conflict = ImportConflict, cf.Seq
	}
	orec = originRecord{Org: org, OriginCaseID: origin.String(), Case: local.String(), OriginRev: p.entry.OriginRev,
		BundleID: bundleID, Returned: true}
	return bc, c.putJSON(originKey(mac, origin), v.keys.sys, orec)
}

// mergeReturned applies a partner's copy (sent) of our case to our
// current document, top-level field by field: a field the partner changed
// is taken when the partner saw all of it (our value equals what the share
// let go); otherwise ours is kept and the field listed as unmerged.
func mergeReturned(cur, localShared, sent *schema.Case) (*schema.Case, []string, error) {
	out := map[string]any{}
	for k, val := range cur.Doc {
		out[k] = val
	}
	keys := map[string]bool{}
	for k := range localShared.Doc {
		keys[k] = true
	}
	for k := range sent.Doc {
		keys[k] = true
	}
	var unmerged []string
	for k := range keys {
		if k == "schema" {
			continue
		}
		sv, sin := localShared.Doc[k]
		tv, tin := sent.Doc[k]
		if sin == tin && reflect.DeepEqual(sv, tv) {
			continue // unchanged by the partner
		}
		lv, lin := cur.Doc[k]
		if lin == sin && reflect.DeepEqual(lv, sv) {
			if tin {
				out[k] = tv
			} else {
				delete(out, k)
			}
			continue
		}
		unmerged = append(unmerged, k)
	}
	sort.Strings(unmerged)
	b, err := json.Marshal(out)
	if err != nil {
		return nil, nil, err
	}
	doc, err := schema.FromJSON(b)
	if err != nil {
		return nil, nil, err
	}
	return doc, unmerged, nil
}

// revisionDoc returns the document of revision n of a case.
func (v *Vault) revisionDoc(txn *store.Txn, id CaseID, dk crypto.Key, n uint32) (*schema.Case, error) {
	item, err := txn.Get(revisionKey(id, n))
	if errors.Is(err, store.ErrKeyNotFound) {
		return nil, &NotFoundError{Kind: NotFoundRevision, ID: fmt.Sprintf("%d of case %s", n, id)}
	}
	if err != nil {
		return nil, err
	}
	r, err := v.decodeRevision(item, id, dk)
	if err != nil {
		return nil, err
	}
	d, err := r.Case()
	if err != nil {
		return nil, &CorruptError{What: "revision of case " + id.String(), Err: err}
	}
	return d, nil
}

// lastImported returns the newest revision of a case written by a bundle
// import (0 and "" when there is none).
func (v *Vault) lastImported(txn *store.Txn, id CaseID, dk crypto.Key) (uint32, string, error) {
	it := txn.NewIterator(store.IteratorOptions{Prefix: revisionPrefix(id), Reverse: true, PrefetchValues: true})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		r, err := v.decodeRevision(it.Item(), id, dk)
		if err != nil {
			return 0, "", err
		}
		if r.Op == OpCaseImport {
			return r.Rev, r.SHA256, nil
		}
	}
	return 0, "", nil
}

// dropConflictsFrom removes the pending conflicts from a source: its newer
// version, just stored, supersedes them.
func (c *change) dropConflictsFrom(id CaseID, dk crypto.Key, source string) error {
	all, err := c.v.conflicts(c.txn, id, dk)
	if err != nil {
		return err
	}
	for _, cf := range all {
		if cf.Source == source {
			if err := c.del(conflictKey(id, cf.Seq)); err != nil {
				return err
			}
		}
	}
	return nil
}

// evidenceClash says why the evidence of a case entry cannot go with case
// local (nil: a new case): an evidence ID this vault uses for another
// case, or a file of that ID with other content. Nothing is written.
func (c *change) evidenceClash(local *CaseID, p pendingCase, blobs map[string]*pendingEvidence) (string, error) {
	for _, ev := range p.entry.Evidence {
		b := blobs[ev.ID]
		if b == nil || b.ref == nil {
			return fmt.Sprintf("evidence %s is missing from the bundle", ev.ID), nil
		}
		owner, err := c.v.evidenceCase(c.txn, b.ref.evid)
		switch {
		case err == nil && local != nil && owner == *local:
			rec, err := c.v.evidenceRecordOf(c.txn, b.ref.evid)
			if err != nil {
				return "", err
			}
			if rec.SHA256 != ev.SHA256 {
				return fmt.Sprintf("evidence %s differs from the file of that ID this vault already holds", ev.ID), nil
			}
		case err == nil:
			return fmt.Sprintf("evidence ID %s is already used by another case in this vault (%s)", ev.ID, owner), nil
		case !IsNotFound(err):
			return "", err
		}
	}
	return "", nil
}

// returnClaim returns the claim a bundle to org carries for case id when
// the case is org's own, imported here from org: org's case ID and the
// revision of it received last (nil for a case of ours).
func (v *Vault) returnClaim(txn *store.Txn, id CaseID, org string) (*ReturnClaim, error) {
	mac := v.orgMAC(org)
	var out *ReturnClaim
	err := eachKey(txn, key(pOrigin, mac), true, func(k []byte, item *store.Item) error {
		if out != nil {
			return nil
		}
		sealed, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		var rec originRecord
		if err := openJSON(k, v.keys.sys, sealed, &rec); err != nil {
			return err
		}
		if rec.Case == id.String() && !rec.Returned {
			out = &ReturnClaim{CaseID: rec.OriginCaseID, Rev: rec.OriginRev}
		}
		return nil
	})
	return out, err
}

// A CasesRejectedError reports the cases of a bundle that were not
// imported, each with its reason; the bundle's other cases were. The
// result of the import is returned with it.
type CasesRejectedError struct {
	BundleID string
	Rejected []BundleCase
}

func (e *CasesRejectedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d case(s) of bundle %s were rejected, the others were imported:", len(e.Rejected), e.BundleID)
	for _, c := range e.Rejected {
		fmt.Fprintf(&b, "\n  %s: %s", c.Origin, c.Reason)
	}
	return b.String()
}

// Is puts a CasesRejectedError among invalid input.
func (e *CasesRejectedError) Is(target error) bool { return target == errs.ErrInvalid }

func rejectedCases(res *BundleImportResult) error {
	var rej []BundleCase
	for _, c := range res.Cases {
		if c.Result == ImportRejected {
			rej = append(rej, c)
		}
	}
	if len(rej) == 0 {
		return nil
	}
	return &CasesRejectedError{BundleID: res.BundleID, Rejected: rej}
}

// allRejected returns the refusal of a bundle none of whose cases can be
// imported (nil when one can, or when it has none).
func allRejected(cs []BundleCase) error {
	if len(cs) == 0 {
		return nil
	}
	var reasons []string
	for _, c := range cs {
		if c.Result != ImportRejected {
			return nil
		}
		reasons = append(reasons, c.Reason)
	}
	return malformed("%s", strings.Join(reasons, "; "))
}
