package schema

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/casevault/casevault/schema/internal/jsonschema"
	"github.com/casevault/casevault/schema/internal/jsonschema/kind"
	"github.com/casevault/casevault/vault/i18n"
)

// A ValidationError lists what is wrong with a case file.
type ValidationError struct {
	// Problems holds one entry per problem, sorted by path.
	Problems []Problem
}

// Error returns "case file is invalid:" followed by one indented line per
// problem.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("case file is invalid:")
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Localize returns the error in lang (en, ru, uk): the field paths stay as
// they are (they are the case file's), the words are translated.
func (e *ValidationError) Localize(lang string) string {
	var b strings.Builder
	b.WriteString(i18n.T(lang, "schema.invalid", nil))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.Path + ": " + p.Localize(lang))
	}
	return b.String()
}

// A Problem is one way in which a case file does not match the schema.
type Problem struct {
	// Path is where the problem is, as a user would write it:
	// "person.name", "charges[0].article", or "(root)" for the whole file.
	// For a missing or unknown field it is the path of that field.
	Path string
	// Rule is the rule broken: a JSON Schema keyword such as "required",
	// "enum", "pattern", "additionalProperties", "type" or "maxLength", or
	// one of "override-lowers", "override-unknown-field", "consistency" and
	// "date-order" for the rules checked outside the schema.
	Rule string
	// Message says what is wrong, in lowercase words for the user.
	Message string
	// Msg is Message as a catalogued message (vault/i18n), for the CLI to
	// show in the user's language; its ID is empty for a problem that has
	// only the English Message.
	Msg i18n.Msg
}

// Localize returns the problem's message in lang.
func (p Problem) Localize(lang string) string {
	if p.Msg.ID == "" {
		return p.Message
	}
	return p.Msg.In(lang)
}

// problem returns a Problem whose Message is message id with data.
func problem(path, rule, id string, data map[string]any) Problem {
	m := i18n.Msg{ID: id, Data: data}
	return Problem{Path: path, Rule: rule, Message: m.String(), Msg: m}
}

func msg(id string, data map[string]any) i18n.Msg { return i18n.Msg{ID: id, Data: data} }

// String returns "path: message".
func (p Problem) String() string {
	return p.Path + ": " + p.Message
}

// Validate checks c.Doc against the case.v1 schema and the rules the schema
// cannot express, such as that sensitivity_overrides only raise levels. It
// returns a [*ValidationError] listing every problem found, or nil.
func (c *Case) Validate() error {
	var doc any = c.Doc
	if c.Doc == nil {
		doc = nil
	}
	m := c.schema()
	problems := m.schemaProblems(doc)
	if c.Doc != nil {
		problems = append(problems, m.checkOverrides(c.Doc)...)
		problems = append(problems, checkDates(c.Doc)...)
	}
	return problemsError(problems)
}

// validateValue checks v against the schema only.
func (m *Schema) validateValue(v any) error {
	return problemsError(m.schemaProblems(v))
}

