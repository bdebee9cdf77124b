package main

import (
	"fmt"
	"io"
	"os"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCaseCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "case",
		Short: "Add, show, list, search, change and remove case files",
		Example: `  casevault case add -f case.yaml
  casevault case show c7k2m9xq4a5b6c7d8
  casevault case list --status pretrial --json`,
	}
	for _, add := range []func(*globals) *cobra.Command{
		newCaseAddCmd, newCaseShowCmd, newCaseListCmd, newCaseUpdateCmd, newCaseEditCmd,
		newCaseHistoryCmd, newCaseSearchCmd, newCaseRmCmd, newCasePurgeCmd,
		newCaseQuarantineCmd, newCaseReleaseCmd,
		newCaseDiffCmd,
		newCaseResolveCmd,
		newCaseNewCmd,
	} {
		cmd.AddCommand(add(g))
	}
	return cmd
}

// readCaseFile reads and validates a case file (YAML or JSON) from path, or
// from stdin for "-".
func (g *globals) readCaseFile(path string) (*schema.Case, error) {
	_, c, _, err := g.readCaseFileData(path)
	return c, err
}

// readCaseFileData is readCaseFile that also returns the file's bytes and
// its name for messages.
func (g *globals) readCaseFileData(path string) ([]byte, *schema.Case, string, error) {
	if path == "" {
		return nil, nil, "", usagef("no case file: use -f FILE (or -f - for standard input)")
	}
	var r io.Reader
	name := path
	if path == "-" {
		r, name = g.env.stdin, "standard input"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, name, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, schema.MaxCaseFileSize+1))
	if err != nil {
		return nil, nil, name, fmt.Errorf("%s: %w", name, err)
	}
	c, err := schema.Parse(data)
	if err != nil {
		return nil, nil, name, fmt.Errorf("%s: %w", name, err)
	}
	return data, c, name, nil
}

// parseCaseArg parses a whole case ID only; commands that take a case use
// caseRef (idargs.go), which also accepts a unique prefix and --name.
func parseCaseArg(s string) (vault.CaseID, error) { return vault.ParseCaseID(s) }
