package vault

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/casevault/casevault/vault/internal/index"
)

// importHeap imports a generated file of n cases into a fresh vault with
// small batches and returns the heap in use as the import ends (after a
// collection, the least of the last three batches: what the import keeps)
// and the most sampled at any moment (every 2 ms, garbage included).
func importHeap(t *testing.T, n int) (kept, peak uint64) {
	t.Helper()
	path := writeGenerated(t, FormatJSONL, n, 31)
	v := newTestVault(t)
	runtime.GC()
	var mu sync.Mutex
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tk := time.NewTicker(2 * time.Millisecond)
		defer tk.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				runtime.ReadMemStats(&ms)
				mu.Lock()
				peak = max(peak, ms.HeapInuse)
				mu.Unlock()
			}
		}
	}()
	var last []uint64 // heap in use after the last batches
	prog := func(phase string, done, total int) {
		if phase != "import" {
			return
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		last = append(last, ms.HeapInuse)
	}
	rep, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL, BatchBytes: 256 << 10, Progress: prog})
	close(stop)
	<-done
	if err != nil && err != ErrImportConflicts {
		t.Fatal(err)
	}
	if rep.Batches < n/100 {
		t.Fatalf("%d cases in %d batches: the batches are not small", n, rep.Batches)
	}
	if ids, err := v.CaseIDs(); err != nil || len(ids) != rep.Added {
		t.Fatalf("%d cases in the vault, %d added (%v)", len(ids), rep.Added, err)
	}
	// What the import keeps is in the heap after every batch; the least of
	// the last three leaves out a memtable being written to a table (the
	// store then holds two for a moment).
	kept = last[len(last)-1]
	for _, h := range last[max(0, len(last)-3):] {
		kept = min(kept, h)
	}
	if err := v.Close(); err != nil { // its store's tables and memtables go
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	return kept, peak
}

// An import's memory is bounded by its batch, not by its file: importing
// four times the cases with the same batch size keeps no more heap between
// batches (a margin of 8 KiB for each case more: a parsed case alone takes
// about 10 KiB, its tokens and sealed revision more) and peaks no higher
// than 1.5 times
// (the check pass, the parsing workers and the store's tables are the same
// for both). No timing is asserted.
func TestImportMemoryBoundedByBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 1,300 cases")
	}
	const n = 250
	// The process's caches (bounded, such as the folded tokens of short
	// texts) warm up first, with the larger file's texts.
	importHeap(t, n/5)
	for _, d := range readDocs(t, writeGenerated(t, FormatJSONL, 4*n, 31)) {
		index.CaseTokens(d, nil)
	}
	kept1, peak1 := importHeap(t, n)
	kept4, peak4 := importHeap(t, 4*n)
	t.Logf("heap kept between batches: %d MiB for %d cases, %d MiB for %d; peak %d MiB and %d MiB",
		kept1>>20, n, kept4>>20, 4*n, peak1>>20, peak4>>20)
	// 8 KiB a record more: one parsed case alone takes about 10 KiB.
	if kept4 > kept1+3*n*8<<10 {
		t.Errorf("the heap kept between batches grew with the file: %d MiB for %d cases, %d MiB for %d", kept1>>20, n, kept4>>20, 4*n)
	}
	if peak4 > peak1*3/2 {
		t.Errorf("the peak heap grew with the file: %d MiB for %d cases, %d MiB for %d", peak1>>20, n, peak4>>20, 4*n)
	}
}
