package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/pages/detail"
	"github.com/plconsole/plconsole/ui/store"
	"github.com/plconsole/plconsole/ui/tasks"
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
	// the fixed world's requests wait up to 33 hours: this test is about the other inputs
	m := newTestRoot(t, b, 120, 40, func(o *Options) { o.PendingMaxAge = 1000 * time.Hour })
	if h := m.ctx.Store.Health(svcID(0xb2)); h != model.HealthCritical {
		t.Fatalf("search (* without acceptance) is %q, want Critical", h)
	}
	if h := m.ctx.Store.Health(svcID(0xa1)); h != model.HealthCritical {
		t.Fatalf("payments (an AZ with no healthy target, cross-zone off) is %q, want Critical", h)
	}
	if !strings.Contains(svcRow(t, m, "search"), "CRIT") || !strings.Contains(svcRow(t, m, "payments-api"), "CRIT") {
		t.Fatal("the list shows CRIT badges")
	}

	// with the AZ healthy again and the wildcard gone, the badges clear once target health
	// is read again: r reads the inventory, not every target group's health (#10); the
	// service's Load balancers tab reads its own at once
	b.mu.Lock()
	b.lbs[0].TargetGroups[0].Targets[1].State = model.TargetHealthy
	b.lbs[1].TargetGroups[0].Targets[1].State = model.TargetHealthy
	b.services[1].AllowedPrincipals = []model.Principal{{ARN: "arn:aws:iam::444455556666:root", Type: "Account"}}
	b.mu.Unlock()
	press(t, m, "r")
	if h := m.ctx.Store.Health(svcID(0xa1)); h != model.HealthCritical {
		t.Fatalf("payments after r, its targets not read again: %q", h)
	}
	drive(t, m, m.openService(common.OpenServiceMsg{ID: svcID(0xa1), Tab: detail.TabLoadBalancers}))
	press(t, m, "esc")
	if h := m.ctx.Store.Health(svcID(0xa1)); h != model.HealthOK {
		t.Fatalf("payments after the target recovered: %q", h)
	}
	if h := m.ctx.Store.Health(svcID(0xb2)); h != model.HealthCritical {
		t.Fatalf("principals are cached between refreshes, so search stays %q until re-read", h)
	}
	// a principal change through the console re-reads them
	drive(t, m, m.openService(common.OpenServiceMsg{ID: svcID(0xb2), Tab: detail.TabPrincipals}))
	press(t, m, "esc")
	if h := m.ctx.Store.Health(svcID(0xb2)); h != model.HealthOK {
		t.Fatalf("opening the service re-reads its principals: %q", h)
	}
	b.mu.Lock()
	b.services[1].AllowedPrincipals = []model.Principal{{ARN: "*", Type: "All"}}
	b.mu.Unlock()
	drive(t, m, m.openService(common.OpenServiceMsg{ID: svcID(0xb2), Tab: detail.TabPrincipals}))
	if h := m.ctx.Store.Health(svcID(0xb2)); h != model.HealthCritical {
		t.Fatalf("search with * again: %q", h)
	}
	press(t, m, "-") // the only principal: the service id is typed to confirm
	typeText(t, m, svcID(0xb2))
	press(t, m, "enter")
	if h := m.ctx.Store.Health(svcID(0xb2)); h != model.HealthOK {
		t.Fatalf("search after its principal change: %q", h)
	}
}

