package publish

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Numbers: a secret with six digits or more (phone, passport, case
// number) is found by its digits alone, whatever separates them in the
// output ("8.912.345.67.89", "+7 (912) 345–67–89", full-width digits,
// "серии 4512 № 345678"): runs of digit groups with at most two short
// words between them are joined and compared.

// valueDigits returns the digit strings a secret value is searched by.
func valueDigits(value string, toks []token) []string {
	var d strings.Builder
	words := 0
	for _, t := range toks {
		if t.digits {
			d.WriteString(t.skel)
		} else if len(t.skel) > 6 {
			words += 2
		} else {
			words++
		}
	}
	s := d.String()
	if words > 3 {
		// A longer text: each run of digit groups separated by
		// punctuation or by a number word (серии 4512 № 345678).
		var out []string
		for _, r := range digitRuns(value, toks) {
			if len(r.digits) >= 8 && !dateLike(value[r.start:r.end]) && onlyNumberWords(toks, r) {
				out = append(out, r.digits)
			}
		}
		return out
	}
	if len(s) < 6 {
		return nil
	}
	out := []string{s}
	if len(s) == 11 && (s[0] == '7' || s[0] == '8') {
		out = append(out, s[1:])
	}
	// A phone number's national significant number, as libphonenumber
	// reads it (+7 912…, 8 912…, +380 …; phone.go).
	for _, nsn := range nationalNumbers(value) {
		if len(nsn) >= 7 && nsn != s && !slices.Contains(out, nsn) {
			out = append(out, nsn)
		}
	}
	return out
}

// numberWords may stand between the parts of a document number.
var numberWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`no nr номер серии серия series № n`) {
		m[skeleton(w)] = true
	}
	return m
})

// onlyNumberWords reports whether the words inside a digit run are number
// words (no, №, серии), not ordinary words between two numbers.
func onlyNumberWords(toks []token, r digitRun) bool {
	for _, t := range toks {
		if t.start >= r.start && t.end <= r.end && !t.digits && !numberWords()[t.skel] {
			return false
		}
	}
	return true
}

// dateLike reports a run that is a date written with numbers.
func dateLike(s string) bool { return dateInside().MatchString(s) || dottedDateRE().MatchString(s) }

var dottedDateRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{1,2}[./]\d{1,2}[./]\d{2,4}$`) })

type digitRun struct {
	digits     string
	start, end int
}

// digitRuns returns the digit strings of text that a number could be
// written as: every run of digit groups separated by punctuation, spaces
// or at most two short words, with the trunk or country prefix dropped.
func digitRuns(text string, toks []token) []digitRun {
	var out []digitRun
	emit := func(c string, a, b int) {
		if len(c) < 6 {
			return
		}
		out = append(out, digitRun{c, a, b})
		if len(c) == 11 && (c[0] == '7' || c[0] == '8') {
			out = append(out, digitRun{c[1:], a, b})
		}
		if len(c) >= 12 && len(c) <= 13 {
			out = append(out, digitRun{c[len(c)-10:], a, b}, digitRun{c[len(c)-9:], a, b})
		}
	}
	for i, t := range toks {
		if !t.digits {
			continue
		}
		c := t.skel
		emit(c, t.start, t.end)
		words, prev := 0, t.end
		for j := i + 1; j < len(toks) && len(c) <= 34; j++ { // an IBAN in groups of four has up to 32 digits
			u := toks[j]
			if u.start-prev > 12 {
				break
			}
			prev = u.end
			if !u.digits {
				words++
				if words > 2 || len(u.skel) > 6 {
					break
				}
				continue
			}
			c += u.skel
			emit(c, t.start, u.end)
		}
	}
	return out
}

var isoPrefixRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{4}(-\d{2}){0,2}$`) })

var isoDateRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`) })

// parseISODate returns a value that is a date as YYYY-MM-DD.
func parseISODate(v string) (string, bool) {
	m := isoDateRE().FindStringSubmatch(v)
	if m == nil {
		return "", false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	return dateKey(y, mo, d)
}

func dateKey(y, m, d int) (string, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1800 || y > 2200 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// months maps the stems of month names and abbreviations (English,
// Russian nominative and genitive, Ukrainian genitive) to their number.
var months = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for i, names := range []string{
		"january jan январь января янв січня", "february feb февраль февраля фев лютого",
		"march mar март марта березня", "april apr апрель апреля апр квітня",
		"may май мая травня", "june jun июнь июня июн червня", "july jul июль июля июл липня",
		"august aug август августа авг серпня", "september sep sept сентябрь сентября сен сент вересня",
		"october oct октябрь октября окт жовтня", "november nov ноябрь ноября ноя листопада",
		"december dec декабрь декабря дек грудня",
	} {
		for _, w := range strings.Fields(names) {
			m[stem(skeleton(w))] = i + 1
			m[skeleton(w)] = i + 1
		}
	}
	return m
})

type dateSpan struct {
	date       string
	start, end int
}

// findDates returns every date written in text as three numbers (13.9.90,
// 09/13/1990, 1990-09-13: day-month-year, month-day-year and
// year-month-day are all tried) or with a month name (13 September 1990,
// September 13, 1990, 13 сентября 1990 г.).
func findDates(text string, toks []token) []dateSpan {
	var out []dateSpan
	toks = dateTokens(toks)
	for _, t := range toks {
		// 19900913
		if t.digits && len(t.skel) == 8 && (t.skel[:2] == "19" || t.skel[:2] == "20") {
			y, _ := strconv.Atoi(t.skel[:4])
			m, _ := strconv.Atoi(t.skel[4:6])
			d, _ := strconv.Atoi(t.skel[6:])
			if k, ok := dateKey(y, m, d); ok {
				out = append(out, dateSpan{k, t.start, t.end})
			}
		}
	}
	for i := 0; i+2 < len(toks); i++ {
		a, b, c := toks[i], toks[i+1], toks[i+2]
		if b.start-a.end > 4 || c.start-b.end > 4 {
			continue
		}
		num := func(t token) int {
			if !t.digits || len(t.skel) > 4 {
				return -1
			}
			n, _ := strconv.Atoi(t.skel)
			return n
		}
		mon := func(t token) int {
			if t.digits {
				return -1
			}
			if m, ok := months()[t.stem]; ok {
				return m
			}
			if m, ok := months()[t.skel]; ok {
				return m
			}
			if m, ok := romanMonths[text[t.start:t.end]]; ok {
				return m
			}
			return -1
		}
		var cands [][3]int // y, m, d
		years := func(t token) []int {
			n := num(t)
			switch {
			case n < 0:
				return nil
			case len(t.skel) == 4:
				return []int{n}
			case len(t.skel) == 2:
				return []int{1900 + n, 2000 + n}
			}
			return nil
		}
		switch {
		case num(a) >= 0 && num(b) >= 0 && num(c) >= 0:
			if len(a.skel) == 4 {
				cands = append(cands, [3]int{num(a), num(b), num(c)})
			}
			for _, y := range years(c) {
				cands = append(cands, [3]int{y, num(b), num(a)}, [3]int{y, num(a), num(b)})
			}
		case num(a) >= 0 && mon(b) > 0:
			if len(a.skel) == 4 && num(c) >= 0 {
				cands = append(cands, [3]int{num(a), mon(b), num(c)}) // 1990-IX-13
			}
			for _, y := range years(c) {
				cands = append(cands, [3]int{y, mon(b), num(a)})
			}
		case mon(a) > 0 && num(b) >= 0:
			for _, y := range years(c) {
				cands = append(cands, [3]int{y, mon(a), num(b)})
			}
		}
		for _, cd := range cands {
			if k, ok := dateKey(cd[0], cd[1], cd[2]); ok {
				out = append(out, dateSpan{k, a.start, c.end})
			}
		}
	}
	return out
}

// addressWords are the words of an address that are not the street's
// name: kinds of street, house, building, flat (Russian, Ukrainian and
// English, abbreviated or not).
var addressWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`ул улица ulitsa ul street st str strasse д дом dom house h kv кв квартира
		kvartira apt apartment flat корп корпус korpus k стр строение bldg building no nr номер пр проспект
		prospekt pr prospect avenue ave пер переулок pereulok lane ln бул бульвар bulvar boulevard blvd
		ш шоссе shosse наб набережная naberezhnaya пл площадь ploshchad square sq мкр микрорайон
		вул вулиця буд будинок кв г город gorod city пос поселок село s п`) {
		m[skeleton(w)] = true
		m[stem(skeleton(w))] = true
	}
	return m
})

type streetKey struct {
	key        string
	start, end int
}

// streetSpans returns each street name next to a number (Lenina 5,
// ул. Ленина, д. 5, 5 Lenina St) as "stem|number".
func streetSpans(toks []token) []streetKey {
	var out []streetKey
	aw := addressWords()
	isStreet := func(t token) bool {
		return !t.digits && len(t.skel) >= 3 && !aw[t.skel] && !aw[t.stem] && !isStopword(t.skel)
	}
	for i, t := range toks {
		if !isStreet(t) {
			continue
		}
		// street … number
		for j, skip := i+1, 0; j < len(toks) && skip <= 2; j++ {
			u := toks[j]
			if u.digits {
				out = append(out, streetKey{t.stem + "|" + u.skel, t.start, u.end})
				break
			}
			if !aw[u.skel] && !aw[u.stem] {
				break
			}
			skip++
		}
		// number … street
		for j, skip := i-1, 0; j >= 0 && skip <= 2; j-- {
			u := toks[j]
			if u.digits {
				out = append(out, streetKey{t.stem + "|" + u.skel, u.start, t.end})
				break
			}
			if !aw[u.skel] && !aw[u.stem] {
				break
			}
			skip++
		}
	}
	return out
}

func streetKeys(toks []token) []string {
	var out []string
	for _, k := range streetSpans(toks) {
		out = append(out, k.key)
	}
	return out
}

// Personal-data patterns.
var (
	emailRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`[\p{L}0-9._%+\-]+@[\p{L}0-9\-]+(?:\.[\p{L}0-9\-]+)*\.\p{L}{2,}`)
	})
	// disguisedEmailRE finds "name at example dot org", "name (at) example
	// (dot) org", "name собака example точка ru".
	disguisedEmailRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`[\p{L}0-9._%+\-]+\s*(?:\s+at\s+|\(at\)|\[at\]|\{at\}|\(a\)|\s+собака\s+|\s+on\s+|\s+на\s+)\s*[\p{L}0-9\-]+(?:\s*(?:\s+dot\s+|\(dot\)|\[dot\]|\{dot\}|\s+точка\s+|\.)\s*[\p{L}0-9\-]+)*\s*(?:\s+dot\s+|\(dot\)|\[dot\]|\{dot\}|\s+точка\s+)\s*\p{L}{2,}`)
	})
	// atEmailRE finds "name(a)example.org"; onEmailRE "name.kd on
	// example.org" and "name.kd на example.org" (the name needs a dot, a
	// digit or an underscore: "reported on meduza.io" is prose).
	atEmailRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`[\p{L}0-9._%+\-]+\s*\((?:a|at)\)\s*[\p{L}0-9\-]+(?:\.[\p{L}0-9\-]+)*\.\p{L}{2,}`)
	})
	onEmailRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`[\p{L}0-9%+\-]*[._0-9][\p{L}0-9._%+\-]*\p{L}[\p{L}0-9._%+\-]*\s+(?:on|на)\s+[\p{L}0-9\-]+(?:\.[\p{L}0-9\-]+)*\.\p{L}{2,}`)
	})
	// numberRE finds runs of digits with the separators phone numbers and
	// document numbers use (no dots or slashes: "207.3", "1-12/2023").
	numberRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\+?\(?\d[\d \x{00A0}\-()]*\d`) })
	// dottedPhoneRE finds phone numbers written with dots or dashes of
	// any kind (8.912.345.67.89, 8–912–345–67–89).
	dottedPhoneRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\+?\d{1,3}[ .\-–—]\(?\d{3}\)?[ .\-–—]\d{2,3}[ .\-–—]\d{2}[ .\-–—]?\d{2}`)
	})
	dateInside = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\d{4}-\d{2}(-\d{2})?|\d{2}-\d{2}-\d{4}`) })
	passportRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{2}[ \x{00A0}]?\d{2}[ \x{00A0}]?\d{6}$`) })
)

// findPatterns finds e-mail addresses, phone numbers, passport numbers and
// other long identifying numbers in text (after normalisation: full-width
// digits, invisible characters and percent-escapes do not hide them), and
// bidi controls, which published text never needs.
func findPatterns(text string, n []nrune) []span {
	if !mayHavePattern(text, n) {
		return nil
	}
	var b strings.Builder
	starts := make([]int, 0, len(text)+1)
	ends := make([]int, 0, len(text)+1)
	for _, x := range n {
		k := utf8.RuneLen(x.r)
		if k < 0 {
			k = 3
		}
		b.WriteRune(x.r)
		for range k {
			starts = append(starts, x.start)
			ends = append(ends, x.end)
		}
	}
	ns := b.String()
	starts = append(starts, len(text))
	ends = append(ends, len(text))
	var out []span
	add := func(a, c int, field string) {
		sa, se := starts[a], ends[c-1]
		out = append(out, span{sa, se, Hit{Field: field, Match: text[sa:se]}})
	}
	if strings.IndexByte(ns, '@') >= 0 {
		for _, m := range emailRE().FindAllStringIndex(ns, -1) {
			add(m[0], m[1], "e-mail address")
		}
	}
	if strings.Contains(ns, "at") || strings.Contains(ns, "собака") || strings.Contains(ns, "(a)") || strings.Contains(ns, " on ") || strings.Contains(ns, " на ") {
		for _, m := range disguisedEmailRE().FindAllStringIndex(ns, -1) {
			add(m[0], m[1], "e-mail address")
		}
		for _, re := range []*regexp.Regexp{atEmailRE(), onEmailRE()} {
			for _, m := range re.FindAllStringIndex(ns, -1) {
				add(m[0], m[1], "e-mail address")
			}
		}
	}
	ns = digitLookalikes(ns)
	digits := 0
	for i := 0; i < len(ns); i++ {
		if ns[i] >= '0' && ns[i] <= '9' {
			digits++
		}
	}
	if digits < 7 {
		ns = "" // no number pattern can match
	}
	for _, m := range dottedPhoneRE().FindAllStringIndex(ns, -1) {
		c := ns[m[0]:m[1]]
		if dateInside().MatchString(c) || !strings.ContainsAny(c, ".–—") {
			continue
		}
		if r, _ := utf8.DecodeLastRuneInString(ns[:m[0]]); m[0] > 0 && (unicode.IsDigit(r) || r == '.') {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(ns[m[1]:]); m[1] < len(ns) && unicode.IsDigit(r) {
			continue
		}
		add(m[0], m[1], "phone number")
	}
	for _, m := range numberRE().FindAllStringIndex(ns, -1) {
		a, e := m[0], m[1]
		// Not part of a word, a decimal number or an article such as 207.3.
		if r, _ := utf8.DecodeLastRuneInString(ns[:a]); a > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '/') {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(ns[e:]); e < len(ns) && (unicode.IsLetter(r) || unicode.IsDigit(r) || (r == '.' || r == '/') && e+1 < len(ns) && isDigitAt(ns, e+1)) {
			continue
		}
		c := ns[a:e]
		digits := 0
		for _, r := range c {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		plain := digits == len(c)
		var kind string
		switch {
		case dateInside().MatchString(c):
			continue
		case passportRE().MatchString(c):
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
		add(a, e, kind)
	}
	for i, r := range text {
		if isBidiControl(r) {
			out = append(out, span{i, i + utf8.RuneLen(r), Hit{Field: "bidi control character", Match: text[i : i+utf8.RuneLen(r)]}})
		}
	}
	return out
}

// mayHavePattern is a quick test that lets most texts skip the regular
// expressions: a pattern needs an @, the word at or собака, a cluster of
// seven digits (with separators between them), or a bidi control.
func mayHavePattern(text string, n []nrune) bool {
	if len(text) <= 10 && isoPrefixRE().MatchString(text) {
		return false // a date field: 2023-04-17, 2023-04
	}
	cluster, gap := 0, 0
	for i, x := range n {
		switch r := x.r; {
		case r >= '0' && r <= '9':
			cluster++
			gap = 0
			if cluster >= 7 {
				return true
			}
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '+' || r == '–' || r == '—' || r == 0xA0:
			gap++
			if gap > 2 {
				cluster = 0
			}
		case r == '@':
			return true
		case r == 'a' && i+2 < len(n) && n[i+1].r == 't' && !unicode.IsLetter(n[i+2].r) && (i == 0 || !unicode.IsLetter(n[i-1].r)):
			return true
		case r == 'с' && i+5 < len(n) && n[i+1].r == 'о' && n[i+2].r == 'б':
			return true
		case r == 'a' && i > 0 && i+1 < len(n) && n[i-1].r == '(' && n[i+1].r == ')':
			return true
		case (r == 'o' || r == 'н') && i > 0 && i+2 < len(n) && (n[i+1].r == 'n' || n[i+1].r == 'а') &&
			n[i-1].r == ' ' && n[i+2].r == ' ':
			return true
		case (r == 'l' || r == 'i') && i > 0 && i+1 < len(n) && n[i-1].r >= '0' && n[i-1].r <= '9' && n[i+1].r >= '0' && n[i+1].r <= '9':
			gap = 0 // 9l2: a 1 in disguise
		default:
			cluster, gap = 0, 0
		}
	}
	for _, r := range text {
		if isBidiControl(r) {
			return true
		}
	}
	return false
}

func isDigitAt(s string, i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }

// romanMonths are months written in Roman numerals, upper case (13.IX.1990,
// 1990-IX-13).
var romanMonths = map[string]int{"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8,
	"IX": 9, "X": 10, "XI": 11, "XII": 12}

// dateWords are ordinal endings written after the day (13th, 21st, 13-го,
// 13-е), merged into the day, and the words between a day and its month
// (the 13th of September), skipped.
var (
	ordinalEndings = sync.OnceValue(func() map[string]bool {
		m := map[string]bool{}
		for _, w := range strings.Fields(`st nd rd th го е ое ого`) {
			m[skeleton(w)] = true
		}
		return m
	})
	dateFillers = sync.OnceValue(func() map[string]bool {
		m := map[string]bool{}
		for _, w := range strings.Fields(`of the`) {
			m[skeleton(w)] = true
		}
		return m
	})
)

// dateTokens returns toks with ordinal endings merged into the number
// before them and "of"/"the" dropped, for findDates.
func dateTokens(toks []token) []token {
	var out []token
	changed := false
	for i, t := range toks {
		if !t.digits && i > 0 && toks[i-1].digits && t.start-toks[i-1].end <= 1 && ordinalEndings()[t.skel] && len(out) > 0 {
			out[len(out)-1].end = t.end
			changed = true
			continue
		}
		if !t.digits && dateFillers()[t.skel] {
			changed = true
			continue
		}
		out = append(out, t)
	}
	if !changed {
		return toks
	}
	return out
}

// digitLookalikes returns s with an l or an i between two digits read as
// the 1 it imitates (9l2 345 67 89); s is normalised, so I is i already.
func digitLookalikes(s string) string {
	var b []byte
	for i := 1; i+1 < len(s); i++ {
		if (s[i] == 'l' || s[i] == 'i') && isDigitAt(s, i-1) && isDigitAt(s, i+1) {
			if b == nil {
				b = []byte(s)
			}
			b[i] = '1'
		}
	}
	if b == nil {
		return s
	}
	return string(b)
}
