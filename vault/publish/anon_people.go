package publish

import (
	"slices"
	"strconv"
	"strings"

	"github.com/casevault/casevault/schema"
)

// distinctPeople returns pop with the records of the same person counted
// once: the crowd an anonymous case hides in is made of people, not case
// files. Two case files are one person when a name of one (name or
// name_native, in any spelling: the skeletons of its words, or of its first
// and last word) equals a name of the other and their birth years do not
// differ. Without this, the same person entered twice more (a duplicate
// data entry, or stubs with consent none planted by someone who wants a
// unique case published) would make a unique case look common. A case file
// without a name counts as a person of its own. The first file of a person
// is kept, in the order of pop.
func distinctPeople(pop []*schema.Case) []*schema.Case {
	type person struct{ births []string }
	byName := map[string]*person{}
	out := pop[:0:0]
	for _, c := range pop {
		keys := personKeys(c)
		birth := birthYear(c)
		var same *person
		for _, k := range keys {
			if p := byName[k]; p != nil && (birth == "" || slices.Contains(p.births, "") || slices.Contains(p.births, birth)) {
				same = p
				break
			}
		}
		if same == nil {
			out = append(out, c)
			same = &person{}
		}
		same.births = append(same.births, birth)
		for _, k := range keys {
			if byName[k] == nil {
				byName[k] = same
			}
		}
	}
	return out
}

// personKeys are the keys under which c's person is recognised: for each
// of name and name_native, the sorted skeletons of all its words, and of
// its first and last word (Дмитрий Иванович Савчук is Dmitry Savchuk).
func personKeys(c *schema.Case) []string {
	p := obj(c.Doc["person"])
	var keys []string
	for _, f := range rolesOf(c.Schema()).publicNames {
		var words []string
		for _, t := range tokenize(str(p[f])) {
			if !t.digits && t.skel != "" {
				words = append(words, t.skel)
			}
		}
		if len(words) == 0 {
			continue
		}
		all := slices.Clone(words)
		slices.Sort(all)
		keys = append(keys, strings.Join(all, " "))
		if len(words) > 2 {
			ends := []string{words[0], words[len(words)-1]}
			slices.Sort(ends)
			keys = append(keys, strings.Join(ends, " "))
		}
	}
	return keys
}

// birthYear is the year of c's birth_date or birth_year, or "".
func birthYear(c *schema.Case) string {
	p := obj(c.Doc["person"])
	if y, ok := p["birth_year"].(float64); ok {
		return strconv.Itoa(int(y))
	}
	if b := str(p["birth_date"]); len(b) >= 4 {
		return b[:4]
	}
	return ""
}
