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

// Write counts len(b) more bytes as done, so that a progress can sit behind
// io.TeeReader or io.MultiWriter.
func (p *progress) Write(b []byte) (int, error) {
	if p != nil && p.bar != nil {
		_ = p.bar.Add64(int64(len(b)))
	}
	return len(b), nil
}

// largeFile is the size from which evidence commands show a progress bar.
const largeFile = 8 << 20

// newProgressIfLarge is newProgress for transfers of at least largeFile
// bytes, and a no-op otherwise.
func newProgressIfLarge(g *globals, total int64, desc string) *progress {
	if total < largeFile {
		return &progress{}
	}
	return newProgress(g, total, desc)
}
