package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/i18n"
	"github.com/spf13/cobra"
)

func newCaseResolveCmd(g *globals) *cobra.Command {
	var take, caseName, expect string
	var seq uint32
	cmd := &cobra.Command{
		Use:   "resolve ID|--name NAME [--take local|theirs|edit] [--conflict N]",
		Short: "Show a conflict with a partner's version of a case, and decide it",
		Long: `When a partner's bundle brings a newer version of a case that was also changed
here since the last version received from them, 'bundle import' keeps the
local version current and the partner's as a conflict revision. This
command shows it three ways, field by field: what changed here since the
base (the last version received from the partner), what the partner
changed since the base, and how the two versions differ now.

With --take it decides: 'local' keeps the local version, 'theirs' stores the
partner's, 'edit' opens the local version in the editor (as 'case edit'
does) with the partner's version and the differences as '#' lines, and
stores what you save. Each decision stores a new revision, is recorded in
the audit log (case.resolve) and clears the conflict; the partner's next
version is then compared with the one decided on. For our own case sent
back by a partner, 'theirs' is their changes merged into our case; fields
we hold more of than they ever saw are never overwritten ('theirs' is
refused while there are any: use 'edit').

--json prints the view as {conflict, base_rev, local_rev, base, local,
theirs, local_changes, their_changes, differences}.`,
		Example: `  casevault case resolve c7k2m9xq4a5b6c7d8
  casevault case resolve c7k2 --take local
  casevault case resolve c7k2 --take theirs
  EDITOR=nano casevault case resolve c7k2 --take edit`,
		Args: caseIDOrName,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch take {
			case "", vault.TakeLocal, vault.TakeTheirs, vault.TakeEdit:
			default:
				return usagef("--take %q: say local, theirs or edit", take)
			}
			id, v, err := g.caseVaultBy(args, caseName, take == "")
			if err != nil {
				return err
			}
			defer v.Close()
			view, err := v.ViewConflict(id, seq)
			if err != nil {
				return err
			}
			cf := view.Conflict
			if take == "" {
				if g.json {
					return g.printJSON(view)
				}
				return writeConflictView(g.env.stdout, g.uiLang(), id, view)
			}
			if expect != "" && len(expect) < 12 {
				return usagef("--expect %q: give at least the 12 characters of the conflict's hash that the view prints", expect)
			}
			o := vault.ResolveOptions{Seq: cf.Seq, Take: take, LocalRev: view.LocalRev, SHA256: cf.SHA256}
			if expect != "" {
				o.SHA256 = strings.ToLower(expect)
			}
			dropped := sentDropped(view)
			if take != vault.TakeEdit {
				rev, _, err := v.ResolveConflict(id, o)
				if err != nil {
					return err
				}
				if take == vault.TakeLocal {
					g.warnDropped(cf, dropped)
				}
				return g.report(map[string]any{"id": id.String(), "rev": rev.Rev, "take": take, "conflict": cf.Seq, "source": cf.Source, "sha256": cf.SHA256},
					"conflict %d of case %s resolved (%s): the case is now at revision %d", cf.Seq, id, take, rev.Rev)
			}
			text, err := conflictEditText(id, view)
			if err != nil {
				return err
			}
			var stored *vault.Revision
			outcome, problem, err := g.editLoop(text, func(edited []byte) error {
				doc, err := schema.Parse(edited)
				if err != nil {
					return err
				}
				o.Doc = doc
				rev, _, err := v.ResolveConflict(id, o)
				stored = rev
				return err
			})
			if err != nil {
				return err
			}
			switch outcome {
			case editStored:
				return g.report(map[string]any{"id": id.String(), "rev": stored.Rev, "take": take, "conflict": cf.Seq, "source": cf.Source},
					"conflict %d of case %s resolved (edited): the case is now at revision %d", cf.Seq, id, stored.Rev)
			case editUnchanged:
				// Saved as opened: the local version, decided on.
				o.Doc = nil
				o.Take = vault.TakeLocal
				rev, _, err := v.ResolveConflict(id, o)
				if err != nil {
					return err
				}
				g.warnDropped(cf, dropped)
				return g.report(map[string]any{"id": id.String(), "rev": rev.Rev, "take": vault.TakeLocal, "conflict": cf.Seq, "source": cf.Source, "sha256": cf.SHA256},
					"the file was closed as opened: the local version is kept; conflict %d of case %s resolved, the case is now at revision %d", cf.Seq, id, rev.Rev)
			case editEmptied:
				return g.report(map[string]any{"id": id.String(), "conflict": cf.Seq, "cancelled": "emptied"},
					"resolve cancelled (the file was emptied): nothing was stored; conflict %d of case %s is still pending", cf.Seq, id)
			}
			return fmt.Errorf("%w\nresolve cancelled: the file still had this mistake when it was closed unchanged, so nothing was stored; conflict %d of case %s is still pending", problem, cf.Seq, id)
		},
	}
	cmd.Flags().StringVar(&take, "take", "", "decide: local, theirs or edit (without it: show the conflict)")
	cmd.Flags().Uint32Var(&seq, "conflict", 0, "the conflict to show or decide, when a case has several")
	cmd.Flags().StringVar(&expect, "expect", "", "decide only if the conflict still has this hash (as the view prints it): refused when a newer version replaced it")
	addCaseNameFlag(cmd, &caseName)
	return cmd
}

