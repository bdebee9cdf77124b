package vault

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// What rekey derives from each case's current revision: the search
// postings and the import keys are keyed by MACs under the index key, so
// they cannot be copied to a new master key and are computed again. That
// is most of a rekey's work (opening, decompressing, parsing and folding
// every case), so it runs on every core; the postings are written in
// groups with case tables as RebuildIndex writes them (index format 3: one
// record per token and batch of cases, not one per token and case).

// rekeyReadBatch is how many cases rekey reads on its workers at a time (the
// tokens of one batch are held in memory).
const rekeyReadBatch = 1000

// rekeyCase is what rekey computes from one case.
type rekeyCase struct {
	toks index.TokenFields
	keys []string // stable import keys; none for a partner's case
}

// rekeyCaseIndex writes under nv's index key the postings and import keys
// of cases (as v's store has them) through wb, and returns the tokens of
// the vocabulary.
func (v *Vault) rekeyCaseIndex(ctx context.Context, cases []CaseID, nv *Vault, wb *batchWriter) (map[string]bool, error) {
	vocab := map[string]bool{}
	groups := newGroupWriter(wb.set)
	for start := 0; start < len(cases); start += rekeyReadBatch {
		batch := cases[start:min(len(cases), start+rekeyReadBatch)]
		res, err := v.rekeyCases(ctx, batch)
		if err != nil {
			return nil, err
		}
		// In case order, so that each case table lists its cases sorted,
		// as a rebuild does.
		for i, r := range res {
			for t, fs := range r.toks {
				groups.add(nv.tokenMAC(t), index.Entry{ID: batch[i], Fields: fs})
				vocab[t] = true
			}
			if err := groups.caseDone(); err != nil {
				return nil, err
			}
			if err := copyImportKeys(batch[i], r.keys, nv, wb); err != nil {
				return nil, err
			}
		}
	}
	if err := groups.flush(); err != nil {
		return nil, err
	}
	return vocab, nil
}

// rekeyCases computes rekeyCase for each case of batch, on as many
// goroutines as there are cores, each in a read transaction of its own.
func (v *Vault) rekeyCases(ctx context.Context, batch []CaseID) ([]rekeyCase, error) {
	res := make([]rekeyCase, len(batch))
	workers := min(max(1, runtime.GOMAXPROCS(0)), len(batch))
	var next atomic.Int64
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = v.view(func(txn *store.Txn) error {
				for {
					i := int(next.Add(1) - 1)
					if i >= len(batch) {
						return nil
					}
					if err := ctx.Err(); err != nil {
						return err // before the commit point: the copy is shredded
					}
					r, err := v.rekeyCaseOf(txn, batch[i])
					if err != nil {
						next.Store(int64(len(batch))) // the others stop too
						return err
					}
					res[i] = r
				}
			})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return res, nil
}

// rekeyCaseOf reads case id's current revision and evidence and returns
// its tokens and import keys.
func (v *Vault) rekeyCaseOf(txn *store.Txn, id CaseID) (rekeyCase, error) {
	dk, err := v.caseKey(txn, id)
	if err != nil {
		return rekeyCase{}, err
	}
	defer crypto.Wipe(dk[:])
	cur, err := v.latestRevision(txn, id, dk)
	if err != nil {
		return rekeyCase{}, err
	}
	doc, err := cur.Case()
	if err != nil {
		return rekeyCase{}, &CorruptError{What: "revision of case " + id.String(), Err: err}
	}
	toks, err := v.caseTokens(txn, id, doc, cur, dk)
	if err != nil {
		return rekeyCase{}, err
	}
	r := rekeyCase{toks: toks}
	if cur.Provenance == nil { // a local case (importkeys.go, localCaseDoc)
		r.keys = importKeyStrings(doc)
	}
	return r, nil
}
