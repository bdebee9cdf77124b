package main

import (
	"fmt"

	"github.com/casevault/casevault/vault"
)

// printCompact prints what 'sync --compact' did: JSON on stdout with
// --json, else a summary on stderr.
func printCompact(g *globals, rep *vault.CompactReport, err error) error {
	if rep == nil {
		return err
	}
	if g.json {
		if perr := g.printJSON(rep); perr != nil {
			return perr
		}
		return err
	}
	if s := rep.Sync; s != nil {
		fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("sync with %s: %d cases uploaded (%d packs, %d files), %d cases changed here, %d evidence items received",
			plain(s.Remote), s.CasesUp, s.PacksUp, s.BlobsUp, s.CasesDown, s.EvidenceDown)))
		for _, c := range s.Removed {
			fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("removed: case %s was removed on another copy; removed here too", c)))
		}
		for _, o := range s.Refused {
			fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("refused: object %s", plain(o))))
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("compacted %s: %d packs read (%d bytes), %d written (%d bytes), %d deleted (%d bytes); records of %d removed cases left out",
		plain(rep.Remote), rep.PacksRead, rep.BytesRead, rep.PacksWritten, rep.BytesWritten, rep.PacksDeleted, rep.BytesDeleted, len(rep.CasesLeftOut))))
	return nil
}
