package publish

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The browser test loads the published site from disk in headless Chromium
// (Debian's chromium package, installed by .ci/setup), drives the filters,
// opens a case page and checks what a reader sees: document.body.innerText,
// which leaves out what CSS hides. It talks to Chromium over
// --remote-debugging-pipe with a few DevTools protocol calls, so it needs
// no dependency. Set PUBLISH_SCREENSHOTS=DIR to keep screenshots.

func findChromium(t testing.TB) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed (CI is set: .ci/setup must install it)")
	}
	t.Skip("chromium is not installed; install Debian's chromium package to run the browser test")
	return ""
}

// browser is a headless Chromium driven over the DevTools pipe.
type browser struct {
	t       testing.TB
	cmd     *exec.Cmd
	w       io.WriteCloser
	msgs    chan map[string]any
	nextID  int
	session string
	mu      sync.Mutex
	events  []map[string]any
}

func startBrowser(t testing.TB) *browser {
	path := findChromium(t)
	toBrowser, browserIn, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	browserOut, fromBrowser, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "--hide-scrollbars", "about:blank")
	cmd.ExtraFiles = []*os.File{toBrowser, fromBrowser} // fd 3: commands in, fd 4: replies out
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	toBrowser.Close()
	fromBrowser.Close()
	b := &browser{t: t, cmd: cmd, w: browserIn, msgs: make(chan map[string]any, 64)}
	go func() {
		r := bufio.NewReader(browserOut)
		for {
			raw, err := r.ReadBytes(0)
			if err != nil {
				close(b.msgs)
				return
			}
			var m map[string]any
			if json.Unmarshal(raw[:len(raw)-1], &m) == nil {
				b.msgs <- m
			}
		}
	}()
	t.Cleanup(func() {
		browserIn.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("chromium stderr (last 2000 bytes): %s", tail(stderr.String(), 2000))
		}
	})
	res := b.call("Target.createTarget", map[string]any{"url": "about:blank"}, false)
	res = b.call("Target.attachToTarget", map[string]any{"targetId": res["targetId"], "flatten": true}, false)
	b.session = res["sessionId"].(string)
	b.call("Page.enable", nil, true)
	b.call("Network.enable", nil, true)
	b.call("Log.enable", nil, true)
	b.call("Runtime.enable", nil, true)
	return b
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// call sends a DevTools command (to the page when inPage) and returns its
// result.
func (b *browser) call(method string, params map[string]any, inPage bool) map[string]any {
	b.t.Helper()
	res, err := b.try(method, params, inPage)
	if err != nil {
		b.t.Fatalf("%s: %v", method, err)
	}
	return res
}

// try is call that returns the error Chromium answered with instead of
// failing the test.
func (b *browser) try(method string, params map[string]any, inPage bool) (map[string]any, error) {
	b.t.Helper()
	b.nextID++
	id := b.nextID
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if inPage {
		msg["sessionId"] = b.session
	}
	raw, _ := json.Marshal(msg)
	if _, err := b.w.Write(append(raw, 0)); err != nil {
		b.t.Fatalf("%s: %v", method, err)
	}
	timeout := time.After(30 * time.Second)
	for {
		select {
		case m, ok := <-b.msgs:
			if !ok {
				b.t.Fatalf("%s: chromium closed the pipe", method)
			}
			if got, ok := m["id"].(float64); ok && int(got) == id {
				if e, ok := m["error"]; ok {
					return nil, fmt.Errorf("%v", e)
				}
				res, _ := m["result"].(map[string]any)
				return res, nil
			}
			if _, ok := m["method"]; ok {
				b.mu.Lock()
				b.events = append(b.events, m)
				b.mu.Unlock()
			}
		case <-timeout:
			b.t.Fatalf("%s: no answer from chromium in 30 s", method)
		}
	}
}

// eval evaluates a JavaScript expression in the page and returns its value.
func (b *browser) eval(expr string) any {
	b.t.Helper()
	res := b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, true)
	if ex, ok := res["exceptionDetails"]; ok {
		b.t.Fatalf("%s: %v", expr, ex)
	}
	r, _ := res["result"].(map[string]any)
	return r["value"]
}

