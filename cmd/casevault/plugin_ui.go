package main

import "filippo.io/age/plugin"

// pluginUI answers an age plugin's prompts (a PIN, a touch) for a staff
// member's plugin identity: messages on standard error, input from the
// terminal itself (/dev/tty), never from standard input.
func (g *globals) pluginUI() *plugin.ClientUI {
	return plugin.NewTerminalUI(g.infof, g.warnf)
}
