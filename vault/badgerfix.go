package vault

import (
	"os"
	"path/filepath"
	"strings"
)

// removeEmptyLogs deletes zero-length memtable (.mem) and value log (.vlog)
// files from a store directory before Badger opens it. A process killed
// between creating such a file and writing its header leaves it empty, and
// Badger v4.9.6 then refuses to open the store (it returns z.NewFile, "Create
// a new file": dgraph-io/badger issue 2207). An empty log holds no entries,
// so removing it loses nothing. Found by TestCrashKill.
func removeEmptyLogs(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	for _, e := range ents {
		n := e.Name()
		if !e.Type().IsRegular() || !(strings.HasSuffix(n, ".mem") || strings.HasSuffix(n, ".vlog")) {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.Size() == 0 {
			if err := os.Remove(filepath.Join(dir, n)); err != nil {
				return err
			}
		}
	}
	return nil
}
