package ui

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/pages/audit"
)

// namedSim is a console on the demo world with the demo accounts file and policy; saved
// names are kept in saved.
type namedSim struct {
	*simEnv
	m     *Root
	mu    sync.Mutex
	saved []model.Customer
}

func newNamedSim(t *testing.T, mode model.Mode, w, h int) *namedSim {
	t.Helper()
	e := newSimEnv(t, mode)
	n := &namedSim{simEnv: e}
	n.m = newTestRoot(t, e.backend, w, h, func(o *Options) {
		o.Now = e.clock.Now
		withNames(e)(o)
		o.SaveCustomer = func(c model.Customer) error {
			n.mu.Lock()
			defer n.mu.Unlock()
			n.saved = append(n.saved, c)
			return nil
		}
	})
	return n
}

// Every view that shows an account shows its customer name: the inbox, the principals tab,
// the accept and reject dialogs, a connection's description, the apply-policy dialog, the
// audit and its reject dialog; and / finds a connection by its customer's name and tier.
func TestNamesInEveryViewThatShowsAnAccount(t *testing.T) {
	n := newNamedSim(t, model.ModeDemo, 160, 50)
	m := n.m
	const name, acct = "Initech Prod", "798685781406"
	press(t, m, "c")
	mustContain(t, m.View(), "CUSTOMER", name)
	press(t, m, "a") // the first row is Initech's pending request
	mustContain(t, m.View(), "Accept 1 connection?", name+" ("+acct+")")
	press(t, m, "esc", "x")
	mustContain(t, m.View(), "Reject 1 connection?", name+" ("+acct+")")
	press(t, m, "esc", "i")
	mustContain(t, m.View(), "Customer       "+name+"  (tier internal)", "Policy         accept: rule \"internal\" (policy.toml:1)")
	press(t, m, "esc", "A")
	mustContain(t, m.View(), "Apply the approval policy", "Initech Prod")
	press(t, m, "esc", "/")
	typeText(t, m, "umbrella")
	press(t, m, "enter")
	for _, r := range inboxOf(m).Table().Rows() {
		if r.Cells[1] != "890290039005" {
			t.Fatalf("/umbrella kept %v", r.Cells)
		}
	}
	press(t, m, "esc", "/")
	typeText(t, m, "gold")
	press(t, m, "enter")
	if len(inboxOf(m).Table().Rows()) == 0 {
		t.Fatal("/gold finds no connection of a gold customer")
	}
	press(t, m, "esc", "esc", "esc")
	press(t, m, "enter", "3") // payments-api's principals
	mustContain(t, m.View(), "CUSTOMER", name, "Hooli Prod")
	press(t, m, "G", "-")
	mustContain(t, m.View(), "Remove 1 principal", "privatelink-consumer  ("+name+")")
	press(t, m, "y")
	press(t, m, ":")
	typeText(t, m, "audit")
	press(t, m, "enter")
	mustContain(t, m.View(), "Access audit", name, "3 connections from an account no longer allowed")
	press(t, m, "X")
	mustContain(t, m.View(), "of removed principals?", name+" ("+acct+")")
}

