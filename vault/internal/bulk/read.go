// Package bulk reads and writes the files of bulk import and export: CSV,
// JSON lines and YAML files of case documents, read into validated records
// within limits, with CSV columns from the schema's x-csv annotations, and
// the export record format (with its quarantine mark). It knows nothing of
// the vault: the vault's Import and Export batch the records into
// transactions and audit them.
package bulk

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/casevault/casevault/schema"
)

// Import file formats.
const (
	FormatCSV   = "csv"   // one case a row, columns of CSVColumns
	FormatJSONL = "jsonl" // one JSON case document a line
	FormatYAML  = "yaml"  // YAML case documents separated by lines "---"
)

// MaxRecord bounds one record (line, row or document) of an import
// file, like schema.MaxCaseFileSize bounds a case file.
const MaxRecord = schema.MaxCaseFileSize

// A RowError is one reason why a record of an import file was rejected.
type RowError struct {
	// Line is the line of the file where the record starts (1-based).
	Line int `json:"line"`
	// Record is the number of the record (1-based: row, line or document).
	Record int `json:"record"`
	// Path is the field of the case (like "charges[0].article"), with the
	// CSV column in brackets where there is one, or "(record)" for a
	// record that could not be read at all.
	Path string `json:"field"`
	// Reason says what is wrong.
	Reason string `json:"reason"`
}

func (e RowError) String() string {
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Path, e.Reason)
}

// A FileError reports an import file that cannot be read at all,
// such as a CSV file with an unknown column. It is invalid input.
type FileError struct {
	Line   int
	Reason string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("import file, line %d: %s", e.Line, e.Reason)
	}
	return "import file: " + e.Reason
}

// A CSVColumn maps a column of an import CSV file to a field of the case
// model.
type CSVColumn struct {
	Name  string // column header (case-insensitive)
	Field string // case-model field; "[]" marks one value per entry of a list
	Split string // how repeated values are separated, "" for a single value
	Note  string
}

// CSVColumns are the columns `import --format csv` understands. Cells are
// trimmed; an empty cell leaves its field out. Columns of one list (charges,
// detention, mistreatment) hold one value per entry separated by "|", in the
// same order; values within one entry (conditions, kinds) are separated by
// ";". Only "name" is required. Built on first use (not at start-up: issue 14).
var CSVColumns = sync.OnceValue(func() []CSVColumn { return csvColumnsOf(schema.Default()) })

// csvColumnsOf returns the CSV columns of the schema s: its fields marked
// x-csv.
func csvColumnsOf(s *schema.Schema) []CSVColumn {
	var out []CSVColumn
	for _, c := range s.CSVColumns() {
		out = append(out, CSVColumn{Name: c.Column, Field: c.Path, Split: c.Sep, Note: c.Help})
	}
	return out
}

// importFields are the schema an import reads cases with and its CSV
// columns.
type importFields struct {
	s    *schema.Schema
	cols []CSVColumn
}

// fieldsOf returns the import fields of s, nil meaning the embedded schema.
func fieldsOf(s *schema.Schema) importFields {
	if s == nil || s == schema.Default() {
		return importFields{schema.Default(), CSVColumns()}
	}
	return importFields{s, csvColumnsOf(s)}
}

// A rawRecord is one record of an import file before it is parsed.
type rawRecord struct {
	n      int // record number, 1-based
	line   int
	data   []byte   // JSON line or YAML document
	fields []string // CSV cells
	err    error    // the record could not be read
}

// size is the number of bytes the record holds.
func (r *rawRecord) size() int {
	n := len(r.data)
	for _, f := range r.fields {
		n += len(f) + 1
	}
	return n
}

func (r *rawRecord) sum() [32]byte {
	if r.fields != nil {
		h := sha256.New()
		for _, f := range r.fields {
			h.Write([]byte(f))
			h.Write([]byte{0})
		}
		var s [32]byte
		h.Sum(s[:0])
		return s
	}
	return sha256.Sum256(r.data)
}

