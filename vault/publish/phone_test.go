package publish

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// The library is linked into this test only: the table of phone.go is
// checked against its metadata, and nationalNumber against its Parse.

// TestCallingCodesTable: every calling code of libphonenumber's metadata,
// with its main country's national prefix and possible lengths, is in
// the table, and nothing else is.
func TestCallingCodesTable(t *testing.T) {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]callingCode{}
	for _, m := range coll.GetMetadata() {
		cc := int(m.GetCountryCode())
		if _, ok := want[cc]; ok && !m.GetMainCountryForCode() {
			continue
		}
		var mask uint32
		for _, l := range m.GetGeneralDesc().GetPossibleLength() {
			mask |= 1 << l
		}
		want[cc] = callingCode{cc, m.GetNationalPrefix(), mask}
	}
	if len(want) != len(callingCodes) {
		t.Errorf("table has %d calling codes, the library %d", len(callingCodes), len(want))
	}
	for i, c := range callingCodes {
		if i > 0 && callingCodes[i-1].code >= c.code {
			t.Errorf("table not sorted at %d", c.code)
		}
		if want[c.code] != c {
			t.Errorf("calling code %d: table %+v, library %+v", c.code, c, want[c.code])
		}
	}
}

// libNSN is what valueDigits took from libphonenumber before phone.go.
func libNSN(value string) string {
	num, err := phonenumbers.Parse(value, "RU")
	if err != nil {
		return ""
	}
	return phonenumbers.GetNationalSignificantNumber(num)
}

// TestNationalNumberMatchesLibphonenumber: on numbers of every calling
// code and possible length, written as people write them (with + or 810,
// with the national prefix, without the +, grouped with spaces, dashes,
// dots and brackets, with an extension), the digits valueDigits took from
// libphonenumber (a national number of 7 digits or more that differs
// from all the digits) are among those it takes from nationalNumbers.
// Numbers of Russia, Ukraine, Belarus and Georgia must agree on every form;
// elsewhere the test allows 1 % misses (libphonenumber decides some
// prefixes by number patterns the table does not hold) and logs the rate
// and the readings it adds.
func TestNationalNumberMatchesLibphonenumber(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	digits := func(n int) string {
		var b strings.Builder
		b.WriteByte(byte('1' + rng.IntN(9)))
		for b.Len() < n {
			b.WriteByte(byte('0' + rng.IntN(10)))
		}
		return b.String()
	}
	group := func(s string) string {
		seps := []string{" ", "-", ".", " ", "–"}
		sep := seps[rng.IntN(len(seps))]
		var parts []string
		for len(s) > 4 {
			n := 2 + rng.IntN(2)
			parts = append(parts, s[:n])
			s = s[n:]
		}
		parts = append(parts, s)
		if len(parts) > 2 && rng.IntN(3) == 0 {
			parts[0] = "(" + parts[0] + ")"
		}
		return strings.Join(parts, sep)
	}
	allDigits := func(value string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, value)
	}
	strict := map[int]bool{7: true, 380: true, 375: true, 995: true}
	total, missed, extra, strictTotal := 0, 0, 0, 0
	for _, c := range callingCodes {
		cc := fmt.Sprint(c.code)
		for n := 4; n <= 15; n++ {
			if !c.possible(n) {
				continue
			}
			for range 4 {
				nsn := digits(n)
				forms := []string{
					"+" + cc + " " + group(nsn),
					"+" + cc + nsn,
					"810 " + cc + " " + group(nsn),
					cc + " " + group(nsn),
					group(nsn),
					"+" + cc + " " + group(nsn) + " доб. 12",
					"тел. +" + cc + " " + group(nsn),
				}
				if c.prefix != "" {
					forms = append(forms, c.prefix+" "+group(nsn), "+"+cc+" ("+c.prefix+") "+group(nsn), "+"+cc+" "+c.prefix+group(nsn))
				}
				for _, v := range forms {
					all := allDigits(v)
					var got []string
					for _, g := range nationalNumbers(v) {
						if len(g) >= 7 && g != all {
							got = append(got, g)
						}
					}
					want := libNSN(v)
					total++
					if strict[c.code] {
						strictTotal++
					}
					switch {
					case len(want) >= 7 && want != all && !slices.Contains(got, want):
						missed++
						t.Logf("%q: %q, libphonenumber %q", v, got, want)
						if strict[c.code] {
							t.Errorf("%q: %q, libphonenumber %q", v, got, want)
						}
					case len(got) > 1 || len(got) == 1 && got[0] != want:
						extra++
					}
				}
			}
		}
	}
	t.Logf("%d written numbers (%d of +7, +380, +375, +995): %d readings of libphonenumber missed (%.2f %%), %d with a reading more", total, strictTotal, missed, 100*float64(missed)/float64(total), extra)
	if float64(missed) > 0.01*float64(total) {
		t.Errorf("%d of %d missed, more than 1 %%", missed, total)
	}
}
