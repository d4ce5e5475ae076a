package ui

import (
	"bytes"
	"encoding/base64"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/dialog"
	"github.com/plconsole/plconsole/ui/pages/apilog"
	"github.com/plconsole/plconsole/ui/pages/detail"
	"github.com/plconsole/plconsole/ui/pages/inbox"
	"github.com/plconsole/plconsole/ui/pages/safedelete"
	"github.com/plconsole/plconsole/ui/pages/services"
	"github.com/plconsole/plconsole/ui/store"
)

const (
	pendingPayments = "vpce-0000000000000010d" // payments-api, pendingAcceptance, oldest pending of it
	availablePay    = "vpce-00000000000000109"
)

func TestNavigationKeys(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	if topID(m) != services.ID {
		t.Fatal("starts on services")
	}
	// services are sorted by pending count: search (4) first
	if s, _ := servicesOf(m).Current(); s.Label() != "search" {
		t.Fatalf("first service %q, want search (most pending)", s.Label())
	}
	press(t, m, "down")
	if s, _ := servicesOf(m).Current(); s.Label() != "payments-api" {
		t.Fatalf("after down: %q", s.Label())
	}
	press(t, m, "up", "j", "enter")
	if topID(m) != detail.ID || detailOf(m).ServiceID() != svcID(0xa1) {
		t.Fatalf("enter opens the detail, got view %d %s", m.top(), detailOf(m).ServiceID())
	}
	mustContain(t, m.View(), "Services › payments-api › Overview", "TXT record to publish", "_a1b2c3d4e5.api.payments.example.com", "vpce:Zx81kQ2pLm")
	press(t, m, "tab")
	if detailOf(m).Tab() != detail.TabConnections {
		t.Fatal("tab moves to Connections")
	}
	press(t, m, "shift+tab", "4")
	if detailOf(m).Tab() != detail.TabLoadBalancers {
		t.Fatal("4 jumps to Load balancers")
	}
	mustContain(t, m.View(), "i-0bb22", "unhealthy", "Target.Timeout", "us-east-1b (use1-az2) 0/1 healthy")
	press(t, m, "esc")
	if topID(m) != services.ID {
		t.Fatal("esc goes back")
	}
	press(t, m, "c")
	if topID(m) != inbox.ID {
		t.Fatal("c opens the inbox")
	}
	press(t, m, "@")
	if topID(m) != apilog.ID {
		t.Fatal("@ opens the API log")
	}
	mustContain(t, m.View(), "DescribeLoadBalancers", "Throttling", "req-0003")
	press(t, m, "ctrl+s")
	if topID(m) != services.ID || len(m.stack) != 1 {
		t.Fatal("ctrl+s returns to services")
	}
	press(t, m, "?")
	if !helpOpen(m) {
		t.Fatal("? shows help")
	}
	mustContain(t, m.View(), "mark filtered", "accept", "verify DNS")
	press(t, m, "?")
	if helpOpen(m) {
		t.Fatal("? again hides help")
	}
	for _, k := range []string{"pgdown", "pgup", "G", "g", "end", "home"} {
		press(t, m, k)
	}
	if !press(t, m, "q") {
		t.Fatal("q quits")
	}
	if !press(t, m, "ctrl+c") {
		t.Fatal("ctrl+c quits")
	}
}

func TestInboxPendingFirstAndSort(t *testing.T) {
	m := newTestRoot(t, newTestBackend(t), 120, 40)
	press(t, m, "c")
	rows := inboxOf(m).Table().Rows()
	seenOther := false
	for _, r := range rows {
		st := r.Cells[inbox.ColState]
		if st != string(model.StatePendingAcceptance) {
			seenOther = true
		} else if seenOther {
			t.Fatal("pendingAcceptance rows must come first")
		}
	}
	press(t, m, "s") // endpoint
	if got := inboxOf(m).Table().Rows()[0].Cells[inbox.ColEndpoint]; got != "vpce-00000000000000100" {
		t.Fatalf("sorted by endpoint: first %s", got)
	}
	mustContain(t, m.View(), "sorted by endpoint", "ENDPOINT▲")
	press(t, m, "S")
	if got := inboxOf(m).Table().Rows()[0].Cells[inbox.ColEndpoint]; got != "vpce-00000000000000111" {
		t.Fatalf("reversed: first %s", got)
	}
	for i := 0; i < 6; i++ { // endpoint → owner → customer → service → age → region → state
		press(t, m, "s")
	}
	mustContain(t, m.View(), "sorted by state", "STATE▲")
	// services sort too
	press(t, m, "esc", "s")
	if got := servicesOf(m).Table().Rows()[0].Cells[0]; got != "payments-api" {
		t.Fatalf("services sorted by name: %q", got)
	}
	if s, _ := servicesOf(m).Current(); s.Label() != "search" {
		t.Fatal("the cursor stays on the same service when the order changes")
	}
	press(t, m, "S")
	if got := servicesOf(m).Table().Rows()[0].Cells[0]; got != "vpce-svc-000000000000000c3" {
		t.Fatalf("reversed name order: %q", got)
	}
}

func TestFilterAndInvert(t *testing.T) {
	m := newTestRoot(t, newTestBackend(t), 120, 40)
	press(t, m, "c", "/")
	typeText(t, m, "search")
	if !filterOpen(m) || inboxOf(m).Table().Len() != 6 {
		t.Fatalf("live filter: %d rows", inboxOf(m).Table().Len())
	}
	press(t, m, "enter")
	if filterOpen(m) || inboxOf(m).Filter() != "search" {
		t.Fatal("enter keeps the filter")
	}
	mustContain(t, m.View(), "filter: search", "6/18 connections")
	press(t, m, "/", "ctrl+u")
	typeText(t, m, "!search")
	press(t, m, "enter")
	if inboxOf(m).Table().Len() != 12 {
		t.Fatalf("inverted filter: %d rows", inboxOf(m).Table().Len())
	}
	press(t, m, "/")
	typeText(t, m, "xyz")
	press(t, m, "esc")
	if inboxOf(m).Filter() != "!search" {
		t.Fatal("esc while typing restores the previous filter")
	}
	press(t, m, "esc")
	if inboxOf(m).Filter() != "" || topID(m) != inbox.ID {
		t.Fatal("esc clears the filter before going back")
	}
	// services filter
	press(t, m, "esc", "/")
	typeText(t, m, "pay")
	press(t, m, "enter")
	if servicesOf(m).Table().Len() != 1 {
		t.Fatal("services filter")
	}
}

