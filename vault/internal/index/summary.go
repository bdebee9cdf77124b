package index

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casevault/casevault/schema"
)

// A Summary is what `case list` and `case search` show of a case, and
// what structured filters and `stats` read. It is kept under the index key
// so that listing, filtering and counting do not open every case.
type Summary struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	NameNative string    `json:"name_native,omitempty"`
	Status     string    `json:"status,omitempty"`
	Updated    time.Time `json:"updated"`
	Rev        uint32    `json:"rev"`
	Origin     string    `json:"origin,omitempty"` // sending organisation of an imported case

	// The fields below are in summaries of version 3 on (see Complete).

	// Articles are the charges' articles as schema.NormalizeCharge writes
	// them ("RU-CC 207.3(2)"); an article it does not recognise is kept as
	// written, after its code ("other: treason"). Sorted, no duplicates.
	Articles      []string `json:"articles,omitempty"`
	Region        string   `json:"region,omitempty"`
	Facilities    []string `json:"facilities,omitempty"`     // of every detention period, as written, in order
	FirstDetained string   `json:"first_detained,omitempty"` // the earliest detention.from (YYYY, YYYY-MM or YYYY-MM-DD)
	Consent       string   `json:"consent,omitempty"`        // publication.consent
	Mistreatment  []string `json:"mistreatment,omitempty"`   // kinds of mistreatment incidents, sorted, no duplicates
	Conditions    []string `json:"conditions,omitempty"`     // detention conditions of every period, sorted, no duplicates

	// complete says the summary carries the fields of version 3: it was
	// made by SummaryOf or decoded from a version 3 record. Summaries an
	// older casevault wrote lack them until migrated.
	complete bool
}

// Complete reports whether the summary carries every field filters and
// statistics read (false for a record an older version wrote).
func (s Summary) Complete() bool { return s.complete }

// DetainedYear is the year of the first detention, or "" if unknown.
func (s Summary) DetainedYear() string {
	if len(s.FirstDetained) >= 4 {
		return s.FirstDetained[:4]
	}
	return ""
}

// SummaryOf is the list summary of case id whose revision rev, written at
// updated, holds doc; origin is the sending organisation of an imported
// case.
func SummaryOf(id string, doc *schema.Case, rev uint32, updated time.Time, origin string) Summary {
	s := Summary{ID: id, Name: doc.Name(), NameNative: doc.NameNative(), Status: doc.Status(), Updated: updated, Rev: rev, Origin: origin, complete: true}
	d := doc.Doc
	s.Region = strField(field(d, "person"), "region")
	s.Consent = strField(field(d, "publication"), "consent")
	for _, ch := range list(d["charges"]) {
		m, _ := ch.(map[string]any)
		if a := chargeArticle(strField(m, "code"), strField(m, "article")); a != "" {
			s.Articles = append(s.Articles, a)
		}
	}
	for _, p := range list(d["detention"]) {
		m, _ := p.(map[string]any)
		if f := strings.TrimSpace(strField(m, "facility")); f != "" && !slices.Contains(s.Facilities, f) {
			s.Facilities = append(s.Facilities, f)
		}
		if from := dateField(m, "from"); from != "" && (s.FirstDetained == "" || from < s.FirstDetained) {
			s.FirstDetained = from
		}
		for _, c := range list(m["conditions"]) {
			if c, ok := c.(string); ok && c != "" {
				s.Conditions = append(s.Conditions, c)
			}
		}
	}
	for _, inc := range list(d["mistreatment"]) {
		m, _ := inc.(map[string]any)
		for _, k := range list(m["kind"]) {
			if k, ok := k.(string); ok && k != "" {
				s.Mistreatment = append(s.Mistreatment, k)
			}
		}
	}
	s.Articles = sortedSet(s.Articles)
	s.Conditions = sortedSet(s.Conditions)
	s.Mistreatment = sortedSet(s.Mistreatment)
	return s
}

// chargeArticle is the article of a charge as a summary keeps it: in the
// normalised form, or as written after its code.
func chargeArticle(code, article string) string {
	if n, ok := schema.NormalizeCharge(code, article); ok {
		return n
	}
	article = strings.TrimSpace(article)
	if article == "" {
		return ""
	}
	if code == "" {
		code = "other"
	}
	return code + ": " + article
}

func field(m map[string]any, name string) map[string]any {
	v, _ := m[name].(map[string]any)
	return v
}

func strField(m map[string]any, name string) string {
	s, _ := m[name].(string)
	return s
}

