package agent

import "time"

// The agent's lifetime is kept on three clocks, because each can lie:
//
//   - Go's monotonic clock stops while the machine sleeps (on Linux and
//     macOS), so a laptop closed at minute 5 of a 15-minute unlock and
//     opened hours later would still have 10 minutes left;
//   - the wall clock keeps running in sleep but can be set by anyone with
//     administrator rights or a forged NTP answer;
//   - the boot clock (CLOCK_BOOTTIME on Linux, CLOCK_MONOTONIC on macOS)
//     runs through sleep and cannot be set, but not every platform has one.
//
// The agent expires as soon as any clock says its time is up, and it locks
// when the wall or boot clock moved much further than the monotonic clock
// since the last look: the machine was asleep (or the clock was set
// forward, which locks too: failing closed).

// suspendGap is how much more time the wall or boot clock may show than
// the monotonic clock between two looks before the agent takes it as a
// suspend and locks. NTP corrections slew by milliseconds; a suspend of a
// closed laptop is minutes to hours.
const suspendGap = 30 * time.Second

// agentTick is how often the agent looks at its clocks while idle.
const agentTick = 2 * time.Second

// A clockReading is one look at the clocks.
type clockReading struct {
	mono time.Duration // monotonic time since an arbitrary start; stops in suspend
	wall time.Time     // wall clock, without a monotonic reading
	boot time.Duration // time since boot counting suspend; 0 where unknown
}

// readClocks is the real clock; tests replace it on an Agent.
func readClocks() clockReading {
	return clockReading{mono: time.Since(processStart), wall: time.Now().Round(0), boot: bootClock()}
}

var processStart = time.Now()

// agentLifetime decides when an agent's time is up.
type agentLifetime struct {
	d           time.Duration
	start, last clockReading
}

func newAgentLifetime(d time.Duration, now clockReading) *agentLifetime {
	return &agentLifetime{d: d, start: now, last: now}
}

// until is the wall-clock time the agent expires at (when no suspend or
// clock jump ends it earlier).
func (l *agentLifetime) until() time.Time { return l.start.wall.Add(l.d) }

// check looks at the clocks at r and returns why the agent must lock, or
// "" while it may serve.
func (l *agentLifetime) check(r clockReading) string {
	last := l.last
	l.last = r
	dm := r.mono - last.mono
	switch {
	case r.wall.Sub(last.wall)-dm > suspendGap:
		return "locked after a suspend or a wall-clock jump"
	case r.boot != 0 && last.boot != 0 && (r.boot-last.boot)-dm > suspendGap:
		return "locked after a suspend"
	case r.mono-l.start.mono >= l.d:
		return "expired"
	case r.wall.Sub(l.start.wall) >= l.d:
		return "expired (wall clock)"
	case r.boot != 0 && l.start.boot != 0 && r.boot-l.start.boot >= l.d:
		return "expired (boot clock)"
	}
	return ""
}
