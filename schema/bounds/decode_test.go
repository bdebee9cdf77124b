package bounds

import (
	"errors"
	"strings"
	"testing"
)

// TestDecodeStrict: one value with known fields decodes; an unknown
// field, data after the value, bad JSON and a structure over the limits
// are refused.
func TestDecodeStrict(t *testing.T) {
	type card struct {
		Name string `json:"name"`
	}
	var c card
	if err := DecodeStrict([]byte(`{"name":"Alpha"}`+"\n"), Wire, &c); err != nil || c.Name != "Alpha" {
		t.Fatalf("good value: %+v, %v", c, err)
	}
	for _, bad := range []string{`{"name":"A","extra":1}`, `{"name":"A"} {"name":"B"}`, `{"name":"A"}x`, `{"name":`, ``} {
		if err := DecodeStrict([]byte(bad), Wire, &card{}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	deep := strings.Repeat(`{"a":`, 40) + `1` + strings.Repeat(`}`, 40)
	if err := DecodeStrict([]byte(deep), Wire, &map[string]any{}); !errors.Is(err, ErrLimit) {
		t.Errorf("40 levels deep: %v, want ErrLimit", err)
	}
}