func TestAcceptCurrentConfirmDefaultsToNo(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "c")
	inboxOf(m).Table().SelectID(svcID(0xa1) + "/" + pendingPayments)
	press(t, m, "a")
	if dialogOf(m) == nil || dialogOf(m).Kind() != dialog.Confirm {
		t.Fatal("a opens a confirmation")
	}
	mustContain(t, m.View(), "Accept 1 connection?", "777788889999", "payments-api", "No", "Accept")
	press(t, m, "enter") // default No
	if dialogOf(m) != nil || len(b.writeLog()) != 0 {
		t.Fatal("enter on the default choice cancels")
	}
	mustContain(t, m.View(), "cancelled")
	press(t, m, "a", "n")
	if dialogOf(m) != nil || len(b.writeLog()) != 0 {
		t.Fatal("n cancels")
	}
	press(t, m, "a", "esc")
	if len(b.writeLog()) != 0 {
		t.Fatal("esc cancels")
	}
	press(t, m, "a", "right", "enter")
	if b.connState(pendingPayments) != model.StateAvailable {
		t.Fatal("right then enter accepts")
	}
	mustContain(t, m.View(), "accepted 1 of 1")
	// the refresh after the action shows the new state, cursor on the same connection
	if r := inboxOf(m).Table().Current(); r == nil || r.Cells[inbox.ColEndpoint] != pendingPayments || r.Cells[inbox.ColState] != "available" {
		t.Fatalf("cursor should stay on the accepted connection: %+v", r)
	}
}

func TestRejectCurrent(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "c")
	inboxOf(m).Table().SelectID(svcID(0xa1) + "/" + availablePay)
	press(t, m, "x")
	mustContain(t, m.View(), "Reject 1 connection?", "new endpoint",
		"LIVE: 1 connection carrying traffic now", "Type cut 1 to confirm")
	press(t, m, "y", "enter")
	if b.connState(availablePay) == model.StateRejected {
		t.Fatal("cutting a live connection needs the words typed, not y")
	}
	press(t, m, "backspace")
	typeText(t, m, "cut 1")
	press(t, m, "enter")
	if b.connState(availablePay) != model.StateRejected {
		t.Fatal("typing cut 1 rejects")
	}
	// a pending request is not live: y is enough
	inboxOf(m).Table().SelectID(svcID(0xa1) + "/" + pendingPayments)
	press(t, m, "x")
	mustNotContain(t, m.View(), "LIVE")
	press(t, m, "y")
	if b.connState(pendingPayments) != model.StateRejected {
		t.Fatal("y rejects a pending request")
	}
}

// An accept or reject of more connections, or services, than the threshold needs its count
// typed.
func TestBigBulkNeedsItsCountTyped(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40, func(o *Options) { o.BulkConfirmConnections = 5 })
	press(t, m, "c", "/")
	typeText(t, m, "pendingAcceptance")
	press(t, m, "enter", "ctrl+a", "a")
	mustContain(t, m.View(), "BULK: 7 connections at once (more than 5)", "Type 7 (the number of connections) to confirm")
	press(t, m, "y", "enter")
	if dialogOf(m) == nil {
		t.Fatal("y does not confirm a big bulk action")
	}
	press(t, m, "backspace")
	typeText(t, m, "7")
	press(t, m, "enter")
	mustContain(t, m.View(), "accepted 7 of 7")
}

func TestAcceptNotPendingIsRefused(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "c")
	inboxOf(m).Table().SelectID(svcID(0xa1) + "/" + availablePay)
	press(t, m, "a")
	if dialogOf(m) != nil {
		t.Fatal("no dialog for a connection that cannot be accepted")
	}
	mustContain(t, m.View(), "cannot accept "+availablePay+": it is available")
}

func TestBulkAcceptMarkedAndFilteredWithFailure(t *testing.T) {
	b := newTestBackend(t)
	b.failIDs["vpce-00000000000000108"] = "InvalidVpcEndpointId.NotFound"
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "c", "space", "space")
	if inboxOf(m).Table().MarkedCount() != 2 {
		t.Fatal("space marks and moves down")
	}
	press(t, m, "space") // marks a third... then unmark via ctrl+a twice
	press(t, m, "/")
	typeText(t, m, "pendingAcceptance")
	press(t, m, "enter", "ctrl+a")
	if inboxOf(m).Table().MarkedCount() != 7 {
		t.Fatalf("ctrl+a marks every filtered row: %d", inboxOf(m).Table().MarkedCount())
	}
	mustContain(t, m.View(), "7 marked")
	press(t, m, "a")
	mustContain(t, m.View(), "Accept 7 connections?", "Accounts (3)", "Services (3)")
	press(t, m, "y")
	if dialogOf(m) == nil || dialogOf(m).Kind() != dialog.Info {
		t.Fatal("per-item results are shown")
	}
	mustContain(t, m.View(), "accepted 6 of 7; 1 failed", "✗ vpce-00000000000000108", "InvalidVpcEndpointId.NotFound", "✓ vpce-")
	press(t, m, "enter")
	if dialogOf(m) != nil || inboxOf(m).Table().MarkedCount() != 0 {
		t.Fatal("results close; marks are cleared")
	}
	if b.connState("vpce-00000000000000110") != model.StateAvailable {
		t.Fatal("marked connections accepted")
	}
	press(t, m, "ctrl+a", "ctrl+a")
	if inboxOf(m).Table().MarkedCount() != 0 {
		t.Fatal("ctrl+a twice unmarks")
	}
}