// A Record is a record of an import file turned into a validated case, or
// the reasons it was rejected.
type Record struct {
	N, Line int      // record number (1-based) and the line it starts on
	Sum     [32]byte // SHA-256 of the record's bytes (of its cells in CSV)
	Doc     *schema.Case
	Errs    []RowError // why the record was rejected (Doc is nil)
	// Quarantine is the mark of a quarantined case's export record.
	Quarantine *Mark
	// Cleared are the fields of a CSV record whose columns the header has
	// but whose cells are empty (a list such as charges when all its
	// columns are): on re-import the header's columns are authoritative, so
	// an update removes them. Fields whose columns are absent are kept, as
	// are fields a JSON or YAML record lacks.
	Cleared []string
	// Again is set by the import for a record whose case a later record
	// of the file updates (Sums.Again).
	Again bool
	// Size is the number of bytes of the record in the file (of its
	// cells in CSV).
	Size int
	// Prep is what the caller's prepare function (ParseFileWith) computed
	// from the valid record on a parsing worker.
	Prep any
}

// readRecords splits an import file into raw records and calls fn for each
// in order. A format error that makes the rest unreadable is returned.
func readRecords(r io.Reader, format string, csvCols []int, comma rune, fn func(rawRecord) error) error {
	switch format {
	case FormatJSONL:
		return readLines(r, func(line int, b []byte, err error) error {
			if err == nil && len(bytes.TrimSpace(b)) == 0 {
				return nil
			}
			return fn(rawRecord{line: line, data: b, err: err})
		})
	case FormatYAML:
		var doc []byte
		start, n := 1, 0
		flush := func(next int) error {
			d := doc
			doc = nil
			s := start
			start = next
			if yamlEmpty(d) {
				return nil
			}
			n++
			return fn(rawRecord{line: s, data: d})
		}
		err := readLines(r, func(line int, b []byte, err error) error {
			if err != nil {
				return fn(rawRecord{line: line, err: err})
			}
			t := bytes.TrimRight(b, " \t\r")
			if bytes.Equal(t, []byte("---")) || bytes.HasPrefix(t, []byte("--- ")) {
				return flush(line + 1)
			}
			if len(doc)+len(b) > MaxRecord {
				return &FileError{Line: start, Reason: fmt.Sprintf("YAML document is larger than %d bytes", MaxRecord)}
			}
			doc = append(doc, b...)
			doc = append(doc, '\n')
			return nil
		})
		if err != nil {
			return err
		}
		return flush(0)
	case FormatCSV:
		cr := csv.NewReader(&lineLimitReader{r: bufio.NewReaderSize(r, 64<<10), limit: MaxRecord})
		cr.FieldsPerRecord = len(csvCols)
		cr.Comma = comma
		cr.ReuseRecord = false
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				var pe *csv.ParseError
				if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
					if err := fn(rawRecord{line: pe.StartLine, err: fmt.Errorf("%d cells, the header has %d", len(rec), len(csvCols))}); err != nil {
						return err
					}
					continue
				}
				var le *lineTooLong
				if errors.As(err, &le) {
					return &FileError{Line: le.line, Reason: fmt.Sprintf("line is longer than %d bytes", MaxRecord)}
				}
				if errors.As(err, &pe) {
					return &FileError{Line: pe.Line, Reason: pe.Err.Error()}
				}
				return err
			}
			line, _ := cr.FieldPos(0)
			if err := fn(rawRecord{line: line, fields: rec}); err != nil {
				return err
			}
		}
	}
	return fmt.Errorf("unknown import format %q (csv, jsonl or yaml)", format)
}

func yamlEmpty(d []byte) bool {
	for _, l := range bytes.Split(d, []byte("\n")) {
		l = bytes.TrimSpace(l)
		if len(l) > 0 && l[0] != '#' && !bytes.Equal(l, []byte("...")) {
			return false
		}
	}
	return true
}

