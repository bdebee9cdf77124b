// Package confusable compares names as people see them: two names that
// look the same on a screen have the same [Skeleton].
//
// The skeleton follows Unicode Technical Standard #39 (Security
// Mechanisms), section 4 "Confusable Detection", after removing what does
// not show and folding what people do not tell apart:
//
//  1. remove default-ignorable code points (format characters, category
//     Cf, such as ZERO WIDTH SPACE U+200B and the bidi controls; variation
//     selectors; the other Default_Ignorable_Code_Point characters);
//  2. normalise to NFKC and collapse every run of white space to one
//     space, trimmed;
//  3. fold case, and map each character through the UTS #39 confusables
//     table (confusables.txt) between two NFD normalisations; [Confusable]
//     also compares in the other order (map, then fold);
//  4. remove combining marks and everything but letters and digits
//     (spaces, punctuation, dashes), which people read past.
//
// The table comes from github.com/mtibben/confusables (vendored in
// vault/internal/third_party/confusables, built on first use), generated
// from Unicode's confusables.txt version 13.0.0
// (https://www.unicode.org/Public/security/13.0.0/confusables.txt).
package confusable

import (
	"strings"
	"unicode"

	"github.com/casevault/casevault/vault/internal/third_party/confusables"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

var fold = cases.Fold()

// Ignorable reports whether r is default-ignorable: invisible when
// displayed, so two names differing only by it look the same.
func Ignorable(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) ||
		r == 0x034F || r == 0x115F || r == 0x1160 || r == 0x3164 || r == 0xFFA0 || // not Cf, also ignorable
		r == 0x2800 // BRAILLE PATTERN BLANK: shows as a space in most fonts
}

// squash removes what people do not read as part of a name's letters:
// combining marks (after NFD: "Groụp" is "Group"), and every character
// that is neither a letter nor a digit — spaces, punctuation, dashes,
// symbols ("Defence Group.", "Defence—Group", "DefenceGroup" are one
// name). A name of nothing else is kept as it was.
func squash(s string) string {
	out := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, norm.NFD.String(s))
	if out == "" {
		return s
	}
	return out
}

// clean removes default-ignorable code points, normalises to NFKC and
// collapses white space.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if Ignorable(r) {
			return -1
		}
		return r
	}, s)
	return squash(strings.Join(strings.FieldsFunc(norm.NFKC.String(s), unicode.IsSpace), " "))
}

// Skeleton returns the case-folded skeleton of s: names equal under it
// look alike whatever their case. [Confusable] also compares the
// skeletons before folding, which catches capitals of other scripts
// (Greek "Β" for "B") that folding would turn into letters that differ.
func Skeleton(s string) string {
	return squash(confusables.Skeleton(fold.String(clean(s))))
}

// Confusable reports whether a and b look alike: equal skeletons after
// folding case, or equal skeletons folded afterwards.
func Confusable(a, b string) bool {
	ca, cb := clean(a), clean(b)
	return squash(confusables.Skeleton(fold.String(ca))) == squash(confusables.Skeleton(fold.String(cb))) ||
		squash(fold.String(confusables.Skeleton(ca))) == squash(fold.String(confusables.Skeleton(cb)))
}
