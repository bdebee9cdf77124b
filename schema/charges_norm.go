package schema

import "strings"

// NormalizeCharges writes the article of every charge in its one form
// ([NormalizeCharge]): "ст. 207.3 ч. 2 УК РФ" becomes code RU-CC and
// article 207.3(2), which read together as "RU-CC 207.3(2)"; the text as
// written, where it differs, is kept in article_original. An article not
// recognised as exactly one article is kept as written. An
// article_original that no longer gives the article (the article was
// changed by hand since) is dropped. It returns the number of charges
// changed; applied twice it changes nothing more.
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
		normCode, normArt, _ := strings.Cut(norm, " ")
		changed := false
		if normArt != art {
			ch["article_original"] = art
			ch["article"] = normArt
			changed = true
		} else if orig, ok := ch["article_original"].(string); ok {
			if o, ok := NormalizeCharge(code, orig); !ok || o != norm {
				delete(ch, "article_original")
				changed = true
			}
		}
		if code != normCode {
			ch["code"] = normCode
			changed = true
		}
		if changed {
			n++
		}
	}
	return n
}
