package ui

import (
	"cmp"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
)

// inboxSorts are the orders `s` cycles through; the first is the default (work first).
var inboxSortNames = []string{"state", "endpoint", "owner", "service", "age", "region"}

// InboxView is the connections inbox: every connection across services (or one service's,
// when scoped), pending first. It filters and sorts only when the data, the filter or the
// order changes; the table renders only the visible window.
type InboxView struct {
	ctx      *Context
	store    *connStore
	scope    string // service id; "" = every service
	table    *Table
	filter   string
	sortIdx  int
	sortDesc bool
	seenGen  uint64
	total    int   // rows in scope before the filter
	loadErr  error // the last connections read failed
}

func inboxColumns() []Column {
	return []Column{
		{Title: "ENDPOINT", Width: 22, Min: 22},
		{Title: "OWNER", Width: 12, Min: 12},
		{Title: "SERVICE", Width: 16, Flex: 1},
		{Title: "STATE", Width: 17},
		{Title: "AGE", Width: 5, Right: true, Drop: 1},
		{Title: "REGION", Width: 14, Drop: 2},
		{Title: "IP TYPE", Width: 9, Drop: 3},
	}
}

// NewInboxView makes an inbox over the store; scope limits it to one service.
func NewInboxView(ctx *Context, store *connStore, scope string) *InboxView {
	cols := inboxColumns()
	// a scoped inbox (a service's Connections tab) shows one service: its column says nothing
	cols[inboxColService].Hide = scope != ""
	t := NewTable(ctx, cols)
	t.TimeCol = inboxColAge
	t.Empty = "no connections"
	v := &InboxView{ctx: ctx, store: store, scope: scope, table: t}
	v.sync(true)
	return v
}

func (v *InboxView) SetSize(w, h int) { v.table.SetSize(w, h) }

func (v *InboxView) SetScope(serviceID string) {
	if v.scope != serviceID {
		v.scope = serviceID
		v.table.ClearMarks()
		v.sync(true)
	}
}

func (v *InboxView) Title() string { return "Connections" }

func (v *InboxView) Filter() string { return v.filter }

func (v *InboxView) SetFilter(f string) {
	if f != v.filter {
		v.filter = f
		v.sync(true)
	}
}

// Refresh re-derives the rows if the store changed since the last look.
func (v *InboxView) Refresh() { v.sync(false) }

// SetLoadErr records why the last connections read failed (nil: it did not), for the empty
// table's text.
func (v *InboxView) SetLoadErr(err error) {
	v.loadErr = err
	v.table.Empty = emptyText(v.store.loaded, err, v.filter, "connections", "no connections")
}

func (v *InboxView) sync(force bool) {
	if !force && v.seenGen == v.store.gen {
		return
	}
	v.seenGen = v.store.gen
	v.table.Empty = emptyText(v.store.loaded, v.loadErr, v.filter, "connections", "no connections")
	f := compileFilter(v.filter)
	sel := make([]*connEntry, 0, len(v.store.entries))
	v.total = 0
	for _, e := range v.store.entries {
		if v.scope != "" && e.c.ServiceID != v.scope {
			continue
		}
		v.total++
		if f.match(e.row.Haystack) {
			sel = append(sel, e)
		}
	}
	cmpFn := inboxCompare(v.sortIdx)
	if v.sortDesc {
		slices.SortFunc(sel, func(a, b *connEntry) int { return cmpFn(b, a) })
	} else {
		slices.SortFunc(sel, cmpFn)
	}
	rows := make([]*Row, len(sel))
	for i, e := range sel {
		rows[i] = e.row
	}
	v.table.SetRows(rows)
	v.table.PruneMarks(rows)
	v.table.SetSortIndicator(inboxSortColumn(v.sortIdx), v.sortDesc != (inboxSortNames[v.sortIdx] == "age"))
}

