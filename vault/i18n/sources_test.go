package i18n

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// writeStubs makes TestMessagesTranslated append an English entry for
// every message the catalogue lacks to active.en.toml (go generate
// ./vault/i18n); a translator then adds the Russian and Ukrainian ones,
// which TestCatalogueComplete lists.
var writeStubs = flag.Bool("write-stubs", false, "append the missing English messages to active.en.toml")

//go:generate go test -count=1 -run TestMessagesTranslated . -args -write-stubs

// sourceDirs are the directories (from the repository root) whose
// non-test Go files hold the messages a user sees.
var sourceDirs = []string{"vault", "schema", "crypto", "cmd/casevault"}

// formatArg names the calls whose argument is a message (or a fmt format
// of one), by the called function's name, with the argument's index.
var formatArg = map[string]int{
	"fmt.Errorf": 0, "errors.New": 0, "errs.New": 1,
	// wrappers that make an error of a format
	"malformed": 0, "bundlefmt.Malformed": 0, "Malformed": 0, "Tampered": 0, "bundlefmt.Tampered": 0,
	"chainErrorf": 0, "backupErrorf": 0, "backupfmt.Errorf": 0, "Errorf": 0,
	// what the CLI prints on stderr through the user's language
	"withCode": 2, // an error's hint
	"usagef":   0, "g.warnf": 0, "g.infof": 0, "g.report": 1, "g.tr": 0,
	"cmd.PrintErrln": 0, "cmd.PrintErrf": 0, "cmd.PrintErr": 0,
	// texts made to be put in a message, or shown as one
	"fmt.Sprintf": 0,
}

// notMessageFiles (directories or files) hold no messages: what they
// format is data, or a document in English (like the JSON, CSV and
// Markdown publications).
// vendoredDirs are not our messages: copies of third-party libraries and
// the helper that starts a test S3 server.
var vendoredDirs = map[string]bool{
	"schema/internal/jsonschema": true,
	"vault/internal/third_party": true,
	"vault/weedtest":             true,
}

var notMessageFiles = map[string]string{
	"vault/internal/audit/custody.go":       "the lines of the custody statement, signed as they are written",
	"vault/internal/audit/custody_md.go":    "the custody report, a document for a court, in English",
	"vault/internal/audit/custody_trace.go": "the custody report's findings, a document for a court, in English",
	"vault/custody.go":                      "the custody report's findings, a document for a court, in English",
	"vault/publish/about.go":                "the README of a publication, published in English",
	"vault/publish/render.go":               "the Markdown publication, published in English",
	"vault/publish/markdown_lang.go":        "the Markdown publication in another language: its words come from the catalogue by ID (ui.pub.*, site.count); the English text is the document",
	"schema/casegen":                        "made-up case files for tests and benchmarks (case content, not messages)",
	"vault/internal/charts":                 "the charts' texts are catalogued by ID (charts.*); what is formatted there is SVG",
}

