package vault

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/schema/casegen"
	"github.com/casevault/casevault/vault/publish"
	"pgregory.net/rapid"
)

// hostileRunes are the characters that broke or could break the way text
// travels: HTML and shell metacharacters, quotes and backslash, JSON's
// line separators, bidi controls, zero-width and other format characters,
// combining marks, emoji with joiners and modifiers, and letters of many
// scripts (Cyrillic, Greek, Armenian, Hebrew, Arabic, Devanagari, Thai,
// Georgian, Hangul, CJK, Ethiopic, Tamil, astral plane).
var hostileRunes = []rune("&<>\"'\\`$%{}[]#:|*!?\t\n\r\u2028\u2029\u0085" +
	"\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad\u2060" +
	"\u0301\u0308\u0327\u20dd\u0489" +
	"👩\u200d👩\u200d👧🏳\ufe0f\u200d🌈👍🏿🇷🇺" +
	"ЖжЁёЯщΩλԱաשׁאעربيةहिंदीไทยႠაᄀ한글漢字日本語ሰላምதமிழ்𝔘𝕟𝖎𐍈𓀀")

// hostileString draws text of up to max runes: mostly hostile runes,
// sometimes any valid rune, sometimes long.
func hostileString(t *rapid.T, label string, min, max int) string {
	r := rapid.OneOf(rapid.SampledFrom(hostileRunes), rapid.Rune(), rapid.RuneFrom([]rune("aZ09 .-")))
	s := rapid.StringOfN(r, min, max, -1).Draw(t, label)
	return s
}

// roundTripDoc returns a valid case document: a realistic generated case
// whose free-text fields are replaced with hostile text.
func roundTripDoc(t *rapid.T) *schema.Case {
	doc := casegen.New(rapid.Uint64().Draw(t, "seed")).Case()
	// Overrides could make person.name confidential, and then the case
	// cannot be shared or published by name, which is not what is tested.
	delete(doc, "sensitivity_overrides")
	person := doc["person"].(map[string]any)
	person["name"] = hostileString(t, "name", 1, 60)
	person["name_native"] = hostileString(t, "name_native", 0, 60)
	person["region"] = hostileString(t, "region", 0, 40)
	person["aliases"] = []any{hostileString(t, "alias", 0, 40)}
	doc["notes"] = hostileString(t, "notes", 0, 200)
	summary := hostileString(t, "summary", 0, 200)
	if rapid.Bool().Draw(t, "long") {
		summary = strings.Repeat(summary+"&<>", 9000/(len([]rune(summary))+3)+1)
		summary = string([]rune(summary)[:9000])
	}
	doc["publication"] = map[string]any{"consent": "full", "summary": summary}
	if ch, ok := doc["charges"].([]any); ok && len(ch) > 0 {
		ch[0].(map[string]any)["title"] = hostileString(t, "charge title", 0, 80)
	}
	c, err := schema.FromJSON(rtJSON(t, doc))
	if err != nil {
		t.Fatalf("generated document is not valid: %v", err)
	}
	return c
}

func rtJSON(t interface{ Fatalf(string, ...any) }, v any) []byte {
	b, err := marshalJSON(v)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return b
}

// sameDoc requires the decoded documents to be identical.
func sameDoc(t *rapid.T, where string, want *schema.Case, got []byte) {
	c, err := schema.FromJSON(got)
	if err != nil {
		t.Fatalf("%s: document does not parse: %v", where, err)
	}
	if !bytes.Equal(c.Canonical(), want.Canonical()) {
		t.Fatalf("%s: document changed:\nwant %s\ngot  %s", where, want.Canonical(), c.Canonical())
	}
	if !bytes.Equal(got, want.Canonical()) {
		t.Fatalf("%s: document bytes are not canonical:\nwant %s\ngot  %s", where, want.Canonical(), got)
	}
}

// stripFormat removes what a publication never carries (SECURITY.md,
// "Publication"): format characters (Unicode category Cf: bidi controls,
// zero-width characters), the Hangul fillers and control characters other
// than tab and newline.
func stripFormat(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return r
		case unicode.Is(unicode.Cf, r) || unicode.IsControl(r),
			r == '\u115F', r == '\u1160', r == '\u3164', r == '\uFFA0':
			return -1
		}
		return r
	}, s)
}

// publicText is text as a publication may write it: invisible characters
// removed and surrounding white space trimmed (publish trims every field).
// Text under a right-to-left override is published in the order it was
// displayed in, so where the text holds one (reordered) only the
// characters, not their order, must survive.
func publicText(s string, reordered bool) string {
	t := strings.TrimSpace(stripFormat(strings.TrimSpace(s)))
	if reordered {
		rs := []rune(strings.Join(strings.Fields(t), ""))
		slices.Sort(rs)
		return string(rs)
	}
	return t
}

