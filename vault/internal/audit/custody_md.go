package audit

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// custodyOpText says in words what an audit operation did to the item.
func custodyOpText(e CustodyEntry, evid string) string {
	if e.Op == OpBundleExport {
		to := ""
		if len(e.Targets) > 1 {
			to = " to " + mdText(e.Targets[1])
		}
		return fmt.Sprintf("sent%s in encrypted bundle %s", to, mdText(e.Targets[0]))
	}
	if p := e.Op.Info().Prose; p != "" {
		return p
	}
	return "operation " + mdText(string(e.Op))
}

// mdText escapes text for a Markdown paragraph or table cell. Names may
// come from a partner's bundle: white space is collapsed, and control
// characters, invisible reordering marks and bytes that are not UTF-8 are
// shown as escapes (\x1b, \u202e) so they can neither drive a terminal nor
// disguise the text.
func mdText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\\x%02x`, s[i])
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\\u%04x`, r)
		default:
			if strings.ContainsRune("\\`*_[]<>|", r) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

func mdTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

// Markdown renders the report for a human reader (a lawyer, a court).
func (r *CustodyReport) Markdown() []byte {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	ev := r.Evidence
	p("# Chain-of-custody report: evidence %s\n\n", ev.ID)
	p("Produced on %s by %s for **%s** from the tamper-evident audit log of its casevault vault. ",
		mdTime(r.Generated), mdText(r.GeneratedBy), mdText(r.Org))
	p("The production of this report is itself recorded in that log as entry %d, with the SHA-256 of this file.\n\n", r.RecordedAs)

	p("## The evidence item\n\n| | |\n|---|---|\n")
	p("| Evidence ID | %s |\n", ev.ID)
	if ev.Case != "" {
		p("| Case | %s |\n", ev.Case)
	}
	if ev.Name != "" {
		p("| Original file name | %s |\n", mdText(ev.Name))
	}
	if ev.MediaType != "" {
		p("| Type | %s |\n", mdText(ev.MediaType))
	}
	if ev.InVault {
		p("| Size | %d bytes |\n", ev.Size)
	}
	sha := ev.SHA256
	if sha == "" {
		sha = "unknown"
	}
	p("| SHA-256 | `%s` |\n", sha)
	added := fmt.Sprintf("%s by %s", mdTime(ev.Added), mdText(ev.AddedBy))
	if ev.AddedEntry != 0 {
		added += fmt.Sprintf(" (audit entry %d)", ev.AddedEntry)
	}
	p("| Added | %s |\n", added)
	if ev.CollectedBy != "" {
		p("| Collected by | %s |\n", mdText(ev.CollectedBy))
	}
	if ev.CollectedAt != "" {
		p("| Collected at | %s |\n", mdText(ev.CollectedAt))
	}
	if ev.Source != "" {
		p("| Source | %s |\n", mdText(ev.Source))
	}
	yes := "yes"
	if !ev.InVault {
		yes = "no"
	}
	p("| Still in the vault | %s |\n\n", yes)
	p("The SHA-256 is a fingerprint of the file's exact content: any change to the file, even of one bit, gives a different value. ")
	p("Anyone holding a copy can compute it (for example with `sha256sum FILE`) and compare.\n\n")

	p("## Integrity of the audit log\n\n")
	if r.Chain.OK {
		p("The whole audit log was verified when this report was produced: all %d entries, up to entry %d (hash `%s`), are present, in order, linked each to the one before by its hash, and signed with the organisation's key. ",
			r.Chain.Entries, r.Chain.Head.Seq, r.Chain.Head.Hash)
		p("An entry removed, reordered, altered or inserted afterwards without the key would break this chain. ")
		p("That the organisation itself did not rewrite the log can be shown against the log heads held by its partners (see *casevault audit verify --witness*).\n\n")
	} else {
		p("**The audit log is broken at entry %d**: %s. Entries from there on cannot be relied on.\n\n", r.Chain.BreakSeq, r.Chain.BreakReason)
	}

	p("## Custody history\n\nEvery audit entry that names this item, oldest first.\n\n")
	p("| Entry | Time | Actor | What happened | Operation | Content SHA-256 |\n|---|---|---|---|---|---|\n")
	for _, e := range r.Entries {
		content := "–"
		if e.ContentSHA256 != "" {
			content = "`" + e.ContentSHA256[:16] + "…`"
			if e.ContentSHA256 == ev.SHA256 {
				content += " (the item's)"
			}
		}
		p("| %d | %s | %s | %s | %s | %s |\n", e.Seq, mdTime(e.Time), mdText(e.Actor), custodyOpText(e, ev.ID), mdText(string(e.Op)), content)
	}
	p("\n## Findings\n\n")
	if len(r.Findings) == 0 {
		p("None: the item's history is complete and consistent, and the log is intact.\n\n")
	} else {
		for _, f := range r.Findings {
			p("- %s\n", f)
		}
		p("\n")
	}

	p("## Signatures\n\n")
	p("Each entry below is signed with the Ed25519 key of %s, whose verify key is `%s` ", mdText(r.Org), r.VerifyKey)
	p("(organisation fingerprint `%s`: compare it with the organisation card obtained from the organisation itself). ", r.Fingerprint)
	p("The entry hash is the SHA-256 of the entry's exact content, its signature included; the next entry in the log contains it. ")
	p("The JSON form of this report (`casevault custody %s --format json`) carries everything a program needs to check these signatures.\n\n", ev.ID)
	p("| Entry | Entry hash (SHA-256) | Signature (Ed25519, base64) |\n|---|---|---|\n")
	for _, e := range r.Entries {
		p("| %d | `%s` | `%s` |\n", e.Seq, e.Hash, base64.StdEncoding.EncodeToString(e.Sig))
	}
	p("\nSignature of this report's statement (see SECURITY.md, \"Custody reports\"): `%s`\n", base64.StdEncoding.EncodeToString(r.Sig))
	return []byte(b.String())
}
