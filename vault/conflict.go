package vault

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/cases"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/store"
)

// Conflict revisions (see SECURITY.md, "Conflicts and provenance"): when
// another side (a partner's bundle; later another staff laptop) brings a
// newer version of a case that was also changed here since the last
// version received from that side, the local revision stays current and
// the other version is kept as a conflict revision until someone resolves
// it. Store key X case(10) seq(4), sealed under the case's data key with
// the key as additional data (like a revision), so it cannot be moved to
// another case; it goes with the case in rm, purge and rekey.

const pConflict = store.PConflict

func conflictPrefix(c CaseID) []byte          { return key(pConflict, c[:]) }
func conflictKey(c CaseID, seq uint32) []byte { return key(pConflict, c[:], u32(seq)) }

// A Conflict is another side's version of a case kept beside the local
// one. Theirs is what 'resolve --take theirs' would store; Sent, when set,
// is the document as the other side sent it (for our own case sent back by
// a partner: their filtered copy, which Theirs merges into ours).
type Conflict struct {
	Case string `json:"case"`
	Seq  uint32 `json:"seq"`
	// Source names the other side: the partner organisation, or whatever
	// the caller of RecordConflict names (such as a staff laptop).
	Source       string `json:"source"`
	Org          string `json:"org,omitempty"`
	BundleID     string `json:"bundle_id,omitempty"`
	OriginCaseID string `json:"origin_case_id,omitempty"`
	OriginRev    uint32 `json:"origin_rev,omitempty"`
	// Returned is true for our own case sent back by a partner.
	Returned bool `json:"returned,omitempty"`
	// BaseRev is the local revision that holds the last version received
	// from Source (0: not known); LocalRev the current local revision when
	// the conflict was recorded.
	BaseRev  uint32          `json:"base_rev"`
	LocalRev uint32          `json:"local_rev"`
	Time     time.Time       `json:"time"`
	SHA256   string          `json:"sha256"` // of Theirs
	Theirs   json.RawMessage `json:"theirs"`
	Sent     json.RawMessage `json:"sent,omitempty"`
	// Unmerged are fields of Sent that could not be applied to our own
	// case without losing what the partner never saw: 'take theirs' is
	// refused while there are any (take edit).
	Unmerged []string `json:"unmerged,omitempty"`
}

// Doc decodes the conflict's version of the case.
func (cf *Conflict) Doc() (*schema.Case, error) { return schema.FromJSON(cf.Theirs) }

// ConflictInput is another side's version of a case for RecordConflict.
type ConflictInput struct {
	Source   string
	Doc      *schema.Case
	BaseRev  uint32 // local revision the other side last had (0: unknown)
	Org      string
	BundleID string
	// OriginCaseID and OriginRev name the case on the other side.
	OriginCaseID string
	OriginRev    uint32
	Returned     bool
	Sent         *schema.Case
	Unmerged     []string
}

// ConflictError reports a resolution that cannot be done as asked.
type ConflictError struct {
	Case string
	Msg  string
}

func (e *ConflictError) Error() string { return "case " + e.Case + ": " + e.Msg }

// Is puts a ConflictError among invalid input (exit 6).
func (e *ConflictError) Is(target error) bool { return target == errs.ErrInvalid }

// RecordConflict keeps doc as a conflict revision of case id, in one
// transaction with an audit entry case.conflict. A pending conflict from
// the same source is replaced (the other side's newer version supersedes
// its older one); the same document again changes nothing.
func (v *Vault) RecordConflict(id CaseID, in ConflictInput) (*Conflict, error) {
	var out *Conflict
	err := v.commit(func(c *change) error {
		var err error
		var changed bool
		out, changed, err = c.recordConflict(id, in)
		if err == nil && !changed {
			return errNothingToWrite
		}
		return err
	})
	if errors.Is(err, errNothingToWrite) {
		err = nil
	}
	return out, err
}

// errNothingToWrite ends a change that found nothing to write.
var errNothingToWrite = errors.New("nothing to write")

