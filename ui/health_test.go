package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
)

// svcRow returns the plain services-list row of a service label.
func svcRow(t *testing.T, m *Root, label string) string {
	t.Helper()
	for _, l := range strings.Split(plain(m.View()), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), label+" ") {
			return l
		}
	}
	t.Fatalf("no row for %s:\n%s", label, plain(m.View()))
	return ""
}

func TestHealthBadgeComesFromTheDiagnostics(t *testing.T) {
	b := newTestBackend(t)
	// search: principal * and acceptance not required. The first service's LB loses every
	// healthy target in us-east-1b only (cross-zone off).
	b.services[0].PrivateDNS.State = model.DNSVerified
	m := newTestRoot(t, b, 120, 40)
	if h := m.health[svcID(0xb2)]; h != model.HealthCritical {
		t.Fatalf("search (* without acceptance) is %q, want Critical", h)
	}
	if h := m.health[svcID(0xa1)]; h != model.HealthCritical {
		t.Fatalf("payments (an AZ with no healthy target, cross-zone off) is %q, want Critical", h)
	}
	if !strings.Contains(svcRow(t, m, "search"), "CRIT") || !strings.Contains(svcRow(t, m, "payments-api"), "CRIT") {
		t.Fatal("the list shows CRIT badges")
	}

	// with the AZ healthy again and the wildcard gone, the badges clear on the next refresh
	b.mu.Lock()
	b.lbs[0].TargetGroups[0].Targets[1].State = model.TargetHealthy
	b.lbs[1].TargetGroups[0].Targets[1].State = model.TargetHealthy
	b.services[1].AllowedPrincipals = []model.Principal{{ARN: "arn:aws:iam::444455556666:root", Type: "Account"}}
	b.mu.Unlock()
	press(t, m, "r")
	if h := m.health[svcID(0xa1)]; h != model.HealthOK {
		t.Fatalf("payments after the target recovered: %q", h)
	}
	if h := m.health[svcID(0xb2)]; h != model.HealthCritical {
		t.Fatalf("principals are cached between refreshes, so search stays %q until re-read", h)
	}
	// a principal change through the console re-reads them
	drive(t, m, m.perform(actOpenService{id: svcID(0xb2), tab: tabPrincipals}))
	press(t, m, "esc")
	if h := m.health[svcID(0xb2)]; h != model.HealthOK {
		t.Fatalf("opening the service re-reads its principals: %q", h)
	}
	b.mu.Lock()
	b.services[1].AllowedPrincipals = []model.Principal{{ARN: "*", Type: "All"}}
	b.mu.Unlock()
	drive(t, m, m.perform(actOpenService{id: svcID(0xb2), tab: tabPrincipals}))
	if h := m.health[svcID(0xb2)]; h != model.HealthCritical {
		t.Fatalf("search with * again: %q", h)
	}
	press(t, m, "-", "y")
	if h := m.health[svcID(0xb2)]; h != model.HealthOK {
		t.Fatalf("search after its principal change: %q", h)
	}
}

func TestBadgesAndCountsWaitForTheirInputs(t *testing.T) {
	b := newTestBackend(t)
	m := New(b, testOptions())
	drive(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 120, Height: 40} })
	// a snapshot whose connections could not be read: services and load balancers only
	m.refreshing = true
	svcs := mustList(t, b)
	lbs, _ := b.ListLoadBalancers(t.Context(), lbARNsOf(svcs))
	connErr := &model.AWSError{Operation: "DescribeVpcEndpointConnections", Code: "Throttling", Sentence: "throttled"}
	_, next := m.Update(snapshotMsg{req: m.newReq(reqRefresh), snap: model.Snapshot{Services: svcs, LoadBalancers: lbs},
		err: errors.Join(connErr)})
	row := svcRow(t, m, "search")
	if strings.Contains(row, "OK") || strings.Contains(row, "CRIT") || strings.Count(row, "…") < 3 {
		t.Fatalf("before connections, load balancers and principals: %q", row)
	}
	if strings.Contains(row, " 0 ") {
		t.Fatalf("PEND/AVAIL must not read 0 before the connections load: %q", row)
	}
	if len(m.services) != 3 || m.store.loaded || !m.lbLoaded || m.inFlight() {
		t.Fatalf("partial snapshot: %d services, connections loaded %v, load balancers loaded %v, in flight %v",
			len(m.services), m.store.loaded, m.lbLoaded, m.inFlight())
	}
	mustContain(t, m.View(), "could not list connections", "STALE")
	drive(t, m, next) // the principals
	if row := svcRow(t, m, "search"); !strings.Contains(row, "…") {
		t.Fatalf("principals alone do not make a badge: %q", row)
	}
	drive(t, m, m.Init())
	if row := svcRow(t, m, "search"); strings.Contains(row, "…") {
		t.Fatalf("everything loaded: %q", row)
	}
}

