package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
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
	var caseName string
	var form, accessible bool
	cmd := &cobra.Command{
		Use:   "edit ID|--name NAME [--form]",
		Short: "Edit a case in $EDITOR and store the result as a new revision",
		Long: `Open the current revision in $VISUAL or $EDITOR (when neither is set: nano
where it is installed, else vi; casevault says which). The plaintext copy lives in
memory-backed storage where the system offers it (/dev/shm on Linux, mode
0600); on macOS and Windows, and where /dev/shm is missing, in a private
directory (0700, owner-only) in the user's cache directory, which casevault
says once. The copy is overwritten and removed afterwards, also when
casevault is interrupted.

When the saved file has a mistake (YAML it cannot read, a field the case
model refuses), the editor opens again on the same text with the mistakes
listed in '#' lines at the top, until the file is right. To cancel, empty
the file, or quit without saving: nothing is stored, and casevault says so
(after a mistake, with the mistake, exit code 6). If the case changes while
the file is open, casevault shows what would be undone the same way, and
saving again stores your version over it. An editor that exits with an
error after saving (vim ':w' then ':cq') does not lose the text: when the
file changed, casevault says so and uses it; when it did not, nothing is
stored. If the editor leaves a link or anything but a regular file in
place of the copy, nothing is stored and the name is removed (never what
it points to).

The first line of the file ('# casevault: case ID revision N') names the
revision it was made from; keep it when saving a copy for 'case update'.

With --form, the case is changed in the form of 'case new' instead of an
editor, each field filled in with its current value, and no plaintext copy
is written anywhere. ` + formHelp,
		Example: `  EDITOR=nano casevault case edit c7k2m9xq4a5b6c7d8
  casevault case edit --form c7k2m9xq4a5b6c7d8`,
		Args: caseIDOrName,
		RunE: func(cmd *cobra.Command, args []string) error {
			acc := false
			if form {
				var err error
				if acc, err = g.formMode(accessible); err != nil {
					return err
				}
			}
			id, v, err := g.caseVaultBy(args, caseName, false)
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
			if form {
				return g.editCaseForm(cmd, v, id, cur.Rev, c, acc) // case_new.go
			}
			y, err := caseYAML(c)
			if err != nil {
				return err
			}
			base := cur.Rev
			text := append([]byte(vault.CaseBaseLine(vault.CaseBase{Case: id.String(), Rev: base}, "opened by 'case edit'")+"\n"), y...)
			var stored *vault.Revision
			same := false
			outcome, problem, err := g.editLoop(text, func(edited []byte) error {
				doc, err := schema.Parse(edited)
				if err != nil {
					return err
				}
				b := base
				rev, changed, err := v.UpdateCaseIfChanged(id, doc, vault.AddOptions{Op: vault.OpCaseEdit, Base: &b})
				same = err == nil && !changed
				var se *vault.StaleError
				if errors.As(err, &se) {
					// Shown to the user; saving again stores over it.
					base = se.Current
				}
				stored = rev
				return err
			})
			if err != nil {
				return err
			}
			switch outcome {
			case editStored:
				if same {
					// Saved with changes that mean nothing to the case
					// (comments, spacing, order of fields).
					return g.report(map[string]any{"id": id.String(), "rev": stored.Rev, "changed": false}, "case %s unchanged: the saved file holds what revision %d holds; nothing stored", id, stored.Rev)
				}
				return g.report(map[string]any{"id": id.String(), "rev": stored.Rev, "sha256": stored.SHA256}, "case %s is now at revision %d", id, stored.Rev)
			case editUnchanged:
				return g.report(map[string]any{"id": id.String(), "rev": base, "changed": false}, "no changes; case %s stays at revision %d", id, base)
			case editEmptied:
				return g.report(map[string]any{"id": id.String(), "rev": base, "changed": false, "cancelled": "emptied"},
					"edit cancelled (the file was emptied): nothing was stored; case %s stays at revision %d", id, base)
			}
			var se *vault.StaleError
			if errors.As(problem, &se) {
				return fmt.Errorf("%w\nedit cancelled: your version was not stored (the file was closed unchanged after the conflict); case %s stays at revision %d", problem, id, base)
			}
			return fmt.Errorf("%w\nedit cancelled: the file still had this mistake when it was closed unchanged, so nothing was stored; case %s stays at revision %d", problem, id, base)
		},
	}
	addCaseNameFlag(cmd, &caseName)
	cmd.Flags().BoolVar(&form, "form", false, "change the case in the form of 'case new' instead of an editor")
	cmd.Flags().BoolVar(&accessible, "accessible", false, "with --form: ask one question per line (also: ACCESSIBLE set)")
	return cmd
}

// editOutcome is how an edit ended without an error.
type editOutcome int

const (
	editStored    editOutcome = iota // store accepted the text
	editUnchanged                    // the file was closed as it was opened
	editEmptied                      // the user emptied the file: cancelled
	editCancelled                    // closed unchanged after a mistake: the mistake is returned
)

