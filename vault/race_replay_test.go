package vault

import (
	"sync/atomic"
	"testing"
	"time"
)

// A reader that replays a killed writer's log lets go of its shared lock
// for the exclusive one and then takes the shared one again. No writer may
// get in between the replay and the shared lock: a rekey that did made the
// reader open the store it had unlocked, shredded meanwhile, and report the
// vault damaged ("vault meta: missing", exit 8). Here a writer starts
// waiting during the replay; it must get the lock only after the reader
// lets go of it.
func TestReplayLockedKeepsWritersOut(t *testing.T) {
	if !sharedReads {
		t.Skip("read-only opens are exclusive on this platform")
	}
	dir := t.TempDir()
	var writerIn atomic.Bool
	writerDone := make(chan error, 1)
	lk, err := replayLocked(dir, time.Minute, func() error {
		go func() {
			w, err := lockVault(dir, false, time.Minute)
			if err == nil {
				writerIn.Store(true)
				w.Close()
			}
			writerDone <- err
		}()
		time.Sleep(300 * time.Millisecond) // the writer waits meanwhile
		return nil
	})
	if err != nil {
		t.Fatalf("replayLocked: %v", err)
	}
	time.Sleep(200 * time.Millisecond) // the reader reads
	if writerIn.Load() {
		lk.Close()
		t.Fatal("a writer got the lock between the reader's replay and its shared lock")
	}
	lk.Close()
	if err := <-writerDone; err != nil {
		t.Fatalf("writer after the reader: %v", err)
	}
}
