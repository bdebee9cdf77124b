package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCaseEditCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "edit ID",
		Short: "Edit a case in $EDITOR and store the result as a new revision",
		Long: `Open the current revision in $VISUAL or $EDITOR (when neither is set: nano
where it is installed, else vi; casevault says which). The plaintext copy lives in
memory-backed storage where the system offers it (/dev/shm on Linux, mode
0600); on macOS and Windows, and where /dev/shm is missing, in a private
directory (0700, owner-only) in the user's cache directory, which casevault
says once. The copy is overwritten and removed afterwards.`,
		Example: `  EDITOR=nano casevault case edit c7k2m9xq4a5b6c7d8`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, v, err := g.caseVault(args[0], false)
			if err != nil {
				return err
			}
			defer v.Close()
			cur, err := v.Case(id)
			if err != nil {
				return err
			}
			c, err := cur.Case()
			if err != nil {
				return err
			}
			text, err := caseYAML(c)
			if err != nil {
				return err
			}
			edited, err := g.editInMemory(text)
			if err != nil {
				return err
			}
			if bytes.Equal(edited, text) {
				return g.report(map[string]any{"id": id.String(), "rev": cur.Rev, "changed": false}, "no changes; case %s stays at revision %d", id, cur.Rev)
			}
			doc, err := schema.Parse(edited)
			if err != nil {
				return err
			}
			rev, err := v.UpdateCaseWith(id, doc, vaultEditOptions())
			if err != nil {
				return err
			}
			return g.report(map[string]any{"id": id.String(), "rev": rev.Rev, "sha256": rev.SHA256}, "case %s is now at revision %d", id, rev.Rev)
		},
	}
}

// editInMemory writes text to a 0600 file in editDir, runs the editor on
// it, reads it back, overwrites it and removes it.
func (g *globals) editInMemory(text []byte) ([]byte, error) {
	dir, err := g.editDir() // per platform: edit_dir_*.go
	if err != nil {
		return nil, err
	}
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	path := filepath.Join(dir, "casevault-edit-"+hex.EncodeToString(rnd[:])+".yaml")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	defer func() {
		if st, err := os.Stat(path); err == nil {
			if w, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
				_, _ = w.Write(make([]byte, st.Size()))
				_ = w.Sync()
				w.Close()
			}
		}
		os.Remove(path)
	}()
	if _, err := f.Write(text); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	editor := g.editorCommand() // editor_default.go
	cmd := exec.Command("/bin/sh", "-c", editor+` "$1"`, "casevault-editor", path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if in, ok := g.env.stdin.(*os.File); ok {
		cmd.Stdin = in
	}
	if err := runEditor(cmd); err != nil {
		if errors.Is(err, errInterrupted) {
			return nil, err
		}
		return nil, fmt.Errorf("editor %q failed: %w (nothing was changed)", strings.Fields(editor)[0], err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errors.New("the edited file is empty; nothing was changed")
	}
	return b, nil
}

func vaultEditOptions() vault.AddOptions { return vault.AddOptions{Op: vault.OpCaseEdit} }

// runEditor runs the editor. If casevault is told to stop meanwhile (the
// terminal closes: SIGHUP; kill: SIGTERM), it passes the signal on, waits
// for the editor to go and returns errInterrupted, so that the deferred
// clean-up removes the plaintext copy instead of leaving it in /dev/shm.
func runEditor(cmd *exec.Cmd) error {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case sig := <-sigs:
		_ = cmd.Process.Signal(sig)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		return fmt.Errorf("%w by %v while the editor was open; nothing was changed", errInterrupted, sig)
	}
}
