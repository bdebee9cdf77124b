package index

import (
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Vladimir Kara-Murza", "vladimir kara murza"},
		{"Владимир Кара-Мурза", "владимир кара мурза"},
		{"ФЁДОР Фёдор федор", "федор"}, // ё folded, duplicates removed
		{"207.3(2) 284.1", "207.3 2 284.1"},
		{"v.2 3. .4 1.2.3", "v 2 3 4 1.2.3"},
		{"IK-6, Omsk region", "ik 6 omsk region"},
		// Decomposed (NFD) Cyrillic й and ё, as macOS writes them.
		{"Андре\u0438\u0306", "андрей"},
		{"Андре\u0418\u0306", "андрей"},
		{"Фе\u0308дор", "федор"},
		{"Е\u0308лкин", "елкин"},
		// Other combining marks stay inside the word.
		{"cafe\u0301 noir", "cafe\u0301 noir"},
		{"  -- ! ", ""},
	} {
		if got := strings.Join(Tokens(tc.in), " "); got != tc.want {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
