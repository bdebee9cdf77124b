package cases

import (
	"encoding/json"
	"testing"
)

func TestUnescapeHTMLJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"a":"x \u0026 y"}`, `{"a":"x & y"}`},
		{`{"a":"\u003cb\u003e"}`, `{"a":"<b>"}`},
		{`{"a":"\\u0026"}`, `{"a":"\\u0026"}`},           // a literal backslash-u stays
		{`{"a":"\\\u0026"}`, `{"a":"\\&"}`},              // backslash then escaped &
		{`{"a":"\u2028\u0041"}`, `{"a":"\u2028\u0041"}`}, // other escapes untouched
		{`{"\u0026":1}`, `{"&":1}`},
	} {
		got, _ := UnescapeHTMLJSON([]byte(tc.in))
		if string(got) != tc.want {
			t.Errorf("UnescapeHTMLJSON(%s) = %s, want %s", tc.in, got, tc.want)
		}
		var a, b any
		if json.Unmarshal([]byte(tc.in), &a) != nil || json.Unmarshal(got, &b) != nil {
			t.Fatalf("%s: not JSON", tc.in)
		}
		if ja, _ := json.Marshal(a); string(ja) != string(mustMarshal(b)) {
			t.Errorf("%s: value changed: %v vs %v", tc.in, a, b)
		}
	}
}

func mustMarshal(v any) []byte { b, _ := json.Marshal(v); return b }
