package bulk

import (
	"fmt"
	"os"

	"github.com/casevault/casevault/schema"
)

// Options control an import and Check.
type Options struct {
	// Format is FormatCSV, FormatJSONL or FormatYAML.
	Format string
	// SkipInvalid imports the valid records of a file that also has
	// invalid ones; by default any invalid record means nothing is
	// imported.
	SkipInvalid bool
	// BatchBytes bounds the estimated size of one batch (one transaction);
	// 0 means a size well under the store's transaction limit.
	BatchBytes int
	// Progress, if not nil, is called as records are checked (phase
	// "check") and as batches commit (phase "import").
	Progress func(phase string, done, total int)
	// Schema, if not nil, is the case schema records are read with and
	// whose x-csv columns a CSV file may have; nil means the embedded
	// case.v1 schema. (Cases the vault stores are read back with the
	// embedded one: other schemas are for CheckImportFile and tests.)
	Schema *schema.Schema
	// Dialect of a CSV file: a delimiter or encoding set here is used,
	// one left zero is detected (Sniff).
	Dialect Dialect
}

// A Report says what an import did or would do.
type Report struct {
	Records   int        `json:"records"`   // records in the file
	Valid     int        `json:"valid"`     // records that are valid cases
	Imported  int        `json:"imported"`  // records that went in: added, updated or unchanged
	Added     int        `json:"added"`     // new cases
	Updated   int        `json:"updated"`   // cases imported before, updated as a new revision
	Unchanged int        `json:"unchanged"` // cases imported before, unchanged (skipped)
	Batches   int        `json:"batches"`   // transactions committed
	Rejected  []RowError `json:"rejected"`  // the problems of invalid records, at most MaxRejected
	Invalid   int        `json:"invalid"`   // records rejected
	// Conflicts counts valid records refused at import because their
	// external_id matched the case of another person; they are listed in
	// Rejected too.
	Conflicts int `json:"conflicts"`
	// Omitted counts the problems left out of Rejected beyond MaxRejected.
	Omitted int `json:"rejected_omitted,omitempty"`
	// CSV is the dialect a CSV file was read in (detected or given).
	CSV *Dialect `json:"csv,omitempty"`
}

// MaxRejected bounds the problems a Report lists, so that the memory of a
// check does not grow with a file of invalid records; the rest are counted
// in Omitted.
const MaxRejected = 10_000

// String of a report for logs.
func (r *Report) String() string {
	return fmt.Sprintf("%d records, %d valid, %d invalid, %d imported in %d batches", r.Records, r.Valid, r.Invalid, r.Imported, r.Batches)
}

// Check validates every record of the import file at path. It returns the
// report and the fingerprints of the records (see Sums), for the second
// pass of an import to recognise what it checked. Its memory is fixed
// but for under half a byte a record (see Sums) and at most MaxRejected
// problems.
func Check(path string, o Options) (*Report, Sums, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Sums{}, err
	}
	defer f.Close()
	rep := &Report{Rejected: []RowError{}}
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	ck := newChecker(size)
	d, err := ParseFileDialect(f, o.Format, o.Schema, o.Dialect, nil, func(p Record) error {
		rep.Records++
		if p.Doc == nil {
			rep.Invalid++
			for _, e := range p.Errs {
				if len(rep.Rejected) < MaxRejected {
					rep.Rejected = append(rep.Rejected, e)
				} else {
					rep.Omitted++
				}
			}
			ck.add(&p.Sum, p.Size, false) // skipped by the import
		} else {
			rep.Valid++
			ext, h := StableKeys(p.Doc)
			ck.add(&p.Sum, p.Size, true, append([]string{ext, h}, ChargeKeys(p.Doc)...)...)
		}
		if o.Progress != nil && rep.Records%1000 == 0 {
			o.Progress("check", rep.Records, 0)
		}
		return nil
	})
	if o.Format == FormatCSV && d.Delimiter != 0 {
		rep.CSV = &d
	}
	if err != nil {
		return nil, Sums{}, err
	}
	if o.Progress != nil {
		o.Progress("check", rep.Records, rep.Records)
	}
	return rep, ck.done(), nil
}
