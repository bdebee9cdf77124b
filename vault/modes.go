package vault

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// ProblemMode is the kind of problem Check reports for a file or directory
// of the vault that others than its owner may read.
const ProblemMode = "mode"

// looseModes returns the paths below dir (relative to it, dir itself as
// ".") of regular files and directories whose permissions let the group
// or others in. Links and other files are not followed or reported. On
// Windows, where permissions are ACLs, it reports nothing.
func looseModes(dir string) ([]string, error) {
	if runtime.GOOS == "windows" {
		return nil, nil
	}
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p != dir && os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		if fi.Mode().Perm()&0o077 != 0 {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out, err
}

// tightenModes removes the group and other permissions of the files and
// directories rels below dir (0600 and 0700 for what casevault makes),
// through a descriptor opened without following links.
func tightenModes(dir string, rels []string) error {
	var first error
	for _, rel := range rels {
		p := filepath.Join(dir, rel)
		fi, err := os.Lstat(p)
		if err != nil || !(fi.Mode().IsRegular() || fi.IsDir()) {
			continue
		}
		f, err := os.OpenFile(p, os.O_RDONLY|openNoFollow, 0)
		if err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		if st, err := f.Stat(); err == nil && os.SameFile(fi, st) {
			if err := f.Chmod(st.Mode().Perm() &^ 0o077); err != nil && first == nil {
				first = err
			}
		}
		f.Close()
	}
	return first
}

// tightenStore makes every file of the open store private: Badger v4.9.6
// creates its tables and logs with mode 0644 (the process umask, which the
// casevault command sets to 077, narrows that; this covers library use and
// vaults made before).
func (v *Vault) tightenStore() {
	if v.opts.ReadOnly || v.dbName == "" {
		return
	}
	p := filepath.Join(v.dir, v.dbName)
	if loose, err := looseModes(p); err == nil && len(loose) > 0 {
		_ = tightenModes(p, loose)
	}
}

// modes reports every loose file or directory of the vault.
func (ck *checker) modes() error {
	// Badger may have made tables since the open (compaction, in a
	// process without casevault's umask): an open for writing makes them
	// private first, as it does on open and close.
	ck.v.tightenStore()
	loose, err := looseModes(ck.v.dir)
	if err != nil {
		return err
	}
	for _, rel := range loose {
		if !ck.v.opts.ReadOnly && strings.HasPrefix(rel, ck.v.dbName+string(filepath.Separator)) {
			continue // made since tightenStore; Close makes it private
		}
		fi, err := os.Lstat(filepath.Join(ck.v.dir, rel))
		if err != nil {
			continue
		}
		ck.problem(CheckProblem{Kind: ProblemMode, Message: rel + " can be read by other users (mode " + fi.Mode().Perm().String() + ")", Repairable: true})
		ck.chmods = append(ck.chmods, rel)
	}
	return nil
}
