package main

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// openTerminal opens the console for a prompt: CONIN$ to read (read-write,
// so that echo can be switched off) and CONOUT$ to write. Windows has no
// /dev/tty.
func openTerminal() (in, out *os.File, err error) {
	in, err = os.OpenFile("CONIN$", os.O_RDWR, 0)
	if err != nil {
		return nil, nil, err
	}
	out, err = os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		in.Close()
		return nil, nil, err
	}
	return in, out, nil
}

// consoleColor reports whether the console behind standard error shows
// ANSI colour: it must accept virtual terminal processing (Windows 10 and
// later; the old console prints the escape codes as text).
func consoleColor() bool {
	h := windows.Handle(os.Stderr.Fd())
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return false
	}
	if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
		return true
	}
	return windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING) == nil
}

// platformDataDir is the default vault directory on Windows:
// %LOCALAPPDATA%\casevault (not roamed to other machines).
func platformDataDir(getenv func(string) string) string {
	if d := getenv("LOCALAPPDATA"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "casevault")
	}
	return ""
}
