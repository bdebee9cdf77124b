package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

// defaultWait is how long a command waits, by default, for other
// processes to let go of the vault.
const defaultWait = 5 * time.Second

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// globals are the flags every command shares.
type globals struct {
	env      *env
	vaultDir string
	identity string
	json     bool
	author   string
	wait     time.Duration
	// lang is the language of messages and help (chooseLang); langFlag
	// the value of --lang, a list for publish.
	lang     string
	langFlag string
	// ctx is cancelled by the first Ctrl-C or SIGTERM (run); an open
	// hands it to long work it does (vault.Options.Context).
	ctx context.Context
}

func run(args []string, e *env) int {
	g := &globals{env: e, lang: chooseLang(args, e.getenv)}
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first Ctrl-C or SIGTERM cancels the command's context, so that it
	// stops cleanly where it checks it; a second one takes the default
	// action and ends the process at once, whatever it is blocked on.
	go func() { <-ctx.Done(); stop() }()
	g.ctx = ctx
	err := checkLangArgs(args)
	if err == nil {
		err = root.ExecuteContext(ctx)
	}
	if err == nil {
		return exitOK
	}
	if (ctx.Err() != nil || errors.Is(err, context.Canceled)) && !errors.Is(err, errInterrupted) {
		err = fmt.Errorf("%w: %v", errInterrupted, err)
	}
	var ue *usageError
	if errors.As(err, &ue) {
		g.printError(err, exitUsage, "run '"+commandPath(root, args)+" --help' for usage")
		return exitUsage
	}
	code, hint := classify(err)
	g.printError(err, code, hint)
	return code
}

// usageError marks a wrong command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{msg: fmt.Sprintf(format, a...)} }

// commandPath returns the full name of the command args select, such as
// "casevault case add"; for an unknown command, the deepest known one.
func commandPath(root *cobra.Command, args []string) string {
	c, _, err := root.Find(args)
	if err != nil || c == nil {
		return root.CommandPath()
	}
	return c.CommandPath()
}

// printError writes an error in the casevault message style, or as JSON
// with --json.
func (g *globals) printError(err error, code int, hint string) {
	w := g.env.stderr
	if g.json {
		out := map[string]any{"error": err.Error(), "exit_code": code}
		if hint != "" {
			out["hint"] = hint
		}
		b, _ := json.Marshal(out)
		fmt.Fprintln(w, string(b))
		return
	}
	// Errors may carry names from files, bundles and publications.
	msg := plainLines(g.trError(err))
	hint = g.tr(hint)
	prefix := "casevault: " + g.word("error") + " "
	if g.env.color() {
		prefix = "casevault: \x1b[31m" + g.word("error") + "\x1b[0m "
	}
	lines := strings.Split(msg, "\n")
	fmt.Fprintln(w, prefix+lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintln(w, "casevault: "+l)
	}
	if hint != "" {
		fmt.Fprintln(w, "casevault: "+g.word("hint")+" "+hint)
	}
}

// warnf prints a warning line on stderr.
func (g *globals) warnf(format string, a ...any) {
	fmt.Fprintln(g.env.stderr, "casevault: "+g.word("warning")+" "+plainLines(g.tr(fmt.Sprintf(format, a...))))
}

// infof prints an informational line on stderr (never on stdout, which is
// for data).
func (g *globals) infof(format string, a ...any) {
	fmt.Fprintln(g.env.stderr, "casevault: "+plainLines(g.tr(fmt.Sprintf(format, a...))))
}

// notef prints a notice about the command's work on stderr: as infof
// does, or with --json as a JSON line {"notice": msg}, so that stderr
// stays JSON lines (as errors are) for a script that reads it.
func (g *globals) notef(msg string) {
	if g.json {
		b, _ := json.Marshal(map[string]string{"notice": msg})
		fmt.Fprintln(g.env.stderr, string(b))
		return
	}
	g.infof("%s", msg)
}

// report prints the outcome of a command that changes something: with
// --json a JSON object on stdout, otherwise a message on stderr.
func (g *globals) report(result map[string]any, format string, a ...any) error {
	if g.json {
		return g.printJSON(result)
	}
	g.infof(format, a...)
	return nil
}

