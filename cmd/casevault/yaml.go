package main

import (
	"sort"
	"strings"

	"github.com/casevault/casevault/schema"
	"github.com/goccy/go-yaml"
)

// caseYAML renders a case document as YAML with its fields in the order of
// the case model, so that it reads like the template.
func caseYAML(c *schema.Case) ([]byte, error) {
	order := map[string]int{}
	for i, f := range schema.Fields() {
		if _, ok := order[f.Path]; !ok {
			order[f.Path] = i
		}
	}
	return yaml.MarshalWithOptions(ordered(c.Doc, "", order), yaml.UseLiteralStyleIfMultiline(true), yaml.IndentSequence(true))
}

func ordered(v any, path string, order map[string]int) any {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		pos := func(k string) int {
			if i, ok := order[strings.TrimPrefix(path+"."+k, ".")]; ok {
				return i
			}
			return 1 << 30
		}
		sort.SliceStable(keys, func(i, j int) bool {
			pi, pj := pos(keys[i]), pos(keys[j])
			if pi != pj {
				return pi < pj
			}
			return keys[i] < keys[j]
		})
		ms := make(yaml.MapSlice, 0, len(keys))
		for _, k := range keys {
			ms = append(ms, yaml.MapItem{Key: k, Value: ordered(t[k], strings.TrimPrefix(path+"."+k, "."), order)})
		}
		return ms
	case string:
		if needsYAMLQuote(t) || strings.Contains(t, "\n") && !literalRoundTrips(t) {
			return quotedYAML(t)
		}
		return t
	case float64:
		if t == float64(int64(t)) {
			return int64(t) // JSON numbers are float64; 1981 must not print as 1981.0
		}
		return t
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = ordered(e, path, order)
		}
		return out
	}
	return v
}

// literalRoundTrips reports whether a multi-line string written in the
// literal style (as caseYAML writes such strings) reads back as itself.
// Some do not: a string of newlines alone, for one, reads back empty; those
// are written double-quoted instead.
func literalRoundTrips(s string) bool {
	y, err := yaml.MarshalWithOptions(map[string]string{"v": s}, yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return false
	}
	var back map[string]string
	return yaml.Unmarshal(y, &back) == nil && back["v"] == s
}
