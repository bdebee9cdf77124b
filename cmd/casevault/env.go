package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// env is everything a command may touch of the outside world, so that tests
// can run the real commands in-process.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// isTerminal reports whether a stream is an interactive terminal.
	isTerminal func(any) bool
}

func newSystemEnv() *env {
	return &env{
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
		getenv: os.Getenv,
		isTerminal: func(s any) bool {
			f, ok := s.(*os.File)
			return ok && term.IsTerminal(int(f.Fd()))
		},
	}
}

// stdoutIsTerminal reports whether data written to stdout reaches a person.
func (e *env) stdoutIsTerminal() bool { return e.isTerminal(e.stdout) }

// stderrIsTerminal reports whether progress bars may be drawn.
func (e *env) stderrIsTerminal() bool { return e.isTerminal(e.stderr) }

// color reports whether messages may use colour (a terminal and no
// NO_COLOR, see https://no-color.org).
func (e *env) color() bool {
	return e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb" && e.stderrIsTerminal() && consoleColor()
}
