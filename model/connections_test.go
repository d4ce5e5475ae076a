package model

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func conn(svc, ep string, st ConnectionState, ageMin int) Connection {
	return Connection{ServiceID: svc, EndpointID: ep, State: st, Created: t0.Add(-time.Duration(ageMin) * time.Minute), OwnerAccount: "111122223333"}
}

func TestSortConnections(t *testing.T) {
	cs := []Connection{
		conn("s1", "vpce-a", StateAvailable, 1),
		conn("s1", "vpce-b", StatePendingAcceptance, 60),
		conn("s1", "vpce-c", StateDeleted, 0),
		conn("s1", "vpce-d", StatePendingAcceptance, 5),
		conn("s2", "vpce-e", StateAvailable, 1),
		conn("s1", "vpce-f", StatePending, 1),
		conn("s1", "vpce-g", ConnectionState("weird"), 1),
	}
	SortConnections(cs)
	var got []string
	for _, c := range cs {
		got = append(got, c.EndpointID)
	}
	want := "vpce-d vpce-b vpce-f vpce-a vpce-e vpce-c vpce-g"
	if strings.Join(got, " ") != want {
		t.Errorf("order = %v, want %s", got, want)
	}
}

func TestSummaries(t *testing.T) {
	cs := []Connection{
		conn("s1", "a", StatePendingAcceptance, 10),
		conn("s1", "b", StatePendingAcceptance, 3),
		conn("s1", "c", StateAvailable, 1),
		conn("s2", "d", StateRejected, 1),
	}
	all := Summarize(cs)
	if all.Total != 4 || all.PendingAcceptance() != 2 || all.Available() != 1 || all.Count(StateRejected) != 1 || all.ServiceID != "" {
		t.Errorf("Summarize = %+v", all)
	}
	by := SummarizeByService(cs)
	s1 := by["s1"]
	if s1.ServiceID != "s1" || s1.Total != 3 || s1.PendingAcceptance() != 2 ||
		!s1.OldestPending.Equal(t0.Add(-10*time.Minute)) || !s1.NewestPending.Equal(t0.Add(-3*time.Minute)) {
		t.Errorf("s1 = %+v", s1)
	}
	if by["s2"].Total != 1 || !by["s2"].OldestPending.IsZero() {
		t.Errorf("s2 = %+v", by["s2"])
	}
	if one := Summarize(cs[:3]); one.ServiceID != "s1" {
		t.Errorf("single-service summary id = %q", one.ServiceID)
	}
	if empty := Summarize(nil); empty.Total != 0 || empty.Count(StateAvailable) != 0 {
		t.Errorf("empty = %+v", empty)
	}
}

func TestDiffConnections(t *testing.T) {
	a := conn("s1", "a", StatePendingAcceptance, 10)
	b := conn("s1", "b", StateAvailable, 10)
	c := conn("s1", "c", StateAvailable, 10)
	bTagged := b
	bTagged.Tags = map[string]string{"k": "v"}
	aAccepted := a
	aAccepted.State = StatePending
	d := conn("s2", "d", StatePendingAcceptance, 0)
	for _, tt := range []struct {
		name     string
		old, new []Connection
		want     string
	}{
		{"same", []Connection{a, b}, []Connection{b, a}, "[] [] []"},
		{"empty", nil, nil, "[] [] []"},
		{"all new", nil, []Connection{a, d}, "[s1/a s2/d] [] []"},
		{"all gone", []Connection{a, d}, nil, "[] [] [s1/a s2/d]"},
		{"mixed", []Connection{a, b, c}, []Connection{aAccepted, bTagged, d}, "[s2/d] [s1/a s1/b] [s1/c]"},
		{"duplicate, later wins", []Connection{a}, []Connection{a, aAccepted}, "[] [s1/a] []"},
	} {
		d := DiffConnections(tt.old, tt.new)
		got := fmt.Sprint(d.Added, " ", d.Changed, " ", d.Removed)
		if got != tt.want {
			t.Errorf("%s: diff = %s, want %s", tt.name, got, tt.want)
		}
		if d.Empty() != (tt.want == "[] [] []") {
			t.Errorf("%s: Empty() = %v", tt.name, d.Empty())
		}
	}
	// Created compared as instants, not by location.
	x := a
	x.Created = a.Created.In(time.FixedZone("x", 3600))
	if !ConnectionEqual(a, x) {
		t.Error("same instant in another zone should be equal")
	}
}

