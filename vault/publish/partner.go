package publish

import (
	"fmt"
	"slices"
)

// admits reports whether src may be published as far as its origin goes:
// a case of our own always; a case imported from a partner's bundle only
// when named (Source.Named, or its organisation in o.From), while its
// organisation is still a partner, and never while quarantined.
func (o Options) admits(src Source) bool {
	if src.Quarantined {
		return false
	}
	if src.Origin == "" {
		return true
	}
	return slices.Contains(o.Partners, src.Origin) && (src.Named || slices.Contains(o.From, src.Origin))
}

// An ExcludedError refuses a publication that names a case which is never
// published because of where it came from or because it is quarantined.
type ExcludedError struct {
	Case   string // internal case ID
	Reason string
}

func (e *ExcludedError) Error() string {
	return fmt.Sprintf("case %s is never published: %s", e.Case, e.Reason)
}

// checkNamed refuses a named case that o would leave out for its origin or
// quarantine, rather than leaving it out silently.
func (o Options) checkNamed(src Source) error {
	if !src.Named || o.admits(src) {
		return nil
	}
	if src.Quarantined {
		return &ExcludedError{Case: src.CaseID, Reason: "it is quarantined"}
	}
	return &ExcludedError{Case: src.CaseID, Reason: fmt.Sprintf("it was imported from %q, which is no longer a partner organisation", src.Origin)}
}
