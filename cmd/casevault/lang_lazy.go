package main

import (
	"sync"

	"github.com/spf13/cobra"

	"github.com/casevault/casevault/vault/i18n"
)

// localizeHelpOnUse arranges for the help texts of the command tree under
// root to be translated into lang (localizeHelp) when something shows them:
// help and usage, shell completion (which prints the commands' and flags'
// descriptions) and the manual pages. Translating them reads the help
// catalogues of two languages, which cost every command about 60 ms of CPU
// in Russian and Ukrainian even when no help was printed (issue 14).
func localizeHelpOnUse(root *cobra.Command, lang string) {
	if lang == i18n.Default {
		return
	}
	localize := sync.OnceFunc(func() { localizeHelp(root, lang) })
	help, usage := root.HelpFunc(), root.UsageFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		localize()
		help(c, args)
	})
	root.SetUsageFunc(func(c *cobra.Command) error {
		localize()
		return usage(c)
	})
	root.PersistentPreRun = func(c *cobra.Command, _ []string) {
		if showsHelpTexts(c) {
			localize()
		}
	}
}

// showsHelpTexts reports whether command c prints help texts without
// going through help or usage: completion and man.
func showsHelpTexts(c *cobra.Command) bool {
	for ; c != nil; c = c.Parent() {
		switch c.Name() {
		case cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd, "completion", "man":
			return true
		}
	}
	return false
}
