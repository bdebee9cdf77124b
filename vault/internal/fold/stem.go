package fold

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Russian and Ukrainian names decline: Шахновский, Шахновского,
// Шахновскому; Горинов, Горинову, Гориновым; Глеб, Глеба. The suffix
// rules below strip the case endings of nouns and adjectives that
// surnames and given names take (Russian grammar as described in
// A. A. Zaliznyak's grammatical dictionary, and the Ukrainian -ові/-ою
// forms), after the word has become a skeleton, so that Latin
// transliterations of declined forms agree too. The -ов/-ев/-ин/-ск
// suffix of the surname itself is kept: Orlov and Orlova have the stem
// orlov, but Orlov and Orel do not agree.

// caseEndings are the endings, in Cyrillic, longest first after
// conversion.
var caseEndings = sync.OnceValue(func() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range strings.Fields(`ого его ому ему ыми ими ым им ой ей ою ею ую юю ая яя ий ый ые ие ых их
		ом ем ам ям ах ях ами ями ові еві ові ою а я у ю е ы и`) {
		s := strings.TrimPrefix(Skeleton("б"+e), "b")
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
})

// Stem strips one case ending from a skeleton, keeping at least three
// letters (Глеба → gleb), or two after a vowel (Цою → co).
func Stem(skel string) string {
	if strings.HasSuffix(skel, "enko") {
		return skel[:len(skel)-1] // Шевченко, Шевченка, Шевченку
	}
	n := utf8.RuneCountInString(skel)
	for _, e := range caseEndings() {
		if !strings.HasSuffix(skel, e) {
			continue
		}
		st := skel[:len(skel)-len(e)]
		// Three letters at least; two for a stem ending in a vowel, whose
		// й the glide rule ate (Цой, Цою, Цоя: co).
		if k := n - len(e); k >= 3 || k == 2 && strings.ContainsAny(st[len(st)-1:], "aeou") {
			return st
		}
	}
	return skel
}

// foldCache remembers the skeleton and stem of words seen before: names
// and common words repeat across thousands of cases.
var foldCache = struct {
	sync.Mutex
	m   map[string][2]string
	buf []byte
}{m: map[string][2]string{}}

// maxFoldCache bounds the cache; it is emptied when full.
const maxFoldCache = 1 << 18

// SkeletonStem returns FoldWord(word) and its Stem, remembering both for
// the next time the same normalised letters come.
func SkeletonStem(word []rune) (skel, st string) {
	c := &foldCache
	c.Lock()
	defer c.Unlock()
	c.buf = c.buf[:0]
	for _, r := range word {
		c.buf = utf8.AppendRune(c.buf, r)
	}
	if v, ok := c.m[string(c.buf)]; ok {
		return v[0], v[1]
	}
	skel = FoldWord(word)
	st = Stem(skel)
	if len(c.m) > maxFoldCache {
		clear(c.m)
	}
	c.m[string(c.buf)] = [2]string{skel, st}
	return skel, st
}
