package ui

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/plconsole/plconsole/awsops"
	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/awsopstest"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/model"
)

// demoWorld is the simulated region every golden screen renders: a fixed seed, no
// spontaneous activity, and a manual clock that only moves when a test moves it.
func demoWorld() sim.WorldConfig {
	return sim.WorldConfig{Seed: 7, Services: 3, Connections: 30, Static: true}
}

// simEnv is one console over the real awsops client against its own simulated region.
type simEnv struct {
	region  *simtest.Region
	client  *awsops.Client
	backend *trackedBackend
	clock   *sim.ManualClock
}

// newSimEnv starts a simulated region and an awsops client on it in the given mode
// (DEMO, READ-ONLY or DRY-RUN).
func newSimEnv(t testing.TB, mode model.Mode, opts ...simtest.Option) *simEnv {
	t.Helper()
	r := simtest.Start(t, demoWorld(), append([]simtest.Option{simtest.ClockAt(testNow)}, opts...)...)
	client := awsopstest.Provider(t, r, mode)
	return &simEnv{region: r, client: client, backend: &trackedBackend{Backend: client, now: r.Clock.Now}, clock: r.Clock}
}

func (e *simEnv) options() Options {
	o := testOptions()
	o.Now = e.clock.Now
	return o
}

// trackedBackend counts the calls in flight, so a screen test knows when the console has
// settled, and masks what differs between runs in the API-call log: times, durations and
// request ids, and the order of calls the console made concurrently.
type trackedBackend struct {
	Backend
	now      func() time.Time
	mu       sync.Mutex
	active   int
	lastDone time.Time
}

func (b *trackedBackend) busy() func() {
	b.mu.Lock()
	b.active++
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		b.active--
		b.lastDone = time.Now()
		b.mu.Unlock()
	}
}

// idle reports whether no call is running and none finished within d.
func (b *trackedBackend) idle(d time.Duration) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.active == 0 && time.Since(b.lastDone) > d
}

func (b *trackedBackend) SwitchProfile(ctx context.Context, p string) (model.Identity, error) {
	defer b.busy()()
	return b.Backend.SwitchProfile(ctx, p)
}

func (b *trackedBackend) SwitchRegion(ctx context.Context, r string) (model.Identity, error) {
	defer b.busy()()
	return b.Backend.SwitchRegion(ctx, r)
}

func (b *trackedBackend) Refresh(ctx context.Context, req model.RefreshRequest) (model.Snapshot, error) {
	defer b.busy()()
	return b.Backend.Refresh(ctx, req)
}

func (b *trackedBackend) ServiceDetail(ctx context.Context, id string) (model.EndpointService, error) {
	defer b.busy()()
	return b.Backend.ServiceDetail(ctx, id)
}

func (b *trackedBackend) ListPrincipals(ctx context.Context, id string) ([]model.Principal, error) {
	defer b.busy()()
	return b.Backend.ListPrincipals(ctx, id)
}

func (b *trackedBackend) ListLoadBalancers(ctx context.Context, arns []string) ([]model.LoadBalancer, error) {
	defer b.busy()()
	return b.Backend.ListLoadBalancers(ctx, arns)
}

func (b *trackedBackend) AcceptConnections(ctx context.Context, s string, ids []string) ([]model.ItemResult, error) {
	defer b.busy()()
	return b.Backend.AcceptConnections(ctx, s, ids)
}

func (b *trackedBackend) RejectConnections(ctx context.Context, s string, ids []string) ([]model.ItemResult, error) {
	defer b.busy()()
	return b.Backend.RejectConnections(ctx, s, ids)
}

func (b *trackedBackend) AddPrincipals(ctx context.Context, id string, arns []string) error {
	defer b.busy()()
	return b.Backend.AddPrincipals(ctx, id, arns)
}

func (b *trackedBackend) RemovePrincipals(ctx context.Context, id string, arns []string) error {
	defer b.busy()()
	return b.Backend.RemovePrincipals(ctx, id, arns)
}

func (b *trackedBackend) StartDNSVerification(ctx context.Context, id string) error {
	defer b.busy()()
	return b.Backend.StartDNSVerification(ctx, id)
}