// conflictSource names where a conflict revision came from.
func conflictSource(cf *vault.Conflict) string {
	s := fmt.Sprintf("%q", cf.Source)
	if cf.BundleID != "" {
		s += fmt.Sprintf(" (bundle %s, their case %s revision %d)", cf.BundleID, cf.OriginCaseID, cf.OriginRev)
	}
	if cf.Returned {
		s += ": our own case, sent back by them"
	}
	return s
}

// writeConflictView writes the three-way view of a conflict, its words in
// lang (the field paths and values as in the case file).
func writeConflictView(w io.Writer, lang string, id vault.CaseID, view *vault.ConflictView) error {
	cf := view.Conflict
	t := func(id string, data map[string]any) string { return i18n.T(lang, id, data) }
	fmt.Fprintln(w, t("ui.resolve.head", map[string]any{"Case": id.String(), "Seq": cf.Seq, "SHA": shortSHA(cf.SHA256),
		"Source": plain(conflictSourceIn(lang, cf)), "Time": cf.Time.Format(time.RFC3339)}))
	if view.Base != nil {
		fmt.Fprintln(w, t("ui.resolve.base", map[string]any{"Base": view.BaseRev, "Local": view.LocalRev}))
	} else {
		fmt.Fprintln(w, t("ui.resolve.noBase", map[string]any{"Local": view.LocalRev}))
	}
	section := func(title string, ch []vault.Change, a, b string) {
		fmt.Fprintf(w, "%s (%d):\n", title, len(ch))
		for _, c := range ch {
			fmt.Fprintln(w, "  "+changeLine(c, a, b))
		}
	}
	local, theirs := t("ui.resolve.local", nil), t("ui.resolve.theirs", nil)
	section(t("ui.resolve.changedHere", nil), view.LocalChanges, "", "")
	section(t("ui.resolve.changedThere", nil), view.TheirChanges, "", "")
	section(local+" -> "+theirs, view.Differences, local, theirs)
	if len(cf.Unmerged) > 0 {
		fmt.Fprintln(w, t("ui.resolve.unmerged", map[string]any{"Fields": plain(strings.Join(cf.Unmerged, ", "))}))
		dropped := sentDropped(view)
		fmt.Fprintln(w, t("ui.resolve.dropped", map[string]any{"Count": len(dropped)}))
		sent := t("ui.resolve.sent", nil)
		for _, c := range dropped {
			fmt.Fprintln(w, "  "+plain(changeLine(c, local, sent)))
		}
	}
	_, err := fmt.Fprintln(w, t("ui.resolve.decide", map[string]any{"Case": id.String(), "Seq": cf.Seq, "SHA": shortSHA(cf.SHA256)}))
	return err
}

// conflictSourceIn is conflictSource in lang.
func conflictSourceIn(lang string, cf *vault.Conflict) string {
	s := fmt.Sprintf("%q", cf.Source)
	if cf.BundleID != "" {
		s += " " + i18n.T(lang, "ui.resolve.bundle", map[string]any{"Bundle": cf.BundleID, "Case": cf.OriginCaseID, "Rev": cf.OriginRev})
	}
	if cf.Returned {
		s += i18n.T(lang, "ui.resolve.returned", nil)
	}
	return s
}

