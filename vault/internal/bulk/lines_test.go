package bulk

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// A last line without a line end is a line whatever its length, including
// a multiple of the reader's 64 KiB buffer (it was silently dropped: a
// JSONL record of 2 MiB at the end of a file imported as "0 records").
func TestReadLinesLastLineAnyLength(t *testing.T) {
	for _, n := range []int{1, 65535, 65536, 65537, 2 << 20} {
		for _, end := range []string{"", "\n", "\r\n"} {
			data := "first\n" + strings.Repeat("x", n) + end
			var lines [][]byte
			err := readLines(strings.NewReader(data), func(line int, b []byte, err error) error {
				if err != nil {
					t.Fatalf("n=%d: line %d: %v", n, line, err)
				}
				lines = append(lines, b)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) != 2 || len(lines[1]) != n || !bytes.Equal(lines[0], []byte("first")) {
				t.Errorf("n=%d, end %q: got %d lines (last %d bytes), want 2 (last %d bytes)", n, end, len(lines), len(lines[len(lines)-1]), n)
			}
		}
	}
}

// A CSV header row is bounded: a header of megabytes (or without a line
// end) is refused without being read into memory or split into fields.
func TestCSVHeaderBounded(t *testing.T) {
	huge := "name" + strings.Repeat(",name", 1<<20)
	err := ParseFile(strings.NewReader(huge+"\nA\n"), FormatCSV, nil, nil, func(Record) error { return nil })
	var ife *FileError
	if !errors.As(err, &ife) || !strings.Contains(err.Error(), "header row is longer than") {
		t.Fatalf("ParseFile(huge header) = %v", err)
	}
	if err := ParseFile(strings.NewReader("name,notes\nA,x\n"), FormatCSV, nil, nil, func(Record) error { return nil }); err != nil {
		t.Fatalf("ordinary header: %v", err)
	}
}
