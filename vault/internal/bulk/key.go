package bulk

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/casevault/casevault/schema"
)

// StableKeys returns the keys by which a re-import recognises the case a
// record was imported as: "ext:" and the record's external_id when it has
// one, and always "hash:" and a hash of the person's name (case and
// spacing folded, ё read as е), birth date and first charge (normalised).
// The external ID, when present, is the one to match first.
func StableKeys(doc *schema.Case) (ext, hash string) {
	if id, ok := doc.Doc["external_id"].(string); ok && strings.TrimSpace(id) != "" {
		ext = "ext:" + strings.TrimSpace(id)
	}
	person, _ := doc.Doc["person"].(map[string]any)
	name, _ := person["name"].(string)
	birth, _ := person["birth_date"].(string)
	charge := ""
	if list, ok := doc.Doc["charges"].([]any); ok && len(list) > 0 {
		if ch, ok := list[0].(map[string]any); ok {
			art, _ := ch["article"].(string)
			code, _ := ch["code"].(string)
			if norm, ok := schema.NormalizeCharge(code, art); ok {
				charge = norm
			} else {
				charge = fold(code + " " + art)
			}
		}
	}
	h := sha256.Sum256([]byte(fold(name) + "\x00" + strings.TrimSpace(birth) + "\x00" + charge))
	return ext, "hash:" + hex.EncodeToString(h[:])
}

// fold lowers case, reads ё as е and collapses white space.
func fold(s string) string {
	s = strings.NewReplacer("ё", "е", "Ё", "е").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}
