package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/dialog"
	"github.com/plconsole/plconsole/ui/pages/audit"
	"github.com/plconsole/plconsole/ui/pages/inbox"
	"github.com/plconsole/plconsole/ui/tasks"
)

// The flows of the approval policy, the customer names, the connection tags and payer, and
// the access audit. Each is declared in the action registry (actions.go).

// ---- apply policy --------------------------------------------------------------------------

// policySuggestions are the policy's suggestions for the pending requests in the target's
// scope (one service on a service's page, else every service), oldest first.
func (r *Root) policySuggestions(t common.Target) []model.Suggestion {
	_, all := r.ctx.Store.Suggestions(r.ctx.Policy, r.ctx.Customers, r.ctx.PolicyGen)
	var out []model.Suggestion
	for _, sg := range all {
		if t.Service == nil || sg.Connection.ServiceID == t.Service.ID {
			out = append(out, sg)
		}
	}
	return out
}

func applyPolicyConfirm(r *Root, t common.Target) (common.Target, dialog.Spec, *refusal) {
	p := r.ctx.Policy
	if p == nil {
		return t, dialog.Spec{}, refuse(common.FlashWarn, "no approval policy: start plconsole with --policy FILE (or put %s next to the config file)", "policy.toml")
	}
	sgs := r.policySuggestions(t)
	if len(sgs) == 0 {
		return t, dialog.Spec{}, refuse(common.FlashInfo, "no pending connection requests to decide")
	}
	batches := model.PolicyBatches(p, sgs)
	if len(batches) == 0 {
		return t, dialog.Spec{}, refuse(common.FlashInfo, "the policy holds all %s: nothing to apply", common.Plural(len(sgs), "pending request"))
	}
	sum := model.SummarizePlan(sgs)
	st := r.ctx.Store
	head := fmt.Sprintf("Accept %d · Reject %d · Hold %d", sum.ByDecision[model.DecisionAccept],
		sum.ByDecision[model.DecisionReject], sum.ByDecision[model.DecisionHold])
	if sum.Undecided > 0 {
		head += fmt.Sprintf(" (%d undecided: principals not read yet)", sum.Undecided)
	}
	body := []string{"Policy: " + p.Source, head, ""}
	for _, d := range []model.Decision{model.DecisionAccept, model.DecisionReject} {
		if sum.ByDecision[d] == 0 {
			continue
		}
		accts, svcs := map[string]int{}, map[string]int{}
		for a, n := range sum.ByAccount[d] {
			accts[r.ctx.CustomerLabel(a)] += n
		}
		for s, n := range sum.ByService[d] {
			svcs[st.Label(s)] += n
		}
		verb := common.Capitalize(string(d))
		body = append(body,
			verb+" — accounts ("+common.Itoa(len(accts))+"): "+common.CountList(accts, 4),
			verb+" — services ("+common.Itoa(len(svcs))+"): "+common.CountList(svcs, 4))
	}
	var lines []string
	var conns []model.Connection
	for _, sg := range sgs {
		if sg.Decision == model.DecisionHold || sg.Undecided {
			continue
		}
		c := sg.Connection
		conns = append(conns, c)
		lines = append(lines, c.EndpointID+"  "+common.OrDash(r.ctx.Customer(c.OwnerAccount))+"  → "+sg.Short())
	}
	body = append(append(append(body, ""), common.Bullet(lines, 6)...), "", "Held requests are left for a person. Each write's audit line names its rule.")
	t.Connections, t.Batches = conns, batches
	return t, dialog.Spec{Kind: dialog.Confirm, Title: "Apply the approval policy to " + common.Plural(len(conns), "request") + "?",
		Body: body, YesLabel: "Apply", Danger: sum.ByDecision[model.DecisionReject] > 0}, nil
}

// applyPolicyDo sends the policy's accepts and rejects as the headless approve does
// (model.ApplyBatches); each result names its decision and rule.
func applyPolicyDo(ctx context.Context, b Backend, t common.Target) outcome {
	items, err := model.ApplyBatches(ctx, t.Batches, b.AcceptConnections, b.RejectConnections)
	if err != nil {
		return outcome{err: err}
	}
	res := make([]model.ItemResult, len(items))
	for i, it := range items {
		res[i] = it.ItemResult
		res[i].ID = it.ID + "  " + string(it.Batch.Decision) + " · " + it.Batch.Rule.Name
	}
	return outcome{results: res}
}

