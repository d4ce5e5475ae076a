// Package e2e_test drives the real console end to end: the simulated region on loopback,
// the real awsops client (real SDK clients) and the real console model under teatest, used
// with keys only. What the console did is then checked through an independent EC2 SDK
// client, as an operator would check it with the AWS CLI.
package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/plconsole/plconsole/awsops/sim"
)

// Connection states on the wire (lowerCamel, as DescribeVpcEndpointConnections returns them).
const (
	statePendingAcceptance = "pendingAcceptance"
	statePending           = "pending"
	stateAvailable         = "available"
	stateRejected          = "rejected"
)

// The demo world's service with a burst of connection requests waiting for approval.
const paymentsAPI = "payments-api"

// fixture is one test's region, its provider-side SDK view and the console running on it.
type fixture struct {
	r       *region
	api     *ec2.Client
	svcID   string
	before  map[string]connection
	pending []connection
	con     *console
}

// setUp starts the region and the console, and waits for the console's first full refresh.
func setUp(t *testing.T) *fixture {
	t.Helper()
	r := startRegion(t)
	api := r.sdk(r.Provider)
	svcID := serviceIDByName(t, api, paymentsAPI)
	before := connections(t, api, "")
	pending := pendingOf(before, svcID)
	if len(pending) < 8 {
		t.Fatalf("the demo world should have at least 8 pendingAcceptance connections on %s, has %d", paymentsAPI, len(pending))
	}
	con := startConsole(t, r.consoleBackend(t))
	con.waitText(paymentsAPI, "data 0s old", "3/3 services")
	return &fixture{r: r, api: api, svcID: svcID, before: before, pending: pending, con: con}
}

// openInbox opens the connections inbox with its key and waits for every connection.
func (f *fixture) openInbox() {
	f.con.key("c")
	f.con.waitText("Services › Connections", f.status(len(f.before), len(f.before)))
}

// status is the inbox's count line.
func (f *fixture) status(shown, total int) string {
	return fmt.Sprintf("%d/%d connections", shown, total)
}

// filterTo types a `/` filter and keeps it with enter, then waits until the prompt is
// closed and the table shows rows rows (any number when rows < 0).
func (f *fixture) filterTo(query string, rows int) string {
	f.con.key("/")
	f.con.typeText(query)
	f.con.key("enter")
	return f.con.waitScreen(fmt.Sprintf("%d rows for filter %q", rows, query), func(s string) bool {
		return !strings.Contains(s, "enter keep") && // the filter prompt is closed
			(rows < 0 || tableRows(s) == rows)
	})
}

// requests is how many requests of one EC2 operation the region has received.
func (f *fixture) requests(op string) int64 { return f.r.Stats().Count("ec2", op) }

// stateOf is a connection's state as the SDK sees it now.
func (f *fixture) stateOf(t *testing.T, endpointID string) string {
	t.Helper()
	c, ok := connections(t, f.api, f.svcID)[endpointID]
	if !ok {
		t.Fatalf("%s is not among %s's connections", endpointID, paymentsAPI)
	}
	return c.State
}

// assertUnchangedExcept checks that every connection but the given ones is as before.
func (f *fixture) assertUnchangedExcept(t *testing.T, now map[string]connection, changed ...string) {
	t.Helper()
	skip := map[string]bool{}
	for _, id := range changed {
		skip[id] = true
	}
	for id, was := range f.before {
		if skip[id] {
			continue
		}
		if got := now[id]; got.State != was.State {
			t.Errorf("%s (%s) changed from %s to %s, but the console acted only on %v", id, was.ServiceID, was.State, got.State, changed)
		}
	}
}

// advance moves the region's clock (the console's own clock stays fixed).
func (f *fixture) advance(d time.Duration) { f.r.Clock.Advance(d) }

// waitRowState waits until the inbox row of an endpoint shows the given state and returns the row.
func (f *fixture) waitRowState(endpointID, state string) string {
	var row string
	f.con.waitScreen(endpointID+" shown as "+state, func(s string) bool {
		row = rowOf(s, endpointID)
		return rowState(row) == state
	})
	return row
}

