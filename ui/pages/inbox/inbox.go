// Package inbox is the connections inbox: every connection across services, pending first
// and newest first (model.CompareConnections), or one service's when it is that service's
// Connections tab. It sorts when the data or the order changes and filters with one pass
// over the sorted rows; the table renders only the visible window.
package inbox

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/table"
	"github.com/plconsole/plconsole/ui/store"
)

// ID is the page's registration id.
const ID = "inbox"

// Columns of the inbox.
const (
	ColEndpoint = iota
	ColOwner
	ColCustomer // the owner's customer name (accounts file)
	ColService
	ColState
	ColPolicy // the approval policy's suggestion for a pending request
	ColAge
	ColRegion
	ColPayer
	ColIPType
	ColTags
)

// sortNames are the orders `s` cycles through; the first is the default (work first).
var sortNames = []string{"state", "endpoint", "owner", "customer", "service", "age", "region"}

// View is the inbox as a page (every service) or a pane (one service).
type View struct {
	ctx    *common.Context
	scope  string // service id; "" = every service
	table  *table.Table
	filter string
	order  table.Order
	total  int // rows in scope before the filter

	// what the rows were built from
	seenGen    uint64
	seenStore  string
	seenSvc    uint64
	seenPolicy [2]uint64 // the context's PolicyGen, and the store version suggestions read
	pending    model.PlanSummary
	// rows caches each connection's row by key; ordered is every row in scope, sorted
	rows    map[string]*cachedRow
	ordered []*cachedRow
	// suggestions are the policy's, as the rows were last built (nil: no policy)
	suggestions map[string]model.Suggestion
	// sortedBy is the order ordered was last sorted in (sortKey)
	sortedBy string
	rowSeq   uint64
}

type cachedRow struct {
	version uint64 // the store entry's
	label   string
	isNew   bool
	extra   rowExtra
	c       *model.Connection // the store entry's, which is never modified
	row     *table.Row
}

// rowExtra is what a row shows besides the connection itself: who the owner is, what the
// policy suggests, who pays.
type rowExtra struct {
	customer, tier, suggestion, payer string
	payerSet                          bool // set on the connection, not the service's default
}

// New makes the inbox page (every service).
func New(ctx *common.Context) *View { return newView(ctx, "") }

// NewPane makes one service's Connections pane; SetScope picks the service.
func NewPane(ctx *common.Context) *View { return newView(ctx, "\x00none") }

func newView(ctx *common.Context, scope string) *View {
	cols := []table.Column{
		{Title: "ENDPOINT", Width: 22, Min: 22},
		{Title: "OWNER", Width: 12, Min: 12},
		{Title: "CUSTOMER", Width: 14, Flex: 1, Min: 8},
		{Title: "SERVICE", Width: 14, Flex: 1},
		{Title: "STATE", Width: 17, Min: 17},
		{Title: "POLICY", Width: 20, Flex: 1, Min: 12, Drop: 1},
		{Title: "AGE", Width: 5, Right: true, Drop: 2},
		{Title: "REGION", Width: 10, Drop: 3},
		{Title: "PAYER", Width: 8, Drop: 4},
		{Title: "IP TYPE", Width: 9, Drop: 5},
		{Title: "TAGS", Width: 20, Flex: 1, Drop: 6},
	}
	// a scoped inbox shows one service: its column says nothing
	cols[ColService].Hide = scope != ""
	cols[ColPolicy].Hide = ctx.Policy == nil
	cols[ColCustomer].Hide = ctx.Customers.Len() == 0
	t := table.New(ctx, cols)
	t.TimeCol = ColAge
	t.Empty = "no connections"
	return &View{ctx: ctx, scope: scope, table: t, rows: map[string]*cachedRow{}, order: table.Order{Names: sortNames}}
}

func (v *View) ID() string          { return ID }
func (v *View) Title() string       { return "Connections" }
func (v *View) Init() tea.Cmd       { return nil }
func (v *View) SetSize(w, h int)    { v.table.SetSize(w, h) }
func (v *View) View() string        { return v.table.View() }
func (v *View) Capturing() bool     { return false }
func (v *View) Filter() string      { return v.filter }
func (v *View) Table() *table.Table { return v.table }
func (v *View) Total() int          { return v.total }

// Loaded says whether the connections have been read at least once.
func (v *View) Loaded() bool          { return v.ctx.Store.Connections().Loaded }
func (v *View) KeyBindings() []string { return keyBindings }

