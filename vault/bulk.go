package vault

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"time"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/bulk"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// ErrImportInvalid is returned by Import when the file has invalid records
// and SkipInvalid is not set: nothing was imported.
var ErrImportInvalid = errs.New(errs.ErrInvalid, "import file has invalid records; nothing was imported")

// ErrImportConflicts is returned by Import when records were refused
// because their external_id (or stable key) matched the case of another
// person (see the report's Conflicts and Rejected); the other records were
// imported.
var ErrImportConflicts = errs.New(errs.ErrInvalid, "some records name another person than the case their key matched; they were not imported")

// ErrImportChanged is returned when the import file changed between the
// check and the import; batches committed before it was noticed stay.
var ErrImportChanged = errs.New(errs.ErrInvalid, "import file changed while it was being imported")

// CheckImportFile validates every record of an import file without a
// vault (import --dry-run).
func CheckImportFile(path string, o ImportOptions) (*ImportReport, error) {
	rep, _, err := bulk.Check(path, o)
	return rep, err
}

// defaultBatchBytes keeps a batch below Badger's transaction limit (15%
// of the memtable size, and as many entries as that over 96 bytes).
// estimateCaseSize counts more than three times what a generated case
// writes (it prices every 6 bytes of text as a posting of 16 bytes; a
// posting group holds a case in 2 or 3), so the limit is 9/4 of the
// transaction's in estimated bytes: batches of about 750 generated cases
// that were about 250, a third of the posting groups and case tables
// (20,000 cases: 79 → 27 transactions, none split, 23.3 → 21.1 s CPU,
// peak 364 → 314 MiB). A batch the store finds too big is split and the
// limit halved (Import). The limit is that of a 16 MiB memtable, the
// store's before an import's became 32 MiB so that one record as large as
// `case add` takes fits a transaction: batches stay the size they were.
func (v *Vault) defaultBatchBytes() int {
	return int(min(v.memTableSize(), batchMemTable)) * 15 / 100 * 9 / 4
}

// batchMemTable is the memtable size import batches are sized for.
const batchMemTable = 16 << 20

