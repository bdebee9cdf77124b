package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

// formHelp is the part of the help of 'case new' and 'case edit --form'
// that says how the form works.
const formHelp = `The form asks for the case field by field, in the order of the case model:
the person, charges (with a picker of the Criminal Code and Code of
Administrative Offences articles most used against political prisoners),
periods of detention and their conditions, incidents of mistreatment with
evidence files to attach, the court proceedings, the status, notes and
consent to publication. Each field shows its sensitivity level in brackets
([public], [restricted], [confidential]) and is checked as you type, with
the messages 'case add' gives for a case file. Lists of free values (aliases,
citizenships, sources) are typed on one line, separated by ';'.

Nothing is stored until you confirm the summary at the end. Leaving the form
(Ctrl-C, or the end of the input in accessible mode) stores nothing and
leaves nothing behind: no file is written and the audit log is unchanged.
Evidence files are stored after the case, in the same confirmed step; files
attached to an incident are then linked to it (a second revision of the case).

Accessible mode (--accessible, or the ACCESSIBLE environment variable set to
anything) asks one question per line, without drawing on the screen, for
screen readers; it reads answers from standard input, which may be a pipe:
an empty line keeps a field as it is, a number picks from a list. Without it
standard input must be a terminal: otherwise the command refuses, and
'case add -f FILE' is the way to add a case from a file or a script.`

