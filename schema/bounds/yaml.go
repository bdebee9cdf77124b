package bounds

import (
	"bytes"
	"fmt"
)

// YAML checks the structure of a YAML text (JSON included) against l.
// It does not check that data is valid YAML (the decoder does); it bounds
// what a decoder could build from it.
//
// The scan is run twice: once following YAML's rules for quoted and plain
// scalars that span lines, and once closing every quoted scalar at the end
// of its line and reading every line as structure. A text that
// disagreement between this scanner and the decoder could hide (a quote
// the decoder does not see as one) is counted by the second pass; a text
// within the limits is within them in both.
func YAML(data []byte, l Limits) error {
	l = l.orDefault()
	if _, err := scanYAML(data, l, false); err != nil {
		return err
	}
	_, err := scanYAML(data, l, true)
	return err
}

// A level is a block collection: the column of its entries, and the keys
// so far of a mapping. A sequence whose entries ("- ") stand at the
// column of its parent mapping's keys has a level of its own there.
// A ControlError reports a control character in a YAML text.
// YAML allows no control characters but tab, LF and CR; outside quoted
// scalars the decoder reads them now as separators, now as text, which
// the scanner could not follow. Inside quotes they are text to both.
type ControlError struct {
	Char byte
	Line int
}

func (e *ControlError) Error() string {
	return fmt.Sprintf("control character 0x%02x on line %d outside a quoted string: YAML does not allow it; write it as an escape (\\x%02x) in a double-quoted string", e.Char, e.Line, e.Char)
}

// control returns a ControlError for the first control character (but
// tab) of b, if any.
func (s *yamlScan) control(b []byte) error {
	for _, c := range b {
		if c < 0x20 && c != '\t' {
			return &ControlError{Char: c, Line: s.line}
		}
	}
	return nil
}

type level struct {
	col, keys int
	seq       bool
	prop      bool // opened by an anchor or tag ending a line
	// sticky: the line after it was no more indented, which the decoder
	// reads as the property's value however it goes on; never left.
	sticky bool
}

type yamlScan struct {
	l          Limits
	strict     bool    // no multi-line quoted or plain scalars
	stack      []level // block levels: column and keys so far
	flow       []int   // flow levels: keys so far, -1 for a sequence
	values     int
	aliases    int
	line       int
	quote      byte // open multi-line quoted scalar
	inBlock    bool // inside a block scalar (| or >)
	blockOwner int
	blockInd   int
	plainCont  bool // the previous line ended in a plain scalar
	owner      int  // column of the key or entry owning the last value
	flowKey    bool // the next token of a flow mapping starts a key
	pending    bool // the levels wait for a key of this line
	colonKeys  bool // a line opened with ":" (see keyAll)
	propFresh  int  // 1 + index of a prop level opened by the line before
	pendingInd int

	maxDepth, maxKeys int // the largest seen, for Measure

	tabWork, qoff int // see dqTabs
	leadBlank     int // whitespace-only lines opening the block scalar
}

// Stats is what [MeasureYAML] found: the deepest
// nesting, the most keys of one mapping, the values and the aliases, as
// the scanner counts them (never fewer than a decoder builds, aliases
// unexpanded).
type Stats struct {
	Depth, Keys, Values, Aliases int
}

var unlimited = Limits{MaxDepth: 1 << 62, MaxKeys: 1 << 62, MaxValues: 1 << 62, MaxAliases: 1 << 62}

// MeasureYAML returns the structure of data as [YAML] counts it, the
// larger figure of its two passes.
func MeasureYAML(data []byte) Stats {
	a, _ := scanYAML(data, unlimited, false)
	b, _ := scanYAML(data, unlimited, true)
	return Stats{Depth: max(a.Depth, b.Depth), Keys: max(a.Keys, b.Keys), Values: max(a.Values, b.Values), Aliases: max(a.Aliases, b.Aliases)}
}

func (s *yamlScan) depth() error {
	d := len(s.stack) + len(s.flow)
	s.maxDepth = max(s.maxDepth, d)
	if d > s.l.MaxDepth {
		return s.depthErr()
	}
	return nil
}

func (s *yamlScan) depthErr() error {
	return &Error{What: "levels of nesting", Limit: s.l.MaxDepth, Line: s.line}
}

func (s *yamlScan) push(col int, seq bool) error {
	s.stack = append(s.stack, level{col: col, seq: seq})
	return s.depth()
}

// enter makes the levels those of a key or entry at column col.
func (s *yamlScan) enter(col int, dash bool) error {
	s.pending = false
	s.popTo(col, dash)
	if len(s.stack) == 0 || s.stack[len(s.stack)-1].col < col {
		return s.push(col, dash)
	}
	return nil
}

