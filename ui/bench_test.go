package ui

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"

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
