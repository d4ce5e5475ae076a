package detail

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/table"
	"github.com/plconsole/plconsole/ui/pages/inbox"
)

// listPane is a filtered, markable list of the service's principals or notifications.
type listPane struct {
	*table.List
	ctx        *common.Context
	versions   table.Versions
	loaded     bool
	name_      string
	short_     string
	acts       []string
	what, none string
	rows       func(svc model.EndpointService) []*table.Row
	// toTarget puts the selected ids into the target
	toTarget func(t *common.Target, ids []string)
	// statusOf is the line under the list (nil: none); status is its last value
	statusOf func(d *data) string
	status_  string
}

var listKeys = append([]string{common.KeyMark}, common.NavigationKeys...)

func newPrincipals(ctx *common.Context) *listPane {
	l := &listPane{
		List: table.NewList(ctx, []table.Column{
			{Title: "PRINCIPAL", Width: 52, Flex: 2, Min: 24}, {Title: "CUSTOMER", Width: 16, Min: 8},
			{Title: "TYPE", Width: 14, Drop: 2}, {Title: "CONNS", Width: 5, Right: true, Drop: 1},
			{Title: "TAGS", Width: 16, Flex: 1, Drop: 4}, {Title: "PERMISSION ID", Width: 31, Drop: 3},
		}, ""),
		ctx: ctx, name_: "Principals", short_: "Principals", acts: []string{"addPrincipal", "removePrincipal", "rejectNotAllowed"},
		what: "allowed principals", none: "no allowed principals: nobody can connect (add one with +)",
		toTarget: func(t *common.Target, ids []string) { t.Principals = ids },
	}
	l.rows = func(s model.EndpointService) []*table.Row {
		l.SetHidden(1, ctx.Customers.Len() == 0)
		live := map[string]int{}
		for _, c := range ctx.Store.ServiceConnections(s.ID) {
			if model.Live(c.State) {
				live[c.OwnerAccount]++
			}
		}
		var rows []*table.Row
		for _, p := range s.AllowedPrincipals {
			typ := p.Type
			acct := model.AccountOfPrincipal(p.ARN)
			cust, conns := ctx.Customer(acct), ""
			if p.ARN == "*" {
				typ = "All (everyone)"
			} else if acct != "" {
				conns = common.Itoa(live[acct])
			}
			tags := inbox.TagsText(p.Tags)
			r := &table.Row{ID: p.ARN, Cells: []string{p.ARN, cust, typ, conns, tags, p.ID},
				Haystack: common.Haystack(p.ARN, cust, ctx.Customers.Tier(acct), p.Type, p.ID, tags)}
			r.Accents = make([]table.Accent, len(r.Cells))
			r.Accents[1] = table.AccBold
			switch {
			case p.ARN == "*":
				r.Accents[0], r.Accents[2] = table.AccBad, table.AccBad
			case conns == "0":
				r.Accents[3] = table.AccDim
			}
			rows = append(rows, r)
		}
		return rows
	}
	l.statusOf = func(d *data) string {
		if !d.detailed {
			return ""
		}
		unused, notAllowed := 0, 0
		for _, f := range ctx.Store.Access(ctx.Customers, ctx.PolicyGen).Findings {
			if f.ServiceID != d.svc.ID {
				continue
			}
			switch f.Code {
			case model.CodePrincipalUnused:
				unused++
			case model.CodeConnectionNotAllowed:
				notAllowed += len(f.Connections)
			}
		}
		s := common.Plural(len(d.svc.AllowedPrincipals), "principal")
		if unused > 0 {
			s += " · " + common.Itoa(unused) + " without a connection"
		}
		if notAllowed > 0 {
			s += " · " + common.Plural(notAllowed, "connection") + " from accounts no longer allowed (X rejects)"
		}
		return s
	}
	return l
}

func newNotifications(ctx *common.Context) *listPane {
	l := &listPane{
		List: table.NewList(ctx, []table.Column{
			{Title: "ID", Width: 26, Min: 26}, {Title: "SNS TOPIC", Width: 30, Flex: 1, Min: 16}, {Title: "EVENTS", Width: 28, Min: 14}, {Title: "STATE", Width: 8},
		}, ""),
		ctx: ctx, name_: "Notifications", short_: "Notifs", acts: []string{"addNotification", "removeNotification"},
		what: "notifications", none: "no connection notifications (add one with +)",
		toTarget: func(t *common.Target, ids []string) { t.Notifications = ids },
	}
	l.rows = func(s model.EndpointService) []*table.Row {
		var rows []*table.Row
		for _, n := range s.Notifications {
			ev := model.EventNames(n.Events)
			rows = append(rows, &table.Row{ID: n.ID, Cells: []string{n.ID, n.TopicARN, strings.Join(ev, ","), n.State},
				Haystack: common.Haystack(n.ID, n.TopicARN, strings.Join(ev, ","), n.State)})
		}
		return rows
	}
	return l
}

func (l *listPane) name() string          { return l.name_ }
func (l *listPane) short() string         { return l.short_ }
func (l *listPane) actions() []string     { return l.acts }
func (l *listPane) status() string        { return l.status_ }
func (l *listPane) Init() tea.Cmd         { return nil }
func (l *listPane) Capturing() bool       { return false }
func (l *listPane) KeyBindings() []string { return listKeys }
func (l *listPane) View() string          { return l.List.View() }
func (l *listPane) SetSize(w, h int)      { l.List.SetSize(w, h) }
func (l *listPane) ShortHelp() []string {
	return append(append([]string{}, l.acts...), common.KeyMark, common.KeyFilter)
}

func (l *listPane) count() (int, bool) { return len(l.All()), l.loaded }

func (l *listPane) sync(d *data) {
	l.loaded = d.detailed
	rows := l.rows(d.svc)
	for _, r := range rows {
		l.versions.Stamp(r)
	}
	l.SetAll(rows)
	l.Empty = common.EmptyText(d.detailed, d.err, l.Filter(), l.what, l.none)
	if l.statusOf != nil {
		l.status_ = l.statusOf(d)
	}
}

// SetFilter filters the list; the empty text depends on the filter.
func (l *listPane) SetFilter(f string) {
	l.List.SetFilter(f)
	if l.loaded {
		l.Empty = common.EmptyText(true, nil, f, l.what, l.none)
	}
}

// Copyables are the current row's principal ARN, or notification id and topic.
func (l *listPane) Copyables() []common.Copyable {
	r := l.Current()
	if r == nil {
		return nil
	}
	if l.name_ == "Principals" {
		return []common.Copyable{common.Copy("Principal ARN", r.ID)}
	}
	return []common.Copyable{common.Copy("Notification id", r.ID), common.Copy("SNS topic ARN", r.Cells[1])}
}

func (l *listPane) target(model.EndpointService) common.Target {
	var t common.Target
	l.toTarget(&t, l.MarkedOrCurrent())
	t.Hidden = l.HiddenMarked()
	return t
}

func (l *listPane) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return l, nil
	}
	k := l.ctx.Keys
	if k.Is(km, common.KeyMark) {
		l.ToggleMark()
		l.Move(1)
		return l, nil
	}
	table.Navigate(k, l.Table, km)
	return l, nil
}