// Actions are what the inbox offers on its target (the registry in ui/actions.go declares
// them).
func (v *View) Actions() []string {
	return []string{"accept", "reject", "openConsumer", "applyPolicy", "describe", "tagConnection", "connectionPayer", "nameCustomer"}
}

func (v *View) ShortHelp() []string {
	if v.ctx.Policy != nil {
		return []string{"accept", "reject", "applyPolicy", "describe", common.KeyMark, common.KeyMarkAll, common.KeyFilter, common.KeySortNext, common.KeyEnter}
	}
	return []string{"accept", "reject", "describe", common.KeyMark, common.KeyMarkAll, common.KeyFilter, common.KeySortNext, common.KeyEnter}
}

// Scope is the service the view is scoped to ("" for every service).
func (v *View) Scope() string { return v.scope }

var keyBindings = append([]string{common.KeyMark, common.KeyMarkAll, common.KeySortNext, common.KeySortReverse, common.KeyEnter}, common.NavigationKeys...)

// SetScope shows one service's connections (a pane's service changed).
func (v *View) SetScope(serviceID string) {
	if v.scope != serviceID {
		v.scope = serviceID
		v.table.ClearMarks()
		v.sync(true)
	}
}

// SetFilter filters the rows; marks on rows the filter hides stay.
func (v *View) SetFilter(f string) {
	if f != v.filter {
		prev := v.table.CurrentID()
		v.filter = f
		v.apply()
		v.table.FollowFilter(prev)
	}
}

// Status is the line under the table: counts, marks, and what the policy suggests.
func (v *View) Status() string {
	s := common.Itoa(v.table.Len()) + "/" + common.Itoa(v.total) + " connections"
	if n := v.table.MarkedCount(); n > 0 {
		s += " · " + common.Itoa(n) + " marked"
		if h := v.table.HiddenMarked(); h > 0 {
			s += " (" + common.Itoa(h) + " hidden by the filter)"
		}
	}
	if p := v.pending; v.ctx.Policy != nil && p.Total > 0 {
		s += " · policy: " + common.Itoa(p.ByDecision[model.DecisionAccept]) + " accept, " +
			common.Itoa(p.ByDecision[model.DecisionReject]) + " reject, " + common.Itoa(p.ByDecision[model.DecisionHold]) + " hold"
		if p.Undecided > 0 {
			s += " (" + common.Itoa(p.Undecided) + " undecided)"
		}
	}
	return s
}

// Copyables are the ids of the connection under the cursor.
func (v *View) Copyables() []common.Copyable {
	st := v.ctx.Store
	c, ok := st.Connection(v.table.CurrentID())
	if !ok {
		return nil
	}
	svc, _ := st.Service(c.ServiceID)
	return common.ConnectionCopyables(c, svc.Name)
}

// Target is what accept and reject apply to: every marked connection (those the filter
// hides too), else the one under the cursor.
func (v *View) Target() common.Target {
	st := v.ctx.Store
	var t common.Target
	if ids := v.table.MarkedIDs(); len(ids) > 0 {
		for _, id := range ids {
			if c, ok := st.Connection(id); ok {
				t.Connections = append(t.Connections, c)
			}
		}
		slices.SortFunc(t.Connections, model.CompareConnections)
		t.Hidden = v.table.HiddenMarked()
		return t
	}
	if r := v.table.Current(); r != nil {
		if c, ok := st.Connection(r.ID); ok {
			t.Connections = []model.Connection{c}
		}
	}
	return t
}

func (v *View) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case common.DataChangedMsg:
		v.sync(false)
	case common.ShownMsg:
		v.sync(false)
		v.seeCurrent()
	case common.SessionChangedMsg:
		v.table.ClearMarks()
		v.sync(true)
	case common.ClearMarksMsg:
		v.table.ClearMarks()
	case tea.KeyMsg:
		return v, v.key(msg)
	}
	return v, nil
}

func (v *View) key(msg tea.KeyMsg) tea.Cmd {
	k := v.ctx.Keys
	if table.Navigate(k, v.table, msg) {
		v.seeCurrent()
		return nil
	}
	if cmd, ok := v.order.Key(k, msg); ok {
		v.sort()
		return cmd
	}
	switch {
	case k.Is(msg, common.KeyMark):
		v.table.ToggleMark()
		v.table.Move(1)
	case k.Is(msg, common.KeyMarkAll):
		v.table.MarkAll()
	case k.Is(msg, common.KeyEnter):
		if r := v.table.Current(); r != nil && v.scope == "" {
			if c, ok := v.ctx.Store.Connection(r.ID); ok {
				return common.Open(c.ServiceID, TabConnections, r.ID)
			}
		}
	}
	return nil
}

