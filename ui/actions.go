package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/dialog"
	"github.com/plconsole/plconsole/ui/pages/wizard"
)

// Action is one thing the user can do to AWS data, declared once: its key binding (named
// after the action, so the config file rebinds it by that name), its help, whether it
// writes (read-only mode refuses it before any dialog, and help shows it struck through),
// the flow that asks the user (an optional form, then a confirmation) and the write itself,
// and the words its outcome is reported in. Pages say which actions they offer
// (common.ActionSource) and on what target; the root runs the flow.
type Action struct {
	Name  string   // config name and binding name
	Keys  []string // default keys
	Help  string
	Group string
	Write bool
	// Scope is what the target must hold for the action to start.
	Scope Scope
	// Op names the action in outcomes: "accept failed: …", "add principals: read-only".
	Op string

	// Form asks for input first (nil: no form). A refusal is flashed instead.
	Form func(r *Root, t common.Target) (dialog.Spec, *refusal)
	// Confirm checks the target (after the form, with its answers in t.Input), may narrow
	// it (skipping connections that cannot be accepted), and builds the confirmation.
	Confirm func(r *Root, t common.Target) (common.Target, dialog.Spec, *refusal)
	// Do performs the write, inside a task. Results are per item for bulk writes.
	Do func(ctx context.Context, b Backend, t common.Target) outcome
	// Doing is the flash while the write runs ("" for none).
	Doing func(t common.Target) string
	// Done is the success sentence of a single write; Past the verb of a bulk one
	// ("accepted 3 of 3").
	Done func(t common.Target) string
	Past string
	// After runs once the write succeeded (invalidate a cache, leave a deleted service).
	After func(r *Root, t common.Target) tea.Cmd

	// Run carries out an action that is not a write flow (show a record to copy).
	Run func(r *Root, t common.Target) tea.Cmd
	// Apply, for an action with a Form and no Confirm, carries out the form's answer (a
	// change to a local file, which needs no confirmation).
	Apply func(r *Root, a *Action, t common.Target) tea.Cmd
	// Proceed, when set, carries the action (a) on after its confirmation instead of the
	// write: a flow of several confirmed steps (the safe delete).
	Proceed func(r *Root, a *Action, t common.Target) tea.Cmd
}

// Scope is what an action acts on.
type Scope int

const (
	// ScopeService: the page's service (the row under the cursor, the open service).
	ScopeService Scope = iota
	// ScopeConnections: the marked connections, or the one under the cursor.
	ScopeConnections
	// ScopeView: what the page shows as a whole (the audit's findings).
	ScopeView
	// ScopeNone: nothing need be selected (a new service).
	ScopeNone
)

// refusal is why an action does not start, as a flash.
type refusal struct {
	text  string
	level common.FlashLevel
}

func refuse(level common.FlashLevel, format string, args ...any) *refusal {
	return &refusal{text: fmt.Sprintf(format, args...), level: level}
}

// outcome is what a write did.
type outcome struct {
	results []model.ItemResult // bulk writes: one per item
	err     error
}

