package bulk

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

func enc(t testing.TB, cm *charmap.Charmap, s string) []byte {
	t.Helper()
	b, err := cm.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name string
		head []byte
		want Dialect
	}{
		{"comma", []byte("name,region\nIvan,Omsk\n"), Dialect{',', EncodingUTF8, false}},
		{"semicolon with BOM", []byte("\xef\xbb\xbfname;region;notes\r\nИван;Омск;a,b\r\n"), Dialect{';', EncodingUTF8, true}},
		{"tab", []byte("name\tregion\nIvan\tOmsk\n"), Dialect{'\t', EncodingUTF8, false}},
		{"comma with semicolons in cells", []byte("name,charge_articles\nIvan,\"207.3;275\"\n"), Dialect{',', EncodingUTF8, false}},
		{"single column", []byte("name\nIvan\n"), Dialect{',', EncodingUTF8, false}},
		{"cp1251", enc(t, charmap.Windows1251, "name;region;notes\r\nИван Петров;Омск;задержан «на улице» — протокол №5\r\n"), Dialect{';', EncodingCP1251, false}},
		{"cp1251 header in Russian cells only", enc(t, charmap.Windows1251, "name,region\nАнна Сидорова,Москва\n"), Dialect{',', EncodingCP1251, false}},
	} {
		got := Sniff(tc.head, CSVColumns(), Dialect{})
		if got != tc.want {
			t.Errorf("%s: Sniff = %+v, want %+v", tc.name, got, tc.want)
		}
	}
	// what the user gives is kept
	got := Sniff([]byte("name;region\n"), CSVColumns(), Dialect{Delimiter: ',', Encoding: EncodingCP1251})
	if got.Delimiter != ',' || got.Encoding != EncodingCP1251 {
		t.Errorf("given dialect overridden: %+v", got)
	}
	// a UTF-8 character cut at the end of the sniffed head is still UTF-8
	s := []byte("name\n" + strings.Repeat("Иван\n", 10))
	if got := Sniff(s[:len(s)-2], CSVColumns(), Dialect{}); got.Encoding != EncodingUTF8 {
		t.Errorf("cut UTF-8 head: %+v", got)
	}
}

// cp1251Samples are Russian (and Ukrainian) texts as found in case sheets.
var cp1251Samples = []string{
	"Иван Петров;Омск;ст. 207.3 ч. 2 УК РФ",
	"Анна Сидорова,Москва,задержана 12.03.2022 у метро «Пушкинская»",
	"Пётр Ёлкин\tЕкатеринбург\tобвинение по ст. 280.3 — дискредитация",
	"Олександр Їжак;Київ;і є ї",
	"Сергей;ИК-6;а",
	"Мария и Олег — в СИЗО-1 с 2023 г., адвокат: Шевченко",
}

// notCP1251 are Western and Central European texts in their Windows code
// pages (and Latin-1): none of them is taken for Windows-1251.
var notCP1251 = []struct {
	cm *charmap.Charmap
	s  string
}{
	{charmap.Windows1252, "Jürgen Müller;Köln;Straße 5"},
	{charmap.Windows1252, "Hélène Lefèvre,Besançon,garde à vue prolongée"},
	{charmap.Windows1252, "José García;Málaga;detención"},
	{charmap.Windows1252, "João Conceição;São Paulo;ação judicial"},
	{charmap.Windows1252, "Søren Ærø;Århus;fængsel"},
	{charmap.Windows1250, "Antonín Dvořák;Příbram;Příliš žluťoučký kůň úpěl ďábelské ódy"},
	{charmap.Windows1250, "Łukasz Wąsik;Kraków;zażółć gęślą jaźń"},
	{charmap.Windows1250, "Gábor Szőke;Győr;őrizetbe vétel"},
	{charmap.ISO8859_1, "Zoë Brontë,Noël,naïve café"},
}

// TestCP1251Precision measures the detector: every Russian sample is
// detected, and no Western or Central European sample is a false alarm.
func TestCP1251Precision(t *testing.T) {
	hits := 0
	for _, s := range cp1251Samples {
		b := enc(t, charmap.Windows1251, s)
		if utf8.Valid(b) {
			t.Fatalf("sample %q is valid UTF-8 in Windows-1251", s)
		}
		if LooksCP1251(b) {
			hits++
		} else {
			t.Errorf("Windows-1251 not detected: %q", s)
		}
	}
	falseAlarms := 0
	for _, x := range notCP1251 {
		if b := enc(t, x.cm, x.s); LooksCP1251(b) {
			falseAlarms++
			t.Errorf("false alarm: %q (%s) taken for Windows-1251", x.s, x.cm)
		}
	}
	t.Logf("Windows-1251 detected in %d of %d Russian/Ukrainian samples; %d false alarms in %d Western/Central European samples", hits, len(cp1251Samples), falseAlarms, len(notCP1251))
}

