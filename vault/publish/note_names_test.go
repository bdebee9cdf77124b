package publish

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// noteSecretCase is the F2 reproduction: names inside a hearing's notes
// (confidential) and outcome (restricted) and inside detention notes
// (restricted), in a case that is itself published with full consent.
const noteSecretCase = `schema: case.v1
person:
  name: "Pavel Sidorov"
  name_native: "Павел Сидоров"
  region: "Tver region"
charges:
  - code: RU-CC
    article: "207.3(2)"
detention:
  - kind: pretrial
    facility: "SIZO-2, Tver"
    from: 2024-03-01
    notes: "cellmate Boris Kuznetsov informant"
  - kind: colony
    facility: "IK-7, Tver region"
    from: 2024-09-01
    notes: "Informant is Dmitri Orlov. Transfer on 3 March to Moscow City Court for the hearing; Judge Ivanova presiding."
hearings:
  - date: 2024-05-02
    court: "Tver Regional Court"
    notes: "secret witness Alexei Smirnov, see Smirnov A.A. in the file; the ECHR complaint and Memorial know; co-defendant Sergei Arkhipov"
    outcome: "detention extended after Alexei Smirnov testimony"
proceedings:
  judge: "Olga Ivanova"
status: pretrial
publication:
  consent: full
  summary: "Pavel Sidorov, a teacher, is held in SIZO-2, Tver."
`

func notePublished(t testing.TB, summary string) Source {
	return source("pub", parseCase(t, `schema: case.v1
person:
  name: "Ivan Petrov"
  name_native: "Иван Петров"
  region: "Moscow"
status: pretrial
publication:
  consent: full
  summary: `+quoteYAML(summary)+"\n"))
}

func quoteYAML(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}

// TestNamesInNotesRefused: the names written in another case's withheld
// notes and outcome, published in a summary in several disguises, refuse
// the publication, with hits naming the source field; the review does not
// print the note.
func TestNamesInNotesRefused(t *testing.T) {
	secret := source("secret", parseCase(t, noteSecretCase))
	for _, tc := range []struct{ text, field string }{
		{"Alexei Smirnov testified.", "hearings[0].notes"},
		{"Boris Kuznetsov cellmate.", "detention[0].notes"},
		{"Dmitri Orlov informs.", "detention[1].notes"},
		{"Свидетель Алексей Смирнов дал показания.", "hearings[0].notes"},
		{"показания Алексея Смирнова", "hearings[0].notes"},
		{"со слов Бориса Кузнецова", "detention[0].notes"},
		{"Smirnov Alexei spoke.", "hearings[0].notes"},
		{"A. Smirnov spoke.", "hearings[0].notes"},
		{"Смирнов А.А. выступил.", "hearings[0].notes"},
		{"B. Kuznetsov was there.", "detention[0].notes"},
		{"Kuznetsov was there.", "detention[0].notes"},
		{"Aleksei Smirnov testified.", "hearings[0].notes"},
		{"smirnov in lower case", "hearings[0].notes"}, // seven letters: as a contact's surname
		{"Дмитрия Орлова допросили.", "detention[1].notes"},
	} {
		pub := notePublished(t, tc.text)
		_, err := Prepare(testOrg, []Source{pub, secret}, Options{})
		var le *LeakError
		if !errors.As(err, &le) {
			t.Errorf("%q: not refused (%v)", tc.text, err)
			continue
		}
		found := false
		for _, h := range le.Hits {
			if h.Case == "c-secret" && h.Field == tc.field {
				found = true
			}
			if strings.Contains(h.String(), "informant") || strings.Contains(h.Why(), "informant") || strings.Contains(h.Context, "informant") {
				t.Errorf("%q: hit prints the note: %s", tc.text, h)
			}
		}
		if !found {
			t.Errorf("%q: hits %v, want one for c-secret %s", tc.text, le.Hits, tc.field)
		}
	}
	// The restricted outcome is found too when the notes are left out.
	sec2 := setField(t, secret.Case, "hearings[0].notes", "nothing to note")
	_, err := Prepare(testOrg, []Source{notePublished(t, "Alexei Smirnov testified."), {CaseID: "c-secret", PublicID: secret.PublicID, Case: sec2}}, Options{})
	var le *LeakError
	if !errors.As(err, &le) || !slices.ContainsFunc(le.Hits, func(h Hit) bool { return h.Field == "hearings[0].outcome" && h.Kind == "restricted" }) {
		t.Errorf("restricted outcome: %v", err)
	}
}

// TestNamesInNotesNotFalseAlarms: the capitalised words of a note that are
// not a secret person — places, courts, months, organisations, the case's
// own prisoner and judge, a given name alone, public figures — raise no
// hit in a publication that names them.
func TestNamesInNotesNotFalseAlarms(t *testing.T) {
	secret := source("secret", parseCase(t, noteSecretCase))
	for _, text := range []string{
		"Transferred to Moscow City Court in March.",
		"Pavel Sidorov, a teacher, is held in SIZO-2, Tver.",
		"Judge Olga Ivanova presided at the Tver Regional Court.",
		"A complaint to the ECHR is pending; Memorial recognised him.",
		"He criticised Vladimir Putin and supported Alexei Navalny.",
		"Boris was there.",
		"Orlov was there.", // a short surname alone: not distinctive
		"kuznets in lower case",
		"Held in IK-7, Tver region, since 1 September 2024.",
		"Co-defendant of Sergei Arkhipov; Arkhipov denies the charges.",
	} {
		pub := notePublished(t, text)
		// A co-defendant whom the notes name and who is a published
		// case himself is no secret.
		co := source("co", parseCase(t, "schema: case.v1\nperson:\n  name: Sergei Arkhipov\nstatus: pretrial\npublication:\n  consent: full\n"))
		set, err := Prepare(testOrg, []Source{pub, secret, co}, Options{Review: true})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		for _, h := range set.Hits {
			if h.In == "c-pub" {
				t.Errorf("%q: false alarm %s", text, h)
			}
		}
	}
}

