package schema

import (
	"errors"
	"strings"
	"testing"
)

// Documents given to both readers of a case document: Parse (case add,
// case edit, a YAML file) and FromJSON (a JSONL import record). Each must
// get the same verdict with the same message.
func TestAddAndImportAgree(t *testing.T) {
	cases := []struct {
		name, doc, want string // want: "" = accepted, else part of the message
	}{
		{"valid", `{"schema":"case.v1","person":{"name":"Ivan Petrov","gender":"male"},"status":"pretrial"}`, ""},
		{"number name", `{"schema":"case.v1","person":{"name":5,"gender":"male"},"status":"pretrial"}`, `must be text (got a number); text that looks like a number or true/false goes in quotes: name: "5"`},
		{"bool name", `{"schema":"case.v1","person":{"name":true},"status":"pretrial"}`, `must be text (got true or false)`},
		{"duplicate status", `{"schema":"case.v1","person":{"name":"Ivan"},"status":"x","status":"sentenced"}`, "this field appears twice in the same place (first on line 1); keep one of them"},
		{"duplicate nested", "{\"schema\":\"case.v1\",\n\"person\":{\"name\":\"Ivan\",\n\"name\":\"Oleg\"},\"status\":\"pretrial\"}", "this field appears twice in the same place (first on line 2); keep one of them"},
		{"same key in two objects", `{"schema":"case.v1","person":{"name":"Ivan"},"status":"pretrial","charges":[{"article":"275"},{"article":"276"}]}`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, addErr := Parse([]byte(tc.doc))
			_, impErr := FromJSON([]byte(tc.doc))
			if verdict(addErr) != verdict(impErr) {
				t.Fatalf("add and import disagree:\nadd:    %v\nimport: %v", addErr, impErr)
			}
			if tc.want == "" {
				if addErr != nil {
					t.Fatalf("refused: %v", addErr)
				}
				return
			}
			if addErr == nil || !strings.Contains(addErr.Error(), tc.want) {
				t.Fatalf("got %v, want %q", addErr, tc.want)
			}
		})
	}
}

// verdict is the part of an error a user reads about the document: the
// problems of a validation error, the message of a syntax error.
func verdict(err error) string {
	if err == nil {
		return "accepted"
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		var b strings.Builder
		for _, p := range ve.Problems {
			b.WriteString(p.Path + ": " + p.Message + "\n")
		}
		return b.String()
	}
	var se *SyntaxError
	if errors.As(err, &se) {
		return se.Message
	}
	return err.Error()
}

// YAML plain scalars are still read as the text written (numbersAsText).
func TestYAMLPlainNumberStillText(t *testing.T) {
	c, err := Parse([]byte("schema: case.v1\nperson:\n  name: 5\nstatus: pretrial\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Doc["person"].(map[string]any)["name"]; got != "5" {
		t.Fatalf("name = %#v", got)
	}
}

func TestBinaryValueNamed(t *testing.T) {
	_, err := Parse([]byte("schema: case.v1\nperson: !!binary aGVsbG8=\nstatus: pretrial\n"))
	if err == nil || !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), "person: binary values (!!binary) are not accepted") {
		t.Fatalf("got %v", err)
	}
	_, err = Parse([]byte("schema: case.v1\nperson:\n  name: Ivan\n  aliases: [a, !!binary aGVsbG8=]\nstatus: pretrial\n"))
	if err == nil || !strings.Contains(err.Error(), "person.aliases[1]: binary values") {
		t.Fatalf("got %v", err)
	}
}

// The place of a repeated JSON field is where the YAML reader put it.
func TestJSONDuplicatePlace(t *testing.T) {
	doc := "{\"schema\":\"case.v1\",\"person\":{\"name\":\"Ivan\"},\n  \"status\":\"x\", \"status\":\"sentenced\"}"
	_, err := FromJSON([]byte(doc))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 2 || se.Column != 17 || !strings.Contains(se.Message, "first on line 2") {
		t.Fatalf("got %#v", err)
	}
	if !errors.Is(err, ErrSyntax) {
		t.Fatal("not ErrSyntax")
	}
}

// Keys are compared as decoded: an escaped spelling of a key is the key.
func TestJSONDuplicateEscaped(t *testing.T) {
	for doc, dup := range map[string]bool{
		`{"st\u0061tus":"x","status":"pretrial"}`:               true,
		`{"a\"b":1,"a\"b":2}`:                                   true,
		`{"a":"\"b\":","b":1}`:                                  false, // a string value that looks like a key
		`{"l":[{"a":1},{"a":2}],"m":{"a":1},"a":{"a":{"a":1}}}`: false,
		`{"o":{"x":1,"x":2}}`:                                   true,
	} {
		err := checkJSONDuplicates([]byte(doc))
		if (err != nil) != dup {
			t.Errorf("%s: got %v, want duplicate %v", doc, err, dup)
		}
	}
}