// readLines calls fn for each line of r (without the line end). A line
// longer than MaxRecord is passed with an error and skipped.
func readLines(r io.Reader, fn func(line int, b []byte, err error) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	line := 0
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if len(chunk) > 0 && !tooLong {
			if len(buf)+len(chunk) > MaxRecord+2 {
				tooLong = true
				buf = buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		// A last line without a line end may come as an empty chunk at
		// EOF after full buffers (a line of exactly 64 KiB × n bytes):
		// what buf holds is still a line.
		if len(chunk) > 0 || err == nil || len(buf) > 0 || tooLong {
			line++
			var ferr error
			b := bytes.TrimRight(buf, "\r\n")
			if line == 1 {
				b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
			}
			if tooLong {
				ferr = fmt.Errorf("line is longer than %d bytes", MaxRecord)
				b = nil
			}
			if e := fn(line, bytes.Clone(b), ferr); e != nil {
				return e
			}
			buf = buf[:0]
			tooLong = false
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

type lineTooLong struct{ line int }

func (e *lineTooLong) Error() string { return fmt.Sprintf("line %d is too long", e.line) }

// lineLimitReader fails when a line grows beyond limit bytes, so that a
// hostile CSV file cannot make the CSV reader buffer without bound.
type lineLimitReader struct {
	r     io.Reader
	limit int
	cur   int
	line  int
}

func (l *lineLimitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			l.cur = 0
			l.line++
			continue
		}
		l.cur++
		if l.cur > l.limit {
			return 0, &lineTooLong{line: l.line + 1}
		}
	}
	return n, err
}

// csvHeader maps the header row of a CSV import file to CSVColumns
// indices.
func csvHeader(r *bufio.Reader, columns []CSVColumn, comma rune) ([]int, int, error) {
	// Bounded: the header names at most a few dozen columns, and a line
	// read without a bound is a memory bomb (r buffers 64 KiB).
	b, err := r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, 0, &FileError{Line: 1, Reason: fmt.Sprintf("header row is longer than %d bytes", r.Size())}
	}
	line := string(b)
	if err != nil && (err != io.EOF || line == "") {
		if err == io.EOF {
			return nil, 0, &FileError{Reason: "the CSV file is empty (expected a header row naming the columns)"}
		}
		return nil, 0, err
	}
	line = strings.TrimPrefix(line, "\ufeff")
	cr := csv.NewReader(strings.NewReader(line))
	cr.Comma = comma
	names, err := cr.Read()
	if err != nil {
		return nil, 0, &FileError{Line: 1, Reason: "header row: " + err.Error()}
	}
	idx := make([]int, len(names))
	seen := map[int]bool{}
	hasName := false
	for i, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		j := slices.IndexFunc(columns, func(c CSVColumn) bool { return c.Name == n })
		if j < 0 {
			known := make([]string, len(columns))
			for k, c := range columns {
				known[k] = c.Name
			}
			return nil, 0, &FileError{Line: 1, Reason: fmt.Sprintf("unknown column %q; known columns are %s", n, strings.Join(known, ", "))}
		}
		if seen[j] {
			return nil, 0, &FileError{Line: 1, Reason: fmt.Sprintf("column %q appears twice", n)}
		}
		seen[j] = true
		idx[i] = j
		hasName = hasName || n == "name"
	}
	if !hasName {
		return nil, 0, &FileError{Line: 1, Reason: `no column "name" (the person's name is required)`}
	}
	return idx, strings.Count(line, "\n"), nil
}

