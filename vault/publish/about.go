package publish

import (
	"bytes"
	"fmt"
	"strings"
)

// ReadmeName is the file of every publication that says what it is, how
// anonymous cases are protected, and what the leak scanner cannot catch.
const ReadmeName = "README.txt"

// ScannerNote says what a leak scanner cannot catch. Every publication
// carries it (README.txt, the site's index, the top of cases.md).
const ScannerNote = "Before release, every text of this publication was scanned by casevault for the " +
	"restricted and confidential details of the publisher's case files (names, contacts, dates, " +
	"addresses, document numbers) and for phone numbers, e-mail addresses and ID numbers. A scanner " +
	"cannot catch everything: paraphrase, initials, nicknames, spelled-out numbers and details that " +
	"identify someone only in combination can get through. A person at the publishing organisation " +
	"reviews each publication before it is released."

// AnonymityNote says how anonymous cases are published.
func AnonymityNote(k int) string {
	return fmt.Sprintf("Cases marked anonymous are shown under a pseudonym, without name, birth year, region, "+
		"facility, occupation, court and judge; the region only as its federal district; dates cut to the "+
		"month, or to the year where few cases share the month. What is shown of each fits at least %d "+
		"cases known to the publisher; where it would not, the details are coarsened further.", k)
}

// renderReadme returns README.txt.
func renderReadme(set *Set, format string) []byte {
	k := setK(set)
	var b bytes.Buffer
	para := func(s string) {
		b.WriteString(wrap(s, 72))
		b.WriteString("\n\n")
	}
	para(fmt.Sprintf("Political prisoners: a publication of %s (%d cases, %s).", set.Org, len(set.Records), format))
	para("About what is published. Only the public fields of cases whose publication consent allows it. " + AnonymityNote(k))
	para("Cases reported by a partner organisation, not by the publisher, name that organisation (\"Reported by\"; \"origin\" in JSON and CSV).")
	para("What the scanner cannot catch. " + ScannerNote)
	para(fmt.Sprintf("Checking the files. MANIFEST.json lists every file with its SHA-256; MANIFEST.sig is %s's Ed25519 signature of it. Check them with: casevault verify-publication DIR --org CARD", set.Org))
	if format == "json" {
		para("The JSON format is described by the JSON Schema public.v1 (schema/public.v1.json in casevault).")
	}
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n')
}

// wrap breaks s into lines of at most width characters at spaces.
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		l := len([]rune(w))
		if n > 0 && n+1+l > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += l
	}
	return b.String()
}