// waitLoaded waits until the page at a URL ending in suffix has loaded. A
// page being replaced answers "Inspected target navigated or closed" to an
// evaluation that races the navigation: that is asked again.
func (b *browser) waitLoaded(suffix string) {
	b.t.Helper()
	for i := 0; i < 400; i++ {
		res, err := b.try("Runtime.evaluate", map[string]any{"expression": `location.href + " " + document.readyState`, "returnByValue": true}, true)
		if err == nil {
			r, _ := res["result"].(map[string]any)
			if s, _ := r["value"].(string); strings.HasSuffix(s, suffix+" complete") {
				return
			}
		} else if !strings.Contains(err.Error(), "navigated or closed") && !strings.Contains(err.Error(), "context was destroyed") {
			b.t.Fatalf("waiting for %s: %v", suffix, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
	b.t.Fatalf("page %s did not load; at %v", suffix, b.eval("location.href"))
}

func (b *browser) open(url string) {
	b.t.Helper()
	b.call("Page.navigate", map[string]any{"url": url}, true)
	b.waitLoaded(url[strings.LastIndex(url, "/"):])
}

// text is what a reader sees of the page.
func (b *browser) text() string {
	b.t.Helper()
	s, _ := b.eval("document.body.innerText").(string)
	return s
}

func (b *browser) viewport(w, h int, mobile bool) {
	b.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": w, "height": h, "deviceScaleFactor": 1, "mobile": mobile}, true)
}

func (b *browser) screenshot(name string) {
	dir := os.Getenv("PUBLISH_SCREENSHOTS")
	if dir == "" {
		return
	}
	res := b.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true}, true)
	png, _ := base64.StdEncoding.DecodeString(res["data"].(string))
	os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

// problems returns the requests to anything but the site's own files and
// the errors the page logged (a CSP violation is one).
func (b *browser) problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, e := range b.events {
		p, _ := e["params"].(map[string]any)
		switch e["method"] {
		case "Network.requestWillBeSent":
			req, _ := p["request"].(map[string]any)
			if u, _ := req["url"].(string); !strings.HasPrefix(u, "file://") && u != "about:blank" {
				out = append(out, "request to "+u)
			}
		case "Log.entryAdded":
			entry, _ := p["entry"].(map[string]any)
			if entry["level"] == "error" {
				out = append(out, fmt.Sprintf("logged: %v", entry["text"]))
			}
		case "Runtime.exceptionThrown":
			out = append(out, fmt.Sprintf("exception: %v", p["exceptionDetails"]))
		}
	}
	return out
}

func contains(t *testing.T, what, text string, want []string, unwanted []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: reader does not see %q in:\n%s", what, w, text)
		}
	}
	for _, u := range unwanted {
		if strings.Contains(text, u) {
			t.Errorf("%s: reader sees %q in:\n%s", what, u, text)
		}
	}
}