// seeCurrent ends the "new" highlight of the connection under the cursor: the user has it in
// front of them. (A new arrival elsewhere in the list stays new until the cursor visits it.)
func (v *View) seeCurrent() {
	if r := v.table.Current(); r != nil && r.New {
		v.ctx.Store.MarkSeen(r.ID)
		v.sync(false)
	}
}

// TabConnections is the service page's tab the inbox opens a connection on.
const TabConnections = 1

// sync rebuilds the rows when the store's connections or service labels changed, or the
// names or the policy (or, with a policy, anything its suggestions read).
func (v *View) sync(force bool) {
	st := v.ctx.Store
	conns := st.Connections()
	svcGen := st.ServicesGen()
	pol := [2]uint64{v.ctx.PolicyGen, 0}
	if v.ctx.Policy != nil {
		pol[1] = st.Version()
	}
	if !force && conns.Gen == v.seenGen && st.Owner() == v.seenStore && svcGen == v.seenSvc && pol == v.seenPolicy {
		return
	}
	if st.Owner() != v.seenStore {
		v.rows, v.ordered = map[string]*cachedRow{}, nil
	}
	// what a row shows besides its connection and its suggestion (service labels, names,
	// payer defaults) is as it was: a row whose store entry and suggestion are the same is
	// the same row
	sameContext := !force && svcGen == v.seenSvc && pol[0] == v.seenPolicy[0]
	changes, known := st.ConnChangesSince(v.seenGen)
	v.seenGen, v.seenStore, v.seenSvc, v.seenPolicy = conns.Gen, st.Owner(), svcGen, pol
	v.table.SetHidden(ColPolicy, v.ctx.Policy == nil)
	v.table.SetHidden(ColCustomer, v.ctx.Customers.Len() == 0)
	var suggestions map[string]model.Suggestion
	var inScope []model.Suggestion
	if v.ctx.Policy != nil {
		var all []model.Suggestion
		suggestions, all = st.Suggestions(v.ctx.Policy, v.ctx.Customers, v.ctx.PolicyGen)
		for _, sg := range all {
			if v.scope == "" || sg.Connection.ServiceID == v.scope {
				inScope = append(inScope, sg)
			}
		}
	}
	v.pending = model.SummarizePlan(inScope)
	prevSuggestions := v.suggestions
	v.suggestions = suggestions
	if sameContext && known && v.ordered != nil && v.sortedBy == v.sortKey() {
		// the store says which connections changed: only their rows are looked at
		v.syncChanged(append(changes, changedSuggestions(prevSuggestions, suggestions)...), suggestions)
		return
	}
	rows := make(map[string]*cachedRow, len(v.rows))
	ordered := make([]*cachedRow, 0, len(conns.Entries))
	for _, e := range conns.Entries {
		if v.scope != "" && e.C.ServiceID != v.scope {
			continue
		}
		cr := v.rowOf(e, v.rows[e.Key], suggestions, sameContext)
		rows[e.Key] = cr
		ordered = append(ordered, cr)
	}
	// a rebuild (another session, a first read, new service names or customers, a change
	// larger than the store's log) sorts everything; a refresh takes syncChanged's path
	v.rows, v.ordered, v.total = rows, ordered, len(ordered)
	v.table.KeepMarks(func(id string) bool { _, ok := rows[id]; return ok })
	v.sort()
}

// rowOf is the row of a store entry: old itself when nothing it shows changed.
func (v *View) rowOf(e *store.ConnEntry, old *cachedRow, suggestions map[string]model.Suggestion, sameContext bool) *cachedRow {
	if sameContext && old != nil && old.version == e.Version && old.extra.suggestion == suggestionOf(suggestions, e.Key) {
		return old
	}
	svc, _ := v.ctx.Store.Service(e.C.ServiceID)
	label := svc.Label()
	if svc.ID == "" {
		label = e.C.ServiceID
	}
	payer, explicit := model.EffectivePayer(e.C, svc)
	x := rowExtra{customer: v.ctx.Customer(e.C.OwnerAccount), tier: v.ctx.Customers.Tier(e.C.OwnerAccount),
		payer: model.PayerLabel(payer), payerSet: explicit}
	x.suggestion = suggestionOf(suggestions, e.Key)
	if old != nil && old.version == e.Version && old.label == label && old.isNew == e.New && old.extra == x {
		return old
	}
	v.rowSeq++ // a row's version changes whenever its rendering may
	cr := &cachedRow{version: e.Version, label: label, isNew: e.New, extra: x, c: &e.C, row: connRow(&e.C, e.Key, label, x, v.rowSeq)}
	cr.row.New = e.New
	return cr
}

