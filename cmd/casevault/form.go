package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"charm.land/huh/v2"
	"github.com/casevault/casevault/schema"
)

// errFormAborted means the user left the form (Ctrl-C, the end of
// the input in accessible mode, a signal): nothing is stored.
var errFormAborted = errors.New("form aborted")

// A caseForm walks the user through a case, field by field as the schema
// lists them, and keeps what was entered in doc (JSON values, as a case
// file reads). Nothing leaves memory until the caller stores the result.
type caseForm struct {
	ctx        context.Context
	s          *schema.Schema
	fields     []schema.FormField
	doc        map[string]any
	accessible bool
	lang       string      // the language of the form's texts
	in         *lineReader // accessible mode: one line per read
	out        io.Writer
	host       *formHost // normal mode: the program that shows the forms
	// attach lists the evidence files to store after the case.
	attach []attachment
}

// An attachment is an evidence file to store after the case, linked to a
// mistreatment incident (incident >= 0) or to the case alone.
type attachment struct {
	path     string
	incident int
}

// formSkipped are fields the form never asks for: set by casevault, or
// asked for by the article picker.
var formSkipped = map[string]bool{
	"schema":                   true,
	"charges.code":             true,
	"charges.article":          true,
	"charges.article_original": true,
}

// evidenceField is the list of evidence IDs of an incident, for which the
// form asks for files to attach instead.
const evidenceField = "mistreatment.evidence"

func newCaseForm(ctx context.Context, g *globals, doc map[string]any, accessible bool) *caseForm {
	f := &caseForm{ctx: ctx, s: schema.Default(), fields: schema.FormFields(), doc: doc, accessible: accessible, lang: g.lang, out: g.env.stderr}
	if accessible {
		f.in = newLineReader(ctx, g.env.stdin)
	} else {
		f.host = newFormHost(ctx, g.env.stdin, g.env.stderr)
	}
	return f
}

// run shows one huh form and maps its end to errFormAborted when the user
// left it.
func (f *caseForm) run(groups ...*huh.Group) error {
	if err := f.ctx.Err(); err != nil {
		return errFormAborted
	}
	form := huh.NewForm(groups...).WithShowHelp(!f.accessible)
	if !f.accessible {
		return f.host.show(form)
	}
	form = form.WithAccessible(true).WithOutput(f.out).WithInput(f.in).WithTheme(huh.ThemeFunc(plainTheme))
	err := form.RunWithContext(f.ctx)
	if f.in.ended() || err != nil || f.ctx.Err() != nil {
		return errFormAborted
	}
	return nil
}

// print shows text above the forms (or in the flow of questions in
// accessible mode).
func (f *caseForm) print(text string) {
	if f.host != nil {
		note := huh.NewNote().Description(noteText(strings.TrimRight(text, "\n"))).Next(true).NextLabel(f.ft("notice.next"))
		_ = f.host.show(huh.NewForm(huh.NewGroup(note)))
		return
	}
	fmt.Fprint(f.out, text)
}

// children returns the fields one level below parent, in schema order.
func (f *caseForm) children(parent schema.FormField) []schema.FormField {
	var out []schema.FormField
	for _, c := range f.fields {
		if c.Depth == parent.Depth+1 && strings.HasPrefix(c.Path, parent.Path+".") {
			out = append(out, c)
		}
	}
	return out
}

