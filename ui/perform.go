package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
)

// isWrite says whether an action changes AWS.
func isWrite(a action) (string, bool) {
	switch a := a.(type) {
	case actConnections:
		if a.accept {
			return "accept", true
		}
		return "reject", true
	case actAddPrincipals:
		return "add principals", true
	case actRemovePrincipals:
		return "remove principals", true
	case actVerifyDNS:
		return "private DNS verification", true
	case actPayer:
		return "payer responsibility", true
	case actAddNotification:
		return "add notification", true
	case actRemoveNotifications:
		return "remove notifications", true
	case actDeleteService:
		return "delete service", true
	}
	return "", false
}

// perform carries out what a view reported.
func (m *Root) perform(a action) tea.Cmd {
	if name, w := isWrite(a); w && m.ctx.ReadOnly() {
		return m.setFlash(name+" is disabled: "+m.ctx.readOnlyReason(), flashWarn)
	}
	switch a := a.(type) {
	case actFlash:
		return m.setFlash(a.text, a.level)
	case actOpenService:
		return m.openService(a)
	case actConnections:
		return m.confirmConnections(a)
	case actAddPrincipals:
		return m.addPrincipalsDialog(a.svc)
	case actRemovePrincipals:
		m.openConfirm("Remove "+plural(len(a.arns), "principal")+" from "+a.svc.Label()+"?",
			append(append([]string{"Service: " + a.svc.ID, ""}, bullet(a.arns, 8)...), "",
				"Existing connections stay up; only new connection requests from these principals are refused."),
			"Remove", true, func(m *Root, _ []string) tea.Cmd {
				return m.writeCmd("remove principals", a.svc.ID, "removed "+plural(len(a.arns), "principal"), func(ctx context.Context, b Backend) error {
					return b.RemovePrincipals(ctx, a.svc.ID, a.arns)
				})
			})
		return nil
	case actVerifyDNS:
		return m.verifyDNSDialog(a.svc)
	case actShowTXT:
		return m.showTXT(a.svc)
	case actCopy:
		return m.copyCmd(a.label, a.text)
	case actPayer:
		if a.svc.PayerResponsibility == model.PayerServiceOwner {
			return m.setFlash(a.svc.Label()+" already has payer responsibility ServiceOwner", flashInfo)
		}
		m.openConfirm("Make the service owner pay for "+a.svc.Label()+"?", []string{
			"Service: " + a.svc.ID,
			"Payer responsibility → ServiceOwner: you pay for consumers' endpoint hours and data processing.",
			"",
			"THIS CANNOT BE UNDONE: once ServiceOwner, it cannot be set back.",
		}, "Set ServiceOwner", true, func(m *Root, _ []string) tea.Cmd {
			return m.writeCmd("payer responsibility", a.svc.ID, "payer responsibility is now ServiceOwner", func(ctx context.Context, b Backend) error {
				return b.SetPayerResponsibility(ctx, a.svc.ID, model.PayerServiceOwner)
			})
		})
		return nil
	case actAddNotification:
		return m.addNotificationDialog(a.svc)
	case actRemoveNotifications:
		m.openConfirm("Delete "+plural(len(a.ids), "notification")+" of "+a.svc.Label()+"?",
			append([]string{"Service: " + a.svc.ID, ""}, bullet(a.ids, 8)...), "Delete", true,
			func(m *Root, _ []string) tea.Cmd {
				return m.bulkWriteCmd("delete notifications", a.svc.ID, func(ctx context.Context, b Backend) ([]model.ItemResult, error) {
					return b.DeleteNotifications(ctx, a.ids)
				})
			})
		return nil
	case actDeleteService:
		return m.deleteServiceDialog(a.svc)
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return itoa(n) + " " + word + "s"
}

func bullet(items []string, max int) []string {
	var out []string
	for i, s := range items {
		if i == max {
			out = append(out, "  … and "+itoa(len(items)-max)+" more")
			break
		}
		out = append(out, "  • "+s)
	}
	return out
}

func (m *Root) dryRunNote() []string {
	if m.ctx.Mode == model.ModeDryRun {
		return []string{"", "DRY-RUN: AWS only checks the request; nothing changes."}
	}
	return nil
}

// openDialog shows a dialog. Whatever the flash said was about what came before it, so it
// goes: a stale "cancelled" under a fresh question reads as the answer to it.
func (m *Root) openDialog(d *Dialog) {
	m.dialog = d
	m.flash = flash{}
}

func (m *Root) openConfirm(title string, body []string, yes string, danger bool, onConfirm func(*Root, []string) tea.Cmd) {
	m.openDialog(&Dialog{ctx: m.ctx, kind: dlgConfirm, title: title, body: append(body, m.dryRunNote()...),
		yesLabel: yes, danger: danger, onConfirm: onConfirm})
}

func (m *Root) openTyped(title string, body []string, word, label string, onConfirm func(*Root, []string) tea.Cmd) {
	d := &Dialog{ctx: m.ctx, kind: dlgTyped, title: title, body: append(body, m.dryRunNote()...), word: word, onConfirm: onConfirm}
	d.fields = []dialogField{{label: label}}
	m.openDialog(d)
}

func (m *Root) openService(a actOpenService) tea.Cmd {
	var svc model.EndpointService
	found := false
	for _, s := range m.services {
		if s.ID == a.id {
			svc, found = s, true
		}
	}
	if !found {
		return m.setFlash("service "+a.id+" is not in the list (refresh with r)", flashWarn)
	}
	m.detail.Open(svc, a.tab)
	if m.lbLoaded && !m.detail.lbsLoaded {
		// show what the fleet-wide read has at once; the fresh read below replaces it
		m.detail.SetLoadBalancers(m.serviceLBs(svc), nil)
	}
	if a.focus != "" {
		m.detail.conns.table.SelectID(a.focus)
	}
	m.push(viewDetail)
	return tea.Batch(m.fetchDetail(svc.ID), m.fetchLoadBalancers(svc.ID, m.detailLBs()))
}

func (m *Root) confirmConnections(a actConnections) tea.Cmd {
	verb, Verb := "reject", "Reject"
	if a.accept {
		verb, Verb = "accept", "Accept"
	}
	if len(a.conns) == 0 {
		return m.setFlash("no connection selected", flashWarn)
	}
	var ok []model.Connection
	skipped := 0
	for _, c := range a.conns {
		if (a.accept && c.State.CanAccept()) || (!a.accept && c.State.CanReject()) {
			ok = append(ok, c)
		} else {
			skipped++
		}
	}
	if len(ok) == 0 {
		if len(a.conns) == 1 {
			return m.setFlash("cannot "+verb+" "+a.conns[0].EndpointID+": it is "+string(a.conns[0].State), flashWarn)
		}
		return m.setFlash("none of the "+itoa(len(a.conns))+" selected connections can be "+verb+"ed in their state", flashWarn)
	}
	accounts := map[string]int{}
	services := map[string]int{}
	var ids []string
	for _, c := range ok {
		accounts[c.OwnerAccount]++
		services[m.label(c.ServiceID)]++
		ids = append(ids, c.EndpointID+"  "+c.OwnerAccount+"  "+m.label(c.ServiceID))
	}
	body := []string{
		"Accounts (" + itoa(len(accounts)) + "): " + countList(accounts, 6),
		"Services (" + itoa(len(services)) + "): " + countList(services, 4),
	}
	if skipped > 0 {
		body = append(body, fmt.Sprintf("Skipped: %d selected connection(s) cannot be %sed in their state.", skipped, verb))
	}
	body = append(body, "")
	body = append(body, bullet(ids, 6)...)
	if !a.accept {
		body = append(body, "", "Rejected consumers must create a new endpoint to connect again.")
	}
	conns := ok
	m.openConfirm(Verb+" "+plural(len(ok), "connection")+"?", body, Verb, !a.accept, func(m *Root, _ []string) tea.Cmd {
		return tea.Batch(m.connectionsCmd(a.accept, conns), m.setFlash(verb+"ing "+plural(len(conns), "connection")+"…", flashInfo))
	})
	return nil
}

// countList renders "a (3), b (1)" with the largest first.
func countList(c map[string]int, max int) string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if c[keys[i]] != c[keys[j]] {
			return c[keys[i]] > c[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var parts []string
	for i, k := range keys {
		if i == max {
			parts = append(parts, "+"+itoa(len(keys)-max)+" more")
			break
		}
		parts = append(parts, k+" ("+itoa(c[k])+")")
	}
	return strings.Join(parts, ", ")
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
}

func (m *Root) addPrincipalsDialog(svc model.EndpointService) tea.Cmd {
	d := &Dialog{ctx: m.ctx, kind: dlgForm, title: "Allow principals to connect to " + svc.Label(),
		body: []string{
			"Account ids, or ARNs like arn:aws:iam::<account>:root or …:role/<name>.",
			"Separate several with commas or spaces; * allows everyone.",
		}}
	d.fields = []dialogField{{label: "Principals"}}
	d.validate = func(vals []string) error {
		items := splitList(vals[0])
		if len(items) == 0 {
			return errors.New("enter at least one principal")
		}
		for _, it := range items {
			if _, err := model.NormalizePrincipal(it); err != nil {
				return err
			}
		}
		return nil
	}
	d.onConfirm = func(m *Root, vals []string) tea.Cmd {
		var arns []string
		wildcard := false
		for _, it := range splitList(vals[0]) {
			n, _ := model.NormalizePrincipal(it)
			arns = append(arns, n)
			wildcard = wildcard || n == "*"
		}
		run := func(m *Root, _ []string) tea.Cmd {
			return m.writeCmd("add principals", svc.ID, "allowed "+plural(len(arns), "principal"), func(ctx context.Context, b Backend) error {
				return b.AddPrincipals(ctx, svc.ID, arns)
			})
		}
		body := append([]string{"Service: " + svc.ID, ""}, bullet(arns, 8)...)
		if wildcard {
			warn := "* lets EVERY AWS account request a connection to this service."
			if !svc.AcceptanceRequired {
				warn += " Acceptance is NOT required, so every request is connected automatically."
			}
			m.openTyped("Allow everyone (*) to connect to "+svc.Label()+"?", append(body, "", warn),
				"everyone", "Type everyone to confirm", run)
			return nil
		}
		m.openConfirm("Allow "+plural(len(arns), "principal")+" on "+svc.Label()+"?", body, "Allow", false, run)
		return nil
	}
	m.openDialog(d)
	return nil
}

func (m *Root) addNotificationDialog(svc model.EndpointService) tea.Cmd {
	d := &Dialog{ctx: m.ctx, kind: dlgForm, title: "Add a connection notification to " + svc.Label(),
		body: []string{"AWS publishes connection events of this service to the SNS topic."}}
	d.fields = []dialogField{{label: "SNS topic ARN"}, {label: "Events (Accept, Connect, Delete, Reject)"}}
	d.fields[1].in.SetValue("Accept,Connect,Delete,Reject")
	parseEvents := func(s string) ([]model.NotificationEvent, error) {
		var out []model.NotificationEvent
		for _, e := range splitList(s) {
			found := false
			for _, known := range []model.NotificationEvent{model.EventAccept, model.EventConnect, model.EventDelete, model.EventReject} {
				if strings.EqualFold(e, string(known)) {
					out = append(out, known)
					found = true
				}
			}
			if !found {
				return nil, fmt.Errorf("event %q: want Accept, Connect, Delete or Reject", e)
			}
		}
		if len(out) == 0 {
			return nil, errors.New("choose at least one event")
		}
		return out, nil
	}
	d.validate = func(vals []string) error {
		if err := model.ValidateSNSTopicARN(strings.TrimSpace(vals[0])); err != nil {
			return err
		}
		_, err := parseEvents(vals[1])
		return err
	}
	d.onConfirm = func(m *Root, vals []string) tea.Cmd {
		topic := strings.TrimSpace(vals[0])
		events, _ := parseEvents(vals[1])
		ev := make([]string, len(events))
		for i, e := range events {
			ev[i] = string(e)
		}
		m.openConfirm("Add a notification to "+svc.Label()+"?", []string{
			"Service: " + svc.ID, "Topic:   " + topic, "Events:  " + strings.Join(ev, ", "),
		}, "Add", false, func(m *Root, _ []string) tea.Cmd {
			return m.writeCmd("add notification", svc.ID, "notification added", func(ctx context.Context, b Backend) error {
				_, err := b.CreateNotification(ctx, svc.ID, topic, events)
				return err
			})
		})
		return nil
	}
	m.openDialog(d)
	return nil
}

func (m *Root) txtLines(svc model.EndpointService) ([]string, string, bool) {
	if svc.PrivateDNS == nil || svc.PrivateDNS.Name == "" {
		return nil, "", false
	}
	name, value, ok := model.VerificationRecord(*svc.PrivateDNS)
	if !ok {
		return []string{"Private DNS name: " + svc.PrivateDNS.Name, "AWS has not issued a verification token yet."}, "", true
	}
	return []string{
		"Private DNS name: " + svc.PrivateDNS.Name + " (" + string(svc.PrivateDNS.State) + ")",
		"",
		"Publish this TXT record in the domain's DNS:",
		"  name:  " + name,
		"  value: " + value,
		"",
		"If your DNS provider appends the domain, enter the name with a trailing dot.",
	}, value, true
}

func (m *Root) showTXT(svc model.EndpointService) tea.Cmd {
	lines, value, ok := m.txtLines(svc)
	if !ok {
		return m.setFlash(svc.Label()+" has no private DNS name", flashInfo)
	}
	m.openDialog(&Dialog{ctx: m.ctx, kind: dlgInfo, title: "Private DNS verification record", body: lines,
		copyText: value, copyLabel: "the TXT value"})
	return nil
}

func (m *Root) verifyDNSDialog(svc model.EndpointService) tea.Cmd {
	lines, _, ok := m.txtLines(svc)
	if !ok {
		return m.setFlash(svc.Label()+" has no private DNS name to verify", flashWarn)
	}
	if svc.PrivateDNS.State == model.DNSVerified {
		return m.setFlash(svc.PrivateDNS.Name+" is already verified", flashInfo)
	}
	body := append(lines, "", "AWS then looks the record up; the state goes from pendingVerification to verified or failed.")
	m.openConfirm("Start private DNS verification for "+svc.Label()+"?", body, "Verify", false, func(m *Root, _ []string) tea.Cmd {
		return m.writeCmd("private DNS verification", svc.ID, "verification of "+svc.PrivateDNS.Name+" started", func(ctx context.Context, b Backend) error {
			return b.StartDNSVerification(ctx, svc.ID)
		})
	})
	return nil
}

func (m *Root) deleteServiceDialog(svc model.EndpointService) tea.Cmd {
	c := m.store.counts()[svc.ID]
	body := []string{
		"Service: " + svc.ID + " (" + svc.Label() + ")",
		"Connections: " + itoa(c[0]) + " pending acceptance, " + itoa(c[1]) + " available.",
	}
	if c[0]+c[1] > 0 {
		body = append(body, "AWS refuses to delete a service with pending or available connections: reject them first.")
	}
	body = append(body, "", "Deleting the service cannot be undone.")
	m.openTyped("Delete endpoint service "+svc.Label()+"?", body, svc.ID, "Type the service id ("+svc.ID+") to confirm",
		func(m *Root, _ []string) tea.Cmd {
			return m.writeCmd("delete service", svc.ID, "deleted "+svc.ID, func(ctx context.Context, b Backend) error {
				return b.DeleteService(ctx, svc.ID)
			})
		})
	return nil
}

// onActionDone reports a write's outcome and refreshes.
func (m *Root) onActionDone(msg actionDoneMsg) tea.Cmd {
	var dry *model.DryRunResult
	switch {
	case errors.As(msg.err, &dry):
		lvl := flashOK
		if !dry.WouldSucceed {
			lvl = flashWarn
		}
		text := dry.Error()
		if dry.RequestID != "" {
			text += " (request " + dry.RequestID + ")"
		}
		return m.setFlash(text, lvl)
	case errors.Is(msg.err, model.ErrReadOnly):
		return m.setFlash(msg.op+": "+msg.err.Error(), flashWarn)
	case msg.err != nil:
		return tea.Batch(m.setFlash(msg.op+" failed: "+msg.err.Error(), flashError), m.refresh())
	}
	if msg.op == "delete service" {
		m.stack = m.stack[:1]
	}
	if msg.op == "add principals" || msg.op == "remove principals" {
		m.invalidatePrincipals(msg.serviceID)
	}
	if msg.results == nil {
		return tea.Batch(m.setFlash(msg.info, flashOK), m.refresh())
	}
	okN, bad := 0, 0
	var lines []string
	for _, r := range msg.results {
		if r.OK {
			okN++
			lines = append(lines, "✓ "+r.ID)
		} else {
			bad++
			line := "✗ " + r.ID + "  " + r.Code
			if r.Message != "" {
				line += ": " + r.Message
			}
			lines = append(lines, line)
		}
	}
	// failures first: they are what needs reading
	sort.SliceStable(lines, func(i, j int) bool { return strings.HasPrefix(lines[i], "✗") && !strings.HasPrefix(lines[j], "✗") })
	m.inbox.table.ClearMarks()
	m.detail.conns.table.ClearMarks()
	m.detail.notifs.table.ClearMarks()
	past := pastTense(msg.op)
	text := fmt.Sprintf("%s %d of %d", past, okN, len(msg.results))
	lvl := flashOK
	if bad > 0 {
		text += fmt.Sprintf("; %d failed", bad)
		lvl = flashError
	}
	if len(msg.results) > 1 || bad > 0 {
		m.openDialog(&Dialog{ctx: m.ctx, kind: dlgInfo, title: capitalize(msg.op) + ": " + text, body: lines})
	}
	return tea.Batch(m.setFlash(text, lvl), m.refresh())
}

func pastTense(op string) string {
	switch op {
	case "accept":
		return "accepted"
	case "reject":
		return "rejected"
	case "delete notifications":
		return "deleted"
	}
	return op + " done:"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (m *Root) onSwitched(msg switchedMsg) tea.Cmd {
	if msg.req != m.latest[reqSwitch] {
		return nil
	}
	if msg.err != nil {
		return m.setFlash("could not switch "+msg.what+" to "+msg.value+": "+msg.err.Error(), flashError)
	}
	m.identity = m.backend.Identity()
	if m.opts.Mode == "" {
		m.ctx.Mode = m.backend.Mode()
	}
	m.services = nil
	m.lastConn = nil
	m.store.reset()
	m.resetHealthInputs()
	m.lastRefresh = time.Time{} // nothing is fresh until the refresh lands
	m.refreshErr = nil
	m.svcLoaded, m.svcErr, m.connErr = false, nil, nil
	m.stack = m.stack[:1]
	m.detail.Open(model.EndpointService{}, tabOverview)
	m.dataChanged()
	return tea.Batch(m.refresh(), m.setFlash("switched "+msg.what+" to "+msg.value+" (account "+orDash(m.identity.Account)+")", flashOK))
}
