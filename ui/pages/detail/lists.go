package detail

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/table"
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
}

var listKeys = append([]string{common.KeyMark}, common.NavigationKeys...)

func newPrincipals(ctx *common.Context) *listPane {
	l := &listPane{
		List: table.NewList(ctx, []table.Column{
			{Title: "PRINCIPAL", Width: 40, Flex: 1, Min: 24}, {Title: "TYPE", Width: 14, Drop: 1}, {Title: "PERMISSION ID", Width: 31, Drop: 2},
		}, ""),
		ctx: ctx, name_: "Principals", short_: "Principals", acts: []string{"addPrincipal", "removePrincipal"},
		what: "allowed principals", none: "no allowed principals: nobody can connect (add one with +)",
		toTarget: func(t *common.Target, ids []string) { t.Principals = ids },
	}
	l.rows = func(s model.EndpointService) []*table.Row {
		var rows []*table.Row
		for _, p := range s.AllowedPrincipals {
			typ := p.Type
			if p.ARN == "*" {
				typ = "All (everyone)"
			}
			r := &table.Row{ID: p.ARN, Cells: []string{p.ARN, typ, p.ID}, Haystack: common.Haystack(p.ARN, p.Type, p.ID)}
			if p.ARN == "*" {
				r.Accents = []table.Accent{table.AccBad, table.AccBad}
			}
			rows = append(rows, r)
		}
		return rows
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
			ev := make([]string, len(n.Events))
			for i, e := range n.Events {
				ev[i] = string(e)
			}
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
func (l *listPane) status() string        { return "" }
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
}

// SetFilter filters the list; the empty text depends on the filter.
func (l *listPane) SetFilter(f string) {
	l.List.SetFilter(f)
	if l.loaded {
		l.Empty = common.EmptyText(true, nil, f, l.what, l.none)
	}
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
