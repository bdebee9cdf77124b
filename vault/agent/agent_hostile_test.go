package agent

import (
	"bytes"
	"errors"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClocks is a clock a test moves by hand.
type fakeClocks struct {
	mu sync.Mutex
	r  clockReading
}

func (f *fakeClocks) read() clockReading {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.r
}

// advance moves the monotonic, wall and boot clocks by the given amounts.
func (f *fakeClocks) advance(mono, wall, boot time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.r.mono += mono
	f.r.wall = f.r.wall.Add(wall)
	if f.r.boot != 0 {
		f.r.boot += boot
	}
}

// shortSleeps is n minutes of work, each followed by a 20-second sleep
// (under suspendGap): 12 of them pass 15 minutes on the wall clock while
// the monotonic clock shows 12.
func shortSleeps(n int) []struct{ mono, wall, boot time.Duration } {
	s := make([]struct{ mono, wall, boot time.Duration }, n)
	for i := range s {
		s[i].mono, s[i].wall = time.Minute, time.Minute+20*time.Second
	}
	return s
}

// bootSleeps is shortSleeps seen by the boot clock only.
func bootSleeps(n int) []struct{ mono, wall, boot time.Duration } {
	s := shortSleeps(n)
	for i := range s {
		s[i].wall, s[i].boot = time.Minute, s[i].wall
	}
	return s
}

func TestAgentLifetime(t *testing.T) {
	t0 := clockReading{mono: time.Hour, wall: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), boot: 5 * time.Hour}
	type step = struct{ mono, wall, boot time.Duration }
	for _, tc := range []struct {
		name  string
		boot  bool
		steps []step
		want  string // reason at the last step; "" = still serving
	}{
		{"in time", true, []step{{time.Minute, time.Minute, time.Minute}, {13 * time.Minute, 13 * time.Minute, 13 * time.Minute}}, ""},
		{"monotonic expiry", true, []step{{10 * time.Minute, 10 * time.Minute, 10 * time.Minute}, {5 * time.Minute, 5 * time.Minute, 5 * time.Minute}}, "expired"},
		// A laptop closed for 3 hours: the monotonic clock stood still.
		{"suspend seen by the wall clock", false, []step{{time.Minute, 3 * time.Hour, 0}}, "locked after a suspend or a wall-clock jump"},
		{"suspend seen by both", true, []step{{time.Minute, 3 * time.Hour, 3 * time.Hour}}, "locked after a suspend or a wall-clock jump"},
		// Wall clock set back by an attacker: the boot clock still counts the sleep.
		{"suspend with the wall clock set back", true, []step{{time.Second, -time.Hour, 3 * time.Hour}}, "locked after a suspend"},
		// Small suspends add up on the wall clock until it expires.
		{"wall-clock expiry over short sleeps", false, shortSleeps(12), "expired (wall clock)"},
		{"short sleeps not yet expired", false, shortSleeps(11), ""},
		// The wall clock held back by an attacker; the boot clock counts the short sleeps.
		{"boot-clock expiry", true, bootSleeps(12), "expired (boot clock)"},
		// NTP slewing: a second of difference is no suspend.
		{"small corrections", true, []step{{time.Minute, time.Minute + time.Second, time.Minute}, {time.Minute, time.Minute - time.Second, time.Minute}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := t0
			if !tc.boot {
				start.boot = 0
			}
			f := &fakeClocks{r: start}
			l := newAgentLifetime(15*time.Minute, f.read())
			got := ""
			for i, s := range tc.steps {
				f.advance(s.mono, s.wall, s.boot)
				got = l.check(f.read())
				if got != "" && i < len(tc.steps)-1 {
					t.Fatalf("step %d: %q before the last step", i, got)
				}
			}
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestAgentLocksAfterSuspend runs a real agent on a real socket with a
// clock the test moves: after a 3-hour suspend the agent no longer hands
// out the identity and exits, though its 15 minutes are not up on the
// monotonic clock.
func TestAgentLocksAfterSuspend(t *testing.T) {
	sock, id, a := newTestAgent(t, 15*time.Minute)
	f := &fakeClocks{r: readClocks()}
	a.clock = f.read
	a.tick = time.Hour // only requests look at the clock
	done := make(chan error, 1)
	go func() { done <- a.Serve() }()
	got, err := Identity(sock)
	if err != nil || got.String() != id.String() {
		t.Fatalf("before the suspend: %v", err)
	}
	f.advance(time.Second, 3*time.Hour, 3*time.Hour)
	if _, err := Identity(sock); err == nil || !strings.Contains(err.Error(), "suspend") {
		t.Fatalf("after the suspend: %v", err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("agent still running after a suspend")
	}
	if _, err := Identity(sock); !errors.Is(err, ErrNoAgent) {
		t.Fatalf("after the agent locked: %v", err)
	}
}

// TestAgentIdleConnectionDoesNotBlock holds a connection that never sends
// a request (and that the agent will wait on for an hour), and checks a
// normal request is answered meanwhile.
func TestAgentIdleConnectionDoesNotBlock(t *testing.T) {
	sock, id, a := newTestAgent(t, 15*time.Minute)
	a.readTimeout = time.Hour
	go a.Serve()
	var idle []net.Conn
	for range 3 {
		c, err := net.Dial("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		idle = append(idle, c)
	}
	got, err := Identity(sock)
	if err != nil || got.String() != id.String() {
		t.Fatalf("with idle connections open: %v", err)
	}
	// The idle connections are still open: the answer did not come from
	// the agent giving up on them.
	for _, c := range idle {
		c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		var b [1]byte
		_, err := c.Read(b[:])
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("idle connection was closed or answered: %v", err)
		}
	}
}

// TestAgentRefusesOversizedRequest sends 256 MiB without a newline: the
// agent answers an error after at most maxAgentRequest bytes and closes,
// and its memory does not grow with what the client tries to send.
func TestAgentRefusesOversizedRequest(t *testing.T) {
	sock, _, a := newTestAgent(t, 15*time.Minute)
	go a.Serve()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	c, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	chunk := bytes.Repeat([]byte("A"), 1<<20)
	sent := 0
	for sent < 256<<20 {
		c.SetWriteDeadline(time.Now().Add(10 * time.Second))
		n, err := c.Write(chunk)
		sent += n
		if err != nil {
			break
		}
	}
	if sent >= 256<<20 {
		t.Fatalf("the agent took all %d bytes of an oversized request", sent)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 8<<20 {
		t.Fatalf("heap grew by %d bytes on an oversized request", grew)
	}
	t.Logf("client got %d bytes in before the agent closed", sent)
	// The agent still serves others.
	if _, err := Status(sock); err != nil {
		t.Fatalf("after an oversized request: %v", err)
	}
}
