package main

import (
	"time"

	"github.com/schollz/progressbar/v3"
)

// A progress shows how many of total bytes are done, on stderr, only when
// stderr is a terminal. The zero value and nil do nothing.
type progress struct{ bar *progressbar.ProgressBar }

// newProgress returns a byte progress bar with a description, or a no-op
// when stderr is not a terminal.
func newProgress(g *globals, total int64, desc string) *progress {
	if !g.env.stderrIsTerminal() {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(g.env.stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// set records that n bytes are done.
func (p *progress) set(n int64) {
	if p != nil && p.bar != nil {
		if n > p.bar.GetMax64() {
			p.bar.ChangeMax64(n)
		}
		_ = p.bar.Set64(n)
	}
}

// done removes the bar.
func (p *progress) done() {
	if p != nil && p.bar != nil {
		_ = p.bar.Finish()
	}
}