// A removed principal's connections are found by the audit and on the principals tab, and
// X rejects them through the confirmation; nothing else is touched.
func TestRemovedPrincipalConnectionsAreFoundAndRejected(t *testing.T) {
	n := newNamedSim(t, model.ModeDemo, 160, 50)
	m := n.m
	press(t, m, "enter", "3", "G", "-", "y") // remove payments-api's role principal
	if st := detailOf(m).Status(); !strings.Contains(st, "3 connections from accounts no longer allowed (X rejects)") {
		t.Fatalf("principals status %q", st)
	}
	press(t, m, ":")
	typeText(t, m, "audit")
	press(t, m, "enter")
	a := m.top().(*audit.Page)
	var target []string
	for _, f := range a.Findings() {
		if f.Code == model.CodeConnectionNotAllowed {
			target = f.EndpointIDs()
		}
	}
	if len(target) != 3 {
		t.Fatalf("findings %v", a.Findings())
	}
	press(t, m, "X", "y")
	mustContain(t, m.View(), "rejected 3 of 3")
	conns, err := n.client.ListConnections(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	rejected := 0
	for _, c := range conns {
		for _, id := range target {
			if c.EndpointID == id {
				if c.State != model.StateRejected {
					t.Errorf("%s is %s", id, c.State)
				}
				rejected++
			}
		}
	}
	if rejected != 3 {
		t.Fatalf("%d of the 3 connections found", rejected)
	}
	press(t, m, "esc") // the results
	mustContain(t, m.View(), "Access audit")
	mustNotContain(t, m.View(), "no longer allowed")
}

// :name ACCOUNT NAME saves the name and shows it at once; bad input is refused with the
// reason; N on a connection asks for its owner's name.
func TestNameCommand(t *testing.T) {
	n := newNamedSim(t, model.ModeDemo, 160, 50)
	m := n.m
	press(t, m, "c", ":")
	typeText(t, m, "name 798685781406 Initech Corporation")
	press(t, m, "enter")
	mustContain(t, m.View(), "named 798685781406 Initech Corporation", "Initech Corporation")
	if len(n.saved) != 1 || n.saved[0].Name != "Initech Corporation" || n.saved[0].Tier != "internal" {
		t.Fatalf("saved %+v", n.saved)
	}
	press(t, m, ":")
	typeText(t, m, "name 12345 Acme")
	press(t, m, "enter")
	mustContain(t, m.View(), "must be exactly 12 digits")
	press(t, m, "N") // the first row's owner
	mustContain(t, m.View(), "Customer name of 798685781406", "Initech Corporation")
	press(t, m, "ctrl+u", "enter")
	mustContain(t, m.View(), "customer name is empty")
	typeText(t, m, "Initech")
	press(t, m, "enter")
	mustContain(t, m.View(), "named 798685781406 Initech")
	if len(n.saved) != 2 {
		t.Fatalf("saved %+v", n.saved)
	}
}

// T tags the marked connections (CreateTags on their vpce-con ids, -key removes), P sets
// their payer; both confirmed, both visible after the refresh.
func TestTagAndPayerFlows(t *testing.T) {
	n := newNamedSim(t, model.ModeDemo, 200, 50)
	m := n.m
	press(t, m, "c", "/")
	typeText(t, m, "available")
	press(t, m, "enter", "space", "space", "T")
	mustContain(t, m.View(), "Tag 2 connections")
	typeText(t, m, "aws:x=1")
	press(t, m, "enter")
	mustContain(t, m.View(), "which is reserved for")
	press(t, m, "ctrl+u")
	typeText(t, m, "ticket=OPS-9, -Name")
	press(t, m, "enter")
	mustContain(t, m.View(), "Tag 2 connections?", "Set:    ticket=OPS-9", "Remove: Name")
	press(t, m, "y")
	mustContain(t, m.View(), "tagged 2 connections", "ticket=OPS-9")
	press(t, m, "space", "P")
	mustContain(t, m.View(), "Who pays for 1 connection?")
	press(t, m, "ctrl+u")
	typeText(t, m, "nobody")
	press(t, m, "enter")
	mustContain(t, m.View(), "is not consumer")
	press(t, m, "ctrl+u")
	typeText(t, m, "consumer")
	press(t, m, "enter")
	mustContain(t, m.View(), "Make the consumer pay for 1 connection?", "provider (service) → consumer")
	press(t, m, "y")
	mustContain(t, m.View(), "set the payer of 1 of 1")
	conns, _ := n.client.ListConnections(context.Background(), "")
	tagged, paid := 0, 0
	for _, c := range conns {
		if c.Tags["ticket"] == "OPS-9" {
			tagged++
			if _, ok := c.Tags["Name"]; ok {
				t.Errorf("%s kept its Name tag", c.EndpointID)
			}
		}
		if c.Payer == model.PayerEndpointAccount {
			paid++
		}
	}
	if tagged != 2 || paid != 1 {
		t.Fatalf("%d tagged, %d with a payer", tagged, paid)
	}
}

// In read-only mode the policy's writes are refused before any dialog; in dry-run mode the
// confirmation says so and AWS only checks the first request.
func TestApplyPolicyGuards(t *testing.T) {
	ro := newNamedSim(t, model.ModeReadOnly, 160, 50)
	press(t, ro.m, "c", "A")
	mustContain(t, ro.m.View(), "apply policy is disabled: read-only")
	if dialogOf(ro.m) != nil {
		t.Fatal("read-only opened a dialog")
	}
	dry := newNamedSim(t, model.ModeDryRun, 160, 50)
	press(t, dry.m, "c", "A")
	mustContain(t, dry.m.View(), "DRY-RUN: AWS only checks the request")
	press(t, dry.m, "y")
	mustContain(t, dry.m.View(), "would succeed")
	conns, _ := dry.client.ListConnections(context.Background(), "")
	for _, c := range conns {
		if c.State == model.StatePending {
			t.Fatalf("a dry run accepted %s", c.EndpointID)
		}
	}
}

// e on the audit exports what the view shows, as CSV or JSON by the file's extension.
func TestExportFindings(t *testing.T) {
	n := newNamedSim(t, model.ModeDemo, 160, 50)
	m := n.m
	press(t, m, ":")
	typeText(t, m, "audit")
	press(t, m, "enter", "e")
	mustContain(t, m.View(), "Export", "File (.csv or .json)")
	path := filepath.Join(t.TempDir(), "findings.json")
	press(t, m, "ctrl+u")
	typeText(t, m, filepath.Join(t.TempDir(), "x.txt"))
	press(t, m, "enter")
	mustContain(t, m.View(), "the file name must end in")
	press(t, m, "ctrl+u")
	typeText(t, m, path)
	press(t, m, "enter")
	mustContain(t, m.View(), "exported")
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), `"code": "SERVICE_PUBLIC"`) {
		t.Fatalf("%v\n%s", err, data)
	}
}

