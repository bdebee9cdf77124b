package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/casevault/casevault/vault"
)

// needYes guards a command that destroys data (case rm, case purge):
// with --yes it goes ahead; on a terminal (standard input) it asks the
// question and goes ahead only on "yes"; without a terminal and without
// --yes it refuses, so that a script never removes a case by accident.
// what names the action for the error message.
func (g *globals) needYes(yes bool, what string) error {
	if yes || g.env.isTerminal(g.env.stdin) {
		return nil
	}
	return usagef("%s needs --yes when standard input is not a terminal (nothing was removed)", what)
}

// confirm asks question on the terminal and reports whether the answer
// was "yes" (or "y"). It is called only after needYes, so without --yes
// standard input is a terminal.
func (g *globals) confirm(yes bool, question string) error {
	if yes {
		return nil
	}
	// The question goes to stderr (as rm -i does), never to stdout (data).
	fmt.Fprintf(g.env.stderr, "casevault: %s [y/N] ", plainLines(g.tr(question)))
	line, err := bufio.NewReader(io.LimitReader(g.env.stdin, 64)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return withCode(errors.New("not confirmed: nothing was removed"), exitError, "answer yes to go ahead, or give --yes")
}

// confirmCase asks whether to act on case id, naming the person.
func (g *globals) confirmCase(v *vault.Vault, yes bool, id vault.CaseID, action string) error {
	if yes {
		return nil
	}
	name := "?"
	if r, err := v.Case(id); err == nil {
		if c, err := r.Case(); err == nil {
			if p, ok := c.Doc["person"].(map[string]any); ok {
				if n, ok := p["name"].(string); ok {
					name = n
				}
			}
		}
	} else {
		return err // unknown case: say so before asking
	}
	return g.confirm(false, fmt.Sprintf("%s case %s (%s)?", action, id, name))
}
