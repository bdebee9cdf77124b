package publish

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/casevault/casevault/schema"
)

// A Hit is one piece of output that the leak scan found.
type Hit struct {
	// Case is the internal ID of the case whose restricted data matched,
	// or, for a personal-data pattern, of the case whose output holds it.
	Case string `json:"case"`
	// Field is the case-file field whose value matched, with indices
	// ("mistreatment[0].witnesses[1]"), or the pattern that matched
	// ("phone number", "e-mail address", "passport number", "ID number").
	Field string `json:"field"`
	// Kind says why the match is a leak: the field's level
	// ("restricted", "confidential"), "anonymised" for a field an anonymous
	// publication leaves out, "withheld name" for the name of a person whose
	// consent is none or anonymous, or "personal data" for a pattern.
	Kind string `json:"kind"`
	// Where names the output: public case ID and output field.
	Where string `json:"where"`
	// Match is the text found in the output.
	Match string `json:"match"`
}

func (h Hit) String() string {
	if h.Kind == "personal data" {
		return fmt.Sprintf("%s: %s %q in case %s", h.Where, h.Field, h.Match, h.Case)
	}
	return fmt.Sprintf("%s: %q matches %s field %s of case %s", h.Where, h.Match, h.Kind, h.Field, h.Case)
}

// A LeakError stops a publication: the output would contain restricted,
// confidential or personal data. Nothing has been written.
type LeakError struct {
	Hits []Hit
}

func (e *LeakError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "publication refused: %d possible leak(s) of restricted or personal data; nothing was written", len(e.Hits))
	for _, h := range e.Hits {
		b.WriteString("\n  ")
		b.WriteString(h.String())
	}
	return b.String()
}

// Mask replaces every masked piece of output.
const Mask = "[redacted]"

// A needle is a sequence of word skeletons whose appearance, as
// consecutive words, in the output is a leak.
type needle struct {
	words               []string
	caseID, field, kind string
	scope               *Record // only this record's output; nil: all output
	word                bool    // a single word of a name (see scanner.match)
}

// scanner finds needles and personal-data patterns in output strings.
type scanner struct {
	byFirst map[string][]*needle
	seen    map[string]bool
	// nameWords are the words of each full-consent record's published
	// names; a single name word from another field of the same case is
	// not a leak there, nor anywhere for the case that owns the needle.
	nameWords map[*Record]map[string]bool
	byCase    map[string]*Record
}

// nameLikePaths hold names of people: single capitalised words of them are
// searched for too, not only the whole value.
var nameLikePaths = map[string]bool{
	"person.name": true, "person.name_native": true, "person.aliases": true,
	"person.contacts.name": true, "mistreatment.perpetrators": true,
	"mistreatment.witnesses": true, "proceedings.judge": true,
}

// skipPaths are non-public fields whose values are controlled words or
// field names, not data about anyone ("lawyer", "anonymous",
// "confidential"): searching for them would only raise false alarms.
var skipPaths = map[string]bool{
	"person.contacts.role": true, "publication.consent": true, "sensitivity_overrides": true,
}

var isoDate = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)

func newScanner() *scanner {
	return &scanner{byFirst: map[string][]*needle{}, seen: map[string]bool{},
		nameWords: map[*Record]map[string]bool{}, byCase: map[string]*Record{}}
}

// addRecord registers a record that will be published and its source.
func (s *scanner) addRecord(r *Record, c *schema.Case) {
	s.byCase[r.caseID] = r
	words := map[string]bool{}
	if !r.Anonymous {
		for _, v := range []string{r.Name, r.NameNative} {
			for _, w := range skeletons(v) {
				words[w] = true
			}
		}
	}
	s.nameWords[r] = words
	anon := map[string]bool{}
	if r.Anonymous {
		for _, p := range anonymisedPaths {
			anon[p] = true
		}
	}
	walkLeaves(c.Doc, "", "", func(path, plain, value string) {
		if skipPaths[plain] || strings.HasPrefix(plain, "sensitivity_overrides.") {
			return
		}
		level := c.Level(plain)
		switch {
		case level > schema.Public:
			s.addValue(r, path, plain, value, level.String(), nil)
		case anon[plain]:
			var scope *Record
			if plain != "person.name" && plain != "person.name_native" {
				scope = r
			}
			s.addValue(r, path, plain, value, "anonymised", scope)
		}
	})
}