func TestPrincipalsAddRemoveAndWildcard(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "down", "enter", "3", "+")
	if dialogOf(m) == nil || dialogOf(m).Kind() != dialog.Form {
		t.Fatal("+ opens the add-principal form")
	}
	typeText(t, m, "arn:aws:iam::123:root")
	press(t, m, "enter")
	if dialogOf(m) == nil || dialogOf(m).Err() == "" {
		t.Fatal("an invalid principal is refused in the form")
	}
	press(t, m, "ctrl+u")
	typeText(t, m, "210987654321")
	press(t, m, "enter")
	mustContain(t, m.View(), "Allow 1 principal on payments-api?", "arn:aws:iam::210987654321:root")
	press(t, m, "y")
	if len(b.svc(svcID(0xa1)).AllowedPrincipals) != 3 {
		t.Fatal("principal added")
	}
	mustContain(t, m.View(), "allowed 1 principal", "arn:aws:iam::210987654321:root")
	// wildcard needs the word
	press(t, m, "+")
	typeText(t, m, "*")
	press(t, m, "enter")
	if dialogOf(m) == nil || dialogOf(m).Kind() != dialog.Typed {
		t.Fatal("* asks for the word everyone")
	}
	mustContain(t, m.View(), "EVERY AWS account", "Type everyone to confirm")
	typeText(t, m, "yes")
	press(t, m, "enter")
	if dialogOf(m) == nil || !strings.Contains(dialogOf(m).Err(), "everyone") {
		t.Fatal("a wrong word does not confirm")
	}
	press(t, m, "ctrl+u")
	typeText(t, m, "everyone")
	press(t, m, "enter")
	if got := b.svc(svcID(0xa1)).AllowedPrincipals; got[len(got)-1].ARN != "*" {
		t.Fatal("* added after typing everyone")
	}
	// remove the current principal
	press(t, m, "g", "-")
	mustContain(t, m.View(), "Remove 1 principal from payments-api?", "arn:aws:iam::444455556666:root", "Existing connections stay up")
	press(t, m, "y")
	for _, p := range b.svc(svcID(0xa1)).AllowedPrincipals {
		if p.ARN == "arn:aws:iam::444455556666:root" {
			t.Fatal("principal not removed")
		}
	}
}

func TestDNSVerificationAndCopy(t *testing.T) {
	b := newTestBackend(t)
	clip := &bytes.Buffer{}
	m := newTestRoot(t, b, 120, 40, func(o *Options) { o.Clipboard = clip })
	press(t, m, "down", "enter", "v")
	mustContain(t, m.View(), "Start private DNS verification", "_a1b2c3d4e5.api.payments.example.com", "vpce:Zx81kQ2pLm")
	press(t, m, "y")
	if w := b.writeLog(); len(w) != 1 || w[0] != "StartVpcEndpointServicePrivateDnsVerification" {
		t.Fatalf("writes %v", w)
	}
	mustContain(t, m.View(), "verification of api.payments.example.com started")
	press(t, m, "t")
	if dialogOf(m) == nil || dialogOf(m).Kind() != dialog.Info {
		t.Fatal("t shows the TXT record")
	}
	press(t, m, "y")
	if !strings.Contains(clip.String(), "\x1b]52;c;") {
		t.Fatalf("OSC 52 sequence expected, got %q", clip.String())
	}
	mustContain(t, m.View(), "copied the TXT value to the clipboard")
	press(t, m, "c", "esc") // c copies too; esc closes
	if dialogOf(m) != nil {
		t.Fatal("esc closes the info dialog")
	}
	// a verified service needs no verification
	press(t, m, "esc", "g", "enter", "v")
	mustContain(t, m.View(), "search.example.com is already verified")
}

func TestPayerResponsibility(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "enter", "p") // search: already ServiceOwner
	if dialogOf(m) != nil {
		t.Fatal("no dialog when already ServiceOwner")
	}
	press(t, m, "esc", "down", "enter", "p")
	mustContain(t, m.View(), "CANNOT BE UNDONE", "Type ServiceOwner to confirm")
	press(t, m, "y", "enter")
	if len(b.writeLog()) != 0 || dialogOf(m) == nil {
		t.Fatal("an irreversible change needs the word typed, not y")
	}
	mustContain(t, m.View(), "type ServiceOwner exactly to confirm")
	press(t, m, "backspace")
	typeText(t, m, "ServiceOwner")
	press(t, m, "enter")
	if b.svc(svcID(0xa1)).PayerResponsibility != model.PayerServiceOwner {
		t.Fatal("payer set")
	}
}

// Removing every allowed principal leaves a service nobody can connect to: it needs the
// service id typed.
func TestRemovingTheLastPrincipalNeedsTheServiceID(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "down", "enter", "3", "ctrl+a", "-")
	if d := dialogOf(m); d != nil && d.Kind() == dialog.Typed {
		t.Fatal("removing one of two principals is an ordinary confirmation")
	}
	press(t, m, "esc", "space", "space", "-")
	d := dialogOf(m)
	if d == nil || d.Kind() != dialog.Typed {
		t.Fatal("removing every principal asks for the service id")
	}
	mustContain(t, m.View(), "ALL the allowed principals", "Type the service id ("+svcID(0xa1)+")")
	typeText(t, m, svcID(0xa1))
	press(t, m, "enter")
	if n := len(b.svc(svcID(0xa1)).AllowedPrincipals); n != 0 {
		t.Fatalf("%d principals left", n)
	}
}

func TestNotificationsAddRemove(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "down", "enter", "5", "+")
	typeText(t, m, "arn:aws:sqs:us-east-1:111122223333:q")
	press(t, m, "enter")
	if dialogOf(m) == nil || dialogOf(m).Err() == "" {
		t.Fatal("an SQS ARN is refused")
	}
	press(t, m, "ctrl+u")
	typeText(t, m, "arn:aws:sns:us-east-1:111122223333:new-topic")
	press(t, m, "tab", "ctrl+u")
	typeText(t, m, "Connect, bogus")
	press(t, m, "enter")
	if dialogOf(m) == nil || !strings.Contains(dialogOf(m).Err(), "bogus") {
		t.Fatal("unknown events refused")
	}
	press(t, m, "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
	press(t, m, "enter")
	mustContain(t, m.View(), "Add a notification to payments-api?", "new-topic", "Connect")
	press(t, m, "y")
	if n := b.svc(svcID(0xa1)).Notifications; len(n) != 2 || n[1].Events[0] != model.EventConnect {
		t.Fatalf("notification added: %+v", n)
	}
	press(t, m, "g", "-")
	mustContain(t, m.View(), "Delete 1 notification of payments-api?")
	press(t, m, "y")
	if n := b.svc(svcID(0xa1)).Notifications; len(n) != 1 {
		t.Fatalf("notification removed: %+v", n)
	}
}

