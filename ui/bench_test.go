package ui

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/awsopstest"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
)

// fleetConnections builds n connections over 500 services, a third of them pending.
func fleetConnections(n int) ([]model.EndpointService, []model.Connection) {
	var svcs []model.EndpointService
	for i := 0; i < 500; i++ {
		svcs = append(svcs, model.EndpointService{ID: svcID(i), DisplayName: fmt.Sprintf("svc-%03d", i),
			Type: model.ServiceTypeInterface, State: model.ServiceAvailable, AcceptanceRequired: true,
			AvailabilityZones: []string{"us-east-1a", "us-east-1b"}})
	}
	states := []model.ConnectionState{model.StatePendingAcceptance, model.StateAvailable, model.StateAvailable}
	conns := make([]model.Connection, n)
	for i := range conns {
		conns[i] = model.Connection{ServiceID: svcID(i % 500), EndpointID: vpceID(i), OwnerAccount: fmt.Sprintf("%012d", 100000000000+i%7919),
			State: states[i%3], Created: testNow.Add(-time.Duration(i) * time.Minute), Region: "us-east-1", IPAddressType: "ipv4"}
	}
	return svcs, conns
}

// fleetRoot is a console showing the inbox over n connections at 200×50.
func fleetRoot(b testing.TB, n int) *Root {
	svcs, conns := fleetConnections(n)
	fb := newFakeBackend(model.ModeDemo)
	fb.services, fb.conns = svcs, conns
	m := newTestRoot(b, fb, 200, 50)
	press(b, m, "c")
	return m
}

func BenchmarkInboxFrame(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			m := fleetRoot(b, n)
			down := tea.KeyMsg{Type: tea.KeyDown}
			top := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("g")}
			for i := 0; i < 50; i++ { // warm the row cache as a user scrolling would
				m.Update(down)
				m.View()
			}
			m.Update(top)
			runtime.GC() // setup garbage must not be collected on the clock
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if inboxOf(m).Table().Cursor() == n-1 {
					m.Update(top)
				}
				m.Update(down)
				_ = m.View()
			}
		})
	}
}

func BenchmarkBaselineBubblesTable(b *testing.B) {
	b.Run("rows=50000", func(b *testing.B) {
		_, conns := fleetConnections(50000)
		cols := []table.Column{{Title: "ENDPOINT", Width: 22}, {Title: "OWNER", Width: 12}, {Title: "SERVICE", Width: 60},
			{Title: "STATE", Width: 17}, {Title: "AGE", Width: 5}, {Title: "REGION", Width: 14}, {Title: "IP TYPE", Width: 9}}
		rows := make([]table.Row, len(conns))
		for i, c := range conns {
			rows[i] = table.Row{c.EndpointID, c.OwnerAccount, c.ServiceID, string(c.State), common.HumanAge(testNow, c.Created), c.Region, c.IPAddressType}
		}
		t := table.New(table.WithColumns(cols), table.WithRows(rows), table.WithHeight(46), table.WithWidth(200), table.WithFocused(true))
		down := tea.KeyMsg{Type: tea.KeyDown}
		runtime.GC()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if t.Cursor() == len(rows)-1 {
				t.GotoTop()
			}
			t, _ = t.Update(down)
			_ = t.View()
		}
	})
}

// BenchmarkInboxFilter is one character typed into the inbox's filter over 50,000
// connections, then the frame: the filter is applied on every keystroke. The op alternates
// typing a character and erasing it, both one keystroke that changes the filter.
func BenchmarkInboxFilter(b *testing.B) {
	b.Run("rows=50000", func(b *testing.B) {
		m := fleetRoot(b, 50000)
		press(b, m, "/")
		typeText(b, m, "vpce-0")
		m.View()
		keys := []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune("1")}, {Type: tea.KeyBackspace}}
		runtime.GC()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			m.Update(keys[i%2])
			_ = m.View()
		}
	})
}

// BenchmarkInboxIngest is a refreshed snapshot with 1% of the 50,000 connections changed and
// 0.5% new, taken in by the store as a diff (the inbox rebuilds its rows), then the frame.
// Ops alternate between the two snapshots, so each is the same amount of change.
func BenchmarkInboxIngest(b *testing.B) {
	b.Run("rows=50000", func(b *testing.B) {
		const n = 50000
		svcs, base := fleetConnections(n)
		next := slices.Clone(base)
		for i := 0; i < n/100; i++ { // 1% changed
			c := &next[i*100]
			if c.State == model.StatePendingAcceptance {
				c.State = model.StateAvailable
			} else {
				c.State = model.StateRejected
			}
		}
		for i := 0; i < n/200; i++ { // 0.5% new
			next = append(next, model.Connection{ServiceID: svcID(i % 500), EndpointID: vpceID(n + i), OwnerAccount: "444455556666",
				State: model.StatePendingAcceptance, Created: testNow, Region: "us-east-1", IPAddressType: "ipv4"})
		}
		fb := newFakeBackend(model.ModeDemo)
		fb.services, fb.conns = svcs, base
		m := newTestRoot(b, fb, 200, 50)
		press(b, m, "c")
		m.View()
		snaps := [][]model.Connection{next, base}
		runtime.GC()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			fb.mu.Lock()
			fb.conns = snaps[i%2]
			fb.mu.Unlock()
			m.flash.text = "" // the "refreshing…" flash is not what is measured
			press(b, m, "r")
			_ = m.View()
		}
		b.StopTimer()
		if got := len(m.ctx.Store.Connections().Entries); got != len(snaps[(b.N-1)%2]) {
			b.Fatalf("%d connections after the last ingest", got)
		}
	})
}

// BenchmarkStartupToFirstFrame is plconsole --demo's start: from building the awsops client
// and the program model on the demo world (the simulated region serving on loopback) to the
// first View that shows the services.
func BenchmarkStartupToFirstFrame(b *testing.B) {
	r := simtest.Start(b, sim.WorldConfig{Seed: 1}, simtest.ClockAt(testNow))
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		client := awsopstest.Provider(b, r, model.ModeDemo)
		o := testOptions()
		o.Now = r.Clock.Now
		m := New(client, o)
		drive(b, m, m.Init())
		drive(b, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 120, Height: 40} })
		if v := m.View(); !strings.Contains(v, "payments-api") {
			b.Fatalf("the first frame shows no service:\n%s", v)
		}
	}
}