// syncChanged updates the rows of the connections a read changed (keys, from the store's
// change log), and merges them into the order the others keep: a refresh that changes 1% of
// 50,000 connections costs what those 500 rows cost, not a walk of every row.
func (v *View) syncChanged(keys []string, suggestions map[string]model.Suggestion) {
	st := v.ctx.Store
	var fresh []*cachedRow
	gone := map[*cachedRow]bool{}
	done := make(map[string]bool, len(keys))
	for _, k := range keys {
		if done[k] {
			continue
		}
		done[k] = true
		old := v.rows[k]
		var cr *cachedRow
		if e, ok := st.ConnectionEntry(k); ok && (v.scope == "" || e.C.ServiceID == v.scope) {
			cr = v.rowOf(e, old, suggestions, true)
		}
		if cr == old {
			continue
		}
		if old != nil {
			gone[old] = true
			delete(v.rows, k)
		}
		if cr != nil {
			v.rows[k] = cr
			fresh = append(fresh, cr)
		}
	}
	if len(fresh) == 0 && len(gone) == 0 {
		v.apply() // the empty text follows the freshness
		return
	}
	kept := v.ordered
	if len(gone) > 0 {
		kept = make([]*cachedRow, 0, len(v.ordered))
		for _, cr := range v.ordered {
			if !gone[cr] {
				kept = append(kept, cr)
			}
		}
		v.table.KeepMarks(func(id string) bool { _, ok := v.rows[id]; return ok })
	}
	v.ordered = v.mergeSorted(kept, fresh)
	v.total = len(v.ordered)
	v.apply()
}

// mergeSorted sorts fresh in the view's order and merges it into kept (already in that
// order): each fresh row finds its place by binary search, so a few hundred changed rows
// cost a few thousand comparisons, not one per kept row.
func (v *View) mergeSorted(kept, fresh []*cachedRow) []*cachedRow {
	out := make([]*cachedRow, 0, len(kept)+len(fresh))
	cmpFn := v.cmp()
	slices.SortFunc(fresh, cmpFn)
	start := 0
	for _, f := range fresh {
		// after every kept row that does not sort after f: kept rows first among equals
		i := start + sort.Search(len(kept)-start, func(i int) bool { return cmpFn(f, kept[start+i]) < 0 })
		out = append(append(out, kept[start:i]...), f)
		start = i
	}
	return append(out, kept[start:]...)
}