// principalLabels adds the customer's name to principals of named accounts.
func (r *Root) principalLabels(arns []string) []string {
	out := make([]string, len(arns))
	for i, a := range arns {
		out[i] = a
		if n := r.ctx.Customer(model.AccountOfPrincipal(a)); n != "" {
			out[i] += "  (" + n + ")"
		}
	}
	return out
}

// ---- describe ------------------------------------------------------------------------------

// describeRun shows everything about the connection under the cursor (or the audit finding).
func describeRun(r *Root, t common.Target) tea.Cmd {
	if a, ok := r.top().(*audit.Page); ok {
		f, ok := a.Current()
		if !ok {
			return r.setFlash("no finding selected", common.FlashWarn)
		}
		r.openDialog(dialog.Spec{Kind: dialog.Info, Title: f.Title, Body: findingLines(r, f)}, nil)
		return nil
	}
	if len(t.Connections) == 0 {
		return r.setFlash("no connection selected", common.FlashWarn)
	}
	c := t.Connections[0]
	st := r.ctx.Store
	svc, _ := st.Service(c.ServiceID)
	cust, _ := r.ctx.Customers.Lookup(c.OwnerAccount)
	lines := []string{
		"Endpoint       " + c.EndpointID,
		"Connection id  " + common.OrDash(c.ConnectionID),
		"Owner          " + c.OwnerAccount,
		"Customer       " + common.OrDash(cust.Name) + tierText(cust.Tier),
	}
	if cust.Notes != "" {
		lines = append(lines, "Notes          "+cust.Notes)
	}
	lines = append(lines,
		"Service        "+st.Label(c.ServiceID)+" ("+c.ServiceID+")",
		"State          "+string(c.State),
		"Requested      "+c.Created.UTC().Format("2006-01-02 15:04:05 UTC"),
		"Region         "+common.OrDash(c.Region),
		"IP type        "+common.OrDash(c.IPAddressType),
		"Payer          "+model.PayerText(c, svc),
		"Tags           "+common.OrDash(inbox.TagsText(c.Tags)),
	)
	if r.ctx.Policy != nil && c.State == model.StatePendingAcceptance {
		byKey, _ := st.Suggestions(r.ctx.Policy, r.ctx.Customers, r.ctx.PolicyGen)
		if sg, ok := byKey[c.Key()]; ok {
			lines = append(lines, "Policy         "+string(sg.Decision)+": "+sg.Reason)
		}
	}
	if ps, ok := st.Principals(c.ServiceID); ok {
		allowed := "no: not an allowed principal of the service"
		if model.PrincipalsAllow(ps, c.OwnerAccount) {
			allowed = "yes"
		}
		lines = append(lines, "Allowed        "+allowed)
	}
	for i, d := range c.DNSNames {
		label := "               "
		if i == 0 {
			label = "DNS names      "
		}
		lines = append(lines, label+d)
	}
	return r.showInfo(c.EndpointID+" · "+r.ctx.CustomerLabel(c.OwnerAccount), lines, c.EndpointID)
}

func (r *Root) showInfo(title string, lines []string, copyText string) tea.Cmd {
	r.openDialog(dialog.Spec{Kind: dialog.Info, Title: title, Body: lines, CopyText: copyText, CopyLabel: "the id"}, nil)
	return nil
}

func tierText(tier string) string {
	if tier == "" {
		return ""
	}
	return "  (tier " + tier + ")"
}

func findingLines(r *Root, f model.AccessFinding) []string {
	lines := []string{"Severity  " + f.Severity.String() + "  (" + f.Code + ")"}
	if f.ServiceID != "" {
		lines = append(lines, "Service   "+f.Service+" ("+f.ServiceID+")")
	}
	if f.Account != "" {
		lines = append(lines, "Account   "+r.ctx.CustomerLabel(f.Account))
	}
	if f.Principal != "" {
		lines = append(lines, "Principal "+f.Principal)
	}
	lines = append(lines, "", f.Detail)
	if len(f.Connections) > 0 {
		var ids []string
		for _, c := range f.Connections {
			ids = append(ids, c.EndpointID+"  "+string(c.State))
		}
		lines = append(append(lines, ""), common.Bullet(ids, 10)...)
	}
	if rec := model.AccessRecord(f, r.ctx.Customers); rec.Fix != "" {
		lines = append(lines, "", "Fix: "+rec.Fix)
	}
	return lines
}

