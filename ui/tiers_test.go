package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/awsopstest"
	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/store"
)

// The refresh tiers against the simulated region, through the real SDK clients. The test
// options tick every 30 s (testOptions); the tests move the region's clock, which is the
// console's clock too, and send the tick the Bubble Tea runtime would.

func tierRoot(t *testing.T, e *simEnv) *Root {
	t.Helper()
	return newTestRoot(t, e.backend, 200, 40, func(o *Options) { o.Now = e.clock.Now; o.StartPage = StartServices })
}

// tick moves the clock on by d and delivers one refresh tick.
func tick(t *testing.T, m *Root, e *simEnv, d time.Duration) {
	t.Helper()
	e.clock.Advance(d)
	drive(t, m, func() tea.Msg { return refreshTickMsg{gen: m.tickGen} })
}

// createPendingEndpoint has a consumer account create an endpoint to a service that
// requires acceptance, and returns its id.
func createPendingEndpoint(t *testing.T, e *simEnv) (serviceID, endpointID string) {
	t.Helper()
	ctx := context.Background()
	svcs, err := e.client.ListServices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	zones, err := e.client.AvailabilityZones(ctx)
	if err != nil {
		t.Fatal(err)
	}
	zoneID := map[string]string{}
	for _, z := range zones {
		zoneID[z.Name] = z.ID
	}
	for _, svc := range svcs {
		if !svc.AcceptanceRequired {
			continue
		}
		want := map[string]bool{}
		for _, name := range svc.AvailabilityZones {
			want[zoneID[name]] = true
		}
		for _, acct := range e.region.ConsumerAccounts() {
			c := awsopstest.New(t, e.region, acct)
			vpcs, err := c.ListVpcs(ctx)
			if err != nil || len(vpcs) == 0 {
				continue
			}
			subnets, err := c.ListSubnets(ctx, vpcs[0].ID)
			if err != nil {
				continue
			}
			var ids []string
			used := map[string]bool{}
			for _, s := range subnets {
				if want[s.AZID] && !used[s.AZID] {
					used[s.AZID] = true
					ids = append(ids, s.ID)
				}
			}
			if len(ids) == 0 {
				continue
			}
			ep, err := c.CreateEndpoint(ctx, model.CreateEndpointInput{ServiceName: svc.Name, VpcID: vpcs[0].ID, SubnetIDs: ids})
			if err == nil {
				return svc.ID, ep.ID
			}
		}
	}
	t.Fatal("no consumer could create an endpoint to a service that requires acceptance")
	return "", ""
}

func tierConnState(m *Root, endpointID string) (model.ConnectionState, bool) {
	for _, e := range m.ctx.Store.Connections().Entries {
		if e.C.EndpointID == endpointID {
			return e.C.State, true
		}
	}
	return "", false
}

// A consumer's new request shows as pending after one tick, and that tick costs one
// filtered DescribeVpcEndpointConnections: no inventory, no target health.
func TestTierNewRequestShowsWithinOneTick(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	m := tierRoot(t, e)
	before := len(m.ctx.Store.Connections().Entries)
	_, ep := createPendingEndpoint(t, e)
	if _, ok := tierConnState(m, ep); ok {
		t.Fatal("the new request is known before any read")
	}
	e.region.ResetStats()
	tick(t, m, e, 30*time.Second)
	if st, ok := tierConnState(m, ep); !ok || st != model.StatePendingAcceptance {
		t.Fatalf("after one tick the new request is %q (known %v), want pendingAcceptance", st, ok)
	}
	stats := e.region.Stats()
	if n := stats.Count("ec2", "DescribeVpcEndpointConnections"); n != 1 || stats.Total != 1 {
		t.Fatalf("the tick made %d requests (%d DescribeVpcEndpointConnections), want exactly the one pending read: %+v", stats.Total, n, stats.Requests)
	}
	if got := len(m.ctx.Store.Connections().Entries); got != before+1 {
		t.Fatalf("connections after the pending read: %d, want %d (the others kept)", got, before+1)
	}
}

// A pending request accepted elsewhere leaves the pending read: its service's connections are
// read again (service-id filter), so it shows as accepted, not as a lingering request, and
// every connection of other services stays.
func TestTierRequestThatLeftPendingIsReadAgain(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	m := tierRoot(t, e)
	svc, ep := createPendingEndpoint(t, e)
	tick(t, m, e, 30*time.Second)
	before := len(m.ctx.Store.Connections().Entries)
	if _, err := e.client.AcceptConnections(context.Background(), svc, []string{ep}); err != nil {
		t.Fatal(err)
	}
	e.region.ResetStats()
	tick(t, m, e, 30*time.Second)
	if st, _ := tierConnState(m, ep); st != model.StatePending && st != model.StateAvailable {
		t.Fatalf("accepted elsewhere, the connection is %q", st)
	}
	if got := len(m.ctx.Store.Connections().Entries); got != before {
		t.Fatalf("connections: %d, want %d", got, before)
	}
	if n := e.region.Stats().Count("ec2", "DescribeVpcEndpointConnections"); n != 2 {
		t.Fatalf("DescribeVpcEndpointConnections: %d, want 2 (the pending read and the service's)", n)
	}
}