// actions is the registry.
var actions = []*Action{
	connectionsAction(true),
	connectionsAction(false),
	{
		Name: "addPrincipal", Keys: []string{"+", "insert"}, Help: "add principal", Group: common.GroupService, Write: true,
		Op: "add principals", Form: addPrincipalsForm, Confirm: addPrincipalsConfirm,
		Do: func(ctx context.Context, b Backend, t common.Target) outcome {
			return outcome{err: b.AddPrincipals(ctx, t.Service.ID, t.Principals)}
		},
		Done:  func(t common.Target) string { return "allowed " + common.Plural(len(t.Principals), "principal") },
		After: invalidatePrincipals,
	},
	{
		Name: "removePrincipal", Keys: []string{"-", "delete"}, Help: "remove principal", Group: common.GroupService, Write: true,
		Op: "remove principals",
		Confirm: func(r *Root, t common.Target) (common.Target, dialog.Spec, *refusal) {
			if len(t.Principals) == 0 {
				return t, dialog.Spec{}, refuse(common.FlashWarn, "no principal selected")
			}
			spec := dialog.Spec{Kind: dialog.Confirm, Danger: true, YesLabel: "Remove",
				Title: "Remove " + common.Plural(len(t.Principals), "principal") + " from " + t.Service.Label() + "?",
				Body: append(append(append([]string{"Service: " + t.Service.ID, ""}, common.Bullet(r.principalLabels(t.Principals), 8)...), hiddenNote(t)...),
					"", "Existing connections stay up; only new connection requests from these principals are refused.")}
			if removesEveryPrincipal(*t.Service, t.Principals) {
				// nobody could request a connection any more: worth typing for
				spec.Kind, spec.Word, spec.WordLabel = dialog.Typed, t.Service.ID, "Type the service id ("+t.Service.ID+") to confirm"
				spec.Body = append(spec.Body, "", "These are ALL the allowed principals: after this nobody can request a new connection.")
			}
			return t, spec, nil
		},
		Do: func(ctx context.Context, b Backend, t common.Target) outcome {
			return outcome{err: b.RemovePrincipals(ctx, t.Service.ID, t.Principals)}
		},
		Done:  func(t common.Target) string { return "removed " + common.Plural(len(t.Principals), "principal") },
		After: invalidatePrincipals,
	},
	{
		Name: "verifyDNS", Keys: []string{"v"}, Help: "verify DNS", Group: common.GroupService, Write: true,
		Op: "private DNS verification", Confirm: verifyDNSConfirm,
		Do: func(ctx context.Context, b Backend, t common.Target) outcome {
			return outcome{err: b.StartDNSVerification(ctx, t.Service.ID)}
		},
		Done: func(t common.Target) string { return "verification of " + t.Service.PrivateDNS.Name + " started" },
	},
	{
		Name: "openConsumer", Keys: []string{"o"}, Help: "consumer page", Group: common.GroupConnections,
		Scope: ScopeConnections, Run: func(r *Root, t common.Target) tea.Cmd {
			if len(t.Connections) == 0 {
				return r.setFlash("no connection selected", common.FlashWarn)
			}
			return r.openConsumer(t.Connections[0].Key())
		},
	},
	{
		Name: "txtRecord", Keys: []string{"t"}, Help: "TXT record", Group: common.GroupService,
		Run: showTXT,
	},
	{
		Name: "payer", Keys: []string{"p"}, Help: "payer", Group: common.GroupService, Write: true,
		Op: "payer responsibility",
		Confirm: func(r *Root, t common.Target) (common.Target, dialog.Spec, *refusal) {
			if t.Service.PayerResponsibility == model.PayerServiceOwner {
				return t, dialog.Spec{}, refuse(common.FlashInfo, "%s already has payer responsibility ServiceOwner", t.Service.Label())
			}
			return t, dialog.Spec{Kind: dialog.Typed, Word: string(model.PayerServiceOwner),
				WordLabel: "Type " + string(model.PayerServiceOwner) + " to confirm",
				Title:     "Make the service owner pay for " + t.Service.Label() + "?",
				Body: []string{
					"Service: " + t.Service.ID,
					"Payer responsibility → ServiceOwner: you pay for consumers' endpoint hours and data processing.",
					"",
					"THIS CANNOT BE UNDONE: once ServiceOwner, it cannot be set back.",
				}}, nil
		},
		Do: func(ctx context.Context, b Backend, t common.Target) outcome {
			return outcome{err: b.SetPayerResponsibility(ctx, t.Service.ID, model.PayerServiceOwner)}
		},
		Done: func(common.Target) string { return "payer responsibility is now ServiceOwner" },
	},
	{
		Name: "addNotification", Keys: []string{"+", "insert"}, Help: "add notification", Group: common.GroupService, Write: true,
		Op: "add notification", Form: addNotificationForm,
		Confirm: func(r *Root, t common.Target) (common.Target, dialog.Spec, *refusal) {
			topic, events := notificationInput(t)
			return t, dialog.Spec{Kind: dialog.Confirm, YesLabel: "Add",
				Title: "Add a notification to " + t.Service.Label() + "?",
				Body:  []string{"Service: " + t.Service.ID, "Topic:   " + topic, "Events:  " + eventsText(events)}}, nil
		},
		Do: func(ctx context.Context, b Backend, t common.Target) outcome {
			topic, events := notificationInput(t)
			_, err := b.CreateNotification(ctx, t.Service.ID, topic, events)
			return outcome{err: err}
		},
		Done: func(common.Target) string { return "notification added" },
	},
	{
		Name: "removeNotification", Keys: []string{"-", "delete"}, Help: "remove notification", Group: common.GroupService, Write: true,
		Op: "delete notifications", Past: "deleted",
		Confirm: func(r *Root, t common.Target) (common.Target, dialog.Spec, *refusal) {
			if len(t.Notifications) == 0 {
				return t, dialog.Spec{}, refuse(common.FlashWarn, "no notification selected")
			}
			return t, dialog.Spec{Kind: dialog.Confirm, Danger: true, YesLabel: "Delete",
				Title: "Delete " + common.Plural(len(t.Notifications), "notification") + " of " + t.Service.Label() + "?",
				Body:  append(append([]string{"Service: " + t.Service.ID, ""}, common.Bullet(t.Notifications, 8)...), hiddenNote(t)...)}, nil
		},
		Do: func(ctx context.Context, b Backend, t common.Target) outcome {
			res, err := b.DeleteNotifications(ctx, t.Notifications)
			return outcome{results: res, err: err}
		},
	},
	{
		Name: "deleteService", Keys: []string{"D"}, Help: "delete service", Group: common.GroupService, Write: true,
		Op: "delete service", Confirm: deleteServiceConfirm, Proceed: proceedDelete,
		Do: func(ctx context.Context, b Backend, t common.Target) outcome {
			return outcome{err: b.DeleteService(ctx, t.Service.ID)}
		},
		Done: func(t common.Target) string { return "deleted " + t.Service.ID },
		After: func(r *Root, _ common.Target) tea.Cmd {
			r.popToHome()
			return nil
		},
	},
	// approval policy, customers, access audit (policy_actions.go)
	{
		Name: "applyPolicy", Keys: []string{"A"}, Help: "apply policy", Group: common.GroupConnections, Write: true,
		Scope: ScopeConnections, Op: "apply policy", Past: "applied", Confirm: applyPolicyConfirm, Do: applyPolicyDo,
		Doing: func(t common.Target) string {
			return "applying the policy to " + common.Plural(len(t.Connections), "request") + "…"
		},
	},
	{
		Name: "describe", Keys: []string{"i"}, Help: "describe", Group: common.GroupConnections,
		Scope: ScopeConnections, Run: describeRun,
	},
	{
		Name: "tagConnection", Keys: []string{"T"}, Help: "tag", Group: common.GroupConnections, Write: true,
		Scope: ScopeConnections, Op: "tag connections", Form: tagForm, Confirm: tagConfirm, Do: tagDo,
		Done:  func(t common.Target) string { return "tagged " + common.Plural(len(t.Connections), "connection") },
		After: func(r *Root, _ common.Target) tea.Cmd { r.clearMarks(); return nil },
	},
	{
		Name: "connectionPayer", Keys: []string{"P"}, Help: "connection payer", Group: common.GroupConnections, Write: true,
		Scope: ScopeConnections, Op: "set payer", Past: "set the payer of", Form: payerForm, Confirm: payerConfirm, Do: payerDo,
	},
	{
		Name: "nameCustomer", Keys: []string{"N"}, Help: "name customer", Group: common.GroupConnections,
		Scope: ScopeConnections, Op: "name customer", Form: nameForm, Apply: nameApply,
		Done: func(t common.Target) string {
			return "named " + t.Connections[0].OwnerAccount + " " + strings.TrimSpace(t.Input[0])
		},
		After: nameAfter,
	},
	{
		Name: "rejectNotAllowed", Keys: []string{"X"}, Help: "reject not allowed", Group: common.GroupService, Write: true,
		Scope: ScopeConnections, Op: "reject connections of removed principals", Past: "rejected",
		Confirm: rejectNotAllowedConfirm,
		Do: func(ctx context.Context, b Backend, t common.Target) outcome {
			return connectionsWrite(ctx, b, false, t.Connections)
		},
	},
	{
		Name: "exportFindings", Keys: []string{"e"}, Help: "export", Group: common.GroupService,
		Scope: ScopeView, Op: "export findings", Form: exportForm, Apply: exportApply,
	},
	// The wizard and the editor are not writes here: read-only mode lets them run to the
	// review (its AWS CLI, Terraform and spec file are the point of a read-only run) and
	// refuses at the create, saying why.
	{
		Name: "newService", Keys: []string{"n"}, Help: "new service", Group: common.GroupService, Scope: ScopeNone,
		Run: func(r *Root, _ common.Target) tea.Cmd { return r.openWizard(wizard.Create, nil, nil) },
	},
	{
		Name: "editService", Keys: []string{"e"}, Help: "edit service", Group: common.GroupService,
		Run: func(r *Root, t common.Target) tea.Cmd { return r.openWizard(wizard.Edit, t.Service, nil) },
	},
}

