package index

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/casevault/casevault/schema"
)

// A Summary is what `case list` and `case search` show of a case. It is kept
// under the index key so that listing does not open every case.
type Summary struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	NameNative string    `json:"name_native,omitempty"`
	Status     string    `json:"status,omitempty"`
	Updated    time.Time `json:"updated"`
	Rev        uint32    `json:"rev"`
	Origin     string    `json:"origin,omitempty"` // sending organisation of an imported case
}

// SummaryOf is the list summary of case id whose revision rev, written at
// updated, holds doc; origin is the sending organisation of an imported
// case.
func SummaryOf(id string, doc *schema.Case, rev uint32, updated time.Time, origin string) Summary {
	return Summary{ID: id, Name: doc.Name(), NameNative: doc.NameNative(), Status: doc.Status(), Updated: updated, Rev: rev, Origin: origin}
}

// summaryVersion is the first byte of a summary record in the compact
// binary form. Summaries written as JSON (first byte '{') are still read.
const summaryVersion = 0x02

// EncodeSummary writes a summary compactly: version(1) ‖ rev(4) ‖
// updated(8, Unix nanoseconds) ‖ then ID, name, native name, status and origin,
// each as uvarint length ‖ UTF-8 bytes.
func EncodeSummary(s Summary) []byte {
	b := make([]byte, 0, 13+len(s.ID)+len(s.Name)+len(s.NameNative)+len(s.Status)+len(s.Origin)+5)
	b = append(b, summaryVersion)
	b = binary.BigEndian.AppendUint32(b, s.Rev)
	b = binary.BigEndian.AppendUint64(b, uint64(s.Updated.UnixNano()))
	for _, f := range []string{s.ID, s.Name, s.NameNative, s.Status, s.Origin} {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}

var errBadSummary = errors.New("malformed summary record")

// DecodeSummary reads a summary in either form.
func DecodeSummary(b []byte, s *Summary) error {
	if len(b) > 0 && b[0] == '{' {
		return json.Unmarshal(b, s)
	}
	if len(b) < 13 || b[0] != summaryVersion {
		return errBadSummary
	}
	s.Rev = binary.BigEndian.Uint32(b[1:])
	s.Updated = time.Unix(0, int64(binary.BigEndian.Uint64(b[5:]))).UTC()
	b = b[13:]
	for _, f := range []*string{&s.ID, &s.Name, &s.NameNative, &s.Status, &s.Origin} {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return errBadSummary
		}
		*f = string(b[k : k+int(n)])
		b = b[k+int(n):]
	}
	if len(b) != 0 {
		return errBadSummary
	}
	return nil
}

// ErrOtherCase is a summary record that names another case than the one
// it is stored for.
var ErrOtherCase = errors.New("summary names another case")

// DecodeSummaryOf reads the summary stored for case id and checks that it
// names that case.
func DecodeSummaryOf(b []byte, id string) (Summary, error) {
	var s Summary
	if err := DecodeSummary(b, &s); err != nil {
		return s, err
	}
	if s.ID != id {
		return s, ErrOtherCase
	}
	return s, nil
}

// SortSummaries sorts summaries by name, case-insensitively, and then by
// ID.
func SortSummaries(s []Summary) {
	type sortKey struct {
		name string
		i    int
	}
	keys := make([]sortKey, len(s))
	for i := range s {
		keys[i] = sortKey{strings.ToLower(s[i].Name), i}
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(s[a.i].ID, s[b.i].ID)
	})
	sorted := make([]Summary, len(s))
	for n, k := range keys {
		sorted[n] = s[k.i]
	}
	copy(s, sorted)
}