// withheldNamePaths are the fields of an unpublished case that name its
// person.
var withheldNamePaths = map[string]bool{"person.name": true, "person.name_native": true, "person.aliases": true}

// addWithheldNames adds the names of a case that is not published here and
// whose consent withholds its person's name.
func (s *scanner) addWithheldNames(src Source) {
	owner := &Record{caseID: src.CaseID}
	s.nameWords[owner] = map[string]bool{}
	walkLeaves(src.Case.Doc, "", "", func(path, plain, value string) {
		if withheldNamePaths[plain] {
			s.addValue(owner, path, plain, value, "withheld name", nil)
		}
	})
}

// addValue adds the needles for one non-public value.
func (s *scanner) addValue(owner *Record, path, plain, value, kind string, scope *Record) {
	toks := tokenize(value)
	words := make([]string, len(toks))
	n := 0
	for i, t := range toks {
		words[i] = t.skel
		n += utf8.RuneCountInString(t.skel)
	}
	add := func(ws []string, word bool) {
		nd := &needle{words: ws, caseID: owner.caseID, field: path, kind: kind, scope: scope, word: word}
		key := fmt.Sprintf("%p\x00%t\x00%s\x00%s\x00%s", scope, word, owner.caseID, path, strings.Join(ws, " "))
		if s.seen[key] {
			return
		}
		s.seen[key] = true
		s.byFirst[ws[0]] = append(s.byFirst[ws[0]], nd)
	}
	if len(words) == 0 {
		return
	}
	// The whole value, as consecutive words.
	if n >= 4 && !(len(words) == 1 && isStopword(words[0])) {
		add(words, false)
	}
	if m := isoDate.FindStringSubmatch(value); m != nil {
		add([]string{m[3], m[2], m[1]}, false) // 07.09.1981
	}
	// Single capitalised words of names.
	if nameLikePaths[plain] && looksLikeName(value, toks) {
		for _, t := range toks {
			if t.upper && !isAcronym(value[t.start:t.end]) && utf8.RuneCountInString(t.skel) >= 3 && !isStopword(t.skel) && !allDigits(t.skel) &&
				!s.nameWords[owner][t.skel] {
				add([]string{t.skel}, true)
			}
		}
	}
	// Runs of six words of longer free text, so that a copied sentence is
	// found even when the rest of the text differs.
	const run = 6
	for i := 0; i+run <= len(words) && len(words) > run; i++ {
		content := 0
		for _, w := range words[i : i+run] {
			if !isStopword(w) && utf8.RuneCountInString(w) >= 4 {
				content++
			}
		}
		if content >= 3 {
			add(words[i:i+run], false)
		}
	}
}

// walkLeaves calls fn for every string or number in v, with its path with
// indices ("charges[0].article") and without ("charges.article").
func walkLeaves(v any, path, plain string, fn func(path, plain, value string)) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkLeaves(v[k], join(path, k), join(plain, k), fn)
		}
	case []any:
		for i, e := range v {
			walkLeaves(e, path+"["+strconv.Itoa(i)+"]", plain, fn)
		}
	case string:
		fn(path, plain, v)
	case float64:
		fn(path, plain, strconv.FormatFloat(v, 'f', -1, 64))
	}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// looksLikeName reports whether a value of a name field holds names
// ("Дмитрий Козлов", "Kara-Murza") rather than a description ("head of the
// SIZO medical unit", "сокамерник"): every word of three or more letters is
// capitalised.
func looksLikeName(value string, toks []token) bool {
	n := 0
	for _, t := range toks {
		w := value[t.start:t.end]
		if utf8.RuneCountInString(w) < 3 || allDigits(w) {
			continue
		}
		if !t.upper {
			return false
		}
		n++
	}
	return n > 0
}

// isAcronym reports whether a word is written in capitals only, like SIZO
// or FSB: an institution, not a person.
func isAcronym(w string) bool {
	return strings.ToUpper(w) == w && utf8.RuneCountInString(w) <= 6
}

func allDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// span is a byte range of an output string that holds a hit.
type span struct {
	start, end int
	hit        Hit
}

