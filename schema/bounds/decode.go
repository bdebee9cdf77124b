package bounds

import (
	"bytes"
	"encoding/json"
	"errors"
)

// DecodeStrict decodes the one JSON value of data into v, after checking
// its structure against l: unknown fields and anything after the value
// are refused. It is how every wire format of casevault (cards, shares,
// key wraps, bundle parts) is read.
func DecodeStrict(data []byte, l Limits, v any) error {
	if err := JSON(data, l); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}