// The steady-state refresh is one Refresh call: services, connections and load balancers
// together. Principals are read once per service in the background, with ListPrincipals
// rather than the three calls of ServiceDetail, and are not read again by a refresh.
func TestRefreshIsOneBackendCall(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	got := b.readCounts()
	want := map[string]int{"Refresh": 1, "ListPrincipals": len(b.services)}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("initial load: backend reads %v, want %v", got, want)
	}
	for _, s := range b.services {
		if h := m.health[s.ID]; h == healthLoading || h == healthUnknown {
			t.Fatalf("%s: badge %q after the initial load", s.ID, h)
		}
	}
	press(t, m, "r")
	if got := b.readCounts(); fmt.Sprint(got) != fmt.Sprint(map[string]int{"Refresh": 1}) {
		t.Fatalf("refresh with the principals cached: backend reads %v, want one Refresh", got)
	}
	// the open service's detail is read with the refresh
	press(t, m, "enter")
	b.readCounts()
	press(t, m, "r")
	if got := b.readCounts(); fmt.Sprint(got) != fmt.Sprint(map[string]int{"Refresh": 1, "ServiceDetail": 1}) {
		t.Fatalf("refresh in the service detail: backend reads %v", got)
	}
}

// A load balancer read that fails keeps the previous load balancers and badges; it does not
// make the services and connections stale.
func TestRefreshWithFailedLoadBalancers(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	before := m.health[svcID(0xa1)]
	m.refreshing = true
	snap := model.Snapshot{Services: mustList(t, b), Connections: b.listConnections("")}
	_, cmd := m.Update(snapshotMsg{req: m.newReq(reqRefresh), snap: snap,
		err: &model.AWSError{Operation: "DescribeTargetHealth", Code: "Throttling", Sentence: "AWS is throttling DescribeTargetHealth"}})
	drive(t, m, cmd)
	if !m.lbLoaded || m.lbErr == nil || len(m.lbCache) != 2 || m.health[svcID(0xa1)] != before {
		t.Fatalf("after a failed load balancer read: loaded %v, err %v, %d cached, badge %q (was %q)",
			m.lbLoaded, m.lbErr, len(m.lbCache), m.health[svcID(0xa1)], before)
	}
	if m.refreshErr != nil {
		t.Fatalf("services and connections were read: refresh error %v", m.refreshErr)
	}
	mustContain(t, m.View(), "could not read the load balancers")
	mustNotContain(t, m.View(), "STALE")
	press(t, m, "r")
	if m.lbErr != nil {
		t.Fatal("the next good read clears the error")
	}
}

// lbARNsOf is every load balancer the services use.
func lbARNsOf(svcs []model.EndpointService) []string {
	var arns []string
	for _, s := range svcs {
		arns = append(arns, s.NetworkLoadBalancers...)
		arns = append(arns, s.GatewayLoadBalancers...)
	}
	return arns
}

