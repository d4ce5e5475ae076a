// Package audit is the access audit (:audit): who may connect against who is connected,
// across every service — connections from accounts that are no longer allowed, services open
// to everyone, allowed principals without a connection, accounts connected to many
// services. The findings come from model.AuditAccess over the store (Store.Access).
package audit

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/table"
	"github.com/plconsole/plconsole/ui/store"
)

// ID is the page's registration id.
const ID = "audit"

// Tabs of the service page a finding opens (they are the detail page's).
const (
	tabConnections = 1
	tabPrincipals  = 2
)

// Page lists the access findings.
type Page struct {
	ctx      *common.Context
	list     *table.List
	versions table.Versions
	findings map[string]model.AccessFinding // by key
	report   model.AccessReport
	seen     [3]uint64
	seenOn   string
}

// New makes the audit page.
func New(ctx *common.Context) *Page {
	return &Page{ctx: ctx, findings: map[string]model.AccessFinding{}, list: table.NewList(ctx, []table.Column{
		{Title: "SEVERITY", Width: 8}, {Title: "FINDING", Width: 44, Min: 24, Flex: 1},
		{Title: "SERVICE", Width: 16, Min: 8}, {Title: "ACCOUNT", Width: 12, Drop: 2}, {Title: "CUSTOMER", Width: 16, Min: 8},
		{Title: "CONNS", Width: 5, Right: true, Drop: 1}, {Title: "DETAIL", Width: 30, Flex: 2, Drop: 3},
	}, "")}
}

func (p *Page) ID() string            { return ID }
func (p *Page) Title() string         { return "Access audit" }
func (p *Page) Init() tea.Cmd         { return nil }
func (p *Page) SetSize(w, h int)      { p.list.SetSize(w, h) }
func (p *Page) View() string          { return p.list.View() }
func (p *Page) Capturing() bool       { return false }
func (p *Page) Filter() string        { return p.list.Filter() }
func (p *Page) SetFilter(f string)    { p.list.SetFilter(f) }
func (p *Page) Table() *table.Table   { return p.list.Table }
func (p *Page) Actions() []string     { return []string{"rejectNotAllowed", "describe", "exportFindings"} }
func (p *Page) KeyBindings() []string { return keys }
func (p *Page) ShortHelp() []string {
	return []string{"rejectNotAllowed", "describe", "exportFindings", common.KeyMark, common.KeyFilter, common.KeyEnter}
}

var keys = append([]string{common.KeyMark, common.KeyEnter}, common.NavigationKeys...)

// Status counts the findings and says what the audit could not see.
func (p *Page) Status() string {
	s := common.Itoa(p.list.Len()) + "/" + common.Itoa(len(p.list.All())) + " findings"
	if n := len(p.report.NotAllowedConnections()); n > 0 {
		s += " · " + common.Plural(n, "connection") + " from accounts no longer allowed (X rejects)"
	}
	if n := len(p.report.Unread); n > 0 {
		s += " · principals of " + common.Plural(n, "service") + " not read yet"
	}
	if m := p.list.MarkedCount(); m > 0 {
		s += " · " + common.Itoa(m) + " marked"
	}
	return s
}

// Findings are the findings the view shows (after its filter), in order.
func (p *Page) Findings() []model.AccessFinding {
	var out []model.AccessFinding
	for _, r := range p.list.Rows() {
		if f, ok := p.findings[r.ID]; ok {
			out = append(out, f)
		}
	}
	return out
}

// Current is the finding under the cursor.
func (p *Page) Current() (model.AccessFinding, bool) {
	r := p.list.Current()
	if r == nil {
		return model.AccessFinding{}, false
	}
	f, ok := p.findings[r.ID]
	return f, ok
}

// Target is the connections "reject not allowed" would cut: those of the marked findings,
// else of every finding of that kind (the action computes them when none is marked).
func (p *Page) Target() common.Target {
	var t common.Target
	for _, id := range p.list.MarkedIDs() {
		if f, ok := p.findings[id]; ok && f.Code == model.CodeConnectionNotAllowed {
			t.Connections = append(t.Connections, f.Connections...)
		}
	}
	t.Hidden = p.list.HiddenMarked()
	return t
}

func (p *Page) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok {
		return p, p.key(km)
	}
	table.Follow(msg, p.list.Table, p.sync)
	return p, nil
}

func (p *Page) key(msg tea.KeyMsg) tea.Cmd {
	k := p.ctx.Keys
	if table.Navigate(k, p.list.Table, msg) {
		return nil
	}
	switch {
	case k.Is(msg, common.KeyMark):
		p.list.ToggleMark()
		p.list.Move(1)
	case k.Is(msg, common.KeyEnter):
		f, ok := p.Current()
		switch {
		case !ok:
		case f.Code == model.CodeConnectionNotAllowed && len(f.Connections) > 0:
			return common.Open(f.ServiceID, tabConnections, f.Connections[0].Key())
		case f.ServiceID != "":
			return common.Open(f.ServiceID, tabPrincipals, "")
		default:
			return common.Flash("account-wide finding: / with its id filters the connections inbox (c)", common.FlashInfo)
		}
	}
	return nil
}

// sync rebuilds the findings when the store, the names or the session changed.
func (p *Page) sync(force bool) {
	st := p.ctx.Store
	v := [3]uint64{st.Version(), p.ctx.PolicyGen, p.ctx.Gen}
	if !force && v == p.seen && st.Owner() == p.seenOn {
		return
	}
	p.seen, p.seenOn = v, st.Owner()
	p.report = st.Access(p.ctx.Customers, p.ctx.PolicyGen)
	p.findings = make(map[string]model.AccessFinding, len(p.report.Findings))
	rows := make([]*table.Row, 0, len(p.report.Findings))
	for _, f := range p.report.Findings {
		p.findings[f.Key()] = f
		rows = append(rows, p.row(f))
	}
	p.list.SetAll(rows)
	f := st.Freshness(store.Connections)
	none := "no findings: every live connection's owner is allowed, no service is open to *, every principal is in use"
	if len(p.report.Unread) > 0 {
		none = "no findings yet: the principals of " + common.Plural(len(p.report.Unread), "service") + " are still being read"
	}
	p.list.Empty = common.EmptyText(f.Loaded, f.Err, p.list.Filter(), "connections", none)
}

func (p *Page) row(f model.AccessFinding) *table.Row {
	conns := ""
	if n := len(f.Connections); n > 0 {
		conns = common.Itoa(n)
	}
	service := f.Service
	if service == "" && len(f.Services) > 0 {
		service = common.Plural(len(f.Services), "service")
	}
	cust := p.ctx.Customer(f.Account)
	cells := []string{f.Severity.String(), f.Title, service, f.Account, cust, conns, f.Detail}
	acc := make([]table.Accent, len(cells))
	switch f.Severity {
	case model.SeverityCritical:
		acc[0] = table.AccBad
	case model.SeverityWarning:
		acc[0] = table.AccWarn
	default:
		acc[0] = table.AccDim
	}
	acc[4] = table.AccBold
	r := &table.Row{ID: f.Key(), Cells: cells, Accents: acc,
		Haystack: common.Haystack(f.Severity.String(), f.Code, f.Title, service, f.ServiceID, f.Account, cust,
			f.Principal, strings.Join(f.EndpointIDs(), " "), f.Detail)}
	p.versions.Stamp(r)
	return r
}
