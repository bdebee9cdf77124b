package main

import (
	"io"

	"github.com/casevault/casevault/vault/atomicfile"
)

// writePrivateOutput writes data that holds what the vault keeps private
// (names, counts of confidential cases) to out, or to standard output when
// out is "" or "-". A file is created 0600, must not exist, and is linked
// into place only once complete (a failure leaves nothing). Standard
// output is refused when it is a terminal: what, such as "an iCalendar
// file", says what would have been printed.
func (g *globals) writePrivateOutput(out, what string, write func(io.Writer) error) error {
	if out == "" || out == "-" {
		if g.env.stdoutIsTerminal() {
			return usagef("not writing %s to the terminal: give -o FILE (created 0600) or redirect standard output", what)
		}
		return write(g.env.stdout)
	}
	err := atomicfile.Write(out, write, atomicfile.Options{NoClobber: true, Sync: true})
	if err != nil {
		return newFileError(out, err)
	}
	return nil
}