// rowState is the STATE cell of an inbox row ("" when there is no such row).
func rowState(row string) string {
	for _, st := range []string{statePendingAcceptance, statePending, stateAvailable, stateRejected, "expired", "failed", "deleting", "deleted"} {
		for _, cell := range strings.Fields(row) {
			if cell == st {
				return st
			}
		}
	}
	return ""
}

// TestAcceptOneConnectionWithKeys: open the inbox, filter to one pending connection, press
// accept, see that enter on the dialog's default (No) changes nothing, then confirm with y
// and check through the SDK that the connection is accepted and becomes available.
func TestAcceptOneConnectionWithKeys(t *testing.T) {
	f := setUp(t)
	target := f.pending[3].EndpointID
	f.openInbox()

	screen := f.filterTo(target, 1)
	if want := f.status(1, len(f.before)); !strings.Contains(screen, want) {
		t.Fatalf("the status line does not say %q:\n%s", want, screen)
	}
	if got := rowState(rowOf(screen, target)); got != statePendingAcceptance {
		t.Fatalf("the inbox shows %s as %q, want %s:\n%s", target, got, statePendingAcceptance, screen)
	}

	// The confirmation names what will happen and defaults to No: enter cancels.
	f.con.key("a")
	screen = f.con.waitText("Accept 1 connection?", target, "Services (1): "+paymentsAPI+" (1)", "y confirm")
	if !strings.Contains(lineWith(screen, "y confirm"), "No") {
		t.Fatalf("the dialog has no No button:\n%s", screen)
	}
	f.con.key("enter")
	f.con.waitStatus("cancelled: nothing was changed")
	if n := f.requests("AcceptVpcEndpointConnections"); n != 0 {
		t.Fatalf("enter on the default button sent %d AcceptVpcEndpointConnections requests", n)
	}
	if st := f.stateOf(t, target); st != statePendingAcceptance {
		t.Fatalf("after cancelling, the SDK shows %s as %s, want %s", target, st, statePendingAcceptance)
	}

	// Accept for real: a, then y.
	f.con.key("a")
	f.con.waitText("Accept 1 connection?", target)
	f.con.key("y")
	f.con.waitStatus("accepted 1 of 1")
	row := f.waitRowState(target, statePending) // the console refreshed after the action
	if !strings.Contains(row, paymentsAPI) {
		t.Errorf("row of %s does not name the service: %q", target, row)
	}
	if n := f.requests("AcceptVpcEndpointConnections"); n != 1 {
		t.Errorf("want exactly 1 AcceptVpcEndpointConnections request, got %d", n)
	}

	now := connections(t, f.api, "")
	if st := now[target].State; st != statePending && st != stateAvailable {
		t.Fatalf("right after accepting, the SDK shows %s as %s, want pending or available", target, st)
	}
	f.assertUnchangedExcept(t, now, target)

	// AWS finishes the connection in a few seconds.
	f.advance(sim.PendingToAvailableDelay + time.Second)
	if st := f.stateOf(t, target); st != stateAvailable {
		t.Fatalf("after %s, the SDK shows %s as %s, want available", sim.PendingToAvailableDelay+time.Second, target, st)
	}
	// … and the console shows it on the next refresh (r).
	f.con.key("r")
	f.waitRowState(target, stateAvailable)
}

// TestRejectOneConnectionWithKeys: the same for reject (x); a rejected connection stays
// rejected.
func TestRejectOneConnectionWithKeys(t *testing.T) {
	f := setUp(t)
	target := f.pending[5].EndpointID
	f.openInbox()
	f.filterTo(target, 1)

	f.con.key("x")
	f.con.waitText("Reject 1 connection?", target, "Rejected consumers must create a new endpoint", "y confirm")
	f.con.key("enter")
	f.con.waitStatus("cancelled: nothing was changed")
	if n := f.requests("RejectVpcEndpointConnections"); n != 0 {
		t.Fatalf("enter on the default button sent %d RejectVpcEndpointConnections requests", n)
	}
	if st := f.stateOf(t, target); st != statePendingAcceptance {
		t.Fatalf("after cancelling, the SDK shows %s as %s, want %s", target, st, statePendingAcceptance)
	}

	f.con.key("x")
	f.con.waitText("Reject 1 connection?", target)
	f.con.key("y")
	f.con.waitStatus("rejected 1 of 1")
	f.waitRowState(target, stateRejected)
	if n := f.requests("RejectVpcEndpointConnections"); n != 1 {
		t.Errorf("want exactly 1 RejectVpcEndpointConnections request, got %d", n)
	}

	now := connections(t, f.api, "")
	if st := now[target].State; st != stateRejected {
		t.Fatalf("after rejecting, the SDK shows %s as %s, want rejected", target, st)
	}
	f.assertUnchangedExcept(t, now, target)

	f.advance(sim.PendingToAvailableDelay + time.Second)
	if st := f.stateOf(t, target); st != stateRejected {
		t.Fatalf("a rejected connection must stay rejected; the SDK shows %s as %s", target, st)
	}
	f.con.key("r")
	f.waitRowState(target, stateRejected)
}