func (b *trackedBackend) SetPayerResponsibility(ctx context.Context, id string, p model.PayerResponsibility) error {
	defer b.busy()()
	return b.Backend.SetPayerResponsibility(ctx, id, p)
}

func (b *trackedBackend) CreateNotification(ctx context.Context, id, topic string, ev []model.NotificationEvent) (model.Notification, error) {
	defer b.busy()()
	return b.Backend.CreateNotification(ctx, id, topic, ev)
}

func (b *trackedBackend) DeleteNotifications(ctx context.Context, ids []string) ([]model.ItemResult, error) {
	defer b.busy()()
	return b.Backend.DeleteNotifications(ctx, ids)
}

func (b *trackedBackend) DeleteService(ctx context.Context, id string) error {
	defer b.busy()()
	return b.Backend.DeleteService(ctx, id)
}

// APICalls returns the real log with what varies between runs made fixed: the calls in a
// stable order (by service and operation), at the manual clock's time, each taking 12 ms,
// with sequential request ids.
func (b *trackedBackend) APICalls() []model.APICall {
	calls := slices.Clone(b.Backend.APICalls())
	slices.SortStableFunc(calls, func(x, y model.APICall) int {
		return cmp.Or(cmp.Compare(x.Service, y.Service), cmp.Compare(x.Operation, y.Operation),
			cmp.Compare(x.ErrorCode, y.ErrorCode))
	})
	for i := range calls {
		calls[i].Time = b.now()
		calls[i].Duration = 12 * time.Millisecond
		if calls[i].RequestID != "" {
			calls[i].RequestID = fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1)
		}
	}
	return calls
}

// screen is one golden scenario: steps from the start screen, and text that shows the screen
// has settled. A step is a key name, "type:text" (typed rune by rune), "wait:text" (wait
// until the screen shows text and the backend is idle) or "hook" (run the screen's hook).
type screen struct {
	name  string
	mode  model.Mode
	keys  []string
	wait  string
	hook  func(t *testing.T, e *simEnv)
	sizes [][2]int // nil: both golden sizes
	// noColor renders as NO_COLOR does: no escape codes at all, so markers show the cursor,
	// the highlighted button and the active tab
	noColor bool
	start   string // Options.StartPage ("": the services list, as testOptions pins it)
}

// Steps shared by many screens.
var (
	openPayments = []string{"enter", "wait:1 Overview"}                  // first row: most pending
	openLedger   = []string{"down", "enter", "wait:1 Overview"}          // the service with DNS pending
	pendingOnly  = []string{"c", "/", "type:pendingAcceptance", "enter"} // the inbox filtered to the pending
)

func steps(parts ...any) []string {
	var out []string
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			out = append(out, p)
		case []string:
			out = append(out, p...)
		}
	}
	return out
}