// recordConflict stores a conflict revision; changed is false when the
// same conflict was pending already.
func (c *change) recordConflict(id CaseID, in ConflictInput) (*Conflict, bool, error) {
	v := c.v
	if in.Source == "" || in.Doc == nil {
		return nil, false, errors.New("internal error: a conflict needs a source and a document")
	}
	dk, err := v.caseKey(c.txn, id)
	if err != nil {
		return nil, false, err
	}
	cur, err := v.latestRevision(c.txn, id, dk)
	if err != nil {
		return nil, false, err
	}
	canon := in.Doc.Canonical()
	sum := cases.Hash(canon)
	pending, err := v.conflicts(c.txn, id, dk)
	if err != nil {
		return nil, false, err
	}
	var seq uint32 = 1
	for _, p := range pending {
		if p.Seq >= seq {
			seq = p.Seq + 1
		}
	}
	for _, p := range pending {
		if p.Source == in.Source {
			if p.SHA256 == sum {
				return p, false, nil
			}
			// The newer version replaces the older one under a new
			// number, so that a decision taken on the old number (on a
			// version the user saw) is refused rather than applied to
			// one never shown.
			if err := c.del(conflictKey(id, p.Seq)); err != nil {
				return nil, false, err
			}
			break
		}
	}
	cf := &Conflict{Case: id.String(), Seq: seq, Source: in.Source, Org: in.Org, BundleID: in.BundleID,
		OriginCaseID: in.OriginCaseID, OriginRev: in.OriginRev, Returned: in.Returned,
		BaseRev: in.BaseRev, LocalRev: cur.Rev, Time: v.now(), SHA256: sum, Theirs: canon, Unmerged: in.Unmerged}
	if in.Sent != nil {
		cf.Sent = in.Sent.Canonical()
	}
	b, err := marshalJSON(cf)
	if err != nil {
		return nil, false, err
	}
	if err := c.put(conflictKey(id, seq), dk, b); err != nil {
		return nil, false, err
	}
	c.auditHash(OpCaseConflict, []string{id.String(), in.Source}, mustHex(sum))
	return cf, true, nil
}

// conflicts returns the pending conflicts of a case, by sequence number.
func (v *Vault) conflicts(txn *store.Txn, id CaseID, dk crypto.Key) ([]*Conflict, error) {
	var out []*Conflict
	err := eachKey(txn, conflictPrefix(id), true, func(k []byte, item *store.Item) error {
		sealed, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		var cf Conflict
		if err := openJSON(k, dk, sealed, &cf); err != nil {
			return err
		}
		if len(k) != 1+idLen+4 || cf.Case != id.String() || cf.Seq != binary.BigEndian.Uint32(k[1+idLen:]) {
			return &CorruptError{What: describeKey(k), Err: errors.New("the record does not match its key")}
		}
		out = append(out, &cf)
		return nil
	})
	return out, err
}

// Conflicts returns the pending conflict revisions of case id (none: an
// empty list).
func (v *Vault) Conflicts(id CaseID) ([]*Conflict, error) {
	var out []*Conflict
	err := v.view(func(txn *store.Txn) error {
		dk, err := v.caseKey(txn, id)
		if err != nil {
			return err
		}
		out, err = v.conflicts(txn, id, dk)
		return err
	})
	return out, err
}

// CasesWithConflicts returns the cases that have pending conflicts and
// how many each (from the store keys alone: nothing is decrypted).
func (v *Vault) CasesWithConflicts() (map[CaseID]int, error) {
	out := map[CaseID]int{}
	err := v.view(func(txn *store.Txn) error {
		return eachKey(txn, []byte{pConflict}, false, func(k []byte, _ *store.Item) error {
			if len(k) == 1+idLen+4 {
				var id CaseID
				copy(id[:], k[1:])
				out[id]++
			}
			return nil
		})
	})
	return out, err
}