// notMessages are texts of those calls that are not messages a user
// reads in a sentence, each with the reason it stays as it is.
var notMessages = map[string]string{
	// Frames that put a name, a number or a value before or after an
	// error or a text: the error or text is translated on its own.
	"%w":         "wraps another error unchanged",
	"%s: %w":     "a name before a wrapped error",
	"%s %w":      "a name before a wrapped error",
	"%w: %s":     "an error followed by a name or a value",
	"%w: %v":     "an error followed by a value",
	"%w (%s)":    "an error followed by a value",
	"%w: %w":     "two errors, each translated on its own",
	"%s: %v":     "a name before an error's text",
	"%v: %w":     "a value before a wrapped error",
	"%s":         "a text made elsewhere (translated where it was made)",
	"%v":         "a value or an error's text",
	"%s %s":      "two texts made elsewhere",
	"%s: %s":     "a name before a text made elsewhere",
	"%s.%s":      "a field path",
	"%w: %s: %w": "a category, a name and an error",
	"%s: %w: %v": "a name, a category and a value",
	"%s %d: %w":  "a name and a number before a wrapped error",
	"%s: %d: %w": "a name and a number before a wrapped error",
	"%s:%d: %w":  "a file and line before a wrapped error",
	// A flag, a key of a file format or a system call before a value or an
	// error: the names stay as they are written (flags and keys are never
	// translated), the error is translated on its own.
	"--max-size %q: %v":           "a flag and its value before an error",
	"--delimiter: %v":             "a flag before an error",
	"--encoding: %v":              "a flag before an error",
	"--credentials %s: %w":        "a flag and its value before an error",
	"x-csv: %w":                   "a schema annotation's key before an error",
	"x-public: %w":                "a schema annotation's key before an error",
	"%s: x-sensitivity: %w":       "a field and a schema annotation's key before an error",
	"ptrace(PT_DENY_ATTACH): %w":  "a system call before its error",
	"prctl(PR_SET_DUMPABLE): %w":  "a system call before its error",
	"verify_key: %v":              "a JSON key of the custody report before an error",
	"%w: previous_verify_key: %v": "a JSON key of the card between two errors",
	// Formats of data: file names, IDs, paths, protocol and file lines.
	"%s vault=%s split=%s index=%d of=%d threshold=%d created=%s": "the signed line of a recovery share file",
	"# casevault: case %s revision %d":                            "the first line of a case file, read back by casevault",
	"ERR this agent serves only user %d":                          "the unlock agent's protocol reply (the client says what it means)",
	"ERR request longer than %d bytes":                            "the unlock agent's protocol reply",
	"%sschema: %s":                                                "the template's yaml-language-server line",
	"%s # person.name: confidential":                              "an example line of the template's header",
	"%s-%d-%s@casevault":                                          "the UID of a calendar event",
	"%s.part%d.%s.age":                                            "a file name",
	"%s.part%dof%d%s":                                             "a file name",
	"share-%s-%d-of-%d-%s%s":                                      "a file name",
	"%sidentity %d":                                               "the header line of a backup file",
	"%s  # person.name: confidential":                             "an example line of the template's header",
	": line %d":                                                   "a piece of a syntax error, whose whole forms are catalogued (src.schema.syntaxLine*)",
	", column %d":                                                 "a piece of a syntax error, whose whole forms are catalogued (src.schema.syntaxLine*)",
	"for %q":                                                      "the ID part of a not-found error (no shared case for \"ORG\"), whose message is catalogued (err.notFound)",
	"case %s changed since the file was made: the file is based on %s, the case is at revision %d; storing it would undo %d change%s made since":                     "a plural made in code (change%s); both English forms are catalogued as the plural message src.cases.staleUndo",
	"organisation name %q looks like %s %q (they differ only by invisible characters, case, spacing or lookalike letters): refused, as one could pass for the other": "its two forms (the known organisation, this vault's own organisation) are catalogued whole: src.partners.looksLike*",
	"%06d.sst":              "a file name",
	"Level(%d)":             "a Go value's name, for debugging",
	"detention[%d].to":      "a field path",
	"detention[%d].from":    "a field path",
	"<svg x=\"0\" y=\"%d\"": "SVG",
	"%s and %s: %v":         "two file names before an error",
	"%s  %s  %s\n  match:   %s\n  secret:  %s field %s of case %s (%s)\n  why:     %s": "the review listing on stdout, a report of IDs and matches for the reviewer (labels in English; the why sentence is English too, see the report)",
	// The CLI's frames around a text translated before it is put in.
	"casevault: %s [y/N]": "the frame of a yes/no question (the question is translated; y and N are the keys the answer is read as)",
	"casevault: %s: %s":   "a file name before an import problem that is translated on its own",
	"casevault: %s:":      "the frame of a prompt (the prompt's words are translated on their own)",
}

// A source message is a message's text (or fmt format) found in the code.
type sourceMessage struct {
	format string
	pos    string
}