func TestDeleteServiceNeedsItsID(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "G", "D")
	mustContain(t, m.View(), "Delete endpoint service", "Type the service id", "AWS refuses to delete a service with",
		"1. reject them, 2. delete the service, 3. confirm it is gone")
	typeText(t, m, "vpce-svc-wrong")
	press(t, m, "enter")
	if dialogOf(m) == nil || len(b.writeLog()) != 0 {
		t.Fatal("a wrong id does not delete")
	}
	press(t, m, "ctrl+u")
	typeText(t, m, svcID(0xc3))
	press(t, m, "enter")
	// it has connections: the right id opens the safe delete, which asks before each step
	// (the simulated-region tests carry it through)
	if topID(m) != safedelete.ID || len(b.writeLog()) != 0 || len(b.services) != 3 {
		t.Fatalf("on %s with %d writes", topID(m), len(b.writeLog()))
	}
	press(t, m, "esc")
	if topID(m) != services.ID {
		t.Fatalf("esc leaves the safe delete: on %s", topID(m))
	}
	// a service no connection blocks is deleted at once
	b.mu.Lock()
	b.conns = slices.DeleteFunc(b.conns, func(c model.Connection) bool { return c.ServiceID == svcID(0xc3) })
	b.mu.Unlock()
	press(t, m, "r", "G", "D")
	typeText(t, m, svcID(0xc3))
	press(t, m, "enter")
	if len(b.services) != 2 {
		t.Fatal("service deleted")
	}
	if topID(m) != services.ID || servicesOf(m).Table().Len() != 2 {
		t.Fatal("back on services, refreshed")
	}
	// from the detail view too
	press(t, m, "enter", "D")
	if dialogOf(m) == nil || !strings.Contains(dialogOf(m).Title(), detailOf(m).Service().Label()) {
		t.Fatal("D in the detail asks for that service's id")
	}
}

func TestReadOnlyDisablesActions(t *testing.T) {
	b := newFakeBackend(model.ModeReadOnly)
	m := newTestRoot(t, b, 120, 40)
	mustContain(t, m.View(), "READ-ONLY")
	press(t, m, "c")
	mustContain(t, m.View(), "a accept (read-only)")
	press(t, m, "a")
	if dialogOf(m) != nil {
		t.Fatal("no dialog in read-only mode")
	}
	mustContain(t, m.View(), "accept is disabled: read-only (--read-only)")
	press(t, m, "esc", "down", "enter")
	for _, k := range []string{"v", "p", "D"} {
		press(t, m, k)
		if dialogOf(m) != nil {
			t.Fatalf("%s opened a dialog in read-only mode", k)
		}
	}
	press(t, m, "3", "+")
	if dialogOf(m) != nil {
		t.Fatal("+ in read-only")
	}
	press(t, m, "?")
	mustContain(t, m.View(), "(read-only)")
	if len(b.writeLog()) != 0 {
		t.Fatal("nothing written")
	}
}

func TestDryRunShowsWhatAWSAnswered(t *testing.T) {
	b := newFakeBackend(model.ModeDryRun)
	m := newTestRoot(t, b, 120, 40)
	mustContain(t, m.View(), "DRY-RUN")
	press(t, m, "c", "a")
	mustContain(t, m.View(), "DRY-RUN: AWS only checks the request")
	press(t, m, "y")
	mustContain(t, m.View(), "dry run: AcceptVpcEndpointConnections would succeed (request req-dry)")
}

// r while a refresh runs starts no second refresh; when the running one ends, one more runs
// (so the screen shows data read after the key press), however many times r was pressed.
func TestRefreshDuringARefreshIsJoined(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	b.readCounts()
	_, first := m.Update(keyMsg("r"))
	if !m.ctx.Store.Refreshing() {
		t.Fatal("refresh in flight")
	}
	mustContain(t, m.View(), "⟳")
	var later []tea.Cmd
	for i := 0; i < 9; i++ {
		_, c := m.Update(keyMsg("r"))
		later = append(later, c)
	}
	drive(t, m, first)
	for _, c := range later {
		drive(t, m, c)
	}
	if got := b.readCounts()["Refresh"]; got != 2 {
		t.Fatalf("ten r presses during a refresh cost %d refreshes, want 2", got)
	}
	if m.ctx.Store.Refreshing() {
		t.Fatal("refresh finished")
	}
	mustNotContain(t, m.View(), "⟳")
}

func TestCursorStaysAndNewArrivalsHighlighted(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "c")
	target := svcID(0xa1) + "/" + availablePay
	inboxOf(m).Table().SelectID(target)
	b.mu.Lock()
	b.conns = append(b.conns, model.Connection{ServiceID: svcID(0xa1), EndpointID: "vpce-00000000000000999",
		OwnerAccount: "555555555555", State: model.StatePendingAcceptance, Created: testNow.Add(-time.Minute),
		Region: "us-east-1", IPAddressType: "ipv4"})
	b.mu.Unlock()
	press(t, m, "r")
	if r := inboxOf(m).Table().Current(); r == nil || r.ID != target {
		t.Fatalf("cursor moved to %v", r)
	}
	first := inboxOf(m).Table().Rows()[0]
	if first.Cells[inbox.ColEndpoint] != "vpce-00000000000000999" || !first.New {
		t.Fatal("the new arrival (newest pending) sorts first and is highlighted")
	}
	mustContain(t, m.View(), " +vpce-00000000000000999", "│ 1 new │")
	press(t, m, "r")
	if !inboxOf(m).Table().Rows()[0].New {
		t.Fatal("a new arrival stays new across refreshes until it is seen")
	}
	mustContain(t, m.View(), "1 new")
	press(t, m, "g") // the cursor visits it
	if inboxOf(m).Table().Rows()[0].New || m.ctx.Store.NewConnections() != 0 {
		t.Fatal("seen once the cursor is on it")
	}
	mustNotContain(t, m.View(), "1 new", " +vpce-00000000000000999")
	press(t, m, "r")
	if inboxOf(m).Table().Rows()[0].New {
		t.Fatal("seen stays seen")
	}
}

// bell = true rings the terminal's bell once per arrival while the console is open, never
// for what was there at start, and not at all by default.
func TestBellOnArrival(t *testing.T) {
	for _, on := range []bool{true, false} {
		b := newTestBackend(t)
		var out strings.Builder
		m := newTestRoot(t, b, 120, 40, func(o *Options) { o.Bell, o.Clipboard = on, &out })
		press(t, m, "r")
		if out.Len() != 0 {
			t.Fatalf("bell=%v: %q written for the connections there at start", on, out.String())
		}
		b.mu.Lock()
		b.conns = append(b.conns, model.Connection{ServiceID: svcID(0xa1), EndpointID: "vpce-00000000000000999",
			OwnerAccount: "555555555555", State: model.StatePendingAcceptance, Created: testNow.Add(-time.Minute)})
		b.mu.Unlock()
		press(t, m, "r")
		press(t, m, "r")
		want := ""
		if on {
			want = "\a"
		}
		if out.String() != want {
			t.Fatalf("bell=%v: wrote %q, want %q", on, out.String(), want)
		}
	}
}