// conflictEditText is the file 'resolve --take edit' opens: the local
// version as YAML under its base line, with the other side's version and
// the differences as '#' lines at the top.
func conflictEditText(id vault.CaseID, view *vault.ConflictView) ([]byte, error) {
	cf := view.Conflict
	local, err := schema.FromJSON(mustJSON(view.Local))
	if err != nil {
		return nil, err
	}
	theirs, err := schema.FromJSON(cf.Theirs)
	if err != nil {
		return nil, err
	}
	ly, err := caseYAML(local)
	if err != nil {
		return nil, err
	}
	ty, err := caseYAML(theirs)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(vault.CaseBaseLine(vault.CaseBase{Case: id.String(), Rev: view.LocalRev}, "opened by 'case resolve --take edit'") + "\n")
	fmt.Fprintf(&b, "# Conflict %d from %s.\n", cf.Seq, plain(conflictSource(cf)))
	b.WriteString("# Below: the LOCAL version. Make it the version to keep, save and close.\n")
	b.WriteString("# Emptying the file cancels; closing it unchanged keeps the local version.\n")
	b.WriteString("# Differences, local -> theirs:\n")
	for _, c := range view.Differences {
		b.WriteString("#   " + changeLine(c, "local", "theirs") + "\n")
	}
	if dropped := sentDropped(view); len(dropped) > 0 {
		b.WriteString("# Fields NOT merged (they sent these values; copy what you keep, the rest is lost):\n")
		for _, c := range dropped {
			b.WriteString("#   " + plain(changeLine(c, "local", "sent")) + "\n")
		}
	}
	b.WriteString("# THEIR version:\n")
	for _, l := range strings.Split(strings.TrimRight(plainLines(string(ty)), "\n"), "\n") {
		b.WriteString("#   " + l + "\n")
	}
	b.Write(ly)
	return b.Bytes(), nil
}

// mustJSON is v (a decoded case document) as JSON again.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

// noteConflicts says on stderr that a case has pending conflicts ('case
// show'); --json output carries them in the view of 'case resolve'.
func (g *globals) noteConflicts(v *vault.Vault, id vault.CaseID) {
	all, err := v.Conflicts(id)
	if err != nil || len(all) == 0 {
		return
	}
	for _, cf := range all {
		g.warnf("case %s has a pending conflict %d: a newer version from %s was kept beside the local one (recorded %s); 'casevault case resolve %s' shows both and decides",
			id, cf.Seq, conflictSource(cf), cf.Time.Format(time.RFC3339), id)
	}
}

// noteListConflicts marks, on stderr, the listed cases that have pending
// conflicts.
func (g *globals) noteListConflicts(v *vault.Vault, list []vault.Summary) {
	with, err := v.CasesWithConflicts()
	if err != nil || len(with) == 0 {
		return
	}
	for _, s := range list {
		id, err := vault.ParseCaseID(s.ID)
		if err != nil {
			continue
		}
		if n := with[id]; n > 0 {
			g.warnf("case %s (%s) has %d pending conflict(s) with a partner's version: 'casevault case resolve %s'", s.ID, plain(s.Name), n, s.ID)
		}
	}
}

// shortSHA is the first 12 characters of a hash, as views print it.
func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// sentDropped are the partner's sent values of the fields of our own case
// that could not be merged (cf.Unmerged), as differences local -> sent:
// what --take local (or an edit that does not copy them) drops.
func sentDropped(view *vault.ConflictView) []vault.Change {
	cf := view.Conflict
	if len(cf.Unmerged) == 0 || len(cf.Sent) == 0 {
		return nil
	}
	var sent any
	if err := json.Unmarshal(cf.Sent, &sent); err != nil {
		return nil
	}
	var out []vault.Change
	for _, c := range vault.DiffDocs(view.Local, sent) {
		if c.Kind == vault.ChangeRemoved {
			continue // a field they never saw: not a value they sent
		}
		for _, f := range cf.Unmerged {
			if c.Path == f || strings.HasPrefix(c.Path, f+".") || strings.HasPrefix(c.Path, f+"[") {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// warnDropped says which of the partner's sent values a decision for the
// local version dropped, with the conflict's hash (audited with the
// decision) to find the decision again.
func (g *globals) warnDropped(cf *vault.Conflict, dropped []vault.Change) {
	if len(dropped) == 0 {
		return
	}
	g.warnf("conflict %d (sha256 %s) from %q kept the local version: these values they sent were dropped:", cf.Seq, shortSHA(cf.SHA256), cf.Source)
	for _, c := range dropped {
		g.warnf("  %s", plain(changeLine(c, "local", "sent")))
	}
}