// A ConflictView is the three-way view of a conflict: the base (the last
// version received from the other side, as stored here; nil when not
// known), the local current revision and the other side's version, with
// what each side changed from the base, field by field.
type ConflictView struct {
	Conflict *Conflict `json:"conflict"`
	BaseRev  uint32    `json:"base_rev"`
	LocalRev uint32    `json:"local_rev"`
	Base     any       `json:"base,omitempty"`
	Local    any       `json:"local"`
	Theirs   any       `json:"theirs"`
	// LocalChanges: base -> local; TheirChanges: base -> theirs;
	// Differences: local -> theirs.
	LocalChanges []Change `json:"local_changes"`
	TheirChanges []Change `json:"their_changes"`
	Differences  []Change `json:"differences"`
}

// ViewConflict returns the three-way view of the conflict seq of case id
// (seq 0: the only pending one).
func (v *Vault) ViewConflict(id CaseID, seq uint32) (*ConflictView, error) {
	var out *ConflictView
	err := v.view(func(txn *store.Txn) error {
		dk, err := v.caseKey(txn, id)
		if err != nil {
			return err
		}
		cf, err := v.pickConflict(txn, id, dk, seq)
		if err != nil {
			return err
		}
		cur, err := v.latestRevision(txn, id, dk)
		if err != nil {
			return err
		}
		local, err := cur.Case()
		if err != nil {
			return &CorruptError{What: "revision of case " + id.String(), Err: err}
		}
		theirs, err := cf.Doc()
		if err != nil {
			return &CorruptError{What: describeKey(conflictKey(id, cf.Seq)), Err: err}
		}
		view := &ConflictView{Conflict: cf, LocalRev: cur.Rev, Local: local.Doc, Theirs: theirs.Doc}
		var baseDoc any = map[string]any{}
		if cf.BaseRev > 0 && cf.BaseRev <= cur.Rev {
			item, err := txn.Get(revisionKey(id, cf.BaseRev))
			if err == nil {
				if br, err := v.decodeRevision(item, id, dk); err == nil {
					if bd, err := br.Case(); err == nil {
						baseDoc, view.Base, view.BaseRev = bd.Doc, bd.Doc, cf.BaseRev
					}
				}
			}
		}
		view.LocalChanges = orNone(cases.Diff(baseDoc, local.Doc))
		view.TheirChanges = orNone(cases.Diff(baseDoc, theirs.Doc))
		view.Differences = orNone(cases.Diff(local.Doc, theirs.Doc))
		out = view
		return nil
	})
	return out, err
}

func orNone(c []Change) []Change {
	if c == nil {
		return []Change{}
	}
	return c
}

// pickConflict returns conflict seq of a case; seq 0 names the only one.
func (v *Vault) pickConflict(txn *store.Txn, id CaseID, dk crypto.Key, seq uint32) (*Conflict, error) {
	all, err := v.conflicts(txn, id, dk)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, &NotFoundError{Kind: NotFoundConflict, ID: "for case " + id.String()}
	}
	if seq == 0 {
		if len(all) > 1 {
			return nil, &ConflictError{Case: id.String(), Msg: fmt.Sprintf("%d conflicts are pending (from %s and %s): name one by its number", len(all), all[0].Source, all[len(all)-1].Source)}
		}
		return all[0], nil
	}
	for _, cf := range all {
		if cf.Seq == seq {
			return cf, nil
		}
	}
	for _, cf := range all {
		if cf.Seq > seq {
			return nil, &ConflictError{Case: id.String(), Msg: fmt.Sprintf("conflict %d is not pending: it was decided or replaced by a newer version (now conflict %d from %s): look again", seq, cf.Seq, cf.Source)}
		}
	}
	return nil, &NotFoundError{Kind: NotFoundConflict, ID: fmt.Sprintf("%d for case %s", seq, id)}
}

// NotFoundConflict: no pending conflict revision.
const NotFoundConflict NotFoundKind = "pending conflict"

// How a conflict is resolved.
const (
	TakeLocal  = "local"  // keep the local version
	TakeTheirs = "theirs" // store the other side's version
	TakeEdit   = "edit"   // store a document the user made from both
)