// sourceMessages collects the messages of the non-test Go files under
// sourceDirs.
func sourceMessages(t *testing.T) []sourceMessage {
	t.Helper()
	root := filepath.Join("..", "..")
	var out []sourceMessage
	fset := token.NewFileSet()
	for _, dir := range sourceDirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				// Vendored libraries (schema/internal/jsonschema,
				// vault/internal/third_party/...): their errors are
				// about our own embedded schema or are turned into
				// catalogued messages (schema/astext.go) before a user
				// sees them.
				if rel, _ := filepath.Rel(root, path); vendoredDirs[filepath.ToSlash(rel)] {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			dirRel, _ := filepath.Rel(root, filepath.Dir(path))
			fileRel, _ := filepath.Rel(root, path)
			if notMessageFiles[filepath.ToSlash(dirRel)] != "" || notMessageFiles[filepath.ToSlash(fileRel)] != "" {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				// The text of an error type made by joining strings
				// ("case " + e.ID + " is quarantined ...").
				if fd, ok := n.(*ast.FuncDecl); ok && fd.Recv != nil && fd.Name.Name == "Error" && fd.Body != nil {
					ast.Inspect(fd.Body, func(n ast.Node) bool {
						if ret, ok := n.(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
							if s, ok := joined(ret.Results[0]); ok {
								rel, _ := filepath.Rel(root, fset.Position(ret.Pos()).Filename)
								out = append(out, sourceMessage{format: s, pos: fmt.Sprintf("%s:%d", filepath.ToSlash(rel), fset.Position(ret.Pos()).Line)})
							}
						}
						return true
					})
				}
				// A message put in an error's field (e.Message = "...").
				if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
					if sel, ok := as.Lhs[0].(*ast.SelectorExpr); ok && (sel.Sel.Name == "Message" || sel.Sel.Name == "Reason" || sel.Sel.Name == "Hint") {
						s, ok := literal(as.Rhs[0])
						if !ok {
							s, ok = joined(as.Rhs[0])
						}
						if ok {
							rel, _ := filepath.Rel(root, fset.Position(as.Pos()).Filename)
							out = append(out, sourceMessage{format: s, pos: fmt.Sprintf("%s:%d", filepath.ToSlash(rel), fset.Position(as.Pos()).Line)})
						}
					}
				}
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				name := calleeName(call.Fun)
				i, ok := formatArg[name]
				if !ok {
					inCmd := strings.HasPrefix(filepath.ToSlash(path), "../../cmd/")
					// The CLI's lines on stderr; in the library, what is
					// printed into a message being built (never stdout).
					if inCmd && !isStderrPrint(name, call) || !inCmd && name != "fmt.Fprintf" {
						return true
					}
					i = 1
				}
				if i >= len(call.Args) {
					return true
				}
				for _, a := range call.Args[i:] {
					s, ok := literal(a)
					if !ok && name == "withCode" {
						s, ok = joined(a)
					}
					if ok {
						rel, _ := filepath.Rel(root, fset.Position(a.Pos()).Filename)
						out = append(out, sourceMessage{format: s, pos: fmt.Sprintf("%s:%d", filepath.ToSlash(rel), fset.Position(a.Pos()).Line)})
					}
					if !strings.HasSuffix(name, "ln") && !strings.HasSuffix(name, "Fprint") {
						break // only the format of a call that takes one
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func calleeName(e ast.Expr) string {
	switch f := e.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name + "." + f.Sel.Name
		}
		return f.Sel.Name
	}
	return ""
}

// isStderrPrint reports whether call prints on standard error
// (fmt.Fprint* to a writer named stderr or errOut).
func isStderrPrint(name string, call *ast.CallExpr) bool {
	if name != "fmt.Fprintf" && name != "fmt.Fprintln" && name != "fmt.Fprint" || len(call.Args) < 2 {
		return false
	}
	var w strings.Builder
	ast.Inspect(call.Args[0], func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			w.WriteString(strings.ToLower(id.Name) + ".")
		}
		return true
	})
	return strings.Contains(w.String(), "stderr")
}

// literal returns the text of a string literal, or of literals joined
// with +.
func literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := literal(e.X)
		b, ok2 := literal(e.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return literal(e.X)
	}
	return "", false
}

// joined returns the format of strings joined with +, each operand that
// is not a literal a %s: ("case " + id + " is quarantined") is "case %s
// is quarantined"; false when no operand is a literal.
func joined(e ast.Expr) (string, bool) {
	b, ok := e.(*ast.BinaryExpr)
	if !ok || b.Op != token.ADD {
		return "", false
	}
	var parts []string
	lit := false
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
			walk(b.X)
			walk(b.Y)
			return
		}
		if s, ok := literal(e); ok {
			parts = append(parts, strings.ReplaceAll(s, "%", "%%"))
			lit = true
			return
		}
		parts = append(parts, "%s")
	}
	walk(b)
	return strings.Join(parts, ""), lit
}

