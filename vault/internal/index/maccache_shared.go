package index

import (
	"sync"

	"github.com/casevault/casevault/crypto"
)

// A SharedMACCache is a MACCache that many goroutines may use at once
// (the parsing workers of an import), and that gives each MAC as a string
// of MACLen bytes: the key a batch collects postings under, so that the
// one writer neither computes nor converts it. Make one with
// NewSharedMACCache for one index key.
type SharedMACCache struct {
	key crypto.Key
	mu  sync.RWMutex
	m   map[string]string
}

// NewSharedMACCache returns an empty cache of MACs under key.
func NewSharedMACCache(key crypto.Key) *SharedMACCache {
	return &SharedMACCache{key: key, m: map[string]string{}}
}

// MAC returns string(TokenMAC(key, tok)).
func (c *SharedMACCache) MAC(tok string) string {
	c.mu.RLock()
	m, ok := c.m[tok]
	c.mu.RUnlock()
	if ok {
		return m
	}
	m = string(TokenMAC(c.key, tok))
	c.mu.Lock()
	if len(c.m) > maxMACCache {
		c.m = map[string]string{}
	}
	c.m[tok] = m
	c.mu.Unlock()
	return m
}
