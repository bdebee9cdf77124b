package index

import (
	"sync"

	"github.com/casevault/casevault/vault/internal/fold"
)

// The tokens of short texts are remembered: an import indexes the same
// facility, region, article title, status and occupation in case after
// case, and folding (transliteration and stemming) is most of the cost
// of indexing a case. The cache holds at most maxTextCache texts of at
// most maxCachedText bytes (a few MiB); it is emptied when full.
const (
	maxTextCache  = 1 << 15
	maxCachedText = 128
)

var textCache struct {
	sync.Mutex
	m map[string][]string
}

// textTokens returns the tokens of text (each word's token, then its
// joined form when it has one), as fold.Words gives them.
func textTokens(text string) []string {
	if len(text) > maxCachedText {
		return wordTokens(text)
	}
	textCache.Lock()
	toks, ok := textCache.m[text]
	textCache.Unlock()
	if ok {
		return toks
	}
	toks = wordTokens(text)
	textCache.Lock()
	if textCache.m == nil || len(textCache.m) >= maxTextCache {
		textCache.m = make(map[string][]string)
	}
	textCache.m[text] = toks
	textCache.Unlock()
	return toks
}

func wordTokens(text string) []string {
	ws := fold.Words(text)
	toks := make([]string, 0, len(ws))
	for _, w := range ws {
		if w.Token != "" {
			toks = append(toks, w.Token)
		}
		if w.Joined != "" {
			toks = append(toks, w.Joined)
		}
	}
	return toks
}
