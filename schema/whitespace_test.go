package schema

import (
	"errors"
	"strings"
	"testing"
)

// The decoder is quadratic in raw tabs inside double-quoted strings and
// in whitespace-only lines opening a block scalar (issue 11, attack 01):
// Parse refuses such files before decoding, naming the line, and still
// reads what people write.
func TestParseWhitespaceBombs(t *testing.T) {
	head := "person:\n  name: X\nnotes: "
	refused := map[string]string{
		"tabs in double quotes":    head + "\"" + strings.Repeat("\t", 262144) + "\"\n",
		"spaced tabs in quotes":    head + "\"" + strings.Repeat("a\t", 131072) + "\"\n",
		"tabs across quoted lines": head + "\"a\n" + strings.Repeat(strings.Repeat("a", 1024)+"\t\n", 2048) + "\"\n",
		"folded blank lines":       head + ">\n" + strings.Repeat(" \n", 131072),
		"literal blank lines":      head + "|\n" + strings.Repeat("   \n", 65536),
		"tabs in a quoted key":     "\"" + strings.Repeat("\t", 100000) + "\": 1\n",
	}
	for name, in := range refused {
		_, err := Parse([]byte(in))
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "line ") {
			t.Errorf("%s: got %v, want a limit error naming the line", name, err)
		}
	}
	accepted := []string{
		head + "\"a\tb\tc\"\n",
		head + "\"" + strings.Repeat("word\t", 500) + "\"\n",
		head + "'" + strings.Repeat("\t", 100000) + "'\n",
		head + "|\n  first\n" + strings.Repeat("   \n", 10000) + "  last\n",
		head + "|\n" + strings.Repeat("\n", 10000) + "  after empty lines\n",
		head + ">\n" + strings.Repeat("  \n", 16) + "  text\n",
		head + "|\n  a\t\tb\n",
	}
	for _, in := range accepted {
		if _, err := Parse([]byte(in)); err != nil {
			t.Errorf("%.40q...: %v", in, err)
		}
	}
}
