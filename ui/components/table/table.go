package table

import (
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/ui/common"
)

// Accent is a cell's colour class; the table maps it to a style of the current theme.
type Accent uint8

const (
	AccNone Accent = iota
	AccOK
	AccWarn
	AccBad
	AccInfo
	AccDim
	AccAccent
	AccBold
	accCount
)

// Column describes one table column. Width is the fixed width; Flex columns share what is
// left of the terminal width in proportion to Flex (never below Width).
type Column struct {
	Title string
	Width int
	Flex  int
	Right bool
	Min   int // never shrunk below this when the terminal is narrow
	// Max caps what Flex gives the column on a wide terminal (0: no cap); what it would have
	// taken goes to the other flex columns, or stays blank at the right.
	Max int
	// Drop hides the column when the terminal is too narrow for every column; the highest
	// Drop goes first; 0 is never hidden.
	Drop int
	// Hide never shows the column (e.g. SERVICE in a list scoped to one service).
	Hide bool
}

// Row is one table row. The table caches the rendered string of a row by ID and Version:
// whoever builds rows bumps Version when any cell changes.
type Row struct {
	ID      string
	Version uint64
	Cells   []string
	Accents []Accent // per cell; nil = none
	// Short are shorter forms of cells, shown when a cell does not fit its column (a zone
	// name without its id); nil or "" = none.
	Short []string
	New   bool // highlighted as a new arrival
	// Span rows are one line across the whole width (a group header): Cells[0] is the
	// text, styled by whoever built it; columns and accents do not apply.
	Span bool
	Time time.Time
	// Haystack is the lower-cased text the filter searches.
	Haystack string
}

type rowCache struct {
	version uint64
	gen     uint64
	age     string
	marked  bool
	s       [2]string // [0] plain, [1] under the cursor
	ok      [2]bool
}

// Table is a lightweight, fleet-scale table: it renders only the visible window, caches each
// rendered row by id+version (dropped when the width or theme changes), and keeps the cursor
// on the same row id when its rows are replaced. Sorting and filtering belong to its owner,
// which hands over the rows in display order only when they change.
type Table struct {
	ctx    *common.Context
	cols   []Column
	widths []int
	hidden []bool
	rows   []*Row
	cursor int
	offset int
	width  int
	height int // including the header line
	// TimeCol is the column whose cell is the age of Row.Time, rendered against ctx.Now.
	TimeCol int
	Empty   string
	marked  map[string]struct{}
	cache   map[string]*rowCache
	gen     uint64 // our own generation: width/columns/theme changes bump it
	ctxGen  uint64
	themed  bool
	sortCol int
	sortDsc bool
	header  string
	hdrGen  uint64
	hdrInd  string // the scroll indicator the cached header carries
	sgr     [accCount][2]string
	sel     [2]string
	newSGR  [2]string
	markSGR [2]string
}

// NewTable makes a table over the given columns.
func New(ctx *common.Context, cols []Column) *Table {
	t := &Table{ctx: ctx, cols: cols, TimeCol: -1, marked: map[string]struct{}{},
		cache: map[string]*rowCache{}, sortCol: -1, gen: 1}
	return t
}

// SetSize sets the table's width and height (height includes the column header line).
func (t *Table) SetSize(w, h int) {
	if w < 0 {
		w = 0
	}
	if h < 0 {
		h = 0
	}
	if w != t.width {
		t.width = w
		t.gen++
		t.layout()
	}
	t.height = h
	t.clamp()
}

// SetHidden shows or hides a column for good (Column.Hide), as what it would show comes and
// goes (the policy column without a policy).
func (t *Table) SetHidden(col int, hide bool) {
	if col < 0 || col >= len(t.cols) || t.cols[col].Hide == hide {
		return
	}
	t.cols[col].Hide = hide
	t.gen++
	t.layout()
}

// SetSortIndicator shows which column the owner sorts by.
func (t *Table) SetSortIndicator(col int, desc bool) {
	if col != t.sortCol || desc != t.sortDsc {
		t.sortCol, t.sortDsc = col, desc
		t.hdrGen = 0
	}
}

