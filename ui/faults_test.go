package ui

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/plconsole/plconsole/awsops"
	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/model"
)

// faultProfiles are the simulated region's fault settings the console is driven through.
var faultProfiles = []struct {
	name   string
	faults sim.FaultConfig
}{
	{"throttling 50%", sim.FaultConfig{ThrottleRatio: 0.5}},
	{"latency 500 ms", sim.FaultConfig{LatencyMs: 500}},
	{"5xx 20%", sim.FaultConfig{ServerErrorRatio: 0.2}},
	{"dropped connections 20%", sim.FaultConfig{DropRatio: 0.2}},
	{"lost replies 30%", sim.FaultConfig{LostReplyRatio: 0.3}},
	{"all together", sim.FaultConfig{ThrottleRatio: 0.5, LatencyMs: 500, ServerErrorRatio: 0.2, DropRatio: 0.2, LostReplyRatio: 0.3}},
}

// The console driven by keys through every fault profile: it comes up with what it can
// read, keys are handled while requests are in flight, and a bulk accept of every pending
// connection reports exactly what happened — every connection reported accepted is accepted,
// every one reported refused is not, and one reported as unknown is either — with one
// attempt and one outcome line in the audit log per write.
func TestFaultMatrix(t *testing.T) {
	for _, p := range faultProfiles {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			e := newSimEnv(t, model.ModeDemo)
			e.region.Faults().Set(p.faults)
			opts := e.options()
			// flashes go away, as they do for a user, so the counts under the table show again
			opts.DisableTicks, opts.RefreshInterval, opts.FlashDuration = false, 0, 100*time.Millisecond
			tm := teatest.NewTestModel(t, New(e.backend, opts), teatest.WithInitialTermSize(120, 40))
			// keys are taken while the first refresh is still under way
			tm.Send(keyMsg("?"))
			waitFor(t, tm, "mark filtered")
			tm.Send(keyMsg("esc"))
			tm.Send(keyMsg("c"))
			for _, r := range "/pendingAcceptance" {
				tm.Send(keyMsg(string(r)))
			}
			tm.Send(keyMsg("enter"))
			// refresh until the connections have been read once (a refresh may lose them)
			waitUntil(t, tm, e.backend, "8/30 connections")
			tm.Send(keyMsg("ctrl+a"))
			waitFor(t, tm, "8 marked")
			tm.Send(keyMsg("a"))
			waitFor(t, tm, "Accept 8 connections?")
			tm.Send(keyMsg("y"))
			waitFor(t, tm, " of 8")
			waitIdle(t, e.backend)
			e.region.Faults().Set(sim.FaultConfig{})
			if err := tm.Quit(); err != nil {
				t.Fatal(err)
			}
			final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Root)
			if final.Crash() != nil {
				t.Fatalf("crashed: %s", final.Crash())
			}
			checkReportedResults(t, e, final)
			checkAuditPairs(t, e.client.AuditPath())
		})
	}
}

// waitUntil presses r until the screen shows s (a refresh under faults may miss a part).
func waitUntil(t *testing.T, tm *teatest.TestModel, b *trackedBackend, s string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var seen bytes.Buffer
		found := false
		teatest.WaitFor(t, tm.Output(), func(out []byte) bool {
			seen.Write(out)
			found = strings.Contains(seen.String(), s)
			return found || b.idle(200*time.Millisecond)
		}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
		if found {
			return
		}
		if time.Now().After(deadline) {
			_ = tm.Quit()
			final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second))
			t.Fatalf("%q never showed; the screen:\n%s", s, plain(final.View()))
		}
		tm.Send(keyMsg("r"))
	}
}