// Import adds every case of an import file to the vault. The file is read
// twice: first every record is validated, and if any is invalid nothing is
// imported (unless SkipInvalid); then the cases are added in batches, each
// batch one transaction with one audit entry ("case.import") per case. A
// failure or a kill leaves each batch either fully in or fully out; the
// report says how many cases were imported.
//
// The work on a record that needs nothing of the records before it —
// parsing, normalising, tokenising, compressing and sealing a new case —
// runs on all CPUs (prepareImport); one writer decides in file order
// whether each record adds, updates or leaves a case and commits the
// batches, so the outcome is that of the records imported one by one.
//
// Its memory is bounded by the batch, not the file: a batch holds at most
// BatchBytes of estimated writes and maxBatchPostings search postings, and
// everything of it is let go when it commits; the records read ahead are
// at most one group of bulk.Verifier (64 records or 1 MiB) and 32 MiB on
// the parsing workers; what stays for the whole file is a bit a record and
// bulk.SumLen bytes a group of records (see bulk.Sums).
func (v *Vault) Import(ctx context.Context, path string, o ImportOptions) (*ImportReport, error) {
	if err := v.live(); err != nil {
		return nil, err
	}
	rep, sums, err := bulk.Check(path, o)
	if err != nil {
		return nil, err
	}
	if rep.Invalid > 0 && !o.SkipInvalid {
		return rep, ErrImportInvalid
	}
	if rep.Valid == 0 {
		return rep, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return rep, err
	}
	defer f.Close()
	limit := o.BatchBytes
	if limit <= 0 {
		limit = v.defaultBatchBytes()
	}
	if v.db != nil {
		// Compactions run between commits too: release the store's table
		// pages on a clock as well as after each batch.
		stop, done := make(chan struct{}), make(chan struct{})
		defer func() { close(stop); <-done }()
		go func() {
			defer close(done)
			t := time.NewTicker(releaseEvery)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					v.db.ReleaseBulkPages()
				}
			}
		}()
	}
	unkeyed, err := v.unkeyedCases(ctx)
	if err != nil {
		return rep, err
	}
	var batch []bulk.Record
	size := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := v.importBatch(ctx, batch, unkeyed, batchPostings(limit))
		rep.Added += n.Added
		rep.Updated += n.Updated
		rep.Unchanged += n.Unchanged
		rep.Imported += n.Added + n.Updated + n.Unchanged
		rep.Batches += n.Batches
		for _, e := range n.Conflicts {
			rep.Conflicts++
			if len(rep.Rejected) < bulk.MaxRejected {
				rep.Rejected = append(rep.Rejected, e)
			} else {
				rep.Omitted++
			}
		}
		if n.Batches > 1 && limit > 1 {
			// The estimate fell short (the store or the posting bound
			// split the batch): smaller batches from now on rather than
			// doing half of every batch twice.
			limit /= 2
		}
		clear(batch) // let the batch's documents go
		batch, size = batch[:0], 0
		if v.db != nil {
			v.db.ReleaseBulkPages()
		}
		if o.Progress != nil {
			o.Progress("import", rep.Imported, rep.Valid)
		}
		return err
	}
	given := o.Dialect
	if rep.CSV != nil {
		given = *rep.CSV // read as the check read it
	}
	// A record goes into a batch once its group of records matched the
	// check's (bulk.Verifier): until then it waits in group, at most a
	// group's records (bulk's groupRecords or groupBytes).
	ver := sums.Verifier()
	var group []bulk.Record
	take := func() error {
		for i, p := range group {
			est := p.Prep.(*preparedCase).est
			if size+est > limit && len(batch) > 0 {
				if err := flush(); err != nil {
					return err
				}
			}
			batch = append(batch, p)
			size += est
			group[i] = bulk.Record{}
		}
		group = group[:0]
		return nil
	}
	had, err := v.importKeyFilter()
	if err != nil {
		return rep, err
	}
	trusted := func(n int, _ [32]byte) bool { return sums.Valid(n) }
	macs := index.NewSharedMACCache(&v.tokens, v.keys.index)
	_, err = bulk.ParseFileWith(bufio.NewReader(f), o.Format, o.Schema, given, trusted, v.prepareImport(sums, had, macs), func(p bulk.Record) error {
		ended, ok := ver.Add(p.Sum, p.Size)
		if !ok {
			return ErrImportChanged
		}
		if sums.Valid(p.N) {
			if p.Doc == nil {
				return ErrImportChanged // valid in the check
			}
			group = append(group, p)
		}
		if ended {
			return take()
		}
		return nil
	})
	if err == nil && !ver.Finish() {
		err = ErrImportChanged
	}
	if err == nil {
		err = take()
	}
	if err == nil {
		err = flush()
	}
	if err == nil && rep.Conflicts > 0 {
		err = ErrImportConflicts
	}
	return rep, err
}

// releaseEvery is how often an import unmaps the store's resident table
// pages (store.ReleaseBulkPages) besides after each batch.
const releaseEvery = 250 * time.Millisecond

// maxBatchPostings bounds the search postings (case, token) one import
// transaction collects before it writes them as posting groups: a batch
// whose cases have more is split, whatever the size estimate said (the
// index may give a case many more tokens than its text has words).
const maxBatchPostings = 1 << 17

// batchPostings is the bound of postings of a batch of limit estimated
// bytes: maxBatchPostings, or more for a store whose larger memtable
// takes larger transactions (estimateCaseSize counts about 16 bytes a
// posting, so a batch of cases rarely reaches limit/12 postings), so
// that the larger batch is not split by the posting bound. A posting
// takes about 80 bytes while the batch collects it.
func batchPostings(limit int) int { return max(maxBatchPostings, limit/12) }

// errBatchPostings splits a batch with more than its bound of postings.
var errBatchPostings = errors.New("import batch has too many search postings")

// errNothingToImport ends a batch whose records are all unchanged.
var errNothingToImport = errors.New("nothing to import")