// Acting on a request (here: describe it) or opening its consumer page is seeing it.
func TestActingOnANewArrivalSeesIt(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "c")
	b.mu.Lock()
	b.conns = append(b.conns, model.Connection{ServiceID: svcID(0xa1), EndpointID: "vpce-00000000000000999",
		OwnerAccount: "555555555555", State: model.StatePendingAcceptance, Created: testNow.Add(-time.Minute)})
	b.mu.Unlock()
	press(t, m, "r")
	key := inboxOf(m).Table().Rows()[0].ID
	inboxOf(m).Table().SelectID(key) // as a filter or a jump would, without a key of the list
	if m.ctx.Store.NewConnections() != 1 {
		t.Fatal("not seen yet")
	}
	press(t, m, "o")
	if m.ctx.Store.NewConnections() != 0 {
		t.Fatal("its consumer page is open: seen")
	}
}

func TestPaletteCompletionAndCommands(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, ":")
	mustContain(t, m.View(), "services", "connections", "targets", "log", "profile", "region")
	typeText(t, m, "con")
	press(t, m, "tab")
	if paletteOf(m).Value() != "connections" {
		t.Fatalf("tab completes: %q", paletteOf(m).Value())
	}
	press(t, m, "enter")
	if topID(m) != inbox.ID || paletteOf(m) != nil {
		t.Fatal(":connections opens the inbox")
	}
	press(t, m, ":")
	typeText(t, m, "lo")
	press(t, m, "enter")
	if topID(m) != apilog.ID {
		t.Fatal(":lo runs log (unique prefix)")
	}
	press(t, m, ":")
	typeText(t, m, "svc")
	press(t, m, "enter")
	if topID(m) != services.ID {
		t.Fatal(":svc alias")
	}
	press(t, m, "down", ":")
	typeText(t, m, "targets")
	press(t, m, "enter")
	if topID(m) != detail.ID || detailOf(m).Tab() != detail.TabLoadBalancers || detailOf(m).ServiceID() != svcID(0xa1) {
		t.Fatal(":targets opens the current service's load balancers")
	}
	press(t, m, ":")
	typeText(t, m, "profile p")
	mustContain(t, m.View(), "profile prod")
	press(t, m, "tab", "enter")
	if m.Identity().Profile != "prod" || m.Identity().Account != "999988887777" || topID(m) != services.ID {
		t.Fatalf("profile switched: %+v", m.Identity())
	}
	mustContain(t, m.View(), "switched profile to prod", "profile prod", "999988887777")
	press(t, m, ":")
	typeText(t, m, "region eu-w")
	mustContain(t, m.View(), "region eu-west-1", "region eu-west-2")
	press(t, m, "down", "tab", "enter")
	if m.Identity().Region != "eu-west-2" {
		t.Fatalf("region: %s", m.Identity().Region)
	}
	press(t, m, ":")
	typeText(t, m, "profile broken")
	press(t, m, "enter")
	mustContain(t, m.View(), "could not switch profile to broken", "InvalidClientTokenId")
	press(t, m, ":")
	typeText(t, m, "nonsense")
	mustContain(t, m.View(), "unknown command")
	press(t, m, "enter")
	mustContain(t, m.View(), "unknown command :nonsense")
	press(t, m, ":", "esc")
	if paletteOf(m) != nil {
		t.Fatal("esc closes the palette")
	}
	press(t, m, ":")
	typeText(t, m, "service search")
	press(t, m, "enter")
	if topID(m) != detail.ID || detailOf(m).ServiceID() != svcID(0xb2) {
		t.Fatal(":service by name")
	}
	press(t, m, ":")
	typeText(t, m, "help")
	press(t, m, "enter")
	if !helpOpen(m) {
		t.Fatal(":help")
	}
	press(t, m, "esc", ":")
	typeText(t, m, "theme light")
	press(t, m, "enter")
	if m.opts.Theme != "light" {
		t.Fatal(":theme light")
	}
	press(t, m, ":")
	typeText(t, m, "quit")
	if !press(t, m, "enter") {
		t.Fatal(":quit quits")
	}
}

func TestFlashClearsItself(t *testing.T) {
	m := newTestRoot(t, newTestBackend(t), 120, 40)
	m.setFlash("first", common.FlashInfo)
	first := m.flash.id
	m.setFlash("second", common.FlashOK)
	m.Update(flashExpiredMsg{id: first})
	if m.flash.text != "second" {
		t.Fatal("an old timer must not clear a newer flash")
	}
	m.Update(flashExpiredMsg{id: m.flash.id})
	if m.flash.text != "" {
		t.Fatal("flash clears on its timer")
	}
	// with ticks on, a flash schedules its own expiry
	m.opts.DisableTicks = false
	if cmd := m.setFlash("tick", common.FlashInfo); cmd == nil {
		t.Fatal("flash schedules its expiry")
	}
}

func TestAutoRefreshAndStaleData(t *testing.T) {
	b := newTestBackend(t)
	now := testNow
	m := newTestRoot(t, b, 120, 40, func(o *Options) { o.Now = func() time.Time { return now } })
	mustContain(t, m.View(), "data 0s old", "every 30s")
	m.opts.DisableTicks = false
	if m.scheduleRefresh() == nil {
		t.Fatal("a refresh interval schedules a refresh")
	}
	gen := m.tickGen
	if gen == 0 {
		t.Fatal("auto-refresh scheduled")
	}
	if _, cmd := m.Update(refreshTickMsg{gen: gen - 1}); cmd != nil {
		t.Fatal("an old refresh timer is ignored")
	}
	b.readCounts()
	m.opts.DisableTicks = true // the tick below schedules no next one
	_, cmd := m.Update(refreshTickMsg{gen: gen})
	drive(t, m, cmd)
	if got := b.readCounts()["Refresh"]; got != 1 {
		t.Fatalf("the refresh timer refreshes: %d refreshes", got)
	}
	now = now.Add(5 * time.Minute)
	mustContain(t, m.View(), "STALE data 5m old")
	// a failed refresh marks the data stale too
	b.mu.Lock()
	b.failParts.Services = &model.AWSError{Operation: "DescribeVpcEndpointServiceConfigurations", Code: "RequestLimitExceeded", Sentence: "throttled"}
	b.mu.Unlock()
	press(t, m, "r")
	mustContain(t, m.View(), "could not list endpoint services", "services failed")
}