// The inventory is read on its own cadence (and at once on r), not on every tick.
func TestTierInventoryOnItsCadence(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	m := tierRoot(t, e)
	e.region.ResetStats()
	for i := 0; i < 9; i++ { // 4.5 minutes of ticks
		tick(t, m, e, 30*time.Second)
	}
	if n := e.region.Stats().Count("ec2", "DescribeVpcEndpointServiceConfigurations"); n != 0 {
		t.Fatalf("the inventory was read %d times before its cadence", n)
	}
	tick(t, m, e, 30*time.Second) // 5 minutes
	if n := e.region.Stats().Count("ec2", "DescribeVpcEndpointServiceConfigurations"); n != 1 {
		t.Fatalf("the inventory was read %d times at its cadence, want 1", n)
	}
	e.region.ResetStats()
	press(t, m, "r")
	if n := e.region.Stats().Count("ec2", "DescribeVpcEndpointServiceConfigurations"); n != 1 {
		t.Fatalf("r read the inventory %d times, want 1", n)
	}
}

// A throttled part slows down, says so in the header, and recovers step by step; the other
// parts keep their cadence.
func TestTierThrottledPartBacksOffAndRecovers(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	m := tierRoot(t, e)
	e.region.Faults().Set(sim.FaultConfig{ThrottleRatio: 1, Only: []string{"DescribeVpcEndpointConnections"}})
	tick(t, m, e, 30*time.Second)
	if c := m.ctx.Store.Cadence(store.Pending); c.Every != time.Minute {
		t.Fatalf("after one throttled read the pending read runs every %v, want 1m", c.Every)
	}
	mustContain(t, m.View(), "pending: throttled, every 1m")
	// the next tick is too early for the slowed part: nothing is asked
	e.region.ResetStats()
	tick(t, m, e, 30*time.Second)
	if n := e.region.Stats().Count("ec2", "DescribeVpcEndpointConnections"); n != 0 {
		t.Fatalf("a backing-off part was read again after 30s (%d requests)", n)
	}
	tick(t, m, e, 30*time.Second) // throttled again: 2m
	if c := m.ctx.Store.Cadence(store.Pending); c.Every != 2*time.Minute {
		t.Fatalf("after two throttled reads: every %v, want 2m", c.Every)
	}
	mustContain(t, m.View(), "pending: throttled, every 2m")

	e.region.Faults().Set(sim.FaultConfig{})
	tick(t, m, e, 2*time.Minute)
	if c := m.ctx.Store.Cadence(store.Pending); c.Every != time.Minute {
		t.Fatalf("one good read after backing off to 2m: every %v, want 1m (gradual)", c.Every)
	}
	tick(t, m, e, time.Minute)
	if c := m.ctx.Store.Cadence(store.Pending); c.Every != 30*time.Second || c.BackingOff() {
		t.Fatalf("recovered: every %v, want the tick (30s)", c.Every)
	}
	mustNotContain(t, m.View(), "throttled")
}

// The header says how fresh each part is, and marks the data stale once a part is older
// than its cadence.
func TestTierHeaderPerPartFreshness(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	m := tierRoot(t, e)
	tick(t, m, e, 30*time.Second)
	head := strings.SplitN(plain(m.View()), "\n", 2)[0]
	for _, want := range []string{"pending 0s", "inventory 30s", "targets 30s", "health 30s"} {
		if !strings.Contains(head, want) {
			t.Errorf("header %q lacks %q", head, want)
		}
	}
	if strings.Contains(head, "STALE") {
		t.Errorf("fresh data marked stale: %q", head)
	}
	// no tick comes (a stalled program, a laptop asleep): with nothing failed, data older than
	// its cadence and a tick is stale by its age alone
	e.clock.Advance(6 * time.Minute)
	head = strings.SplitN(plain(m.View()), "\n", 2)[0]
	if !strings.Contains(head, "STALE") || strings.Contains(head, "failed") {
		t.Errorf("data 6 minutes old, nothing failed: %q", head)
	}
	// the inventory fails from now on: once older than its cadence and a tick, it is stale
	e.region.Faults().Set(sim.FaultConfig{ServerErrorRatio: 1, Only: []string{"DescribeVpcEndpointServiceConfigurations"}})
	tick(t, m, e, 5*time.Minute)
	head = strings.SplitN(plain(m.View()), "\n", 2)[0]
	if !strings.Contains(head, "STALE") || !strings.Contains(head, "services failed") {
		t.Errorf("an inventory older than its cadence is not marked: %q", head)
	}
}