// TestBulkAcceptFilteredWithOneFailure: filter the inbox to every pending connection, mark
// them all with ctrl+a and accept. While the dialog is open another operator rejects one of
// them, so AWS answers that one in Unsuccessful. The console must report per-item results
// (the others accepted, one failed with AWS's code) and the SDK must agree.
func TestBulkAcceptFilteredWithOneFailure(t *testing.T) {
	f := setUp(t)
	n := len(f.pending)
	// Every pendingAcceptance connection of the demo world is on payments-api; the filter
	// below selects exactly them.
	for id, c := range f.before {
		if c.State == statePendingAcceptance && c.ServiceID != f.svcID {
			t.Fatalf("%s on %s is pending too; the test expects them all on %s", id, c.ServiceID, paymentsAPI)
		}
	}
	f.openInbox()
	f.filterTo(statePendingAcceptance, n)

	f.con.key("ctrl+a")
	screen := f.con.waitStatus(fmt.Sprintf("%s · %d marked", f.status(n, len(f.before)), n))
	if got := markedRows(screen); got != n {
		t.Fatalf("ctrl+a should mark the %d filtered rows, the gutter marks %d:\n%s", n, got, screen)
	}

	// n cancels too.
	f.con.key("a")
	f.con.waitText(fmt.Sprintf("Accept %d connections?", n))
	f.con.key("n")
	f.con.waitStatus("cancelled: nothing was changed")
	if got := f.requests("AcceptVpcEndpointConnections"); got != 0 {
		t.Fatalf("cancelling sent %d AcceptVpcEndpointConnections requests", got)
	}

	f.con.key("a")
	screen = f.con.waitText(fmt.Sprintf("Accept %d connections?", n), fmt.Sprintf("Services (1): %s (%d)", paymentsAPI, n))
	t.Logf("confirmation:\n%s", screen)
	accounts := map[string]bool{}
	for _, c := range f.pending {
		accounts[c.Owner] = true
	}
	if want := fmt.Sprintf("Accounts (%d):", len(accounts)); !strings.Contains(screen, want) {
		t.Errorf("the dialog does not say %q:\n%s", want, screen)
	}

	// Meanwhile, another operator rejects one of the marked connections.
	victim := f.pending[2].EndpointID
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	out, err := f.api.RejectVpcEndpointConnections(ctx, &ec2.RejectVpcEndpointConnectionsInput{
		ServiceId: aws.String(f.svcID), VpcEndpointIds: []string{victim},
	})
	cancel()
	if err != nil || len(out.Unsuccessful) != 0 {
		t.Fatalf("rejecting %s through the SDK: %v %+v", victim, err, out)
	}

	f.con.key("y")
	summary := fmt.Sprintf("accepted %d of %d; 1 failed", n-1, n)
	screen = f.con.waitText("Accept: "+summary, "✗ "+victim+"  InvalidState")
	t.Logf("per-item results:\n%s", screen)
	for _, c := range f.pending {
		if c.EndpointID == victim {
			continue
		}
		if !strings.Contains(screen, "✓ "+c.EndpointID) {
			t.Errorf("the results do not list %s as accepted:\n%s", c.EndpointID, screen)
		}
	}
	if !strings.Contains(statusLine(screen), summary) {
		t.Errorf("the flash does not say %q:\n%s", summary, screen)
	}
	if got := f.requests("AcceptVpcEndpointConnections"); got != 1 {
		t.Errorf("want the %d connections of one service accepted in 1 request, got %d", n, got)
	}

	// The SDK agrees: n-1 accepted, the victim as the other operator left it.
	now := connections(t, f.api, "")
	var changed []string
	for _, c := range f.pending {
		changed = append(changed, c.EndpointID)
		st := now[c.EndpointID].State
		switch {
		case c.EndpointID == victim && st != stateRejected:
			t.Errorf("the failed item %s is %s, want it left rejected", victim, st)
		case c.EndpointID != victim && st != statePending && st != stateAvailable:
			t.Errorf("%s is %s after the bulk accept, want pending or available", c.EndpointID, st)
		}
	}
	f.assertUnchangedExcept(t, now, changed...)

	// Close the results; the refreshed inbox, still filtered, has no pending connection left.
	f.con.key("enter")
	f.con.waitScreen("the filtered inbox emptied", func(s string) bool {
		return !strings.Contains(s, "Accept: ") && tableRows(s) == 0
	})

	f.advance(sim.PendingToAvailableDelay + time.Second)
	now = connections(t, f.api, f.svcID)
	for _, c := range f.pending {
		want := stateAvailable
		if c.EndpointID == victim {
			want = stateRejected
		}
		if got := now[c.EndpointID].State; got != want {
			t.Errorf("after %s, %s is %s, want %s", sim.PendingToAvailableDelay+time.Second, c.EndpointID, got, want)
		}
	}

	// esc clears the filter; filtered to the service (all its rows fit on the screen),
	// after r the console shows what the SDK shows.
	f.con.key("esc")
	f.filterTo(paymentsAPI, -1)
	f.con.key("r")
	for _, c := range f.pending {
		want := stateAvailable
		if c.EndpointID == victim {
			want = stateRejected
		}
		f.waitRowState(c.EndpointID, want)
	}
	if screen := f.con.screen.text(); markedRows(screen) != 0 {
		t.Errorf("marks survived the action:\n%s", screen)
	}
}

