package index

import (
	"sync"

	"github.com/VictoriaMetrics/fastcache"

	"github.com/casevault/casevault/crypto"
)

// A TokenCache holds what an open vault remembers about index tokens: each
// token's MAC under the index key (an import computes the same tokens
// hundreds of thousands of times) and the tokens known to be in the search
// vocabulary (index_vocab.go). An import keeps it for the whole file. Kept
// as Go maps of strings, these were most of the objects the garbage
// collector marked in each cycle (heap profile at 225,000 cases: 560,000
// of 680,000 live objects), and an import's collector runs several times a
// second, so a third of a 1,000,000-case import's CPU went to marking
// them. fastcache keeps its entries in pointer-free memory (off the Go heap
// on Unix), which the collector never scans, and compares the whole key on
// each lookup, so a hash collision is a miss, never another token's entry.
// It may forget any entry at any time (the oldest go when it is full):
// that costs a MAC computed again or a vocabulary record read again, never
// a wrong answer. One cache of fastcache's smallest size (32 MiB, about
// 1.5 million entries, taken only as entries are written) serves both, so
// its memory is bounded whatever the file; the import's soft memory limit
// leaves room for it (cmd/casevault/memlimit.go).
//
// The zero value is ready to use; it is safe for concurrent use. Its memory
// is not garbage collected: Release empties it and hands its memory back to
// fastcache, which keeps it for the process's next cache (neither unmapped
// nor zeroed: the tokens stay in the process's memory until overwritten or
// the process ends, as the maps' garbage did). A Vault releases its cache
// when it closes, and a rekey the cache of its temporary vault.
type TokenCache struct {
	mu     sync.Mutex
	c      *fastcache.Cache
	key    crypto.Key // the index key of the cached MACs
	macGen uint32     // the generation of MACs: one for each key
	gen    uint32     // the vocabulary generation (ForgetVocab)
}

// tokenCacheBytes is fastcache's smallest capacity (its per-bucket indexes,
// about 16 bytes an entry, are Go maps of integers on the Go heap).
const tokenCacheBytes = 32 << 20

// Entries are keyed by a kind byte, a generation and the token: kindMAC
// and the MACs' generation, or kindVocab and the vocabulary generation. A
// new generation makes the entries of the previous ones unreachable (they
// go as the cache fills).
const (
	kindMAC   = 'm'
	kindVocab = 'v'
)

// cache returns the cache, made if need be, and the generation of the
// MACs under key, or of the vocabulary if key is nil. A key other than the
// cached MACs' starts a new generation of MACs.
func (t *TokenCache) cache(key *crypto.Key) (*fastcache.Cache, uint32) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.c == nil {
		t.c = fastcache.New(tokenCacheBytes)
	}
	if key == nil {
		return t.c, t.gen
	}
	if *key != t.key {
		t.key = *key
		t.macGen++
	}
	return t.c, t.macGen
}

// entryKey appends an entry's key to buf.
func entryKey(buf []byte, kind byte, gen uint32, tok string) []byte {
	return append(append(buf, kind, byte(gen>>24), byte(gen>>16), byte(gen>>8), byte(gen)), tok...)
}

// MAC appends TokenMAC(key, tok) to dst, from the cache when it can. No
// MAC cached under another key (before a rekey) is given.
func (t *TokenCache) MAC(dst []byte, key crypto.Key, tok string) []byte {
	c, gen := t.cache(&key)
	var kb [64]byte
	k := entryKey(kb[:0], kindMAC, gen, tok)
	if v, ok := c.HasGet(dst, k); ok && len(v) == len(dst)+MACLen {
		return v
	}
	mac := TokenMAC(key, tok)
	c.Set(k, mac)
	return append(dst, mac...)
}

func (t *TokenCache) vocabKey(buf []byte, tok string) (*fastcache.Cache, []byte) {
	c, gen := t.cache(nil)
	return c, entryKey(buf, kindVocab, gen, tok)
}

// VocabHas says whether tok was noted as in the vocabulary (VocabAdd) and
// not removed or forgotten since.
func (t *TokenCache) VocabHas(tok string) bool {
	var kb [64]byte
	c, k := t.vocabKey(kb[:0], tok)
	return c.Has(k)
}

// VocabAdd notes that tok is in the vocabulary.
func (t *TokenCache) VocabAdd(tok string) {
	var kb [64]byte
	c, k := t.vocabKey(kb[:0], tok)
	c.Set(k, nil)
}

// VocabRemove forgets that tok is in the vocabulary.
func (t *TokenCache) VocabRemove(tok string) {
	var kb [64]byte
	c, k := t.vocabKey(kb[:0], tok)
	c.Del(k)
}

// ForgetVocab forgets every token noted with VocabAdd (the vocabulary was
// rewritten): their entries are no longer found, and go as the cache
// fills.
func (t *TokenCache) ForgetVocab() {
	t.mu.Lock()
	t.gen++
	t.mu.Unlock()
}

// Release empties the cache and hands its memory back to fastcache. The
// cache may be used again afterwards.
func (t *TokenCache) Release() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.c != nil {
		t.c.Reset()
		t.c = nil
	}
	t.key, t.macGen = crypto.Key{}, t.macGen+1
}