// changedSuggestions is the keys whose suggestion differs between two policy evaluations.
func changedSuggestions(before, after map[string]model.Suggestion) []string {
	var keys []string
	for k := range after {
		if suggestionOf(before, k) != suggestionOf(after, k) {
			keys = append(keys, k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			keys = append(keys, k)
		}
	}
	return keys
}

// suggestionOf is what the policy suggests for a connection, as its row shows it ("": none).
func suggestionOf(suggestions map[string]model.Suggestion, key string) string {
	if sg, ok := suggestions[key]; ok {
		return sg.Short()
	}
	return ""
}

// sortKey names the order the rows are sorted in now.
func (v *View) sortKey() string {
	if v.order.Desc {
		return v.order.Name() + " desc"
	}
	return v.order.Name()
}

// cmp is the comparison of the order chosen.
func (v *View) cmp() func(a, b *cachedRow) int {
	cmpFn := compare(v.order.Name())
	if v.order.Desc {
		return func(a, b *cachedRow) int { return cmpFn(b, a) }
	}
	return cmpFn
}

// sort orders every row in scope, then applies the filter.
func (v *View) sort() {
	slices.SortFunc(v.ordered, v.cmp())
	v.sortedBy = v.sortKey()
	v.table.SetSortIndicator(sortColumn(v.order.Idx), v.order.Desc != (v.order.Name() == "age"))
	v.apply()
}

// apply filters the sorted rows, in one pass.
func (v *View) apply() {
	st := v.ctx.Store
	f := st.Freshness(store.Connections)
	v.table.Empty = common.EmptyText(f.Loaded, f.Err, v.filter, "connections", "no connections")
	m := common.CompileFilter(v.filter)
	out := make([]*table.Row, 0, len(v.ordered))
	for _, cr := range v.ordered {
		if m.MatchLower(cr.row.Haystack) {
			out = append(out, cr.row)
		}
	}
	v.table.SetRows(out)
}

func sortColumn(i int) int {
	return []int{ColState, ColEndpoint, ColOwner, ColCustomer, ColService, ColAge, ColRegion}[i]
}

func compare(order string) func(a, b *cachedRow) int {
	tie := func(a, b *cachedRow) int { return strings.Compare(a.row.ID, b.row.ID) }
	switch order {
	case "endpoint":
		return func(a, b *cachedRow) int { return strings.Compare(a.c.EndpointID, b.c.EndpointID) }
	case "owner":
		return func(a, b *cachedRow) int {
			return cmp.Or(strings.Compare(a.c.OwnerAccount, b.c.OwnerAccount), tie(a, b))
		}
	case "customer": // named accounts first, by name
		return func(a, b *cachedRow) int {
			an, bn := a.extra.customer, b.extra.customer
			if (an == "") != (bn == "") {
				return cmp.Compare(boolRank(an == ""), boolRank(bn == ""))
			}
			return cmp.Or(strings.Compare(an, bn), strings.Compare(a.c.OwnerAccount, b.c.OwnerAccount), tie(a, b))
		}
	case "service":
		return func(a, b *cachedRow) int { return cmp.Or(strings.Compare(a.label, b.label), tie(a, b)) }
	case "age": // newest first
		return func(a, b *cachedRow) int { return cmp.Or(b.c.Created.Compare(a.c.Created), tie(a, b)) }
	case "region":
		return func(a, b *cachedRow) int { return cmp.Or(strings.Compare(a.c.Region, b.c.Region), tie(a, b)) }
	}
	// work first, newest first: model owns the inbox order
	return func(a, b *cachedRow) int { return model.CompareConnectionsAt(a.c, b.c) }
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func connRow(c *model.Connection, key, label string, x rowExtra, version uint64) *table.Row {
	tags := TagsText(c.Tags)
	cells := []string{c.EndpointID, c.OwnerAccount, x.customer, label, string(c.State), x.suggestion, "", c.Region,
		x.payer, c.IPAddressType, tags}
	acc := make([]table.Accent, len(cells))
	acc[ColState] = StateAccent(c.State)
	acc[ColPolicy] = SuggestionAccent(x.suggestion)
	acc[ColCustomer] = table.AccBold
	if !x.payerSet {
		acc[ColPayer] = table.AccDim
	}
	return &table.Row{
		ID: key, Version: version, Cells: cells, Accents: acc, Time: c.Created,
		// lower-cased once here, so that filtering 50,000 rows is a plain substring search
		Haystack: strings.ToLower(common.Haystack(c.EndpointID, c.OwnerAccount, x.customer, x.tier, label, c.ServiceID, string(c.State),
			x.suggestion, c.Region, x.payer, c.IPAddressType, c.ConnectionID, tags)),
	}
}

// TagsText is tags in one cell: "k=v, k2=v2", keys sorted.
func TagsText(tags map[string]string) string { return model.FormatTags(tags, ", ") }

// SuggestionAccent colours a policy suggestion: accept green, reject red, hold and
// undecided dim.
func SuggestionAccent(s string) table.Accent {
	switch {
	case strings.HasPrefix(s, string(model.DecisionAccept)):
		return table.AccOK
	case strings.HasPrefix(s, string(model.DecisionReject)):
		return table.AccBad
	case s == "":
		return table.AccNone
	}
	return table.AccDim
}

// StateAccent colours a connection state: work waiting is loud, healthy is green.
func StateAccent(st model.ConnectionState) table.Accent {
	switch st {
	case model.StatePendingAcceptance:
		return table.AccWarn
	case model.StatePending:
		return table.AccInfo
	case model.StateAvailable:
		return table.AccOK
	case model.StateRejected, model.StateFailed, model.StateExpired:
		return table.AccBad
	case model.StateDeleting, model.StateDeleted:
		return table.AccDim
	}
	return table.AccNone
}
