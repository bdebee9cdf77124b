package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// globals are the flags every command shares.
type globals struct {
	env      *env
	vaultDir string
	identity string
	json     bool
	author   string
}

func run(args []string, e *env) int {
	g := &globals{env: e}
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil && !errors.Is(err, errInterrupted) {
		err = fmt.Errorf("%w: %v", errInterrupted, err)
	}
	var ue *usageError
	if errors.As(err, &ue) || isCobraUsageError(err) {
		g.printError(err, exitUsage, "run 'casevault "+commandPath(args)+"--help' for usage")
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

func isCobraUsageError(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least", "requires exactly", "flag needs an argument", "invalid argument", "required flag", "if any flags in the group", "none of the others can be"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

func commandPath(args []string) string {
	var parts []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			break
		}
		parts = append(parts, a)
		if len(parts) == 2 {
			break
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, " ") + " "
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
	msg := err.Error()
	prefix := "casevault: error: "
	if g.env.color() {
		prefix = "casevault: \x1b[31merror:\x1b[0m "
	}
	lines := strings.Split(msg, "\n")
	fmt.Fprintln(w, prefix+lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintln(w, "casevault: "+l)
	}
	if hint != "" {
		fmt.Fprintln(w, "casevault: hint: "+hint)
	}
}

// warnf prints a warning line on stderr.
func (g *globals) warnf(format string, a ...any) {
	fmt.Fprintf(g.env.stderr, "casevault: warning: "+format+"\n", a...)
}

// infof prints an informational line on stderr (never on stdout, which is
// for data).
func (g *globals) infof(format string, a ...any) {
	fmt.Fprintf(g.env.stderr, "casevault: "+format+"\n", a...)
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
file given by --identity or $CASEVAULT_IDENTITY unlocks without passphrase.`,
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
	pf.StringVar(&g.author, "author", "", "name recorded as author of changes (default $CASEVAULT_AUTHOR or the user name)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &usageError{msg: err.Error()} })
	for _, add := range commands {
		root.AddCommand(add(g))
	}
	return root
}

// commands are the top-level commands, in help order. Each lives in its own
// file as newXCmd.
var commands = []func(*globals) *cobra.Command{
	newInitCmd,
	newPasswdCmd,
	newCaseCmd,
	newTemplateCmd,
	newRekeyCmd,
	newBackupCmd,
	newRestoreCmd,
	newAuditCmd,
}