// ---- tags ----------------------------------------------------------------------------------

// parseTagEdits reads "key=value" (set) and "-key" (remove) items.
func parseTagEdits(s string) (set map[string]string, remove []string, err error) {
	set = map[string]string{}
	for _, it := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		it = strings.TrimSpace(it)
		if it == "" {
			continue
		}
		if k, ok := strings.CutPrefix(it, "-"); ok && !strings.Contains(it, "=") {
			if err := model.ValidateTagKey(k); err != nil {
				return nil, nil, err
			}
			remove = append(remove, k)
			continue
		}
		k, v, ok := strings.Cut(it, "=")
		if !ok {
			return nil, nil, fmt.Errorf("%q is not key=value (or -key to remove a tag)", it)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if err := model.ValidateTagKey(k); err != nil {
			return nil, nil, err
		}
		if err := model.ValidateTagValue(v); err != nil {
			return nil, nil, err
		}
		set[k] = v
	}
	if len(set) == 0 && len(remove) == 0 {
		return nil, nil, errors.New("enter at least one tag: key=value to set, -key to remove (separate with commas)")
	}
	if err := model.ValidateTags(set); err != nil {
		return nil, nil, err
	}
	return set, remove, nil
}

func tagForm(r *Root, t common.Target) (dialog.Spec, *refusal) {
	if len(t.Connections) == 0 {
		return dialog.Spec{}, refuse(common.FlashWarn, "no connection selected")
	}
	for _, c := range t.Connections {
		if c.ConnectionID == "" {
			return dialog.Spec{}, refuse(common.FlashWarn, "AWS gave no connection id for %s, so it cannot be tagged", c.EndpointID)
		}
	}
	return dialog.Spec{Kind: dialog.Form, Title: "Tag " + common.Plural(len(t.Connections), "connection"),
		Body:   []string{"key=value sets a tag, -key removes one; separate several with commas.", "Tags go on the connection (vpce-con-…), not on the consumer's endpoint."},
		Fields: []dialog.Field{{Label: "Tags"}},
		Validate: func(vals []string) error {
			_, _, err := parseTagEdits(vals[0])
			return err
		},
	}, nil
}

func tagConfirm(r *Root, t common.Target) (common.Target, dialog.Spec, *refusal) {
	set, remove, _ := parseTagEdits(t.Input[0])
	var items []string
	for _, c := range t.Connections {
		items = append(items, c.ConnectionID+"  "+c.EndpointID+"  "+common.OrDash(r.ctx.Customer(c.OwnerAccount)))
	}
	body := []string{}
	if len(set) > 0 {
		body = append(body, "Set:    "+inbox.TagsText(set))
	}
	if len(remove) > 0 {
		sort.Strings(remove)
		body = append(body, "Remove: "+strings.Join(remove, ", "))
	}
	body = append(append(append(body, ""), common.Bullet(items, 6)...), hiddenNote(t)...)
	return t, dialog.Spec{Kind: dialog.Confirm, Title: "Tag " + common.Plural(len(t.Connections), "connection") + "?",
		Body: body, YesLabel: "Tag"}, nil
}

func tagDo(ctx context.Context, b Backend, t common.Target) outcome {
	set, remove, _ := parseTagEdits(t.Input[0])
	ids := make([]string, len(t.Connections))
	for i, c := range t.Connections {
		ids[i] = c.ConnectionID
	}
	return outcome{err: b.TagResources(ctx, ids, set, remove)}
}

// ---- per-connection payer ------------------------------------------------------------------

func payerForm(r *Root, t common.Target) (dialog.Spec, *refusal) {
	if len(t.Connections) == 0 {
		return dialog.Spec{}, refuse(common.FlashWarn, "no connection selected")
	}
	return dialog.Spec{Kind: dialog.Form, Title: "Who pays for " + common.Plural(len(t.Connections), "connection") + "?",
		Body: []string{
			"provider: you pay for these endpoints' hours and data processing;",
			"consumer: the endpoint's owner pays (the usual arrangement).",
		},
		Fields: []dialog.Field{{Label: "Payer (provider or consumer)", Value: "provider"}},
		Validate: func(vals []string) error {
			_, err := model.ParseConnectionPayer(vals[0])
			return err
		},
	}, nil
}

