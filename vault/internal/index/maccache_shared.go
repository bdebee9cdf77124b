package index

import "github.com/casevault/casevault/crypto"

// A SharedMACCache gives the parsing workers of an import token MACs from
// a vault's TokenCache, each as a string of MACLen bytes: the key a batch
// collects postings under, so that the one writer neither computes nor
// converts it. Many goroutines may use one at once.
type SharedMACCache struct {
	tc  *TokenCache
	key crypto.Key
}

// NewSharedMACCache returns MACs under key, cached in tc.
func NewSharedMACCache(tc *TokenCache, key crypto.Key) *SharedMACCache {
	return &SharedMACCache{tc: tc, key: key}
}

// MAC returns string(TokenMAC(key, tok)).
func (c *SharedMACCache) MAC(tok string) string {
	var buf [MACLen]byte
	return string(c.tc.MAC(buf[:0], c.key, tok))
}
