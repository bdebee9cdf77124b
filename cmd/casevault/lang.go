package main

import (
	"slices"
	"strings"

	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/i18n"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// chooseLang returns the language of messages and help: the language of
// --lang on the command line (read before cobra parses it, so that help
// texts are built in that language; a list of several, publish's
// languages of the site, leaves the messages to what follows), else
// $CASEVAULT_LANG, else
// the locale ($LC_ALL, $LC_MESSAGES, $LANG; on Windows the user's default
// locale), else English. A --lang naming no language casevault speaks is
// kept, for the flag check in checkLang to report.
func chooseLang(args []string, getenv func(string) string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		var v string
		switch {
		case a == "--lang" && i+1 < len(args):
			v = args[i+1]
			i++
		case strings.HasPrefix(a, "--lang="):
			v = strings.TrimPrefix(a, "--lang=")
		default:
			continue
		}
		if strings.Contains(v, ",") {
			continue // publish --lang ru,uk,en: the site's languages
		}
		if l := i18n.Normalize(v); l != "" {
			return l
		}
	}
	if l := i18n.Normalize(getenv("CASEVAULT_LANG")); l != "" {
		return l
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			// The first set variable decides, as in POSIX, even when it
			// names a language casevault does not speak.
			if l := i18n.Normalize(v); l != "" {
				return l
			}
			return i18n.Default
		}
	}
	if l := i18n.Normalize(systemLocale()); l != "" {
		return l
	}
	return i18n.Default
}

// checkLang returns a usage error when --lang names a language casevault
// does not speak. The list form (ru,uk,en) is for publish.
func checkLang(value string) error {
	if value == "" {
		return nil
	}
	for _, l := range strings.Split(value, ",") {
		if i18n.Normalize(l) == "" {
			return usagef("%s", i18n.T(i18n.Default, "err.lang.unknown", map[string]any{"Lang": l, "Langs": strings.Join(i18n.Languages, ", ")}))
		}
	}
	return nil
}

// Message IDs of the help texts of command c: "cmd.<path>.short" and so
// on, the path being the command names after "casevault" joined by dots
// ("cmd.case.add.short"; the root is "cmd.root").
func cmdID(c *cobra.Command, part string) string {
	path := strings.Fields(c.CommandPath())
	if len(path) <= 1 {
		return "cmd.root." + part
	}
	return "cmd." + strings.Join(path[1:], ".") + "." + part
}

// flagID is the message ID of the usage of flag f of command c: local
// flags are under the command, persistent flags of the root under
// "flag.<name>".
func flagID(c *cobra.Command, f *pflag.Flag) string {
	return strings.TrimSuffix(cmdID(c, ""), ".") + ".flag." + f.Name
}

// helpTexts calls fn for every translatable help text of the command tree
// under c (Short, Long, Example and the usage of each flag defined by the
// command itself), with its message ID and English text.
func helpTexts(c *cobra.Command, fn func(id string, text *string)) {
	if c.Short != "" {
		fn(cmdID(c, "short"), &c.Short)
	}
	if c.Long != "" {
		fn(cmdID(c, "long"), &c.Long)
	}
	if c.Example != "" {
		fn(cmdID(c, "example"), &c.Example)
	}
	seen := map[*pflag.Flag]bool{}
	each := func(f *pflag.Flag) {
		if seen[f] || f.Usage == "" {
			return
		}
		seen[f] = true
		fn(flagID(c, f), &f.Usage)
	}
	c.LocalNonPersistentFlags().VisitAll(each)
	c.PersistentFlags().VisitAll(each)
	for _, sub := range c.Commands() {
		helpTexts(sub, fn)
	}
}

// localizeHelp replaces the help texts of the command tree under root
// with their translation into lang, where the catalogue has one. A text
// the catalogue does not know stays in English (TestHelpCatalogue lists
// such texts).
func localizeHelp(root *cobra.Command, lang string) {
	if lang == i18n.Default {
		return
	}
	helpTexts(root, func(id string, text *string) {
		if i18n.Has(lang, id) && i18n.T(i18n.Default, id, nil) == *text {
			*text = i18n.T(lang, id, nil)
		}
	})
	localizeTemplates(root, lang)
	localizeDefaults(root, lang)
}

