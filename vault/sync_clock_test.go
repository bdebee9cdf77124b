package vault

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/casevault/casevault/vault/internal/syncfmt"
)

// dateShifter is an HTTP proxy in front of the real S3 server that moves
// each response's Date header by shift (a store with a wrong clock, or an
// attacker on the path).
type dateShifter struct {
	shift atomic.Int64 // nanoseconds
	srv   *httptest.Server
}

func newDateShifter(t *testing.T, endpoint string) *dateShifter {
	t.Helper()
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	d := &dateShifter{}
	p := httputil.NewSingleHostReverseProxy(u)
	p.ModifyResponse = func(resp *http.Response) error {
		if s := time.Duration(d.shift.Load()); s != 0 {
			resp.Header.Set("Date", time.Now().Add(s).UTC().Format(http.TimeFormat))
		}
		return nil
	}
	d.srv = httptest.NewServer(p)
	t.Cleanup(d.srv.Close)
	return d
}

// syncVia points v's remote "org" at the proxy instead.
func syncVia(t *testing.T, v *Vault, d *dateShifter, bucket string) {
	t.Helper()
	if err := v.RemoveRemote("org"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.AddRemote("org", "s3://"+bucket+"/casevault/org1", d.srv.URL, syncCreds); err != nil {
		t.Fatal(err)
	}
}

func syncCursor(t *testing.T, v *Vault) (*Remote, syncMark) {
	t.Helper()
	r, err := v.Remote("org")
	if err != nil {
		t.Fatal(err)
	}
	var m syncMark
	if err := v.getJSON(nil, syncMarkKey(r), v.keys.sys, &m); err != nil && !errors.Is(err, errNoRecord) {
		t.Fatal(err)
	}
	return r, m
}

// F1, F2: a Date a day off is refused before anything is uploaded or the
// cursor moves; a cursor already ahead (written by the previous version)
// is listed past and reset.
func TestSyncRefusesFalseServerDate(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "clock")
	d := newDateShifter(t, s.Endpoint)
	syncVia(t, a, d, "clock")
	id := coreAdd(t, a, syncCase("Ivan Clock"))
	mustSync(t, a)
	mustSync(t, b)
	_, before := syncCursor(t, a)

	for _, shift := range []time.Duration{24 * time.Hour, -24 * time.Hour, 20 * time.Minute} {
		d.shift.Store(int64(shift))
		if _, err := a.UpdateCase(id, coreCase(t, syncCase("Ivan Clock "+shift.String()))); err != nil {
			t.Fatal(err)
		}
		rep, err := a.Sync(context.Background(), "org", SyncHooks{})
		var ce *ClockSkewError
		if !errors.As(err, &ce) {
			t.Fatalf("shift %s: sync gave %v, want a clock skew error", shift, err)
		}
		if rep.PacksUp != 0 {
			t.Fatalf("shift %s: uploaded %d packs under a false date", shift, rep.PacksUp)
		}
		if _, m := syncCursor(t, a); m.After != before.After {
			t.Fatalf("shift %s: cursor moved from %q to %q", shift, before.After, m.After)
		}
		if _, err := a.Sync(context.Background(), "org", SyncHooks{Full: true}); err == nil {
			t.Fatalf("shift %s: sync --full went on", shift)
		}
	}
	// Within the tolerance: accepted.
	d.shift.Store(int64(2 * time.Minute))
	if rep := mustSync(t, a); rep.PacksUp != 1 {
		t.Fatalf("honest clock: %+v", rep)
	}
	if rep := mustSync(t, b); rep.CasesDown != 1 || caseDocSHA(t, a, id) != caseDocSHA(t, b, id) {
		t.Fatalf("B after honest push: %+v", rep)
	}

	// A cursor a day ahead (as the previous version left it after a false
	// Date): the next sync still gets B's edit, and the cursor comes back.
	r, m := syncCursor(t, a)
	m.After = syncfmt.NameAfter(time.Now().Add(24 * time.Hour))
	if err := a.saveSyncMark(r, m); err != nil {
		t.Fatal(err)
	}
	if _, err := b.UpdateCase(id, coreCase(t, syncCase("Ivan Clock From B"))); err != nil {
		t.Fatal(err)
	}
	mustSync(t, b)
	if rep := mustSync(t, a); rep.CasesDown != 1 {
		t.Fatalf("A with a cursor ahead missed B's edit: %+v", rep)
	}
	if _, m := syncCursor(t, a); m.After > syncfmt.NameAfter(time.Now().Add(clockTolerance)) {
		t.Fatalf("cursor still ahead: %q", m.After)
	}
	syncClean(t, a, b)
}

