package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

type importOptions struct {
	file        string
	format      string
	dryRun      bool
	skipInvalid bool
	delimiter   string
	encoding    string
}

func newImportCmd(g *globals) *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import -f FILE [--format csv|jsonl|yaml] [--dry-run]",
		Short: "Add many cases at once from a CSV, JSON-lines or YAML file",
		Long: `Import many cases in one go. Every record is validated first; the problems
of invalid records are listed on stderr (line, field, reason; the first
10,000, the rest counted). If any
record is invalid nothing is imported, unless --skip-invalid is given.
--dry-run only validates and needs no vault.

The cases are then added in batches; each batch is one transaction, so an
interrupted or failed import leaves every batch either fully in or fully out
(the summary says how many cases went in). Each case gets its own audit entry
(case.import).

Importing the same file again adds no duplicates: a record whose
external_id, or else whose name, birth date and first charge, match a case
of an earlier import (or one added by hand) updates that case as a new
revision (its fields written over the case's; in CSV a column of the
header left empty in the row removes the field, while a field whose column
the sheet lacks is kept; a JSON or YAML record's absent field is kept),
or is skipped when unchanged. A record whose external_id matches the case
of another person (a different name, or a different birth date) is refused
as a conflict and that case left as it is; the other records are imported
and the command exits 6. The summary says how many records were added,
updated, unchanged, rejected and refused as conflicts. Articles are stored normalised (ст. 207.3
ч. 2 УК РФ becomes code RU-CC, article 207.3(2)); the text as written stays in
charges[].article_original.

Formats (default from the file name's extension):
  jsonl  one case document (as for 'case add') per line
  yaml   case documents separated by lines "---"
  csv    one case a row; the header names the columns (see the README for the
         mapping); repeated values are separated by "|". The delimiter (",", ";"
         as Excel saves in Russian and many European locales, or tab), a UTF-8
         byte order mark and the Windows-1251 encoding are detected, and the
         summary says which were used; --delimiter and --encoding override.`,
		Example: `  casevault import -f cases.csv --dry-run
  casevault import -f cases.csv
  casevault import -f export.jsonl --format jsonl --skip-invalid
  casevault import -f excel.csv --delimiter ';' --encoding windows-1251`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "file"); err != nil {
				return err
			}
			return runImport(cmd, g, o)
		},
	}
	cmd.Flags().StringVarP(&o.file, "file", "f", "", "import file (required)")
	cmd.Flags().StringVar(&o.format, "format", "", "csv, jsonl or yaml (default from the file extension)")
	cmd.Flags().BoolVar(&o.dryRun, "dry-run", false, "validate only; import nothing")
	cmd.Flags().BoolVar(&o.skipInvalid, "skip-invalid", false, "import the valid records even if some are invalid")
	cmd.Flags().StringVar(&o.delimiter, "delimiter", "", "CSV delimiter: ',', ';' or tab (default: detected from the header row)")
	cmd.Flags().StringVar(&o.encoding, "encoding", "", "CSV encoding: utf-8 or windows-1251 (default: detected)")
	return cmd
}

func importFormat(file, format string) (string, error) {
	if format == "" {
		switch strings.ToLower(filepath.Ext(file)) {
		case ".csv":
			format = vault.FormatCSV
		case ".jsonl", ".ndjson":
			format = vault.FormatJSONL
		case ".yaml", ".yml":
			format = vault.FormatYAML
		default:
			return "", usagef("cannot tell the format of %s from its name: give --format csv, jsonl or yaml", file)
		}
	}
	switch format {
	case vault.FormatCSV, vault.FormatJSONL, vault.FormatYAML:
		return format, nil
	}
	return "", usagef("unknown --format %q: use csv, jsonl or yaml", format)
}