func (t *Table) layout() {
	n := len(t.cols)
	t.widths = make([]int, n)
	t.hidden = make([]bool, n)
	avail := t.width - 2 // gutter: mark + new
	total := func() int {
		sum, shown := 0, 0
		for i := range t.cols {
			if !t.hidden[i] {
				sum += t.widths[i]
				shown++
			}
		}
		return sum + max(shown-1, 0)
	}
	for i, c := range t.cols {
		t.widths[i] = c.Width
		if c.Hide {
			t.hidden[i], t.widths[i] = true, 0
		}
	}
	// too narrow: first hide the least important columns (highest Drop first) …
	for total() > avail {
		at := -1
		for i, c := range t.cols {
			if !t.hidden[i] && c.Drop > 0 && (at < 0 || c.Drop > t.cols[at].Drop) {
				at = i
			}
		}
		if at < 0 {
			break
		}
		t.hidden[at] = true
		t.widths[at] = 0
	}
	// … then take a cell at a time from the widest column still wider than its minimum
	for over := total() - avail; over > 0; over-- {
		at, widest := -1, 0
		for i, c := range t.cols {
			minW := max(c.Min, min(len(c.Title), 6))
			if !t.hidden[i] && t.widths[i] > minW && t.widths[i] > widest {
				at, widest = i, t.widths[i]
			}
		}
		if at < 0 {
			break
		}
		t.widths[at]--
	}
	// extra width goes to the flex columns in proportion, none past its Max
	for extra := avail - total(); extra > 0; {
		flex := 0
		for i, c := range t.cols {
			if t.growable(i) {
				flex += c.Flex
			}
		}
		if flex == 0 {
			break
		}
		given, last := 0, -1
		for i, c := range t.cols {
			if !t.growable(i) {
				continue
			}
			add := extra * c.Flex / flex
			if c.Max > 0 {
				add = min(add, c.Max-t.widths[i])
			}
			t.widths[i] += add
			given += add
			last = i
		}
		if given == 0 && last >= 0 {
			// rounding left less than one cell a column: the last one takes it
			t.widths[last]++
			given = 1
		}
		extra -= given
	}
	t.hdrGen = 0
}

// growable says whether flex may widen column i.
func (t *Table) growable(i int) bool {
	c := t.cols[i]
	return c.Flex > 0 && !t.hidden[i] && (c.Max == 0 || t.widths[i] < c.Max)
}

// Rows returns the rows in display order.
func (t *Table) Rows() []*Row { return t.rows }

// Len is the number of rows shown.
func (t *Table) Len() int { return len(t.rows) }

// SetRows replaces the rows (already filtered and sorted), keeping the cursor on the same
// row id when it is still present, at the same screen position.
func (t *Table) SetRows(rows []*Row) {
	var curID string
	screenPos := t.cursor - t.offset
	if t.cursor >= 0 && t.cursor < len(t.rows) {
		curID = t.rows[t.cursor].ID
	}
	t.rows = rows
	if curID != "" {
		for i, r := range rows {
			if r.ID == curID {
				t.cursor = i
				t.offset = i - screenPos
				break
			}
		}
	}
	t.clamp()
	if len(t.cache) > 4096 {
		t.cache = map[string]*rowCache{}
	}
}

// PruneMarks drops marks on ids that are not in all. Pass every row the owner holds, not
// only those the filter shows: a mark hidden by a filter stays (and is acted on), so typing
// a filter and cancelling it loses nothing.
func (t *Table) PruneMarks(all []*Row) {
	if len(t.marked) == 0 {
		return
	}
	present := make(map[string]struct{}, len(t.marked))
	for _, r := range all {
		if _, ok := t.marked[r.ID]; ok {
			present[r.ID] = struct{}{}
		}
	}
	t.marked = present
}

// CurrentID is the id of the row under the cursor ("" for none).
func (t *Table) CurrentID() string {
	if r := t.Current(); r != nil {
		return r.ID
	}
	return ""
}