func inboxSortColumn(i int) int {
	return []int{inboxColState, inboxColEndpoint, inboxColOwner, inboxColService, inboxColAge, inboxColRegion}[i]
}

func inboxCompare(i int) func(a, b *connEntry) int {
	tie := func(a, b *connEntry) int { return strings.Compare(a.row.ID, b.row.ID) }
	switch inboxSortNames[i] {
	case "endpoint":
		return func(a, b *connEntry) int { return strings.Compare(a.c.EndpointID, b.c.EndpointID) }
	case "owner":
		return func(a, b *connEntry) int {
			return cmp.Or(strings.Compare(a.c.OwnerAccount, b.c.OwnerAccount), tie(a, b))
		}
	case "service":
		return func(a, b *connEntry) int { return cmp.Or(strings.Compare(a.label, b.label), tie(a, b)) }
	case "age": // newest first
		return func(a, b *connEntry) int { return cmp.Or(b.c.Created.Compare(a.c.Created), tie(a, b)) }
	case "region":
		return func(a, b *connEntry) int { return cmp.Or(strings.Compare(a.c.Region, b.c.Region), tie(a, b)) }
	}
	// work first: pending acceptance, then the longest waiting
	return func(a, b *connEntry) int {
		return cmp.Or(cmp.Compare(a.c.State.Rank(), b.c.State.Rank()), a.c.Created.Compare(b.c.Created), tie(a, b))
	}
}

// Targets returns the connections an accept/reject applies to: the marked ones, or the
// one under the cursor.
func (v *InboxView) Targets() []model.Connection {
	var out []model.Connection
	if rows := v.table.MarkedRows(); len(rows) > 0 {
		for _, r := range rows {
			if c, ok := v.store.find(r.ID); ok {
				out = append(out, c)
			}
		}
		return out
	}
	if r := v.table.Current(); r != nil {
		if c, ok := v.store.find(r.ID); ok {
			out = append(out, c)
		}
	}
	return out
}

// HandleKey handles the inbox's own keys and reports actions for the root to perform.
func (v *InboxView) HandleKey(msg tea.KeyMsg) (action, bool) {
	k := v.ctx.Keys
	if navigate(k, v.table, msg) {
		return nil, true
	}
	switch {
	case key.Matches(msg, k.Mark):
		v.table.ToggleMark()
		v.table.Move(1)
	case key.Matches(msg, k.MarkAll):
		v.table.MarkAll()
	case key.Matches(msg, k.SortNext):
		v.sortIdx = (v.sortIdx + 1) % len(inboxSortNames)
		v.sortDesc = false
		v.sync(true)
		return actFlash{text: "sorted by " + inboxSortNames[v.sortIdx], level: flashInfo}, true
	case key.Matches(msg, k.SortReverse):
		v.sortDesc = !v.sortDesc
		v.sync(true)
	case key.Matches(msg, k.Accept):
		return actConnections{accept: true, conns: v.Targets()}, true
	case key.Matches(msg, k.Reject):
		return actConnections{accept: false, conns: v.Targets()}, true
	case key.Matches(msg, k.Enter):
		if r := v.table.Current(); r != nil {
			if c, ok := v.store.find(r.ID); ok && v.scope == "" {
				return actOpenService{id: c.ServiceID, tab: tabConnections, focus: r.ID}, true
			}
		}
	default:
		return nil, false
	}
	return nil, true
}

func (v *InboxView) ShortHelp() []*key.Binding {
	k := v.ctx.Keys
	return []*key.Binding{&k.Accept, &k.Reject, &k.Mark, &k.MarkAll, &k.Filter, &k.SortNext, &k.Enter}
}

// Status is the line under the table: counts, marks and the sort.
func (v *InboxView) Status() string {
	s := itoa(v.table.Len()) + "/" + itoa(v.total) + " connections"
	if n := v.table.MarkedCount(); n > 0 {
		s += " · " + itoa(n) + " marked"
	}
	return s
}

func (v *InboxView) View() string { return v.table.View() }
