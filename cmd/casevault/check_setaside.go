package main

import (
	"github.com/casevault/casevault/vault"
)

// printSetAside tells, on stderr, about the table files set aside because
// the store's MANIFEST does not name them (not a problem of the store:
// check's exit status does not change; --repair leaves them).
func printSetAside(g *globals, s *vault.SetAsideTables) {
	if s == nil || g.json {
		return
	}
	g.warnf("table files the store's MANIFEST does not name are set aside in %s (%d): an interrupted compaction leaves such files (they hold nothing the store lacks), and so does someone who put them there or a restore of older store files (they may hold newer records)", s.Dir, len(s.Files))
	g.infof("hint: keep the directory if the vault was restored from copied files or may have been tampered with (its files are encrypted with the keys of the store they were found in: a rekey since then leaves them unreadable); otherwise delete it by hand, after 'casevault backup': nothing in casevault reads or deletes it")
}

// warnSetAside prints the one warning line of an open that moved table
// files out of the store (vault.(*Vault).SetAsideNotice); v may be nil.
func warnSetAside(g *globals, v *vault.Vault) {
	if v == nil {
		return
	}
	if n := v.SetAsideNotice(); n != "" {
		g.warnf("%s", n)
	}
}
