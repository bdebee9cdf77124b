package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newEvidenceAddCmd(g *globals) *cobra.Command {
	var in vault.EvidenceInput
	var name, caseName string
	cmd := &cobra.Command{
		Use:   "add CASE FILE... | add --case-name NAME FILE...",
		Short: "Store files as evidence of a case",
		Long: `Store each FILE encrypted in the vault as evidence of CASE and print its
evidence ID, SHA-256 and name. The SHA-256 is of the original bytes, computed
while the file streams in; the media type is sniffed from the content. FILE -
reads standard input (give its name with --name).

Each file is stored in one step: if casevault is interrupted or the disk
fills, nothing of that file becomes visible (leftover pieces are removed by
'casevault check --repair'). A progress bar shows on a terminal for files of
8 MiB and more.`,
		Example: `  casevault evidence add c7k2m9xq4a5b6c7d8 report.pdf photo.jpg
  casevault evidence add --case-name "Ivan Petrov" report.pdf
  casevault evidence add c7k2m9xq4a5b6c7d8 video.mp4 --collected-by "A. Lawyer" \
      --collected-at 2026-03-02 --source "family" --note "visit to IK-6"
  scan | casevault evidence add c7k2m9xq4a5b6c7d8 - --name scan.pdf
  casevault evidence add c7k2m9xq4a5b6c7d8 report.pdf --note -   # type the note`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			files := args
			var ref caseRef
			var err error
			if caseName != "" {
				ref = caseRef{name: caseName}
			} else {
				if len(args) < 2 {
					return usagef("give the case's ID (or --case-name NAME) and at least one FILE")
				}
				if ref, err = parseCaseRef(args[0]); err != nil {
					return err
				}
				files = args[1:]
			}
			for _, f := range files {
				if f == "-" && len(files) > 1 {
					return usagef("standard input (-) can only be added alone")
				}
			}
			if name != "" && len(files) > 1 {
				return usagef("--name applies to a single file")
			}
			// Notes, sources and collectors on the command line show in ps
			// and the shell history: "-" reads one of them from stdin.
			used := len(files) == 1 && files[0] == "-"
			for _, fv := range []struct {
				p      *string
				prompt string
			}{{&in.Note, "note"}, {&in.Source, "source"}, {&in.CollectedBy, "collected by"}} {
				if *fv.p, err = g.stdinValue(*fv.p, fv.prompt, &used); err != nil {
					return err
				}
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			c, err := ref.resolve(v)
			if err != nil {
				return err
			}
			var added []*vault.EvidenceMeta
			for _, path := range files {
				m, err := g.addEvidenceFile(cmd, v, c, path, name, in)
				if err != nil {
					return err
				}
				added = append(added, m)
				if !g.json {
					fmt.Fprintf(g.env.stdout, "%s  %s  %s\n", m.ID, m.SHA256, plain(m.Name))
				}
			}
			if g.json {
				return g.printJSON(added)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Note, "note", "", "note about the evidence (- reads it from standard input, out of ps and shell history)")
	f.StringVar(&in.CollectedBy, "collected-by", "", "who collected the evidence (- reads it from standard input)")
	f.StringVar(&in.CollectedAt, "collected-at", "", "when the evidence was collected (e.g. 2026-03-02)")
	f.StringVar(&in.Source, "source", "", "where the evidence came from (- reads it from standard input)")
	f.StringVar(&name, "name", "", "file name to record (default: the file's base name; required for -)")
	f.StringVar(&caseName, "case-name", "", "the case whose person's name this is (matched like 'case search'; refused if several match), instead of its ID")
	return cmd
}

func (g *globals) addEvidenceFile(cmd *cobra.Command, v *vault.Vault, c vault.CaseID, path, name string, in vault.EvidenceInput) (*vault.EvidenceMeta, error) {
	var r io.Reader
	var size int64 = -1
	in.Name = name
	if path == "-" {
		if name == "" {
			return nil, usagef("give the name of the evidence read from standard input with --name")
		}
		r = g.env.stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return nil, err
		}
		if st.IsDir() {
			return nil, fmt.Errorf("%s is a directory", path)
		}
		if st.Mode().IsRegular() {
			size = st.Size()
		}
		if in.Name == "" {
			in.Name = filepath.Base(path)
		}
		r = f
	}
	bar := newProgressIfLarge(g, size, "encrypting "+plain(in.Name))
	m, err := v.AddEvidence(cmd.Context(), c, io.TeeReader(r, bar), in)
	bar.done()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
