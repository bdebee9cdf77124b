package vault

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// serverClock is the HTTP transport of an object store client that notes
// the store's clock (each response's Date header), so that object names,
// which sort by the time they were written, follow one clock — the
// store's — whatever the clocks of the copies say.
type serverClock struct {
	rt     http.RoundTripper
	mu     sync.Mutex
	offset time.Duration // server time minus local time, from the last response
	known  bool
	worst  time.Duration // the offset furthest from zero seen
}

// clockTolerance is how far the store's clock (its Date header) may be
// from this computer's before a sync refuses to upload or to move its
// listing cursor: object names sort by the store's time, so a false Date
// would name a pack where other copies never list it, or move the cursor
// past objects not yet read.
const clockTolerance = 5 * time.Minute

// ClockSkewError is returned by Sync when the store's clock and this
// computer's differ by more than clockTolerance: nothing was uploaded and
// the listing cursor was not moved.
type ClockSkewError struct {
	Remote string
	Skew   time.Duration // store time minus local time
}

func (e *ClockSkewError) Error() string {
	return fmt.Sprintf("remote %q: the store's clock differs from this computer's by %s (more than %s allowed): nothing uploaded, listing cursor not moved", e.Remote, e.Skew.Round(time.Second), clockTolerance)
}

// check returns a ClockSkewError when any response so far carried a Date
// further than clockTolerance from the local clock.
func (c *serverClock) check(remote string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.worst > clockTolerance || c.worst < -clockTolerance {
		return &ClockSkewError{Remote: remote, Skew: c.worst}
	}
	return nil
}

func (c *serverClock) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.rt.RoundTrip(req)
	if err == nil {
		if d, perr := http.ParseTime(resp.Header.Get("Date")); perr == nil {
			c.mu.Lock()
			// Date has whole seconds: the server's time is within the
			// second after d.
			c.offset, c.known = d.Add(500*time.Millisecond).Sub(time.Now()), true
			if c.offset.Abs() > c.worst.Abs() {
				c.worst = c.offset
			}
			c.mu.Unlock()
		}
	}
	return resp, err
}

// now is the store's time as far as it is known, else the local time.
func (c *serverClock) now() time.Time {
	if c == nil {
		return time.Now()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.known {
		return time.Now()
	}
	return time.Now().Add(c.offset)
}
