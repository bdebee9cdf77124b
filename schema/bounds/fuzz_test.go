package bounds

import (
	"encoding/json"
	"testing"
)

// FuzzYAML checks that the scanner never panics and never counts less
// nesting or fewer keys of one mapping than the YAML decoder builds.
func FuzzYAML(f *testing.F) {
	for _, s := range []string{
		"a: [1, {b: c}]\n",
		"- - - x\n- y: z\n  w: [\n  1]\n",
		"a: |\n  [[[\nb: \"x\n  y\" \n",
		"a: &x [1]\nb: *x\n",
		"? k\n: v\n",
		`{"a":[1,2,{"b":"c\"]"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = YAML(data, Limits{MaxDepth: 8, MaxKeys: 8, MaxValues: 64, MaxAliases: 4})
		if len(data) > 4096 {
			return
		}
		checkSound(t, data)
	})
}

// FuzzJSON checks that the JSON scanner never panics, and that a valid
// JSON text it accepts under a depth limit nests no deeper than that.
func FuzzJSON(f *testing.F) {
	f.Add([]byte(`{"a":[1,2,{"b":"c\"]"}]}`))
	f.Add([]byte(`[[[[[[[[[[]]]]]]]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := JSON(data, Limits{MaxDepth: 4, MaxKeys: 4, MaxValues: 1 << 20})
		if err != nil {
			return
		}
		var v any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		if d, k := realShape(v); d > 4 || k > 4 {
			t.Fatalf("accepted with limits 4, but decoded depth %d, %d keys: %q", d, k, data)
		}
	})
}
