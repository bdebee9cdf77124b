// Command pack makes casevault's release files reproducibly: tar.gz and
// zip archives whose entries carry one fixed time and owner, and the
// Debian package (with nfpm). It is a separate module so that the
// packaging library stays out of casevault's own dependencies.
//
//	pack archive OUT.tar.gz|OUT.zip EPOCH PREFIX FILE...   (FILE as src=dst)
//	pack deb OUT.deb EPOCH VERSION ARCH BINARY MANDIR COMPLETIONDIR
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb"
	"github.com/goreleaser/nfpm/v2/files"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "pack:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 3 {
		return fmt.Errorf("usage: pack archive|deb OUT EPOCH ...")
	}
	sec, err := strconv.ParseInt(args[2], 10, 64)
	if err != nil {
		return fmt.Errorf("epoch %q: %w", args[2], err)
	}
	mtime := time.Unix(sec, 0).UTC()
	switch args[0] {
	case "archive":
		if len(args) < 5 {
			return fmt.Errorf("usage: pack archive OUT EPOCH PREFIX SRC=DST...")
		}
		return archive(args[1], mtime, args[3], args[4:])
	case "deb":
		if len(args) != 8 {
			return fmt.Errorf("usage: pack deb OUT EPOCH VERSION ARCH BINARY MANDIR COMPLETIONDIR")
		}
		return deb(args[1], mtime, args[3], args[4], args[5], args[6], args[7])
	}
	return fmt.Errorf("unknown command %q", args[0])
}

type entry struct{ src, dst string }

func archive(out string, mtime time.Time, prefix string, specs []string) error {
	var es []entry
	for _, s := range specs {
		src, dst, ok := strings.Cut(s, "=")
		if !ok {
			dst = filepath.Base(src)
		}
		es = append(es, entry{src, prefix + "/" + dst})
	}
	sort.Slice(es, func(i, j int) bool { return es[i].dst < es[j].dst })
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	if strings.HasSuffix(out, ".zip") {
		zw := zip.NewWriter(f)
		for _, e := range es {
			b, err := os.ReadFile(e.src)
			if err != nil {
				return err
			}
			h := &zip.FileHeader{Name: e.dst, Method: zip.Deflate, Modified: mtime}
			h.SetMode(mode(e.dst))
			w, err := zw.CreateHeader(h)
			if err != nil {
				return err
			}
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		if err := zw.Close(); err != nil {
			return err
		}
		return f.Close()
	}
	gz, _ := gzip.NewWriterLevel(f, gzip.BestCompression) // no name, no time in the header
	tw := tar.NewWriter(gz)
	for _, e := range es {
		b, err := os.ReadFile(e.src)
		if err != nil {
			return err
		}
		h := &tar.Header{Name: e.dst, Mode: int64(mode(e.dst)), Size: int64(len(b)), ModTime: mtime,
			Typeflag: tar.TypeReg, Uname: "root", Gname: "root", Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(b); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return f.Close()
}

// mode is 0755 for the program, 0644 for everything else.
func mode(name string) os.FileMode {
	if b := filepath.Base(name); b == "casevault" || b == "casevault.exe" {
		return 0o755
	}
	return 0o644
}

func deb(out string, mtime time.Time, version, arch, bin, manDir, complDir string) error {
	var contents files.Contents
	add := func(src, dst string, m os.FileMode) {
		contents = append(contents, &files.Content{Source: src, Destination: dst,
			FileInfo: &files.ContentFileInfo{Mode: m, MTime: mtime, Owner: "root", Group: "root"}})
	}
	add(bin, "/usr/bin/casevault", 0o755)
	pages, err := filepath.Glob(filepath.Join(manDir, "*.1"))
	if err != nil || len(pages) == 0 {
		return fmt.Errorf("no manual pages in %s", manDir)
	}
	sort.Strings(pages)
	for _, p := range pages {
		add(p, "/usr/share/man/man1/"+filepath.Base(p), 0o644)
	}
	add(filepath.Join(complDir, "casevault.bash"), "/usr/share/bash-completion/completions/casevault", 0o644)
	add(filepath.Join(complDir, "casevault.zsh"), "/usr/share/zsh/vendor-completions/_casevault", 0o644)
	add(filepath.Join(complDir, "casevault.fish"), "/usr/share/fish/vendor_completions.d/casevault.fish", 0o644)
	info := nfpm.WithDefaults(&nfpm.Info{
		Name:        "casevault",
		Arch:        arch,
		Platform:    "linux",
		Version:     strings.TrimPrefix(version, "v"),
		Section:     "utils",
		Priority:    "optional",
		Maintainer:  "The casevault Authors <casevault@invalid>",
		Description: "Encrypted vault for documenting the cases of political prisoners",
		Homepage:    "https://github.com/casevault/casevault",
		License:     "BSD-3-Clause",
		MTime:       mtime,
		Overridables: nfpm.Overridables{
			Contents: contents,
		},
	})
	if err := nfpm.PrepareForPackager(info, "deb"); err != nil {
		return err
	}
	p, err := nfpm.Get("deb")
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := p.Package(info, f); err != nil {
		return err
	}
	return f.Close()
}
