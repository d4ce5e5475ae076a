package table

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/ui/common"
)

// List is a table over a small, already ordered set of rows with a filter: the principals,
// targets, notifications and API-call tables.
type List struct {
	*Table
	all    []*Row
	filter string
}

// NewList makes a list over the columns; empty is what it says with no rows.
func NewList(ctx *common.Context, cols []Column, empty string) *List {
	t := New(ctx, cols)
	t.Empty = empty
	return &List{Table: t}
}

// SetAll replaces every row (before the filter).
func (l *List) SetAll(rows []*Row) { l.all = rows; l.apply() }

// All is every row before the filter.
func (l *List) All() []*Row { return l.all }

// Filter is the current filter query.
func (l *List) Filter() string { return l.filter }

// SetFilter filters the rows; marks on hidden rows stay.
func (l *List) SetFilter(f string) {
	if f != l.filter {
		prev := l.CurrentID()
		l.filter = f
		l.apply()
		l.FollowFilter(prev)
	}
}

func (l *List) apply() {
	f := common.CompileFilter(l.filter)
	out := make([]*Row, 0, len(l.all))
	for _, r := range l.all {
		if f.Match(r.Haystack) {
			out = append(out, r)
		}
	}
	l.SetRows(out)
	l.PruneMarks(l.all)
}

// MarkedOrCurrent is what an action on the list applies to: every marked id (shown or not),
// else the row under the cursor.
func (l *List) MarkedOrCurrent() []string {
	if ids := l.MarkedIDs(); len(ids) > 0 {
		return ids
	}
	if r := l.Current(); r != nil {
		return []string{r.ID}
	}
	return nil
}

// Follow answers the messages a page over a synced, markable table answers like every
// other: the data changed or the page was shown (sync), the session changed (clear the
// marks, sync from scratch), the marks were used (clear them). It reports whether msg was
// one of them.
func Follow(msg tea.Msg, t *Table, sync func(force bool)) bool {
	switch msg.(type) {
	case common.DataChangedMsg, common.ShownMsg:
		sync(false)
	case common.SessionChangedMsg:
		t.ClearMarks()
		sync(true)
	case common.ClearMarksMsg:
		t.ClearMarks()
	default:
		return false
	}
	return true
}

// Navigate handles the movement keys every table shares; it reports whether msg was one.
func Navigate(k *common.KeyMap, t *Table, msg tea.KeyMsg) bool {
	name, ok := k.Match(msg, common.NavigationKeys)
	if !ok {
		return false
	}
	switch name {
	case common.KeyUp:
		t.Move(-1)
	case common.KeyDown:
		t.Move(1)
	case common.KeyPageUp:
		t.PageUp()
	case common.KeyPageDown:
		t.PageDown()
	case common.KeyTop:
		t.Top()
	case common.KeyBottom:
		t.Bottom()
	}
	return true
}

// Versions gives rows versions that change only when their cells do, so the row cache
// survives refreshes of unchanged data.
type Versions struct {
	seq   uint64
	cells map[string][]string
	ver   map[string]uint64
}

// Stamp sets r.Version: the same as last time when r's cells are unchanged.
func (rv *Versions) Stamp(r *Row) {
	if rv.cells == nil {
		rv.cells, rv.ver = map[string][]string{}, map[string]uint64{}
	}
	old, ok := rv.cells[r.ID]
	same := ok && len(old) == len(r.Cells)
	if same {
		for i := range old {
			if old[i] != r.Cells[i] {
				same = false
				break
			}
		}
	}
	if !same {
		rv.seq++
		rv.cells[r.ID] = r.Cells
		rv.ver[r.ID] = rv.seq
	}
	r.Version = rv.ver[r.ID]
}

// Order is the sort a page cycles through with s (next column) and S (reverse): Names[Idx]
// is the current one, Names[0] the default.
type Order struct {
	Names []string
	Idx   int
	Desc  bool
}

// Name is the current order's name.
func (o *Order) Name() string { return o.Names[o.Idx] }

// Key handles the sort keys: it reports whether msg was one, and the flash to show.
func (o *Order) Key(k *common.KeyMap, msg tea.KeyMsg) (tea.Cmd, bool) {
	switch {
	case k.Is(msg, common.KeySortNext):
		o.Idx = (o.Idx + 1) % len(o.Names)
		o.Desc = false
		return common.Flash("sorted by "+o.Name(), common.FlashInfo), true
	case k.Is(msg, common.KeySortReverse):
		o.Desc = !o.Desc
		return nil, true
	}
	return nil, false
}
