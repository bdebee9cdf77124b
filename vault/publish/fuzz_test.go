package publish

import (
	"testing"
	"unicode/utf8"
)

// FuzzLeakScan scans arbitrary text for an arbitrary secret: the scan
// never panics, every span lies inside the text, masking keeps valid
// UTF-8, and a secret that became a whole-value needle is found when the
// text holds it verbatim between other words.
func FuzzLeakScan(f *testing.F) {
	f.Add("майор Дмитрий Савчук", "Beaten by Savchuk.")
	f.Add("+7 912 345-67-89", "call 8.912.345.67.89")
	f.Add("1990-09-13", "born 13 сентября 1990 г.")
	f.Add("ул. Ленина, д. 5, кв. 12", "Lenina 5, apt 12")
	f.Add("elena.semenova@example.org", "mailto:elena.semenova%40example.org")
	f.Add("Shakhnovsky", "\u202eyksvonhkahS\u202c and Ｓｈａｋｈ\u200bnovsky")
	f.Add("Chronic hepatitis diagnosed in the prison hospital", "x%D0%B3%ZZ%")
	f.Fuzz(func(t *testing.T, secret, text string) {
		if len(secret) > 2000 || len(text) > 4000 || !utf8.ValidString(secret) || !utf8.ValidString(text) {
			return
		}
		s := newScanner()
		s.addValue("c-secret", "", "notes", "notes", secret, "confidential", nil)
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
		if len(s.phrases) > 0 {
			planted := "Zzyzx " + secret + " Qwertz"
			if len(s.scan(r, "summary", planted)) == 0 {
				t.Fatalf("secret %q not found in %q", secret, planted)
			}
		}
	})
}
