package i18n

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// A pattern matches the English rendering of a message with placeholders,
// so that a text made in English (by fmt in code that does not know the
// user's language) can be said again in another language.
type pattern struct {
	id      string
	re      *regexp.Regexp
	names   []string
	literal int // length of the fixed text, to try specific patterns first
	plural  bool
	lines   bool // the message has more than one line
}

var (
	patternsOnce sync.Once
	patterns     []pattern
)

var placeholder = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`) })

func loadPatterns() []pattern {
	patternsOnce.Do(func() {
		for id := range get(Default, "active").ids {
			for _, form := range englishForms(id) {
				locs := placeholder().FindAllStringSubmatchIndex(form, -1)
				if len(locs) == 0 {
					continue
				}
				var re strings.Builder
				var names []string
				re.WriteString(`(?s)^`)
				last, literal := 0, 0
				for _, l := range locs {
					re.WriteString(regexp.QuoteMeta(form[last:l[0]]))
					literal += l[0] - last
					name := form[l[2]:l[3]]
					if name == "Count" {
						re.WriteString(`(\d+)`)
					} else {
						re.WriteString(`(.+?)`)
					}
					names = append(names, name)
					last = l[1]
				}
				re.WriteString(regexp.QuoteMeta(form[last:]))
				literal += len(form) - last
				re.WriteString(`$`)
				if literal < 5 {
					continue // too little fixed text to tell one message from another
				}
				patterns = append(patterns, pattern{id: id, re: regexp.MustCompile(re.String()), names: names, literal: literal, plural: slicesContains(names, "Count"), lines: strings.Contains(form, "\n")})
			}
		}
		sort.SliceStable(patterns, func(i, j int) bool {
			if patterns[i].literal != patterns[j].literal {
				return patterns[i].literal > patterns[j].literal
			}
			return patterns[i].id < patterns[j].id
		})
	})
	return patterns
}

func slicesContains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// englishForms returns the English templates of message id: its plural
// forms, or its text.
func englishForms(id string) []string { return get(Default, "active").raw[id] }

// TranslateText returns s, a text made in English, in lang: a message of
// the catalogue without placeholders is looked up by its text; one with
// placeholders by matching its English form, whose placeholders give the
// data of the translation (a plural message is rendered for the number
// matched as {{.Count}}). A text no message matches is returned as it is.
func TranslateText(lang, s string) string { return translateText(lang, s, 0) }

// translateText is TranslateText at depth of nesting depth: the value of
// a placeholder that is itself a sentence (the text of an error put in
// another's with %v or %s) is translated too, two levels deep.
// shortPattern is the fixed text (bytes) below which a pattern is trusted
// only when the sentences it captures are themselves known.
const shortPattern = 12

func translateText(lang, s string, depth int) string {
	if lang == Default || s == "" {
		return s
	}
	if t := Translate(lang, s); t != s {
		return t
	}
	// Keep the indentation and the spaces around the text.
	if trimmed := strings.TrimSpace(s); trimmed != s {
		if trimmed == "" {
			return s
		}
		i := strings.Index(s, trimmed)
		return s[:i] + translateText(lang, trimmed, depth) + s[i+len(trimmed):]
	}
	multiline := strings.Contains(s, "\n")
patterns:
	for _, p := range loadPatterns() {
		if multiline && !p.lines {
			continue // a value never holds a line break of the text
		}
		m := p.re.FindStringSubmatch(s)
		if m == nil || !Has(lang, p.id) {
			continue
		}
		data := map[string]any{}
		count := -1
		for i, name := range p.names {
			data[name] = m[i+1]
			if name == "Count" {
				count, _ = strconv.Atoi(m[i+1])
			} else if depth < 2 {
				// A value that is itself a message (an error's text put
				// in with %v, a word such as "confidential") is said in
				// lang too.
				if strings.Contains(m[i+1], " ") {
					tr := translateText(lang, m[i+1], depth+1)
					if tr == m[i+1] && p.literal < shortPattern && strings.Count(m[i+1], " ") >= 3 {
						// A short frame ("case %s") around a sentence
						// no catalogue knows (or one already said in
						// lang): the frame did not make this text.
						continue patterns
					}
					data[name] = tr
				} else {
					data[name] = Translate(lang, m[i+1])
				}
			}
		}
		if p.plural && count >= 0 {
			return N(lang, p.id, count, data)
		}
		return T(lang, p.id, data)
	}
	if multiline {
		// Each line on its own (a message with a list of problems).
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			lines[i] = translateText(lang, l, depth)
		}
		return strings.Join(lines, "\n")
	}
	return s
}
