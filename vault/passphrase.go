package vault

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/casevault/casevault/vault/internal/third_party/zxcvbn"
)

// MinPassphraseScore is the lowest zxcvbn score (0–4) a new passphrase may
// have: 3 means at least 10^8 guesses by zxcvbn's estimate.
const MinPassphraseScore = 3

// guessesPerSecond is the attacker's assumed rate for the crack-time
// estimate: zxcvbn's "offline, slow hash" case (10^4 per second), which
// fits age's scrypt with many machines.
const guessesPerSecond = 1e4

// maxEstimateLen bounds the part of a passphrase given to the estimator,
// whose cost grows faster than the length. More characters only add
// strength, so a longer passphrase is judged by its first 128 characters.
const maxEstimateLen = 128

// A WeakPassphraseError says why a new passphrase is refused.
type WeakPassphraseError struct {
	Score     int      // zxcvbn score, 0–4
	Guesses   float64  // zxcvbn's estimate of the guesses needed
	CrackTime string   // at guessesPerSecond
	Feedback  []string // what makes it weak, never quoting the passphrase
}

func (e *WeakPassphraseError) Error() string {
	msg := fmt.Sprintf("passphrase too weak: strength %d of 4 (at least %d needed), about 10^%.0f guesses, cracked in %s by an attacker trying %.0f passphrases a second",
		e.Score, MinPassphraseScore, math.Log10(max(e.Guesses, 1)), e.CrackTime, guessesPerSecond)
	if len(e.Feedback) > 0 {
		msg += "\n" + strings.Join(e.Feedback, "\n")
	}
	return msg
}

// CheckPassphraseStrength refuses a passphrase that zxcvbn scores below
// MinPassphraseScore. userInputs are words an attacker would try first
// (the organisation's name). The library enforces nothing by itself: the
// commands that set a passphrase (init, passwd, rotate-identity) call it.
func CheckPassphraseStrength(pass []byte, userInputs ...string) error {
	s := string(pass)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if r := []rune(s); len(r) > maxEstimateLen {
		s = string(r[:maxEstimateLen])
	}
	var inputs []string
	for _, in := range userInputs {
		f := strings.Fields(strings.ToLower(in))
		inputs = append(inputs, f...)
		inputs = append(inputs, strings.Join(f, ""), strings.Join(f, " "))
	}
	inputs = append(inputs, ruWords...)
	res := zxcvbn.PasswordStrength(s, inputs)
	for _, alt := range extraCandidates(s) {
		if r2 := zxcvbn.PasswordStrength(alt, inputs); r2.Guesses < res.Guesses {
			res = r2
		}
	}
	if repeatedWords(s) {
		// One word repeated is as strong as the word and a count.
		if r2 := zxcvbn.PasswordStrength(strings.Fields(s)[0], inputs); r2.Guesses*10 < res.Guesses {
			res = r2
			res.Guesses *= 10
		}
	}
	// zxcvbn counts a space between words as a brute-forced character
	// (10^8 guesses for "memorial defence"): judge the words without their
	// separators too, and keep the weaker result.
	if joined := strings.Join(strings.Fields(s), ""); joined != s {
		if r2 := zxcvbn.PasswordStrength(joined, inputs); r2.Guesses < res.Guesses {
			res = r2
		}
	}
	if res.Score >= MinPassphraseScore {
		return nil
	}
	return &WeakPassphraseError{Score: res.Score, Guesses: res.Guesses, CrackTime: crackTime(res.Guesses / guessesPerSecond), Feedback: feedback(s, res)}
}

// feedback explains a weak result by the kinds of pattern zxcvbn found.
func feedback(s string, res zxcvbn.Result) []string {
	seen := map[string]bool{}
	var out []string
	add := func(line string) {
		if !seen[line] {
			seen[line] = true
			out = append(out, line)
		}
	}
	if utf8.RuneCountInString(s) < 12 {
		add("it is short: use 12 characters or more")
	}
	for _, m := range res.Sequence {
		switch m.Pattern {
		case "dictionary":
			if m.DictionaryName == "user_inputs" {
				add("it contains the organisation's name")
			} else {
				add("it is made of common words, names or passwords")
			}
		case "spatial":
			add("it contains a keyboard pattern (like qwerty)")
		case "repeat":
			add("it repeats characters or words")
		case "sequence":
			add("it contains a sequence (like abc or 1234)")
		case "date", "regex":
			add("it contains a date or a year")
		}
	}
	return out
}

// crackTime says how long seconds is, roughly.
func crackTime(seconds float64) string {
	const (
		minute = 60
		hour   = 60 * minute
		day    = 24 * hour
		year   = 365 * day
	)
	switch {
	case seconds < 1:
		return "less than a second"
	case seconds < minute:
		return fmt.Sprintf("%.0f seconds", seconds)
	case seconds < hour:
		return fmt.Sprintf("%.0f minutes", seconds/minute)
	case seconds < day:
		return fmt.Sprintf("%.0f hours", seconds/hour)
	case seconds < year:
		return fmt.Sprintf("%.0f days", seconds/day)
	case seconds < 100*year:
		return fmt.Sprintf("%.0f years", seconds/year)
	}
	return "centuries"
}