// enterPending does what a line's indentation asks, once the line turns
// out to hold a key.
func (s *yamlScan) enterPending() error {
	if !s.pending {
		return nil
	}
	return s.enter(s.pendingInd, false)
}

// implicitMap marks the flow level of a mapping of one key inside a flow
// sequence ("[a: b]").
const implicitMap = -2

// closes reports whether c closes the open flow collection (below an
// implicit mapping, if any); the decoder reads a closing bracket of the
// other kind as text.
func (s *yamlScan) closes(c byte) bool {
	f := s.flow
	if n := len(f); n > 0 && f[n-1] == implicitMap {
		f = f[:n-1]
	}
	if len(f) == 0 {
		return false
	}
	if c == ']' {
		return f[len(f)-1] == -1
	}
	return f[len(f)-1] >= 0
}

// endImplicit leaves the implicit mapping a "," or closing bracket ends.
func (s *yamlScan) endImplicit() {
	if n := len(s.flow); n > 0 && s.flow[n-1] == implicitMap {
		s.flow = s.flow[:n-1]
	}
}

// popTo leaves the levels a line or entry at column col belongs to: those
// at smaller columns, and the sequence at col when dash.
func (s *yamlScan) popTo(col int, dash bool) {
	for len(s.stack) > 0 {
		top := s.stack[len(s.stack)-1]
		if top.sticky || top.col < col || (top.col == col && (dash || !top.seq)) {
			return
		}
		s.stack = s.stack[:len(s.stack)-1]
	}
}

func (s *yamlScan) value() error {
	s.values++
	if s.values > s.l.MaxValues {
		return &Error{What: "values", Limit: s.l.MaxValues, Line: s.line}
	}
	return nil
}

func (s *yamlScan) key() error {
	if len(s.flow) > 0 {
		if k := &s.flow[len(s.flow)-1]; *k >= 0 {
			*k++
			s.maxKeys = max(s.maxKeys, *k)
			if *k > s.l.MaxKeys {
				return &Error{What: "keys in one mapping", Limit: s.l.MaxKeys, Line: s.line}
			}
		}
		return s.value()
	}
	if err := s.enterPending(); err != nil {
		return err
	}
	for i := len(s.stack) - 1; i >= 0; i-- {
		// A key after a level opened by an anchor or tag may be the
		// decoder's key of that level or of the one it is in.
		lv := &s.stack[i]
		lv.keys++
		s.maxKeys = max(s.maxKeys, lv.keys)
		if lv.keys > s.l.MaxKeys {
			return &Error{What: "keys in one mapping", Limit: s.l.MaxKeys, Line: s.line}
		}
		if i == len(s.stack)-1 {
			s.owner = lv.col
		}
		if !lv.prop {
			break
		}
	}
	return s.value()
}

// keyAll counts a key in every block level.
func (s *yamlScan) keyAll() error {
	if err := s.enterPending(); err != nil {
		return err
	}
	for i := range s.stack {
		s.stack[i].keys++
		s.maxKeys = max(s.maxKeys, s.stack[i].keys)
		if s.stack[i].keys > s.l.MaxKeys {
			return &Error{What: "keys in one mapping", Limit: s.l.MaxKeys, Line: s.line}
		}
	}
	return s.value()
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// endsToken reports whether position i of line ends a token: the end of
// the line or a blank.
func endsToken(line []byte, i int) bool { return i >= len(line) || isBlank(line[i]) }

func isFlowIndicator(c byte) bool { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}' }

// closeQuote returns the index just after the quote q closing a quoted
// scalar that continues at line[i:], or -1 if it does not close on this
// line.
func closeQuote(line []byte, i int, q byte) int {
	for ; i < len(line); i++ {
		c := line[i]
		if q == '"' && c == '\\' {
			i++
			continue
		}
		if c == q {
			if q == '\'' && i+1 < len(line) && line[i+1] == '\'' {
				i++
				continue
			}
			return i + 1
		}
	}
	return -1
}

func scanYAML(data []byte, l Limits, strict bool) (Stats, error) {
	s := &yamlScan{l: l, strict: strict}
	for len(data) > 0 || s.line == 0 {
		// Lines end in LF, CRLF or a lone CR.
		var line []byte
		if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
			crlf := data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n'
			line, data = data[:i], data[i+1:]
			if crlf {
				data = data[1:]
			}
		} else {
			line, data = data, nil
		}
		s.line++
		if err := s.scanLine(line); err != nil {
			return s.stats(), err
		}
		if data == nil {
			break
		}
	}
	return s.stats(), nil
}

