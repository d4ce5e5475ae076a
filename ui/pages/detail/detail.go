// Package detail is one endpoint service's page: a tab bar over a list of panes (overview,
// connections, principals, load balancers, notifications). Every pane reads the session's
// store; the page asks the store for the service's detail (principals, notifications, fresh
// target health) when it opens and on every refresh.
package detail

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/table"
	"github.com/plconsole/plconsole/ui/pages/inbox"
	"github.com/plconsole/plconsole/ui/store"
)

// ID is the page's registration id.
const ID = "detail"

// Tabs, in the tab bar's order.
const (
	TabOverview = iota
	TabConnections
	TabPrincipals
	TabLoadBalancers
	TabNotifications
	TabMetrics
	TabConsumers
)

// pane is one tab of the page.
type pane interface {
	common.Component
	// name and short are the tab's label, wide and narrow.
	name() string
	short() string
	// count is the number shown after the label, when known.
	count() (int, bool)
	// sync rebuilds the pane from the store for the page's service.
	sync(d *data)
	actions() []string
	target(svc model.EndpointService) common.Target
	status() string
}

// data is what the page read from the store for its service; panes render from it.
type data struct {
	ctx      *common.Context
	svc      model.EndpointService
	detailed bool  // principals and notifications loaded
	err      error // the detail read's failure
}

// Page is one service with its tabs.
type Page struct {
	ctx   *common.Context
	d     data
	tab   int
	panes []pane
	conns *inbox.View
	mets  *metricsPane
	tops  *consumersPane

	width, height int
	seen          uint64
	seenStore     string
	seenNames     uint64 // the context's PolicyGen: customer names show in the panes
}

// New makes the service page (no service yet: Open picks one).
func New(ctx *common.Context) *Page {
	p := &Page{ctx: ctx, d: data{ctx: ctx}}
	p.conns = inbox.NewPane(ctx)
	p.mets = newMetricsPane(ctx, p)
	p.tops = newConsumersPane(ctx, p)
	p.panes = []pane{
		newOverview(ctx),
		&connectionsPane{inbox: p.conns},
		newPrincipals(ctx),
		newLoadBalancers(ctx),
		newNotifications(ctx),
		p.mets,
		p.tops,
	}
	return p
}

func (p *Page) ID() string    { return ID }
func (p *Page) Init() tea.Cmd { return nil }
func (p *Page) Title() string {
	// the store's name even while the page is under another (it syncs when shown again)
	if svc, ok := p.ctx.Store.Service(p.d.svc.ID); ok {
		return svc.Label()
	}
	return p.d.svc.Label()
}
func (p *Page) Crumbs() []string  { return []string{p.panes[p.tab].name()} }
func (p *Page) Capturing() bool   { return p.panes[p.tab].Capturing() }
func (p *Page) Status() string    { return p.panes[p.tab].status() }
func (p *Page) Tab() int          { return p.tab }
func (p *Page) ServiceID() string { return p.d.svc.ID }

// Service is the page's service with its details.
func (p *Page) Service() model.EndpointService { return p.d.svc }

// Connections is the Connections pane.
func (p *Page) Connections() *inbox.View { return p.conns }

// Pane returns the table of a list tab (nil for the overview).
func (p *Page) PaneTable(tab int) *table.Table {
	if t, ok := p.panes[tab].(interface{ Table() *table.Table }); ok {
		return t.Table()
	}
	return nil
}

var tabKeys = []string{common.KeyNextTab, common.KeyPrevTab, common.KeyJumpTab}

func (p *Page) KeyBindings() []string {
	return append(append([]string{}, tabKeys...), p.panes[p.tab].KeyBindings()...)
}

func (p *Page) ShortHelp() []string {
	return append([]string{common.KeyNextTab}, p.panes[p.tab].ShortHelp()...)
}

// KeyContexts lists each tab's bindings and actions (the key map checks them for clashes).
func (p *Page) KeyContexts() map[string][]string {
	out := map[string][]string{}
	for _, pn := range p.panes {
		names := append(append([]string{}, tabKeys...), pn.KeyBindings()...)
		names = append(append(names, "verifyDNS", "txtRecord", "payer", "editService", "deleteService"), pn.actions()...)
		out["the service's "+pn.name()+" tab"] = names
	}
	return out
}

