package index

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/store"
)

// The vocabulary lets a prefix query (ворон*) find the tokens it stands
// for, which posting keys cannot: they hold MACs. Its records are keyed by
// the MAC of the first VocabStart letters of the folded tokens they hold
// ("v:" ‖ start, under the index key) and hold those tokens, sorted,
// sealed under the index key. Only tokens some case holds are in it: a
// token leaves it when its last posting goes.

// VocabStart is how many letters of a token key its vocabulary record,
// and the shortest prefix a query may ask for.
const VocabStart = 3

// ErrShortPrefix is a prefix query with fewer than VocabStart letters.
var ErrShortPrefix = errs.New(errs.ErrInvalid, "a prefix search needs at least 3 letters or digits before the * (zh, kh, ch, sh, ts and a y before a vowel count as one)")

// VocabStartOf returns the start of tok that keys its vocabulary record,
// or false for a token too short (or a structured token) to be in it.
func VocabStartOf(tok string) (string, bool) {
	if strings.ContainsRune(tok, ':') {
		return "", false
	}
	i, n := 0, 0
	for n < VocabStart && i < len(tok) {
		_, size := utf8.DecodeRuneInString(tok[i:])
		i += size
		n++
	}
	if n < VocabStart {
		return "", false
	}
	return tok[:i], true
}

// VocabKey is the store key of the vocabulary record of tokens starting
// with start.
func VocabKey(key crypto.Key, start string) []byte {
	return append([]byte{store.PVocab}, crypto.MAC(key, []byte("v:"+start))[:MACLen]...)
}

// EncodeVocab is the plaintext of a vocabulary record: the tokens, sorted,
// one per line.
func EncodeVocab(toks []string) []byte { return []byte(strings.Join(toks, "\n")) }

// DecodeVocab reads a vocabulary record's plaintext.
func DecodeVocab(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(string(b), "\n")
}

// VocabAdd returns the sorted vocabulary toks with add merged in, and
// whether it changed.
func VocabAdd(toks []string, add ...string) ([]string, bool) {
	changed := false
	for _, t := range add {
		i, found := slices.BinarySearch(toks, t)
		if !found {
			toks = slices.Insert(toks, i, t)
			changed = true
		}
	}
	return toks, changed
}

// VocabRemove returns the sorted vocabulary toks without del, and whether
// it changed.
func VocabRemove(toks []string, del ...string) ([]string, bool) {
	changed := false
	for _, t := range del {
		if i, found := slices.BinarySearch(toks, t); found {
			toks = slices.Delete(toks, i, i+1)
			changed = true
		}
	}
	return toks, changed
}