func (s *yamlScan) stats() Stats {
	return Stats{Depth: s.maxDepth, Keys: s.maxKeys, Values: s.values, Aliases: s.aliases}
}

func (s *yamlScan) scanLine(line []byte) error {
	ind := 0
	for ind < len(line) && line[ind] == ' ' {
		ind++
	}
	rest := ind
	for rest < len(line) && isBlank(line[rest]) {
		rest++
	}
	blank := rest == len(line)
	i := ind
	atStart := true
	fresh := s.quote == 0 // the line does not continue a quoted scalar
	if s.quote != 0 {
		j := closeQuote(line, 0, s.quote)
		if s.quote == '"' {
			seg := line
			if j >= 0 {
				seg = line[:j]
			}
			if err := s.dqTabs(seg, j >= 0); err != nil {
				return err
			}
		}
		if j < 0 {
			return nil
		}
		s.quote = 0
		i, atStart = j, false
	} else {
		if s.inBlock {
			if blank {
				if s.blockInd == 0 && len(line) > 0 {
					s.leadBlank++
					if s.leadBlank > maxLeadBlank {
						return &WhitespaceError{Line: s.line}
					}
				}
				return nil
			}
			if s.blockInd == 0 && ind > s.blockOwner {
				s.blockInd = ind
				return s.control(line)
			}
			if s.blockInd > 0 && ind >= s.blockInd {
				return s.control(line)
			}
			s.inBlock = false
		}
		if blank {
			return nil
		}
		if line[rest] == '#' {
			s.plainCont = false
			return s.control(line)
		}
		if p := s.propFresh - 1; p >= 0 {
			s.propFresh = 0
			if p < len(s.stack) && ind <= s.stack[p].col {
				// The property's value is this line and what follows.
				for i := 0; i <= p; i++ {
					s.stack[i].sticky = true
				}
			}
		}
		if len(s.flow) == 0 {
			if s.plainCont && !s.strict && ind > s.owner {
				// The continuation of a plain scalar.
				return s.control(line)
			}
			if line[ind] == '-' && endsToken(line, ind+1) {
				if err := s.enter(ind, true); err != nil {
					return err
				}
			} else {
				// A line leaves the levels deeper than itself only once
				// it holds a key: the decoder reads a bare scalar less
				// indented than the keys around it as nothing of theirs.
				s.pending, s.pendingInd = true, ind
			}
			s.owner = ind
		}
	}
	if fresh && ind == 0 && (bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("..."))) {
		// A document marker; the decoder reads what follows it on the
		// line as a node even without a blank ("...[]").
		i = 3
	}
	endsPlain := false
	afterQuoted := false
	endsProp := false
	sawProp := false // an anchor or tag on this line
	lineKeys := 0    // keys on this line since its last "- "
	for i < len(line) {
		c := line[i]
		if isBlank(c) {
			i++
			continue
		}
		if c == '#' && (i == 0 || isBlank(line[i-1])) {
			if err := s.control(line[i:]); err != nil {
				return err
			}
			break
		}
		if c < 0x20 {
			return &ControlError{Char: c, Line: s.line}
		}
		endsProp = false
		inFlow := len(s.flow) > 0
		if inFlow && s.flowKey && c != '}' && c != ',' && c != ']' {
			// An entry of a flow mapping: a key, with or without ':'.
			s.flowKey = false
			if err := s.key(); err != nil {
				return err
			}
		}
		if inFlow || atStart {
			switch c {
			case '[', '{':
				k := -1
				if c == '{' {
					k = 0
				}
				s.flow = append(s.flow, k)
				s.flowKey = k == 0
				if err := s.depth(); err != nil {
					return err
				}
				if err := s.value(); err != nil {
					return err
				}
				i++
				atStart, endsPlain, afterQuoted = true, false, false
				continue
			case ']', '}':
				if inFlow && s.closes(c) {
					s.endImplicit()
					s.flow = s.flow[:max(len(s.flow)-1, 0)]
					s.flowKey = false
					i++
					atStart, endsPlain, afterQuoted = false, false, true
					continue
				}
			case ',':
				if inFlow {
					s.endImplicit()
					s.flowKey = len(s.flow) > 0 && s.flow[len(s.flow)-1] >= 0
					if err := s.value(); err != nil {
						return err
					}
					i++
					atStart, endsPlain, afterQuoted = true, false, false
					continue
				}
			}
		}
		if c == ':' && (endsToken(line, i+1) || afterQuoted || (inFlow && (i+1 >= len(line) || isFlowIndicator(line[i+1])))) {
			var err error
			switch {
			case !inFlow:
				lineKeys++
				if lineKeys == 1 && i == rest {
					// It belongs with the line before: the levels stay.
					s.colonKeys, s.pending = true, false
				}
				if s.colonKeys {
					// ":" opening a line makes a key of a scalar before
					// it, of this mapping or one around it, and the
					// decoder may then put the keys after it in any of
					// them: from there on every key is counted in all,
					// and this one as a level deeper.
					err = s.keyAll()
				}
				if err == nil && lineKeys > 1 {
					// "a: b: c" is refused, but ": a: b" after a line "k"
					// is read as k: {a: b}: a level deeper.
					err = s.push(i, false)
				}
				if err == nil && i == rest {
					// "k:\nj \n:" is read as k: {j: null}, and "0\n :\n 0:"
					// as {0: {0: null}}: the value of a key ended by ":"
					// opening a line is a mapping a level deeper even at
					// the colon's own column, so the level sits left of it.
					err = s.push(i-1, false)
				}
				if err == nil {
					err = s.key()
				}
			case s.flow[len(s.flow)-1] < 0:
				// "[a: b]" is a sequence of mappings of one key each: a
				// level deeper, up to the next "," or "]".
				s.maxKeys = max(s.maxKeys, 1)
				s.flow = append(s.flow, implicitMap)
				err = s.depth()
				if err == nil {
					err = s.value()
				}
			default:
				err = s.value()
			}
			if err != nil {
				return err
			}
			i++
			atStart, endsPlain, afterQuoted = true, false, false
			continue
		}
		if !atStart {
			i++
			continue
		}
		switch {
		case c == '"' || c == '\'':
			if err := s.value(); err != nil {
				return err
			}
			j := closeQuote(line, i+1, c)
			if c == '"' {
				seg := line[i+1:]
				if j >= 0 {
					seg = line[i+1 : j]
				}
				s.qoff = 0
				if err := s.dqTabs(seg, j >= 0); err != nil {
					return err
				}
			}
			if j < 0 {
				if !s.strict {
					s.quote = c
					s.plainCont = false
					return nil
				}
				return nil
			}
			i = j
			atStart, endsPlain, afterQuoted = false, false, true
		case (c == '-' || c == '?') && !inFlow && endsToken(line, i+1):
			if err := s.value(); err != nil {
				return err
			}
			if c == '?' {
				if err := s.key(); err != nil {
					return err
				}
			}
			lineKeys = 0
			if err := s.enterPending(); err != nil {
				return err
			}
			if c == '-' {
				s.popTo(i, true)
				if top := len(s.stack) - 1; top < 0 || s.stack[top].col != i || !s.stack[top].seq {
					if err := s.push(i, true); err != nil {
						return err
					}
				}
			} else {
				s.popTo(i, false)
			}
			s.owner = i
			j := i + 1
			for j < len(line) && isBlank(line[j]) {
				j++
			}
			if err := s.push(j, false); err != nil {
				return err
			}
			i = j
		case c == '*':
			s.aliases++
			if s.aliases > s.l.MaxAliases {
				return &Error{What: "aliases", Limit: s.l.MaxAliases, Line: s.line}
			}
			if err := s.value(); err != nil {
				return err
			}
			for i < len(line) && !isBlank(line[i]) && !(inFlow && isFlowIndicator(line[i])) {
				i++
			}
			atStart, endsPlain, afterQuoted = false, false, false
		case c == '&' || c == '!':
			// Up to a blank, or to a ":" that ends the token ("!:" is a
			// key to the decoder).
			for i < len(line) && !isBlank(line[i]) && !(inFlow && isFlowIndicator(line[i])) && !(line[i] == ':' && endsToken(line, i+1)) {
				i++
			}
			endsProp, sawProp = true, true
		case (c == '|' || c == '>') && !inFlow:
			if err := s.value(); err != nil {
				return err
			}
			s.inBlock, s.blockOwner, s.blockInd, s.leadBlank = true, s.owner, 0, 0
			s.plainCont = false
			return nil
		case c == '%' && i == 0:
			return nil
		default:
			if err := s.value(); err != nil {
				return err
			}
			i++
			atStart, endsPlain, afterQuoted = false, !inFlow, false
		}
	}
	s.plainCont = endsPlain && len(s.flow) == 0
	if (endsProp || (sawProp && atStart)) && len(s.flow) == 0 && len(s.stack) > 0 {
		// The decoder takes the lines after an anchor or tag that ends a
		// line, or after a line with one that ends without a value, as
		// its value, even at the same indentation or less: a level more.
		if err := s.push(s.stack[len(s.stack)-1].col, false); err != nil {
			return err
		}
		s.stack[len(s.stack)-1].prop = true
		s.propFresh = len(s.stack)
	}
	return nil
}
