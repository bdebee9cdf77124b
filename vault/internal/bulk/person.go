package bulk

import (
	"fmt"
	"slices"
	"strings"

	"github.com/casevault/casevault/schema"
	foldpkg "github.com/casevault/casevault/vault/internal/fold"
)

// PersonConflict says why a record names another person than the stored
// case its external_id matched, or "" when it may be the same person. The
// rule is conservative, so that a reused external_id (another sheet's row
// "1") never overwrites someone else's case: the person's name must be the
// same word for word on folded skeletons (script, letter case, ё and
// spacing do not matter; a different word form does), and a birth date
// given on both sides must be the same.
func PersonConflict(stored, rec *schema.Case) string {
	sn, sb := personOf(stored)
	rn, rb := personOf(rec)
	if rn != "" && !slices.Equal(nameWords(sn), nameWords(rn)) {
		return fmt.Sprintf("names %s in this vault, not %s", sn, rn)
	}
	if sb != "" && rb != "" && sb != rb {
		return fmt.Sprintf("is %s born %s in this vault, not born %s", sn, sb, rb)
	}
	if ext, _ := rec.Doc["external_id"].(string); strings.TrimSpace(ext) == "" && (sb == "" || rb == "") {
		// Without an external_id and a birth date on both sides, a name
		// and a first charge are all the key has: another identifying field of the person
		// that both give and that differs (region, native name) says it
		// is someone else (two Ivan Ivanovs, Omsk and Kazan).
		for _, path := range personIdentifying() {
			sv, rv := personField(stored, path), personField(rec, path)
			if sv != "" && rv != "" && !slices.Equal(nameWords(sv), nameWords(rv)) {
				return fmt.Sprintf("is %s with %s %q in this vault, not %q, and no birth date tells them apart", sn, path, sv, rv)
			}
		}
	}
	return ""
}

// personIdentifying are the identifying fields (x-identifying person-name
// and place) of the person itself, other than the name, that hold one
// string.
func personIdentifying() []string {
	var out []string
	for _, class := range []string{schema.PersonName, schema.Place} {
		for _, p := range schema.IdentifyingPaths(class) {
			if strings.HasPrefix(p, "person.") && strings.Count(p, ".") == 1 && p != "person.name" {
				out = append(out, p)
			}
		}
	}
	return out
}

func personField(c *schema.Case, path string) string {
	p, _ := c.Doc["person"].(map[string]any)
	s, _ := p[strings.TrimPrefix(path, "person.")].(string)
	return strings.TrimSpace(s)
}

func personOf(c *schema.Case) (name, birth string) {
	p, _ := c.Doc["person"].(map[string]any)
	name, _ = p["name"].(string)
	birth, _ = p["birth_date"].(string)
	return strings.TrimSpace(name), strings.TrimSpace(birth)
}

func nameWords(s string) []string {
	var out []string
	for _, w := range foldpkg.Words(s) {
		out = append(out, w.Skeleton)
	}
	return out
}