// editRetryable reports whether err is a mistake in the edited text that
// the user can correct in the editor: the file is shown again with it.
func editRetryable(err error) bool {
	var ve *schema.ValidationError
	var ver *schema.VersionError
	var se *vault.StaleError
	return errors.Is(err, schema.ErrSyntax) || errors.Is(err, schema.ErrNotUTF8) || errors.Is(err, schema.ErrTooLarge) ||
		errors.As(err, &ve) || errors.As(err, &ver) || errors.As(err, &se)
}

// editLoop puts text in a 0600 file in editDir and runs the editor on it
// until store accepts what the user saved (editStored), the user closes
// the file unchanged (editUnchanged; editCancelled with the mistake after
// one was shown) or empties it (editEmptied). A mistake store returns
// (editRetryable) opens the editor again on the saved text, with the
// mistake written as '#' lines at the top; those lines are replaced each
// round and taken away before store sees the text. The file is
// overwritten and removed, without following a link, however the loop
// ends: also on SIGINT, SIGTERM and SIGHUP, which are held off while it
// runs (the editor gets them; casevault then cleans up and reports
// errInterrupted).
func (g *globals) editLoop(text []byte, store func(edited []byte) error) (editOutcome, error, error) {
	dir, err := g.editDir() // per platform: edit_dir_*.go
	if err != nil {
		return 0, nil, err
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGHUP, syscall.SIGTERM)
	defer signal.Stop(sigs)
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	path := filepath.Join(dir, "casevault-edit-"+hex.EncodeToString(rnd[:])+".yaml")
	defer func() {
		if err := removeEditFile(path); err != nil {
			g.warnf("the plaintext copy %s could not be removed: %v", path, err)
		}
	}()
	editor := g.editorCommand() // editor_default.go
	body := text
	var problem error
	for round := 1; ; round++ {
		if round > maxEditRounds {
			// An editor run by a script that keeps saving a mistake
			// would otherwise loop for ever.
			g.warnf("the editor was opened %d times and the file still has a mistake: giving up", maxEditRounds)
			return editCancelled, problem, nil
		}
		if err := writeEditFile(path, append(problemBlock(problem), body...)); err != nil {
			return 0, nil, err
		}
		before, _ := os.Lstat(path)
		cmd := exec.Command("/bin/sh", "-c", editor+` "$1"`, "casevault-editor", path)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		if in, ok := g.env.stdin.(*os.File); ok {
			cmd.Stdin = in
		}
		// An editor that exits non-zero after saving (vim ':w' then ':cq',
		// a crash on the way out) still saved the user's text: it is used
		// when the file changed, and only an unchanged file cancels.
		runErr := runEditor(cmd, sigs)
		var exitErr *exec.ExitError
		if runErr != nil && (errors.Is(runErr, errInterrupted) || !errors.As(runErr, &exitErr)) {
			if errors.Is(runErr, errInterrupted) {
				return 0, nil, runErr
			}
			return 0, nil, fmt.Errorf("editor %q failed: %w (nothing was stored)", strings.Fields(editor)[0], runErr)
		}
		saved, err := readEditFile(path)
		if err != nil {
			return 0, nil, err
		}
		after, _ := os.Lstat(path)
		edited := stripProblemBlock(saved)
		var stale *vault.StaleError
		resaved := errors.As(problem, &stale) && before != nil && after != nil && !after.ModTime().Equal(before.ModTime())
		changed := !bytes.Equal(edited, body) || resaved
		if runErr != nil {
			if !changed || onlyComments(edited) {
				return 0, nil, fmt.Errorf("editor %q failed: %w (the file was not changed; nothing was stored)", strings.Fields(editor)[0], runErr)
			}
			status := exitErr.ProcessState.String()
			if code := exitErr.ExitCode(); code >= 0 {
				status = fmt.Sprintf("status %d", code)
			}
			g.warnf("the editor exited with %s, but the file was changed: the changes are being used", status)
		}
		if onlyComments(edited) {
			return editEmptied, nil, nil
		}
		if !changed {
			if problem == nil {
				return editUnchanged, nil, nil
			}
			return editCancelled, problem, nil
		}
		body = edited
		err = store(body)
		if err == nil {
			return editStored, nil, nil
		}
		if !editRetryable(err) {
			return 0, nil, err
		}
		problem = err
		if errors.As(err, &stale) {
			body = replaceBaseLine(body, vault.CaseBase{Case: stale.Case, Rev: stale.Current})
		}
	}
}

// maxEditRounds is how often case edit reopens the editor on a mistake
// before it gives up (nothing stored).
const maxEditRounds = 50

// writeEditFile puts data in a new 0600 file at path, after overwriting
// and removing what the editor left there (never through a link).
func writeEditFile(path string, data []byte) error {
	if err := vault.ShredFile(path); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// removeEditFile overwrites and removes the plaintext copy at path. When
// the editor left something else under its name (a symbolic link, a FIFO),
// the name itself is removed: the link, never what it points to.
func removeEditFile(path string) error {
	err := vault.ShredFile(path)
	if err == nil {
		return nil
	}
	if fi, lerr := os.Lstat(path); lerr == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return os.Remove(path) // unlinks the name; a link is not followed
	}
	return err
}

