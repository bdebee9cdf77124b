package main

import (
	"context"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
)

// scriptedIO is the two ends of the accessible form in-process: what the
// form writes is read as questions, and each question's answer is what
// the form reads next.
type scriptedIO struct {
	answer     func(block string) string
	block      strings.Builder
	transcript strings.Builder
	answers    chan string
	rest       string
}

func (s *scriptedIO) Write(p []byte) (int, error) {
	s.transcript.Write(p)
	s.block.Write(p)
	if len(p) > 0 && p[len(p)-1] != '\n' {
		a := s.answer(s.block.String())
		s.transcript.WriteString(a + "\n")
		s.block.Reset()
		select {
		case s.answers <- a + "\n":
		default: // more than the channel holds: the form loops
			close(s.answers)
		}
	}
	return len(p), nil
}

func (s *scriptedIO) Read(p []byte) (int, error) {
	if s.rest == "" {
		a, ok := <-s.answers
		if !ok {
			return 0, io.EOF
		}
		s.rest = a
	}
	n := copy(p, s.rest)
	s.rest = s.rest[n:]
	return n, nil
}

// TestFormPicksUpSchemaFields runs the form on a copy of the schema with
// a list added (hearings, as a later schema change might add it): the
// form asks for it without being told, with the levels of its fields,
// and the case comes out valid under that schema.
func TestFormPicksUpSchemaFields(t *testing.T) {
	text := string(schema.SchemaJSON())
	hearings := `"visits": {
      "description": "Prison visits.",
      "x-sensitivity": "public",
      "type": "array",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "date": {"description": "Day of the hearing.", "x-sensitivity": "public", "$ref": "#/$defs/date"},
          "room": {"description": "Court room.", "x-sensitivity": "restricted", "$ref": "#/$defs/shortText"}
        }
      }
    },
    "proceedings": {`
	if !strings.Contains(text, `"proceedings": {`) {
		t.Fatal("the schema has no proceedings")
	}
	s, err := schema.Load([]byte(strings.Replace(text, `"proceedings": {`, hearings, 1)))
	if err != nil {
		t.Fatal(err)
	}
	a := &accessAnswers{
		inputs: map[string]string{
			"Name (Latin script)": "Anna K",
			"Date [public]":       "2026-12-01",
			"Room [restricted]":   "Hall 3",
		},
		confirms: map[string]string{"Add an entry of Visits?": "y"},
		choices:  map[string]string{"What now?": "Store the case"},
		ticked:   map[string]int{},
	}
	sio := &scriptedIO{answer: a.answer, answers: make(chan string, 400)}
	ctx := context.Background()
	f := &caseForm{ctx: ctx, s: s, fields: s.FormFields(), doc: map[string]any{}, accessible: true, out: sio}
	f.in = newLineReader(ctx, sio)
	stored, err := f.fill()
	if err != nil || !stored {
		t.Fatalf("fill: %v, %v\n%s", stored, err, sio.transcript.String())
	}
	c, err := f.result()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(c.Doc["visits"])
	if string(got) != `[{"date":"2026-12-01","room":"Hall 3"}]` {
		t.Errorf("visits %s\n%s", got, sio.transcript.String())
	}
	if !strings.Contains(sio.transcript.String(), "Room [restricted] — Court room.") {
		t.Errorf("the new field's level is not shown:\n%s", sio.transcript.String())
	}
}

// TestFormFieldCheck checks that what the form says of one value is what
// the validator says of a case file holding it.
func TestFormFieldCheck(t *testing.T) {
	f := &caseForm{s: schema.Default(), fields: schema.FormFields(), doc: map[string]any{}}
	for _, tc := range []struct {
		path, value string
		kind        schema.FormKind
		file        string // a case file with the same value
	}{
		{"charges[3].date", "2022-02-30", schema.FormText, "person: {name: X}\ncharges: [{date: 2022-02-30}]\n"},
		{"person.citizenship", "RU; ru", schema.FormList, "person: {name: X, citizenship: [RU, ru]}\n"},
		{"person.birth_year", "19x0", schema.FormInteger, "person: {name: X, birth_year: 19x0}\n"},
		{"person.birth_date", "1990-13", schema.FormText, "person: {name: X, birth_date: 1990-13}\n"},
	} {
		err := f.fieldError(tc.path, fieldValue(schema.FormField{Kind: tc.kind}, tc.value))
		if err == nil {
			t.Errorf("%s=%q: no problem found", tc.path, tc.value)
			continue
		}
		_, perr := schema.Parse([]byte(tc.file))
		ve, ok := perr.(*schema.ValidationError)
		if !ok || len(ve.Problems) != 1 {
			t.Fatalf("%s: Parse says %v", tc.file, perr)
		}
		if !strings.HasSuffix(err.Error(), ve.Problems[0].Message) {
			t.Errorf("%s: the form says %q, the validator %q", tc.path, err, ve.Problems[0].Message)
		}
	}
	if err := f.fieldError("person.name", nil); err == nil || err.Error() != "is required" {
		t.Errorf("an empty name: %v", err)
	}
	if err := f.fieldError("person.name", "Anna"); err != nil {
		t.Errorf("a name: %v", err)
	}
}

// accessAnswers answers the questions of the accessible form.
type accessAnswers struct {
	inputs   map[string]string   // by the start of the question
	choices  map[string]string   // a single choice: the option's text
	multi    map[string][]string // a multiple choice: options to tick
	confirms map[string]string   // y or n
	ticked   map[string]int
	title    string // the title of the current list question
}

var optionRE = regexp.MustCompile(`^(\d+)\.\s+(?:✓ )?(.*)$`)

// answer returns the answer to the question at the end of block (what
// was printed since the last answer).
func (a *accessAnswers) answer(block string) string {
	lines := strings.Split(block, "\n")
	prompt := lines[len(lines)-1]
	match := func(m map[string]string, q string) (string, bool) {
		for k, v := range m {
			if strings.HasPrefix(q, k) {
				return v, true
			}
		}
		return "", false
	}
	if strings.HasPrefix(prompt, "Enter a number between") {
		opts := map[string]string{}
		for _, l := range lines[:len(lines)-1] {
			l = strings.TrimSpace(l)
			if m := optionRE.FindStringSubmatch(l); m != nil {
				opts[m[2]] = m[1]
				continue
			}
			if l != "" && !strings.HasPrefix(l, "Select up to") {
				a.title = l
			}
		}
		if want, ok := match(a.choices, a.title); ok {
			return opts[want]
		}
		for k, list := range a.multi {
			if strings.HasPrefix(a.title, k) {
				if a.ticked[k] < len(list) {
					a.ticked[k]++
					return opts[list[a.ticked[k]-1]]
				}
				return "0"
			}
		}
		return ""
	}
	if strings.HasSuffix(prompt, "[y/N] ") || strings.HasSuffix(prompt, "[Y/n] ") {
		v, _ := match(a.confirms, prompt)
		return v
	}
	v, _ := match(a.inputs, prompt)
	return v
}
