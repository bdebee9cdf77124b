package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/casevault/casevault/vault/atomicfile"

	"github.com/spf13/cobra"
)

func newEvidenceGetCmd(g *globals) *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "get EVID -o FILE",
		Short: "Write an evidence file out of the vault, verified",
		Long: `Decrypt an evidence file to FILE, verifying every chunk as it streams and
its SHA-256 at the end. The content goes to a temporary file beside FILE that
is renamed to FILE only once everything has verified: when verification fails
no FILE is left behind. An existing FILE is replaced only with --force.

With -o - the content goes to standard output, which must not be a terminal;
there, if verification fails part-way, the bytes already written are
authentic but incomplete, and casevault exits with status 8.

Every get is recorded in the audit log (evidence.get) before any byte is
written.`,
		Example: `  casevault evidence get e3xq4a5b6c7dak2mz -o report.pdf
  casevault evidence get e3xq4a5b6c7dak2mz -o - | sha256sum`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := parseEvidenceRef(args[0])
			if err != nil {
				return err
			}
			if out == "" {
				return usagef("no output: use -o FILE (or -o - for standard output)")
			}
			if out == "-" && g.env.stdoutIsTerminal() {
				return withCode(errors.New("refusing to write evidence to a terminal"), exitUsage,
					"use -o FILE, or redirect standard output: -o - > FILE")
			}
			if out != "-" && !force {
				if _, err := os.Lstat(out); err == nil {
					return withCode(fmt.Errorf("%s already exists", out), exitUsage, "choose another file, or replace it with --force")
				}
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			e, err := ref.resolve(v)
			if err != nil {
				return err
			}
			m, err := v.Evidence(e)
			if err != nil {
				return err
			}
			bar := newProgressIfLarge(g, m.Size, "decrypting "+plain(m.Name))
			defer bar.done()
			if out == "-" {
				bw := bufio.NewWriterSize(g.env.stdout, 256<<10)
				if _, err := v.ReadEvidence(cmd.Context(), e, io.MultiWriter(bw, bar)); err != nil {
					return err
				}
				return bw.Flush()
			}
			// SIGTERM or SIGHUP (a closed terminal) would otherwise end the
			// process with the partial plaintext left in the temporary file.
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGTERM, syscall.SIGHUP)
			defer stop()
			// The file is created on the first byte, preallocated, synced
			// and put in place only once everything has verified; without
			// --force it never replaces a file, even one made meanwhile.
			lf, err := atomicfile.Create(out, atomicfile.Options{Lazy: true, NoClobber: !force, Sync: true,
				SizeHint: m.Size, TempPrefix: "." + filepath.Base(out) + ".tmp-"})
			if err != nil {
				return err
			}
			_, err = v.ReadEvidence(ctx, e, io.MultiWriter(lf, bar))
			if err != nil {
				lf.Abort()
				return err
			}
			if err := lf.Commit(); err != nil {
				if errors.Is(err, fs.ErrExist) {
					return withCode(fmt.Errorf("%s already exists", out), exitUsage, "choose another file, or replace it with --force")
				}
				return fmt.Errorf("writing %s: %w", out, err)
			}
			bar.done()
			g.infof("wrote %s (%d bytes, sha256 %s verified)", out, m.Size, m.SHA256)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "file to write (- for standard output)")
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing output file")
	return cmd
}
