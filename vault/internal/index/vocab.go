package index

import (
	"strings"
	"unicode/utf8"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/store"
)

// The vocabulary lets a prefix query (ворон*) find the tokens it stands
// for, which posting keys cannot: they hold MACs. Each folded token some
// case holds has one record, keyed by the MAC of its first VocabStart
// letters ("v:" ‖ start) and the MAC of the token ("w:" ‖ token), both
// under the index key, and holding the token sealed under the index key.
// A prefix query reads the records of a start by their common key prefix;
// a token that comes is one record written and a token whose last posting
// goes one record deleted, so no change rewrites the records of other
// tokens (index format 4; format 3 kept one record per start, rewritten
// whole for every token added to it).

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

// VocabStartKey is the common store key prefix of the vocabulary records
// of the tokens starting with start.
func VocabStartKey(key crypto.Key, start string) []byte {
	return append([]byte{store.PVocab}, crypto.MAC(key, []byte("v:"+start))[:MACLen]...)
}

// VocabKeyLen is the length of a vocabulary record's key.
const VocabKeyLen = 1 + 2*MACLen

// VocabKey is the store key of the vocabulary record of the token tok,
// or false for a token not in the vocabulary (VocabStartOf).
func VocabKey(key crypto.Key, tok string) ([]byte, bool) {
	start, ok := VocabStartOf(tok)
	if !ok {
		return nil, false
	}
	return append(VocabStartKey(key, start), crypto.MAC(key, []byte("w:"+tok))[:MACLen]...), true
}
