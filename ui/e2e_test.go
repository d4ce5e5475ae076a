package ui

import (
	"context"
	"testing"
	"time"

	"github.com/plconsole/plconsole/awsops"
	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/components/dialog"
	"github.com/plconsole/plconsole/ui/pages/inbox"
)

// simConsole starts the simulated region on loopback, points the real awsops client at it
// and builds the console over that client, with the region's manual clock as the UI clock.
func simConsole(t *testing.T) (*Root, *awsops.Client, *sim.ManualClock) {
	t.Helper()
	e := newSimEnv(t, model.ModeDemo)
	m := newTestRoot(t, e.client, 120, 40, func(o *Options) { o.Now = e.clock.Now })
	return m, e.client, e.clock
}

func connState(t *testing.T, c *awsops.Client, serviceID, endpointID string) model.ConnectionState {
	t.Helper()
	conns, err := c.ListConnections(context.Background(), serviceID)
	if err != nil {
		t.Fatal(err)
	}
	for _, cn := range conns {
		if cn.EndpointID == endpointID {
			return cn.State
		}
	}
	return ""
}

func firstPending(t *testing.T, m *Root) model.Connection {
	t.Helper()
	cs := inboxOf(m).Target().Connections
	if len(cs) != 1 || cs[0].State != model.StatePendingAcceptance {
		t.Fatalf("expected a pending connection under the cursor, got %+v", cs)
	}
	return cs[0]
}

func TestEndToEndAcceptWithKeys(t *testing.T) {
	m, client, clock := simConsole(t)
	press(t, m, "c")
	c := firstPending(t, m) // pending first: the cursor starts on work
	press(t, m, "a", "y")
	mustContain(t, m.View(), "accepted 1 of 1")
	clock.Advance(sim.PendingToAvailableDelay + time.Second)
	if st := connState(t, client, c.ServiceID, c.EndpointID); st != model.StateAvailable {
		t.Fatalf("%s is %s after accepting, want available", c.EndpointID, st)
	}
	press(t, m, "r")
	if r := inboxOf(m).Table().Current(); r == nil || r.ID != c.Key() || r.Cells[inbox.ColState] != "available" {
		t.Fatalf("the inbox shows the accepted connection as available under the cursor: %+v", r)
	}
}

func TestEndToEndRejectWithKeys(t *testing.T) {
	m, client, _ := simConsole(t)
	press(t, m, "c")
	c := firstPending(t, m)
	press(t, m, "x", "y")
	if st := connState(t, client, c.ServiceID, c.EndpointID); st != model.StateRejected {
		t.Fatalf("%s is %s after rejecting, want rejected", c.EndpointID, st)
	}
}

func TestEndToEndBulkAcceptFilteredWithOneFailure(t *testing.T) {
	m, client, _ := simConsole(t)
	press(t, m, "c", "/")
	typeText(t, m, "pendingAcceptance")
	press(t, m, "enter", "ctrl+a")
	marked := inboxOf(m).Target().Connections
	if len(marked) < 2 {
		t.Fatalf("need at least two pending connections, have %d", len(marked))
	}
	// behind the console's back, one of them is rejected: accepting it must fail alone
	victim := marked[len(marked)-1]
	if _, err := client.RejectConnections(context.Background(), victim.ServiceID, []string{victim.EndpointID}); err != nil {
		t.Fatal(err)
	}
	press(t, m, "a", "y")
	if d := dialogOf(m); d == nil || d.Kind() != dialog.Info {
		t.Fatal("per-item results are shown")
	}
	mustContain(t, m.View(), "1 failed", "✗ "+victim.EndpointID)
	for _, c := range marked[:len(marked)-1] {
		if st := connState(t, client, c.ServiceID, c.EndpointID); st != model.StatePending && st != model.StateAvailable {
			t.Fatalf("%s is %s after the bulk accept", c.EndpointID, st)
		}
	}
	if st := connState(t, client, victim.ServiceID, victim.EndpointID); st != model.StateRejected {
		t.Fatalf("the rejected one stays rejected, got %s", st)
	}
}