// actionByName finds a registered action.
func actionByName(name string) *Action {
	for _, a := range actions {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// registerActionKeys declares every action's binding in the key map.
func registerActionKeys(k *common.KeyMap) {
	for _, a := range actions {
		k.Add(a.Name, a.Group, a.Help, a.Write, a.Keys...)
	}
}

// ---- connections ---------------------------------------------------------------------------

func connectionsAction(accept bool) *Action {
	a := &Action{Name: "reject", Keys: []string{"x"}, Help: "reject", Group: common.GroupConnections, Write: true,
		Scope: ScopeConnections, Op: "reject", Past: "rejected"}
	verb, Verb, can := "reject", "Reject", model.ConnectionState.CanReject
	if accept {
		a.Name, a.Keys, a.Help, a.Op, a.Past = "accept", []string{"a"}, "accept", "accept", "accepted"
		verb, Verb, can = "accept", "Accept", model.ConnectionState.CanAccept
	}
	a.Confirm = func(r *Root, t common.Target) (common.Target, dialog.Spec, *refusal) {
		if len(t.Connections) == 0 {
			return t, dialog.Spec{}, refuse(common.FlashWarn, "no connection selected")
		}
		var ok []model.Connection
		for _, c := range t.Connections {
			if can(c.State) {
				ok = append(ok, c)
			}
		}
		skipped := len(t.Connections) - len(ok)
		if len(ok) == 0 {
			if len(t.Connections) == 1 {
				c := t.Connections[0]
				return t, dialog.Spec{}, refuse(common.FlashWarn, "cannot %s %s: it is %s", verb, c.EndpointID, c.State)
			}
			return t, dialog.Spec{}, refuse(common.FlashWarn, "none of the %d selected connections can be %sed in their state", len(t.Connections), verb)
		}
		st := r.ctx.Store
		accounts, services := map[string]int{}, map[string]int{}
		var ids []string
		for _, c := range ok {
			accounts[r.ctx.CustomerLabel(c.OwnerAccount)]++
			services[st.Label(c.ServiceID)]++
			ids = append(ids, c.EndpointID+"  "+r.ctx.CustomerLabel(c.OwnerAccount)+"  "+st.Label(c.ServiceID))
		}
		body := []string{
			"Accounts (" + common.Itoa(len(accounts)) + "): " + common.CountList(accounts, 6),
			"Services (" + common.Itoa(len(services)) + "): " + common.CountList(services, 4),
		}
		if skipped > 0 {
			body = append(body, fmt.Sprintf("Skipped: %d selected connection(s) cannot be %sed in their state.", skipped, verb))
		}
		body = append(append(body, hiddenNote(t)...), "")
		body = append(body, common.Bullet(ids, 6)...)
		if !accept {
			body = append(body, "", "Rejected consumers must create a new endpoint to connect again.")
		}
		t.Connections = ok
		spec := dialog.Spec{Kind: dialog.Confirm, Title: Verb + " " + common.Plural(len(ok), "connection") + "?",
			Body: body, YesLabel: Verb, Danger: !accept}
		if live := liveConnections(ok); !accept && len(live) > 0 {
			// cutting traffic is not answered with one key
			word := "cut " + common.Itoa(len(live))
			spec.Kind, spec.Word, spec.WordLabel = dialog.Typed, word, "Type "+word+" to confirm"
			spec.Body = append([]string{"LIVE: " + r.liveSummary(live), ""}, spec.Body...)
		} else if big := r.bigBulk(ok, len(services)); big != "" {
			word := common.Itoa(len(ok))
			spec.Kind, spec.Word, spec.WordLabel = dialog.Typed, word, "Type "+word+" (the number of connections) to confirm"
			spec.Body = append([]string{big, ""}, spec.Body...)
		}
		return t, spec, nil
	}
	a.Doing = func(t common.Target) string {
		return verb + "ing " + common.Plural(len(t.Connections), "connection") + "…"
	}
	a.Do = func(ctx context.Context, b Backend, t common.Target) outcome {
		return connectionsWrite(ctx, b, accept, t.Connections)
	}
	return a
}

// liveConnections are the ones carrying traffic: a reject cuts them.
func liveConnections(cs []model.Connection) []model.Connection {
	var out []model.Connection
	for _, c := range cs {
		if c.State == model.StateAvailable {
			out = append(out, c)
		}
	}
	return out
}

// liveSummary names the live connections a reject would cut: how many, whose, and the
// traffic they carried when the metrics say.
func (r *Root) liveSummary(live []model.Connection) string {
	accounts := map[string]int{}
	var bytes float64
	var window time.Duration
	known := 0
	for _, c := range live {
		accounts[r.ctx.CustomerLabel(c.OwnerAccount)]++
		if b, w, ok := r.ctx.Store.EndpointTraffic(c.ServiceID, c.EndpointID); ok {
			bytes += b
			window = w
			known++
		}
	}
	text := common.Plural(len(live), "connection") + " carrying traffic now (available) would be cut at once, of " +
		common.CountList(accounts, 4) + "."
	switch {
	case known == len(live) && window > 0:
		text += " They moved " + model.HumanBytes(bytes) + " in the last " + model.HumanDuration(window) + "."
	case known > 0:
		text += " " + common.Itoa(known) + " of them moved " + model.HumanBytes(bytes) + " in the last " + model.HumanDuration(window) + "."
	}
	return text
}

// bigBulk says why an accept or reject is big enough to need its count typed ("" if not).
func (r *Root) bigBulk(cs []model.Connection, services int) string {
	maxConns, maxSvcs := r.opts.BulkConfirmConnections, r.opts.BulkConfirmServices
	switch {
	case maxConns > 0 && len(cs) > maxConns:
		return "BULK: " + common.Plural(len(cs), "connection") + " at once (more than " + common.Itoa(maxConns) + ")."
	case maxSvcs > 0 && services > maxSvcs:
		return "BULK: connections of " + common.Plural(services, "service") + " at once (more than " + common.Itoa(maxSvcs) + ")."
	}
	return ""
}

// hiddenNote says that marked items the filter hides are part of the action.
func hiddenNote(t common.Target) []string {
	if t.Hidden == 0 {
		return nil
	}
	return []string{"Includes " + common.Itoa(t.Hidden) + " marked but hidden by the current filter."}
}

// connectionsWrite accepts or rejects connections, one call per service, and gathers the
// per-item results. A call that fails as a whole fails each of its items with its error.
func connectionsWrite(ctx context.Context, b Backend, accept bool, conns []model.Connection) outcome {
	byService := map[string][]string{}
	var order []string
	for _, c := range conns {
		if _, ok := byService[c.ServiceID]; !ok {
			order = append(order, c.ServiceID)
		}
		byService[c.ServiceID] = append(byService[c.ServiceID], c.EndpointID)
	}
	sort.Strings(order)
	var all []model.ItemResult
	for _, svc := range order {
		ids := byService[svc]
		var res []model.ItemResult
		var err error
		if accept {
			res, err = b.AcceptConnections(ctx, svc, ids)
		} else {
			res, err = b.RejectConnections(ctx, svc, ids)
		}
		if err != nil {
			var dry *model.DryRunResult
			if errors.As(err, &dry) || errors.Is(err, model.ErrReadOnly) {
				return outcome{err: err}
			}
			// awsops returns a result for every id it reached, also when a chunk failed:
			// keep those, and mark only the ids it did not report as failed.
			all = append(all, res...)
			reported := make(map[string]bool, len(res))
			for _, r := range res {
				reported[r.ID] = true
			}
			code, text := errorCode(err), err.Error()
			for _, id := range ids {
				if !reported[id] {
					all = append(all, model.ItemResult{ID: id, OK: false, Code: code, Message: text})
				}
			}
			continue
		}
		all = append(all, res...)
	}
	return outcome{results: all}
}

func errorCode(err error) string {
	var ae *model.AWSError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

// ---- principals ----------------------------------------------------------------------------

func addPrincipalsForm(r *Root, t common.Target) (dialog.Spec, *refusal) {
	return dialog.Spec{Kind: dialog.Form, Title: "Allow principals to connect to " + t.Service.Label(),
		Body: []string{
			"Account ids, or ARNs like arn:aws:iam::<account>:root or …:role/<name>.",
			"Separate several with commas or spaces; * allows everyone.",
		},
		Fields: []dialog.Field{{Label: "Principals"}},
		Validate: func(vals []string) error {
			items := common.SplitList(vals[0])
			if len(items) == 0 {
				return errors.New("enter at least one principal")
			}
			for _, it := range items {
				if _, err := model.NormalizePrincipal(it); err != nil {
					return err
				}
			}
			return nil
		},
	}, nil
}

// principalsInput is the form's principals, normalised (validated by the form), each once.
func principalsInput(t common.Target) []string {
	var arns []string
	for _, it := range common.SplitList(t.Input[0]) {
		n, _ := model.NormalizePrincipal(it)
		if !slices.Contains(arns, n) {
			arns = append(arns, n)
		}
	}
	return arns
}

// addPrincipalsConfirm asks about the principals that are not allowed yet; those that are
// are named and not sent again, and one of another partition than the service's is warned of.
func addPrincipalsConfirm(r *Root, t common.Target) (common.Target, dialog.Spec, *refusal) {
	var arns, already []string
	for _, a := range principalsInput(t) {
		if slices.ContainsFunc(t.Service.AllowedPrincipals, func(p model.Principal) bool { return p.ARN == a }) {
			already = append(already, a)
		} else {
			arns = append(arns, a)
		}
	}
	if len(arns) == 0 {
		what := already[0] + " is"
		if len(already) > 1 {
			what = "all " + common.Plural(len(already), "principal") + " are"
		}
		return t, dialog.Spec{}, refuse(common.FlashInfo, "%s already allowed on %s: nothing to add", what, t.Service.Label())
	}
	t.Principals = arns
	wildcard := false
	for _, a := range arns {
		wildcard = wildcard || a == "*"
	}
	body := append([]string{"Service: " + t.Service.ID, ""}, common.Bullet(arns, 8)...)
	if len(already) > 0 {
		body = append(body, "", "Already allowed, not sent again: "+strings.Join(already, ", "))
	}
	for _, a := range arns {
		if why := model.PrincipalPartitionMismatch(a, r.ctx.Store.Identity().Region); why != "" {
			body = append(body, "", "WARNING: "+why+".")
		}
	}
	if wildcard {
		warn := "* lets EVERY AWS account request a connection to this service."
		if !t.Service.AcceptanceRequired {
			warn += " Acceptance is NOT required, so every request is connected automatically."
		}
		return t, dialog.Spec{Kind: dialog.Typed, Title: "Allow everyone (*) to connect to " + t.Service.Label() + "?",
			Body: append(body, "", warn), Word: "everyone", WordLabel: "Type everyone to confirm"}, nil
	}
	return t, dialog.Spec{Kind: dialog.Confirm, Title: "Allow " + common.Plural(len(arns), "principal") + " on " + t.Service.Label() + "?",
		Body: body, YesLabel: "Allow"}, nil
}

// removesEveryPrincipal says whether removing arns leaves the service with no allowed
// principal (its principals must have been read: the service page's target has them).
func removesEveryPrincipal(svc model.EndpointService, arns []string) bool {
	if len(svc.AllowedPrincipals) == 0 {
		return false
	}
	for _, p := range svc.AllowedPrincipals {
		if !slices.Contains(arns, p.ARN) {
			return false
		}
	}
	return true
}

func invalidatePrincipals(r *Root, t common.Target) tea.Cmd {
	r.ctx.Store.InvalidatePrincipals(t.Service.ID)
	return nil
}

// ---- notifications -------------------------------------------------------------------------

var notificationEvents = []model.NotificationEvent{model.EventAccept, model.EventConnect, model.EventDelete, model.EventReject}

func parseEvents(s string) ([]model.NotificationEvent, error) {
	var out []model.NotificationEvent
	for _, e := range common.SplitList(s) {
		found := false
		for _, known := range notificationEvents {
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

func addNotificationForm(r *Root, t common.Target) (dialog.Spec, *refusal) {
	return dialog.Spec{Kind: dialog.Form, Title: "Add a connection notification to " + t.Service.Label(),
		Body:   []string{"AWS publishes connection events of this service to the SNS topic."},
		Fields: []dialog.Field{{Label: "SNS topic ARN"}, {Label: "Events (Accept, Connect, Delete, Reject)", Value: "Accept,Connect,Delete,Reject"}},
		Validate: func(vals []string) error {
			if err := model.ValidateSNSTopicARN(strings.TrimSpace(vals[0])); err != nil {
				return err
			}
			_, err := parseEvents(vals[1])
			return err
		},
	}, nil
}

func notificationInput(t common.Target) (string, []model.NotificationEvent) {
	events, _ := parseEvents(t.Input[1])
	return strings.TrimSpace(t.Input[0]), events
}

func eventsText(events []model.NotificationEvent) string {
	return strings.Join(model.EventNames(events), ", ")
}

// ---- private DNS ---------------------------------------------------------------------------

// txtLines describes a service's verification record; value is the TXT value to copy, ok
// false when the service has no private DNS name.
func txtLines(svc model.EndpointService) (lines []string, value string, ok bool) {
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

func showTXT(r *Root, t common.Target) tea.Cmd {
	if t.Service == nil {
		return nil
	}
	lines, value, ok := txtLines(*t.Service)
	if !ok {
		return r.setFlash(t.Service.Label()+" has no private DNS name", common.FlashInfo)
	}
	r.openDialog(dialog.Spec{Kind: dialog.Info, Title: "Private DNS verification record", Body: lines,
		CopyText: value, CopyLabel: "the TXT value"}, nil)
	return nil
}

func verifyDNSConfirm(r *Root, t common.Target) (common.Target, dialog.Spec, *refusal) {
	lines, _, ok := txtLines(*t.Service)
	if !ok {
		return t, dialog.Spec{}, refuse(common.FlashWarn, "%s has no private DNS name to verify", t.Service.Label())
	}
	if t.Service.PrivateDNS.State == model.DNSVerified {
		return t, dialog.Spec{}, refuse(common.FlashInfo, "%s is already verified", t.Service.PrivateDNS.Name)
	}
	body := append(lines, "", "AWS then looks the record up; the state goes from pendingVerification to verified or failed.")
	return t, dialog.Spec{Kind: dialog.Confirm, Title: "Start private DNS verification for " + t.Service.Label() + "?",
		Body: body, YesLabel: "Verify"}, nil
}

// ---- delete service ------------------------------------------------------------------------

func deleteServiceConfirm(r *Root, t common.Target) (common.Target, dialog.Spec, *refusal) {
	svc := t.Service
	sum := r.ctx.Store.Summary(svc.ID)
	body := []string{
		"Service: " + svc.ID + " (" + svc.Label() + ")",
		"Connections: " + common.Itoa(sum.PendingAcceptance()) + " pending acceptance, " +
			common.Itoa(sum.Count(model.StatePending)) + " pending, " + common.Itoa(sum.Available()) + " available.",
	}
	if !sum.CanDeleteService() {
		body = append(body, "AWS refuses to delete a service with "+sum.DeleteBlockersText()+" connections. Once you confirm, "+
			"plconsole shows them and asks before each step: 1. reject them, 2. delete the service, 3. confirm it is gone.")
	}
	body = append(body, "", "Deleting the service cannot be undone.")
	return t, dialog.Spec{Kind: dialog.Typed, Title: "Delete endpoint service " + svc.Label() + "?", Body: body,
		Word: svc.ID, WordLabel: "Type the service id (" + svc.ID + ") to confirm"}, nil
}
