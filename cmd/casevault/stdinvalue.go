package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxStdinValue bounds a value read from standard input (a search text, a
// note, an organisation name).
const maxStdinValue = 64 << 10

// stdinValue returns value, or for "-" one line read from standard input,
// so that search terms, notes and partner names stay out of the process
// list and the shell history. On a terminal the user is asked with prompt
// (on stderr; the text is shown as typed). Only one value of a command can
// come from standard input; stdinUsed records it.
func (g *globals) stdinValue(value, prompt string, stdinUsed *bool) (string, error) {
	if value != "-" {
		return value, nil
	}
	if *stdinUsed {
		return "", usagef("only one value can be read from standard input (-)")
	}
	*stdinUsed = true
	if g.env.isTerminal(g.env.stdin) {
		fmt.Fprintf(g.env.stderr, "casevault: %s: ", g.tr(prompt))
	}
	r := bufio.NewReader(io.LimitReader(g.env.stdin, maxStdinValue+1))
	line, err := r.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the %s from standard input: %w", prompt, err)
	}
	if len(line) > maxStdinValue {
		return "", usagef("the %s on standard input is longer than %d KiB", prompt, maxStdinValue>>10)
	}
	line = strings.TrimRight(line, "\r\n")
	if strings.TrimSpace(line) == "" {
		return "", usagef("no %s on standard input", prompt)
	}
	return line, nil
}