// scan returns the hits in one output string of record r.
func (s *scanner) scan(r *Record, field, text string) []span {
	var out []span
	where := r.ID + "." + field
	toks := tokenize(text)
	for i, t := range toks {
		for _, nd := range s.byFirst[t.skel] {
			if nd.scope != nil && nd.scope != r {
				continue
			}
			if nd.word && !s.wordCounts(nd, r, field) {
				continue
			}
			if i+len(nd.words) > len(toks) {
				continue
			}
			ok := true
			for j, w := range nd.words[1:] {
				if toks[i+1+j].skel != w {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			end := toks[i+len(nd.words)-1].end
			out = append(out, span{t.start, end, Hit{Case: nd.caseID, Field: nd.field, Kind: nd.kind, Where: where, Match: text[t.start:end]}})
		}
	}
	for _, p := range findPatterns(text) {
		p.hit.Case, p.hit.Where, p.hit.Kind = r.caseID, where, "personal data"
		out = append(out, p)
	}
	return out
}

// wordCounts reports whether a single name word found in field of record
// r is a leak. It is not when the word is part of r's own published name,
// or when it appears in a published name field, where the name is the
// prisoner's own by consent (a whole non-public value still counts there).
func (s *scanner) wordCounts(nd *needle, r *Record, field string) bool {
	if !r.Anonymous && (field == "name" || field == "name_native") {
		return false
	}
	return !s.nameWords[r][nd.words[0]]
}

// Personal-data patterns.
var (
	emailRE = regexp.MustCompile(`[\p{L}0-9._%+\-]+@[\p{L}0-9\-]+(?:\.[\p{L}0-9\-]+)*\.\p{L}{2,}`)
	// numberRE finds runs of digits with the separators phone numbers and
	// document numbers use (no dots or slashes: "207.3", "1-12/2023").
	numberRE   = regexp.MustCompile(`\+?\(?\d[\d \x{00A0}\-()]*\d`)
	dateInside = regexp.MustCompile(`\d{4}-\d{2}(-\d{2})?|\d{2}-\d{2}-\d{4}`)
	passportRE = regexp.MustCompile(`^\d{2}[ \x{00A0}]?\d{2}[ \x{00A0}]?\d{6}$`)
)

// findPatterns finds e-mail addresses, phone numbers, passport numbers and
// other long identifying numbers in text.
func findPatterns(text string) []span {
	var out []span
	for _, m := range emailRE.FindAllStringIndex(text, -1) {
		out = append(out, span{m[0], m[1], Hit{Field: "e-mail address", Match: text[m[0]:m[1]]}})
	}
	for _, m := range numberRE.FindAllStringIndex(text, -1) {
		a, b := m[0], m[1]
		// Not part of a word, a decimal number or an article such as 207.3.
		if r, _ := utf8.DecodeLastRuneInString(text[:a]); a > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '/') {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(text[b:]); b < len(text) && (unicode.IsLetter(r) || unicode.IsDigit(r) || (r == '.' || r == '/') && b+1 < len(text) && isDigitAt(text, b+1)) {
			continue
		}
		c := text[a:b]
		digits := 0
		for _, r := range c {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		plain := digits == len(c)
		var kind string
		switch {
		case dateInside.MatchString(c):
			continue
		case passportRE.MatchString(c):
			kind = "passport number"
		case c[0] == '+' && digits >= 7 && digits <= 15:
			kind = "phone number"
		case digits >= 10 && digits <= 12 && !plain && (c[0] == '8' || c[0] == '7' || c[0] == '('):
			kind = "phone number"
		case plain && digits >= 9, !plain && digits >= 10:
			kind = "ID number"
		default:
			continue
		}
		out = append(out, span{a, b, Hit{Field: kind, Match: c}})
	}
	return out
}

func isDigitAt(s string, i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }

// mask replaces the spans of text with [Mask], merging overlaps.
func mask(text string, spans []span) string {
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	pos := 0
	for i := 0; i < len(spans); {
		start, end := spans[i].start, spans[i].end
		for i++; i < len(spans) && spans[i].start <= end; i++ {
			end = max(end, spans[i].end)
		}
		if start < pos {
			start = pos
		}
		b.WriteString(text[pos:start])
		b.WriteString(Mask)
		pos = end
	}
	b.WriteString(text[pos:])
	return b.String()
}