// TestRoundTripArbitraryText adds generated cases with arbitrary Unicode and
// follows each through show, update, history, export and import, bundle
// export and import, backup and restore, and publication: the decoded
// document must be identical everywhere it travels (the public fields of a
// publication modulo format characters).
func TestRoundTripArbitraryText(t *testing.T) {
	a, b := partners(t)
	imp := newOrgVault(t, "Import Target", nil)
	pub := newOrgVault(t, "Publisher", nil)
	tmp := t.TempDir()
	n, refused, bidi := 0, 0, 0
	rapid.Check(t, func(rt *rapid.T) {
		n++
		doc := roundTripDoc(rt)
		doc2 := roundTripDoc(rt)

		// add and show
		id, err := a.AddCase(doc)
		if err != nil {
			rt.Fatalf("AddCase: %v", err)
		}
		r, err := a.Case(id)
		if err != nil {
			rt.Fatalf("Case: %v", err)
		}
		sameDoc(rt, "show", doc, r.Doc)

		// update and history
		if _, err := a.UpdateCase(id, doc2); err != nil {
			rt.Fatalf("UpdateCase: %v", err)
		}
		hist, err := a.History(id)
		if err != nil || len(hist) != 2 {
			rt.Fatalf("History = %d revisions, %v", len(hist), err)
		}
		sameDoc(rt, "history rev 1", doc, hist[0].Doc)
		sameDoc(rt, "history rev 2", doc2, hist[1].Doc)

		// export and import: the exported line of this case, imported
		// into another vault
		var exp bytes.Buffer
		if _, err := a.Export(context.Background(), &exp); err != nil {
			rt.Fatalf("Export: %v", err)
		}
		var line []byte
		sc := bufio.NewScanner(&exp)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if bytes.Equal(sc.Bytes(), doc2.Canonical()) {
				line = bytes.Clone(sc.Bytes())
			}
		}
		if line == nil {
			rt.Fatalf("export does not hold the case's current document byte for byte")
		}
		jf := filepath.Join(tmp, "import.jsonl")
		if err := os.WriteFile(jf, append(line, '\n'), 0o600); err != nil {
			rt.Fatal(err)
		}
		before, _ := imp.CaseIDs()
		if rep, err := imp.Import(context.Background(), jf, ImportOptions{Format: FormatJSONL}); err != nil || rep.Imported != 1 {
			rt.Fatalf("Import = %+v, %v", rep, err)
		}
		after, _ := imp.CaseIDs()
		if rep, _ := imp.Import(context.Background(), jf, ImportOptions{Format: FormatJSONL}); rep == nil || rep.Added != 0 || rep.Unchanged != 1 {
			rt.Fatalf("importing the same line again = %+v; want it unchanged, not a second case", rep)
		}
		if again, _ := imp.CaseIDs(); len(again) != len(after) {
			rt.Fatalf("importing the same line again made %d cases of %d", len(again), len(after))
		}
		// A new case, or (the same person drawn again) the case imported
		// before, which must now hold this document.
		var ri *Revision
		for _, id := range after {
			c, err := imp.Case(id)
			if err != nil {
				rt.Fatalf("imported case: %v", err)
			}
			if bytes.Equal(c.Doc, doc2.Canonical()) {
				ri = c
			}
		}
		if ri == nil {
			rt.Fatalf("no case of the importing vault holds the imported document (%d new)", len(after)-len(before))
		}
		sameDoc(rt, "export/import", doc2, ri.Doc)

		// bundle export and import: the shared copy arrives unchanged
		if _, err := a.ShareCase(id, b.Meta().Org, nil); err != nil {
			rt.Fatalf("ShareCase: %v", err)
		}
		bf := filepath.Join(tmp, "bundle"+itoa(n)+".age")
		if _, err := a.ExportBundle(context.Background(), ExportBundleOptions{To: b.Meta().Org, Cases: []CaseID{id}, Out: bf}); err != nil {
			rt.Fatalf("ExportBundle: %v", err)
		}
		res, err := b.ImportBundle(context.Background(), bf)
		if err != nil || len(res.Cases) != 1 {
			rt.Fatalf("ImportBundle = %+v, %v", res, err)
		}
		bid, err := ParseCaseID(res.Cases[0].Case)
		if err != nil {
			rt.Fatal(err)
		}
		rb, err := b.Case(bid)
		if err != nil {
			rt.Fatalf("bundled case: %v", err)
		}
		shared := (&Share{}).Apply(doc2)
		sameDoc(rt, "bundle", shared, rb.Doc)

		// publication: the public fields, modulo format characters
		pid, err := pub.AddCase(doc2)
		if err != nil {
			rt.Fatalf("AddCase (publisher): %v", err)
		}
		out := filepath.Join(tmp, "site"+itoa(n))
		_, err = pub.Publish(context.Background(), PublishOptions{Dir: out, Format: "json", Cases: []CaseID{pid}})
		// Every confidential value of the vault is a needle: earlier
		// generated cases would make arbitrary short strings collide.
		if rerr := pub.RemoveCase(pid); rerr != nil {
			rt.Fatalf("RemoveCase (publisher): %v", rerr)
		}
		var np *NotPublishableError
		var leak *publish.LeakError
		if errors.As(err, &np) || errors.As(err, &leak) {
			// The leak scan refused text that looks like an e-mail
			// address or a phone number, or a public value equal to a
			// confidential one of another generated case: a refusal,
			// not a change.
			if _, serr := os.Stat(filepath.Join(out, "cases.json")); serr == nil {
				rt.Fatalf("refused publication wrote cases.json")
			}
			// A bidirectional control in a public field is itself a
			// sign of a disguise (SECURITY.md): refused by design.
			if leak != nil && onlyBidiHits(leak) {
				bidi++
				return
			}
			refused++
			return
		}
		if err != nil {
			rt.Fatalf("Publish: %v", err)
		}
		pj, err := os.ReadFile(filepath.Join(out, "cases.json"))
		if err != nil {
			rt.Fatal(err)
		}
		var site struct {
			Cases []map[string]any `json:"cases"`
		}
		if err := json.Unmarshal(pj, &site); err != nil || len(site.Cases) != 1 {
			rt.Fatalf("cases.json: %v (%d cases)", err, len(site.Cases))
		}
		person := doc2.Doc["person"].(map[string]any)
		for field, want := range map[string]any{"name": person["name"], "name_native": person["name_native"],
			"region": person["region"], "summary": doc2.Doc["publication"].(map[string]any)["summary"]} {
			w, _ := want.(string)
			g, _ := site.Cases[0][field].(string)
			ro := strings.ContainsRune(w, '\u202e')
			if publicText(g, ro) != publicText(w, ro) {
				rt.Fatalf("published %s = %q, want %q", field, g, w)
			}
		}
	})
	t.Logf("%d runs, %d publications refused for bidirectional controls, %d for other possible leaks", n, bidi, refused)
	if bidi+refused > n*3/4 {
		t.Errorf("only %d of %d publications were written: the publish round trip hardly ran", n-bidi-refused, n)
	}
	if refused > n/4 {
		t.Errorf("the leak scan refused %d of %d publications: the publish check hardly ran", refused, n)
	}
	// backup and restore of everything added: every revision of every
	// case comes back identical.
	bk := filepath.Join(tmp, "all.cvbackup")
	if _, err := a.BackupToFile(context.Background(), bk, nil); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	f, err := os.Open(bk)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dst := filepath.Join(tmp, "restored")
	if _, err := Restore(context.Background(), f, dst, Unlock{Identity: a.Identity()}, Options{}); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	rv, err := Open(dst, Unlock{Identity: a.Identity()}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rv.Close()
	ids, _ := a.CaseIDs()
	if len(ids) == 0 {
		t.Fatal("no cases were added")
	}
	for _, id := range ids {
		h1, err1 := a.History(id)
		h2, err2 := rv.History(id)
		if err1 != nil || err2 != nil || len(h1) != len(h2) {
			t.Fatalf("history of %s: %v, %v", id, err1, err2)
		}
		for i := range h1 {
			if !bytes.Equal(h1[i].Doc, h2[i].Doc) || h1[i].SHA256 != h2[i].SHA256 {
				t.Fatalf("restored revision %d of %s differs", h1[i].Rev, id)
			}
		}
	}
	rep, err := rv.Check(context.Background(), CheckOptions{})
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check of the restored vault: %+v, %v", rep, err)
	}
}

func newest(before, after []CaseID) CaseID {
	seen := map[CaseID]bool{}
	for _, id := range before {
		seen[id] = true
	}
	for _, id := range after {
		if !seen[id] {
			return id
		}
	}
	return CaseID{}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// onlyBidiHits reports whether every hit of a refused publication is a
// bidirectional control character.
func onlyBidiHits(le *publish.LeakError) bool {
	for _, h := range le.Hits {
		if !strings.Contains(h.String(), "bidi control character") {
			return false
		}
	}
	return len(le.Hits) > 0
}
