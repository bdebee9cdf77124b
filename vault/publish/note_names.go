package publish

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Names written inside withheld free text. A lawyer's note ("secret
// witness Alexei Smirnov", "cellmate Boris Kuznetsov informant") names
// people that no name field holds; a copied note is found by four
// consecutive words, but the name alone was not. From every withheld
// value of a field that is not a name field, the scanner takes the
// person-name candidates: runs of two or three capitalised words (Latin or
// Cyrillic, initials included: "Smirnov A.A.", "A. Smirnov") that look
// like a name — a common given name, a patronymic, an initial or a
// surname ending (-ov, -ev, -in, -sky, -enko, -uk, -ich, -yan, -dze,
// -shvili) among them, and no word that is a capitalised non-name (month,
// weekday, court, facility, institution, kind of place, a region's name,
// legal words, an organisation or public figure). They are searched for
// as the name fields' values are: two name words together in either order
// (strength "name in text"), a surname with the initial of the given name
// ("A. Smirnov", "Смирнов А.А."), and a surname of six letters or more
// with a surname ending alone — every spelling and case ending that the
// skeletons and stems fold.

// noteNameStrength is the strength of a hit of a name found in free text,
// noteSurnameStrength of its surname alone.
const (
	noteNameStrength    = "name in text"
	noteSurnameStrength = "surname in text"
)

