package vault

import (
	"context"
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"
)

// TestImportFile imports the file named by $CASEVAULT_IMPORT_FILE into a
// fresh vault; it is for profiling (go test -cpuprofile) and skipped
// otherwise. With $CASEVAULT_HEAP_PROFILE it writes a heap profile when
// three quarters of the cases are in; $CASEVAULT_IMPORT_BATCH_BYTES sets
// the batch size (ImportOptions.BatchBytes).
func TestImportFile(t *testing.T) {
	path := os.Getenv("CASEVAULT_IMPORT_FILE")
	if path == "" {
		t.Skip("CASEVAULT_IMPORT_FILE not set")
	}
	dir := t.TempDir()
	v, err := Init(dir, InitOptions{Org: "Bench", Classic: true, Passphrase: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("CASEVAULT_IMPORT_PLAIN_OPEN") == "" {
		// as the import command opens it (store options of a bulk write)
		v.Close()
		if v, err = Open(dir, Unlock{Passphrase: func() ([]byte, error) { return []byte("x"), nil }}, Options{BulkWrite: true}); err != nil {
			t.Fatal(err)
		}
	}
	defer v.Close()
	written := false
	start, last, lastN, lastCPU := time.Now(), time.Now(), 0, processCPU()
	prog := func(phase string, done, total int) {
		if phase == "import" && os.Getenv("CASEVAULT_IMPORT_LOG") != "" && done-lastN >= 5000 {
			// time per case of each stretch: shows whether it grows with
			// the vault (CPU time too: the wall time of a loaded machine
			// says how long the import waited)
			cpu := processCPU()
			n := float64(done - lastN)
			t.Logf("%d cases at %.1fs: %.2f ms/case wall, %.2f ms/case CPU over the last %d", done, time.Since(start).Seconds(),
				float64(time.Since(last).Microseconds())/1000/n, float64((cpu-lastCPU).Microseconds())/1000/n, done-lastN)
			t.Logf("  %s", importStretchStats(v))
			last, lastN, lastCPU = time.Now(), done, cpu
		}
		hp := os.Getenv("CASEVAULT_HEAP_PROFILE")
		if phase != "import" || written || hp == "" || done < total*3/4 {
			return
		}
		written = true
		runtime.GC()
		f, err := os.Create(hp)
		if err != nil {
			t.Fatal(err)
		}
		pprof.WriteHeapProfile(f)
		f.Close()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		t.Logf("heap in use %d MiB, sys %d MiB", ms.HeapInuse>>20, ms.Sys>>20)
	}
	o := ImportOptions{Format: FormatJSONL, Progress: prog}
	if b := os.Getenv("CASEVAULT_IMPORT_BATCH_BYTES"); b != "" {
		// batch size experiments (the default is defaultBatchBytes)
		if o.BatchBytes, err = strconv.Atoi(b); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := v.Import(context.Background(), path, o)
	if err != nil && !errors.Is(err, ErrImportConflicts) { // generated files name a few people twice
		t.Fatal(err)
	}
	t.Log(rep)
}
