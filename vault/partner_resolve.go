package vault

import (
	"fmt"
	"strings"

	"github.com/casevault/casevault/vault/internal/errs"
)

// UnknownOrgError reports a partner name that names no known organisation,
// with the closest known name when one is near (did you mean).
type UnknownOrgError struct {
	Name       string
	Suggestion string // "" when no known name is near
}

func (e *UnknownOrgError) Error() string {
	if e.Suggestion != "" {
		return fmt.Sprintf("no organisation %q in this vault; did you mean %q?", e.Name, e.Suggestion)
	}
	return fmt.Sprintf("no organisation %q in this vault", e.Name)
}

// Is puts an UnknownOrgError among not found.
func (e *UnknownOrgError) Is(target error) bool { return target == errs.ErrNotFound }

// ResolveOrg returns the name of the known partner organisation that name
// names: the same name, or (among those not removed) one that differs only in
// letter case and spacing ("beta  rights" for "Beta Rights"; lookalike
// names are refused when organisations are added, so at most one matches).
// Otherwise it is an [UnknownOrgError] suggesting the nearest known name
// by edit distance, if one is near.
func (v *Vault) ResolveOrg(name string) (string, error) {
	all, err := v.Orgs(true)
	if err != nil {
		return "", err
	}
	var orgs []Org
	for _, o := range all {
		if o.Name == name {
			// Exactly a known name (removed ones too: what the caller
			// does with a removed organisation is its own rule).
			return o.Name, nil
		}
		if o.Removed == nil {
			orgs = append(orgs, o)
		}
	}
	want := foldOrgName(name)
	for _, o := range orgs {
		if foldOrgName(o.Name) == want {
			return o.Name, nil
		}
	}
	e := &UnknownOrgError{Name: name}
	best := -1
	for _, o := range orgs {
		d := editDistance(want, foldOrgName(o.Name))
		limit := max(2, len([]rune(want))/3)
		if d <= limit && (best < 0 || d < best) {
			best, e.Suggestion = d, o.Name
		}
	}
	return "", e
}

func foldOrgName(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// editDistance is the Levenshtein distance of a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
