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
	return ""
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