// dateField reads a date a case holds as text, or as a number for a bare
// year.
func dateField(m map[string]any, name string) string {
	switch v := m[name].(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		if v == float64(int(v)) && v > 0 && v < 10000 {
			return fmt.Sprintf("%04d", int(v))
		}
	case json.Number:
		return v.String()
	}
	return ""
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func sortedSet(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// summaryVersion is the first byte of a summary record in the compact
// binary form. Records of version 2 (without the fields filters and
// statistics read) and summaries written as JSON (first byte '{') are still
// read; Open migrates them (migrateSummaries).
const (
	summaryVersion   = 0x03
	summaryVersionV2 = 0x02
)

// Bounds of a summary record, checked before anything is allocated: a
// record is opened under the index key, but a damaged one must not make a
// reader allocate what its counts claim.
const (
	maxSummaryRecord = 1 << 20
	maxSummaryList   = 4096
)

// EncodeSummary writes a summary compactly: version(1) ‖ rev(4) ‖
// updated(8, Unix nanoseconds) ‖ then ID, name, native name, status,
// origin, region, consent and first detention, each as uvarint length ‖
// UTF-8 bytes ‖ then the articles, facilities, mistreatment kinds and
// conditions, each as uvarint count ‖ that many strings.
func EncodeSummary(s Summary) []byte {
	n := 13 + 8*5
	for _, f := range []string{s.ID, s.Name, s.NameNative, s.Status, s.Origin, s.Region, s.Consent, s.FirstDetained} {
		n += len(f)
	}
	for _, l := range [][]string{s.Articles, s.Facilities, s.Mistreatment, s.Conditions} {
		for _, f := range l {
			n += len(f) + 2
		}
	}
	b := make([]byte, 0, n)
	b = append(b, summaryVersion)
	b = binary.BigEndian.AppendUint32(b, s.Rev)
	b = binary.BigEndian.AppendUint64(b, uint64(s.Updated.UnixNano()))
	for _, f := range []string{s.ID, s.Name, s.NameNative, s.Status, s.Origin, s.Region, s.Consent, s.FirstDetained} {
		b = appendString(b, f)
	}
	for _, l := range [][]string{s.Articles, s.Facilities, s.Mistreatment, s.Conditions} {
		b = binary.AppendUvarint(b, uint64(len(l)))
		for _, f := range l {
			b = appendString(b, f)
		}
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errBadSummary = errors.New("malformed summary record")

// DecodeSummary reads a summary in any of its forms: version 3, version 2
// or JSON. Only a version 3 record gives a Complete summary.
func DecodeSummary(b []byte, s *Summary) error {
	*s = Summary{}
	return decodeSummary(b, s)
}

// DecodeSummaryReuse is DecodeSummary into a summary whose lists' storage
// it may reuse: for a reader that is done with *s before it decodes the
// next record (counting), not one that keeps the summaries.
func DecodeSummaryReuse(b []byte, s *Summary) error {
	if len(b) > 0 && b[0] == '{' {
		return DecodeSummary(b, s)
	}
	lists := [4][]string{s.Articles[:0], s.Facilities[:0], s.Mistreatment[:0], s.Conditions[:0]}
	*s = Summary{}
	s.Articles, s.Facilities, s.Mistreatment, s.Conditions = lists[0], lists[1], lists[2], lists[3]
	err := decodeSummary(b, s)
	for _, l := range []*[]string{&s.Articles, &s.Facilities, &s.Mistreatment, &s.Conditions} {
		if len(*l) == 0 {
			*l = nil // a summary without a value has none, as DecodeSummary gives
		}
	}
	return err
}

// decodeSummary decodes b into s, whose lists are empty (nil, or of
// length 0 for storage to reuse). The text fields are substrings of one
// string made of the record: one allocation for them all.
func decodeSummary(b []byte, s *Summary) error {
	if len(b) > maxSummaryRecord {
		return errBadSummary
	}
	if len(b) > 0 && b[0] == '{' {
		*s = Summary{}
		return json.Unmarshal(b, s)
	}
	if len(b) < 13 || (b[0] != summaryVersion && b[0] != summaryVersionV2) {
		return errBadSummary
	}
	version := b[0]
	s.Rev = binary.BigEndian.Uint32(b[1:])
	s.Updated = time.Unix(0, int64(binary.BigEndian.Uint64(b[5:]))).UTC()
	// rd reads b, taking the text from str, the same bytes as one string.
	rd := summaryReader{b: b[13:], str: string(b[13:])}
	for i, f := range [...]*string{&s.ID, &s.Name, &s.NameNative, &s.Status, &s.Origin, &s.Region, &s.Consent, &s.FirstDetained} {
		if i == 5 && version != summaryVersion {
			break
		}
		if !rd.string(f) {
			return errBadSummary
		}
	}
	if version == summaryVersion {
		for _, l := range [...]*[]string{&s.Articles, &s.Facilities, &s.Mistreatment, &s.Conditions} {
			n, k := binary.Uvarint(rd.b[rd.pos:])
			// Each string takes at least its one length byte.
			if k <= 0 || n > maxSummaryList || n > uint64(len(rd.b)-rd.pos-k) {
				return errBadSummary
			}
			rd.pos += k
			if n > 0 && *l == nil {
				*l = make([]string, 0, n)
			}
			for range n {
				var v string
				if !rd.string(&v) {
					return errBadSummary
				}
				*l = append(*l, v)
			}
		}
		s.complete = true
	}
	if rd.pos != len(rd.b) {
		return errBadSummary
	}
	return nil
}

// A summaryReader reads length-prefixed strings from b at pos as
// substrings of str (string(b)).
type summaryReader struct {
	b   []byte
	str string
	pos int
}

func (r *summaryReader) string(out *string) bool {
	n, k := binary.Uvarint(r.b[r.pos:])
	if k <= 0 || uint64(len(r.b)-r.pos-k) < n {
		return false
	}
	start := r.pos + k
	r.pos = start + int(n)
	*out = r.str[start:r.pos]
	return true
}

// SummaryVersion is the version byte of an encoded summary record (0 for
// a JSON one or an empty record), to tell records an older casevault
// wrote without decoding them.
func SummaryVersion(b []byte) byte {
	if len(b) == 0 || b[0] == '{' {
		return 0
	}
	return b[0]
}

// CurrentSummaryVersion is the version EncodeSummary writes.
const CurrentSummaryVersion = summaryVersion

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