// checkReportedResults compares what the console reported with the connections' states.
func checkReportedResults(t *testing.T, e *simEnv, m *Root) {
	t.Helper()
	var lines []string
	if d := dialogOf(m); d != nil {
		lines = d.Body()
	}
	if len(lines) == 0 {
		t.Fatalf("no per-item results on screen:\n%s", plain(m.View()))
	}
	states := map[string]model.ConnectionState{}
	conns, err := e.client.ListConnections(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range conns {
		states[c.EndpointID] = c.State
	}
	accepted := func(st model.ConnectionState) bool { return st == model.StatePending || st == model.StateAvailable }
	for _, l := range lines {
		id, rest, _ := strings.Cut(strings.TrimSpace(l[len("✓ "):]), " ")
		switch {
		case strings.HasPrefix(l, "✓ "):
			if !accepted(states[id]) {
				t.Errorf("%s reported accepted, but it is %s", id, states[id])
			}
		case strings.Contains(rest, "not known"):
			// no reply came and the state could not be read: either outcome is possible
		case strings.HasPrefix(l, "✗ "):
			if states[id] != model.StatePendingAcceptance {
				t.Errorf("%s reported refused (%s), but it is %s", id, rest, states[id])
			}
		}
	}
}

// checkAuditPairs reads the audit log: every write has one attempt line before one outcome
// line (a write refused before sending has its outcome only).
func checkAuditPairs(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	open := map[string]bool{}
	outcomes := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e awsops.AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		switch e.Phase {
		case awsops.AuditAttempt:
			if open[e.WriteID] {
				t.Errorf("write %s attempted twice", e.WriteID)
			}
			open[e.WriteID] = true
		case awsops.AuditOutcome:
			if !open[e.WriteID] && e.Result != awsops.AuditRefused {
				t.Errorf("write %s: outcome without attempt", e.WriteID)
			}
			delete(open, e.WriteID)
			outcomes++
		}
	}
	if len(open) > 0 || outcomes == 0 {
		t.Errorf("%d writes without an outcome, %d outcomes", len(open), outcomes)
	}
}

// Against an endpoint that lacks an operation, every view that can work does, and the one
// that cannot names the call, the HTTP status and what it means; badges that need the
// missing data say unknown instead of loading for ever.
func TestPartialBackend(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	e.region.Faults().Set(sim.FaultConfig{Unimplemented: []string{"DescribeVpcEndpointConnections"}})
	m := newTestRoot(t, e.backend, 120, 40, func(o *Options) { o.Now = e.clock.Now; o.StartPage = "services" })
	mustContain(t, m.View(), "could not list connections: The endpoint answered DescribeVpcEndpointConnections with HTTP 500")
	m.clearFlash(m.flash.id)
	// the header says which part is missing, not "no data"
	mustContain(t, m.View(), "STALE data 0s old, connections unreadable", "3/3 services", "payments-api", "ledger-ingest", "search-gateway")
	for _, name := range []string{"payments-api", "ledger-ingest", "search-gateway"} {
		if f := strings.Fields(svcRow(t, m, name)); len(f) < 2 || f[len(f)-2] != "?" {
			t.Errorf("%s's badge without its connections: %q", name, f)
		}
	}
	press(t, m, "c")
	mustContain(t, m.View(), "could not load the connections: The endpoint answered DescribeVpcEndpointConnections with HTTP 500",
		"does not implement DescribeVpcEndpointConnections")
	mustNotContain(t, m.View(), "XML", "syntax error")
	press(t, m, "ctrl+s", "enter", "4")
	mustContain(t, m.View(), "-nlb · network", "healthy", "2 Connections │") // load balancers read; no connection count
	mustNotContain(t, m.View(), "Connections (0)")
}

// A dry-run delete of a service that still has connections gives the dry run's verdicts
// (the reject would succeed, the delete would still be refused), not "delete service failed".
func TestDryRunDeleteGivesTheVerdict(t *testing.T) {
	e := newSimEnv(t, model.ModeDryRun)
	m := newTestRoot(t, e.backend, 120, 40, func(o *Options) { o.Now = e.clock.Now; o.StartPage = "services" })
	press(t, m, "enter", "D")
	id := detailOf(m).ServiceID()
	typeText(t, m, id)
	// the connections that block the delete are the safe delete's first step
	press(t, m, "enter", "y")
	mustContain(t, m.View(), "dry run: RejectVpcEndpointConnections would succeed", "so the delete would still be")
	mustNotContain(t, m.View(), "delete service failed")
}