func TestBadgesAndCountsWaitForTheirInputs(t *testing.T) {
	b := newTestBackend(t)
	// a refresh whose connections could not be read: services and load balancers only
	b.failParts.Connections = &model.AWSError{Operation: "DescribeVpcEndpointConnections", Code: "Throttling", Sentence: "throttled"}
	m := New(b, testOptions())
	drive(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 120, Height: 40} })
	// take the snapshot alone, before any principal read
	done, ok := m.Init()().(tasks.DoneMsg)
	if !ok {
		t.Fatal("the first command is the refresh")
	}
	_, next := m.Update(done)
	row := svcRow(t, m, "search")
	if strings.Contains(row, "OK") || strings.Contains(row, "CRIT") || strings.Count(row, "…") < 2 || !strings.Contains(row, "… ?") {
		t.Fatalf("with the connections unreadable: counts … and the badge ? (unknown), got %q", row)
	}
	if strings.Contains(row, " 0 ") {
		t.Fatalf("PEND/AVAIL must not read 0 before the connections load: %q", row)
	}
	st := m.ctx.Store
	if len(st.Services()) != 3 || st.Connections().Loaded || !st.Freshness(store.LoadBalancers).Loaded || st.Refreshing() {
		t.Fatalf("partial snapshot: %d services, connections loaded %v, load balancers %+v, in flight %v",
			len(st.Services()), st.Connections().Loaded, st.Freshness(store.LoadBalancers), st.Refreshing())
	}
	mustContain(t, m.View(), "could not list connections", "STALE")
	drive(t, m, next) // the principals
	if row := svcRow(t, m, "search"); !strings.Contains(row, "… ?") {
		t.Fatalf("principals alone do not make a badge: %q", row)
	}
	b.mu.Lock()
	b.failParts = model.RefreshErrors{}
	b.mu.Unlock()
	press(t, m, "r")
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
	// and the fleet's metrics, on their own once-a-minute cadence
	want := map[string]int{"Refresh": 1, "ListPrincipals": len(b.services), "GetMetrics": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("initial load: backend reads %v, want %v", got, want)
	}
	for _, s := range b.services {
		if h := m.ctx.Store.Health(s.ID); h == store.HealthLoading || h == store.HealthUnknown {
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
	before := m.ctx.Store.Health(svcID(0xa1))
	b.mu.Lock()
	b.failParts.LoadBalancers = &model.AWSError{Operation: "DescribeTargetHealth", Code: "Throttling", Sentence: "AWS is throttling DescribeTargetHealth"}
	b.mu.Unlock()
	press(t, m, "r")
	st := m.ctx.Store
	svc, _ := st.Service(svcID(0xa1))
	lbs, f := st.LoadBalancersOf(svc)
	if !f.Loaded || f.Err == nil || len(lbs) != 1 || st.Health(svcID(0xa1)) != before {
		t.Fatalf("after a failed load balancer read: %+v, %d load balancers, badge %q (was %q)",
			f, len(lbs), st.Health(svcID(0xa1)), before)
	}
	if _, err := st.LastFull(); err != nil {
		t.Fatalf("services and connections were read: refresh error %v", err)
	}
	mustContain(t, m.View(), "could not read the load balancers")
	mustNotContain(t, m.View(), "STALE")
	b.mu.Lock()
	b.failParts = model.RefreshErrors{}
	b.mu.Unlock()
	press(t, m, "r")
	if st.Freshness(store.LoadBalancers).Err != nil {
		t.Fatal("the next good read clears the error")
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
		lines := common.WrapLines(s, w)
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
	long := common.WrapLines("arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/x/0123", 20)
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
	if detailOf(m).ServiceID() != svcID(0xa1) {
		t.Fatalf("opened %s", detailOf(m).ServiceID())
	}
	v := m.View()
	mustContain(t, v, "▌payments-nlb", "network internal", "active", "listeners TLS:443",
		"SG on PrivateLink on", "cross-zone off", "zones us-east-1a (use1-az1) us-east-1b (use1-az2) us-east-1c (use1-az4)",
		"◦ payments-tg", "TCP:443", "instance", "check HTTP:8080",
		"us-east-1a (use1-az1) 1/1 healthy", "us-east-1b (use1-az2) 0/1 healthy  connections landing in this zone fail",
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

// A part that keeps failing for the same cause is reported once, not at every refresh: the
// request id changes, the cause does not.
func TestAFailureIsFlashedOncePerCause(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	fail := func(reqID, code string) {
		b.mu.Lock()
		b.failParts.Connections = &model.AWSError{Operation: "DescribeVpcEndpointConnections", Code: code, Sentence: "throttled", RequestID: reqID}
		b.mu.Unlock()
	}
	fail("req-1", "Throttling")
	press(t, m, "r")
	mustContain(t, m.View(), "could not list connections")
	m.clearFlash(m.flash.id)
	fail("req-2", "Throttling")
	press(t, m, "r")
	mustNotContain(t, m.View(), "could not list connections")
	fail("req-3", "InternalError")
	press(t, m, "r")
	mustContain(t, m.View(), "could not list connections")
}