// TestRejectMarkedFromServiceDetail takes the other road to the same connections: filter
// the services list, open payments-api, switch to its Connections tab, mark the two newest
// pending requests with space and reject them.
func TestRejectMarkedFromServiceDetail(t *testing.T) {
	f := setUp(t)
	f.con.key("/")
	f.con.typeText(paymentsAPI)
	f.con.key("enter")
	f.con.waitScreen("the services list filtered to "+paymentsAPI, func(s string) bool {
		return strings.Contains(s, "1/3 services")
	})
	f.con.key("enter")
	f.con.waitText("Services › " + paymentsAPI + " › Overview")
	f.con.key("tab")
	screen := f.con.waitScreen("the Connections tab with its pending requests", func(s string) bool {
		return strings.Contains(s, "› Connections") && rowOf(s, f.pending[0].EndpointID) != ""
	})
	// Pending first, the newest on top, the cursor on the first row.
	for _, c := range f.pending[:2] {
		if got := rowState(rowOf(screen, c.EndpointID)); got != statePendingAcceptance {
			t.Fatalf("%s shows as %q:\n%s", c.EndpointID, got, screen)
		}
	}
	f.con.key("space", "space")
	screen = f.con.waitScreen("two marked rows", func(s string) bool { return markedRows(s) == 2 })
	a, b := f.pending[0].EndpointID, f.pending[1].EndpointID
	for _, id := range []string{a, b} {
		if !strings.HasPrefix(rowOf(screen, id), "*") {
			t.Fatalf("space should have marked %s:\n%s", id, screen)
		}
	}

	f.con.key("x")
	f.con.waitText("Reject 2 connections?", a, b)
	f.con.key("y")
	screen = f.con.waitText("Reject: rejected 2 of 2", "✓ "+a, "✓ "+b)
	if !strings.Contains(statusLine(screen), "rejected 2 of 2") {
		t.Errorf("the flash does not report the results:\n%s", screen)
	}
	f.con.key("esc")
	f.waitRowState(a, stateRejected)
	f.waitRowState(b, stateRejected)

	now := connections(t, f.api, "")
	for _, id := range []string{a, b} {
		if st := now[id].State; st != stateRejected {
			t.Errorf("the SDK shows %s as %s, want rejected", id, st)
		}
	}
	f.assertUnchangedExcept(t, now, a, b)
}
