package ui

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/plconsole/plconsole/model"
)

// The inbox updates only the rows a refresh changed (the store's change log) and merges them
// into the order it kept. After refreshes that change, add, remove and reorder connections, in
// two sort orders and with a filter, it shows exactly the rows, cells and order an inbox
// built from scratch on the same data shows.
func TestInboxRefreshesMatchAFreshBuild(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 600 // the race stage: the same rounds on fewer rows
	}
	svcs, conns := fleetConnections(n)
	fb := newFakeBackend(model.ModeDemo)
	fb.services, fb.conns = svcs, slices.Clone(conns)
	m := newTestRoot(t, fb, 200, 50)
	press(t, m, "c")
	m.View()
	rng := rand.New(rand.NewPCG(1, 2))
	next := n
	states := []model.ConnectionState{model.StatePendingAcceptance, model.StateAvailable, model.StateRejected, model.StateExpired}
	for round := 0; round < 8; round++ {
		fb.mu.Lock()
		cs := slices.Clone(fb.conns)
		for i := 0; i < 40; i++ { // changed
			c := &cs[rng.IntN(len(cs))]
			c.State = states[rng.IntN(len(states))]
		}
		for i := 0; i < 10; i++ { // removed
			j := rng.IntN(len(cs))
			cs = slices.Delete(cs, j, j+1)
		}
		for i := 0; i < 15; i++ { // new
			cs = append(cs, model.Connection{ServiceID: svcID(rng.IntN(500)), EndpointID: vpceID(next), OwnerAccount: "444455556666",
				State: model.StatePendingAcceptance, Created: testNow.Add(-time.Duration(rng.IntN(600)) * time.Minute), Region: "us-east-1", IPAddressType: "ipv4"})
			next++
		}
		if round%3 == 2 { // AWS's order is not promised
			rng.Shuffle(len(cs), func(i, j int) { cs[i], cs[j] = cs[j], cs[i] })
		}
		fb.conns = cs
		fb.mu.Unlock()
		switch round {
		case 4:
			press(t, m, "s") // another order
		case 6:
			press(t, m, "/", "p", "e", "n", "enter") // a filter
		}
		press(t, m, "r")
		m.View()

		fresh := newTestRoot(t, fb, 200, 50)
		press(t, fresh, "c")
		switch {
		case round >= 6:
			press(t, fresh, "s", "/", "p", "e", "n", "enter")
		case round >= 4:
			press(t, fresh, "s")
		}
		fresh.View()
		got, want := inboxOf(m).Table().Rows(), inboxOf(fresh).Table().Rows()
		if len(got) != len(want) || inboxOf(m).Total() != inboxOf(fresh).Total() {
			t.Fatalf("round %d: %d rows (%d in scope), a fresh inbox has %d (%d)", round, len(got), inboxOf(m).Total(), len(want), inboxOf(fresh).Total())
		}
		for i := range got {
			if got[i].ID != want[i].ID || fmt.Sprint(got[i].Cells) != fmt.Sprint(want[i].Cells) {
				t.Fatalf("round %d, row %d:\n got %s %v\nwant %s %v", round, i, got[i].ID, got[i].Cells, want[i].ID, want[i].Cells)
			}
		}
	}
}