func TestInputNeverWaitsOnTheNetwork(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	b.block = make(chan struct{})
	defer close(b.block)
	done := make(chan struct{})
	go func() {
		m.Update(keyMsg("r")) // returns the command without running it
		m.Update(keyMsg("c"))
		m.View()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Update blocked on the backend")
	}
}

func TestKeyOverrides(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40, func(o *Options) { o.KeyOverrides = map[string][]string{"accept": {"A"}, "quit": {"Q"}} })
	press(t, m, "c", "a")
	if dialogOf(m) != nil {
		t.Fatal("a is no longer accept")
	}
	press(t, m, "A")
	if dialogOf(m) == nil {
		t.Fatal("A accepts")
	}
	press(t, m, "esc")
	mustContain(t, m.View(), "A accept")
	if press(t, m, "q") {
		t.Fatal("q rebound away")
	}
	if err := ValidateOptions(Options{KeyOverrides: map[string][]string{"acept": {"A"}}}); err == nil {
		t.Fatal("unknown action names are reported")
	}
	m2 := newTestRoot(t, b, 120, 40, func(o *Options) { o.KeyOverrides = map[string][]string{"nope": {"z"}} })
	mustContain(t, m2.View(), "unknown key actions nope")
	if err := ValidateOptions(Options{Theme: "pink"}); err == nil {
		t.Fatal("unknown theme reported")
	}
}

func colorRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(&bytes.Buffer{})
	r.SetColorProfile(termenv.TrueColor)
	r.SetHasDarkBackground(true)
	return r
}

func TestThemesAndNoColor(t *testing.T) {
	for _, theme := range []string{"", "dark", "light", "terminal"} {
		m := newTestRoot(t, newTestBackend(t), 120, 40, func(o *Options) { o.Theme = theme; o.Renderer = colorRenderer() })
		press(t, m, "c")
		if v := m.View(); !strings.Contains(v, "\x1b[") {
			t.Fatalf("theme %q renders no colour", theme)
		}
	}
	t.Setenv("NO_COLOR", "1")
	m := newTestRoot(t, newTestBackend(t), 120, 40, func(o *Options) { o.Renderer = colorRenderer() })
	press(t, m, "c")
	v := m.View()
	if strings.Contains(v, "\x1b[38;") || strings.Contains(v, "\x1b[48;") {
		t.Fatal("NO_COLOR must drop colours")
	}
}

// panicBackend panics when asked for its identity after a switch, inside Update.
type panicBackend struct {
	*fakeBackend
	armed bool
}

func (p *panicBackend) Identity() model.Identity {
	if p.armed {
		panic("boom")
	}
	return p.fakeBackend.Identity()
}

func TestPanicIsRecoveredIntoAReport(t *testing.T) {
	b := &panicBackend{fakeBackend: newTestBackend(t)}
	m := newTestRoot(t, b, 120, 40)
	done := m.switchSession("profile", "x")() // the switch itself, outside Update
	b.armed = true
	_, cmd := m.Update(done)
	if cmd == nil || cmd() != tea.Quit() {
		t.Fatal("a panic quits the program")
	}
	c := CrashOf(m)
	if c == nil || c.Panic != "boom" || c.Where != "Update" || !strings.Contains(c.Stack, "goroutine") {
		t.Fatalf("crash report: %+v", c)
	}
	if !strings.Contains(m.View(), "plconsole stopped because of a bug") {
		t.Fatal("View shows the report")
	}
	if _, cmd := m.Update(keyMsg("j")); cmd == nil {
		t.Fatal("after a crash every message quits")
	}
}

func TestEmptyTablesSayWhyNothingLoaded(t *testing.T) {
	b := newTestBackend(t)
	m := New(b, testOptions())
	drive(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 120, Height: 30} })
	mustContain(t, m.View(), "loading…")
	mustNotContain(t, m.View(), "no endpoint services")

	b.listErr = errors.New("dial tcp 127.0.0.1:1: connect: connection refused")
	drive(t, m, m.Init())
	mustContain(t, m.View(), "could not load the endpoint services: dial tcp 127.0.0.1:1: connect: connection refused")
	mustNotContain(t, m.View(), "no endpoint services in this region")
	press(t, m, "c")
	mustContain(t, m.View(), "could not load the connections: dial tcp")
	mustNotContain(t, m.View(), "no connections")

	// once a read succeeds the table is the data; an empty region says so
	b.mu.Lock()
	b.listErr, b.services, b.conns = nil, nil, nil
	b.mu.Unlock()
	press(t, m, "r")
	mustContain(t, m.View(), "no connections")
	press(t, m, "esc")
	mustContain(t, m.View(), "no endpoint services in this region")
	mustNotContain(t, m.View(), "could not load")
}

// Adding principals: one typed twice is sent once; one already allowed is not sent again
// (and says so); an ARN of another partition is warned of.
func TestAddPrincipalsDedupesAndWarns(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "down", "enter", "3", "+")
	typeText(t, m, "210987654321, arn:aws:iam::210987654321:root 444455556666")
	press(t, m, "enter")
	mustContain(t, m.View(), "Allow 1 principal on payments-api?", "Already allowed, not sent again: arn:aws:iam::444455556666:root")
	press(t, m, "y")
	got := b.svc(svcID(0xa1)).AllowedPrincipals
	if len(got) != 3 || got[2].ARN != "arn:aws:iam::210987654321:root" {
		t.Fatalf("principals after adding: %+v", got)
	}
	press(t, m, "+")
	typeText(t, m, "444455556666")
	press(t, m, "enter")
	if dialogOf(m) != nil {
		t.Fatal("re-adding an allowed principal opens nothing")
	}
	mustContain(t, m.View(), "arn:aws:iam::444455556666:root is already allowed on payments-api: nothing to add")
	press(t, m, "+")
	typeText(t, m, "arn:aws-cn:iam::123456789012:root")
	press(t, m, "enter")
	mustContain(t, m.View(), "WARNING: arn:aws-cn:iam::123456789012:root is in partition aws-cn", "partition aws)")
}

// q quits at once, except while a change is in flight: then it warns, and q again quits.
func TestQuitDuringAWriteWarns(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "c", "a")
	_, answer := m.Update(keyMsg("y"))
	_, write := m.Update(answer()) // the accept is started, its answer not taken in
	if _, cmd := m.Update(keyMsg("q")); cmd != nil && isQuit(cmd) {
		t.Fatal("q quit with a write in flight")
	}
	mustContain(t, m.View(), "1 change sent to AWS and not answered yet: press q again to quit anyway")
	if _, cmd := m.Update(keyMsg("q")); cmd == nil || !isQuit(cmd) {
		t.Fatal("q again quits")
	}
	drive(t, m, write)
	if !press(t, m, "q") {
		t.Fatal("with nothing in flight q quits at once")
	}
}

