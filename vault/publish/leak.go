package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/casevault/casevault/schema"
)

// A Hit is one piece of output that the leak scan found.
type Hit struct {
	// ID identifies the hit for review: a hash of the secret's owner,
	// field and value, the output text that holds the match and where it
	// is. It changes when the text or the secret changes (see
	// Options.Allow).
	ID string `json:"id"`
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
	// Org is where the secret came from: "" for this organisation, else
	// the partner organisation whose case holds it.
	Org string `json:"org,omitempty"`
	// Strength says how strong the evidence is: "full name" (two name
	// words together), "surname only", "value" (a whole stored value),
	// "phrase" (four content words of a longer text), "number", "date",
	// "address" (street and number), "name in text" (a person's name
	// found inside a withheld free-text value: two name words, or a
	// surname with an initial), "surname in text" (its surname alone),
	// or "pattern" (looks like personal data,
	// no stored value).
	Strength string `json:"strength"`
	// Where names the output: public case ID and output field.
	Where string `json:"where"`
	// In is the internal ID of the published case whose output holds it.
	In string `json:"in"`
	// Match is the text found in the output.
	Match string `json:"match"`
	// Context is the match with up to 40 bytes of text either side.
	Context string `json:"context"`
}

func (h Hit) String() string {
	if h.Kind == "personal data" {
		return fmt.Sprintf("%s %s: %s %q in case %s", h.ID, h.Where, h.Field, h.Match, h.Case)
	}
	return fmt.Sprintf("%s %s: %q matches %s field %s of case %s%s (%s)", h.ID, h.Where, h.Match, h.Kind, h.Field, h.Case, orgText(h.Org), h.Strength)
}

func orgText(org string) string {
	if org == "" {
		return ""
	}
	return " from partner " + strconv.Quote(org)
}

