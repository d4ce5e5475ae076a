package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/tasks"
)

var now = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// reads is a Backend that answers the store's reads from fixed data; writes are not
// called by the store.
type reads struct {
	Backend // writes: nil, never called here
	mu      sync.Mutex
	ident   model.Identity
	snap    model.Snapshot
	calls   map[string]int
}

func (b *reads) count(m string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.calls == nil {
		b.calls = map[string]int{}
	}
	b.calls[m]++
}

func (b *reads) Identity() model.Identity { b.mu.Lock(); defer b.mu.Unlock(); return b.ident }
func (b *reads) Refresh(context.Context, model.RefreshRequest) (model.Snapshot, error) {
	b.count("Refresh")
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.snap
	s.Identity = b.ident
	return s, s.Errors.Err()
}
func (b *reads) ListPrincipals(_ context.Context, id string) ([]model.Principal, error) {
	b.count("ListPrincipals")
	return []model.Principal{{ARN: "arn:aws:iam::444455556666:root", Type: "Account"}}, nil
}

func newReads(services int) *reads {
	b := &reads{ident: model.Identity{Account: "111122223333", Region: "us-east-1", Profile: "demo"}}
	for i := 0; i < services; i++ {
		b.snap.Services = append(b.snap.Services, model.EndpointService{ID: fmt.Sprintf("vpce-svc-%03d", i), State: model.ServiceAvailable})
	}
	return b
}

// run feeds every command's result back into the store (as the root would, through the
// runner), until nothing is left.
func run(t *testing.T, s *Store, r *tasks.Runner, cmd tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tasks.DoneMsg:
			if !r.Finish(msg) || msg.Owner != s.Owner() {
				continue
			}
			_, next := s.Update(msg.Msg)
			queue = append(queue, next)
		}
	}
}

func TestPrincipalReadsAreBoundedAndCached(t *testing.T) {
	b := newReads(13)
	r := tasks.NewRunner(context.Background(), time.Minute)
	s := New(b, b.ident, r, Options{Now: func() time.Time { return now }})
	done := s.Refresh(false)().(tasks.DoneMsg)
	r.Finish(done)
	_, next := s.Update(done.Msg)
	if n := r.RunningPrefix("principals/"); n != 4 {
		t.Fatalf("%d principal reads in flight after the refresh, want the bound of 4", n)
	}
	if s.SchedulePrincipals() != nil {
		t.Fatal("no more reads while the bound is reached")
	}
	run(t, s, r, next) // each answer schedules the next
	if b.calls["ListPrincipals"] != 13 || r.Len() != 0 {
		t.Fatalf("%d principal reads, %d tasks left", b.calls["ListPrincipals"], r.Len())
	}
	if f := s.Freshness(Principals); !f.Loaded {
		t.Fatal("every service's principals are loaded")
	}
	if s.SchedulePrincipals() != nil {
		t.Fatal("cached principals are not read again before they age")
	}
	s.InvalidatePrincipals("vpce-svc-003")
	run(t, s, r, s.SchedulePrincipals())
	if b.calls["ListPrincipals"] != 14 {
		t.Fatalf("an invalidated service is read again: %d reads", b.calls["ListPrincipals"])
	}
}

func TestSnapshotPartsAndIdentity(t *testing.T) {
	b := newReads(2)
	b.snap.Connections = []model.Connection{{ServiceID: "vpce-svc-000", EndpointID: "vpce-1", State: model.StatePendingAcceptance}}
	r := tasks.NewRunner(context.Background(), time.Minute)
	s := New(b, b.ident, r, Options{Now: func() time.Time { return now }})
	run(t, s, r, s.Refresh(false))
	if len(s.Services()) != 2 || !s.Connections().Loaded || s.Summary("vpce-svc-000").PendingAcceptance() != 1 {
		t.Fatalf("first refresh: %d services, %+v", len(s.Services()), s.Summary("vpce-svc-000"))
	}
	if last, err := s.LastFull(); !last.Equal(now) || err != nil {
		t.Fatalf("last full read %v, %v", last, err)
	}

	// the connections fail: the services are read, the connections keep the last read
	throttled := &model.AWSError{Code: "Throttling", Sentence: "throttled"}
	b.snap.Services = b.snap.Services[:1]
	b.snap.Connections = nil
	b.snap.Errors = model.RefreshErrors{Connections: throttled}
	run(t, s, r, s.Refresh(false))
	if len(s.Services()) != 1 || len(s.Connections().Entries) != 1 {
		t.Fatalf("partial refresh: %d services, %d connections", len(s.Services()), len(s.Connections().Entries))
	}
	if f := s.Freshness(Connections); f.Err != throttled || !f.Loaded {
		t.Fatalf("connections freshness %+v", f)
	}
	if _, err := s.LastFull(); !errors.Is(err, throttled) {
		t.Fatalf("the refresh's failure: %v", err)
	}

	// a snapshot read in another session is dropped
	b.snap.Errors = model.RefreshErrors{}
	v := s.Version()
	b.mu.Lock()
	b.ident.Region = "eu-west-1"
	b.mu.Unlock()
	run(t, s, r, s.Refresh(false))
	if s.Version() != v {
		t.Fatal("a snapshot of another region changed the store")
	}

	// an error that names no part (a cancelled refresh) fails every part
	b.mu.Lock()
	b.ident.Region = "us-east-1"
	b.mu.Unlock()
	s2 := New(b, b.ident, r, Options{Now: func() time.Time { return now }})
	changed, _ := s2.Update(snapshotResult{err: context.Canceled})
	if !changed || s2.Freshness(Services).Err == nil || s2.Freshness(Connections).Err == nil || s2.Freshness(LoadBalancers).Err == nil {
		t.Fatalf("a cancelled refresh: %+v %+v", s2.Freshness(Services), s2.Freshness(Connections))
	}
}

