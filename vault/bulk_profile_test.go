package vault

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
)

// TestImportFile imports the file named by $CASEVAULT_IMPORT_FILE into a
// fresh vault; it is for profiling (go test -cpuprofile) and skipped
// otherwise. With $CASEVAULT_HEAP_PROFILE it writes a heap profile when
// three quarters of the cases are in.
func TestImportFile(t *testing.T) {
	path := os.Getenv("CASEVAULT_IMPORT_FILE")
	if path == "" {
		t.Skip("CASEVAULT_IMPORT_FILE not set")
	}
	v, err := Init(t.TempDir(), InitOptions{Org: "Bench", Classic: true, Passphrase: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	written := false
	prog := func(phase string, done, total int) {
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
	rep, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL, Progress: prog})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(rep)
}
