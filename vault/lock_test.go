package vault

import (
	"errors"
	"testing"
	"time"
)

// Readers share the vault; a writer waits for them up to Options.Wait,
// then gives up with ErrInUse; a reader waits for a writer the same way.
func TestLockReadersShareWriterWaits(t *testing.T) {
	if !sharedReads {
		t.Skip("read-only opens are exclusive on this platform")
	}
	dir, v := coreInit(t, true)
	id := coreAdd(t, v, "schema: case.v1\nperson: {name: Shared Reader}\n")
	v.Close()

	ro := Options{ReadOnly: true}
	r1, err := Open(dir, corePassphrase(corePass), ro)
	if err != nil {
		t.Fatalf("first reader: %v", err)
	}
	r2, err := Open(dir, corePassphrase(corePass), ro)
	if err != nil {
		t.Fatalf("second reader while the first is open: %v", err)
	}
	for _, r := range []*Vault{r1, r2} {
		if _, err := r.Case(id); err != nil {
			t.Fatalf("reading with two readers open: %v", err)
		}
	}
	if _, err := Open(dir, corePassphrase(corePass), Options{Wait: 200 * time.Millisecond}); !errors.Is(err, ErrInUse) {
		t.Fatalf("writer while readers are open: %v, want ErrInUse", err)
	}

	later := coreCase(t, "schema: case.v1\nperson: {name: After Readers}\n")
	done := make(chan error, 1)
	go func() {
		w, err := Open(dir, corePassphrase(corePass), Options{Wait: 2 * time.Minute})
		if err == nil {
			_, err = w.AddCase(later)
			w.Close()
		}
		done <- err
	}()
	time.Sleep(100 * time.Millisecond) // let the writer start waiting (not asserted)
	r1.Close()
	r2.Close()
	if err := <-done; err != nil {
		t.Fatalf("writer after the readers closed: %v", err)
	}

	w := coreOpen(t, dir)
	if _, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: true, Wait: 100 * time.Millisecond}); !errors.Is(err, ErrInUse) {
		t.Fatalf("reader while a writer is open: %v, want ErrInUse", err)
	}
	w.Close()
}