// printJSON writes v as indented JSON on stdout.
func (g *globals) printJSON(v any) error {
	enc := json.NewEncoder(g.env.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newRootCmd(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "casevault",
		Short: "Encrypted case files for human-rights lawyers",
		Long: `casevault keeps the case files of political prisoners encrypted at rest,
shares chosen parts of them with partner organisations as signed, encrypted
bundles, and publishes redacted public summaries.

The vault is the directory given by --vault, else $CASEVAULT_DIR, else
$XDG_DATA_HOME/casevault (~/.local/share/casevault).

The passphrase is read from the terminal without echo, or from the file named
by $CASEVAULT_PASSPHRASE_FILE; never from the command line. An age identity
file given by --identity or $CASEVAULT_IDENTITY unlocks without passphrase.

The language of messages and help is --lang, else $CASEVAULT_LANG, else the
locale (LC_ALL, LC_MESSAGES, LANG): en, ru or uk.`,
		Example: `  casevault init --org "Memorial Defence Group"
  casevault template > case.yaml
  casevault case add -f case.yaml
  casevault case list --status sentenced
  casevault case search "кара-мурза"`,
		Version:           version,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: false},
	}
	root.SetVersionTemplate("casevault {{.Version}}\n")
	pf := root.PersistentFlags()
	pf.StringVar(&g.vaultDir, "vault", "", "vault directory (default $CASEVAULT_DIR or $XDG_DATA_HOME/casevault)")
	pf.StringVar(&g.identity, "identity", "", "age identity file that unlocks the vault without passphrase (default $CASEVAULT_IDENTITY)")
	pf.BoolVar(&g.json, "json", false, "machine-readable JSON output (errors too, on stderr)")
	pf.DurationVar(&g.wait, "wait", defaultWait, "how long to wait for another casevault command using the vault before giving up with exit 5 (reading commands share the vault)")
	pf.StringVar(&g.author, "author", "", "name recorded as author of changes (default $CASEVAULT_AUTHOR or the user name)")
	pf.StringVar(&g.langFlag, "lang", "", "language of messages and help: en, ru or uk (default $CASEVAULT_LANG, else the locale); publish takes a list such as ru,uk,en")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &usageError{msg: err.Error()} })
	for _, add := range commands {
		root.AddCommand(add(g))
	}
	rejectUnknownSubcommands(root)
	usageArgs(root)
	localizeHelpOnUse(root, g.lang)
	return root
}

// usageArgs makes every command's argument check, and cobra's checks of
// flag groups (mutually exclusive flags) that run next to it, fail with a
// *usageError, so that a wrong command line is told apart by its type and
// not by cobra's English. The root rejects unknown commands itself.
func usageArgs(c *cobra.Command) {
	for _, sub := range c.Commands() {
		usageArgs(sub)
	}
	if !c.HasParent() {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return nil
		}
		if !c.Runnable() {
			c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
		}
	}
	check := c.Args
	if check == nil {
		check = cobra.ArbitraryArgs
	}
	c.Args = func(cmd *cobra.Command, args []string) error {
		err := check(cmd, args)
		if err == nil {
			err = cmd.ValidateFlagGroups()
		}
		var ue *usageError
		if err != nil && !errors.As(err, &ue) {
			err = &usageError{msg: err.Error()}
		}
		return err
	}
}

// requireFlags returns a usage error naming the first of flags not given
// on the command line.
func requireFlags(cmd *cobra.Command, flags ...string) error {
	for _, f := range flags {
		if !cmd.Flags().Changed(f) {
			return usagef("required flag --%s not set", f)
		}
	}
	return nil
}

// rejectUnknownSubcommands makes every group command (one with
// subcommands and no action of its own, such as "case") fail with a usage
// error on an unknown subcommand. Left alone, cobra prints the group's help
// and exits 0 for "casevault case frobnicate".
func rejectUnknownSubcommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		rejectUnknownSubcommands(sub)
	}
	if c.HasParent() && c.HasSubCommands() && !c.Runnable() {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
	}
}

// commands are the top-level commands, in help order. Each lives in its own
// file as newXCmd.
var commands = []func(*globals) *cobra.Command{
	newInitCmd,
	newPasswdCmd,
	newCaseCmd,
	newEvidenceCmd,
	newStatsCmd,
	newAgendaCmd,
	newCheckCmd,
	newTemplateCmd,
	newPublishCmd,
	newVerifyPublicationCmd,
	newRekeyCmd,
	newRotateIdentityCmd,
	newBackupCmd,
	newRestoreCmd,
	newAuditCmd,
	newCustodyCmd,
	newOrgCmd,
	newStaffCmd,
	newRecoveryCmd,
	newShareCmd,
	newUnshareCmd,
	newBundleCmd,
	newRemoteCmd,
	newSyncCmd,
	newHeldCmd,
	newImportCmd,
	newExportCmd,
	newUnlockCmd,
	newLockCmd,
	newAgentCmd,
	newVersionCmd,
	newManCmd,
}
