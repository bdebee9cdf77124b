package vault

import (
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
}

func (c *serverClock) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.rt.RoundTrip(req)
	if err == nil {
		if d, perr := http.ParseTime(resp.Header.Get("Date")); perr == nil {
			c.mu.Lock()
			// Date has whole seconds: the server's time is within the
			// second after d.
			c.offset, c.known = d.Add(500*time.Millisecond).Sub(time.Now()), true
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
