package vault

import "github.com/casevault/casevault/vault/internal/bulk"

// A CSVDialect is the delimiter and encoding of a CSV import file,
// detected or given ([ImportOptions.Dialect], [ImportReport.CSV]).
type CSVDialect = bulk.Dialect

// CSV encodings an import reads.
const (
	EncodingUTF8   = bulk.EncodingUTF8
	EncodingCP1251 = bulk.EncodingCP1251
)

// ParseCSVDelimiter reads a delimiter as a user names it (",", ";", "tab").
func ParseCSVDelimiter(s string) (rune, error) { return bulk.ParseDelimiter(s) }

// ParseCSVEncoding reads an encoding name (utf-8, windows-1251, cp1251).
func ParseCSVEncoding(s string) (string, error) { return bulk.ParseEncoding(s) }
