package fold

import "maps"

// The accessors below give the fold's tables to code that must fold the
// same way somewhere Go does not run: the published site's script, whose
// tables vault/publish generates from these (assets/foldtables.json).

// CaseEndings are the case endings Stem strips, in skeleton form, in the
// order it tries them.
func CaseEndings() []string { return append([]string(nil), caseEndings()...) }

// SpecialLatin are the Latin letters folded to a digraph (š → sh).
func SpecialLatin() map[rune]string { return maps.Clone(specialLatin) }

// CyrLatin is the Cyrillic to Latin transliteration of a Cyrillic word.
func CyrLatin() map[rune]string { return maps.Clone(cyrLatin) }

// LatinOf is the ASCII letter that a letter of another script looks like
// or decomposes to, or 0.
func LatinOf(r rune) rune { return latinOf(r) }

// CyrConfusable maps ASCII letters to the Cyrillic letters they imitate.
func CyrConfusable() map[rune]rune { return maps.Clone(cyrConfusable()) }

// FoldLatin applies the Latin fold pairs to s.
func FoldLatin(s string) string { return latinFolds.Replace(s) }