// ResolveOptions say how ResolveConflict resolves a conflict.
type ResolveOptions struct {
	Seq  uint32 // the conflict; 0: the only pending one
	Take string // TakeLocal, TakeTheirs or TakeEdit
	Doc  *schema.Case
	// LocalRev, when not 0, is the local revision the user decided on: a
	// case that moved on since is refused with a *StaleError.
	LocalRev uint32
	// SHA256, when set, is the conflict version the user decided on: a
	// conflict replaced since (a newer version from the same side) is
	// refused.
	SHA256 string
}

// ResolveConflict resolves a pending conflict in one transaction: it
// stores a new revision (the local document, the other side's, or
// o.Doc), removes the conflict revision, records case.resolve in the audit
// log and, for a partner's case, makes the version received from the
// partner the new base (so that the partner's next version is compared
// with it).
func (v *Vault) ResolveConflict(id CaseID, o ResolveOptions) (*Revision, *Conflict, error) {
	var rev *Revision
	var done *Conflict
	if o.Take == TakeEdit && o.Doc != nil {
		normalizeLocal(o.Doc, AddOptions{})
	}
	err := v.commit(func(c *change) error {
		dk, err := v.caseKey(c.txn, id)
		if err != nil {
			return err
		}
		cf, err := v.pickConflict(c.txn, id, dk, o.Seq)
		if err != nil {
			return err
		}
		if o.SHA256 != "" && !strings.HasPrefix(cf.SHA256, o.SHA256) {
			return &ConflictError{Case: id.String(), Msg: fmt.Sprintf("conflict %d was replaced by a newer version from %s since you looked at it: look again", cf.Seq, cf.Source)}
		}
		cur, err := v.latestRevision(c.txn, id, dk)
		if err != nil {
			return err
		}
		if o.LocalRev != 0 && o.LocalRev != cur.Rev {
			return &StaleError{Case: id.String(), Base: o.LocalRev, Current: cur.Rev}
		}
		var doc *schema.Case
		switch o.Take {
		case TakeLocal:
			doc, err = cur.Case()
		case TakeTheirs:
			if len(cf.Unmerged) > 0 {
				return &ConflictError{Case: id.String(), Msg: fmt.Sprintf("their version changes %v, which this vault also holds fields of that were never sent to %s: taking theirs would lose them; only an edit can take their changes", cf.Unmerged, cf.Source)}
			}
			doc, err = cf.Doc()
		case TakeEdit:
			if o.Doc == nil {
				return errors.New("internal error: an edit resolution without a document")
			}
			doc = o.Doc
		default:
			return fmt.Errorf("%w: take %q: say local, theirs or edit", errs.ErrInvalid, o.Take)
		}
		if err != nil {
			return &CorruptError{What: "case " + id.String(), Err: err}
		}
		rev, err = c.updateCase(id, doc, AddOptions{Op: OpCaseResolve})
		if err != nil {
			return err
		}
		if err := c.del(conflictKey(id, cf.Seq)); err != nil {
			return err
		}
		if cf.Org != "" && cf.OriginCaseID != "" {
			if err := c.advanceOrigin(cf, rev); err != nil {
				return err
			}
		}
		done = cf
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return rev, done, nil
}

// advanceOrigin makes the partner's version of a resolved conflict the
// base its next version is compared with.
func (c *change) advanceOrigin(cf *Conflict, rev *Revision) error {
	origin, err := ParseCaseID(cf.OriginCaseID)
	if err != nil {
		return nil
	}
	ok := originKey(c.v.orgMAC(cf.Org), origin)
	var orec originRecord
	if err := c.v.getJSON(c.txn, ok, c.v.keys.sys, &orec); err != nil {
		if errors.Is(err, errNoRecord) {
			return nil // the mapping went (organisation removed)
		}
		return err
	}
	if orec.Case != cf.Case {
		return nil
	}
	orec.BaseSHA256 = cf.SHA256
	if rev.SHA256 == cf.SHA256 {
		orec.BaseRev = rev.Rev
	}
	return c.putJSON(ok, c.v.keys.sys, orec)
}