func payerConfirm(r *Root, t common.Target) (common.Target, dialog.Spec, *refusal) {
	payer, _ := model.ParseConnectionPayer(t.Input[0])
	st := r.ctx.Store
	var ok []model.Connection
	var lines []string
	for _, c := range t.Connections {
		if !model.Live(c.State) {
			continue
		}
		svc, _ := st.Service(c.ServiceID)
		ok = append(ok, c)
		lines = append(lines, c.EndpointID+"  "+common.OrDash(r.ctx.Customer(c.OwnerAccount))+"  "+model.PayerText(c, svc)+" → "+model.PayerLabel(payer))
	}
	if len(ok) == 0 {
		return t, dialog.Spec{}, refuse(common.FlashWarn, "none of the selected connections is pending or available; the payer applies to live endpoints")
	}
	body := []string{"Payer → " + model.PayerLabel(payer) + " (" + payer + ", scope " + model.PayerScopeEndpoint + ")", ""}
	body = append(body, common.Bullet(lines, 8)...)
	if skipped := len(t.Connections) - len(ok); skipped > 0 {
		body = append(body, "", fmt.Sprintf("Skipped: %d selected connection(s) are not pending or available.", skipped))
	}
	body = append(body, hiddenNote(t)...)
	t.Connections = ok
	return t, dialog.Spec{Kind: dialog.Confirm, Title: "Make the " + model.PayerLabel(payer) + " pay for " + common.Plural(len(ok), "connection") + "?",
		Body: body, YesLabel: "Set payer", Danger: payer == model.PayerServiceAccount}, nil
}

func payerDo(ctx context.Context, b Backend, t common.Target) outcome {
	payer, _ := model.ParseConnectionPayer(t.Input[0])
	byService := map[string][]string{}
	var order []string
	for _, c := range t.Connections {
		if _, ok := byService[c.ServiceID]; !ok {
			order = append(order, c.ServiceID)
		}
		byService[c.ServiceID] = append(byService[c.ServiceID], c.EndpointID)
	}
	sort.Strings(order)
	var all []model.ItemResult
	for _, svc := range order {
		res, err := b.SetConnectionPayer(ctx, svc, byService[svc], payer)
		var dry *model.DryRunResult
		if errors.As(err, &dry) || errors.Is(err, model.ErrReadOnly) {
			return outcome{err: err}
		}
		all = append(all, res...)
	}
	return outcome{results: all}
}

// ---- customer names ------------------------------------------------------------------------

func nameForm(r *Root, t common.Target) (dialog.Spec, *refusal) {
	if len(t.Connections) == 0 {
		return dialog.Spec{}, refuse(common.FlashWarn, "no connection selected")
	}
	if r.opts.SaveCustomer == nil {
		return dialog.Spec{}, refuse(common.FlashWarn, "names cannot be saved: this console has no accounts file")
	}
	acct := t.Connections[0].OwnerAccount
	cur, _ := r.ctx.Customers.Lookup(acct)
	body := []string{"The name shows wherever account " + acct + " does, and / finds it."}
	if r.ctx.Customers != nil && r.ctx.Customers.Source != "" {
		body = append(body, "Saved in "+r.ctx.Customers.Source+".")
	}
	return dialog.Spec{Kind: dialog.Form, Title: "Customer name of " + acct, Body: body,
		Fields: []dialog.Field{{Label: "Name", Value: cur.Name}},
		Validate: func(vals []string) error {
			return model.ValidateCustomerName(strings.TrimSpace(vals[0]))
		},
	}, nil
}

// openNameForm asks for an account's name (:name ACCOUNT).
func (r *Root) openNameForm(account string) tea.Cmd {
	return r.runAction(actionByName("nameCustomer"), fixedTarget{common.Target{Connections: []model.Connection{{OwnerAccount: account}}}})
}

// fixedTarget is an action source for a target the palette named.
type fixedTarget struct{ t common.Target }

func (f fixedTarget) Actions() []string     { return nil }
func (f fixedTarget) Target() common.Target { return f.t }