// importCounts are what importBatch did.
type importCounts struct {
	Added, Updated, Unchanged, Batches int
	Conflicts                          []bulk.RowError // records refused by importConflictError
}

// importBatch stores records in one transaction (importRecord: a new
// case, an update, or nothing for an unchanged one), splitting the batch
// when the store says the transaction is too big or the batch collected
// more than maxPostings search postings. A cancelled ctx abandons the
// batch between records: nothing of it is written.
func (v *Vault) importBatch(ctx context.Context, recs []bulk.Record, unkeyed map[string]CaseID, maxPostings int) (importCounts, error) {
	var n importCounts
	taken := map[string]CaseID{} // unkeyed matches of this attempt, restored if it fails
	var keyed []CaseID
	err := v.commit(func(c *change) error {
		c.postings = make(map[string][]index.Entry)
		for _, r := range recs {
			if err := ctx.Err(); err != nil {
				return err
			}
			pc, _ := r.Prep.(*preparedCase)
			if pc == nil {
				normalizeLocal(r.Doc, AddOptions{})
			} else {
				c.prepared, c.keys = pc.add, &pc.keys
			}
			stable := [2]string{}
			stable[0], stable[1] = c.stableKeys(r.Doc)
			var prev [2]CaseID
			var had [2]bool
			for i, k := range stable {
				prev[i], had[i] = unkeyed[k]
			}
			c.single = r.Again
			out, id, err := c.importRecord(r.Doc, r.Sum, r.Quarantine, r.Cleared, unkeyed)
			c.single, c.prepared, c.keys = false, nil, nil
			var ce *importConflictError
			if errors.As(err, &ce) {
				n.Conflicts = append(n.Conflicts, bulk.RowError{Line: r.Line, Record: r.N, Path: "(record)", Reason: ce.Error()})
				continue
			}
			if err != nil {
				return err
			}
			for i, k := range stable {
				if _, still := unkeyed[k]; had[i] && !still {
					taken[k] = prev[i]
				}
			}
			switch out {
			case importAdded:
				n.Added++
			case importUpdated:
				n.Updated++
			case importUnchanged:
				n.Unchanged++
			case importUnchangedKeyed:
				n.Unchanged++
				keyed = append(keyed, id)
			}
		}
		if len(c.entries) == 0 {
			if len(keyed) == 0 {
				return errNothingToImport // every record unchanged: nothing to write
			}
			// Cases found unchanged, whose key records were written: an
			// import entry that names no case (no revision was written,
			// so none moves a case's head).
			c.audit(OpCaseImport, nil, nil)
		}
		if len(recs) > 1 && countPostings(c.postings) > maxPostings {
			c.postings = nil
			return errBatchPostings
		}
		return c.flushPostings()
	})
	if errors.Is(err, errNothingToImport) {
		err = nil
	}
	if err != nil {
		for h, id := range taken {
			unkeyed[h] = id
		}
	}
	if (errors.Is(err, store.ErrTxnTooBig) || errors.Is(err, errBatchPostings)) && len(recs) > 1 {
		half := len(recs) / 2
		n1, err := v.importBatch(ctx, recs[:half], unkeyed, maxPostings)
		if err != nil {
			return n1, err
		}
		n2, err := v.importBatch(ctx, recs[half:], unkeyed, maxPostings)
		return importCounts{n1.Added + n2.Added, n1.Updated + n2.Updated, n1.Unchanged + n2.Unchanged, n1.Batches + n2.Batches, append(n1.Conflicts, n2.Conflicts...)}, err
	}
	if err != nil {
		return importCounts{}, err
	}
	n.Batches = 1
	return n, nil
}

// countPostings is the number of (case, token) postings a batch collected.
func countPostings(p map[string][]index.Entry) int {
	n := 0
	for _, ids := range p {
		n += len(ids)
	}
	return n
}

// estimateCaseSize guesses how many bytes a case adds to a transaction:
// its revision, summary, key and audit entry, and its search postings.
// Every field of a case may be searchable, so the postings are estimated
// from the whole document, not only from its search text.
func estimateCaseSize(doc *schema.Case) int {
	// Every text of the document is indexed: about one token per 6
	// bytes, each 12 bytes in a posting group (and some tokens start a
	// group of their own).
	n := jsonSize(doc.Doc)
	return 1500 + n/6*16 + n
}

