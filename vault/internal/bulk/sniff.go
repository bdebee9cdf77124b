package bulk

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// Encodings of a CSV import file.
const (
	EncodingUTF8    = "utf-8"
	EncodingCP1251  = "windows-1251"
	sniffHeadLength = 64 << 10
)

// A Dialect is how a CSV file is written: its delimiter and its encoding,
// detected (Sniff) or given by the user.
type Dialect struct {
	Delimiter rune   // ',', ';' or '\t'
	Encoding  string // EncodingUTF8 or EncodingCP1251
	BOM       bool   // the file starts with a UTF-8 byte order mark
}

// MarshalJSON writes the delimiter as text: {"delimiter":";",...}.
func (d Dialect) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Delimiter string `json:"delimiter"`
		Encoding  string `json:"encoding"`
		BOM       bool   `json:"bom"`
	}{string(d.Delimiter), d.Encoding, d.BOM})
}

// DelimiterName is the delimiter as a user names it.
func (d Dialect) DelimiterName() string {
	switch d.Delimiter {
	case '\t':
		return "tab"
	case 0:
		return ""
	}
	return string(d.Delimiter)
}

// String describes the dialect for a message: "delimiter ';', encoding
// utf-8 (with BOM)".
func (d Dialect) String() string {
	s := fmt.Sprintf("delimiter %q, encoding %s", d.DelimiterName(), d.Encoding)
	if d.BOM {
		s += " (with BOM)"
	}
	return s
}

// ParseDelimiter reads a --delimiter value: ",", ";", "tab" or a tab.
func ParseDelimiter(s string) (rune, error) {
	switch strings.ToLower(s) {
	case ",", "comma":
		return ',', nil
	case ";", "semicolon":
		return ';', nil
	case "\t", "tab", `\t`:
		return '\t', nil
	}
	return 0, fmt.Errorf("unknown delimiter %q (use ',', ';' or tab)", s)
}

// ParseEncoding reads an --encoding value.
func ParseEncoding(s string) (string, error) {
	switch strings.ToLower(strings.ReplaceAll(s, "_", "-")) {
	case "utf-8", "utf8":
		return EncodingUTF8, nil
	case "windows-1251", "cp1251", "win1251", "1251":
		return EncodingCP1251, nil
	}
	return "", fmt.Errorf("unknown encoding %q (use utf-8 or windows-1251)", s)
}

var delimiters = []rune{',', ';', '\t'}

// Sniff detects the dialect of a CSV file from its first bytes (head):
// a UTF-8 byte order mark; Windows-1251 when the bytes are not UTF-8 but
// read as Cyrillic words in that code page; and the delimiter that splits
// the header row into the most known column names (then into the most
// cells; ',' when nothing tells). Fields of given that are set are kept.
func Sniff(head []byte, columns []CSVColumn, given Dialect) Dialect {
	d := given
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		d.BOM = true
		head = head[3:]
		if d.Encoding == "" {
			d.Encoding = EncodingUTF8
		}
	}
	if d.Encoding == "" {
		d.Encoding = EncodingUTF8
		if !validUTF8Head(head) && LooksCP1251(head) {
			d.Encoding = EncodingCP1251
		}
	}
	if d.Delimiter == 0 {
		header := head
		if i := bytes.IndexByte(header, '\n'); i >= 0 {
			header = header[:i]
		}
		if d.Encoding == EncodingCP1251 {
			header, _ = charmap.Windows1251.NewDecoder().Bytes(header)
		}
		d.Delimiter = sniffDelimiter(string(header), columns)
	}
	return d
}

// validUTF8Head is utf8.Valid for the start of a file: a character cut at
// the end of head does not count.
func validUTF8Head(b []byte) bool {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		r, _ := utf8.DecodeLastRune(b)
		if r != utf8.RuneError {
			return false
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

func sniffDelimiter(header string, columns []CSVColumn) rune {
	best, bestKnown, bestCells := ',', -1, 0
	for _, c := range delimiters {
		cr := csv.NewReader(strings.NewReader(header))
		cr.Comma = c
		cr.LazyQuotes = true
		names, err := cr.Read()
		if err != nil {
			continue
		}
		known := 0
		for _, n := range names {
			n = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(n, "\ufeff")))
			if slices.ContainsFunc(columns, func(col CSVColumn) bool { return col.Name == n }) {
				known++
			}
		}
		if known > bestKnown || known == bestKnown && len(names) > bestCells {
			best, bestKnown, bestCells = c, known, len(names)
		}
	}
	return best
}

// LooksCP1251 reports whether b (not UTF-8) reads as Cyrillic text in
// Windows-1251: its bytes above 0x7F are, nearly all, Cyrillic letters and
// the punctuation Russian text uses, and words with Cyrillic letters have
// no Latin ones (a Western or Central European file read in Windows-1251
// gives words like "Mьller" or "Pшнbram", which Russian text never has).
func LooksCP1251(b []byte) bool {
	dec, err := charmap.Windows1251.NewDecoder().Bytes(b)
	if err != nil {
		return false
	}
	high, other := 0, 0
	for _, r := range string(dec) {
		if r < 0x80 {
			continue
		}
		high++
		if !unicode.Is(unicode.Cyrillic, r) && !strings.ContainsRune("«»—–№“”„‘’…\u00a0", r) {
			other++
		}
	}
	cyrWords, mixed := 0, 0
	for _, w := range strings.FieldsFunc(string(dec), func(r rune) bool { return !unicode.IsLetter(r) }) {
		cyr, latin := false, false
		for _, r := range w {
			cyr = cyr || unicode.Is(unicode.Cyrillic, r)
			latin = latin || r < 0x80
		}
		if cyr {
			cyrWords++
			if latin {
				mixed++
			}
		}
	}
	return cyrWords > 0 && other*20 <= high && mixed*10 <= cyrWords
}

// decodeReader returns r read in the dialect's encoding, as UTF-8, without
// its byte order mark.
func decodeReader(r io.Reader, d Dialect) io.Reader {
	if d.Encoding == EncodingCP1251 {
		return transform.NewReader(r, charmap.Windows1251.NewDecoder())
	}
	return r
}