// verbRe matches a fmt verb.
var verbRe = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// message is a source format made a message: its text without the
// newlines around it, and whether it is one a user reads (a sentence, not
// a list of values).
func message(format string) (string, bool) {
	s := strings.TrimSpace(format)
	if _, skip := notMessages[s]; skip || s == "" {
		return s, false
	}
	// A text with no word of three letters is values and punctuation
	// (such as "%s (%d)" or "%-12s %s").
	words := regexp.MustCompile(`[\p{L}]{3,}`).FindAllString(verbRe.ReplaceAllString(s, " "), -1)
	return s, len(words) > 0
}

// sample renders a format with a distinct made-up value for each verb,
// as fmt would, returning the text and the values.
func sample(format string) (string, []string) {
	var values []string
	n := 0
	text := verbRe.ReplaceAllStringFunc(format, func(v string) string {
		if v == "%%" {
			return "%"
		}
		n++
		var val string
		switch v[len(v)-1] {
		case 'd', 'x', 'o', 'b', 'f', 'g', 'e':
			val = strconv.Itoa(40 + n)
		case 'q':
			val = fmt.Sprintf("%q", fmt.Sprintf("q%dv", n))
		default:
			val = fmt.Sprintf("v%dx", n)
		}
		values = append(values, val)
		return val
	})
	return text, values
}

// stub turns a fmt format into the English template of a catalogue
// message: each verb a placeholder {{.A}}, {{.B}}, ...
func stub(format string) string {
	n := 0
	return verbRe.ReplaceAllStringFunc(format, func(v string) string {
		if v == "%%" {
			return "%"
		}
		n++
		return "{{." + string(rune('A'+n-1)) + "}}"
	})
}

// stubID names the catalogue entry of a message found at pos.
func stubID(pos, format string, taken map[string]bool) string {
	dir := filepath.Dir(pos)
	dir = strings.TrimPrefix(dir, "vault/internal/")
	dir = strings.NewReplacer("vault/", "", "cmd/casevault", "cmd", "/", ".").Replace(dir)
	words := regexp.MustCompile(`[a-z]+`).FindAllString(strings.ToLower(verbRe.ReplaceAllString(format, " ")), -1)
	if len(words) > 4 {
		words = words[:4]
	}
	for i := 1; i < len(words); i++ {
		words[i] = strings.ToUpper(words[i][:1]) + words[i][1:]
	}
	base := "src." + dir + "." + strings.Join(words, "")
	id := base
	for i := 2; taken[id]; i++ {
		id = fmt.Sprintf("%s%d", base, i)
	}
	taken[id] = true
	return id
}

// TestMessagesTranslated fails when a message of the code (an error's
// text or fmt format, a warning or a line the CLI prints on stderr) is not
// rendered in Russian or Ukrainian by the catalogue, by its text or by
// the reverse pattern of its English form (TranslateText), or when the
// translation loses one of its values. It prints the English entries to
// add to active.en.toml; 'go generate ./vault/i18n' appends them.
func TestMessagesTranslated(t *testing.T) {
	msgs := sourceMessages(t)
	if len(msgs) < 300 {
		t.Fatalf("only %d messages found in the code: the collector is broken", len(msgs))
	}
	seen := map[string]bool{}
	var missingEN []sourceMessage
	failed := map[string][]string{}
	stubbed := map[string]bool{}
	checked := 0
	for _, m := range msgs {
		s, ok := message(m.format)
		if !ok || seen[s] {
			continue
		}
		seen[s] = true
		checked++
		text, values := sample(s)
		enOK := false
		for _, lang := range []string{"ru", "uk"} {
			got := TranslateText(lang, text)
			if got == text {
				failed[lang] = append(failed[lang], fmt.Sprintf("%s: %q", m.pos, s))
				continue
			}
			if run := englishLeft(s, got); run != "" {
				failed[lang] = append(failed[lang], fmt.Sprintf("%s: %q (English left: %q in %q)", m.pos, s, run, got))
				continue
			}
			enOK = true
			for _, v := range values {
				if !strings.Contains(got, v) {
					t.Errorf("%s: %s: the translation of %q loses the value %s: %q", m.pos, lang, s, v, got)
				}
			}
		}
		if !enOK && !fullyCatalogued(s, text) && !stubbed[stub(s)] {
			stubbed[stub(s)] = true
			missingEN = append(missingEN, m)
		}
	}
	t.Logf("%d distinct messages in the code checked", checked)
	for _, lang := range []string{"ru", "uk"} {
		if n := len(failed[lang]); n > 0 && !*writeStubs {
			sort.Strings(failed[lang])
			t.Errorf("%d messages of the code are not translated to %s:\n  %s", n, lang, strings.Join(failed[lang], "\n  "))
		}
	}
	if len(missingEN) == 0 {
		return
	}
	taken := map[string]bool{}
	for _, id := range IDs(Default) {
		taken[id] = true
	}
	var b strings.Builder
	for _, m := range missingEN {
		fmt.Fprintf(&b, "%s = %s\n", strconv.Quote(stubID(m.pos, m.format, taken)), strconv.Quote(stub(strings.TrimSpace(m.format))))
	}
	if *writeStubs {
		if err := insertStubs("active.en.toml", "# Added by go generate ./vault/i18n: translate in active.ru.toml and active.uk.toml.\n"+b.String()); err != nil {
			t.Fatal(err)
		}
		t.Logf("added %d messages to active.en.toml", len(missingEN))
		return
	}
	t.Errorf("%d messages are not in active.en.toml; add (go generate ./vault/i18n), then translate:\n%s", len(missingEN), b.String())
}