func jsonSize(v any) int {
	switch t := v.(type) {
	case map[string]any:
		n := 2
		for k, e := range t {
			n += len(k) + 4 + jsonSize(e)
		}
		return n
	case []any:
		n := 2
		for _, e := range t {
			n += 1 + jsonSize(e)
		}
		return n
	case string:
		return len(t) + 2
	}
	return 8
}

// maxExportTargets bounds the case IDs an export's audit entry lists: a
// larger export lists none (its content hash still pins the file), so that
// the entry stays far below Badger's transaction size limit.
const maxExportTargets = 10_000

// Export writes the current document of every case to w as JSON lines, in
// the order of case IDs: a file that `import --format jsonl` reads back.
// It returns the number of cases written. Before any byte is written the
// export is recorded in the audit log ("export", targets: the cases,
// content: the SHA-256 of exactly the bytes then written), so that no
// plaintext leaves without its entry and a copy found later can be matched
// to it with sha256sum.
//
// A quarantined case makes it fail with a *QuarantinedError; see
// [Vault.ExportWith].
func (v *Vault) Export(ctx context.Context, w io.Writer) (int, error) {
	return v.ExportWith(ctx, w, PlainExportOptions{})
}

// ExportWith is Export with options: with o.IncludeQuarantined a
// quarantined case is written with its mark ([QuarantineField]), which
// import honours.
func (v *Vault) ExportWith(ctx context.Context, w io.Writer, o PlainExportOptions) (int, error) {
	type item struct {
		id  CaseID
		rev uint32
		q   *Quarantine
	}
	var items []item
	err := v.commit(func(c *change) error {
		h := sha256.New()
		var ids []string
		err := v.exportWalk(c.txn, func(id CaseID, r *Revision) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			m, err := v.caseMeta(c.txn, id)
			if err != nil {
				return err
			}
			if m.Quarantine != nil && !o.IncludeQuarantined {
				return &QuarantinedError{ID: id.String(), Org: m.Quarantine.Org}
			}
			line, err := bulk.Line(r.Doc, m.Quarantine)
			if err != nil {
				return err
			}
			items = append(items, item{id, r.Rev, m.Quarantine})
			ids = append(ids, id.String())
			h.Write(line)
			h.Write([]byte{'\n'})
			return nil
		})
		if err != nil {
			return err
		}
		if len(ids) > maxExportTargets {
			ids = nil
		}
		c.auditHash(OpExport, ids, h.Sum(nil))
		return nil
	})
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(ctxWriter{ctx, w}, 256<<10)
	n := 0
	err = v.view(func(txn *store.Txn) error {
		for _, it := range items {
			dk, err := v.caseKey(txn, it.id)
			if err != nil {
				return err
			}
			rv, err := txn.Get(revisionKey(it.id, it.rev))
			if err != nil {
				return err
			}
			r, err := v.decodeRevision(rv, it.id, dk)
			if err != nil {
				return err
			}
			line, err := bulk.Line(r.Doc, it.q)
			if err != nil {
				return err
			}
			if _, err := bw.Write(line); err != nil {
				return err
			}
			if err := bw.WriteByte('\n'); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// exportWalk calls fn with the current revision of every case, in the
// order of case IDs.
func (v *Vault) exportWalk(txn *store.Txn, fn func(CaseID, *Revision) error) error {
	it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pCaseKey}})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		var id CaseID
		copy(id[:], it.Item().Key()[1:])
		dk, err := v.caseKey(txn, id)
		if err != nil {
			return err
		}
		r, err := v.latestRevision(txn, id, dk)
		if err != nil {
			return err
		}
		if err := fn(id, r); err != nil {
			return err
		}
	}
	return nil
}

// memTableSize is the memtable size the store was opened with.
func (v *Vault) memTableSize() int64 {
	if v.db == nil {
		return 32 << 20
	}
	return v.db.MemTableSize()
}
