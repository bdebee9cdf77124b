package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/goccy/go-yaml"
)

// orderedJSON decodes the schema document data keeping the order of
// object keys, as yaml.UnmarshalWithOptions(data, &out,
// yaml.UseOrderedMap()) does for JSON (objects as yaml.MapSlice, arrays as
// []any, integers as uint64 or int64, other numbers as float64), with
// encoding/json's tokenizer: the YAML parser took about 7 ms of every
// command that reads the field list (issue 14).
// TestOrderedJSONMatchesYAML compares the two on the embedded schema. data
// is our own embedded schema or a test's copy.
func orderedJSON(data []byte) (yaml.MapSlice, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := orderedValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("schema: data after the top-level object")
	}
	m, ok := v.(yaml.MapSlice)
	if !ok {
		return nil, errors.New("schema: the top level is not an object")
	}
	return m, nil
}

// maxSchemaDepth bounds the nesting orderedValue follows.
const maxSchemaDepth = 64

func orderedValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxSchemaDepth {
		return nil, errors.New("schema: nested too deeply")
	}
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := t.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := yaml.MapSlice{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("schema: object key %v is not a string", kt)
				}
				v, err := orderedValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				m = append(m, yaml.MapItem{Key: k, Value: v})
			}
			_, err := dec.Token() // '}'
			return m, err
		case '[':
			l := []any{}
			for dec.More() {
				v, err := orderedValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			_, err := dec.Token() // ']'
			return l, err
		}
		return nil, fmt.Errorf("schema: unexpected %v", t)
	case json.Number:
		s := t.String()
		if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			return u, nil
		}
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
		return strconv.ParseFloat(s, 64)
	default: // string, bool, nil
		return t, nil
	}
}