// nameApply saves the name into the accounts file, in a task (a file write is I/O).
func nameApply(r *Root, a *Action, t common.Target) tea.Cmd {
	acct := t.Connections[0].OwnerAccount
	c, _ := r.ctx.Customers.Lookup(acct)
	c.Account, c.Name = acct, strings.TrimSpace(t.Input[0])
	save := r.opts.SaveCustomer
	r.writeSeq++
	return r.ctx.Tasks.Start(fmt.Sprintf("write/%s/%d", a.Name, r.writeSeq), ownerRoot, tasks.Join, func(context.Context) tea.Msg {
		return actionDoneMsg{action: a, target: t, out: outcome{err: save(c)}}
	})
}

// nameAfter shows the saved name everywhere.
func nameAfter(r *Root, t common.Target) tea.Cmd {
	acct := t.Connections[0].OwnerAccount
	c, _ := r.ctx.Customers.Lookup(acct)
	c.Account, c.Name = acct, strings.TrimSpace(t.Input[0])
	r.ctx.SetCustomers(r.ctx.Customers.With(c))
	return r.dataChanged()
}

// nameCommand runs ":name ACCOUNT NAME…" (or ":name ACCOUNT", which asks for the name).
func (r *Root) nameCommand(arg string) tea.Cmd {
	acct, name, _ := strings.Cut(strings.TrimSpace(arg), " ")
	if acct == "" {
		if src, ok := r.top().(common.ActionSource); ok {
			if t := src.Target(); len(t.Connections) > 0 {
				return r.openNameForm(t.Connections[0].OwnerAccount)
			}
		}
		return r.setFlash(":name needs an account id and a name, e.g. :name 123456789012 Acme Corp", common.FlashWarn)
	}
	if err := model.ValidateAccountID(acct); err != nil {
		return r.setFlash(err.Error(), common.FlashWarn)
	}
	if strings.TrimSpace(name) == "" {
		return r.openNameForm(acct)
	}
	if err := model.ValidateCustomerName(strings.TrimSpace(name)); err != nil {
		return r.setFlash(err.Error(), common.FlashWarn)
	}
	if r.opts.SaveCustomer == nil {
		return r.setFlash("names cannot be saved: this console has no accounts file", common.FlashWarn)
	}
	return nameApply(r, actionByName("nameCustomer"), common.Target{Connections: []model.Connection{{OwnerAccount: acct}}, Input: []string{name}})
}

// ---- access audit --------------------------------------------------------------------------

// notAllowedTarget is what "reject not allowed" acts on: the connections the target holds
// (the audit page's selection), else those of the target's service, else every service's.
func (r *Root) notAllowedTarget(t common.Target) []model.Connection {
	if len(t.Connections) > 0 {
		return t.Connections
	}
	var out []model.Connection
	for _, f := range r.ctx.Store.Access(r.ctx.Customers, r.ctx.PolicyGen).Findings {
		if f.Code == model.CodeConnectionNotAllowed && (t.Service == nil || f.ServiceID == t.Service.ID) {
			out = append(out, f.Connections...)
		}
	}
	return out
}

func rejectNotAllowedConfirm(r *Root, t common.Target) (common.Target, dialog.Spec, *refusal) {
	conns := r.notAllowedTarget(t)
	if len(conns) == 0 {
		where := "any service"
		if t.Service != nil {
			where = t.Service.Label()
		}
		return t, dialog.Spec{}, refuse(common.FlashInfo, "no live connection of %s comes from an account that is no longer allowed", where)
	}
	st := r.ctx.Store
	accts, svcs := map[string]int{}, map[string]int{}
	var lines []string
	for _, c := range conns {
		accts[r.ctx.CustomerLabel(c.OwnerAccount)]++
		svcs[st.Label(c.ServiceID)]++
		lines = append(lines, c.EndpointID+"  "+r.ctx.CustomerLabel(c.OwnerAccount)+"  "+st.Label(c.ServiceID)+"  "+string(c.State))
	}
	body := []string{
		"These accounts are no longer allowed principals, but their connections are still up or pending.",
		"Accounts (" + common.Itoa(len(accts)) + "): " + common.CountList(accts, 4),
		"Services (" + common.Itoa(len(svcs)) + "): " + common.CountList(svcs, 4), "",
	}
	body = append(append(body, common.Bullet(lines, 6)...), "", "Rejected consumers must create a new endpoint to connect again.")
	t.Connections = conns
	return t, dialog.Spec{Kind: dialog.Confirm, Title: "Reject " + common.Plural(len(conns), "connection") + " of removed principals?",
		Body: body, YesLabel: "Reject", Danger: true}, nil
}