// Why explains a hit in one sentence, for the review report.
func (h Hit) Why() string {
	if h.Kind == "personal data" {
		return "looks like a " + h.Field + " (no stored value matched; a pattern)"
	}
	from := "our"
	if h.Org != "" {
		from = "partner " + strconv.Quote(h.Org) + "'s"
	}
	what := map[string]string{
		"full name":       "a full name (two name words together) in",
		"surname only":    "only a surname (weaker evidence) from",
		"value":           "the whole value of",
		"phrase":          "four consecutive content words of",
		"number":          "the digits of",
		"date":            "the date in",
		"address":         "a street and number of",
		"name in text":    "a name (two name words together, or a surname with an initial) written inside",
		"surname in text": "only a surname (weaker evidence) of a name written inside",
	}[h.Strength]
	if what == "" {
		what = "the value of"
	}
	return fmt.Sprintf("matches %s %s field %s of %s case %s", what, h.Kind, h.Field, from, h.Case)
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

// A needle is one secret value the output must not contain, in one of the
// forms the scanner looks for.
type needle struct {
	words    []string // stems, for phrases
	caseID   string   // owner of the secret
	field    string
	kind     string
	org      string  // "" ours, else the partner organisation
	secret   string  // the stored value
	scope    *Record // only this record's output; nil: all output
	strength string
	fromText bool // a name found inside free text (note_names.go)
}

// scanner finds needles and personal-data patterns in output strings.
type scanner struct {
	phrases  map[string][]*needle          // by first stem
	pairs    map[[2]string][]*needle       // two name stems
	singles  map[string][]*needle          // surname stem
	shingles map[[shingle]string][]*needle // four content stems
	digits   map[string][]*needle
	dates    map[string][]*needle    // YYYY-MM-DD
	streets  map[string][]*needle    // "street|number"
	initials map[[2]string][]*needle // surname stem, first letter of the given name (note_names.go)
	// ownWords are the stems of the words each published record publishes
	// by consent (its name and native name; not its judge, whose name may be typed to smuggle a secret): they are never a leak
	// in that record's output.
	ownWords map[*Record]map[string]bool
	// judgeWords are the stems of a record's judge: not a leak of another
	// case's confidential contact or witness of the same name (common
	// names coincide: 495 hits per 1,000 realistic cases otherwise), but
	// never an exemption for a name that a consent withholds (a
	// consent-none prisoner's name typed as the judge).
	judgeWords map[*Record]map[string]bool
	origin     map[*Record]string
	// publishedBy are the records that publish a word of their own name
	// (not anonymous), by stem: a name found inside free text that a
	// published record carries as its own (a co-defendant) is no secret.
	publishedBy map[string][]*Record
	// roles are the field lists of the schema of the case being added.
	roles *fieldRoles
}

func newScanner() *scanner {
	return &scanner{phrases: map[string][]*needle{}, pairs: map[[2]string][]*needle{}, singles: map[string][]*needle{},
		shingles: map[[shingle]string][]*needle{}, digits: map[string][]*needle{}, dates: map[string][]*needle{},
		streets: map[string][]*needle{}, initials: map[[2]string][]*needle{},
		ownWords: map[*Record]map[string]bool{}, origin: map[*Record]string{},
		judgeWords: map[*Record]map[string]bool{}, roles: rolesOf(schema.Default()), publishedBy: map[string][]*Record{}}
}

// merge adds the needles of o to s.
func (s *scanner) merge(o *scanner) {
	mergeMap(s.phrases, o.phrases)
	mergeMap(s.pairs, o.pairs)
	mergeMap(s.singles, o.singles)
	mergeMap(s.shingles, o.shingles)
	mergeMap(s.digits, o.digits)
	mergeMap(s.dates, o.dates)
	mergeMap(s.streets, o.streets)
	mergeMap(s.initials, o.initials)
}

func mergeMap[K comparable](dst, src map[K][]*needle) {
	if len(dst) == 0 {
		for k, v := range src {
			dst[k] = v
		}
		return
	}
	for k, v := range src {
		dst[k] = append(dst[k], v...)
	}
}

// addPublished registers a record that will be published: its own public
// name words, and for an anonymous record the public fields it leaves out
// (searched for in its own output; its names everywhere).
func (s *scanner) addPublished(r *Record, src Source) {
	s.origin[r] = src.Origin
	words := map[string]bool{}
	if !r.Anonymous {
		for _, v := range []string{r.Name, r.NameNative} {
			for _, t := range tokenize(v) {
				words[t.stem] = true
			}
		}
	}
	s.ownWords[r] = words
	for w := range words {
		s.publishedBy[w] = append(s.publishedBy[w], r)
	}
	if !r.Anonymous {
		jw := map[string]bool{}
		for _, t := range tokenize(r.Judge) {
			jw[t.stem] = true
		}
		s.judgeWords[r] = jw
	}
	if !r.Anonymous {
		return
	}
	c := src.Case
	s.roles = rolesOf(c.Schema())
	anon := map[string]bool{}
	for _, p := range s.roles.anonymised {
		anon[p] = true
	}
	s.addAnonymousOwn(r, src)
	walkLeaves(c.Doc, "", "", func(path, plain, value string) {
		if anon[plain] && c.Level(plain) == schema.Public {
			var scope *Record
			if !s.roles.personName[plain] {
				scope = r
			}
			s.addValue(src.CaseID, src.Origin, path, plain, value, "anonymised", scope)
		}
	})
}

// levelCache holds the level of each field path for cases without
// sensitivity_overrides, where it depends on the schema and the path alone.
var levelCache sync.Map // levelKey -> schema.Level

type levelKey struct {
	s    *schema.Schema
	path string
}

// levelOf is c.Level(plain) for a path without indices.
func levelOf(c *schema.Case, plain string) schema.Level {
	if _, ok := c.Doc["sensitivity_overrides"]; ok {
		return c.Level(plain)
	}
	key := levelKey{c.Schema(), plain}
	if v, ok := levelCache.Load(key); ok {
		return v.(schema.Level)
	}
	l := c.Level(plain)
	levelCache.Store(key, l)
	return l
}

// addSecrets adds every restricted and confidential value of a case,
// published or not, and, when its consent withholds the person's name
// (none or anonymous), its names.
func (s *scanner) addSecrets(src Source) {
	c := src.Case
	s.roles = rolesOf(c.Schema())
	withhold := Consent(c) != ConsentFull
	var own map[string]bool
	walkLeaves(c.Doc, "", "", func(path, plain, value string) {
		if s.roles.skip[plain] || strings.HasPrefix(plain, "sensitivity_overrides.") {
			return
		}
		switch level := levelOf(c, plain); {
		case level > schema.Public:
			s.addValue(src.CaseID, src.Origin, path, plain, value, level.String(), nil)
			if !s.roles.nameLike[plain] && !s.roles.address[plain] {
				if own == nil {
					own = ownStems(c.Name(), c.NameNative(), str(obj(c.Doc["proceedings"])["judge"]))
				}
				s.addNoteNames(value, own, needle{caseID: src.CaseID, field: path, kind: level.String(), org: src.Origin, secret: strings.TrimSpace(value)})
			}
		case withhold && s.roles.personName[plain]:
			s.addValue(src.CaseID, src.Origin, path, plain, value, "withheld name", nil)
		}
	})
}

// fillers are words that stand for punctuation in disguised addresses
// ("name at example dot org") or that URLs carry: they are skipped on both
// sides of a comparison of phrases.
var fillers = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`at dot mailto http https www собака точка`) {
		m[skeleton(w)] = true
	}
	return m
})

