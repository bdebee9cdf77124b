package vault

import (
	"encoding/json"
	"errors"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/cases"
	"github.com/casevault/casevault/vault/internal/store"
)

// A Change is one field that differs between two revisions of a case.
type Change = cases.Change

// ChangeKind says how a field differs: added, removed or changed.
type ChangeKind = cases.ChangeKind

// The kinds of change.
const (
	ChangeAdded   = cases.Added
	ChangeRemoved = cases.Removed
	ChangeChanged = cases.Changed
)

// StaleError refuses a case file based on an older revision than the
// current one, listing what storing it would undo.
type StaleError = cases.StaleError

// CaseBase is the revision a case file was made from, as its marker line
// says (see ParseCaseBase).
type CaseBase = cases.Base

// DiffDocs returns the fields in which document b differs from a (JSON
// values, as schema.Case.Doc holds them).
func DiffDocs(a, b any) []Change { return cases.Diff(a, b) }

// CaseBaseLine returns the marker line that names the revision a case
// file is based on; rest follows it on the same line.
func CaseBaseLine(b CaseBase, rest string) string { return cases.BaseLine(b, rest) }

// ParseCaseBase returns the revision a case file says it is based on.
func ParseCaseBase(data []byte) (CaseBase, bool) { return cases.ParseBase(data) }

// MalformedBaseError is a damaged marker line in a case file.
type MalformedBaseError = cases.MalformedBaseError

// ParseCaseBaseStrict is ParseCaseBase, but returns a *MalformedBaseError
// for a line that starts like the marker and does not parse.
func ParseCaseBaseStrict(data []byte) (CaseBase, bool, error) { return cases.ParseBaseStrict(data) }

// DiffRevisions returns the fields in which revision to of case id
// differs from revision from. Revision 0 stands for an empty document.
func (v *Vault) DiffRevisions(id CaseID, from, to uint32) ([]Change, error) {
	docs := make([]any, 2)
	for i, n := range []uint32{from, to} {
		if n == 0 {
			docs[i] = map[string]any{}
			continue
		}
		r, err := v.CaseRevision(id, n)
		if err != nil {
			return nil, err
		}
		if docs[i], err = revisionDoc(r); err != nil {
			return nil, err
		}
	}
	return cases.Diff(docs[0], docs[1]), nil
}

// revisionDoc decodes the document of a revision as JSON values.
func revisionDoc(r *Revision) (any, error) {
	var doc any
	if err := json.Unmarshal(r.Doc, &doc); err != nil {
		return nil, &CorruptError{What: "revision of case " + r.CaseID, Err: err}
	}
	return doc, nil
}

// checkBase refuses (with a *StaleError) to store doc over cur when doc
// was based on revision base, older than cur, and would undo what was
// changed since.
func (v *Vault) checkBase(txn *store.Txn, id CaseID, dk crypto.Key, cur *Revision, base uint32, canon []byte) error {
	if base == cur.Rev {
		return nil
	}
	if base > cur.Rev {
		return &StaleError{Case: id.String(), Base: base, Current: cur.Rev}
	}
	var baseDoc any = map[string]any{}
	if base > 0 {
		item, err := txn.Get(revisionKey(id, base))
		if err != nil && !errors.Is(err, store.ErrKeyNotFound) {
			return err
		}
		if err == nil {
			r, err := v.decodeRevision(item, id, dk)
			if err != nil {
				return err
			}
			if baseDoc, err = revisionDoc(r); err != nil {
				return err
			}
		}
	}
	curDoc, err := revisionDoc(cur)
	if err != nil {
		return err
	}
	var fileDoc any
	if err := json.Unmarshal(canon, &fileDoc); err != nil {
		return err
	}
	if undone := cases.Undone(baseDoc, curDoc, fileDoc); len(undone) > 0 {
		return &StaleError{Case: id.String(), Base: base, Current: cur.Rev, Undone: undone}
	}
	return nil
}