// localizeDefaults adds, translated, what cobra would add in English when
// the command runs: the help and completion commands and the --help and
// --version flags.
func localizeDefaults(root *cobra.Command, lang string) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Short = i18n.T(lang, "help.helpShort", nil)
		case "completion":
			c.Short = i18n.T(lang, "help.completionShort", nil)
		}
	}
	if root.Version != "" {
		root.InitDefaultVersionFlag()
		if f := root.Flags().Lookup("version"); f != nil {
			f.Usage = i18n.T(lang, "help.versionFlag", map[string]any{"Command": root.Name()})
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		if f := c.Flags().Lookup("help"); f != nil {
			f.Usage = i18n.T(lang, "help.helpFlag", map[string]any{"Command": c.Name()})
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// localizeTemplates translates the headings cobra prints in help and usage
// ("Usage:", "Flags:", ...).
func localizeTemplates(root *cobra.Command, lang string) {
	r := strings.NewReplacer(
		"Usage:", i18n.T(lang, "help.usage", nil),
		"Aliases:", i18n.T(lang, "help.aliases", nil),
		"Examples:", i18n.T(lang, "help.examples", nil),
		"Available Commands:", i18n.T(lang, "help.commands", nil),
		"Additional Commands:", i18n.T(lang, "help.additional", nil),
		"Global Flags:", i18n.T(lang, "help.globalFlags", nil),
		"Flags:", i18n.T(lang, "help.flags", nil),
		"Additional help topics:", i18n.T(lang, "help.topics", nil),
		`Use "{{.CommandPath}} [command] --help" for more information about a command.`, i18n.T(lang, "help.more", map[string]any{"Command": "{{.CommandPath}}"}),
	)
	root.SetUsageTemplate(r.Replace(root.UsageTemplate()))
}

// checkLangArgs checks every --lang of the command line before the
// command runs.
func checkLangArgs(args []string) error {
	for i, a := range args {
		if a == "--" {
			break
		}
		if a == "--lang" && i+1 < len(args) {
			if err := checkLang(args[i+1]); err != nil {
				return err
			}
		} else if v, ok := strings.CutPrefix(a, "--lang="); ok {
			if err := checkLang(v); err != nil {
				return err
			}
		}
	}
	return nil
}

// tr returns s, a message made in English, in the user's language where
// the catalogue knows it (i18n.TranslateText).
func (g *globals) tr(s string) string {
	if g.lang == "" {
		return s
	}
	return i18n.TranslateText(g.lang, s)
}

// trError renders err in the user's language: its catalogued parts (the
// schema's problems, errors with a message ID) and then, line by line,
// texts the catalogue knows.
func (g *globals) trError(err error) string {
	if g.lang == i18n.Default || g.lang == "" {
		return err.Error()
	}
	s := vault.LocalizeError(err, g.lang)
	if t := g.tr(s); t != s {
		return t
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = g.tr(l)
	}
	return strings.Join(lines, "\n")
}

// word returns the label of a message line: "error:", "hint:",
// "warning:".
func (g *globals) word(w string) string {
	if g.lang == "" || g.lang == i18n.Default {
		return w + ":" // without reading the catalogue
	}
	return i18n.T(g.lang, "label."+w, nil)
}

// siteLangs returns the languages of the published site named by --lang
// (a list such as ru,uk,en), without repeats; none without --lang, which
// publishes in English whatever the locale, so that the same vault gives
// the same files everywhere. Several languages are for --format html and
// md (JSON and CSV are data: English keys and values, whatever --lang).
func siteLangs(value, format string) ([]string, error) {
	if value == "" {
		return nil, nil
	}
	var out []string
	for _, l := range strings.Split(value, ",") {
		n := i18n.Normalize(l)
		if n == "" {
			return nil, checkLang(l)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if len(out) > 1 && format != "html" && format != "md" {
		return nil, usagef("%s", i18n.T(i18n.Default, "err.lang.siteOnly", map[string]any{"Langs": value, "Format": format}))
	}
	return out, nil
}