func mustList(t *testing.T, b *fakeBackend) []model.EndpointService {
	t.Helper()
	s, err := b.ListServices(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPrincipalReadsAreBoundedCachedAndDroppedOnSwitch(t *testing.T) {
	b := newTestBackend(t)
	for i := 0; i < 10; i++ {
		b.services = append(b.services, model.EndpointService{ID: svcID(0x200 + i), State: model.ServiceAvailable})
	}
	m := New(b, testOptions())
	m.services = mustList(t, b)
	cmd := m.schedulePrincipals()
	if m.princInFlight != maxPrincipalFetches {
		t.Fatalf("%d reads in flight, want %d", m.princInFlight, maxPrincipalFetches)
	}
	if m.schedulePrincipals() != nil {
		t.Fatal("no more reads while the bound is reached")
	}
	drive(t, m, cmd) // each answer schedules the next
	if len(m.princ) != len(m.services) || m.princInFlight != 0 {
		t.Fatalf("every service read once: %d cached, %d in flight", len(m.princ), m.princInFlight)
	}
	if m.schedulePrincipals() != nil {
		t.Fatal("cached principals are not read again before they age")
	}
	// an answer for the old account is dropped after a switch
	stale := m.fetchPrincipals(svcID(0xa1))
	m.resetHealthInputs()
	m.services = nil
	drive(t, m, stale)
	if _, ok := m.princ[svcID(0xa1)]; ok {
		t.Fatal("a read from before the switch must not fill the new cache")
	}
}

func TestFlashClearsWhenADialogOpens(t *testing.T) {
	m := newTestRoot(t, newTestBackend(t), 120, 40)
	press(t, m, "c", "a", "n")
	mustContain(t, m.View(), "cancelled: nothing was changed")
	press(t, m, "a")
	mustNotContain(t, m.View(), "cancelled")
	mustContain(t, m.View(), "Accept 1 connection?")
}

func TestWrapKeepsIDsWhole(t *testing.T) {
	s := "✗ vpce-0a953ca3e8dbe4a78  InvalidState: AcceptVpcEndpointConnections is not possible in the resource's current state: Endpoint vpce-0a953ca3e8dbe4a78 is in state rejected"
	for _, w := range []int{30, 52, 72} {
		lines := wrapLines(s, w)
		joined := strings.Join(lines, "\n")
		if strings.Count(joined, "vpce-0a953ca3e8dbe4a78") != 2 {
			t.Fatalf("width %d broke an id:\n%s", w, joined)
		}
		for _, l := range lines {
			if n := len([]rune(l)); n > w {
				t.Fatalf("width %d: line of %d: %q", w, n, l)
			}
		}
	}
	long := wrapLines("arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/x/0123", 20)
	if len(long) != 1 || !strings.HasSuffix(long[0], "…") {
		t.Fatalf("a word wider than the line is cut with an ellipsis: %q", long)
	}
}

func TestResultsDialogShowsEveryLineWithinTheHeight(t *testing.T) {
	b := newTestBackend(t)
	for i := 0; i < 18; i++ {
		b.failIDs[vpceID(0x100+i)] = "InvalidState"
	}
	m := newTestRoot(t, b, 80, 24)
	press(t, m, "c", "ctrl+a", "a", "y")
	v := plain(m.View())
	if len(strings.Split(v, "\n")) != 24 {
		t.Fatal("the screen keeps its height")
	}
	mustContain(t, v, "more lines (↓ to scroll)", "enter/esc close")
}

func TestLoadBalancersTab(t *testing.T) {
	b := newTestBackend(t)
	b.lbs[0].SecurityGroups = []string{"sg-0123"}
	b.lbs[0].EnforceSGOnPrivateLink = true
	b.lbs[0].Listeners = []model.Listener{{Port: 443, Protocol: "TLS"}}
	b.lbs[0].TargetGroups[0].HealthCheckProtocol, b.lbs[0].TargetGroups[0].HealthCheckPort = "HTTP", "8080"
	b.lbs[0].TargetGroups[0].Targets[1].Description = "Request timed out"
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "down", "enter", "4")
	if m.detail.svc.ID != svcID(0xa1) {
		t.Fatalf("opened %s", m.detail.svc.ID)
	}
	v := m.View()
	mustContain(t, v, "▌payments-nlb", "network internal", "active", "listeners TLS:443",
		"SG on PrivateLink on", "cross-zone off", "zones us-east-1a us-east-1b us-east-1c",
		"◦ payments-tg", "TCP:443", "instance", "check HTTP:8080",
		"us-east-1a     1/1 healthy", "us-east-1b     0/1 healthy  connections landing in this zone fail",
		"i-0bb22", "Target.Timeout", "Request timed out",
		"2/3 targets healthy · 1 zone with no healthy target")
	// the warning colour marks the enforcement; red marks the dark zone
	if !strings.Contains(v, m.ctx.Styles.Warn.Render("SG on PrivateLink on")) {
		t.Fatal("SG enforcement on is in the warning colour")
	}
	if !strings.Contains(v, m.ctx.Styles.Bad.Render("0/1 healthy")) {
		t.Fatal("a zone with no healthy target is red")
	}
	// the filter keeps the group lines of what matches
	press(t, m, "/")
	typeText(t, m, "timeout")
	press(t, m, "enter")
	v = plain(m.View())
	mustContain(t, v, "▌payments-nlb", "◦ payments-tg", "i-0bb22")
	mustNotContain(t, v, "i-0aa11")
	// a long list scrolls and renders only the window
	for i := 0; i < 200; i++ {
		b.lbs[0].TargetGroups[0].Targets = append(b.lbs[0].TargetGroups[0].Targets,
			model.Target{ID: fmt.Sprintf("i-%05d", i), Port: 443, AZ: "us-east-1a", State: model.TargetHealthy})
	}
	press(t, m, "esc", "r", "G")
	v = plain(m.View())
	mustContain(t, v, "i-00199")
	mustNotContain(t, v, "▌payments-nlb")
}

func TestSplitRefreshError(t *testing.T) {
	awsErr := func(op string) error {
		return fmt.Errorf("wrapped: %w", &model.AWSError{Operation: op, Code: "Throttling", Sentence: op + " throttled"})
	}
	lbs := errors.Join(awsErr("DescribeTargetHealth"), awsErr("DescribeListeners"))
	got := splitRefreshError(errors.Join(awsErr("DescribeVpcEndpointConnections"), lbs))
	if got.services != nil || got.connections == nil || got.loadBalancers == nil {
		t.Fatalf("split %+v", got)
	}
	if strings.Contains(got.loadBalancers.Error(), "\n") || !strings.Contains(got.loadBalancers.Error(), "DescribeTargetHealth") {
		t.Fatalf("one sentence per part, the first: %q", got.loadBalancers)
	}
	cancelled := splitRefreshError(fmt.Errorf("DescribeVpcEndpointConnections was cancelled: %w", context.Canceled))
	if cancelled.services == nil || cancelled.connections == nil || cancelled.loadBalancers == nil {
		t.Fatalf("an error without an operation fails every part: %+v", cancelled)
	}
	if (splitRefreshError(nil) != refreshErrors{}) {
		t.Fatal("no error, no part failed")
	}
}