// FollowFilter places the cursor after the filter changed the rows: it stays on the row it
// was on (prevID) when the filter keeps it, else it goes to the first match — not to the old
// row's index, which would land on an arbitrary row.
func (t *Table) FollowFilter(prevID string) {
	if prevID == "" || t.CurrentID() != prevID {
		t.Top()
	}
}

// KeepMarks drops the marks whose id keep rejects (the owner's data no longer has them).
func (t *Table) KeepMarks(keep func(id string) bool) {
	for id := range t.marked {
		if !keep(id) {
			delete(t.marked, id)
		}
	}
}

// Current returns the row under the cursor, or nil.
func (t *Table) Current() *Row {
	if t.cursor < 0 || t.cursor >= len(t.rows) {
		return nil
	}
	return t.rows[t.cursor]
}

// Cursor is the cursor's index in display order.
func (t *Table) Cursor() int { return t.cursor }

// SetCursor moves the cursor to an index.
func (t *Table) SetCursor(i int) { t.cursor = i; t.clamp() }

// SelectID moves the cursor to the row with this id, if shown.
func (t *Table) SelectID(id string) bool {
	for i, r := range t.rows {
		if r.ID == id {
			t.cursor = i
			t.clamp()
			return true
		}
	}
	return false
}

func (t *Table) visibleRows() int {
	if t.height <= 1 {
		return 0
	}
	return t.height - 1
}

func (t *Table) clamp() {
	n := len(t.rows)
	if t.cursor >= n {
		t.cursor = n - 1
	}
	if t.cursor < 0 {
		t.cursor = 0
	}
	vis := t.visibleRows()
	if vis <= 0 {
		t.offset = t.cursor
		return
	}
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+vis {
		t.offset = t.cursor - vis + 1
	}
	if t.offset > n-vis {
		t.offset = n - vis
	}
	if t.offset < 0 {
		t.offset = 0
	}
}

// Move moves the cursor by delta rows.
func (t *Table) Move(delta int) { t.cursor += delta; t.clamp() }

// PageDown / PageUp move by a screen.
func (t *Table) PageDown() { t.Move(max(1, t.visibleRows())) }
func (t *Table) PageUp()   { t.Move(-max(1, t.visibleRows())) }
func (t *Table) Top()      { t.cursor = 0; t.clamp() }
func (t *Table) Bottom()   { t.cursor = len(t.rows) - 1; t.clamp() }

// ToggleMark marks or unmarks the current row.
func (t *Table) ToggleMark() {
	r := t.Current()
	if r == nil {
		return
	}
	if _, ok := t.marked[r.ID]; ok {
		delete(t.marked, r.ID)
	} else {
		t.marked[r.ID] = struct{}{}
	}
}

// MarkAll marks every shown row; when every shown row is already marked it unmarks them.
func (t *Table) MarkAll() {
	all := len(t.rows) > 0
	for _, r := range t.rows {
		if _, ok := t.marked[r.ID]; !ok {
			all = false
			break
		}
	}
	for _, r := range t.rows {
		if all {
			delete(t.marked, r.ID)
		} else {
			t.marked[r.ID] = struct{}{}
		}
	}
}

// ClearMarks unmarks everything.
func (t *Table) ClearMarks() { t.marked = map[string]struct{}{} }

// IsMarked says whether an id is marked.
func (t *Table) IsMarked(id string) bool { _, ok := t.marked[id]; return ok }

// MarkedCount is the number of marked ids.
func (t *Table) MarkedCount() int { return len(t.marked) }