func goldenScreens() []screen {
	return []screen{
		// views
		{name: "services", wait: "3/3 services"},
		{name: "services_readonly", mode: model.ModeReadOnly, wait: "3/3 services"},
		{name: "inbox", keys: steps("c"), wait: "30/30 connections"},
		{name: "inbox_marked", keys: steps("c", "space", "space"), wait: "2 marked"},
		{name: "inbox_filter_typing", keys: steps("c", "/", "type:!avail"), wait: "! inverts"},
		{name: "inbox_filtered", keys: steps(pendingOnly), wait: "8/30 connections"},
		{name: "inbox_filtered_marked", keys: steps(pendingOnly, "ctrl+a"), wait: "8 marked"},
		{name: "detail_overview", keys: steps("enter"), wait: "1 Overview"},
		{name: "detail_overview_wide", keys: steps("enter"), wait: "Diagnostics", sizes: [][2]int{{200, 50}}},
		{name: "detail_connections", keys: steps(openPayments, "2"), wait: "/16 connections"},
		{name: "detail_principals", keys: steps(openPayments, "3"), wait: "privatelink-consumer"},
		{name: "detail_loadbalancers", keys: steps(openPayments, "4"), wait: "healthy"},
		{name: "detail_notifications", keys: steps(openPayments, "5"), wait: "Enabled"},
		{name: "apilog", keys: steps("@"), wait: " calls"},
		{name: "help", keys: steps("?"), wait: "add principal"},
		{name: "palette", keys: steps(":"), wait: "services connections"},
		{name: "palette_completion", keys: steps(":", "type:region us-"), wait: "region us-east-2"},
		// dialogs
		{name: "dialog_accept", keys: steps("c", "a"), wait: "Accept 1 connection?"},
		{name: "dialog_reject_marked", keys: steps("c", "space", "space", "x"), wait: "Reject 2 connections?"},
		{name: "dialog_bulk_accept", keys: steps(pendingOnly, "ctrl+a", "a"), wait: "Accept 8 connections?"},
		{name: "dialog_bulk_results", keys: steps(pendingOnly, "ctrl+a", "wait:8 marked", "hook", "a", "y"), wait: "1 failed",
			hook: rejectBehindTheConsole},
		{name: "dialog_add_principal", keys: steps(openPayments, "3", "+"), wait: "Principals"},
		{name: "dialog_add_principal_invalid", keys: steps(openPayments, "3", "+", "type:arn:aws:iam::123:root", "enter"), wait: "12-digit"},
		{name: "dialog_add_principal_confirm", keys: steps(openPayments, "3", "+", "type:444455556666", "enter"), wait: "Allow 1 principal"},
		{name: "dialog_wildcard", keys: steps(openPayments, "3", "+", "type:*", "enter"), wait: "Type everyone"},
		{name: "dialog_remove_principal", keys: steps(openPayments, "3", "-"), wait: "Remove 1 principal"},
		{name: "dialog_verify_dns", keys: steps(openLedger, "v"), wait: "Start private DNS"},
		{name: "dialog_txt", keys: steps(openLedger, "t"), wait: "c copy"},
		{name: "dialog_copy", keys: steps(openLedger, "y"), wait: "esc close"},
		{name: "payer_already_owner", keys: steps(openPayments, "p"), wait: "already has payer"},
		{name: "dialog_add_notification", keys: steps(openLedger, "5", "+"), wait: "SNS topic ARN"},
		{name: "dialog_remove_notification", keys: steps(openPayments, "5", "-"), wait: "Delete 1 notification"},
		{name: "dialog_delete_service", keys: steps("G", "D"), wait: "Type the service id"},
		{name: "dialog_delete_service_wrong_id", keys: steps("G", "D", "type:vpce-svc-0123", "enter"), wait: "exactly to confirm"},
		{name: "readonly_disabled", mode: model.ModeReadOnly, keys: steps("c", "a"), wait: "disabled"},
		{name: "dryrun_outcome", mode: model.ModeDryRun, keys: steps("c", "a", "y"), wait: "would succeed"},
		// without colour
		{name: "nocolor_inbox", noColor: true, keys: steps("c", "down", "down"), wait: "30/30 connections"},
		{name: "nocolor_dialog_accept", noColor: true, keys: steps("c", "a", "right"), wait: "Accept 1 connection?"},
		{name: "nocolor_detail_tabs", noColor: true, keys: steps(openPayments, "3"), wait: "privatelink-consumer"},
		// monitoring
		{name: "metrics_tab", keys: steps(openLedger, "6"), wait: "peak"},
		{name: "metrics_tab_by_az", keys: steps(openLedger, "6", "wait:peak", "b"), wait: "━━"},
		{name: "top_consumers", keys: steps(openPayments, "7"), wait: "consumers by bytes"},
		{name: "consumer_page", keys: steps(openPayments, "7", "wait:consumers by bytes", "enter"), wait: "Tags"},
		{name: "fleet_overview", start: StartOverview, wait: "Port allocation errors"},
	}
}