func TestExplicitRefreshDuringOneRunsOnceMore(t *testing.T) {
	b := newReads(1)
	r := tasks.NewRunner(context.Background(), time.Minute)
	s := New(b, b.ident, r, Options{Now: func() time.Time { return now }})
	first := s.Refresh(false)
	for i := 0; i < 10; i++ {
		if s.Refresh(true) != nil {
			t.Fatal("a refresh while one runs starts nothing")
		}
	}
	run(t, s, r, first)
	if b.calls["Refresh"] != 2 {
		t.Fatalf("ten explicit refreshes during one cost %d refreshes, want 2", b.calls["Refresh"])
	}
}

func TestConnectionIngestIsADiff(t *testing.T) {
	var x connIndex
	a := model.Connection{ServiceID: "s", EndpointID: "a", State: model.StatePendingAcceptance}
	c := model.Connection{ServiceID: "s", EndpointID: "c", State: model.StateAvailable}
	x.ingest([]model.Connection{a, c})
	ea, ec := x.byKey[a.Key()], x.byKey[c.Key()]
	if ea.New || ec.New {
		t.Fatal("nothing is new on the first read")
	}
	gen := x.gen
	x.ingest([]model.Connection{a, c})
	if x.gen != gen || x.byKey[a.Key()] != ea {
		t.Fatal("an unchanged read keeps the entries and the generation")
	}
	accepted := a
	accepted.State = model.StatePending
	d := model.Connection{ServiceID: "s", EndpointID: "d", State: model.StatePendingAcceptance}
	st := x.ingest([]model.Connection{accepted, d})
	if st != (DiffStats{Added: 1, Changed: 1, Removed: 1}) || x.gen == gen {
		t.Fatalf("diff %+v", st)
	}
	if e := x.byKey[a.Key()]; e == ea || e.Version == ea.Version || e.New {
		t.Fatal("a changed connection gets a new entry")
	}
	if !x.byKey[d.Key()].New {
		t.Fatal("an arrival is new")
	}
	x.ingest([]model.Connection{accepted, d})
	if !x.byKey[d.Key()].New || x.news != 1 {
		t.Fatal("new lasts until seen")
	}
	changedD := d
	changedD.State = model.StatePending
	x.ingest([]model.Connection{accepted, changedD})
	if !x.byKey[d.Key()].New {
		t.Fatal("a change is not a look: still new")
	}
	view, gen := x.entries, x.gen
	held := view[1]
	if !x.markSeen([]string{d.Key(), d.Key(), "no/such"}) || x.news != 0 || x.gen == gen {
		t.Fatal("seen")
	}
	if e := x.byKey[d.Key()]; e.New || e == held || x.entries[1] != e {
		t.Fatal("a seen connection gets a new entry, in the list too")
	}
	if view[1] != held || !held.New {
		t.Fatal("a published list and its entries never change")
	}
	if x.markSeen([]string{d.Key()}) {
		t.Fatal("seen twice changes nothing")
	}
	x.ingest([]model.Connection{accepted, changedD})
	if x.byKey[d.Key()].New {
		t.Fatal("seen stays seen")
	}
}

// A badge whose input could not be read says unknown rather than loading for ever.
func TestAnUnreadableInputMakesTheBadgeUnknown(t *testing.T) {
	b := newReads(1)
	b.snap.Errors = model.RefreshErrors{Connections: &model.AWSError{Code: "HTTP500", Sentence: "not implemented"}}
	r := tasks.NewRunner(context.Background(), time.Minute)
	s := New(b, b.ident, r, Options{Now: func() time.Time { return now }})
	run(t, s, r, s.Refresh(false))
	if h := s.Health("vpce-svc-000"); h != HealthUnknown {
		t.Fatalf("badge %q with the connections unreadable, want unknown", h)
	}
}

// A connection seen before a read brings it (the wizard watches its own test request)
// arrives already seen.
func TestSeenBeforeItArrives(t *testing.T) {
	var x connIndex
	a := model.Connection{ServiceID: "s", EndpointID: "a", State: model.StateAvailable}
	x.ingest([]model.Connection{a})
	b := model.Connection{ServiceID: "s", EndpointID: "b", State: model.StatePendingAcceptance}
	c := model.Connection{ServiceID: "s", EndpointID: "c", State: model.StatePendingAcceptance}
	if x.markSeen([]string{b.Key()}) {
		t.Fatal("nothing in the list changed")
	}
	x.ingest([]model.Connection{a, b, c})
	if x.byKey[b.Key()].New || !x.byKey[c.Key()].New || x.news != 1 {
		t.Fatal("b was seen ahead, c is news")
	}
}