// phraseTokens returns the tokens that phrases compare: without fillers.
func phraseTokens(toks []token) []token {
	if !slices.ContainsFunc(toks, func(t token) bool { return fillers()[t.skel] }) {
		return toks
	}
	out := make([]token, 0, len(toks))
	for _, t := range toks {
		if !fillers()[t.skel] {
			out = append(out, t)
		}
	}
	return out
}

// isContent reports whether a token carries meaning of its own: a word
// of three letters or more that is not a stopword.
func isContent(t token) bool {
	return !t.digits && len(t.skel) >= 3 && !isStopword(t.skel) && !fillers()[t.skel]
}

// addTo adds a needle to one of the scanner's maps. A needle added twice
// (a repeated word) only gives the same hit twice, which has the same ID.
func addTo[K comparable](m map[K][]*needle, key K, nd needle) {
	m[key] = append(m[key], &nd)
}

func (s *scanner) add(m map[string][]*needle, key string, nd needle) { addTo(m, key, nd) }

// addValue adds the needles for one secret value.
func (s *scanner) addValue(caseID, org, path, plain, value, kind string, scope *Record) {
	value = strings.TrimSpace(value)
	if value == "" {
		return
	}
	base := needle{caseID: caseID, field: path, kind: kind, org: org, secret: value, scope: scope}
	with := func(strength string, words []string) needle {
		n := base
		n.strength, n.words = strength, words
		return n
	}
	if d, ok := parseISODate(value); ok {
		s.add(s.dates, d, with("date", nil))
		return
	}
	toks := tokenize(value)
	for _, d := range valueDigits(value, toks) {
		s.add(s.digits, d, with("number", nil))
	}
	if s.roles.address[plain] {
		for _, k := range streetKeys(toks) {
			s.add(s.streets, k, with("address", nil))
		}
	}
	if s.roles.nameLike[plain] {
		if p, ok := splitName(value, toks); ok {
			s.addName(p, with)
		}
		s.addNameParts(value, toks, with)
	}
	ft := phraseTokens(toks)
	if len(ft) == 0 {
		return
	}
	stems := make([]string, len(ft))
	letters, content := 0, 0
	for i, t := range ft {
		stems[i] = t.stem
		letters += utf8.RuneCountInString(t.skel)
		if isContent(t) {
			content++
		}
	}
	// The whole value, as consecutive words.
	switch {
	case scope != nil && letters >= 3:
	case len(ft) == 1 && ft[0].digits && len(ft[0].skel) >= 5:
	case len(ft) == 1 && isContent(ft[0]) && !isGivenName(ft[0].stem) && !isRoleWord(ft[0].stem) && !institutionWords()[ft[0].stem] && letters >= 4:
	case len(ft) > 1 && content >= 2:
	case len(ft) > 1 && content >= 1 && letters >= 8:
	default:
		stems = nil
	}
	if stems != nil {
		s.add(s.phrases, stems[0], with("value", stems))
	}
	// Four consecutive content words of a longer text: a copied piece of
	// a note is found even when the rest differs.
	var cw []string
	for _, t := range ft {
		if isContent(t) {
			cw = append(cw, t.stem)
		}
	}
	if !prose(plain, len(ft)) {
		return
	}
	for i := 0; i+shingle <= len(cw) && len(cw) > shingle; i++ {
		addTo(s.shingles, [shingle]string(cw[i:i+shingle]), with("phrase", nil))
	}
}

