package vault

import (
	"github.com/casevault/casevault/vault/internal/index"
)

// The search index (tokens, posting keys, the list summary record, query
// parsing) lives in vault/internal/index; index.go reads and writes its
// records inside the vault's transactions. These names are the API.

// A Summary is what `case list` and `case search` show of a case. It is kept
// under the index key so that listing does not open every case.
type Summary = index.Summary

// A Filter narrows `case list`, `case search` and `stats` by structured
// fields; the zero Filter matches every case.
type Filter = index.Filter

// Tokens splits texts into search tokens: lower-cased runs of letters and
// digits (a dot between digits stays, so "207.3" is one token), with "ё"
// folded to "е". Duplicates are removed.
func Tokens(texts ...string) []string { return index.Tokens(texts...) }

func postingPrefix(tokenMAC []byte) []byte        { return index.PostingPrefix(tokenMAC) }
func postingKey(tokenMAC []byte, c CaseID) []byte { return index.PostingKey(tokenMAC, c) }

func encodeSummary(s Summary) []byte { return index.EncodeSummary(s) }
