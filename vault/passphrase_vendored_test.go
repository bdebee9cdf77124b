package vault

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	upstream "github.com/trustelem/zxcvbn"
	upmatch "github.com/trustelem/zxcvbn/match"
	"pgregory.net/rapid"

	"github.com/casevault/casevault/vault/internal/third_party/zxcvbn"
	"github.com/casevault/casevault/vault/internal/third_party/zxcvbn/match"
)

// passphraseCorpus: what users type, in the three languages casevault
// speaks, with the patterns zxcvbn looks for.
var passphraseCorpus = []string{
	"", "x", "a", "password", "Password1", "P@ssw0rd", "qwertyuiop", "12345678", "asdfghjkl;'",
	"zxcvbn", "Memorial2024", "memorial defence", "Memorial Defence 2024", "memorialdefence",
	"correct horse battery staple", "a new passphrase after the seizure 41", "violet tundra kettle imprint",
	"Ложка дёгтя в бочке мёда 1987", "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю", "пароль пароль пароль",
	"пароль123", "Пароль2024!", "мемориал", "правозащита 2022", "политзаключённый", "свобода воля любовь",
	"кошка ураган тетрадь вертолёт", "Київ 2014 Україна", "таємниця", "привіт сонце", "кохання назавжди",
	"Наташа 01.02.1985", "сергей19850317", "gfhjkm", "ghbdtn", "vfrcbv", "staple staple staple staple",
	"abcabcabc", "aaaaaaa", "abcdefg", "9876543210", "zyxwvu", "13/05/1991", "1991-05-13", "05.13.91",
	"qazwsxedc", "1qaz2wsx", "!QAZ2wsx", "789456123", "tr0ub4dor&3", "Tr0ub4dour&3", "drowssap",
	"correcthorsebatterystaple", "Ёжик в тумане", "ёлка ёлка", "ɐ∀ 𝄞 mixed €uro", "ЙЦУКЕН qwerty",
	"Kuznetsova Omsk 207.3", "Кузнецова Омск 207.3", "zaytsev zaytseva zaytsevu", "Зайцев Зайцева Зайцеву",
	"the quick brown fox jumps over the lazy dog", "iloveyou!", "monkey123", "dragon dragon", "2024memorial",
	strings.Repeat("ab", 64), strings.Repeat("пароль", 20),
}

// zxcvbnInputs are the calls CheckPassphraseStrength makes for s.
func zxcvbnInputs(s string) []string {
	out := []string{s}
	out = append(out, extraCandidates(s)...)
	if repeatedWords(s) {
		out = append(out, strings.Fields(s)[0])
	}
	if j := strings.Join(strings.Fields(s), ""); j != s {
		out = append(out, j)
	}
	return out
}

// sameAsUpstream fails unless the vendored zxcvbn scores s as upstream
// does. Both range over maps (of dictionaries, of matches of equal cost),
// so for a few strings either gives one of several answers from one run
// to the next: CI met "1991-memorial-ghfdf-n.hmvf-rm'" (rapid could not
// reproduce it), which upstream scores 3e24 guesses in 147 of 300 runs and
// 1.35e24 in the others, and the vendored copy likewise. A mismatch is
// retried, and only one that no run of either ever agrees on fails.
func sameAsUpstream(t interface{ Fatalf(string, ...any) }, s string, inputs []string) {
	var msg string
	for range sameAsUpstreamTries {
		got := zxcvbn.PasswordStrength(s, inputs)
		want := upstream.PasswordStrength(s, inputs)
		gs, _ := json.Marshal(segments(got.Sequence))
		ws, _ := json.Marshal(segmentsUp(want.Sequence))
		if got.Score == want.Score && got.Guesses == want.Guesses && string(gs) == string(ws) {
			return
		}
		msg = fmt.Sprintf("%q with inputs %q: vendored score %d guesses %g sequence %s; upstream score %d guesses %g sequence %s",
			s, inputs, got.Score, got.Guesses, gs, want.Score, want.Guesses, ws)
	}
	t.Fatalf("in %d runs of each: %s", sameAsUpstreamTries, msg)
}

// sameAsUpstreamTries is how many times sameAsUpstream scores a string
// with both before it calls a difference real.
const sameAsUpstreamTries = 64

// segment is what a match says about the passphrase. Which dictionary a
// word was found in is left out: upstream ranges over a map of
// dictionaries, so of two equally cheap matches of the same word ("qwerty"
// in the passwords and in the user inputs) either may come first, in
// upstream itself from one run to the next.
type segment struct {
	Pattern string
	I, J    int
	Token   string
	Guesses float64
}

func segments(ms []*match.Match) (out []segment) {
	for _, m := range ms {
		out = append(out, segment{m.Pattern, m.I, m.J, m.Token, m.Guesses})
	}
	return out
}

func segmentsUp(ms []*upmatch.Match) (out []segment) {
	for _, m := range ms {
		out = append(out, segment{m.Pattern, m.I, m.J, m.Token, m.Guesses})
	}
	return out
}

// The vendored zxcvbn (dictionaries built on first use) scores exactly as
// upstream v1.0.1 does, with the user inputs the strength check passes
// (the organisation's name and the Russian and Ukrainian words).
func TestVendoredZxcvbnMatchesUpstream(t *testing.T) {
	inputs := append([]string{"memorial", "defence", "memorialdefence", "memorial defence"}, ruWords...)
	n := 0
	for _, p := range passphraseCorpus {
		for _, s := range zxcvbnInputs(p) {
			sameAsUpstream(t, s, inputs)
			sameAsUpstream(t, s, nil)
			n++
		}
	}
	if n < len(passphraseCorpus) {
		t.Fatalf("only %d strings scored", n)
	}
	alphabet := []rune("abcdeilmnopqrstxyz0123456789 !@$._-ABCQWEабвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґЙЦУКЕН")
	rapid.Check(t, func(rt *rapid.T) {
		words := rapid.SliceOfN(rapid.SampledFrom(append([]string{"пароль", "memorial", "qwerty", "1991", "свобода", "dragon", "йцукен"}, ruWords...)), 0, 4).Draw(rt, "words")
		noise := rapid.StringOf(rapid.RuneFrom(alphabet)).Draw(rt, "noise")
		s := strings.Join(append(words, noise), rapid.SampledFrom([]string{"", " ", "-", "1"}).Draw(rt, "sep"))
		if r := []rune(s); len(r) > maxEstimateLen {
			s = string(r[:maxEstimateLen])
		}
		for _, c := range zxcvbnInputs(s) {
			sameAsUpstream(rt, c, inputs)
		}
	})
}