// rejectBehindTheConsole rejects the newest pending connection of payments-api with the SDK
// while the console has it marked: accepting it then fails alone.
func rejectBehindTheConsole(t *testing.T, e *simEnv) {
	t.Helper()
	ctx := context.Background()
	svcs, err := e.client.ListServices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range svcs {
		if s.Label() != "payments-api" {
			continue
		}
		conns, err := e.client.ListConnections(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		var newest *model.Connection
		for i, c := range conns {
			if c.State == model.StatePendingAcceptance && (newest == nil || c.Created.After(newest.Created)) {
				newest = &conns[i]
			}
		}
		if newest == nil {
			t.Fatal("payments-api has no pending connection")
		}
		if _, err := e.client.RejectConnections(ctx, s.ID, []string{newest.EndpointID}); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("payments-api not found")
}

// waitFor reads the program's output until everything it printed since the last wait
// contains s.
func waitFor(t *testing.T, tm *teatest.TestModel, s string) { waitForAny(t, tm, s) }

// waitForAny is waitFor for the first of several texts.
func waitForAny(t *testing.T, tm *teatest.TestModel, ss ...string) {
	t.Helper()
	var seen bytes.Buffer
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen.Write(b)
		for _, s := range ss {
			if strings.Contains(seen.String(), s) {
				return true
			}
		}
		return false
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

type idler interface{ idle(time.Duration) bool }

// waitIdle waits until the backend has been idle for a while: no call in flight and none
// finished lately, seen continuously for 50 ms (a command the last key started may not
// have reached the backend yet).
func waitIdle(t *testing.T, b idler) {
	t.Helper()
	const quiet = 50 * time.Millisecond
	deadline := time.Now().Add(10 * time.Second)
	var since time.Time
	for {
		now := time.Now()
		switch {
		case !b.idle(quiet):
			since = time.Time{}
		case since.IsZero():
			since = now
		case now.Sub(since) >= quiet:
			return
		}
		if now.After(deadline) {
			t.Fatal("backend never went idle")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestGolden renders every view and dialog of the console on the demo world (the simulated
// region through the real awsops client) at 120×40 and 80×24 with teatest.
func TestGolden(t *testing.T) {
	for _, sc := range goldenScreens() {
		eachGoldenSize(t, sc.name, sc.mode, sc.sizes, func(t *testing.T, e *simEnv, w, h int) {
			opts := e.options()
			if sc.start != "" {
				opts.StartPage = sc.start
			}
			opts.NoColor = sc.noColor
			tm := teatest.NewTestModel(t, New(e.backend, opts), teatest.WithInitialTermSize(w, h))
			runSteps(t, tm, e, sc)
			if err := tm.Quit(); err != nil {
				t.Fatal(err)
			}
			final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second))
			golden.RequireEqual(t, []byte(final.View()))
		})
	}
}

// eachGoldenSize runs fn as a parallel subtest name/WxH for each size (nil: 120×40 and
// 80×24), each on its own simulated region in mode (DEMO when empty).
func eachGoldenSize(t *testing.T, name string, mode model.Mode, sizes [][2]int, fn func(t *testing.T, e *simEnv, w, h int)) {
	if sizes == nil {
		sizes = [][2]int{{120, 40}, {80, 24}}
	}
	if mode == "" {
		mode = model.ModeDemo
	}
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%s/%dx%d", name, size[0], size[1]), func(t *testing.T) {
			t.Parallel()
			fn(t, newSimEnv(t, mode), size[0], size[1])
		})
	}
}

func runSteps(t *testing.T, tm *teatest.TestModel, e *simEnv, sc screen) {
	t.Helper()
	// the header's age of the data: every part's when it fits, the short form when narrow
	first := []string{"data 0s old", "inventory 0s"}
	if len(sc.keys) == 0 {
		first = []string{sc.wait}
	}
	waitForAny(t, tm, first...)
	waitIdle(t, e.backend)
	for _, k := range sc.keys {
		if text, ok := strings.CutPrefix(k, "wait:"); ok {
			waitFor(t, tm, text)
			waitIdle(t, e.backend)
			continue
		}
		if k == "hook" {
			sc.hook(t, e)
			continue
		}
		if text, ok := strings.CutPrefix(k, "type:"); ok {
			for _, r := range text {
				tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			}
			continue
		}
		tm.Send(keyMsg(k))
	}
	if len(sc.keys) > 0 {
		waitFor(t, tm, sc.wait)
	}
	waitIdle(t, e.backend)
}
