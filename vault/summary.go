package vault

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"time"
)

// summaryVersion is the first byte of a summary record in the compact
// binary form. Summaries written as JSON (first byte '{') are still read.
const summaryVersion = 0x02

// encodeSummary writes a summary compactly: version(1) ‖ rev(4) ‖
// updated(8, Unix nanoseconds) ‖ then ID, name, native name, status and origin,
// each as uvarint length ‖ UTF-8 bytes.
func encodeSummary(s Summary) []byte {
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

// decodeSummaryRecord reads a summary in either form.
func decodeSummaryRecord(b []byte, s *Summary) error {
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
