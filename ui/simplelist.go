package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// simpleList is a table over a small, already ordered set of rows with a filter: the
// principals, targets, notifications and API-call tables.
type simpleList struct {
	ctx    *Context
	table  *Table
	all    []*Row
	filter string
}

func newSimpleList(ctx *Context, cols []Column, empty string) *simpleList {
	t := NewTable(ctx, cols)
	t.Empty = empty
	return &simpleList{ctx: ctx, table: t}
}

func (l *simpleList) SetRows(rows []*Row) { l.all = rows; l.apply() }

func (l *simpleList) SetFilter(f string) {
	if f != l.filter {
		l.filter = f
		l.apply()
	}
}

func (l *simpleList) apply() {
	f := compileFilter(l.filter)
	out := make([]*Row, 0, len(l.all))
	for _, r := range l.all {
		if f.match(r.Haystack) {
			out = append(out, r)
		}
	}
	l.table.SetRows(out)
	l.table.PruneMarks(out)
}

// navigate handles the movement keys shared by every table.
func navigate(k *KeyMap, t *Table, msg tea.KeyMsg) bool {
	switch {
	case key.Matches(msg, k.Up):
		t.Move(-1)
	case key.Matches(msg, k.Down):
		t.Move(1)
	case key.Matches(msg, k.PageUp):
		t.PageUp()
	case key.Matches(msg, k.PageDown):
		t.PageDown()
	case key.Matches(msg, k.Top):
		t.Top()
	case key.Matches(msg, k.Bottom):
		t.Bottom()
	default:
		return false
	}
	return true
}

// rowsVersioned gives rows versions that change only when their cells do, so the row cache
// survives refreshes of unchanged data.
type rowVersions struct {
	seq   uint64
	cells map[string][]string
	ver   map[string]uint64
}

func (rv *rowVersions) stamp(r *Row) {
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