// readEditFile reads what the editor saved, refusing anything but a
// regular file and reading no more than a case file may hold (and the
// lines casevault added).
func readEditFile(path string) ([]byte, error) {
	st, err := os.Lstat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil // removed by the editor: as emptied
		}
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is no longer a regular file (%v): nothing was stored", path, st.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, schema.MaxCaseFileSize+1<<16))
}

// The lines casevault writes above the text after a mistake: they start
// with problemHead and end with problemEnd, and are taken away again
// before the text is read.
const (
	problemHead = "# casevault: NOT STORED YET, for this reason:"
	problemEnd  = "# casevault: end of messages (these lines are removed when the file is read)"
)

var problemFoot = []string{
	"# Correct the file and save it to try again. To cancel, empty the file",
	"# (or quit without saving): nothing is stored then.",
}

// problemBlock returns the lines that show problem at the top of the file,
// or nothing for no problem. Line numbers in syntax errors count from the
// top of the file as the user sees it, these lines included.
func problemBlock(problem error) []byte {
	if problem == nil {
		return nil
	}
	var lines []string
	var syn *schema.SyntaxError
	var ve *schema.ValidationError
	var se *vault.StaleError
	syntaxAt := -1
	switch {
	case errors.As(problem, &se):
		lines = append(lines, se.Error()+":")
		for _, c := range se.Undone {
			lines = append(lines, "  "+changeLine(c, "now", "in this file"))
		}
		lines = append(lines, "Saving the file as it is stores your version (undoing the changes above);",
			"to keep them, take them into the text first. 'casevault case diff "+se.Case+"' shows them later.")
	case errors.As(problem, &syn):
		syntaxAt = len(lines)
		lines = append(lines, "")
	case errors.As(problem, &ve):
		lines = append(lines, "the case file does not match the case model:")
		for _, p := range ve.Problems {
			lines = append(lines, "  "+p.String())
		}
	default:
		lines = append(lines, strings.Split(problem.Error(), "\n")...)
	}
	n := 1 + len(lines) + len(problemFoot) + 1 // the block's own lines
	if syntaxAt >= 0 {
		where := fmt.Sprintf("line %d", syn.Line+n)
		if syn.Column > 0 {
			where += fmt.Sprintf(", column %d", syn.Column)
		}
		lines[syntaxAt] = "the file is not valid YAML at " + where + ": " + strings.Join(strings.Fields(syn.Message), " ")
	}
	var b strings.Builder
	b.WriteString(problemHead + "\n")
	for _, l := range lines {
		// one comment line each: a line break in a message would end the comment
		for _, part := range strings.Split(l, "\n") {
			b.WriteString("#   " + plain(strings.TrimRight(part, "\r")) + "\n")
		}
	}
	for _, l := range problemFoot {
		b.WriteString(l + "\n")
	}
	b.WriteString(problemEnd + "\n")
	return []byte(b.String())
}

// stripProblemBlock takes away the lines problemBlock added, when the file
// still starts with them.
func stripProblemBlock(b []byte) []byte {
	rest := b
	line, rest, ok := bytes.Cut(rest, []byte("\n"))
	if !ok || string(bytes.TrimRight(line, "\r")) != problemHead {
		return b
	}
	for len(rest) > 0 {
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		if string(bytes.TrimRight(line, "\r")) == problemEnd {
			return rest
		}
	}
	return b // the end line was removed: leave the comments, they are harmless
}

// onlyComments reports whether b holds nothing but blank and '#' lines.
func onlyComments(b []byte) bool {
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(l, "\ufeff"))
		if l != "" && !strings.HasPrefix(l, "#") {
			return false
		}
	}
	return true
}

// replaceBaseLine changes the base marker line at the top of text to b,
// or adds one.
func replaceBaseLine(text []byte, b vault.CaseBase) []byte {
	line := vault.CaseBaseLine(b, "after a conflict in 'case edit'")
	lines := strings.SplitAfter(string(text), "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t != "" && !strings.HasPrefix(t, "#") {
			break
		}
		if _, ok := vault.ParseCaseBase([]byte(l)); ok {
			lines[i] = line + "\n"
			return []byte(strings.Join(lines, ""))
		}
	}
	return append([]byte(line+"\n"), text...)
}

// runEditor runs the editor. If casevault is told to stop meanwhile
// (Ctrl-C: SIGINT; the terminal closes: SIGHUP; kill: SIGTERM), it passes
// the signal on, waits for the editor to go and returns errInterrupted,
// so that the caller's clean-up removes the plaintext copy instead of
// leaving it in /dev/shm. sigs receives those signals (the caller holds
// them off for as long as the copy exists).
func runEditor(cmd *exec.Cmd, sigs chan os.Signal) error {
	select {
	case sig := <-sigs:
		return fmt.Errorf("%w by %v before the editor was opened; nothing was stored", errInterrupted, sig)
	default:
	}
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
