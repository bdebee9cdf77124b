package main

import (
	"os/exec"
	"strings"
)

// editorCommand returns the editor to run: $VISUAL, else $EDITOR, else
// nano where it is installed (the easiest for someone who has never set an
// editor), else vi. When it picks one itself it says which on stderr, and
// how to choose another.
func (g *globals) editorCommand() string {
	for _, name := range []string{"VISUAL", "EDITOR"} {
		if e := strings.TrimSpace(g.env.getenv(name)); e != "" {
			return e
		}
	}
	if _, err := exec.LookPath("nano"); err == nil {
		g.infof("no editor is set ($VISUAL, $EDITOR): opening nano (Ctrl-O saves, Ctrl-X quits); set EDITOR to use another")
		return "nano"
	}
	g.infof("no editor is set ($VISUAL, $EDITOR) and nano is not installed: opening vi (Esc then :wq saves and quits, :q! quits without saving); set EDITOR to use another")
	return "vi"
}
