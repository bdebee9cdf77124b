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
