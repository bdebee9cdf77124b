package vault

import (
	"fmt"
	"path/filepath"

	"github.com/casevault/casevault/vault/internal/store"
)

// setAsideDir is the directory of the vault into which table files the
// store's MANIFEST does not name are moved before Badger opens the store
// (Badger would delete them; SECURITY.md, "Tables the MANIFEST does not
// name"). Badger never reads it, and no casevault command deletes it.
const setAsideDir = "store-unlisted"

// SetAsideNotice returns the one-line notice about the table files this
// open moved out of the store, or "" when it moved none.
func (v *Vault) SetAsideNotice() string {
	if len(v.setAside) == 0 {
		return ""
	}
	return fmt.Sprintf("table files the store's MANIFEST does not name were moved to %s instead of being deleted (%d): an interrupted compaction leaves such files, and so does someone who put them there",
		filepath.Join(v.dir, setAsideDir), len(v.setAside))
}

// SetAsideTables are the files in the vault's set-aside directory, as
// check reports them.
type SetAsideTables struct {
	Dir   string   `json:"dir"`
	Files []string `json:"files"`
}

// setAsideTables lists the set-aside directory (nil when it holds nothing).
func (v *Vault) setAsideTables() (*SetAsideTables, error) {
	dir := filepath.Join(v.dir, setAsideDir)
	names, err := store.ListSetAside(dir)
	if err != nil || len(names) == 0 {
		return nil, err
	}
	return &SetAsideTables{Dir: dir, Files: names}, nil
}
