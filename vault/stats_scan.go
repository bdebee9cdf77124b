package vault

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// Stats reads many summaries: one goroutine walks the store (Badger's
// iterator belongs to one goroutine) and copies the sealed records, in
// batches, to counting workers, one per core, that open, decode, match and
// count them, each into its own statsCount; the counts are added up at the
// end. Nothing is written: the same sealed summaries as a list reads, only
// opened on every core.

// statsBatch is how many sealed summaries a counting worker gets at a time
// (a variable for the tests, which make it small to spread a few cases
// over the workers).
var statsBatch = 256

// maxStatsWorkers bounds the counting workers whatever the core count.
const maxStatsWorkers = 8

// errSummaryIncomplete stops the parallel count at a summary an older
// casevault wrote: Stats counts again by the path that completes it.
var errSummaryIncomplete = errors.New("summary of an older version")

// A sealedBatch holds sealed summary records back to back: record i's key
// is buf[ends[2i-1]:ends[2i]] (from 0 for the first) and its value
// buf[ends[2i]:ends[2i+1]].
type sealedBatch struct {
	buf  []byte
	ends []int
}

func (b *sealedBatch) reset()   { b.buf, b.ends = b.buf[:0], b.ends[:0] }
func (b *sealedBatch) len() int { return len(b.ends) / 2 }

func (b *sealedBatch) record(i int) (k, val []byte) {
	start := 0
	if i > 0 {
		start = b.ends[2*i-1]
	}
	return b.buf[start:b.ends[2*i]], b.buf[b.ends[2*i]:b.ends[2*i+1]]
}

// countSummaries counts the summaries of the cases ids (sorted), or of
// every case when all, that f matches. The summaries must be of the
// current version (summariesCurrent).
func (v *Vault) countSummaries(ctx context.Context, txn *store.Txn, ids []CaseID, all bool, f Filter) (*statsCount, error) {
	counts := make([]*statsCount, summaryWorkers())
	use := make([]func(*Summary), len(counts))
	for w := range counts {
		counts[w] = newStatsCount()
		use[w] = counts[w].add
	}
	if err := v.readSummaries(ctx, txn, ids, all, f, true, use); err != nil {
		return nil, err
	}
	total := counts[0]
	for _, c := range counts[1:] {
		total.merge(c)
	}
	return total, nil
}

// listSummaries returns the summaries of the cases ids (sorted), or of
// every case when all, that f matches, in no particular order. The
// summaries must be of the current version (summariesCurrent).
func (v *Vault) listSummaries(txn *store.Txn, ids []CaseID, all bool, f Filter) ([]Summary, error) {
	if f.Limit > 0 {
		return v.listTop(txn, ids, all, f)
	}
	outs := make([][]Summary, summaryWorkers())
	use := make([]func(*Summary), len(outs))
	for w := range outs {
		if !all {
			outs[w] = make([]Summary, 0, len(ids)/len(outs)+1)
		}
		use[w] = func(s *Summary) { outs[w] = append(outs[w], *s) }
	}
	if err := v.readSummaries(context.Background(), txn, ids, all, f, false, use); err != nil {
		return nil, err
	}
	return slices.Concat(outs...), nil
}

func summaryWorkers() int { return max(1, min(runtime.GOMAXPROCS(0), maxStatsWorkers)) }

// readSummaries reads the summaries of the cases ids (sorted), or of every
// case when all, and gives each that f matches to a worker: worker w calls
// use[w], one worker per element, in no particular order. With reuse, the
// summary given is overwritten by the worker's next one (counting); else
// each is new (lists). The summaries must be of the current version
// (summariesCurrent): at one that is not, it stops with
// errSummaryIncomplete.
func (v *Vault) readSummaries(ctx context.Context, txn *store.Txn, ids []CaseID, all bool, f Filter, reuse bool, use []func(*Summary)) error {
	workers := len(use)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan *sealedBatch, workers)
	free := make(chan *sealedBatch, 2*workers+1)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			if errs[w] = v.summaryWorker(work, free, f, reuse, use[w]); errs[w] != nil {
				cancel()
			}
		})
	}
	b := &sealedBatch{}
	send := func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		select {
		case work <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case b = <-free:
			b.reset()
		default:
			b = &sealedBatch{}
		}
		return nil
	}
	err := eachSummaryItem(txn, ids, all, func(item *store.Item) error {
		b.buf = append(b.buf, item.Key()...)
		b.ends = append(b.ends, len(b.buf))
		if err := item.Value(func(sealed []byte) error {
			b.buf = append(b.buf, sealed...)
			return nil
		}); err != nil {
			return err
		}
		b.ends = append(b.ends, len(b.buf))
		if b.len() >= statsBatch {
			return send()
		}
		return nil
	})
	if err == nil && b.len() > 0 {
		err = send()
	}
	close(work)
	wg.Wait()
	// A worker's error (a damaged record, an old summary) says more than
	// the cancellation it caused.
	for _, e := range errs {
		if errors.Is(e, errSummaryIncomplete) {
			return e
		}
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return err
}

// summaryWorker is a worker of readSummaries: it opens, decodes and
// matches each summary of the batches it receives and gives those f
// matches to use, handing the emptied batches back on free.
func (v *Vault) summaryWorker(work <-chan *sealedBatch, free chan<- *sealedBatch, f Filter, reuse bool, use func(*Summary)) error {
	m := f.Matcher()
	ad := recordAD(nil)
	adLen := len(ad)
	var (
		pt     []byte
		s      Summary
		idText [1 + 16]byte // "c" and the base32 of the ID's 10 bytes, as CaseID.String
		err    error
	)
	for b := range work {
		for i := range b.len() {
			k, sealed := b.record(i)
			ad = append(ad[:adLen], k...)
			if pt, err = crypto.OpenAppend(pt[:0], v.keys.index, sealed, ad); err != nil {
				_, err = openRecord(k, v.keys.index, sealed) // its error, naming the record
				return err
			}
			decode := index.DecodeSummary
			if reuse {
				decode = index.DecodeSummaryReuse
			}
			if err := decode(pt, &s); err != nil {
				return &CorruptError{What: describeKey(k), Err: err}
			}
			var id CaseID
			if len(k) == 1+idLen {
				copy(id[:], k[1:])
			}
			idText[0] = 'c'
			idEncoding.Encode(idText[1:], id[:])
			if s.ID != string(idText[:]) {
				return &CorruptError{What: describeKey(k), Err: index.ErrOtherCase}
			}
			if !s.Complete() {
				return errSummaryIncomplete
			}
			if m.Match(s) {
				use(&s)
			}
		}
		select {
		case free <- b:
		default:
		}
	}
	return nil
}
