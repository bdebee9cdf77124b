package vault

import (
	"sync"
	"testing"
	"time"
)

// Readers that follow one another so closely that one of them always holds
// the shared lock must not keep a writer out: the writer gets in within its
// wait, and the readers go on afterwards (each waiting at most its own
// wait). Before the gate (openGate), flock favoured nobody and six `case
// search` loops made every `case update` give up with "vault is in use"
// (exit 5); here three readers overlapping by design did it every time.
func TestLockWriterNotStarvedByReaders(t *testing.T) {
	if !sharedReads {
		t.Skip("read-only opens are exclusive on this platform")
	}
	dir := t.TempDir()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var readerErr error
	rounds := make([]int, 3)
	started := make(chan struct{}, 3)
	for r := range rounds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(r) * 10 * time.Millisecond) // staggered: always one holder
			first := true
			for {
				select {
				case <-stop:
					return
				default:
				}
				lk, err := lockVault(dir, true, time.Minute)
				if err != nil {
					mu.Lock()
					readerErr = err
					mu.Unlock()
					return
				}
				if first {
					started <- struct{}{}
					first = false
				}
				time.Sleep(30 * time.Millisecond)
				lk.Close()
				mu.Lock()
				rounds[r]++
				mu.Unlock()
			}
		}()
	}
	for range rounds {
		<-started
	}
	start := time.Now()
	w, err := lockVault(dir, false, 3*time.Second)
	if err != nil {
		close(stop)
		wg.Wait()
		t.Fatalf("writer while readers follow one another: %v after %v, want the lock", err, time.Since(start).Round(time.Millisecond))
	}
	// While the writer holds it, no reader gets in.
	if lk, err := lockVault(dir, true, 0); err == nil {
		lk.Close()
		t.Fatal("a reader got the lock while the writer held it")
	}
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	before := append([]int(nil), rounds...)
	mu.Unlock()
	w.Close()
	// The readers go on after the writer.
	deadline := time.Now().Add(time.Minute)
	for {
		mu.Lock()
		moved := rounds[0] > before[0] && rounds[1] > before[1] && rounds[2] > before[2]
		mu.Unlock()
		if moved || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if readerErr != nil {
		t.Fatalf("a reader after the writer: %v", readerErr)
	}
	for r := range rounds {
		if rounds[r] <= before[r] {
			t.Fatalf("reader %d did not get the lock again after the writer let go", r)
		}
	}
}
