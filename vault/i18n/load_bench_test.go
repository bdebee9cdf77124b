package i18n

import (
	"sync"
	"testing"
)

// BenchmarkLoad measures reading the English messages, which every
// process that prints a message pays once, and all the catalogues.
func BenchmarkLoad(b *testing.B) {
	reset := func() {
		for _, f := range files {
			f.once = sync.Once{}
		}
	}
	b.Run("en-active", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			reset()
			T("en", "label.error", nil)
		}
	})
	b.Run("all", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			reset()
			if err := Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkTranslateText: one line of an error said again in Russian by
// matching the English catalogue (what the CLI does for each line it
// prints in another language): go test ./vault/i18n -bench TranslateText
func BenchmarkTranslateText(b *testing.B) {
	line := `remote "office": 3 objects refused: they do not open under this vault's sync key (planted, altered or truncated): [a b c]`
	if TranslateText("ru", line) == line {
		b.Fatal("not translated")
	}
	for i := 0; i < b.N; i++ {
		TranslateText("ru", line)
	}
}
