package publish

import "strings"

// Phrases of withheld free text that are public text. A lawyer's note
// quotes the public labels of the cases it is about ("visited him in the
// Temporary detention centre of the police, Murmansk"): four content words
// of such a label are no secret, and as phrase needles they flagged every
// record that publishes the label (184,181 hits on 2,000 cases with
// realistic notes, TestNoteNamesFalsePositives).
//
// One record alone cannot make a run public: a label that holds a copied
// piece of a note looks exactly like a note that quotes the label, and the
// copy is the leak the phrase needles are there to find. A run is public
// when it is published in label fields (labelField) of two or more
// published cases: the facility, court, region, charge titles and status
// words that cases share. Summaries, appeals, occupations and every other
// field of running text never make a run public, nor does a label of
// twelve words or more (prose).

// labelField reports whether an output field of a record is a short public
// label (not running text, not a name): its four-word runs may make a
// phrase of a note public.
func labelField(field string) bool {
	if i := strings.IndexByte(field, '['); i >= 0 {
		// articles[0], charges[1].title, detention[0].conditions[2]
		rest := field[i:]
		if j := strings.IndexByte(rest, ']'); j >= 0 {
			rest = rest[j+1:]
		}
		field = field[:i] + rest
		if k := strings.IndexByte(field, '['); k >= 0 {
			field = field[:k]
		}
	}
	switch field {
	case "region", "federal_district", "status", "facility", "court", "articles",
		"charges.title", "detention.kind", "detention.facility", "detention.conditions", "mistreatment.kind":
		return true
	}
	return false
}

// dropPublicPhrases removes the phrase needles (four content words of a
// note) whose run is published in label fields of two or more of the
// records. Only phrase needles are removed: the whole-value, name, number,
// date and address needles of the same notes stay.
func (s *scanner) dropPublicPhrases(records []*Record) {
	if len(s.shingles) == 0 {
		return
	}
	seen := map[[shingle]string]string{} // run -> the first case publishing it, "" once two do
	// Labels repeat from case to case (a facility, a court, a charge
	// title): each distinct text is cut into runs once.
	runs := map[string][][shingle]string{}
	for _, r := range records {
		for _, f := range r.strings() {
			if *f.p == "" || !labelField(f.name) {
				continue
			}
			keys, ok := runs[*f.p]
			if !ok {
				keys = s.labelRuns(f.name, *f.p)
				runs[*f.p] = keys
			}
			for _, key := range keys {
				switch first, ok := seen[key]; {
				case !ok:
					seen[key] = r.caseID
				case first != "" && first != r.caseID:
					seen[key] = ""
				}
			}
		}
	}
	for k, first := range seen {
		if first != "" {
			continue
		}
		// An anonymous record's own left-out text stays a needle in its
		// output whatever other cases publish.
		kept := s.shingles[k][:0]
		for _, nd := range s.shingles[k] {
			if nd.scope != nil {
				kept = append(kept, nd)
			}
		}
		if len(kept) == 0 {
			delete(s.shingles, k)
		} else {
			s.shingles[k] = kept
		}
	}
}

// labelRuns returns the runs of four content words of a label that are
// phrase needles; none for a label of twelve words or more.
func (s *scanner) labelRuns(field, text string) [][shingle]string {
	ft := phraseTokens(tokenize(text))
	if prose(field, len(ft)) {
		return nil
	}
	var cw []string
	for _, t := range ft {
		if isContent(t) {
			cw = append(cw, t.stem)
		}
	}
	var out [][shingle]string
	for i := 0; i+shingle <= len(cw); i++ {
		key := [shingle]string(cw[i : i+shingle])
		if _, ok := s.shingles[key]; ok {
			out = append(out, key)
		}
	}
	return out
}
