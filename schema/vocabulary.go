package schema

import (
	"encoding/json"
	"strings"
	"sync"
)

// vocabularyNode is the part of a schema node Vocabulary walks.
type vocabularyNode struct {
	Properties map[string]*vocabularyNode `json:"properties"`
	Items      *vocabularyNode            `json:"items"`
	Enum       []string                   `json:"enum"`
}

var vocabularyRoot = sync.OnceValue(func() *vocabularyNode {
	var n vocabularyNode
	if err := json.Unmarshal(schemaJSON, &n); err != nil {
		panic("schema: embedded case.v1.json: " + err.Error())
	}
	return &n
})

// Vocabulary returns the values the case model allows for the controlled
// vocabulary at path ("status", "publication.consent", "mistreatment.kind";
// arrays are walked through their items), in the schema's order, or nil.
// It reads the embedded schema without compiling it (Model does), so that
// help texts that list a vocabulary cost every command nothing (issue 14:
// building the command tree compiled the schema for them, ~40 ms).
func Vocabulary(path string) []string {
	n := vocabularyRoot()
	for _, part := range strings.Split(path, ".") {
		for n != nil && n.Items != nil && n.Properties == nil {
			n = n.Items
		}
		if n == nil {
			return nil
		}
		n = n.Properties[part]
	}
	for n != nil && n.Items != nil && n.Enum == nil {
		n = n.Items
	}
	if n == nil {
		return nil
	}
	return append([]string(nil), n.Enum...)
}