func TestMatchFilter(t *testing.T) {
	fields := []string{"vpce-0abc", "111122223333", "Payments API", "pendingAcceptance"}
	for _, tt := range []struct {
		q    string
		want bool
	}{
		{"", true},
		{"   ", true},
		{"!", true},
		{"payments", true},
		{"PAYMENTS api", true},
		{"pendingacceptance", true},
		{"2222", true},
		{"orders", false},
		{"!orders", true},
		{"!payments", false},
		{"! payments", false},
		{" vpce-0ABC ", true},
	} {
		if got := MatchFilter(tt.q, fields...); got != tt.want {
			t.Errorf("MatchFilter(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if !MatchFilter("zürich", "Region ZÜRICH") || MatchFilter("zürich", "zurich") {
		t.Error("non-ASCII case folding")
	}
	if MatchFilter("x") || !MatchFilter("!x") {
		t.Error("no fields: a query matches nothing, an inverted one everything")
	}
	m := NewMatcher("!abc")
	if !m.Inverted() || m.MatchesAll() || NewMatcher("!").Inverted() || !NewMatcher("").MatchesAll() {
		t.Error("Matcher accessors")
	}
}

func BenchmarkMatcher(b *testing.B) {
	m := NewMatcher("payments")
	fields := []string{"vpce-0123456789abcdef0", "111122223333", "Orders service", "available", "us-east-1"}
	b.ReportAllocs()
	for b.Loop() {
		m.Match(fields...)
	}
}

func FuzzMatchFilter(f *testing.F) {
	f.Add("pay", "Payments", "x")
	f.Add("!", "", "")
	f.Add("!ÄB", "äb", "c")
	f.Add("", "a", "b")
	f.Fuzz(func(t *testing.T, q, a, b string) {
		got := MatchFilter(q, a, b)
		if m := NewMatcher(q); m.Match(a) != m.MatchLower(strings.ToLower(a)) {
			t.Fatalf("Match(%q) and MatchLower of it lower-cased differ for %q", a, q)
		}
		trimmed := strings.TrimSpace(q)
		if trimmed == "" || trimmed == "!" || strings.TrimSpace(strings.TrimPrefix(trimmed, "!")) == "" {
			if !got {
				t.Fatalf("empty query %q rejected", q)
			}
			return
		}
		if !strings.HasPrefix(trimmed, "!") {
			if inv := MatchFilter("!"+trimmed, a, b); inv == got {
				t.Fatalf("%q and its inversion agree (%v) on %q %q", q, got, a, b)
			}
			if want := strings.Contains(strings.ToLower(a), strings.ToLower(trimmed)) ||
				strings.Contains(strings.ToLower(b), strings.ToLower(trimmed)); want != got {
				t.Fatalf("MatchFilter(%q, %q, %q) = %v, want %v", q, a, b, got, want)
			}
		}
	})
}

func FuzzDiffConnections(f *testing.F) {
	f.Add("abc", "bcd", uint8(3))
	f.Add("", "a", uint8(0))
	f.Fuzz(func(t *testing.T, olds, news string, flip uint8) {
		mk := func(s string, off uint8) []Connection {
			var cs []Connection
			for i := 0; i < len(s); i++ {
				st := AllConnectionStates[(int(s[i])+int(off))%len(AllConnectionStates)]
				cs = append(cs, Connection{ServiceID: "s", EndpointID: string(s[i] % 16), State: st})
			}
			return cs
		}
		old, nw := mk(olds, 0), mk(news, flip)
		d := DiffConnections(old, nw)
		keys := func(cs []Connection) map[string]bool {
			m := map[string]bool{}
			for _, c := range cs {
				m[c.Key()] = true
			}
			return m
		}
		ok, nk := keys(old), keys(nw)
		for _, k := range d.Added {
			if ok[k] || !nk[k] {
				t.Fatalf("added %q wrongly", k)
			}
		}
		for _, k := range d.Removed {
			if !ok[k] || nk[k] {
				t.Fatalf("removed %q wrongly", k)
			}
		}
		for _, k := range d.Changed {
			if !ok[k] || !nk[k] {
				t.Fatalf("changed %q wrongly", k)
			}
		}
		if back := DiffConnections(nw, old); len(back.Added) != len(d.Removed) || len(back.Changed) != len(d.Changed) {
			t.Fatalf("diff not symmetric: %+v vs %+v", d, back)
		}
	})
}

func TestDeleteBlockers(t *testing.T) {
	cs := []Connection{
		conn("s1", "a", StatePendingAcceptance, 10),
		conn("s1", "b", StatePending, 3),
		conn("s1", "c", StateAvailable, 1),
		conn("s1", "d", StateAvailable, 1),
		conn("s1", "e", StateRejected, 1),
		conn("s1", "f", StateDeleted, 1),
	}
	sum := Summarize(cs)
	if sum.DeleteBlockers() != 4 || sum.CanDeleteService() {
		t.Errorf("blockers = %d, can delete = %v", sum.DeleteBlockers(), sum.CanDeleteService())
	}
	if got := sum.DeleteBlockersText(); got != "1 awaiting acceptance, 1 pending, 2 available" {
		t.Errorf("text = %q", got)
	}
	done := Summarize(cs[4:])
	if !done.CanDeleteService() || done.DeleteBlockersText() != "" {
		t.Errorf("rejected and deleted connections block the delete: %+v", done)
	}
	for _, st := range AllConnectionStates {
		want := st == StatePendingAcceptance || st == StatePending || st == StateAvailable
		if st.BlocksServiceDelete() != want {
			t.Errorf("%s blocks delete = %v", st, !want)
		}
	}
}

func TestErrorCause(t *testing.T) {
	a := &AWSError{Operation: "DescribeVpcs", Code: "Throttling", RequestID: "1"}
	b := &AWSError{Operation: "DescribeVpcs", Code: "Throttling", RequestID: "2"}
	if ErrorCause(a) != ErrorCause(fmt.Errorf("wrapped: %w", b)) || ErrorCause(a) == ErrorCause(&AWSError{Operation: "DescribeVpcs", Code: "InternalError"}) {
		t.Error("the cause is the operation and the code")
	}
	if ErrorCause(nil) != "" || ErrorCause(errors.New("boom")) != "boom" {
		t.Error("other errors are their text")
	}
}

// AppendKey appends exactly Key, after what the buffer holds.
func TestAppendKeyIsKey(t *testing.T) {
	c := Connection{ServiceID: "vpce-svc-0a1", EndpointID: "vpce-0b2"}
	if got := string(c.AppendKey([]byte("x"))); got != "x"+c.Key() {
		t.Fatalf("AppendKey = %q, Key = %q", got, c.Key())
	}
}