func problemsError(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	slices.SortFunc(problems, func(a, b Problem) int {
		if c := comparePaths(a.Path, b.Path); c != 0 {
			return c
		}
		if c := strings.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
	return &ValidationError{Problems: slices.CompactFunc(problems, func(a, b Problem) bool {
		return a.Path == b.Path && a.Rule == b.Rule && a.Message == b.Message
	})}
}

// comparePaths orders paths as strings, except that array indices compare
// as numbers, so that charges[2] comes before charges[10].
func comparePaths(a, b string) int {
	for a != "" && b != "" {
		i, j := strings.IndexByte(a, '['), strings.IndexByte(b, '[')
		if i < 0 || j < 0 || a[:i] != b[:j] {
			break
		}
		a, b = a[i+1:], b[j+1:]
		ea, eb := strings.IndexByte(a, ']'), strings.IndexByte(b, ']')
		if ea < 0 || eb < 0 {
			break
		}
		na, _ := strconv.Atoi(a[:ea])
		nb, _ := strconv.Atoi(b[:eb])
		if na != nb {
			return na - nb
		}
		a, b = a[ea+1:], b[eb+1:]
	}
	return strings.Compare(a, b)
}

func (m *Schema) schemaProblems(doc any) []Problem {
	err := m.compiled().Validate(doc)
	if err == nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return []Problem{{Path: "(root)", Rule: "schema", Message: err.Error()}}
	}
	var out []Problem
	m.collect(doc, verr, "", &out)
	return out
}

// collect appends the problems of the leaves of the error tree e to out.
// A non-empty keyPath stands for the instance location, for the errors of
// a property name.
func (m *Schema) collect(doc any, e *jsonschema.ValidationError, keyPath string, out *[]Problem) {
	if k, ok := e.ErrorKind.(*kind.PropertyNames); ok {
		// The object's path comes from the schema location: the instance
		// location the validator reports for property-name errors is not
		// reliable (it was seen pointing at a sibling object).
		p := objectPathFromSchema(e.SchemaURL)
		if p == "" {
			p = userPath(doc, e.InstanceLocation)
		}
		p = joinPath(p, k.Property)
		for _, cause := range e.Causes {
			m.collect(doc, cause, p, out)
		}
		return
	}
	if len(e.Causes) > 0 {
		for _, cause := range e.Causes {
			m.collect(doc, cause, keyPath, out)
		}
		return
	}
	path := keyPath
	if path == "" {
		path = userPath(doc, e.InstanceLocation)
	}
	add := func(path, rule, id string, data map[string]any) {
		*out = append(*out, problem(path, rule, id, data))
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		for _, name := range k.Missing {
			add(joinPath(path, name), "required", "schema.required", nil)
		}
	case *kind.AdditionalProperties:
		props, _ := m.pointer(e.SchemaURL)["properties"].(map[string]any)
		known := make([]string, 0, len(props))
		for name := range props {
			known = append(known, name)
		}
		slices.Sort(known)
		for _, name := range k.Properties {
			var more any = ""
			if s := suggest(name, known); s != "" {
				more = msg("schema.didYouMean", map[string]any{"Suggestion": strconv.Quote(s)})
			} else if len(known) > 0 {
				more = msg("schema.knownFields", map[string]any{"Fields": strings.Join(known, ", ")})
			}
			add(joinPath(path, name), "additionalProperties", "schema.unknownField", map[string]any{"Name": strconv.Quote(name), "More": more})
		}
	case *kind.Type:
		var more any = ""
		if slices.Contains(k.Want, "string") {
			more = quoteHintMsg(doc, e.InstanceLocation, valueAt(doc, e.InstanceLocation))
		}
		add(path, "type", "schema.type", map[string]any{"Want": typeWords(k.Want...), "Got": typeWords(k.Got), "More": more})
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		var more any = ""
		// The suggestion is a word of the vocabulary, shown whatever the
		// field's level.
		if s, ok := k.Got.(string); ok {
			if hint := suggest(s, want); hint != "" {
				more = msg("schema.didYouMean", map[string]any{"Suggestion": strconv.Quote(hint)})
			}
		}
		add(path, "enum", "schema.enum", map[string]any{"Values": strings.Join(want, ", "), "Got": got(doc, path, show(k.Got)), "More": more})
	case *kind.Const:
		add(path, "const", "schema.const", map[string]any{"Want": show(k.Want), "Got": got(doc, path, show(k.Got))})
	case *kind.Pattern:
		var hint any
		if h, _ := m.pointer(e.SchemaURL)["x-pattern-message"].(string); h != "" {
			hint = i18n.Text(h)
		} else {
			hint = msg("schema.pattern.default", map[string]any{"Pattern": k.Want})
		}
		add(path, "pattern", "schema.pattern", map[string]any{"Hint": hint, "Got": got(doc, path, show(k.Got))})
	case *kind.MaxLength:
		add(path, "maxLength", "schema.maxLength", map[string]any{"Got": k.Got, "Want": k.Want})
	case *kind.MinLength:
		if k.Want == 1 {
			add(path, "minLength", "schema.empty", nil)
		} else {
			add(path, "minLength", "schema.minLength", map[string]any{"Got": k.Got, "Want": k.Want})
		}
	case *kind.MaxItems:
		add(path, "maxItems", "schema.maxItems", map[string]any{"Got": k.Got, "Want": k.Want})
	case *kind.MinItems:
		add(path, "minItems", "schema.minItems", map[string]any{"Got": k.Got, "Want": k.Want})
	case *kind.MaxProperties:
		add(path, "maxProperties", "schema.maxItems", map[string]any{"Got": k.Got, "Want": k.Want})
	case *kind.UniqueItems:
		add(path, "uniqueItems", "schema.uniqueItems", map[string]any{"A": k.Duplicates[0], "B": k.Duplicates[1]})
	case *kind.Minimum:
		add(path, "minimum", "schema.minimum", map[string]any{"Want": k.Want.RatString(), "Got": got(doc, path, k.Got.RatString())})
	case *kind.Maximum:
		add(path, "maximum", "schema.maximum", map[string]any{"Want": k.Want.RatString(), "Got": got(doc, path, k.Got.RatString())})
	case *kind.FalseSchema:
		add(path, "false", "schema.notAllowed", nil)
	default:
		rule := strings.Join(e.ErrorKind.KeywordPath(), "/")
		if rule == "" {
			rule = "schema"
		}
		add(path, rule, "schema.unsatisfied", map[string]any{"Rule": rule})
	}
}

// userPath turns a JSON pointer's tokens into a path as a user writes it,
// using doc to tell array indices from field names.
// objectPathFromSchema turns the schema location of a keyword inside
// nested "properties" (…#/properties/a/properties/b/propertyNames) into the
// user path of the object it applies to ("a.b"). It returns "" when the
// location passes through anything but "properties".
func objectPathFromSchema(schemaURL string) string {
	_, frag, ok := strings.Cut(schemaURL, "#")
	if !ok {
		return ""
	}
	toks := strings.Split(strings.Trim(frag, "/"), "/")
	if len(toks) == 0 || toks[len(toks)-1] != "propertyNames" {
		return ""
	}
	toks = toks[:len(toks)-1]
	var parts []string
	for i := 0; i < len(toks); i += 2 {
		if toks[i] != "properties" || i+1 >= len(toks) {
			return ""
		}
		parts = append(parts, toks[i+1])
	}
	return strings.Join(parts, ".")
}

func userPath(doc any, tokens []string) string {
	var b strings.Builder
	v := doc
	for _, tok := range tokens {
		switch cur := v.(type) {
		case []any:
			b.WriteString("[" + tok + "]")
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(cur) {
				v = cur[i]
			} else {
				v = nil
			}
		case map[string]any:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(tok)
			v = cur[tok]
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(tok)
			v = nil
		}
	}
	if b.Len() == 0 {
		return "(root)"
	}
	return b.String()
}

func joinPath(parent, name string) string {
	if parent == "" || parent == "(root)" {
		return name
	}
	return parent + "." + name
}

// pointer returns the schema object at the absolute schema location loc,
// or nil.
func (m *Schema) pointer(loc string) map[string]any {
	_, frag, _ := strings.Cut(loc, "#")
	v := m.doc
	for _, tok := range strings.Split(frag, "/") {
		if tok == "" {
			continue
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch cur := v.(type) {
		case map[string]any:
			v = cur[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(cur) {
				return nil
			}
			v = cur[i]
		default:
			return nil
		}
	}
	obj, _ := v.(map[string]any)
	return obj
}

// typeWords names types as a message says them ("text or empty").
func typeWords(types ...string) i18n.Msg {
	var out i18n.Msg
	for i, t := range types {
		w := msg("schema.kind."+t, nil)
		switch t {
		case "object", "array", "string", "integer", "number", "boolean", "null":
		default:
			w = msg("schema.kind.other", map[string]any{"Kind": t})
		}
		if i == 0 {
			out = w
		} else {
			out = msg("schema.or", map[string]any{"A": out, "B": w})
		}
	}
	return out
}

// revealable reports whether an error message may quote the value of the
// field at path of doc: only when its effective level is public. Messages
// reach terminals, logs and CI output, so they never quote a restricted or
// confidential value. sensitivity_overrides holds only field paths and
// level names, which the path of a problem shows anyway.
func revealable(doc any, path string) bool {
	if strings.HasPrefix(path, "sensitivity_overrides.") {
		return true
	}
	m, _ := doc.(map[string]any)
	return (&Case{Doc: m}).Level(path) == Public
}

// got returns "got " and shown, the value as a message quotes it, for a
// message about the field at path; or says that the value is not shown
// when the field is not public.
func got(doc any, path, shown string) i18n.Msg {
	if !revealable(doc, path) {
		m, _ := doc.(map[string]any)
		level := (&Case{Doc: m}).Level(path).String()
		return msg("schema.hidden", map[string]any{"Level": msg("vocab.level."+level, nil)})
	}
	return msg("schema.got", map[string]any{"Value": shown})
}

// show quotes a value for a message, shortening long text.
func show(v any) string {
	switch v := v.(type) {
	case string:
		if r := []rune(v); len(r) > 60 {
			v = string(r[:57]) + "..."
		}
		return strconv.Quote(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	case nil:
		return "nothing"
	}
	return fmt.Sprint(v)
}

// suggest returns the candidate closest to s if it is close enough to be
// what the user meant, or "".
func suggest(s string, candidates []string) string {
	best, bestDist := "", 3
	if len(s) <= 4 {
		bestDist = 2
	}
	for _, c := range candidates {
		if d := distance(strings.ToLower(s), c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b, by
// runes: edits, with a swap of two neighbours counted as one.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 100 || len(rb) > 100 {
		return 1 << 30
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// checkOverrides reports sensitivity_overrides that name no field or that
// would lower a level.
func (m *Schema) checkOverrides(doc map[string]any) []Problem {
	overrides, _ := doc["sensitivity_overrides"].(map[string]any)
	var out []Problem
	for path, v := range overrides {
		name, _ := v.(string)
		level, err := ParseLevel(name)
		if err != nil {
			continue // the schema reports it
		}
		where := "sensitivity_overrides." + path
		def, known := m.DefaultLevel(path)
		if !known || strings.Contains(path, "[") {
			var more any = ""
			if s := suggest(path, m.fieldPaths()); s != "" {
				more = msg("schema.didYouMean", map[string]any{"Suggestion": strconv.Quote(s)})
			}
			out = append(out, problem(where, "override-unknown-field", "schema.overrideUnknown", map[string]any{"Path": strconv.Quote(path), "More": more}))
			continue
		}
		if level < def {
			out = append(out, problem(where, "override-lowers", "schema.overrideLowers", map[string]any{
				"Path": path, "From": msg("vocab.level."+def.String(), nil), "To": msg("vocab.level."+level.String(), nil)}))
		}
	}
	return out
}

func (m *Schema) fieldPaths() []string {
	paths := make([]string, len(m.fields))
	for i, f := range m.fields {
		paths[i] = f.Path
	}
	return paths
}

// checkDates reports birth_year disagreeing with birth_date, and periods of
// detention that end before they start.
func checkDates(doc map[string]any) []Problem {
	var out []Problem
	if p, ok := doc["person"].(map[string]any); ok {
		year, okYear := p["birth_year"].(float64)
		date, okDate := p["birth_date"].(string)
		if okYear && okDate && len(date) >= 4 && strconv.FormatFloat(year, 'f', -1, 64) != date[:4] {
			// birth_date is confidential: the message does not quote it.
			out = append(out, problem("person.birth_year", "consistency", "schema.birthYear", map[string]any{"Year": show(year)}))
		}
	}
	detention, _ := doc["detention"].([]any)
	for i, d := range detention {
		d, _ := d.(map[string]any)
		from, okFrom := d["from"].(string)
		to, okTo := d["to"].(string)
		if !okFrom || !okTo {
			continue
		}
		// Compare only as precisely as both dates are known.
		n := min(len(from), len(to))
		if to[:n] < from[:n] {
			p := fmt.Sprintf("detention[%d].to", i)
			if revealable(doc, fmt.Sprintf("detention[%d].from", i)) && revealable(doc, p) {
				out = append(out, problem(p, "date-order", "schema.dateOrderShown", map[string]any{"From": from, "To": to}))
			} else {
				out = append(out, problem(p, "date-order", "schema.dateOrder", nil))
			}
		}
	}
	return out
}
