package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/plconsole/plconsole/internal/awsopstest"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui"
)

// states reads every connection's state in a region, by endpoint id.
func states(t *testing.T, r *simtest.Region) map[string]model.ConnectionState {
	t.Helper()
	c := awsopstest.Provider(t, r, model.ModeDemo)
	conns, err := c.ListConnections(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]model.ConnectionState{}
	for _, cn := range conns {
		st := cn.State
		if st == model.StatePending {
			st = model.StateAvailable // accepted: only the 5 s hand-over tells them apart
		}
		out[cn.EndpointID] = st
	}
	return out
}

// removePrincipalOf takes the first pending requester's principal off its service, so the
// policy has a request to reject; it returns that account.
func removePrincipalOf(t *testing.T, r *simtest.Region, label string) string {
	t.Helper()
	c := awsopstest.Provider(t, r, model.ModeDemo)
	svc, pending := pendingOf(t, r, label)
	conns, _ := c.ListConnections(context.Background(), svc)
	owner := ""
	for _, cn := range conns {
		if cn.EndpointID == pending[len(pending)-1] {
			owner = cn.OwnerAccount
		}
	}
	ps, err := c.ListPrincipals(context.Background(), svc)
	if err != nil {
		t.Fatal(err)
	}
	var arns []string
	for _, p := range ps {
		if model.AccountOfPrincipal(p.ARN) == owner {
			arns = append(arns, p.ARN)
		}
	}
	if err := c.RemovePrincipals(context.Background(), svc, arns); err != nil {
		t.Fatal(err)
	}
	return owner
}

// The same policy, applied by `plconsole approve --yes` to one region and from the
// console (A, then y) to an identical one, leaves every connection in the same state.
func TestConsoleAndHeadlessApplyThePolicyAlike(t *testing.T) {
	headless := startHeadlessRegion(t)
	console := simtest.Start(t, headlessWorld())
	removed := removePrincipalOf(t, headless, "payments-api")
	if other := removePrincipalOf(t, console, "payments-api"); other != removed {
		t.Fatal("the two regions differ")
	}
	dir := t.TempDir()
	_, pending := pendingOf(t, headless, "payments-api")
	gold := ""
	for _, cn := range func() []model.Connection {
		c := awsopstest.Provider(t, headless, model.ModeDemo)
		l, _ := c.ListConnections(context.Background(), "")
		return l
	}() {
		if cn.EndpointID == pending[0] && cn.OwnerAccount != removed {
			gold = cn.OwnerAccount
		}
	}
	accounts := filepath.Join(dir, "accounts.toml")
	policy := filepath.Join(dir, "policy.toml")
	os.WriteFile(accounts, []byte("[accounts."+gold+"]\nname = \"Gold Co\"\ntier = \"gold\"\n"), 0o600)
	os.WriteFile(policy, []byte(testPolicy), 0o600)

	// get connections says, for each pending request, what approve is about to do
	got, code, err := runCLI(t, headless, "get", "connections", "--state", "pendingAcceptance", "--policy", policy, "--accounts", accounts, "-o", "json")
	if err != nil || code != 0 {
		t.Fatalf("get connections: exit %d %v\n%s", code, err, got)
	}
	var records []connectionRecord
	if err := json.Unmarshal([]byte(got), &records); err != nil {
		t.Fatal(err)
	}
	suggested := map[string]string{}
	for _, r := range records {
		suggested[r.EndpointID] = r.Decision + " · " + r.Rule
	}

	before := states(t, headless)
	out, code, err := runCLI(t, headless, "approve", "--policy", policy, "--accounts", accounts, "--yes", "-o", "json")
	if err != nil || code != 0 {
		t.Fatalf("approve: exit %d %v\n%s", code, err, out)
	}
	var po planOutput
	if err := json.Unmarshal([]byte(out), &po); err != nil {
		t.Fatal(err)
	}
	if po.Counts["accept"] == 0 || po.Counts["reject"] == 0 || po.Counts["hold"] == 0 {
		t.Fatalf("the test needs every decision: %v", po.Counts)
	}
	if len(po.Items) != len(suggested) {
		t.Fatalf("get connections lists %d pending requests, approve decided %d", len(suggested), len(po.Items))
	}
	for _, it := range po.Items {
		if want := it.Decision + " · " + it.Rule; suggested[it.EndpointID] != want {
			t.Errorf("%s: get connections says %q, approve did %q", it.EndpointID, suggested[it.EndpointID], want)
		}
	}

	pol, err := loadPolicy(policy, true)
	if err != nil {
		t.Fatal(err)
	}
	cust, err := loadAccounts(accounts, true)
	if err != nil {
		t.Fatal(err)
	}
	client := awsopstest.Provider(t, console, model.ModeDemo)
	m := ui.New(client, ui.Options{Customers: cust, Policy: pol, DisableTicks: true, Now: console.Clock.Now,
		Renderer: lipgloss.NewRenderer(io.Discard), Clipboard: io.Discard})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(140, 40))
	wait := func(s string) {
		t.Helper()
		var seen bytes.Buffer
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			seen.Write(b)
			return strings.Contains(seen.String(), s)
		}, teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("c")})
	// the console's own count of the same decisions, once every principal is read
	wait(fmt.Sprintf("policy: %d accept, %d reject, %d hold", po.Counts["accept"], po.Counts["reject"], po.Counts["hold"]))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("A")})
	wait("Apply the approval policy")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")})
	wait(fmt.Sprintf("applied %d of %d", po.Counts["accept"]+po.Counts["reject"], po.Counts["accept"]+po.Counts["reject"]))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}

	h, c := states(t, headless), states(t, console)
	changed := 0
	for id, st := range h {
		if c[id] != st {
			t.Errorf("%s: %s after approve, %s after the console", id, st, c[id])
		}
		if before[id] != st {
			changed++
		}
	}
	if changed != po.Counts["accept"]+po.Counts["reject"] {
		t.Fatalf("%d connections changed, the plan decided %d", changed, po.Counts["accept"]+po.Counts["reject"])
	}
}