// fullyCatalogued reports whether the English catalogue holds format
// (sample text) as a message of its own, not only inside a shorter,
// more general one that leaves English words.
func fullyCatalogued(format, text string) bool {
	if !catalogued(text) {
		return false
	}
	for _, p := range loadPatterns() {
		if p.re.MatchString(text) {
			// The message found must hold every run of words of format.
			have := map[string]bool{}
			for _, form := range englishForms(p.id) {
				for _, r := range englishRuns(form) {
					have[r] = true
				}
			}
			for _, r := range englishRuns(format) {
				if !have[r] {
					return false
				}
			}
			return true
		}
	}
	return true
}

// catalogued reports whether the English catalogue already holds text (by
// its text or a pattern).
func catalogued(text string) bool {
	if _, ok := English(text); ok {
		return true
	}
	for _, p := range loadPatterns() {
		if p.re.MatchString(text) {
			return true
		}
	}
	return false
}

// insertStubs adds lines to a catalogue file before its first table (a
// message with plural forms), where a plain "ID" = "text" line still
// belongs to the top level.
func insertStubs(name, lines string) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	s := string(b)
	i := strings.Index(s, "\n[")
	if i < 0 {
		i = len(s)
	}
	return os.WriteFile(name, []byte(s[:i]+"\n"+lines+s[i:]), 0o644)
}

// quoted are the parts of a text that stay as they are in every language:
// quoted names and commands, flags, fmt verbs.
var quoted = regexp.MustCompile(`'[^']*'|"[^"]*"|«[^»]*»|--[a-z-]+|%[-+# 0-9.\[\]]*[a-zA-Z]`)

// englishLeft returns three words in a row of the English format that
// are still in its translation got (a message only partly translated,
// such as a generic "remote X: ..." around an English sentence), or "".
// Words are lower-case Latin letters between single spaces; quoted text,
// flags, names in capitals, field paths and commands ("casevault case
// update") stay as they are in every language and do not count.
func englishLeft(format, got string) string {
	have := map[string]bool{}
	for _, r := range englishRuns(got) {
		have[r] = true
	}
	for _, r := range englishRuns(format) {
		if have[r] {
			return r
		}
	}
	return ""
}

var plainWord = regexp.MustCompile(`^[a-z]{2,}$`)

func englishRuns(s string) []string {
	var out []string
	for _, part := range strings.Split(quoted.ReplaceAllString(s, "\x00"), "\x00") {
		toks := strings.Split(part, " ")
		for i := 0; i+2 < len(toks); i++ {
			a, b, c := toks[i], toks[i+1], toks[i+2]
			if plainWord.MatchString(a) && plainWord.MatchString(b) && plainWord.MatchString(c) && a != "casevault" {
				out = append(out, a+" "+b+" "+c)
			}
		}
	}
	return out
}