// The monitoring views name customers too: the top consumers, a consumer's page, the
// consumers a zone's trouble reaches, and a consumer whose traffic stopped.
func TestNamesInTheMonitoringViews(t *testing.T) {
	n := newNamedSim(t, model.ModeDemo, 200, 60)
	m := n.m
	open := func(name string) {
		t.Helper()
		press(t, m, ":")
		typeText(t, m, "service "+name)
		press(t, m, "enter")
	}
	open("payments-api")
	press(t, m, "7")
	v := plain(m.View())
	mustContain(t, v, "CUSTOMER")
	rows := detailOf(m).Status()
	var owner string
	for _, l := range strings.Split(v, "\n") {
		if f := strings.Fields(l); len(f) > 3 && f[0] == "1" && strings.HasPrefix(f[1], "vpce-") {
			owner = f[2]
		}
	}
	name := m.ctx.Customer(owner)
	if owner == "" || name == "" {
		t.Fatalf("no top consumer with a named owner (%s):\n%s", rows, v)
	}
	mustContain(t, v, owner+" "+name)
	press(t, m, "enter")
	mustContain(t, m.View(), "Owner account", owner+"  "+name, "tier ")
	press(t, m, "esc", "esc")
	open("ledger-ingest")
	v = plain(m.View())
	if !regexp.MustCompile(`Consumers to call first[\s\S]*vpce-[0-9a-f]+  [A-Z][a-z]+ [A-Z][a-z]+ \(\d{12}\)`).MatchString(v) {
		t.Fatalf("the blast radius names no customer:\n%s", v)
	}
	open("payments-api")
	v = plain(m.View())
	if !regexp.MustCompile(`Traffic from vpce-[0-9a-f]+ stopped \([A-Z][a-z]+ [A-Z][a-z]+\)`).MatchString(v) {
		t.Fatalf("the silent consumer's finding names no customer:\n%s", v)
	}
}
