package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/casevault/casevault/vault/atomicfile"

	"github.com/spf13/cobra"
)

func newAuditCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Show, verify and witness the tamper-evident audit log",
		Long: `Every change to the vault and every operation that lets data out appends a
signed entry to a hash chain (sequence number, time, actor, operation, target
IDs, SHA-256 of the content, hash of the previous entry, Ed25519 signature of
the organisation). 'audit verify' checks the chain; partners who received our
bundles hold our audit heads and can export them with 'audit witness', so that
'audit verify --witness FILE' detects a history rewritten even by someone who
holds our keys.`,
		Example: `  casevault audit log --case c7k2m9xq4a5b6c7d8
  casevault audit verify
  casevault audit head --json`,
	}
	for _, add := range []func(*globals) *cobra.Command{
		newAuditLogCmd, newAuditVerifyCmd, newAuditHeadCmd, newAuditWitnessCmd,
	} {
		cmd.AddCommand(add(g))
	}
	return cmd
}

// parseSince parses --since: a date (YYYY-MM-DD, midnight UTC) or an RFC
// 3339 time.
func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, usagef("--since %q: want a date YYYY-MM-DD or a time such as 2026-11-20T14:00:00Z", s)
}

// writeNewFile writes data to path, which must not exist yet: through a
// temporary file in the same directory (0600, O_EXCL), synced and linked
// into place (vault/atomicfile), so a failure leaves nothing and an earlier
// file is never replaced.
func writeNewFile(path string, data []byte) error {
	if err := checkNewFile(path); err != nil {
		return err
	}
	err := atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}, atomicfile.Options{NoClobber: true, Sync: true})
	return newFileError(path, err)
}

// newFileError turns the refusal of a file that appeared since
// checkNewFile into the same usage error.
func newFileError(path string, err error) error {
	if errors.Is(err, fs.ErrExist) {
		return usagef("%s already exists: choose another name or remove it first", path)
	}
	return err
}

// checkNewFile refuses an output path that already exists, before any work
// is done.
func checkNewFile(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return usagef("%s already exists: choose another name or remove it first", path)
	}
	return nil
}

// shortTargets prints at most three targets and a count of the rest.
func shortTargets(ts []string) string {
	if len(ts) == 0 {
		return "-"
	}
	safe := make([]string, 0, min(len(ts), 3))
	for _, t := range ts[:min(len(ts), 3)] {
		safe = append(safe, plain(t)) // organisation names come from cards
	}
	if len(ts) <= 3 {
		return strings.Join(safe, ",")
	}
	return fmt.Sprintf("%s,… (+%d)", strings.Join(safe, ","), len(ts)-3)
}
