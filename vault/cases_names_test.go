package vault

import (
	"github.com/casevault/casevault/vault/internal/cases"
	"github.com/casevault/casevault/vault/internal/index"
)

// The names bulk_test.go's TestSummaryRecord and TestCompressRecord call:
// the codecs moved to vault/internal/index and vault/internal/cases, which
// test them too (summary_test.go, compress_test.go). bulk_test.go is left
// as it is while bulk import moves to its own package.
func decodeSummaryRecord(b []byte, s *Summary) error { return index.DecodeSummary(b, s) }
func compressRecord(b []byte) []byte                 { return cases.Compress(b) }
func decompressRecord(b []byte) ([]byte, error)      { return cases.Decompress(b) }