func exportForm(r *Root, t common.Target) (dialog.Spec, *refusal) {
	a, ok := r.top().(*audit.Page)
	if !ok {
		return dialog.Spec{}, refuse(common.FlashWarn, "export works on the :audit view")
	}
	n := len(a.Findings())
	if n == 0 {
		return dialog.Spec{}, refuse(common.FlashInfo, "no findings to export")
	}
	def := "plconsole-audit-" + r.opts.Now().UTC().Format("20060102-150405") + ".csv"
	return dialog.Spec{Kind: dialog.Form, Title: "Export " + common.Plural(n, "finding"),
		Body:   []string{"The findings the view shows (its filter applies), as CSV or JSON by the file's extension."},
		Fields: []dialog.Field{{Label: "File (.csv or .json)", Value: def}},
		Validate: func(vals []string) error {
			p := strings.TrimSpace(vals[0])
			switch strings.ToLower(filepath.Ext(p)) {
			case ".csv", ".json":
			default:
				return fmt.Errorf("%q: the file name must end in .csv or .json", p)
			}
			if _, err := os.Stat(p); err == nil {
				return fmt.Errorf("%s exists; choose another name", p)
			}
			return nil
		},
	}, nil
}

// exportApply writes the audit view's findings to the file, in a task.
func exportApply(r *Root, act *Action, t common.Target) tea.Cmd {
	a, ok := r.top().(*audit.Page)
	if !ok {
		return nil
	}
	recs := make([]model.FindingRecord, 0, len(a.Findings()))
	for _, f := range a.Findings() {
		recs = append(recs, model.AccessRecord(f, r.ctx.Customers))
	}
	path := strings.TrimSpace(t.Input[0])
	done := *act
	done.Done = func(common.Target) string { return "exported " + common.Plural(len(recs), "finding") + " to " + path }
	r.writeSeq++
	return r.ctx.Tasks.Start(fmt.Sprintf("write/%s/%d", act.Name, r.writeSeq), ownerRoot, tasks.Join, func(context.Context) tea.Msg {
		return actionDoneMsg{action: &done, target: t, out: outcome{err: writeFindings(path, recs)}}
	})
}

func writeFindings(path string, recs []model.FindingRecord) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if strings.EqualFold(filepath.Ext(path), ".json") {
		err = model.WriteFindingsJSON(f, recs)
	} else {
		err = model.WriteFindingsCSV(f, recs)
	}
	return errors.Join(err, f.Close())
}

// ---- :policy -------------------------------------------------------------------------------

// policyCommand reloads the policy file (:policy), in a task, or says where it is.
func (r *Root) policyCommand(arg string) tea.Cmd {
	if strings.TrimSpace(arg) != "reload" {
		if r.ctx.Policy == nil {
			return r.setFlash("no approval policy loaded (start with --policy FILE); :policy reload reads it again", common.FlashInfo)
		}
		return r.setFlash("policy "+r.ctx.Policy.Source+": "+common.Plural(len(r.ctx.Policy.Rules), "rule")+" (:policy reload reads it again)", common.FlashInfo)
	}
	load := r.opts.ReloadPolicy
	if load == nil {
		return r.setFlash("no policy file to reload: start with --policy FILE", common.FlashWarn)
	}
	return r.ctx.Tasks.Start("policy/reload", ownerRoot, tasks.CancelOlder, func(context.Context) tea.Msg {
		p, err := load()
		return policyLoadedMsg{policy: p, err: err}
	})
}

type policyLoadedMsg struct {
	policy *model.Policy
	err    error
}

func (r *Root) onPolicyLoaded(msg policyLoadedMsg) tea.Cmd {
	if msg.err != nil {
		return r.setFlash("the policy was not reloaded: "+msg.err.Error(), common.FlashError)
	}
	r.ctx.SetPolicy(msg.policy)
	return tea.Batch(r.dataChanged(), r.setFlash("policy reloaded: "+common.Plural(len(msg.policy.Rules), "rule"), common.FlashOK))
}