// parseRecord turns a raw record into a validated case. If trusted says
// the same bytes were validated before (the second pass of an import), a
// JSON or CSV record is decoded without validating it again.
func parseRecord(raw rawRecord, format string, f importFields, cols []int, trusted func(n int, sum [32]byte) bool) Record {
	p := Record{N: raw.n, Line: raw.line, Sum: raw.sum(), Size: raw.size()}
	if format == FormatJSONL && raw.err == nil {
		data, q, err := splitQuarantine(raw.data)
		if err != nil {
			p.Errs = append(p.Errs, RowError{Line: raw.line, Record: raw.n, Path: QuarantineField, Reason: err.Error()})
			return p
		}
		raw.data, p.Quarantine = data, q
	}
	if raw.err == nil && trusted != nil && trusted(raw.n, p.Sum) {
		switch format {
		case FormatJSONL:
			var doc map[string]any
			if err := json.Unmarshal(raw.data, &doc); err == nil {
				dropNulls(doc)
				p.Doc = f.s.NewCase(doc)
				applyDefaults(p.Doc)
				return p
			}
		case FormatCSV:
			if doc, errs := csvDoc(raw.fields, f.cols, cols); len(errs) == 0 {
				p.Doc = f.s.NewCase(doc)
				applyDefaults(p.Doc)
				p.Cleared = csvCleared(raw.fields, f.cols, cols, p.Doc.Doc)
				return p
			}
		}
	}
	reject := func(path, reason string) Record {
		p.Errs = append(p.Errs, RowError{Line: raw.line, Record: raw.n, Path: path, Reason: reason})
		return p
	}
	if raw.err != nil {
		return reject("(record)", raw.err.Error())
	}
	var c *schema.Case
	var err error
	seen := 0
	switch format {
	case FormatJSONL:
		c, err = f.s.FromJSON(raw.data)
		if err == nil {
			applyDefaults(c)
		}
	case FormatYAML:
		c, err = f.s.Parse(raw.data)
	case FormatCSV:
		doc, cellErrs := csvDoc(raw.fields, f.cols, cols)
		for _, ce := range cellErrs {
			reject(ce.path, ce.reason)
		}
		seen = len(p.Errs) // a cell already rejected is not "required" too
		c = f.s.NewCase(doc)
		applyDefaults(c)
		err = c.Validate()
		if err == nil && len(cellErrs) > 0 {
			return p
		}
	}
	if err != nil {
		var ve *schema.ValidationError
		if errors.As(err, &ve) {
			for _, pr := range ve.Problems {
				path := withColumn(pr.Path, format, f.cols)
				if slices.ContainsFunc(p.Errs[:seen], func(e RowError) bool { return e.Path == path }) {
					continue
				}
				reject(path, pr.Message)
			}
			return p
		}
		return reject("(record)", err.Error())
	}
	if refs := c.EvidenceRefs(); len(refs) > 0 {
		return reject(withColumn("mistreatment[].evidence", format, f.cols), "evidence IDs cannot be imported with a new case: add the evidence files to the case after the import")
	}
	p.Doc = c
	if format == FormatCSV {
		p.Cleared = csvCleared(raw.fields, f.cols, cols, c.Doc)
	}
	return p
}

// notUTF8Reason says a cell is not UTF-8, suggesting --encoding
// windows-1251 only when its bytes read as Cyrillic in that code page (for
// Latin-1 text it would turn "José" into "Josй").
func notUTF8Reason(cell string) string {
	if LooksCP1251([]byte(cell)) {
		return "is not valid UTF-8 (a file saved in the Windows Cyrillic code page imports with --encoding windows-1251)"
	}
	return "is not valid UTF-8 (save the sheet as \"CSV UTF-8\"; casevault reads UTF-8 and, for Cyrillic, Windows-1251)"
}

// csvCleared returns the fields of a CSV row whose columns are in the
// header but left empty, and that the row's document does not have (a
// default such as birth_year from birth_date is not cleared): a list
// field's list (charges, detention, mistreatment) when the document has
// no such list.
func csvCleared(cells []string, columns []CSVColumn, cols []int, doc map[string]any) []string {
	var out []string
	for i, cell := range cells {
		if strings.TrimSpace(cell) != "" {
			continue
		}
		path := columns[cols[i]].Field
		if list, _, ok := strings.Cut(path, "[]."); ok {
			path = list
		}
		if !hasPath(doc, path) && !slices.Contains(out, path) {
			out = append(out, path)
		}
	}
	return out
}

// hasPath reports whether doc has a value at the dotted path.
func hasPath(doc map[string]any, path string) bool {
	parts := strings.Split(path, ".")
	m := doc
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			return false
		}
		m = next
	}
	_, ok := m[parts[len(parts)-1]]
	return ok
}

// dropNulls removes null fields, as schema.FromJSON does.
func dropNulls(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if e == nil {
				delete(t, k)
				continue
			}
			dropNulls(e)
		}
	case []any:
		for _, e := range t {
			dropNulls(e)
		}
	}
}