// walk asks for the whole case: every top-level field in schema order.
// Consecutive top-level values (status, notes, …) are asked together.
func (f *caseForm) walk() error {
	var loose []schema.FormField
	flush := func() error {
		if len(loose) == 0 {
			return nil
		}
		err := f.askValues(f.ft("section.case"), loose, f.doc, "")
		loose = nil
		return err
	}
	for _, fld := range f.fields {
		if fld.Depth != 0 || formSkipped[fld.Path] {
			continue
		}
		switch fld.Kind {
		case schema.FormGroup:
			if err := flush(); err != nil {
				return err
			}
			obj, _ := f.doc[fld.Name()].(map[string]any)
			if obj == nil {
				obj = map[string]any{}
			}
			if err := f.askObject(fld, obj, fld.Path); err != nil {
				return err
			}
			setOrDrop(f.doc, fld.Name(), obj)
		case schema.FormEntries:
			if err := flush(); err != nil {
				return err
			}
			if err := f.askEntries(fld, f.doc, fld.Path); err != nil {
				return err
			}
		case schema.FormMap:
			// sensitivity_overrides: kept as it is (case edit changes it).
		default:
			loose = append(loose, fld)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return f.askCaseEvidence()
}

// askObject asks for the values of an object, then its lists of entries.
func (f *caseForm) askObject(fld schema.FormField, obj map[string]any, path string) error {
	title := f.ftOr("section."+fld.Path, f.label(fld))
	var values []schema.FormField
	for _, c := range f.children(fld) {
		if c.Kind != schema.FormEntries && c.Kind != schema.FormGroup && c.Kind != schema.FormMap && !formSkipped[c.Path] {
			values = append(values, c)
		}
	}
	if err := f.askValues(title, values, obj, path); err != nil {
		return err
	}
	for _, c := range f.children(fld) {
		if c.Kind == schema.FormEntries {
			if err := f.askEntries(c, obj, joinPath(path, c.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// entryNoun returns the word for one entry of the list fld.
// A list the messages do not name (one added to the schema later) is
// named by its label: "entry of Hearings".
func (f *caseForm) entryNoun(fld schema.FormField) string {
	return f.ftOr("entry."+fld.Path, f.ft("entry.other", f.label(fld)))
}

// askEntries asks about each entry of the list fld in parent (keep,
// change, remove), then whether to add more.
func (f *caseForm) askEntries(fld schema.FormField, parent map[string]any, path string) error {
	noun := f.entryNoun(fld)
	old, _ := parent[fld.Name()].([]any)
	var kept []any
	for i, e := range old {
		entry, ok := e.(map[string]any)
		if !ok {
			kept = append(kept, e)
			continue
		}
		choice := "keep"
		sel := huh.NewSelect[string]().
			Title(f.ft("entry.existing", capitalise(noun), i+1, len(old), plain(entryLine(entry)))).
			Options(huh.NewOption(f.ft("entry.keep"), "keep"), huh.NewOption(f.ft("entry.change"), "change"), huh.NewOption(f.ft("entry.remove"), "remove")).
			Value(&choice)
		if err := f.run(huh.NewGroup(sel).Title(f.ftOr("section."+fld.Path, f.label(fld)))); err != nil {
			return err
		}
		switch choice {
		case "remove":
			f.dropAttachments(fld, len(kept))
			continue
		case "change":
			if err := f.askEntry(fld, entry, fmt.Sprintf("%s[%d]", path, len(kept)), len(kept)); err != nil {
				return err
			}
		}
		if len(entry) > 0 {
			kept = append(kept, entry)
		}
	}
	for {
		add := false
		q := f.ft("entry.add", f.ftOr("entry.a."+fld.Path, f.ft("entry.a.other", f.label(fld))))
		if len(kept) > 0 {
			q = f.ft("entry.another", noun)
		}
		c := huh.NewConfirm().Title(q).Value(&add)
		if err := f.run(huh.NewGroup(c).Title(f.ftOr("section."+fld.Path, f.label(fld)))); err != nil {
			return err
		}
		if !add {
			break
		}
		entry := map[string]any{}
		if err := f.askEntry(fld, entry, fmt.Sprintf("%s[%d]", path, len(kept)), len(kept)); err != nil {
			return err
		}
		if len(entry) > 0 {
			kept = append(kept, entry)
		}
	}
	if len(kept) == 0 {
		delete(parent, fld.Name())
	} else {
		parent[fld.Name()] = kept
	}
	return nil
}

// dropAttachments forgets the files of incident i of fld when it is
// removed.
func (f *caseForm) dropAttachments(fld schema.FormField, i int) {
	if fld.Path != "mistreatment" {
		return
	}
	f.attach = slices.DeleteFunc(f.attach, func(a attachment) bool { return a.incident == i })
}

// askEntry asks for the fields of one entry and checks the entry as a
// whole (the order of its dates), until it is right or left out.
func (f *caseForm) askEntry(fld schema.FormField, entry map[string]any, path string, index int) error {
	title := capitalise(f.entryNoun(fld))
	for {
		if fld.Path == "charges" {
			if err := f.askArticle(entry); err != nil {
				return err
			}
		}
		var values []schema.FormField
		for _, c := range f.children(fld) {
			if c.Kind != schema.FormEntries && c.Kind != schema.FormGroup && c.Kind != schema.FormMap && !formSkipped[c.Path] {
				values = append(values, c)
			}
		}
		if err := f.askValues(title, values, entry, path); err != nil {
			return err
		}
		if fld.Path == "mistreatment" {
			if err := f.askIncidentEvidence(index); err != nil {
				return err
			}
		}
		probs := f.s.Check(f.partial(path, entry), zeroIndex(path))
		if len(probs) == 0 {
			return nil
		}
		var b strings.Builder
		for _, p := range probs {
			fmt.Fprintf(&b, "%s: %s\n", strings.TrimPrefix(p.Path, zeroIndex(path)+"."), p.Message)
		}
		choice := "fix"
		sel := huh.NewSelect[string]().Title(f.ft("entry.problems", f.entryNoun(fld))).Description(plainLines(strings.TrimSpace(b.String()))).
			Options(huh.NewOption(f.ft("entry.fix"), "fix"), huh.NewOption(f.ft("entry.drop"), "drop")).Value(&choice)
		if err := f.run(huh.NewGroup(sel)); err != nil {
			return err
		}
		if choice == "drop" {
			clear(entry)
			f.dropAttachments(fld, index)
			return nil
		}
	}
}

// askArticle is the article picker of a charge: the list of articles
// most used, or one typed as written. It sets code, article and, where
// the list knows the article and none was given, title.
func (f *caseForm) askArticle(entry map[string]any) error {
	const other = "other"
	code, _ := entry["code"].(string)
	art, _ := entry["article"].(string)
	pick, part, text := other, "", art
	if norm, ok := schema.NormalizeCharge(code, art); ok {
		if a, ok := schema.LookupArticle(norm); ok {
			pick = a.Norm()
			if i := strings.IndexByte(norm, '('); i >= 0 {
				part = strings.Trim(strings.SplitN(norm[i:], ")", 2)[0], "(")
			}
			if strings.Count(norm, "(") > 1 {
				pick, text = other, art // a clause: keep it as written
			}
		}
	}
	if art == "" {
		pick = schema.Articles()[0].Norm()
	}
	opts := []huh.Option[string]{}
	for _, a := range schema.Articles() {
		opts = append(opts, huh.NewOption(clip(a.Norm()+"  "+a.Title, 74), a.Norm()))
	}
	opts = append(opts, huh.NewOption(f.ft("article.other"), other))
	pickTitle := f.ft("article.pick") + " " + f.levelTag(f.level("charges.article"))
	textTitle := f.ft("article.text") + " " + f.levelTag(f.level("charges.article"))
	partTitle := f.ft("article.part")
	if f.accessible {
		pickTitle += " — " + f.ft("article.pick.help")
		textTitle += " — " + f.ft("article.text.help")
		partTitle += " — " + f.ft("article.part.help")
	}
	sel := huh.NewSelect[string]().Title(pickTitle).
		Description(f.ft("article.pick.help")).Options(opts...).Value(&pick).Height(12)
	if err := f.run(huh.NewGroup(sel).Title(f.ft("section.charges"))); err != nil {
		return err
	}
	if pick == other {
		in := huh.NewInput().Title(textTitle).
			Description(f.ft("article.text.help")).Value(&text).
			Validate(func(s string) error { return f.fieldError("charges[0].article", strings.TrimSpace(s)) })
		if err := f.run(huh.NewGroup(in).Title(f.ft("section.charges"))); err != nil {
			return err
		}
		text = strings.TrimSpace(text)
		delete(entry, "article_original")
		if text == "" {
			delete(entry, "article")
			delete(entry, "code")
			return nil
		}
		entry["article"] = text
		if norm, ok := schema.NormalizeArticle(text); ok {
			entry["code"], _, _ = strings.Cut(norm, " ")
		} else {
			entry["code"] = "other"
			f.print(f.ft("article.unknown") + "\n")
		}
		return nil
	}
	in := huh.NewInput().Title(partTitle).Description(f.ft("article.part.help")).Value(&part).
		Validate(func(s string) error {
			s = strings.TrimSpace(s)
			if n, err := strconv.Atoi(s); s != "" && (err != nil || n < 1 || n > 999) {
				return errors.New(f.ft("article.part.bad"))
			}
			return nil
		})
	if err := f.run(huh.NewGroup(in).Title(f.ft("section.charges"))); err != nil {
		return err
	}
	a, _ := schema.LookupArticle(pick)
	entry["code"] = a.Code
	entry["article"] = a.Article
	if p := strings.TrimSpace(part); p != "" {
		n, _ := strconv.Atoi(p)
		entry["article"] = fmt.Sprintf("%s(%d)", a.Article, n)
	}
	delete(entry, "article_original")
	if t, _ := entry["title"].(string); t == "" {
		entry["title"] = a.Title
	}
	return nil
}

// askIncidentEvidence asks for files to attach to incident i.
func (f *caseForm) askIncidentEvidence(i int) error {
	var cur []string
	for _, a := range f.attach {
		if a.incident == i {
			cur = append(cur, a.path)
		}
	}
	paths, err := f.askFiles(f.ft("evidence.incident"), f.ft("evidence.incident.help"), f.level(evidenceField), cur)
	if err != nil {
		return err
	}
	f.attach = slices.DeleteFunc(f.attach, func(a attachment) bool { return a.incident == i })
	for _, p := range paths {
		f.attach = append(f.attach, attachment{path: p, incident: i})
	}
	return nil
}

// askCaseEvidence asks for files to attach to the case as a whole.
func (f *caseForm) askCaseEvidence() error {
	var cur []string
	for _, a := range f.attach {
		if a.incident < 0 {
			cur = append(cur, a.path)
		}
	}
	paths, err := f.askFiles(f.ft("evidence.files"), f.ft("evidence.files.help"), schema.Confidential, cur)
	if err != nil {
		return err
	}
	f.attach = slices.DeleteFunc(f.attach, func(a attachment) bool { return a.incident < 0 })
	for _, p := range paths {
		f.attach = append(f.attach, attachment{path: p, incident: -1})
	}
	return nil
}

// askFiles asks for paths of evidence files, each checked to be a
// regular file that can be read.
func (f *caseForm) askFiles(title, help string, level schema.Level, cur []string) ([]string, error) {
	s := strings.Join(cur, "; ")
	title += " " + f.levelTag(level)
	if f.accessible {
		title += " — " + help
	}
	in := huh.NewInput().Title(title).Description(help).Value(&s).Validate(func(v string) error {
		return f.checkFiles(splitList(v))
	})
	if err := f.run(huh.NewGroup(in).Title(f.ft("section.evidence"))); err != nil {
		return nil, err
	}
	return splitList(s), nil
}

// checkFiles checks that each path names a regular file that can be
// opened, and that none is listed twice.
func (f *caseForm) checkFiles(paths []string) error {
	seen := map[string]bool{}
	for _, p := range paths {
		if seen[p] {
			return errors.New(f.ft("evidence.twice", p))
		}
		seen[p] = true
		st, err := os.Stat(p)
		if err != nil {
			return errors.New(f.ft("evidence.missing", p, errors.Unwrap(err)))
		}
		if !st.Mode().IsRegular() {
			return errors.New(f.ft("evidence.notfile", p))
		}
		fh, err := os.Open(p)
		if err != nil {
			return errors.New(f.ft("evidence.missing", p, errors.Unwrap(err)))
		}
		fh.Close()
	}
	return nil
}

// askValues asks for the value fields of obj (at path) in one form, a
// few fields to a page so that each page fits an 80×24 terminal. Each
// field shows its level and is checked as the user types with the
// schema's own messages.
func (f *caseForm) askValues(title string, fields []schema.FormField, obj map[string]any, path string) error {
	if len(fields) == 0 {
		return nil
	}
	type binding struct {
		fld   schema.FormField
		text  *string
		multi *[]string
	}
	var binds []binding
	var groups []*huh.Group
	var page []huh.Field
	lines := 0
	flush := func() {
		if len(page) > 0 {
			groups = append(groups, huh.NewGroup(page...).Title(title))
			page, lines = nil, 0
		}
	}
	for _, fld := range fields {
		if fld.Path == evidenceField {
			continue // files are asked for by askIncidentEvidence
		}
		full := joinPath(path, fld.Name())
		b := binding{fld: fld}
		var hf huh.Field
		var height int
		switch fld.Kind {
		case schema.FormChoices:
			sel := valueStrings(obj[fld.Name()])
			b.multi = &sel
			opts := make([]huh.Option[string], len(fld.Choices))
			for i, c := range fld.Choices {
				opts[i] = huh.NewOption(choiceText(f.lang, fld.Path, c), c).Selected(slices.Contains(sel, c))
			}
			hf = huh.NewMultiSelect[string]().Title(f.fieldTitle(fld, f.level(full), f.accessible)).
				Description(f.fieldHelp(fld)).Options(opts...).Value(b.multi).Height(min(len(opts)+2, 14))
			height = min(len(opts), 12) + 4
		case schema.FormChoice:
			s := valueString(obj[fld.Name()])
			b.text = &s
			var opts []huh.Option[string]
			if !fld.Required {
				opts = append(opts, huh.NewOption(f.ft("help.empty"), ""))
			}
			for _, c := range fld.Choices {
				opts = append(opts, huh.NewOption(choiceText(f.lang, fld.Path, c), c))
			}
			hf = huh.NewSelect[string]().Title(f.fieldTitle(fld, f.level(full), f.accessible)).
				Description(f.fieldHelp(fld)).Options(opts...).Value(b.text).Height(min(len(opts)+2, 12))
			height = min(len(opts), 10) + 4
		case schema.FormLongText:
			s := valueString(obj[fld.Name()])
			b.text = &s
			t := huh.NewText().Title(f.fieldTitle(fld, f.level(full), f.accessible)).Value(b.text).Lines(3).
				Validate(f.validator(fld, full, b.text))
			t.DescriptionFunc(f.liveHelp(fld, full, b.text), b.text)
			hf, height = t, 7
		default:
			s := valueString(obj[fld.Name()])
			b.text = &s
			in := huh.NewInput().Title(f.fieldTitle(fld, f.level(full), f.accessible)).Value(b.text).
				Validate(f.validator(fld, full, b.text))
			in.DescriptionFunc(f.liveHelp(fld, full, b.text), b.text)
			hf, height = in, 4
		}
		if lines > 0 && lines+height > 16 {
			flush()
		}
		page = append(page, hf)
		lines += height
		binds = append(binds, b)
	}
	flush()
	if err := f.run(groups...); err != nil {
		return err
	}
	for _, b := range binds {
		if b.multi != nil {
			setOrDrop(obj, b.fld.Name(), toAnyList(*b.multi))
			continue
		}
		setOrDrop(obj, b.fld.Name(), fieldValue(b.fld, *b.text))
	}
	return nil
}

// validator returns the check of a field as huh runs it (when the user
// moves on), with the schema's messages. In accessible mode an empty
// answer keeps the value the field had (cur), and that is what is
// checked.
func (f *caseForm) validator(fld schema.FormField, full string, cur *string) func(string) error {
	keep := *cur
	return func(s string) error {
		if f.accessible && strings.TrimSpace(s) == "" {
			s = keep
		}
		return f.fieldError(full, fieldValue(fld, s))
	}
}

// liveHelp returns the description of a field, recomputed as the user
// types: the field's help, then either "ok" or what is wrong with the
// value so far.
func (f *caseForm) liveHelp(fld schema.FormField, full string, text *string) func() string {
	return func() string {
		help := f.fieldHelp(fld)
		if strings.TrimSpace(*text) == "" {
			return help
		}
		if err := f.fieldError(full, fieldValue(fld, *text)); err != nil {
			return help + "\n" + f.ft("help.problem", err.Error())
		}
		return help
	}
}

// fieldError returns the schema's messages about value at the field full
// (a path with indices), or nil.
func (f *caseForm) fieldError(full string, value any) error {
	probs := f.s.Check(f.partial(full, value), zeroIndex(full))
	if len(probs) == 0 {
		return nil
	}
	msgs := make([]string, len(probs))
	for i, p := range probs {
		msgs[i] = p.Message
		if rest := strings.TrimPrefix(p.Path, zeroIndex(full)); rest != "" {
			msgs[i] = strings.TrimPrefix(rest, ".") + ": " + p.Message
		}
	}
	return errors.New(strings.Join(msgs, "; "))
}

// partial returns a document that holds only value at path (indices
// taken as 0) and the case's sensitivity_overrides, for checking one
// field or entry alone.
func (f *caseForm) partial(path string, value any) map[string]any {
	doc := map[string]any{}
	if o, ok := f.doc["sensitivity_overrides"]; ok {
		doc["sensitivity_overrides"] = o
	}
	parts := strings.Split(zeroIndex(path), ".")
	cur := doc
	for i, p := range parts {
		name, list := strings.CutSuffix(p, "[0]")
		if i == len(parts)-1 {
			if value == nil {
				return doc
			}
			if list {
				cur[name] = []any{value}
			} else {
				cur[name] = value
			}
			return doc
		}
		next := map[string]any{}
		if list {
			cur[name] = []any{next}
		} else {
			cur[name] = next
		}
		cur = next
	}
	return doc
}

// level returns the effective level of the field at path in the case as
// entered so far (its sensitivity_overrides count).
func (f *caseForm) level(path string) schema.Level {
	return f.s.NewCase(f.doc).Level(path)
}

// zeroIndex writes every index of path as [0].
func zeroIndex(path string) string {
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		if path[i] == '[' {
			j := strings.IndexByte(path[i:], ']')
			if j > 0 {
				b.WriteString("[0]")
				i += j
				continue
			}
		}
		b.WriteByte(path[i])
	}
	return b.String()
}

// fieldValue turns what was typed into a field into the value a case file
// holds: nil for nothing, a number for an integer field (text that is not
// one is kept, for the schema to say so), a list for a list field.
func fieldValue(fld schema.FormField, s string) any {
	switch fld.Kind {
	case schema.FormList:
		if l := splitList(s); len(l) > 0 {
			return toAnyList(l)
		}
		return nil
	case schema.FormInteger:
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
		if n, err := strconv.Atoi(s); err == nil {
			return float64(n)
		}
		return s
	case schema.FormLongText:
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return strings.TrimRight(s, " \t\r\n")
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return s
}

// splitList splits a list typed on one line at ';'.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func toAnyList(l []string) any {
	if len(l) == 0 {
		return nil
	}
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}

// valueString shows a stored value in a field: lists joined by "; ".
func valueString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		return strings.Join(valueStrings(v), "; ")
	}
	return fmt.Sprint(v)
}

func valueStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		out = append(out, valueString(e))
	}
	return out
}

// setOrDrop sets obj[name] to v, or removes it when v is nothing or an
// empty object.
func setOrDrop(obj map[string]any, name string, v any) {
	if m, ok := v.(map[string]any); ok && len(m) == 0 {
		v = nil
	}
	if v == nil {
		delete(obj, name)
		return
	}
	obj[name] = v
}

func joinPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// label returns the label of a field: its message, or its name in words.
func (f *caseForm) label(fld schema.FormField) string {
	if s, ok := f.formMessage("label." + fld.Path); ok {
		return s
	}
	if s, ok := fieldLabel(f.lang, fld.Path); ok {
		return s
	}
	return capitalise(strings.ReplaceAll(fld.Name(), "_", " "))
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// levelTag shows a level: "[confidential]".
func (f *caseForm) levelTag(l schema.Level) string {
	return f.ft("level.tag", f.ft("level."+l.String()))
}

// fieldTitle is a field's label and level; in accessible mode, where huh
// shows no description, with the field's help too.
func (f *caseForm) fieldTitle(fld schema.FormField, l schema.Level, accessible bool) string {
	t := f.label(fld) + " " + f.levelTag(l)
	if fld.Required {
		t += " (" + f.ft("help.required") + ")"
	}
	if accessible {
		t += " — " + f.fieldHelp(fld)
	}
	return t
}

// fieldHelp is a field's description from the schema and how to enter
// it.
func (f *caseForm) fieldHelp(fld schema.FormField) string {
	h := fld.Description
	switch {
	case fld.Hint != "" && fld.Kind == schema.FormList:
		h += " (" + fld.Hint + "; " + f.ft("help.list") + ")"
	case fld.Hint != "":
		h += " (" + fld.Hint + ")"
	case fld.Kind == schema.FormList:
		h += " (" + f.ft("help.list") + ")"
	}
	return h
}

// entryLine shows an entry in one line: its values, in key order.
func entryLine(entry map[string]any) string {
	keys := make([]string, 0, len(entry))
	for k := range entry {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		if k == "article_original" {
			continue
		}
		parts = append(parts, valueString(entry[k]))
	}
	return clip(strings.Join(parts, ", "), 60)
}

// clip shortens s to at most n characters.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