func TestBrowser(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := build(t, fixtureSources(t), "html", fixtureOptions).WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	index := "file://" + filepath.ToSlash(dir) + "/index.html"
	b := startBrowser(t)
	b.viewport(1280, 900, false)

	// The index, with the filter form that only the script shows.
	b.open(index)
	b.screenshot("index-desktop")
	contains(t, "index", b.text(), []string{"Political prisoners", "Vladimir Kara-Murza", "Владимир Кара-Мурза", "Igor Baranov",
		"Anonymous #", "name withheld", "4 cases", "Search", "RU-CC 207.3(2)", "25 years, strict-regime colony"},
		[]string{"Anna", "Smirnova", "Boris", "Gleb", "Kaliningrad"})
	// The partner's case says who reported it; the footer says what the
	// scanner cannot catch.
	contains(t, "index", b.text(), []string{"Lev Sadykov", "Reported by Crimea Rights Test", "Siberian Federal District",
		"A scanner cannot catch everything: paraphrase, initials", "fits at least 3 cases"}, []string{"Vera", "Oksana", "Kuznetsova"})
	if v := b.eval(`getComputedStyle(document.getElementById("filters")).display`); v == "none" {
		t.Error("the filter form is not shown: the inline script did not run (CSP hash?)")
	}

	// Status filter, as a reader would choose it.
	b.eval(`(() => { const s = document.querySelector("select[name=status]"); s.value = "exchanged"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`)
	contains(t, "status=exchanged", b.text(), []string{"Vladimir Kara-Murza", "1 of 4 cases"}, []string{"Igor Baranov", "Anonymous #"})

	// Free text typed into the search box, in Cyrillic and in Latin. A
	// Cyrillic spelling finds the Latin word (леафлет: the start of
	// "leaflets"); a word of no case finds nothing (more in
	// browser_search_test.go).
	for q, want := range map[string]string{"баранов": "Igor Baranov", "Kara Murza": "Vladimir Kara-Murza", "vladimir": "Vladimir Kara-Murza", "леафлет": "Igor Baranov", "квазимодо": "", "leaflets": "Igor Baranov"} {
		b.eval(fmt.Sprintf(`(() => { document.querySelector("select[name=status]").value = ""; const q = document.querySelector("input[name=q]"); q.value = %q; q.dispatchEvent(new Event("input", {bubbles: true})); })()`, q))
		text := b.text()
		if want == "" {
			contains(t, "q="+q, text, []string{"0 of 4 cases"}, []string{"Igor Baranov", "Vladimir Kara-Murza"})
			continue
		}
		contains(t, "q="+q, text, []string{want, "1 of 4 cases"}, nil)
	}

	// Filters given in the address, applied on load.
	b.open(index + "?article=RU-CAO+20.3.3")
	contains(t, "?article", b.text(), []string{"Igor Baranov", "1 of 4 cases"}, []string{"Vladimir Kara-Murza"})
	b.open(index + "?region=Moscow&q=opposition")
	contains(t, "?region&q", b.text(), []string{"Vladimir Kara-Murza", "1 of 4 cases"}, []string{"Igor Baranov"})

	// Open a case page from the index, by its link.
	b.open(index)
	id := source("kara-murza", nil).PublicID
	b.eval(fmt.Sprintf(`document.querySelector("tr#%s a").click()`, id))
	b.waitLoaded("/cases/" + id + ".html")
	b.screenshot("case-desktop")
	contains(t, "case page", b.text(), []string{"Vladimir Kara-Murza", "Владимир Кара-Мурза", "Summary", "Opposition politician sentenced to 25 years",
		"State treason", "IK-6, Omsk region", "Moscow City Court", "← All cases"},
		[]string{"Polyneuropathy", "Прохоров", "family@example.org", "1981-09-07", "сокамерник", "Working notes", "1-12/2023"})
	if lang := b.eval(`document.querySelector(".native").lang`); lang != "und-Cyrl" {
		t.Errorf("native name lang = %v", lang)
	}
	// Public mistreatment: date and kind, nothing else of the incident.
	contains(t, "case page", b.text(), []string{"Mistreatment", "2023-02-01\tdenial-of-medical-care", "2023-10\tsolitary-confinement, threats"},
		[]string{"Reported by", "Medical examination refused", "punishment cell"})

	// The partner's case, opened from the index: who reported it, and its
	// mistreatment.
	b.open(index)
	pid := source("partner", nil).PublicID
	b.eval(fmt.Sprintf(`document.querySelector("tr#%s a").click()`, pid))
	b.waitLoaded("/cases/" + pid + ".html")
	b.screenshot("case-partner")
	contains(t, "partner page", b.text(), []string{"Lev Sadykov", "Reported by Crimea Rights Test.", "Mistreatment", "2021-03-02\tbeating, forced-confession",
		"Published by Test Defence Group, reported by Crimea Rights Test."}, []string{"Grebenkin", "Beaten during the search"})

	// The anonymous case: no full date anywhere a reader looks, the
	// district instead of the region, no dual citizenship.
	aid := source("anonymous", nil).PublicID
	b.open("file://" + filepath.ToSlash(dir) + "/cases/" + aid + ".html")
	b.screenshot("case-anonymous")
	anonText := b.text()
	contains(t, "anonymous page", anonText, []string{"Anonymous #", "Siberian Federal District", "Mistreatment", "threats", "Verdict\n2023"},
		[]string{"Omsk", "RU, UA", "Citizenship", "SIZO-1", "Pavel Orlov", "Reported by"})
	if m := regexp.MustCompile(`\d{4}-\d{2}`).FindString(anonText); m != "" {
		t.Errorf("anonymous page shows the date %s (the fixtures' crowd allows only years)", m)
	}
	if m := regexp.MustCompile(`\d{4}-\d{2}-\d{2}`).FindString(b.eval("document.documentElement.outerHTML").(string)); m != "" {
		t.Errorf("anonymous page's source holds the full date %s", m)
	}

	// A phone: the table becomes cards, hidden rows stay hidden, nothing
	// is wider than the screen.
	b.viewport(390, 844, true)
	b.open(index + "?status=released")
	b.screenshot("index-phone")
	contains(t, "phone", b.text(), []string{"Igor Baranov", "1 of 4 cases"}, []string{"Vladimir Kara-Murza", "Anonymous #"})
	if w := b.eval(`document.documentElement.scrollWidth - window.innerWidth`); w.(float64) > 0 {
		t.Errorf("index is %v px wider than a 390 px phone screen", w)
	}
	if d := b.eval(`getComputedStyle(document.querySelector("#cases thead")).display`); d != "none" {
		t.Errorf("phone: table header display %v, want the card layout", d)
	}
	for _, page := range []string{id, pid, aid} {
		b.open("file://" + filepath.ToSlash(dir) + "/cases/" + page + ".html")
		b.screenshot("case-phone-" + page)
		if w := b.eval(`document.documentElement.scrollWidth - window.innerWidth`); w.(float64) > 0 {
			t.Errorf("case page %s is %v px wider than a phone screen", page, w)
		}
	}

	// Print: no filter form, no navigation.
	b.viewport(1280, 900, false)
	b.open(index)
	b.call("Emulation.setEmulatedMedia", map[string]any{"media": "print"}, true)
	contains(t, "print", b.text(), []string{"Vladimir Kara-Murza", "Igor Baranov"}, []string{"Search", "4 cases\n"})

	if p := b.problems(); len(p) > 0 {
		t.Errorf("the site made requests or logged errors:\n%s", strings.Join(p, "\n"))
	}
}