// Actions are the service's own and the current pane's.
func (p *Page) Actions() []string {
	return append([]string{"verifyDNS", "txtRecord", "payer", "editService", "deleteService"}, p.panes[p.tab].actions()...)
}

// Target is the service, plus what the current pane has selected.
func (p *Page) Target() common.Target {
	t := p.panes[p.tab].target(p.d.svc)
	svc := p.d.svc
	t.Service = &svc
	return t
}

// Copyables are the current pane's, then the service's.
func (p *Page) Copyables() []common.Copyable {
	var out []common.Copyable
	if c, ok := p.panes[p.tab].(common.Copier); ok {
		out = c.Copyables()
	}
	if p.tab == TabOverview || len(out) == 0 {
		out = append(out, common.ServiceCopyables(p.d.svc)...)
	}
	return out
}

// Filter and SetFilter apply to the current pane.
func (p *Page) Filter() string {
	if f, ok := p.panes[p.tab].(common.Filterable); ok {
		return f.Filter()
	}
	return ""
}

func (p *Page) SetFilter(q string) {
	if f, ok := p.panes[p.tab].(common.Filterable); ok {
		f.SetFilter(q)
	}
}

// Open shows a service on a tab, with the cursor on a row of the Connections tab, and asks
// the store for its details.
func (p *Page) Open(id string, tab int, focus string) tea.Cmd {
	if p.d.svc.ID != id {
		p.clearMarks()
		p.panes[TabOverview].(*overview).text.Top()
	}
	p.d.svc = model.EndpointService{ID: id}
	p.tab = max(min(tab, len(p.panes)-1), 0)
	p.conns.SetScope(id)
	p.sync(true)
	if focus != "" {
		p.conns.Table().SelectID(focus)
	}
	return tea.Batch(p.ctx.Store.FetchDetail(id, true), p.paneShown())
}

// onTop says whether the page is on top of the navigation stack.
func (p *Page) onTop() bool { return p.ctx.TopPage == nil || p.ctx.TopPage() == ID }

// paneShown lets a pane that reads its own data (metrics, top consumers) read what came on
// screen.
func (p *Page) paneShown() tea.Cmd {
	if s, ok := p.panes[p.tab].(interface{ shown() tea.Cmd }); ok && p.onTop() {
		return s.shown()
	}
	return nil
}

// Metrics is the Metrics pane (tests read its charts).
func (p *Page) Metrics() *metricsPane { return p.mets }

// TopConsumers is the Top consumers pane.
func (p *Page) TopConsumers() *consumersPane { return p.tops }

func (p *Page) clearMarks() {
	for _, pn := range p.panes {
		if t, ok := pn.(interface{ Table() *table.Table }); ok {
			t.Table().ClearMarks()
		}
	}
}

// sync re-reads the service from the store when it changed.
func (p *Page) sync(force bool) {
	st := p.ctx.Store
	if !force && st.Version() == p.seen && st.Owner() == p.seenStore && p.ctx.PolicyGen == p.seenNames {
		return
	}
	p.seen, p.seenStore, p.seenNames = st.Version(), st.Owner(), p.ctx.PolicyGen
	id := p.d.svc.ID
	svc, detailed, err := st.Detail(id)
	if svc.ID == "" {
		svc.ID = id
	}
	p.d.svc, p.d.detailed, p.d.err = svc, detailed, err
	for _, pn := range p.panes {
		pn.sync(&p.d)
	}
}

func (p *Page) SetSize(w, h int) {
	p.width, p.height = w, h
	th := max(h-p.headLines(), 0)
	for _, pn := range p.panes {
		pn.SetSize(w, th)
	}
}

// headLines is the tab bar plus, when there is room, a blank line under it.
func (p *Page) headLines() int {
	if p.height < 8 {
		return 1
	}
	return 2
}

