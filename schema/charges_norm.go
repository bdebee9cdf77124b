package schema

import "strings"

// NormalizeCharges writes the article of every charge in its one form
// ([NormalizeCharge]: "ст. 207.3 ч. 2 УК РФ" becomes "RU-CC 207.3(2)") and
// keeps the text as written in article_original; the code is set from the
// article when it was left out. An article not recognised as exactly one
// article is kept as written. An article_original that no longer gives the
// article (the article was changed by hand since) is dropped. It returns
// the number of charges changed; applied twice it changes nothing more.
func (c *Case) NormalizeCharges() int {
	list, _ := c.Doc["charges"].([]any)
	n := 0
	for _, e := range list {
		ch, ok := e.(map[string]any)
		if !ok {
			continue
		}
		art, ok := ch["article"].(string)
		if !ok {
			continue
		}
		code, _ := ch["code"].(string)
		norm, ok := NormalizeCharge(code, art)
		if !ok {
			continue
		}
		changed := false
		if norm != art {
			ch["article_original"] = art
			ch["article"] = norm
			changed = true
		} else if orig, ok := ch["article_original"].(string); ok {
			if o, ok := NormalizeCharge(code, orig); !ok || o != norm {
				delete(ch, "article_original")
				changed = true
			}
		}
		if code == "" {
			if i := strings.IndexByte(norm, ' '); i > 0 {
				ch["code"] = norm[:i]
				changed = true
			}
		}
		if changed {
			n++
		}
	}
	return n
}