// TestNameCandidates lists the candidates of a few notes.
func TestNameCandidates(t *testing.T) {
	words := func(text string) []string {
		var out []string
		for _, c := range nameCandidates(text) {
			var w []string
			for _, t := range c.words {
				w = append(w, text[t.start:t.end])
			}
			for _, t := range c.initials {
				w = append(w, text[t.start:t.end]+".")
			}
			out = append(out, strings.Join(w, " "))
		}
		return out
	}
	for text, want := range map[string][]string{
		"secret witness Alexei Smirnov":        {"Alexei Smirnov"},
		"Informant is Dmitri Orlov.":           {"Dmitri Orlov"},
		"see Smirnov A.A. in the file":         {"Smirnov A. A."},
		"А. Б. Кузнецова допросили":            {"Кузнецова А. Б."},
		"Moscow City Court on 3 March":         nil,
		"The ECHR and Memorial, Novaya Gazeta": nil,
		"Working Notes: Tver Regional Court":   nil,
		"Nizhny Novgorod Region":               nil,
		"Darya Kara-Murza called":              {"Darya Kara-Murza"},
		"Yesterday Boris":                      nil,
		"Vladimir Region":                      nil,
		"cellmate Рустам Хайруллин, свидетель": {"Рустам Хайруллин"},
		"In January Ivan said":                 nil,
		"Emine Dzhemileva, wife":               {"Emine Dzhemileva"},
	} {
		if got := words(text); !slices.Equal(got, want) {
			t.Errorf("%q: candidates %q, want %q", text, got, want)
		}
	}
}

// FuzzNoteNames takes the names of an arbitrary note and scans arbitrary
// text for them: no panic, every span inside the text, masking keeps
// valid UTF-8, and every candidate's first two name words written
// verbatim are found.
func FuzzNoteNames(f *testing.F) {
	f.Add("secret witness Alexei Smirnov, see Smirnov A.A.", "A. Smirnov and Алексея Смирнова")
	f.Add("cellmate Boris Kuznetsov informant", "Kuznetsov B. B. said")
	f.Add("%41%20%42 Ivan Kara-Murza", "A%20B Kara-Murza I.")
	f.Add("А. Б. Кузнецова", "Кузнецова А.Б.")
	f.Fuzz(func(t *testing.T, note, text string) {
		if len(note) > 2000 || len(text) > 4000 || !utf8.ValidString(note) || !utf8.ValidString(text) {
			return
		}
		s := newScanner()
		s.addNoteNames(note, map[string]bool{}, needle{caseID: "c-secret", field: "notes", kind: "confidential", secret: note})
		r := &Record{ID: "p1", caseID: "c-pub"}
		s.ownWords[r] = map[string]bool{}
		spans := s.scan(r, "summary", text)
		for _, sp := range spans {
			if sp.start < 0 || sp.end > len(text) || sp.start > sp.end {
				t.Fatalf("span %d..%d outside %d bytes", sp.start, sp.end, len(text))
			}
		}
		if m := mask(text, spans); !utf8.ValidString(m) {
			t.Fatalf("masked text is not UTF-8: %q", m)
		}
		for _, c := range nameCandidates(note) {
			if len(c.words) < 2 {
				continue
			}
			a, b := c.words[0], c.words[1]
			if a.end > b.start || !utf8.ValidString(note[a.start:a.end]) || !utf8.ValidString(note[b.start:b.end]) {
				continue
			}
			planted := "Zzyzx " + note[a.start:a.end] + " " + note[b.start:b.end] + " qwertz"
			if len(s.scan(r, "summary", planted)) == 0 {
				t.Fatalf("name %q of note %q not found in %q", note[a.start:a.end]+" "+note[b.start:b.end], note, planted)
			}
		}
	})
}

// A filler word inside a name in a note ("Ат" of an Arabic name, a
// nickname like "Собака") is left out of the name, as the scanner leaves
// it out of published text: the name without it is still found (an
// attack found it lost when a filler ended the name instead).
func TestNoteNameAcrossFiller(t *testing.T) {
	for note, text := range map[string]string{
		"witness Ахмед Ат Тамими":     "Ахмед Тамими",
		"cellmate Иван Собака Петров": "Иван Петров",
		"informant A. At Petrov":      "A. Petrov",
		"secret witness Ivan Petrov":  "Ivan at Petrov",
	} {
		s := newScanner()
		s.addNoteNames(note, map[string]bool{}, needle{caseID: "c-secret", field: "notes", kind: "confidential", secret: note})
		r := &Record{ID: "p1", caseID: "c-pub"}
		s.ownWords[r] = map[string]bool{}
		if len(s.scan(r, "summary", "Zzyzx "+text+" qwertz")) == 0 {
			t.Errorf("note %q: %q not found", note, text)
		}
	}
}
