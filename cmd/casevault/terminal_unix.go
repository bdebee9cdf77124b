//go:build !windows

package main

import "os"

// openTerminal opens the controlling terminal for a prompt: /dev/tty, for
// both reading and writing (the second file is a second handle on it).
func openTerminal() (in, out *os.File, err error) {
	in, err = os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, nil, err
	}
	out, err = os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		in.Close()
		return nil, nil, err
	}
	return in, out, nil
}

// consoleColor: Unix terminals understand ANSI colour (TERM=dumb and
// NO_COLOR are checked by the caller).
func consoleColor() bool { return true }

// platformDataDir is the default vault directory where the platform has
// its own place for it; on Unix the XDG rule applies ("").
func platformDataDir(func(string) string) string { return "" }
