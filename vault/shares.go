package vault

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/store"
)

// A Share records that a case, or chosen fields of it, goes to a partner
// organisation in bundles.
type Share struct {
	Case string `json:"case"`
	Org  string `json:"org"`
	// Fields are the field paths the share names (such as "person" or
	// "person.contacts"); empty means every public and restricted field.
	Fields  []string  `json:"fields,omitempty"`
	Created time.Time `json:"created"`
	Author  string    `json:"author"`
}

// FieldsError reports field names that are not fields of a case file.
type FieldsError struct {
	Unknown []string
}

func (e *FieldsError) Error() string {
	return fmt.Sprintf("unknown field %s (known fields: %s)",
		strings.Join(quoteAll(e.Unknown), ", "), strings.Join(topFields(), ", "))
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}

func topFields() []string {
	var out []string
	for _, f := range schema.Fields() {
		if !strings.Contains(f.Path, ".") {
			out = append(out, f.Path)
		}
	}
	return out
}

// CheckFields validates field names for a share against the schema and
// returns them trimmed, sorted and without duplicates.
func CheckFields(fields []string) ([]string, error) {
	known := map[string]bool{}
	for _, f := range schema.Fields() {
		known[f.Path] = true
	}
	var out, bad []string
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !known[f] {
			bad = append(bad, f)
			continue
		}
		out = append(out, f)
	}
	if len(bad) > 0 {
		return nil, &FieldsError{Unknown: bad}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// alwaysShared are fields every shared copy keeps: the format version, and
// the overrides that tell the partner which fields to treat as more secret.
var alwaysShared = []string{"schema", "sensitivity_overrides"}

// Apply returns the copy of doc that the share lets go to the partner.
//
// With no fields named, it keeps every field whose effective level (after
// the case's sensitivity_overrides) is public or restricted. With fields
// named, it keeps only fields at or below a named path, and of those the
// confidential ones only when a named path is itself confidential: naming
// "person" sends the person's public and restricted fields, naming
// "person.contacts" sends the contacts. The schema version and
// sensitivity_overrides always go along.
func (s *Share) Apply(doc *schema.Case) *schema.Case {
	return filterFields(doc, s.Fields)
}

func filterFields(doc *schema.Case, fields []string) *schema.Case {
	return doc.Filter(func(path string, level schema.Level) bool {
		if slices.Contains(alwaysShared, path) {
			return true
		}
		if len(fields) == 0 {
			return level <= schema.Restricted
		}
		for _, f := range fields {
			if path != f && !strings.HasPrefix(path, f+".") {
				continue
			}
			if level <= schema.Restricted || doc.Level(f) >= schema.Confidential {
				return true
			}
		}
		return false
	})
}

// checkShareable reports why the shared copy of a case would not be a
// valid case file (for example, person.name left out).
func checkShareable(id CaseID, shared *schema.Case) error {
	if _, err := schema.FromJSON(shared.Canonical()); err != nil {
		var ve *schema.ValidationError
		if errors.As(err, &ve) {
			return fmt.Errorf("case %s: the shared fields do not make a valid case file (person.name must be among them): %w", id, err)
		}
		return err
	}
	return nil
}

// ShareCase records that case id goes to organisation org with the named
// fields (none: all public and restricted fields). A second share of the
// same case with the same organisation replaces the first.
func (v *Vault) ShareCase(id CaseID, org string, fields []string) (*Share, error) {
	fields, err := CheckFields(fields)
	if err != nil {
		return nil, err
	}
	s := &Share{Case: id.String(), Org: org, Fields: fields, Created: v.now(), Author: v.author()}
	err = v.commit(func(c *change) error {
		if _, err := v.unambiguousOrg(c.txn, org); err != nil {
			return err
		}
		dk, err := v.caseKey(c.txn, id)
		if err != nil {
			return err
		}
		if err := v.refuseQuarantined(c.txn, id); err != nil {
			return err
		}
		cur, err := v.latestRevision(c.txn, id, dk)
		if err != nil {
			return err
		}
		doc, err := cur.Case()
		if err != nil {
			return &CorruptError{What: "revision of case " + id.String(), Err: err}
		}
		if err := checkShareable(id, s.Apply(doc)); err != nil {
			return err
		}
		if err := c.putJSON(shareKey(id, v.orgMAC(org)), v.keys.sys, s); err != nil {
			return err
		}
		c.audit(OpShare, []string{id.String(), org}, []byte(strings.Join(fields, ",")))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Unshare removes the share of case id with organisation org. Bundles
// already sent are not recalled.
func (v *Vault) Unshare(id CaseID, org string) error {
	return v.commit(func(c *change) error {
		k := shareKey(id, v.orgMAC(org))
		if _, err := c.txn.Get(k); errors.Is(err, store.ErrKeyNotFound) {
			return &NotFoundError{Kind: NotFoundShare, ID: fmt.Sprintf("of case %s with %q", id, org)}
		} else if err != nil {
			return err
		}
		if err := c.del(k); err != nil {
			return err
		}
		c.audit(OpUnshare, []string{id.String(), org}, nil)
		return nil
	})
}

// Shares returns the shares of case id (when not nil) with organisation
// org (when not empty), sorted by case and organisation.
func (v *Vault) Shares(id *CaseID, org string) ([]Share, error) {
	var out []Share
	err := v.view(func(txn *store.Txn) error {
		var mac []byte
		if org != "" {
			if _, err := v.activeOrg(txn, org); err != nil {
				return err
			}
			mac = v.orgMAC(org)
		}
		var err error
		out, err = v.shares(txn, id, mac)
		return err
	})
	return out, err
}

func (v *Vault) shares(txn *store.Txn, id *CaseID, orgMAC []byte) ([]Share, error) {
	pfx := []byte{pShare}
	if id != nil {
		pfx = sharePrefix(*id)
	}
	var out []Share
	it := txn.NewIterator(store.IteratorOptions{Prefix: pfx, PrefetchValues: true})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().KeyCopy(nil)
		if len(k) != 1+idLen+8 {
			return nil, &CorruptError{What: describeKey(k), Err: errors.New("malformed key")}
		}
		if orgMAC != nil && !bytes.Equal(k[1+idLen:], orgMAC) {
			continue
		}
		var s Share
		if err := v.getJSON(txn, k, v.keys.sys, &s); err != nil {
			return nil, err
		}
		if s.Case != CaseID(k[1:1+idLen]).String() || !bytes.Equal(v.orgMAC(s.Org), k[1+idLen:]) {
			return nil, &CorruptError{What: describeKey(k), Err: errors.New("share does not match its key")}
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Case != out[j].Case {
			return out[i].Case < out[j].Case
		}
		return out[i].Org < out[j].Org
	})
	return out, nil
}