func isQuit(cmd tea.Cmd) bool {
	msg := cmd()
	if _, ok := msg.(tea.QuitMsg); ok {
		return true
	}
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			if c != nil && isQuit(c) {
				return true
			}
		}
	}
	return false
}

func TestPaletteRefreshThemeAndServiceCompletion(t *testing.T) {
	m := newTestRoot(t, newTestBackend(t), 120, 40)
	runPalette := func(line string) {
		press(t, m, ":")
		typeText(t, m, line)
		press(t, m, "enter")
	}
	runPalette("refresh 45s")
	mustContain(t, m.View(), "auto-refresh every 45s", "every 45s")
	if c := m.ctx.Store.Cadence(store.Pending); c.Base != 45*time.Second || c.Every != 45*time.Second {
		t.Fatalf("the pending requests are read every tick, now 45s: %+v", c)
	}
	runPalette("refresh 1s")
	mustContain(t, m.View(), ":refresh 1s is out of range: use 2s to 1h, or off")
	runPalette("refresh off")
	mustContain(t, m.View(), "auto-refresh off")
	runPalette("theme")
	mustContain(t, m.View(), "theme: auto (follows the terminal's background)")
	press(t, m, ":")
	typeText(t, m, "servic")
	press(t, m, "tab")
	if v := paletteOf(m).Value(); v != "service " {
		t.Fatalf("tab after :servic gives %q, want the command typed whole first", v)
	}
	typeText(t, m, "sea")
	press(t, m, "tab")
	if v := paletteOf(m).Value(); v != "service search" {
		t.Fatalf(":service completes names too: %q", v)
	}
	press(t, m, "enter")
	if topID(m) != detail.ID || detailOf(m).ServiceID() != svcID(0xb2) {
		t.Fatal(":service by a completed name opens it")
	}
}

// A filter that drops the row under the cursor puts the cursor on the first match; one that
// keeps it leaves the cursor there.
func TestFilterMovesTheCursorToTheFirstMatch(t *testing.T) {
	m := newTestRoot(t, newTestBackend(t), 120, 40)
	press(t, m, "c", "G") // the last row: a rejected connection
	press(t, m, "/")
	typeText(t, m, "pendingAcceptance")
	if got := inboxOf(m).Table().Cursor(); got != 0 {
		t.Fatalf("cursor at %d after a filter that hid its row, want the first match", got)
	}
	press(t, m, "enter", "down", "down")
	kept := inboxOf(m).Table().CurrentID()
	press(t, m, "/")
	typeText(t, m, "")
	press(t, m, "backspace") // the filter shrinks to "pendingAcceptanc": the row still matches
	if got := inboxOf(m).Table().CurrentID(); got != kept {
		t.Fatalf("the cursor left a row the filter kept: %s, was %s", got, kept)
	}
}

// A write refused in read-only mode says where read-only came from.
func TestReadOnlySaysWhereItCameFrom(t *testing.T) {
	m := newTestRoot(t, newFakeBackend(model.ModeReadOnly), 160, 40, func(o *Options) {
		o.ReadOnlyFrom = "read_only = true in /home/ops/.config/plconsole/config.toml"
	})
	press(t, m, "c", "a")
	mustContain(t, m.View(), "accept is disabled: read-only (read_only = true in /home/ops/.config/plconsole/config.toml)")
}

// A flash belongs to the screen it was said on: "sorted by owner" does not follow the user to
// the services list; a write's outcome and a failed refresh are shown on every screen.
func TestFlashesBelongToTheirScreen(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "c", "s", "s")
	mustContain(t, m.View(), "sorted by owner")
	press(t, m, "esc")
	mustNotContain(t, m.View(), "sorted by owner")
	press(t, m, "c")
	mustContain(t, m.View(), "sorted by owner") // back where it was said, while it lasts
	b.mu.Lock()
	b.failParts.Connections = &model.AWSError{Operation: "DescribeVpcEndpointConnections", Code: "Throttling", Sentence: "throttled"}
	b.mu.Unlock()
	press(t, m, "r", "esc")
	mustContain(t, m.View(), "could not list connections")
}

// An error is read whole: enter on the error flash shows its operation, code and request id;
// :messages lists what was said; enter on an API-log row shows the call.
func TestMessagesAndCallsAreReadWhole(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 80, 24)
	b.mu.Lock()
	b.failParts.Connections = &model.AWSError{Operation: "DescribeVpcEndpointConnections", Code: "Throttling", HTTPStatus: 400,
		Sentence: "AWS is throttling DescribeVpcEndpointConnections and the retries ran out; wait a few seconds and try again.", RequestID: "req-4242"}
	b.mu.Unlock()
	press(t, m, "r")
	mustContain(t, m.View(), "enter message details")
	press(t, m, "enter")
	mustContain(t, m.View(), "Operation   DescribeVpcEndpointConnections", "Code        Throttling", "HTTP status 400", "Request id  req-4242",
		"wait a few", "seconds and try again")
	press(t, m, "esc", ":")
	typeText(t, m, "messages")
	press(t, m, "enter")
	mustContain(t, m.View(), "Messages (newest first)", "could not list connections")
	press(t, m, "esc", "@", "g", "enter") // the newest call: DescribeLoadBalancers, throttled
	mustContain(t, m.View(), "Operation   DescribeLoadBalancers", "Attempts    3", "Error code  Throttling", "Rate exceeded", "c copy")
}