func newCaseNewCmd(g *globals) *cobra.Command {
	var accessible bool
	cmd := &cobra.Command{
		Use:   "new",
		Short: "Enter a new case in a form, field by field",
		Long: `Walk through a new case in a form in the terminal and store it as the first
revision of a new case. The new case ID alone is printed on stdout.

` + formHelp,
		Example: `  casevault case new
  casevault case new --accessible
  ACCESSIBLE=1 casevault case new < answers.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			acc, err := g.formMode(accessible)
			if err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			f := newCaseForm(cmd.Context(), g, map[string]any{}, acc)
			stored, err := f.fill()
			if err != nil || !stored {
				return g.formEnd(err)
			}
			c, err := f.result()
			if err != nil {
				return err
			}
			id, err := v.AddCase(c)
			if err != nil {
				return err
			}
			rev, ev, err := g.storeAttachments(cmd, v, id, 1, f.attach)
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(map[string]any{"id": id.String(), "rev": rev, "evidence": ev})
			}
			g.infof("%s", g.ft("result.stored", id, rev))
			_, err = fmt.Fprintln(g.env.stdout, id)
			return err
		},
	}
	cmd.Flags().BoolVar(&accessible, "accessible", false, "ask one question per line, for screen readers and pipes (also: ACCESSIBLE set)")
	return cmd
}

// formMode decides between the drawn form and accessible mode, and
// refuses a drawn form without a terminal.
func (g *globals) formMode(flag bool) (bool, error) {
	if flag || g.env.getenv("ACCESSIBLE") != "" {
		return true, nil
	}
	if !g.env.isTerminal(g.env.stdin) {
		return false, withCode(errors.New(g.ft("refuse.notty")), exitUsage, g.ft("refuse.notty.hint"))
	}
	return false, nil
}

// fill runs the form until the user stores (true) or cancels (false) the
// case; errFormAborted when the user left the form.
func (f *caseForm) fill() (bool, error) {
	if f.host == nil {
		return f.loop()
	}
	type outcome struct {
		stored bool
		err    error
	}
	res := make(chan outcome, 1)
	go func() {
		stored, err := f.loop()
		f.host.p.Send(endHostMsg{})
		res <- outcome{stored, err}
	}()
	_, runErr := f.host.p.Run()
	close(f.host.quit)
	r := <-res
	if r.err == nil && runErr != nil {
		r.err = errFormAborted
	}
	return r.stored, r.err
}

// loop walks through the case and shows the summary until the user
// stores or cancels it.
func (f *caseForm) loop() (bool, error) {
	for {
		if err := f.walk(); err != nil {
			return false, err
		}
		choice, err := f.confirm()
		if err != nil {
			return false, err
		}
		switch choice {
		case "store":
			return true, nil
		case "cancel":
			return false, nil
		}
	}
}

// formEnd reports a form that stored nothing: left (an interruption) or
// cancelled at the summary.
func (g *globals) formEnd(err error) error {
	if errors.Is(err, errFormAborted) || errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w: %s", errInterrupted, g.ft("cancel.aborted"))
	}
	if err != nil {
		return err
	}
	return g.report(map[string]any{"cancelled": true}, "%s", g.ft("cancel.chosen"))
}

// storeAttachments stores the evidence files of a case entered in the
// form, then links those of incidents to them in one more revision. rev
// is the case's revision before; it returns the revision after and the
// evidence stored.
func (g *globals) storeAttachments(cmd *cobra.Command, v *vault.Vault, id vault.CaseID, rev uint32, files []attachment) (uint32, []map[string]any, error) {
	ev := []map[string]any{}
	if len(files) == 0 {
		return rev, ev, nil
	}
	links := map[int][]string{}
	for _, a := range files {
		m, err := g.addEvidenceFile(cmd, v, id, a.path, "", vault.EvidenceInput{})
		if err != nil {
			return rev, ev, fmt.Errorf(g.ft("evidence.failed"), id, a.path, err)
		}
		ev = append(ev, map[string]any{"id": m.ID, "name": m.Name, "sha256": m.SHA256})
		if !g.json {
			g.infof("%s", g.ft("result.evidence", m.ID, plain(m.Name)))
		}
		if a.incident >= 0 {
			links[a.incident] = append(links[a.incident], m.ID)
		}
	}
	if len(links) == 0 {
		return rev, ev, nil
	}
	cur, err := v.Case(id)
	if err != nil {
		return rev, ev, err
	}
	c, err := cur.Case()
	if err != nil {
		return rev, ev, err
	}
	list, _ := c.Doc["mistreatment"].([]any)
	for i, ids := range links {
		if i >= len(list) {
			continue
		}
		inc, _ := list[i].(map[string]any)
		old, _ := inc["evidence"].([]any)
		for _, e := range ids {
			old = append(old, e)
		}
		inc["evidence"] = old
	}
	doc, err := schema.FromJSON(c.Canonical())
	if err != nil {
		return rev, ev, err
	}
	base := cur.Rev
	r, err := v.UpdateCaseWith(id, doc, vault.AddOptions{Op: vault.OpCaseEdit, Base: &base})
	if err != nil {
		return rev, ev, err
	}
	return r.Rev, ev, nil
}

// editCaseForm is 'case edit --form': the form of 'case new' on a copy
// of revision base of case id, stored as a new revision when the user
// confirms and it differs.
func (g *globals) editCaseForm(cmd *cobra.Command, v *vault.Vault, id vault.CaseID, base uint32, c *schema.Case, accessible bool) error {
	doc, err := schema.FromJSON(c.Canonical()) // a copy to change
	if err != nil {
		return err
	}
	f := newCaseForm(cmd.Context(), g, doc.Doc, accessible)
	stored, err := f.fill()
	if err != nil || !stored {
		return g.formEnd(err)
	}
	nc, err := f.result()
	if err != nil {
		return err
	}
	rev := base
	if !bytes.Equal(nc.Canonical(), c.Canonical()) {
		b := base
		r, err := v.UpdateCaseWith(id, nc, vault.AddOptions{Op: vault.OpCaseEdit, Base: &b})
		if err != nil {
			return err
		}
		rev = r.Rev
	}
	rev, ev, err := g.storeAttachments(cmd, v, id, rev, f.attach)
	if err != nil {
		return err
	}
	if rev == base {
		return g.report(map[string]any{"id": id.String(), "rev": base, "changed": false}, "%s", g.ft("result.unchanged", id, base))
	}
	return g.report(map[string]any{"id": id.String(), "rev": rev, "evidence": ev}, "%s", g.ft("result.edited", id, rev))
}