// nonNameWords are capitalised words of free text that are not names:
// months, weekdays, courts, institutions, places, legal words,
// organisations, media, and public figures whose names are not secrets.
var nonNameWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		january february march april may june july august september october november december
		monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
		январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
		января февраля марта апреля мая июня июля августа сентября октября ноября декабря
		понедельник вторник среда среду четверг пятница пятницу суббота субботу воскресенье сегодня вчера завтра
		court courts district city regional supreme military appeal appeals cassation constitutional
		garrison tribunal chamber justice magistrate federal republic region oblast krai okrug
		суд суда суде районный районного городской городского областной областного верховный
		верховного военный военного апелляционный кассационный конституционный гарнизонный
		мировой мирового краевой краевого республики республика области край округ района район
		sizo ik ivs shizo pkt fsb fsin mvd sk gufsin ufsin omon kgb pni epkt
		сизо ик ивс шизо пкт фсб фсин мвд ск гуфсин уфсин омон кгб епкт
		colony prison hospital centre center detention isolator penal settlement police station
		department directorate investigative committee ministry service office prosecutor general
		колония колонии тюрьма больница изолятор отдел отдела управление управления следственный
		комитет министерство служба прокуратура прокуратуры полиция полиции
		article articles code criminal administrative part paragraph law laws federation russian
		russia ukraine ukrainian belarus crimea crimean tatar tatars european convention human rights
		статья статьи статье ук коап кодекс часть закон федерации российской россии украины крыма
		echr ecthr un osce memorial ovd info novaya gazeta meduza mediazona dozhd rain radio liberty
		svoboda amnesty international telegram whatsapp signal viber vkontakte vk youtube facebook
		instagram twitter google apple android windows jehovah jehovah's witnesses hizb tahrir
		open navalny putin zelensky zelenskyy lukashenko shoigu medvedev kadyrov prigozhin
		stalin lenin nemtsov politkovskaya khodorkovsky
		мемориал медуза медиазона дождь свобода телеграм ютуб навальный навального путин путина
		зеленский лукашенко шойгу медведев кадыров пригожин сталин ленин немцов
		working notes note hearing hearings session verdict sentence trial appeal complaint motion
		petition charge charges new old north south east west central great saint st
		nizhny veliky`) {
		m[skeleton(w)] = true
		m[stem(skeleton(w))] = true
	}
	for _, d := range federalDistricts {
		for _, r := range d.regions {
			for _, name := range strings.Split(r, "|") {
				for _, t := range tokenize(name) {
					if !isGivenName(t.stem) { // Vladimir the region, Vladimir the man
						m[t.skel], m[t.stem] = true, true
					}
				}
			}
		}
	}
	for w := range placeWords() {
		m[w] = true
	}
	for w := range institutionWords() {
		m[w] = true
	}
	return m
})

// isNonName reports whether a capitalised word is no part of a name. The
// fillers of spelled-out addresses ("at", "dot") are among them: the
// scanner reads text without them, so a name made with one could never be
// found (nameCandidates skips one inside a name).
func isNonName(t token) bool {
	return fillers()[t.skel] || nonNameWords()[t.skel] || nonNameWords()[t.stem] || isStopword(t.skel) || months()[t.stem] > 0
}

// surnameEndings are the skeleton endings of Russian, Ukrainian,
// Belarusian, Armenian and Georgian surnames (Smirnov, Smirnova, Orlov,
// Khairullin, Shakhnovsky, Petrenko, Savchuk, Zhdanovich, Arutyunyan,
// Japaridze, Saakashvili, Shakhnovskaya, Tolstoi).
var surnameEndings = []string{"ov", "ova", "ev", "eva", "in", "ina", "ski", "ska", "skii", "skoi", "Cki", "Cka",
	"nko", "uk", "Huk", "iH", "an", "se", "vili", "ih", "ih", "ko"}

// hasSurnameEnding reports whether a skeleton of five letters or more ends
// like a surname.
func hasSurnameEnding(skel string) bool {
	if utf8.RuneCountInString(skel) < 5 {
		return false
	}
	for _, e := range surnameEndings {
		if strings.HasSuffix(skel, e) {
			return true
		}
	}
	return false
}

// A nameCandidate is a run of capitalised words in free text that looks
// like a person's name.
type nameCandidate struct {
	words    []token // name words (not initials), in order
	initials []token // initials (one capital letter)
	given    []bool  // words[i] is a given name or a patronymic
}

// isInitial reports whether t is one capital letter.
func isInitial(text string, t token) bool {
	return !t.digits && t.upper && utf8.RuneCountInString(text[t.start:t.end]) == 1
}

// nameCandidates returns the person-name candidates of a free-text value.
func nameCandidates(text string) []nameCandidate {
	toks := tokenize(text)
	var out []nameCandidate
	var run []token
	skipped := -1 // the end of a filler skipped inside the run
	flush := func() {
		if c, ok := candidate(text, run); ok {
			out = append(out, c)
		}
		run, skipped = run[:0], -1
	}
	for _, t := range toks {
		if len(run) > 0 {
			prev := run[len(run)-1]
			end := max(prev.end, skipped)
			gap := ""
			if end <= t.start { // tokens of one percent-escape run overlap
				gap = text[end:t.start]
			}
			joined := end <= t.start && strings.TrimSpace(gap) == "" && len(gap) <= 3 ||
				isInitial(text, prev) && strings.TrimSpace(gap) == "." ||
				isHyphenGap(gap)
			if !joined {
				flush()
			}
		}
		// A filler inside a name ("Ахмед Ат Тамими") is left out of it,
		// as the scanner leaves it out of the text it reads: the words on
		// either side stay one name.
		if len(run) > 0 && fillers()[t.skel] {
			skipped = t.end
			continue
		}
		if t.digits || !t.upper || isRoleWord(t.stem) || isRoleWord(t.skel) {
			flush()
			continue
		}
		if !isInitial(text, t) && isNonName(t) {
			flush()
			continue
		}
		run = append(run, t)
	}
	flush()
	return out
}

func isHyphenGap(gap string) bool {
	r, n := utf8.DecodeRuneInString(gap)
	return n == len(gap) && n > 0 && isHyphen(r)
}

// candidate decides whether a run of capitalised words is a name: two or
// three parts (a double-barrelled surname counts as one), at least one
// word that is not an initial nor a given name (the surname), and a sign
// of a name: a given name, a patronymic, an initial or a surname ending.
func candidate(text string, run []token) (nameCandidate, bool) {
	var c nameCandidate
	if len(run) < 2 || len(run) > 4 {
		return c, false
	}
	sign := false
	surnames := 0
	parts := 0
	for i, t := range run {
		if isInitial(text, t) {
			c.initials = append(c.initials, t)
			sign = true
			parts++
			continue
		}
		if i > 0 && run[i-1].end <= t.start && isHyphenGap(text[run[i-1].end:t.start]) {
			// The second half of Kara-Murza: same part.
		} else {
			parts++
		}
		g := isGivenName(t.stem) || isPatronymic(t.skel) && i > 0
		c.words = append(c.words, t)
		c.given = append(c.given, g)
		switch {
		case g:
			sign = true
		case hasSurnameEnding(t.skel):
			sign = true
			surnames++
		default:
			surnames++
		}
	}
	if parts < 2 || parts > 3 || surnames == 0 || !sign {
		return c, false
	}
	if len(c.words) == 1 && len(c.initials) == 0 {
		return c, false
	}
	return c, true
}

// addNoteNames adds the names written in one withheld free-text value.
// own holds the stems the case publishes itself (its person's name and
// native name, its judge): a candidate made of them only is not a secret.
func (s *scanner) addNoteNames(value string, own map[string]bool, base needle) {
	with := func(strength string) needle {
		n := base
		n.strength, n.fromText = strength, true
		return n
	}
	seen := map[string]bool{}
	for _, c := range nameCandidates(value) {
		var key strings.Builder
		for _, w := range c.words {
			key.WriteString(w.stem + " ")
		}
		for _, w := range c.initials {
			key.WriteString(w.skel + ". ")
		}
		if seen[key.String()] {
			continue // the same name twice in one note: one needle
		}
		seen[key.String()] = true
		allOwn := true
		for _, w := range c.words {
			if !own[w.stem] {
				allOwn = false
			}
		}
		if allOwn {
			continue
		}
		ws := c.words
		for i := 0; i+1 < len(ws); i++ {
			a, b := ws[i].stem, ws[i+1].stem
			addTo(s.pairs, [2]string{a, b}, with(noteNameStrength))
			addTo(s.pairs, [2]string{b, a}, with(noteNameStrength))
		}
		if n := len(ws); n > 2 {
			a, b := ws[0].stem, ws[n-1].stem
			addTo(s.pairs, [2]string{a, b}, with(noteNameStrength))
			addTo(s.pairs, [2]string{b, a}, with(noteNameStrength))
		}
		// The initial letters of the given name: from an initial, or the
		// first letter of a given-name word.
		var letters []string
		for _, t := range c.initials {
			letters = append(letters, firstLetter(t.skel))
		}
		for i, w := range ws {
			if c.given[i] && !isPatronymic(w.skel) {
				letters = append(letters, firstLetter(w.skel))
			}
		}
		strong := len(c.initials) > 0 || len(letters) > 0
		for i, w := range ws {
			if c.given[i] || own[w.stem] {
				continue
			}
			for _, l := range letters {
				addTo(s.initials, [2]string{w.stem, l}, with(noteNameStrength))
			}
			// A distinctive surname alone: next to a given name or an
			// initial in the note, with a surname ending and six
			// letters or more.
			if strong && hasSurnameEnding(w.skel) && utf8.RuneCountInString(w.skel) >= 6 {
				addTo(s.singles, w.stem, with(noteSurnameStrength))
			}
		}
	}
}

func firstLetter(skel string) string {
	r, _ := utf8.DecodeRuneInString(skel)
	return string(unicode.ToLower(r))
}

// ownStems returns the stems of the words a case publishes about itself
// by name: its person's name and native name and its judge.
func ownStems(values ...string) map[string]bool {
	m := map[string]bool{}
	for _, v := range values {
		for _, t := range tokenize(v) {
			m[t.stem] = true
		}
	}
	return m
}

// scanInitials finds a surname next to an initial or a given name whose
// first letter is a needle's ("A. Smirnov", "Smirnov A.A.", "Смирнов
// Алексей" for a note's "Alexei Smirnov" or "A. Smirnov").
func (s *scanner) scanInitials(text string, ft []token, i int, hit func(nd *needle, a, b int, ts []token)) {
	t := ft[i]
	if t.digits {
		return
	}
	near := func(j int) (token, bool) {
		if j < 0 || j >= len(ft) {
			return token{}, false
		}
		u := ft[j]
		a, b := u.end, t.start
		if j > i {
			a, b = t.end, u.start
		}
		if b < a || b-a > 3 || strings.Trim(text[a:b], " .\u00a0") != "" {
			return token{}, false
		}
		if isInitial(text, u) || u.upper && !u.digits && isGivenName(u.stem) {
			return u, true
		}
		return token{}, false
	}
	for _, j := range []int{i - 1, i + 1} {
		u, ok := near(j)
		if !ok {
			continue
		}
		// Before the surname, the given name's initial is the first
		// of a run of two ("A. A. Smirnov").
		if j < i && isInitial(text, u) {
			if v, ok2 := near2(text, ft, j-1, u); ok2 {
				u = v
			}
		}
		nds := s.initials[[2]string{t.stem, firstLetter(u.skel)}]
		if len(nds) == 0 {
			continue
		}
		a, b := min(u.start, t.start), max(u.end, t.end)
		if j > i {
			// Cover the initials after the surname and their dots
			// ("Smirnov A.A."), so that a redaction leaves none.
			if v, ok2 := near2After(text, ft, j+1, u); ok2 {
				b = v.end
			}
		}
		if b < len(text) && text[b] == '.' && isInitial(text, ft[min(max(i, j), len(ft)-1)]) {
			b++
		}
		for _, nd := range nds {
			hit(nd, a, b, []token{t})
		}
	}
}

// near2 returns the initial just before the initial u ("A." of "A. A.").
func near2(text string, ft []token, j int, u token) (token, bool) {
	if j < 0 {
		return token{}, false
	}
	v := ft[j]
	if !isInitial(text, v) || u.start < v.end || u.start-v.end > 3 || strings.Trim(text[v.end:u.start], " .\u00a0") != "" {
		return token{}, false
	}
	return v, true
}

// near2After returns the initial just after the initial u ("A." of "A. A.").
func near2After(text string, ft []token, j int, u token) (token, bool) {
	if j >= len(ft) {
		return token{}, false
	}
	v := ft[j]
	if !isInitial(text, v) || v.start < u.end || v.start-u.end > 3 || strings.Trim(text[u.end:v.start], " .\u00a0") != "" {
		return token{}, false
	}
	return v, true
}

// publishedName reports whether the words of a match are all words of the
// name of one published record: a person whom a note names (a
// co-defendant) and whom the publication names by consent anyway.
func (s *scanner) publishedName(ts []token) bool {
	if len(ts) == 0 || ts[0].digits {
		return false
	}
	for _, r := range s.publishedBy[ts[0].stem] {
		if allIn(s.ownWords[r], ts) {
			return true
		}
	}
	return false
}