const shingle = 4

// prose reports whether a value is free text, whose pieces are searched
// for (notes, descriptions, or any value of twelve words or more), rather
// than a name or a short description of someone ("duty officer of SIZO-6,
// Nizhny Novgorod region": its pieces are public places).
func prose(plain string, words int) bool {
	return strings.HasSuffix(plain, "notes") || strings.HasSuffix(plain, "description") || words >= 12
}

// addName adds the forms of a person's name: every two name words next to
// each other, in either order, and the first and last (skipping a
// patronymic), as a full name; every word that is not a common given name
// or a patronymic as a surname alone.
func (s *scanner) addName(p personName, with func(string, []string) needle) {
	for i := 0; i+1 < len(p.words); i++ {
		a, b := p.words[i], p.words[i+1]
		addTo(s.pairs, [2]string{a, b}, with("full name", nil))
		addTo(s.pairs, [2]string{b, a}, with("full name", nil))
	}
	if n := len(p.words); n > 2 {
		a, b := p.words[0], p.words[n-1]
		addTo(s.pairs, [2]string{a, b}, with("full name", nil))
		addTo(s.pairs, [2]string{b, a}, with("full name", nil))
	}
	for i, w := range p.words {
		if p.given[i] || utf8.RuneCountInString(p.skels[i]) < 3 || isStopword(p.skels[i]) || isRoleWord(w) {
			continue
		}
		s.add(s.singles, w, with("surname only", nil))
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

// span is a byte range of an output string that holds a hit.
type span struct {
	start, end int
	hit        Hit
}

// scratch holds the buffers of one scan, reused across texts.
type scratch struct {
	n    []nrune
	toks []token
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// scan returns the hits in one output string of record r.
func (s *scanner) scan(r *Record, field, text string) []span {
	if text == "" {
		return nil
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.n = normalizeInto(sc.n[:0], text)
	n := sc.n
	out := s.scanRunes(r, field, text, n, sc)
	if j, ok := joinedRunes(n); ok {
		out = newSpans(out, s.scanRunes(r, field, text, j, sc))
	}
	for _, one := range []rune{'i', 'l'} {
		if l, ok := leetRunes(n, one); ok {
			out = newSpans(out, s.scanRunes(r, field, text, l, sc))
		}
	}
	if rev, ok := reverseOverrides(text, n); ok {
		out = append(out, s.scanRunes(r, field, text, rev, sc)...)
	}
	where := r.ID + "." + field
	for _, p := range findPatterns(text, n) {
		p.hit.Case, p.hit.Where, p.hit.Kind, p.hit.Strength, p.hit.In = r.caseID, where, "personal data", "pattern", r.caseID
		p.hit.Context = context(text, p.start, p.end)
		p.hit.ID = hitID("", p.hit.Field, p.hit.Match, text, r.caseID, field)
		out = append(out, p)
	}
	return out
}

// scanRunes finds the needles in normalised text n of text.
func (s *scanner) scanRunes(r *Record, field, text string, n []nrune, sc *scratch) []span {
	var out []span
	sc.toks = tokenizeInto(sc.toks[:0], text, n)
	toks := sc.toks
	ft := phraseTokens(toks)
	hit := func(nd *needle, a, b int, ts []token) {
		if nd.scope != nil && nd.scope != r {
			return
		}
		if nd.org != "" && nd.org != s.origin[r] {
			return // a partner's secret binds only that partner's cases
		}
		if len(ts) > 0 && s.own(r, ts) {
			return
		}
		if len(ts) > 0 && nd.kind != "withheld name" && allIn(s.judgeWords[r], ts) {
			return
		}
		if nd.fromText && s.publishedName(ts) {
			return
		}
		// The hit spans all its words: in text reordered by bidi controls
		// (U+202E), a phrase's words can stand in the text in the other
		// order, and its last word end before its first begins (found by
		// FuzzLeakScan: a slice out of range ended publish).
		for _, t := range ts {
			a, b = min(a, t.start), max(b, t.end)
		}
		if a > b {
			a, b = b, a
		}
		m := text[a:b]
		out = append(out, span{a, b, Hit{
			ID:   hitID(nd.caseID, nd.field, nd.secret, text, r.caseID, field),
			Case: nd.caseID, Field: nd.field, Kind: nd.kind, Org: nd.org, Strength: nd.strength,
			Where: r.ID + "." + field, In: r.caseID, Match: m, Context: context(text, a, b),
		}})
	}
	for i, t := range ft {
		// A word the record publishes by consent starts no name hit.
		ownT := !t.digits && s.ownWords[r][t.stem]
		for _, nd := range s.phrases[t.stem] {
			if i+len(nd.words) > len(ft) {
				continue
			}
			ok := true
			for j, w := range nd.words[1:] {
				if ft[i+1+j].stem != w {
					ok = false
					break
				}
			}
			if ok {
				last := ft[i+len(nd.words)-1]
				hit(nd, t.start, last.end, ft[i:i+len(nd.words)])
			}
		}
		if t.digits {
			continue
		}
		if len(s.initials) > 0 && !ownT {
			s.scanInitials(text, ft, i, hit)
		}
		if i+1 < len(ft) && !ft[i+1].digits && !(ownT && s.ownWords[r][ft[i+1].stem]) {
			for _, nd := range s.pairs[[2]string{t.stem, ft[i+1].stem}] {
				hit(nd, t.start, ft[i+1].end, ft[i:i+2])
			}
		}
		// A short surname alone in lower case is a word of running text
		// (зима, мороз, volk, лебедь), not a name; capitalised, longer
		// (shakhnovsky), or in a full name, it is one.
		if !ownT && (t.upper || utf8.RuneCountInString(t.skel) > 6) {
			for _, nd := range s.singles[t.stem] {
				hit(nd, t.start, t.end, ft[i:i+1])
			}
			if st, ok := pluralStem(t); ok && len(s.singles[t.stem]) == 0 && !s.ownWords[r][st] {
				for _, nd := range s.singles[st] {
					hit(nd, t.start, t.end, ft[i:i+1])
				}
			}
		}
	}
	if len(s.shingles) > 0 {
		var ci []int
		for i, t := range ft {
			if isContent(t) {
				ci = append(ci, i)
			}
		}
		var key [shingle]string
		for i := 0; i+shingle <= len(ci); i++ {
			for j := range shingle {
				key[j] = ft[ci[i+j]].stem
			}
			for _, nd := range s.shingles[key] {
				hit(nd, ft[ci[i]].start, ft[ci[i+shingle-1]].end, nil)
			}
		}
	}
	if len(s.digits) > 0 {
		for _, g := range digitRuns(text, toks) {
			for _, nd := range s.digits[g.digits] {
				hit(nd, g.start, g.end, nil)
			}
		}
	}
	if len(s.dates) > 0 {
		for _, d := range findDates(text, toks) {
			for _, nd := range s.dates[d.date] {
				hit(nd, d.start, d.end, nil)
			}
		}
	}
	if len(s.streets) > 0 {
		for _, k := range streetSpans(toks) {
			for _, nd := range s.streets[k.key] {
				hit(nd, k.start, k.end, nil)
			}
		}
	}
	return dropWeaker(out)
}

// own reports whether every word of a match is a word that record r
// publishes by consent: its own name in any spelling is never a leak.
func (s *scanner) own(r *Record, ts []token) bool {
	words := s.ownWords[r]
	if len(words) == 0 {
		return false
	}
	for _, t := range ts {
		if t.digits || !words[t.stem] {
			return false
		}
	}
	return true
}

// dropWeaker removes a surname-only hit inside a full-name or value hit of
// the same secret.
func dropWeaker(spans []span) []span {
	if len(spans) < 2 {
		return spans
	}
	out := spans[:0]
	for i, sp := range spans {
		keep := true
		if weak := func(st string) bool { return st == "surname only" || st == noteSurnameStrength }; weak(sp.hit.Strength) {
			for j, o := range spans {
				if j != i && !weak(o.hit.Strength) && o.hit.Case == sp.hit.Case && o.hit.Field == sp.hit.Field &&
					o.start <= sp.start && sp.end <= o.end {
					keep = false
					break
				}
			}
		}
		if keep {
			out = append(out, sp)
		}
	}
	return out
}

// hitID is the stable identifier of a hit: a hash of the secret (owner,
// field, value), the output text that holds the match (the whole field, so
// that any edit of it asks for a new review) and where it was found.
func hitID(owner, field, secret, text, in, outField string) string {
	h := sha256.New()
	for _, s := range []string{"casevault hit v1", owner, field, secret, text, in, outField} {
		fmt.Fprintf(h, "%d:%s\n", len(s), s)
	}
	return "H" + strings.ToUpper(hex.EncodeToString(h.Sum(nil))[:12])
}

// context returns text around [a, b), cut at rune boundaries.
func context(text string, a, b int) string {
	const n = 40
	s, e := max(a-n, 0), min(b+n, len(text))
	for s > 0 && !utf8.RuneStart(text[s]) {
		s--
	}
	for e < len(text) && !utf8.RuneStart(text[e]) {
		e++
	}
	out := text[s:a] + "»" + text[a:b] + "«" + text[b:e]
	if s > 0 {
		out = "…" + out
	}
	if e < len(text) {
		out += "…"
	}
	return out
}

// reverseOverrides returns n with the text after each right-to-left
// override or embedding (up to the closing PDF/PDI or the end) in reverse
// order, as a reader sees it, when there is one.
func reverseOverrides(text string, n []nrune) ([]nrune, bool) {
	found := false
	for _, r := range text {
		if r == 0x202E || r == 0x202B || r == 0x2067 || r == 0x200F {
			found = true
			break
		}
	}
	if !found {
		return nil, false
	}
	// Controls are dropped from n; find the segments by source offsets.
	var segs [][2]int // source byte ranges to reverse
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == 0x202E || r == 0x202B || r == 0x2067 || r == 0x200F {
			end := len(text)
			for j := i + size; j < len(text); {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if r2 == 0x202C || r2 == 0x2069 || r2 == 0x202A || r2 == 0x202D || r2 == 0x200E {
					end = j
					break
				}
				j += s2
			}
			segs = append(segs, [2]int{i, end})
			i = end
			continue
		}
		i += size
	}
	out := append([]nrune(nil), n...)
	for _, sg := range segs {
		a := 0
		for a < len(out) && out[a].start < sg[0] {
			a++
		}
		b := a
		for b < len(out) && out[b].start < sg[1] {
			b++
		}
		for x, y := a, b-1; x < y; x, y = x+1, y-1 {
			out[x], out[y] = out[y], out[x]
		}
	}
	return out, true
}

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
		if end <= pos {
			continue
		}
		b.WriteString(text[pos:start])
		b.WriteString(Mask)
		pos = end
	}
	b.WriteString(text[pos:])
	return b.String()
}