func runImport(cmd *cobra.Command, g *globals, o importOptions) error {
	format, err := importFormat(o.file, o.format)
	if err != nil {
		return err
	}
	if o.file == "-" {
		return usagef("import reads its file twice (check, then import): give a file name, not -")
	}
	prog := g.newImportProgress()
	defer prog.finish()
	opts := vault.ImportOptions{Format: format, SkipInvalid: o.skipInvalid, Progress: prog.update}
	if opts.Dialect, err = importDialect(format, o); err != nil {
		return err
	}
	var rep *vault.ImportReport
	if o.dryRun {
		rep, err = vault.CheckImportFile(o.file, opts)
	} else {
		defer steerMemory(importMemoryLimit, importRSSBudget)()
		var v *vault.Vault
		v, err = g.openVaultForImport()
		if err != nil {
			return err
		}
		defer v.Close()
		rep, err = v.Import(cmd.Context(), o.file, opts)
	}
	prog.finish()
	if rep != nil {
		g.reportImport(rep, o)
	}
	if err != nil {
		if errors.Is(err, cmd.Context().Err()) && cmd.Context().Err() != nil {
			return fmt.Errorf("%w: %d cases were imported before the interruption (each batch fully in or out)", errInterrupted, rep.Imported)
		}
		if errors.Is(err, vault.ErrImportConflicts) {
			return fmt.Errorf("%w: %d record(s) refused, the other %d imported", err, rep.Conflicts, rep.Imported)
		}
		if rep != nil && rep.Imported > 0 {
			return fmt.Errorf("%w (%d cases were imported in %d complete batches before the error)", err, rep.Imported, rep.Batches)
		}
		return err
	}
	if o.dryRun && rep.Invalid > 0 {
		return vault.ErrImportInvalid
	}
	return nil
}

// reportImport prints the rejected records on stderr and the summary (or
// the whole report as JSON on stdout).
func (g *globals) reportImport(rep *vault.ImportReport, o importOptions) {
	if g.json {
		_ = g.printJSON(rep)
		return
	}
	if rep.CSV != nil {
		g.infof("read %s as CSV with %s", o.file, rep.CSV)
	}
	for _, e := range rep.Rejected {
		fmt.Fprintf(g.env.stderr, "casevault: %s: %s\n", o.file, g.tr(fmt.Sprint(e)))
	}
	if rep.Omitted > 0 {
		fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("casevault: %s: %d more problems not listed (the first %d are)", o.file, rep.Omitted, len(rep.Rejected))))
	}
	switch {
	case o.dryRun:
		g.infof("%d records: %d valid, %d invalid (dry run: nothing imported)", rep.Records, rep.Valid, rep.Invalid)
	case rep.Invalid > 0 && !o.skipInvalid:
		g.infof("%d records: %d valid, %d invalid", rep.Records, rep.Valid, rep.Invalid)
	default:
		g.infof("imported %d of %d records in %d transactions: %d added, %d updated, %d unchanged, %d rejected, %d conflicts", rep.Imported, rep.Records, rep.Batches, rep.Added, rep.Updated, rep.Unchanged, rep.Invalid, rep.Conflicts)
	}
}

// importDialect is the CSV dialect --delimiter and --encoding give (the
// rest is detected).
func importDialect(format string, o importOptions) (vault.CSVDialect, error) {
	var d vault.CSVDialect
	if format != vault.FormatCSV {
		if o.delimiter != "" || o.encoding != "" {
			return d, usagef("--delimiter and --encoding apply to CSV files only")
		}
		return d, nil
	}
	var err error
	if o.delimiter != "" {
		if d.Delimiter, err = vault.ParseCSVDelimiter(o.delimiter); err != nil {
			return d, usagef("--delimiter: %v", err)
		}
	}
	if o.encoding != "" {
		if d.Encoding, err = vault.ParseCSVEncoding(o.encoding); err != nil {
			return d, usagef("--encoding: %v", err)
		}
	}
	return d, nil
}

// openVaultForImport is openVault with the store's options for a large
// import's writes (vault.Options.BulkWrite).
func (g *globals) openVaultForImport() (*vault.Vault, error) {
	return g.openVaultWith(func(o *vault.Options) { o.BulkWrite = true })
}
