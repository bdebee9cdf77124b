package vault

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/bulk"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// postingGroups returns the number of posting keys and the most case IDs
// one of them holds (1 for a single posting, 1 + the group's members).
func postingGroups(t *testing.T, v *Vault) (keys, largest int) {
	t.Helper()
	err := v.db.View(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pPosting}, PrefetchValues: true})
		defer it.Close()
		r := postingReader{txn: txn}
		for it.Rewind(); it.Valid(); it.Next() {
			keys++
			es, err := r.entries(nil, it.Item())
			largest = max(largest, len(es))
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys, largest
}

// An import's memory is bounded by its batch, not by its file: the search
// postings a batch collects are written as posting groups when it commits
// and then dropped. If they were kept across batches (or a batch grew with
// the file), a group would hold cases of more than one batch. Importing
// four times the cases with the same batch bound must leave the largest
// posting group within the bound of one batch, and the index must agree
// with the cases (Check).
func TestImportPostingsBoundedByBatch(t *testing.T) {
	const batchBytes = 64 << 10
	for _, n := range []int{300, 1200} {
		v := newTestVault(t)
		path := writeGenerated(t, FormatJSONL, n, 21)
		// A batch holds at most batchBytes of estimates.
		smallest := 1 << 30
		for _, d := range readDocs(t, path) {
			smallest = min(smallest, estimateCaseSize(d))
		}
		perBatch := batchBytes/smallest + 1
		rep, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL, BatchBytes: batchBytes})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Imported != n || rep.Batches < n/perBatch {
			t.Fatalf("%d cases: report %+v, want at least %d batches", n, rep, n/perBatch)
		}
		keys, largest := postingGroups(t, v)
		t.Logf("%d cases in %d batches: %d posting keys, the largest group %d cases", n, rep.Batches, keys, largest)
		if largest > perBatch {
			t.Fatalf("%d cases: a posting group holds %d cases, more than a batch of %d bytes can (%d): postings outlived their batch", n, largest, batchBytes, perBatch)
		}
		if largest < 2 {
			t.Fatalf("%d cases: no posting groups written (largest %d)", n, largest)
		}
		if c, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(c.Problems) != 0 {
			t.Fatalf("%d cases: check %v %+v", n, err, c)
		}
	}
}

// A batch whose cases have more search postings than the bound is split,
// whatever its size estimate: each transaction collects at most the bound
// (a single case excepted), and every case goes in.
func TestImportBatchSplitsOnPostings(t *testing.T) {
	v := newTestVault(t)
	docs := readDocs(t, writeGenerated(t, FormatJSONL, 120, 22))
	recs := docRecords(docs, 1)
	total, most := 0, 0
	fewest := 1 << 30
	for _, d := range docs {
		k := len(index.CaseTokens(d, nil))
		total += k
		most, fewest = max(most, k), min(fewest, k)
	}
	bound := 4 * most
	n, err := v.importBatch(context.Background(), recs, map[string]CaseID{}, bound)
	if err != nil {
		t.Fatal(err)
	}
	added, batches := n.Added, n.Batches
	if added != len(docs) || batches < total/bound {
		t.Fatalf("added %d in %d transactions; want %d in at least %d (%d postings, at most %d each)", added, batches, len(docs), total/bound, total, bound)
	}
	// A transaction holds at most bound postings, so at most bound/fewest
	// cases, and no posting group can be larger.
	_, largest := postingGroups(t, v)
	if largest > bound/fewest {
		t.Fatalf("a posting group holds %d cases; a transaction of at most %d postings holds at most %d", largest, bound, bound/fewest)
	}
	if c, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(c.Problems) != 0 {
		t.Fatalf("check %v %+v", err, c)
	}
}

// readDocs reads the cases of a JSON-lines file.
func readDocs(t *testing.T, path string) []*schema.Case {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []*schema.Case
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		c, err := schema.FromJSON(line)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// docRecords makes import records of docs, numbered from 1, each with a
// distinct source checksum (tag tells the files of two tests apart).
func docRecords(docs []*schema.Case, tag byte) []bulk.Record {
	recs := make([]bulk.Record, len(docs))
	for i, d := range docs {
		recs[i] = bulk.Record{N: i + 1, Doc: d, Sum: [32]byte{byte(i), byte(i >> 8), tag}}
	}
	return recs
}
