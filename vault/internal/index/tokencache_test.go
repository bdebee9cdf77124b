package index

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"pgregory.net/rapid"

	"github.com/casevault/casevault/crypto"
)

// The token cache answers as the maps it replaced: a MAC from the cache is
// the token's MAC under the key asked for, whatever the tokens (long ones
// fastcache does not store, ones much alike) and however MACs and
// vocabulary notes of the same tokens interleave; the vocabulary notes
// hold what was added and not removed or forgotten since; Release leaves
// it usable.
func TestTokenCacheAgreesWithMaps(t *testing.T) {
	key := crypto.DeriveKey(crypto.Key{7}, "index")
	other := crypto.DeriveKey(crypto.Key{8}, "index")
	rapid.Check(t, func(t *rapid.T) {
		var tc TokenCache
		defer tc.Release()
		sc := NewSharedMACCache(&tc, key)
		want := map[string]bool{}
		tok := rapid.OneOf(
			rapid.StringMatching(`[a-zа-я0-9]{0,12}`),
			rapid.SampledFrom([]string{"", "ivan", "ivanov", "ivanova", "иван", "m", "v", strings.Repeat("я", 40), strings.Repeat("x", 70<<10)}),
		)
		for i, n := 0, rapid.IntRange(1, 300).Draw(t, "n"); i < n; i++ {
			s := tok.Draw(t, "token")
			switch rapid.IntRange(0, 6).Draw(t, "op") {
			case 0:
				tc.VocabAdd(s)
				want[s] = true
			case 1:
				tc.VocabRemove(s)
				delete(want, s)
			case 2:
				k := key
				if rapid.Bool().Draw(t, "rekey") {
					k = other // a rekey: no MAC of the old key may come back
				}
				if got := tc.MAC([]byte("p"), k, s); !bytes.Equal(got, append([]byte("p"), TokenMAC(k, s)...)) {
					t.Fatalf("MAC(%q) = %x, want %x", s, got, TokenMAC(k, s))
				}
			case 3:
				if got := sc.MAC(s); got != string(TokenMAC(key, s)) {
					t.Fatalf("SharedMACCache.MAC(%q) = %x, want %x", s, got, TokenMAC(key, s))
				}
			case 4:
				if rapid.IntRange(0, 9).Draw(t, "forget") == 0 {
					tc.ForgetVocab()
					clear(want)
				}
			case 5:
				if rapid.IntRange(0, 19).Draw(t, "release") == 0 {
					tc.Release()
					clear(want)
				}
			}
			for w := range want {
				// A token too long for fastcache is simply not kept: a
				// miss, never a token wrongly present.
				if !tc.VocabHas(w) && len(w) < 60<<10 {
					t.Fatalf("vocabulary note of %q lost", w)
				}
			}
			if tc.VocabHas(s) && !want[s] {
				t.Fatalf("VocabHas(%q) after it was removed or forgotten", s)
			}
		}
	})
}

// Many goroutines share one cache (an import's parsing workers, beside
// the writer's vocabulary notes).
func TestTokenCacheConcurrent(t *testing.T) {
	key := crypto.DeriveKey(crypto.Key{9}, "index")
	var tc TokenCache
	defer tc.Release()
	sc := NewSharedMACCache(&tc, key)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20000 {
				s := strings.Repeat("ab", (i+g)%7) + string(rune('a'+i%26)) + string(rune('а'+g))
				if g%2 == 0 {
					tc.VocabAdd(s)
				}
				if got := sc.MAC(s); got != string(TokenMAC(key, s)) {
					t.Errorf("MAC(%q) = %x, want %x", s, got, TokenMAC(key, s))
					return
				}
			}
		}()
	}
	wg.Wait()
}
