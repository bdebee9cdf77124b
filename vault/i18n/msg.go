package i18n

// Msg is a message ID with its data, to be rendered in a language later.
// A Msg (or a Text) may be the value of a placeholder of another message:
// it is rendered in the same language.
type Msg struct {
	ID   string
	Data map[string]any
}

// In renders m in lang.
func (m Msg) In(lang string) string { return T(lang, m.ID, m.Data) }

// String renders m in English.
func (m Msg) String() string { return m.In(Default) }

// Text is an English text that the catalogue may hold as a message
// without placeholders (see [Translate]); as the value of a placeholder it
// is rendered translated.
type Text string

// resolve renders the Msg and Text values of data in lang.
func resolve(lang string, data any) any {
	m, ok := data.(map[string]any)
	if !ok {
		return data
	}
	var out map[string]any
	for k, v := range m {
		var s string
		switch v := v.(type) {
		case Msg:
			s = v.In(lang)
		case Text:
			s = Translate(lang, string(v))
		default:
			continue
		}
		if out == nil {
			out = make(map[string]any, len(m))
			for k2, v2 := range m {
				out[k2] = v2
			}
		}
		out[k] = s
	}
	if out == nil {
		return data
	}
	return out
}