// F3: a copy whose clock stepped back names its third revision's pack
// before the second's; a fresh copy reads the packs in the wrong order
// and must still end at the third revision.
func TestSyncPacksOutOfOrderKeepEveryRevision(t *testing.T) {
	s := weedServer(t)
	c, e := syncPair(t, s, "order")
	d := newDateShifter(t, s.Endpoint)
	syncVia(t, c, d, "order")
	id := coreAdd(t, c, syncCase("Olga Order"))
	mustSync(t, c) // pack 1: key, REV1
	if _, err := c.UpdateCase(id, coreCase(t, syncCase("Olga Order Two"))); err != nil {
		t.Fatal(err)
	}
	mustSync(t, c) // pack 2: REV2
	// The store's clock steps back 4 minutes (within the tolerance).
	d.shift.Store(int64(-4 * time.Minute))
	if _, err := c.UpdateCase(id, coreCase(t, syncCase("Olga Order Three"))); err != nil {
		t.Fatal(err)
	}
	if rep := mustSync(t, c); rep.PacksUp != 1 {
		t.Fatalf("third push: %+v", rep)
	}
	for _, full := range []bool{false, true} {
		rep, err := e.Sync(context.Background(), "org", SyncHooks{Full: full})
		if err != nil {
			t.Fatal(err)
		}
		if full {
			continue
		}
		if rep.PacksDown != 3 || len(rep.Conflicts) != 0 || len(rep.Waiting) != 0 {
			t.Fatalf("fresh copy: %+v", rep)
		}
	}
	if caseDocSHA(t, c, id) != caseDocSHA(t, e, id) {
		t.Fatal("the fresh copy lost the third revision")
	}
	if h, _ := e.History(id); len(h) != 3 {
		t.Fatalf("history on the fresh copy: %d revisions", len(h))
	}
	syncClean(t, c, e)
}

// F6: another copy's removal would delete what was added here after it;
// the sync holds each such revision and evidence item back (sync_held.go)
// and names it, in its report and in the audit log.
func TestSyncRemovalNamesWhatItDiscards(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "discard")
	id := coreAdd(t, a, syncCase("Pavel Removed"))
	mustSync(t, a)
	mustSync(t, b)
	if err := b.RemoveCase(id); err != nil {
		t.Fatal(err)
	}
	mustSync(t, b)
	// Meanwhile a colleague on A edits the case and adds evidence.
	if _, err := a.UpdateCase(id, coreCase(t, syncCase("Pavel Removed Edited"))); err != nil {
		t.Fatal(err)
	}
	ev, err := a.AddEvidence(context.Background(), id, strings.NewReader("witness statement"), EvidenceInput{Name: "statement.txt"})
	if err != nil {
		t.Fatal(err)
	}
	rep := mustSync(t, a)
	want := []string{id.String() + " revision 2", id.String() + " evidence " + ev.ID}
	if len(rep.Removed) != 1 || !slices.Equal(rep.Held, want) || len(rep.Discarded) != 0 {
		t.Fatalf("removal on A: removed %v, held %v, discarded %v, want held %v", rep.Removed, rep.Held, rep.Discarded, want)
	}
	var got []string
	if err := a.AuditEntries(func(e AuditEntry) error {
		if e.Op == OpSyncHold {
			got = append(got, strings.Join(e.Targets, " "))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("audit sync.hold entries %v, want %v", got, want)
	}
	// Nothing is named when the removing copy had everything.
	id2 := coreAdd(t, a, syncCase("Pavel Known"))
	mustSync(t, a)
	mustSync(t, b)
	if err := b.RemoveCase(id2); err != nil {
		t.Fatal(err)
	}
	mustSync(t, b)
	if rep := mustSync(t, a); len(rep.Removed) != 1 || len(rep.Discarded) != 0 || len(rep.Held) != 0 {
		t.Fatalf("plain removal on A: %+v", rep)
	}
	syncClean(t, a, b)
}