// y offers what can be copied where the cursor is; the chosen value goes to the clipboard
// whole, however the screen cut it.
func TestCopyChooser(t *testing.T) {
	b := newTestBackend(t)
	clip := &bytes.Buffer{}
	m := newTestRoot(t, b, 120, 40, func(o *Options) { o.Clipboard = clip })
	osc := func(s string) string { return "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(s)) }

	press(t, m, "y") // services: the service under the cursor
	d := dialogOf(m)
	if d == nil || d.Kind() != dialog.Choose {
		t.Fatal("y opens the copy chooser")
	}
	name := model.ServiceNameFor("us-east-1", svcID(0xb2))
	mustContain(t, m.View(), "Copy to the clipboard", "1 Service id", "2 Service name", name)
	press(t, m, "down", "enter")
	if !strings.Contains(clip.String(), osc(name)) || dialogOf(m) != nil {
		t.Fatalf("enter copies the highlighted choice and closes: %q", clip.String())
	}
	mustContain(t, m.View(), "copied the service name to the clipboard")

	// a digit picks directly; esc closes without copying
	clip.Reset()
	press(t, m, "down", "enter", "y", "esc")
	if clip.Len() != 0 || dialogOf(m) != nil {
		t.Fatal("esc copies nothing")
	}
	press(t, m, "y")
	mustContain(t, m.View(), "TXT record value", "vpce:Zx81kQ2pLm")
	press(t, m, "3")
	if !strings.Contains(clip.String(), osc("api.payments.example.com")) {
		t.Fatalf("3 copies the third choice (the private DNS name): %q", clip.String())
	}

	// the Principals tab offers the principal under the cursor
	press(t, m, "3")
	clip.Reset()
	press(t, m, "y")
	if dialogOf(m) != nil {
		t.Fatal("one thing to copy is copied without asking")
	}
	mustContain(t, m.View(), "copied the principal ARN")
	if !strings.Contains(clip.String(), "\x1b]52;c;") {
		t.Fatal("principal copied")
	}

	// the Load balancers tab: a target, its group and its load balancer
	press(t, m, "4")
	press(t, m, "G", "y")
	mustContain(t, m.View(), "Target id", "Target group ARN", "Load balancer ARN")
	press(t, m, "esc")

	// a tiny terminal still offers the choice, one line at a time
	m.Update(tea.WindowSizeMsg{Width: 30, Height: 7})
	press(t, m, "y")
	mustContain(t, m.View(), "1 Target id")
	press(t, m, "down")
	mustContain(t, m.View(), "2 Target group ARN")
}

// A custom endpoint shows in the header: requests that do not go to AWS must be seen. The
// demo's own simulated region is not news.
func TestHeaderShowsCustomEndpoint(t *testing.T) {
	b := newTestBackend(t)
	b.ident.Endpoint = "http://localhost:4566"
	m := newTestRoot(t, b, 120, 40)
	mustContain(t, m.View(), "endpoint localhost:4566")

	e := newSimEnv(t, model.ModeDemo)
	m = newTestRoot(t, e.backend, 120, 40)
	mustNotContain(t, m.View(), "endpoint ")
	if id := e.backend.Identity(); id.Endpoint == "" || !id.Simulated {
		t.Fatalf("the simulated region's identity: %+v", id)
	}
}

// Zone names are per account; ids are what a consumer or AWS support can compare. Every place
// that names a provider zone gives its id beside it, and gives way to the name alone where a
// column or a legend is short of room.
func TestZoneIDsBesideNames(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	m := newTestRoot(t, e.backend, 200, 50)
	press(t, m, "enter") // payments-api, the first service
	mustContain(t, m.View(), "Availability zones", "us-east-1a (use1-az4), us-east-1b (use1-az5)")
	press(t, m, "4")
	v := m.View()
	mustContain(t, v, "zones us-east-1a (use1-az4)")
	if !regexp.MustCompile(`i-[0-9a-f]+\s+443 us-east-1a \(use1-az4\) healthy`).MatchString(plain(v)) {
		t.Fatalf("a target's zone lacks its id:\n%s", plain(v))
	}
	m = newTestRoot(t, e.backend, 80, 24)
	press(t, m, "enter", "4")
	v = plain(m.View())
	if !regexp.MustCompile(`i-[0-9a-f]+\s+443 us-east-1a\s+healthy`).MatchString(v) || strings.Contains(v, "(us…") {
		t.Fatalf("at 80 columns a target's zone should show its name whole:\n%s", v)
	}
}

// Rows out of sight are never a surprise: the column header counts them above and below the
// window where there is room, and points at them from its gutter where there is not.
func TestScrollIndicators(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	m := newTestRoot(t, e.backend, 200, 20)
	press(t, m, "c")
	header := func() string {
		for _, l := range strings.Split(plain(m.View()), "\n") {
			if strings.Contains(l, "ENDPOINT") && strings.Contains(l, "OWNER") {
				return l
			}
		}
		t.Fatalf("no column header:\n%s", plain(m.View()))
		return ""
	}
	if h := header(); !regexp.MustCompile(`↓ \d+ below\s*$`).MatchString(h) || strings.Contains(h, "above") {
		t.Fatalf("at the top: %q", h)
	}
	press(t, m, "G")
	if h := header(); !regexp.MustCompile(`↑ \d+ above\s*$`).MatchString(h) || strings.Contains(h, "below") {
		t.Fatalf("at the bottom: %q", h)
	}
	press(t, m, "g", "pgdown")
	if h := header(); !strings.Contains(h, "above · ↓") {
		t.Fatalf("in the middle: %q", h)
	}
	m = newTestRoot(t, e.backend, 80, 24)
	press(t, m, "c")
	if h := header(); !strings.HasPrefix(h, " ↓ENDPOINT") {
		t.Fatalf("80 columns, at the top: %q", h)
	}
	press(t, m, "G")
	if h := header(); !strings.HasPrefix(h, "↑ ENDPOINT") {
		t.Fatalf("80 columns, at the bottom: %q", h)
	}
}

// The scroll indicator fits whatever the width: a 1-column table still renders.
func TestScrollIndicatorNarrow(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 8)
	press(t, m, "c")
	for w := 0; w <= 4; w++ {
		inboxOf(m).Table().SetSize(w, 3)
		_ = inboxOf(m).Table().View()
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 49966: "49,966", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := common.Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// The fleet overview's findings take the room the services leave; what does not fit is
// counted, and a terminal with room for none of them says how many there are.
func TestOverviewFindingsCountWhatDoesNotFit(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	m := newTestRoot(t, e.backend, 120, 40)
	press(t, m, ":")
	typeText(t, m, "overview")
	press(t, m, "enter")
	if v := plain(m.View()); strings.Contains(v, " more: enter on a service") {
		t.Fatalf("120x40 has room for every finding:\n%s", v)
	}
	drive(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 120, Height: 12} })
	v := plain(m.View())
	if !regexp.MustCompile(`… \d+ findings: enter on a service`).MatchString(v) {
		t.Fatalf("12 rows: the findings are counted:\n%s", v)
	}
	drive(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 120, Height: 16} })
	v = plain(m.View())
	if !regexp.MustCompile(`… \d+ more: enter on a service`).MatchString(v) {
		t.Fatalf("16 rows: some findings and the rest counted:\n%s", v)
	}
}