// MarkedIDs returns every marked id, shown or hidden by the filter, sorted.
func (t *Table) MarkedIDs() []string {
	out := make([]string, 0, len(t.marked))
	for id := range t.marked {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// HiddenMarked is how many marked ids the current rows do not show.
func (t *Table) HiddenMarked() int {
	if len(t.marked) == 0 {
		return 0
	}
	shown := 0
	for _, r := range t.rows {
		if _, ok := t.marked[r.ID]; ok {
			shown++
		}
	}
	return len(t.marked) - shown
}

// MarkedRows returns the marked rows that are shown, in display order.
func (t *Table) MarkedRows() []*Row {
	if len(t.marked) == 0 {
		return nil
	}
	var out []*Row
	for _, r := range t.rows {
		if _, ok := t.marked[r.ID]; ok {
			out = append(out, r)
		}
	}
	return out
}

func (t *Table) refreshTheme() {
	if t.themed && t.ctxGen == t.ctx.Gen {
		return
	}
	t.themed = true
	t.ctxGen = t.ctx.Gen
	t.gen++
	s := t.ctx.Styles
	t.sgr[AccOK] = common.StyleCodes(s.OK)
	t.sgr[AccWarn] = common.StyleCodes(s.Warn.Bold(true))
	t.sgr[AccBad] = common.StyleCodes(s.Bad)
	t.sgr[AccInfo] = common.StyleCodes(s.Info)
	t.sgr[AccDim] = common.StyleCodes(s.Dim)
	t.sgr[AccAccent] = common.StyleCodes(s.Accent)
	t.sgr[AccBold] = common.StyleCodes(s.Bold)
	t.sel = common.StyleCodes(s.Selected)
	t.newSGR = common.StyleCodes(s.NewRow)
	t.markSGR = common.StyleCodes(s.Marked)
	t.hdrGen = 0
}

func fit(b *strings.Builder, s string, w int, right bool) {
	if w <= 0 {
		return
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if right {
		b.WriteString(strings.Repeat(" ", w-sw))
		b.WriteString(s)
		return
	}
	b.WriteString(s)
	if pad := w - sw; pad > 0 {
		b.WriteString(strings.Repeat(" ", pad))
	}
}

func (t *Table) renderRow(r *Row, age string, marked, selected bool) string {
	if r.Span {
		return t.renderSpan(r, selected)
	}
	var b strings.Builder
	b.Grow(t.width + 64)
	color := !selected
	gut := [2]byte{' ', ' '}
	if marked {
		gut[0] = '*'
	}
	if r.New {
		gut[1] = '+'
	}
	if selected && t.ctx.Styles.Markers {
		gut[1] = '>' // reverse video is not available: point at the row
	}
	if color && marked {
		b.WriteString(t.markSGR[0])
		b.WriteByte(gut[0])
		b.WriteString(t.markSGR[1])
	} else {
		b.WriteByte(gut[0])
	}
	if color && r.New {
		b.WriteString(t.newSGR[0])
		b.WriteByte(gut[1])
		b.WriteString(t.newSGR[1])
	} else {
		b.WriteByte(gut[1])
	}
	first := true
	for i, w := range t.widths {
		if t.hidden[i] {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		cell := ""
		if i == t.TimeCol {
			cell = age
		} else if i < len(r.Cells) {
			cell = r.Cells[i]
			if i < len(r.Short) && r.Short[i] != "" && ansi.StringWidth(cell) > w {
				cell = r.Short[i]
			}
		}
		acc := AccNone
		if i < len(r.Accents) {
			acc = r.Accents[i]
		}
		if r.New && acc == AccNone && i == 0 {
			acc = AccOK
		}
		if color && acc != AccNone {
			b.WriteString(t.sgr[acc][0])
			fit(&b, cell, w, t.cols[i].Right)
			b.WriteString(t.sgr[acc][1])
		} else {
			fit(&b, cell, w, t.cols[i].Right)
		}
	}
	line := b.String()
	if ansi.StringWidth(line) > t.width {
		line = ansi.Truncate(line, t.width, "")
	} else if pad := t.width - ansi.StringWidth(line); pad > 0 {
		line += strings.Repeat(" ", pad)
	}
	if selected {
		return t.sel[0] + line + t.sel[1]
	}
	return line
}

func (t *Table) renderSpan(r *Row, selected bool) string {
	text := ""
	if len(r.Cells) > 0 {
		text = r.Cells[0]
	}
	if selected {
		text = ansi.Strip(text)
	}
	var b strings.Builder
	if selected && t.ctx.Styles.Markers {
		b.WriteString(" >")
	} else {
		b.WriteString("  ")
	}
	fit(&b, text, max(t.width-2, 0), false)
	line := b.String()
	if selected {
		return t.sel[0] + line + t.sel[1]
	}
	return line
}

func (t *Table) renderHeader() string {
	ind := t.scrollIndicator()
	if t.hdrGen == t.gen && t.header != "" && t.hdrInd == ind {
		return t.header
	}
	var b strings.Builder
	b.WriteString("  ")
	first := true
	for i, w := range t.widths {
		if t.hidden[i] {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		title := t.cols[i].Title
		if i == t.sortCol {
			if t.sortDsc {
				title += "▼"
			} else {
				title += "▲"
			}
		}
		fit(&b, title, w, t.cols[i].Right)
	}
	line := ansi.Truncate(b.String(), t.width, "")
	if ind != "" {
		// in the blank after the last title where it fits, else as arrows in the gutter
		head := strings.TrimRight(line, " ")
		if free := t.width - ansi.StringWidth(head); free > ansi.StringWidth(ind) {
			line = common.PadRight(head, t.width-ansi.StringWidth(ind)) + ind
		} else if strings.HasPrefix(line, "  ") {
			g := []rune("  ")
			if t.offset > 0 {
				g[0] = '↑'
			}
			if strings.Contains(ind, "↓") {
				g[1] = '↓'
			}
			line = string(g) + line[2:]
		}
	}
	t.header = t.ctx.Styles.TableHeader.Render(line)
	t.hdrGen, t.hdrInd = t.gen, ind
	return t.header
}

// scrollIndicator says how many rows are out of sight above and below the window, so a
// new row that landed above the cursor, or the rest of a long list, is never a surprise.
func (t *Table) scrollIndicator() string {
	above := t.offset
	below := max(len(t.rows)-t.offset-t.visibleRows(), 0)
	if t.visibleRows() == 0 || (above == 0 && below == 0) {
		return ""
	}
	var parts []string
	if above > 0 {
		parts = append(parts, "↑ "+common.Thousands(above)+" above")
	}
	if below > 0 {
		parts = append(parts, "↓ "+common.Thousands(below)+" below")
	}
	return strings.Join(parts, " · ") + " "
}

// View renders exactly height lines of at most width cells.
func (t *Table) View() string {
	if t.height <= 0 || t.width <= 0 {
		return ""
	}
	t.refreshTheme()
	lines := make([]string, 0, t.height)
	lines = append(lines, t.renderHeader())
	vis := t.visibleRows()
	if len(t.rows) == 0 && vis > 0 {
		empty := t.Empty
		if empty == "" {
			empty = "nothing to show"
		}
		// why the table is empty is often an error a person must read whole: wrap it
		for i, l := range common.WrapLines("  "+empty, t.width) {
			if i == vis {
				break
			}
			lines = append(lines, t.ctx.Styles.Dim.Render(l))
		}
	}
	var now time.Time
	if t.TimeCol >= 0 {
		now = t.ctx.Now()
	}
	for i := t.offset; i < len(t.rows) && i < t.offset+vis; i++ {
		r := t.rows[i]
		_, marked := t.marked[r.ID]
		selected := i == t.cursor
		age := ""
		if t.TimeCol >= 0 {
			age = common.HumanAge(now, r.Time)
		}
		c := t.cache[r.ID]
		if c == nil || c.version != r.Version || c.gen != t.gen || c.age != age || c.marked != marked {
			c = &rowCache{version: r.Version, gen: t.gen, age: age, marked: marked}
			t.cache[r.ID] = c
		}
		k := 0
		if selected {
			k = 1
		}
		if !c.ok[k] {
			c.s[k] = t.renderRow(r, age, marked, selected)
			c.ok[k] = true
		}
		lines = append(lines, c.s[k])
	}
	for len(lines) < t.height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