// TestImportCP1251Semicolon reads a Windows-1251 file with ';' (as Excel
// saves it in a Russian locale) into the same cases as its UTF-8 form.
func TestImportCP1251Semicolon(t *testing.T) {
	text := "name;region;notes\r\nИван Петров;Омск;«протокол» №5\r\nАнна Сидорова;Москва;\r\n"
	dir := t.TempDir()
	read := func(data []byte, o Options) ([]string, *Report) {
		p := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		o.Format = FormatCSV
		rep, _, err := Check(p, o)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := os.Open(p)
		defer f.Close()
		var names []string
		_, err = ParseFileDialect(f, FormatCSV, nil, *rep.CSV, nil, func(r Record) error {
			if r.Doc == nil {
				t.Fatalf("record %d rejected: %v", r.N, r.Errs)
			}
			names = append(names, r.Doc.Name()+"|"+r.Doc.Doc["person"].(map[string]any)["region"].(string))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return names, rep
	}
	want, rep := read(append([]byte("\xef\xbb\xbf"), text...), Options{})
	if *rep.CSV != (Dialect{';', EncodingUTF8, true}) || rep.Valid != 2 {
		t.Fatalf("UTF-8 with BOM: %+v %+v", rep, rep.CSV)
	}
	got, rep := read(enc(t, charmap.Windows1251, text), Options{})
	if *rep.CSV != (Dialect{';', EncodingCP1251, false}) || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("Windows-1251: %v (%+v), want %v", got, rep.CSV, want)
	}
	// forced UTF-8: the Windows-1251 cells are rejected with a hint
	p := filepath.Join(dir, "in.csv")
	rep, _, err := Check(p, Options{Format: FormatCSV, Dialect: Dialect{Encoding: EncodingUTF8}})
	if err != nil || rep.Invalid != 2 || !strings.Contains(rep.Rejected[0].Reason, "--encoding windows-1251") {
		t.Fatalf("forced UTF-8: %v %+v", err, rep)
	}
}

// FuzzSniff: the sniffer never panics, always names a known delimiter and
// encoding, and a file it calls UTF-8 without a BOM is valid UTF-8 in its
// head (up to a character cut at the end).
func FuzzSniff(f *testing.F) {
	f.Add([]byte("name;region\r\nИван;Омск\r\n"))
	f.Add([]byte("\xef\xbb\xbfname\tregion\n"))
	f.Add(enc(f, charmap.Windows1251, "name,region\nИван,Омск\n"))
	f.Add([]byte("\"name;x\",\"a\nb\";c\n"))
	f.Fuzz(func(t *testing.T, head []byte) {
		d := Sniff(head, CSVColumns(), Dialect{})
		if d.Delimiter != ',' && d.Delimiter != ';' && d.Delimiter != '\t' {
			t.Fatalf("delimiter %q", d.Delimiter)
		}
		if d.Encoding != EncodingUTF8 && d.Encoding != EncodingCP1251 {
			t.Fatalf("encoding %q", d.Encoding)
		}
		if d.BOM != bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
			t.Fatalf("BOM %v", d.BOM)
		}
		if d.Encoding == EncodingCP1251 && utf8.Valid(head) {
			t.Fatalf("valid UTF-8 taken for Windows-1251: %q", head)
		}
	})
}

// TestLatin1Hint: a Latin-1 file is not suggested --encoding windows-1251
// (it would read "José" as "Josй"), and a name cell that is not UTF-8 is
// one problem, not a second "is required" too.
func TestLatin1Hint(t *testing.T) {
	p := filepath.Join(t.TempDir(), "latin1.csv")
	if err := os.WriteFile(p, []byte("name,region\nJos\xe9 M\xfcller,Omsk\nZo\xeb Dupont,Kazan\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, _, err := Check(p, Options{Format: FormatCSV})
	if err != nil || rep.Invalid != 2 {
		t.Fatalf("%v %+v", err, rep)
	}
	if rep.CSV.Encoding != EncodingUTF8 {
		t.Errorf("Latin-1 sniffed as %s", rep.CSV.Encoding)
	}
	if len(rep.Rejected) != 2 {
		t.Errorf("%d problems for 2 rows, want one each: %+v", len(rep.Rejected), rep.Rejected)
	}
	for _, e := range rep.Rejected {
		if strings.Contains(e.Reason, "windows-1251 imports") || strings.Contains(e.Reason, "--encoding windows-1251") || !strings.Contains(e.Reason, "not valid UTF-8") {
			t.Errorf("reason %q", e.Reason)
		}
	}
}