func (p *Page) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case common.DataChangedMsg, common.ShownMsg:
		p.sync(false)
		return p, p.paneShown()
	case store.MetricsResult:
		if msg.Key == metricsKey {
			_, cmd := p.mets.Update(msg)
			return p, cmd
		}
		_, cmd := p.tops.Update(msg)
		return p, cmd
	case common.LiveTickMsg:
		_, c1 := p.mets.Update(msg)
		_, c2 := p.tops.Update(msg)
		return p, tea.Batch(c1, c2)
	case common.SessionChangedMsg:
		p.d = data{ctx: p.ctx}
		p.conns.SetScope("\x00none")
		p.sync(true)
		return p, nil
	case common.ClearMarksMsg:
		p.clearMarks()
		return p, nil
	case common.RefreshMsg:
		// principals and notifications are settings: read when the service opens and on `r`;
		// a tick reads only the target health of the load balancers on screen
		_, lbsShown := p.panes[p.tab].(*lbTab)
		switch {
		case p.d.svc.ID == "":
		case msg.Explicit:
			return p, p.ctx.Store.FetchDetail(p.d.svc.ID, lbsShown)
		case lbsShown:
			return p, p.ctx.Store.FetchLoadBalancers(p.d.svc.ID)
		}
		return p, nil
	case tea.KeyMsg:
		if cmd, ok := p.key(msg); ok {
			return p, cmd
		}
	}
	_, cmd := p.panes[p.tab].Update(msg)
	return p, cmd
}

func (p *Page) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := p.ctx.Keys
	n := len(p.panes)
	switch {
	case k.Is(msg, common.KeyNextTab):
		p.tab = (p.tab + 1) % n
	case k.Is(msg, common.KeyPrevTab):
		p.tab = (p.tab + n - 1) % n
	case k.Is(msg, common.KeyJumpTab):
		if len(msg.Runes) != 1 {
			return nil, false
		}
		i := int(msg.Runes[0] - '1')
		if i < 0 || i >= n {
			return nil, true
		}
		p.tab = i
	default:
		return nil, false
	}
	return p.paneShown(), true
}

func (p *Page) View() string {
	if p.height <= 0 {
		return ""
	}
	head := p.tabsView()
	bh := max(p.height-p.headLines(), 0)
	if bh == 0 {
		return head
	}
	body := p.panes[p.tab].View()
	if p.headLines() == 1 {
		return head + "\n" + body
	}
	return head + "\n\n" + body
}

func (p *Page) tabsView() string {
	if s := p.tabsLine(false); ansi.StringWidth(s) <= p.width {
		return s
	}
	return common.Truncate(p.tabsLine(true), p.width)
}

func (p *Page) tabsLine(short bool) string {
	st := p.ctx.Styles
	parts := make([]string, len(p.panes))
	for i, pn := range p.panes {
		name := pn.name()
		if short {
			name = pn.short()
		}
		label := common.Itoa(i+1) + " " + name
		if n, ok := pn.count(); ok {
			label += " (" + common.Itoa(n) + ")"
		}
		if i == p.tab {
			parts[i] = st.TabActive.Render(st.Mark(label, true))
		} else {
			parts[i] = st.TabInactive.Render(label)
		}
	}
	return strings.Join(parts, st.Dim.Render(" │ "))
}

// connectionsPane is the inbox scoped to the service.
type connectionsPane struct{ inbox *inbox.View }

func (c *connectionsPane) name() string  { return "Connections" }
func (c *connectionsPane) short() string { return "Conns" }
func (c *connectionsPane) count() (int, bool) {
	// no count until the connections were read: 0 would say nobody is connected
	return c.inbox.Total(), c.inbox.Loaded()
}
func (c *connectionsPane) sync(*data)                                 { c.inbox.Update(common.ShownMsg{}) }
func (c *connectionsPane) actions() []string                          { return c.inbox.Actions() }
func (c *connectionsPane) status() string                             { return c.inbox.Status() }
func (c *connectionsPane) ShortHelp() []string                        { return c.inbox.ShortHelp()[:6] }
func (c *connectionsPane) target(model.EndpointService) common.Target { return c.inbox.Target() }
func (c *connectionsPane) Copyables() []common.Copyable               { return c.inbox.Copyables() }
func (c *connectionsPane) Init() tea.Cmd                              { return nil }
func (c *connectionsPane) View() string                               { return c.inbox.View() }
func (c *connectionsPane) SetSize(w, h int)                           { c.inbox.SetSize(w, h) }
func (c *connectionsPane) KeyBindings() []string                      { return c.inbox.KeyBindings() }
func (c *connectionsPane) Capturing() bool                            { return false }
func (c *connectionsPane) Filter() string                             { return c.inbox.Filter() }
func (c *connectionsPane) SetFilter(f string)                         { c.inbox.SetFilter(f) }
func (c *connectionsPane) Table() *table.Table                        { return c.inbox.Table() }

func (c *connectionsPane) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	_, cmd := c.inbox.Update(msg)
	return c, cmd
}
