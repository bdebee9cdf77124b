package schema

import (
	_ "embed"
	"encoding/json"
	"slices"
	"strings"
	"sync"
)

// An Article is an article of the Russian Criminal Code or Code of
// Administrative Offences that is often used against political prisoners,
// as the article picker of a case form offers it.
type Article struct {
	// Code is [CodeCriminal] or [CodeAdministrative].
	Code string `json:"code"`
	// Article is the article's number in its normalised form without a
	// part ("207.3", "20.3.3"): [NormalizeCharge] of Code and Article
	// gives Code and Article back.
	Article string `json:"article"`
	// Title says what the article punishes, in English.
	Title string `json:"title"`
	// TitleRU is the article's own heading, in Russian.
	TitleRU string `json:"title_ru"`
}

// Norm returns the article as [NormalizeArticle] writes it: "RU-CC 207.3".
func (a Article) Norm() string { return a.Code + " " + a.Article }

//go:embed articles.json
var articlesJSON []byte

// theArticles is articles.json, decoded on first use.
var theArticles = sync.OnceValue(mustArticles)

func mustArticles() []Article {
	var f struct {
		Articles []Article `json:"articles"`
	}
	if err := json.Unmarshal(articlesJSON, &f); err != nil {
		panic("schema: embedded articles.json: " + err.Error())
	}
	return f.Articles
}

// Articles returns the articles the article picker offers, Criminal Code
// first, most used first within each code (the order of articles.json).
func Articles() []Article { return slices.Clone(theArticles()) }

// LookupArticle returns the article of the list whose number is the
// article of the normalised charge norm ("RU-CC 207.3(2)" finds 207.3 of
// RU-CC), and whether there is one.
func LookupArticle(norm string) (Article, bool) {
	code, art, ok := strings.Cut(norm, " ")
	if !ok {
		return Article{}, false
	}
	if i := strings.IndexByte(art, '('); i >= 0 {
		art = art[:i]
	}
	for _, a := range theArticles() {
		if a.Code == code && a.Article == art {
			return a, true
		}
	}
	return Article{}, false
}
