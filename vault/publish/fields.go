package publish

import (
	"slices"
	"strings"
	"sync"

	"github.com/casevault/casevault/schema"
)

// fieldRoles are the lists of case fields the leak scan treats apart,
// taken from the annotations of a case schema (x-identifying,
// x-controlled, x-public), never written by hand.
type fieldRoles struct {
	// nameLike hold names of people (x-identifying person-name or name):
	// their words are searched for as names (full name, surname alone),
	// not only as the whole value.
	nameLike map[string]bool
	// personName are the fields that name a case's person (x-identifying
	// person-name): withheld unless the consent is full.
	personName map[string]bool
	// address are postal addresses (x-identifying address): searched for
	// by street and number too.
	address map[string]bool
	// skip are fields whose values are controlled words or field names,
	// not data about anyone ("lawyer", "anonymous", "confidential";
	// x-controlled): searching for them would only raise false alarms.
	skip map[string]bool
	// anonymised are public fields that an anonymous publication leaves
	// out, because they point to the person (x-public anonymise drop or
	// pseudonym). Their values are scanned for like restricted values,
	// within the case's own output (the person's names everywhere).
	anonymised []string
	// publicNames are the fields of the person that name them and are
	// public by default (the person-name fields directly under person:
	// name and name_native), without the "person." prefix: the keys under
	// which the same person is recognised in two organisations' cases.
	publicNames []string
}

var rolesCache sync.Map // *schema.Schema -> *fieldRoles

// rolesOf returns the field roles of the schema s.
func rolesOf(s *schema.Schema) *fieldRoles {
	if r, ok := rolesCache.Load(s); ok {
		return r.(*fieldRoles)
	}
	set := func(paths ...[]string) map[string]bool {
		m := map[string]bool{}
		for _, l := range paths {
			for _, p := range l {
				m[p] = true
			}
		}
		return m
	}
	r := &fieldRoles{
		nameLike:   set(s.IdentifyingPaths(schema.PersonName), s.IdentifyingPaths(schema.OtherName)),
		personName: set(s.IdentifyingPaths(schema.PersonName)),
		address:    set(s.IdentifyingPaths(schema.Address)),
		skip:       set(s.ControlledPaths()),
	}
	for _, f := range s.PublicFields() {
		if slices.Contains([]string{"drop", "pseudonym"}, f.Anonymise) {
			r.anonymised = append(r.anonymised, f.Path)
		}
	}
	for _, p := range s.IdentifyingPaths(schema.PersonName) {
		name, ok := strings.CutPrefix(p, "person.")
		if level, _ := s.DefaultLevel(p); ok && level == schema.Public && !strings.Contains(name, ".") {
			r.publicNames = append(r.publicNames, name)
		}
	}
	rolesCache.Store(s, r)
	return r
}
