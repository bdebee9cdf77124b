package main

import (
	"bufio"
	"context"
	"io"
	"sync"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
)

// A lineReader gives huh's accessible mode one line of input per Read.
// huh reads each answer with a new bufio.Scanner, which would swallow the
// lines after the first one of a pipe: returning at most one line per
// Read leaves the rest for the next question. It also ends the input
// when ctx is cancelled (Ctrl-C), and remembers that the input ended, so
// that the form stops instead of taking empty answers for ever.
type lineReader struct {
	ctx   context.Context
	lines chan lineOrErr
	once  sync.Once
	r     *bufio.Reader
	rest  []byte // what is left of the current line
	mu    sync.Mutex
	eof   bool
}

type lineOrErr struct {
	line []byte
	err  error
}

func newLineReader(ctx context.Context, r io.Reader) *lineReader {
	return &lineReader{ctx: ctx, r: bufio.NewReader(r), lines: make(chan lineOrErr)}
}

// maxAnswer bounds one line of input: a case file is at most 4 MiB.
const maxAnswer = 1 << 20

func (l *lineReader) start() {
	go func() {
		for {
			var line []byte
			var err error
			for {
				var part []byte
				part, err = l.r.ReadSlice('\n')
				line = append(line, part...)
				if err != bufio.ErrBufferFull || len(line) > maxAnswer {
					break
				}
			}
			if len(line) > 0 {
				select {
				case l.lines <- lineOrErr{line: line}:
				case <-l.ctx.Done():
					return
				}
			}
			if err != nil && err != bufio.ErrBufferFull {
				select {
				case l.lines <- lineOrErr{err: err}:
				case <-l.ctx.Done():
				}
				return
			}
		}
	}()
}

// Read returns at most the rest of one line.
func (l *lineReader) Read(p []byte) (int, error) {
	l.once.Do(l.start)
	if len(l.rest) == 0 {
		if l.ended() {
			return 0, io.EOF
		}
		select {
		case le := <-l.lines:
			if le.err != nil {
				l.setEnded()
				return 0, io.EOF
			}
			l.rest = le.line
		case <-l.ctx.Done():
			l.setEnded()
			return 0, io.EOF
		}
	}
	n := copy(p, l.rest)
	l.rest = l.rest[n:]
	return n, nil
}

func (l *lineReader) setEnded() {
	l.mu.Lock()
	l.eof = true
	l.mu.Unlock()
}

// ended reports whether the input ended (or was cancelled).
func (l *lineReader) ended() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.eof
}

// plainTheme is huh's base theme without colours or decoration, for the
// accessible mode, where what is printed goes to a screen reader or a
// pipe.
func plainTheme(isDark bool) *huh.Styles {
	s := huh.ThemeBase(isDark)
	plain := lipgloss.NewStyle()
	for _, fs := range []*huh.FieldStyles{&s.Focused, &s.Blurred} {
		fs.Title = plain
		fs.Description = plain
		fs.ErrorMessage = plain
		fs.ErrorIndicator = plain
		fs.NoteTitle = plain
		fs.SelectedOption = plain
		fs.SelectSelector = plain
		fs.MultiSelectSelector = plain
	}
	return s
}
