package vault

import (
	"context"
	"errors"
	"testing"
)

// cancelAfter is a context cancelled once its Err has been asked n times:
// a Ctrl-C that arrives while a batch is being written.
type cancelAfter struct {
	context.Context
	n int
}

func (c *cancelAfter) Err() error {
	if c.n <= 0 {
		return context.Canceled
	}
	c.n--
	return nil
}

// An interrupt in the middle of a large batch stops it at the next record
// (not at the end of the batch), and nothing of that batch is written; a
// later import writes every case once.
func TestImportBatchStopsBetweenRecords(t *testing.T) {
	v := newTestVault(t)
	docs := readDocs(t, writeGenerated(t, FormatJSONL, 40, 7))
	recs := docRecords(docs, 2)
	ctx := &cancelAfter{Context: context.Background(), n: 10}
	n, err := v.importBatch(ctx, recs, map[string]CaseID{}, 1<<30)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled after 10 records: err %v, counts %+v; want context.Canceled", err, n)
	}
	if ctx.n > 0 {
		t.Fatalf("the batch stopped without asking whether it was cancelled (%d asks left)", ctx.n)
	}
	if got := countCases(t, v); got != 0 {
		t.Fatalf("cancelled batch left %d cases; want none (a batch is all or nothing)", got)
	}
	n, err = v.importBatch(context.Background(), recs, map[string]CaseID{}, 1<<30)
	if err != nil || n.Added != len(docs) {
		t.Fatalf("import after the interrupt: %+v, %v; want %d added", n, err, len(docs))
	}
	if got := countCases(t, v); got != len(docs) {
		t.Fatalf("after the rerun the vault has %d cases; want %d", got, len(docs))
	}
	if c, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(c.Problems) != 0 {
		t.Fatalf("check after interrupt and rerun: %v %+v", err, c)
	}
}

func countCases(t *testing.T, v *Vault) int {
	t.Helper()
	l, err := v.ListCases(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(l)
}
