package publish

import "github.com/casevault/casevault/vault/internal/fold"

// The fold's tables, read from vault/internal/fold for the site's table
// generator (sitefold_tables_test.go).
var (
	caseEndings   = fold.CaseEndings
	specialLatin  = fold.SpecialLatin()
	cyrLatin      = fold.CyrLatin()
	latinOf       = fold.LatinOf
	cyrConfusable = fold.CyrConfusable
	latinFolds    = latinFoldReplacer{}
)

type latinFoldReplacer struct{}

func (latinFoldReplacer) Replace(s string) string { return fold.FoldLatin(s) }
