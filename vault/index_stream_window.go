package vault

import (
	"bytes"
	"slices"
	"sync"

	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// Reading the summaries of many hits in the order of their keys (issue
// 14). streamSearch passes hits on in the order of the index: posting
// groups one after the other, each group's cases in ID order. Every group
// of a common word spans the whole range of case IDs, so reading each
// hit's summary by its key decrypts one store block per hit (16 KiB since
// the store's larger blocks): `case search colony`, 75,591 hits of
// 100,000 cases, decrypted 1.2 GB. Once a search has passed on
// streamWindowAfter hits by key, it collects the next ones (up to
// streamWindow, fewer when --limit needs fewer) and, when they are many
// against the cases of the vault, reads them with one pass over the
// summaries in key order, which decrypts each block of summaries once;
// it then passes them on in the order of the index, as before. Its memory
// is one window of summaries, whatever the number of hits.

// streamWindowAfter is how many hits are read by key before windows are
// used: the first lines come at once, as before.
var streamWindowAfter = 1024

// streamWindow is the most hits a window holds (their summaries in memory).
var streamWindow = 16384

// scanPerGet is how many summaries a pass goes through in the time of
// one read by key (measured at 100,000 cases: ~30 µs a read, ~1 µs a
// summary of a pass): a window is read by a pass when it holds more than
// 1/scanPerGet of the vault's cases.
const scanPerGet = 24

// windowPassMin is the fewest hits a window reads by a pass (fewer are
// read by key, as eachSummaryItem does).
var windowPassMin = scanThreshold

// onWindowRead, when not nil, is called with the size of every window
// read and whether it was read by a pass (for tests).
var onWindowRead func(n int, pass bool)

// A summaryWindow collects hits of streamSearch and reads their summaries.
type summaryWindow struct {
	v     *Vault
	txn   *store.Txn
	es    []index.Entry
	cases int // cases in the vault's case tables; -1 until counted
	ready bool
}

// on says whether hits are collected in windows, read having been read:
// after streamWindowAfter, if a full window would be read by a pass (in
// a vault of many more cases, each hit is read by key as it comes).
func (w *summaryWindow) on(read int) bool {
	return read >= streamWindowAfter && streamWindow*scanPerGet >= w.indexedCases()
}

// room is how many more hits the window takes: up to streamWindow, and
// with a limit no more than need.
func (w *summaryWindow) room(limited bool, need int) int {
	c := streamWindow
	if limited {
		c = min(c, need)
	}
	return max(0, c-len(w.es))
}

// full says that the window takes no more hits.
func (w *summaryWindow) full(limited bool, need int) bool { return w.room(limited, need) == 0 }

func (w *summaryWindow) add(es []index.Entry) { w.es = append(w.es, es...) }

func (w *summaryWindow) reset() { w.es = w.es[:0] }

// read returns the summaries of the window's hits, in the window's order:
// by one pass in key order when the window is a large enough part of the
// vault's cases, else by key (streamSummaries).
func (w *summaryWindow) read(out []readSummary) []readSummary {
	pass := len(w.es) > windowPassMin && len(w.es)*scanPerGet >= w.indexedCases()
	if onWindowRead != nil {
		onWindowRead(len(w.es), pass)
	}
	if !pass {
		for lo := 0; lo < len(w.es); lo += streamChunk {
			hi := min(lo+streamChunk, len(w.es))
			out = append(out, w.v.streamSummaries(w.txn, w.es[lo:hi], nil)...)
		}
		return out
	}
	return w.pass(out)
}

// indexedCases counts the cases of the vault's case tables once (the
// length of each table's value: an estimate of the number of cases, which
// a case updated after an import may count twice and a case added alone
// not at all).
func (w *summaryWindow) indexedCases() int {
	if w.ready {
		return w.cases
	}
	w.ready = true
	it := w.txn.NewIterator(store.IteratorOptions{Prefix: []byte{store.PCaseTable}, PrefetchValues: false})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		w.cases += int(it.Item().ValueSize()) / idLen
	}
	return w.cases
}

// pass reads the window's summaries with one pass over the summaries in
// key order, its key range split between summaryWorkers goroutines (reads
// of the read-only transaction, as streamSummaries). A case the window
// holds twice gets its summary twice; one without a summary is missing.
func (w *summaryWindow) pass(out []readSummary) []readSummary {
	order := make([]windowAt, len(w.es))
	for i, e := range w.es {
		order[i] = windowAt{e.ID, i}
	}
	slices.SortFunc(order, func(a, b windowAt) int {
		if c := bytes.Compare(a.id[:], b.id[:]); c != 0 {
			return c
		}
		return a.pos - b.pos
	})
	base := len(out)
	out = slices.Grow(out, len(w.es))[:base+len(w.es)]
	got := out[base:]
	for i := range got {
		got[i] = readSummary{missing: true}
	}
	workers := summaryWorkers()
	var wg sync.WaitGroup
	for lo := 0; lo < len(order); {
		hi := min(len(order), lo+(len(order)+workers-1)/workers)
		for hi < len(order) && order[hi].id == order[hi-1].id {
			hi++ // a case's places in one part
		}
		part := order[lo:hi]
		wg.Go(func() { w.passPart(part, got) })
		lo = hi
	}
	wg.Wait()
	return out
}

// A windowAt is a hit of a window: its case and its place.
type windowAt struct {
	id  CaseID
	pos int
}

// passPart reads the summaries of order (sorted by ID) into got at their
// places, with one iterator from the first of them to the last.
func (w *summaryWindow) passPart(order []windowAt, got []readSummary) {
	it := w.txn.NewIterator(store.IteratorOptions{Prefix: []byte{pSummary}, PrefetchValues: false})
	defer it.Close()
	j := 0
	for it.Seek(summaryKey(order[0].id)); it.Valid() && j < len(order); it.Next() {
		item := it.Item()
		k := item.Key()
		if len(k) != 1+idLen {
			continue
		}
		for j < len(order) && bytes.Compare(order[j].id[:], k[1:]) < 0 {
			j++
		}
		if j == len(order) || !bytes.Equal(order[j].id[:], k[1:]) {
			continue
		}
		s, err := w.v.decodeSummary(item)
		for ; j < len(order) && bytes.Equal(order[j].id[:], k[1:]); j++ {
			got[order[j].pos] = readSummary{s: s, err: err}
		}
	}
}

// eachCandidateSummary calls fn with the summaries of the candidates
// cands of a search (sorted by ID; ids their IDs), in that order, a
// candidate without a summary left out. Many are read in windows of
// streamWindow by a pass split between the cores (summaryWindow.pass),
// few by key (eachSummary).
func (v *Vault) eachCandidateSummary(txn *store.Txn, cands []index.Entry, ids []CaseID, fn func(Summary) error) error {
	if len(cands) <= windowPassMin {
		return v.eachSummary(txn, ids, false, fn)
	}
	var got []readSummary
	for lo := 0; lo < len(cands); lo += streamWindow {
		w := summaryWindow{v: v, txn: txn, es: cands[lo:min(lo+streamWindow, len(cands))]}
		got = w.pass(got[:0])
		for _, r := range got {
			if r.missing {
				continue // a stale posting; check --repair removes it
			}
			if r.err != nil {
				return r.err
			}
			if err := fn(r.s); err != nil {
				return err
			}
		}
	}
	return nil
}
