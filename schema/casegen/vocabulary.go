package casegen

// Names returns the names the generators draw from, in Cyrillic: every
// surname of the realistic pool in its masculine and feminine form, and
// every given name; for tests that measure how often unrelated names
// collide (search precision).
func Names() []string {
	var out []string
	for _, n := range pool() {
		out = append(out, n.cyr)
		if n.cyrF != n.cyr {
			out = append(out, n.cyrF)
		}
	}
	for _, s := range surnames {
		out = append(out, s.cyr)
	}
	for _, l := range [][]namePair{maleFirst, femaleFirst} {
		for _, p := range l {
			out = append(out, p.cyr)
		}
	}
	return out
}