// applyDefaults does what schema.Parse does after validation: the schema
// field is set and birth_year is derived from birth_date.
func applyDefaults(c *schema.Case) {
	if _, ok := c.Doc["schema"]; !ok {
		c.Doc["schema"] = schema.Version
	}
	if p, ok := c.Doc["person"].(map[string]any); ok {
		if _, ok := p["birth_year"]; !ok {
			if d, ok := p["birth_date"].(string); ok && len(d) >= 4 {
				if y, err := strconv.Atoi(d[:4]); err == nil {
					p["birth_year"] = float64(y)
				}
			}
		}
	}
}

// withColumn adds the CSV column of a field path: "charges[1].title
// (column charge_titles)".
func withColumn(path, format string, columns []CSVColumn) string {
	if format != FormatCSV {
		return path
	}
	var b strings.Builder
	depth := 0
	for _, r := range path {
		switch {
		case r == '[':
			depth++
			b.WriteString("[]")
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	field := b.String()
	for _, c := range columns {
		if c.Field == field {
			return path + " (column " + c.Name + ")"
		}
	}
	return path
}

type csvCellError struct{ path, reason string }

// csvDoc builds a case document from the cells of a CSV row. Cells that
// cannot be mapped are left out of the document and reported.
func csvDoc(cells []string, columns []CSVColumn, cols []int) (map[string]any, []csvCellError) {
	var errs []csvCellError
	doc := map[string]any{}
	lists := map[string][]map[string]any{} // charges, detention, mistreatment
	listCol := map[string]string{}         // list -> column that set its length
	for i, cell := range cells {
		col := columns[cols[i]]
		cell = strings.TrimSpace(cell)
		if cell == "" {
			continue
		}
		if !utf8.ValidString(cell) {
			errs = append(errs, csvCellError{col.Field + " (column " + col.Name + ")", notUTF8Reason(cell)})
			continue
		}
		if list, field, ok := strings.Cut(col.Field, "[]."); ok {
			parts := strings.Split(cell, "|")
			entries := lists[list]
			if entries == nil {
				entries = make([]map[string]any, len(parts))
				for j := range entries {
					entries[j] = map[string]any{}
				}
				lists[list] = entries
				listCol[list] = col.Name
			} else if len(entries) != len(parts) {
				errs = append(errs, csvCellError{list + " (column " + col.Name + ")",
					fmt.Sprintf("has %d values separated by |, but column %s has %d", len(parts), listCol[list], len(entries))})
				continue
			}
			for j, part := range parts {
				part = strings.TrimSpace(part)
				if part == "" {
					continue
				}
				if strings.Contains(col.Split, ";") {
					entries[j][field] = splitList(part, ";")
				} else {
					entries[j][field] = part
				}
			}
			continue
		}
		var val any = cell
		switch {
		case col.Name == "birth_year":
			n, err := strconv.Atoi(cell)
			if err != nil {
				errs = append(errs, csvCellError{"person.birth_year (column birth_year)", fmt.Sprintf("must be a year like 1981 (got %q)", cell)})
				continue
			}
			val = float64(n)
		case col.Name == "sensitivity_overrides":
			m := map[string]any{}
			for _, kv := range strings.Split(cell, "|") {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					errs = append(errs, csvCellError{"sensitivity_overrides (column sensitivity_overrides)", fmt.Sprintf("expected path=level, like person.name=confidential (got %q)", strings.TrimSpace(kv))})
					continue
				}
				m[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
			val = m
		case col.Split != "":
			val = splitList(cell, col.Split)
		}
		setPath(doc, col.Field, val)
	}
	for list, entries := range lists {
		out := make([]any, len(entries))
		for j, e := range entries {
			if list == "charges" && e["code"] == nil && e["article"] != nil {
				e["code"] = "RU-CC"
			}
			out[j] = e
		}
		doc[list] = out
	}
	return doc, errs
}

func splitList(s, sep string) []any {
	var out []any
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func setPath(doc map[string]any, path string, val any) {
	parts := strings.Split(path, ".")
	m := doc
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[parts[len(parts)-1]] = val
}

// ParseFile reads an import file and calls fn with every record parsed and
// validated, in file order. Parsing runs on all CPUs. sch nil means the
// embedded case schema. If trusted says the same bytes were validated
// before (trusted(n, sum) of record n), a JSON or CSV record is decoded
// without validating it again.
func ParseFile(r io.Reader, format string, sch *schema.Schema, trusted func(int, [32]byte) bool, fn func(Record) error) error {
	_, err := ParseFileDialect(r, format, sch, Dialect{}, trusted, fn)
	return err
}

// ParseFileDialect is ParseFile with the CSV dialect: the fields of given
// that are set are used, the others detected (Sniff); it returns the
// dialect used (zero for JSON lines and YAML).
func ParseFileDialect(r io.Reader, format string, sch *schema.Schema, given Dialect, trusted func(int, [32]byte) bool, fn func(Record) error) (Dialect, error) {
	return ParseFileWith(r, format, sch, given, trusted, nil, fn)
}

// ParseFileWith is ParseFileDialect with a prepare function: when not
// nil, it is called on the parsing workers (in no particular order, on
// several records at once) with every valid record before fn gets it in
// file order, so that work on a record that needs nothing of the records
// before it runs on all CPUs (the import tokenises and seals new cases
// there). It may set the record's Prep.
func ParseFileWith(r io.Reader, format string, sch *schema.Schema, given Dialect, trusted func(int, [32]byte) bool, prepare func(*Record), fn func(Record) error) (Dialect, error) {
	br := bufio.NewReaderSize(r, sniffHeadLength)
	var cols []int
	var d Dialect
	lineOffset := 0
	f := fieldsOf(sch)
	if format == FormatCSV {
		head, err := br.Peek(sniffHeadLength)
		if err != nil && err != io.EOF {
			return d, err
		}
		d = Sniff(head, f.cols, given)
		if d.BOM && d.Encoding == EncodingUTF8 {
			_, _ = br.Discard(3)
		}
		if d.Encoding == EncodingCP1251 {
			br = bufio.NewReaderSize(decodeReader(br, d), sniffHeadLength)
		}
		cols, lineOffset, err = csvHeader(br, f.cols, d.Delimiter)
		if err != nil {
			return d, err
		}
	}
	return d, parseRecords(br, format, f, cols, d.Delimiter, lineOffset, trusted, prepare, fn)
}

// maxInFlight bounds the bytes of the records read ahead of fn (queued
// for the workers or parsed and waiting for their turn): without it, 512
// records of MaxRecord bytes each could be held at once. A record larger
// than the bound still goes through, alone.
const maxInFlight = 32 << 20

func parseRecords(br *bufio.Reader, format string, f importFields, cols []int, comma rune, lineOffset int, trusted func(int, [32]byte) bool, prepare func(*Record), fn func(Record) error) error {
	workers := runtime.GOMAXPROCS(0)
	type job struct {
		raw rawRecord
		out chan Record
	}
	jobs := make(chan job, 256)
	order := make(chan chan Record, 256)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				p := parseRecord(j.raw, format, f, cols, trusted)
				if prepare != nil && p.Doc != nil {
					prepare(&p)
				}
				j.out <- p
			}
		}()
	}
	var readErr error
	done := make(chan struct{})
	// Bytes of records read and not yet handed to fn.
	var mu sync.Mutex
	freed := sync.NewCond(&mu)
	inFlight := 0
	go func() {
		defer close(order)
		defer close(jobs)
		n := 0
		readErr = readRecords(br, format, cols, comma, func(raw rawRecord) error {
			n++
			raw.n = n
			raw.line += lineOffset
			sz := raw.size()
			mu.Lock()
			for inFlight > 0 && inFlight+sz > maxInFlight {
				freed.Wait()
			}
			inFlight += sz
			mu.Unlock()
			out := make(chan Record, 1)
			select {
			case order <- out:
			case <-done:
				return errStopped
			}
			jobs <- job{raw, out}
			return nil
		})
	}()
	var fnErr error
	for out := range order {
		p := <-out
		mu.Lock()
		inFlight -= p.Size
		freed.Signal()
		mu.Unlock()
		if fnErr == nil {
			if fnErr = fn(p); fnErr != nil {
				close(done)
			}
		}
	}
	wg.Wait()
	if fnErr != nil {
		return fnErr
	}
	if errors.Is(readErr, errStopped) {
		return nil
	}
	return readErr
}

var errStopped = errors.New("stopped")
