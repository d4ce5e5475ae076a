package ui

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
)

type viewID int

const (
	viewServices viewID = iota
	viewInbox
	viewDetail
	viewLog
)

// view is what the root asks of every screen.
type view interface {
	Title() string
	SetSize(w, h int)
	View() string
	HandleKey(tea.KeyMsg) (action, bool)
	Filter() string
	SetFilter(string)
	ShortHelp() []*key.Binding
	Status() string
}

// Root is the console's root model. It owns the data, the navigation stack, the overlays
// (dialog, palette, filter, help) and performs the actions its views report.
type Root struct {
	ctx      *Context
	opts     Options
	backend  Backend
	identity model.Identity
	optErr   error

	services []model.EndpointService
	store    *connStore
	lastConn []model.Connection
	health   map[string]model.Health

	// health inputs (health.go)
	lbCache       map[string]model.LoadBalancer
	lbLoaded      bool
	lbErr         error
	princ         map[string]principalsEntry
	princBusy     map[string]bool
	princInFlight int
	princGen      uint64
	pending       map[string][]model.Connection
	pendingGen    uint64
	counts        map[string][2]int
	countsGen     uint64

	lastRefresh time.Time
	refreshErr  error
	svcLoaded   bool  // the services were read at least once (since the last switch)
	svcErr      error // the last services read failed
	connErr     error // the last connections read failed
	refreshing  bool  // a Refresh is in flight

	reqSeq uint64
	latest [reqKinds]uint64

	stack     []viewID
	svcView   *ServicesView
	inbox     *InboxView
	detail    *DetailView
	apilog    *APILogView
	dialog    *Dialog
	palette   *Palette
	filter    lineInput
	filtering bool
	filterWas string
	showHelp  bool
	flash     flash
	flashSeq  int
	tickGen   int

	headerKey, headerCache string
	footerKey, footerCache string

	crash *CrashReport
}

// New builds the console over a backend. It does no I/O; the first fetches start in Init.
func New(backend Backend, opts Options) *Root {
	opts = opts.withDefaults()
	keys := DefaultKeyMap()
	optErr := keys.ApplyOverrides(opts.KeyOverrides)
	mode := opts.Mode
	if mode == "" {
		mode = backend.Mode()
	}
	ctx := &Context{
		Styles: NewStyles(opts.Renderer, opts.Theme, opts.NoColor),
		Keys:   keys,
		Now:    opts.Now,
		Mode:   mode,
		Gen:    1,
	}
	store := newConnStore()
	m := &Root{
		ctx: ctx, opts: opts, backend: backend, identity: backend.Identity(), optErr: optErr,
		store: store, lbCache: map[string]model.LoadBalancer{}, health: map[string]model.Health{},
		princ: map[string]principalsEntry{}, princBusy: map[string]bool{},
		stack:   []viewID{viewServices},
		svcView: NewServicesView(ctx),
		inbox:   NewInboxView(ctx, store, ""),
		detail:  NewDetailView(ctx, store),
		apilog:  NewAPILogView(ctx),
	}
	m.filter.prompt = "/"
	return m
}

// ValidateOptions reports option errors (unknown key actions) so the cmd layer can fail
// before starting the terminal program.
func ValidateOptions(opts Options) error {
	if err := DefaultKeyMap().ApplyOverrides(opts.KeyOverrides); err != nil {
		return fmt.Errorf("key bindings: %w", err)
	}
	switch opts.Theme {
	case "", "auto", "dark", "light", "terminal":
	default:
		return fmt.Errorf("theme %q: want dark, light, terminal or auto", opts.Theme)
	}
	return nil
}

func (m *Root) Init() tea.Cmd {
	cmds := []tea.Cmd{m.refresh()}
	if m.optErr != nil {
		cmds = append(cmds, m.setFlash(m.optErr.Error(), flashError))
	}
	if !m.opts.DisableTicks {
		cmds = append(cmds, clockTick(), m.scheduleRefresh())
	}
	return tea.Batch(cmds...)
}

func clockTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockTickMsg{} })
}

func (m *Root) scheduleRefresh() tea.Cmd {
	if m.opts.RefreshInterval <= 0 {
		return nil
	}
	m.tickGen++
	gen := m.tickGen
	return tea.Tick(m.opts.RefreshInterval, func(time.Time) tea.Msg { return refreshTickMsg{gen: gen} })
}

// refresh fetches everything the current screen shows: one Refresh for the services, the
// connections and the load balancers, plus the open service's principals and notifications.
// An older answer still in flight becomes stale and is dropped when it arrives.
func (m *Root) refresh() tea.Cmd {
	cmds := []tea.Cmd{m.fetchSnapshot()}
	m.refreshing = true
	if m.top() == viewDetail && m.detail.ServiceID() != "" {
		// the detail's load balancers come with the snapshot
		cmds = append(cmds, m.fetchDetail(m.detail.ServiceID()))
	}
	if m.top() == viewLog {
		cmds = append(cmds, m.fetchAPILog())
	}
	return tea.Batch(cmds...)
}

func (m *Root) detailLBs() []string {
	s := m.detail.svc
	return append(append([]string(nil), s.NetworkLoadBalancers...), s.GatewayLoadBalancers...)
}

func (m *Root) inFlight() bool { return m.refreshing }

func (m *Root) top() viewID { return m.stack[len(m.stack)-1] }

func (m *Root) viewOf(id viewID) view {
	switch id {
	case viewInbox:
		return m.inbox
	case viewDetail:
		return m.detail
	case viewLog:
		return m.apilog
	}
	return m.svcView
}

func (m *Root) current() view { return m.viewOf(m.top()) }

func (m *Root) currentFilter() string { return m.current().Filter() }

func (m *Root) currentShortHelp() []*key.Binding { return m.current().ShortHelp() }

func (m *Root) crumbs() []string {
	var out []string
	for _, id := range m.stack {
		out = append(out, m.viewOf(id).Title())
		if id == viewDetail {
			out = append(out, tabName(m.detail.tab))
		}
	}
	if m.showHelp {
		out = append(out, "Help")
	}
	return out
}

func (m *Root) footerContext() string {
	dl := "0"
	if m.dialog != nil {
		dl = "1"
	}
	tab := ""
	if m.top() == viewDetail {
		tab = itoa(m.detail.tab)
	}
	return itoa(int(m.top())) + tab + dl + boolStr(m.showHelp) + string(m.ctx.Mode)
}

// push shows a view on top of the stack (or brings it forward if already on it).
func (m *Root) push(id viewID) {
	for i, v := range m.stack {
		if v == id {
			m.stack = m.stack[:i+1]
			return
		}
	}
	m.stack = append(m.stack, id)
}

// compact drops the breadcrumbs on very short terminals so the body keeps a row or two.
func (m *Root) compact() bool { return m.ctx.Height <= 8 }

func (m *Root) bodyHeight() int {
	if m.compact() {
		return max(m.ctx.Height-3, 0)
	}
	return max(m.ctx.Height-4, 0)
}

func (m *Root) layout() {
	w, h := m.ctx.Width, m.bodyHeight()
	m.svcView.SetSize(w, h)
	m.inbox.SetSize(w, h)
	m.detail.SetSize(w, h)
	m.apilog.SetSize(w, h)
}

// Update is the console's only state transition. A panic is turned into a crash report
// and the program quits, so the terminal is restored.
func (m *Root) Update(msg tea.Msg) (_ tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			m.crash = newCrashReport("Update", r, msg)
			cmd = tea.Quit
		}
	}()
	if m.crash != nil {
		return m, tea.Quit
	}
	return m, m.update(msg)
}

func (m *Root) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.ctx.Width, m.ctx.Height = max(msg.Width, 0), max(msg.Height, 0)
		m.layout()
		return nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	case snapshotMsg:
		return m.onSnapshot(msg)
	case detailMsg:
		if msg.req != m.latest[reqDetail] {
			return nil
		}
		m.detail.SetDetail(msg.svc, msg.err)
		if msg.err != nil {
			return m.setFlash("could not load the service: "+msg.err.Error(), flashError)
		}
		m.storePrincipals(msg.svc.ID, msg.svc.AllowedPrincipals, nil)
		m.updateHealth(msg.svc.ID)
		return nil
	case loadBalancersMsg:
		if msg.req != m.latest[reqLoadBalancers] {
			return nil
		}
		for _, lb := range msg.lbs {
			m.lbCache[lb.ARN] = lb
		}
		if msg.serviceID == m.detail.ServiceID() {
			m.detail.SetLoadBalancers(msg.lbs, msg.err)
		}
		if msg.err == nil {
			m.recomputeHealth()
		}
		return nil
	case principalsMsg:
		return m.onPrincipals(msg)
	case apiLogMsg:
		if msg.req != m.latest[reqAPILog] {
			return nil
		}
		m.apilog.SetCalls(msg.calls)
		return nil
	case switchedMsg:
		return m.onSwitched(msg)
	case actionDoneMsg:
		return m.onActionDone(msg)
	case clipboardMsg:
		if msg.err != nil {
			return m.setFlash(msg.err.Error(), flashError)
		}
		return m.setFlash("copied "+msg.label+" to the clipboard (OSC 52)", flashOK)
	case flashExpiredMsg:
		m.clearFlash(msg.id)
		return nil
	case clockTickMsg:
		if m.opts.DisableTicks {
			return nil
		}
		return clockTick()
	case refreshTickMsg:
		if msg.gen != m.tickGen {
			return nil
		}
		var cmds []tea.Cmd
		if !m.inFlight() {
			cmds = append(cmds, m.refresh())
		}
		return tea.Batch(append(cmds, m.scheduleRefresh())...)
	}
	return nil
}

func (m *Root) label(serviceID string) string {
	for i := range m.services {
		if m.services[i].ID == serviceID {
			return m.services[i].Label()
		}
	}
	return serviceID
}

func (m *Root) labelFunc() func(string) string {
	labels := make(map[string]string, len(m.services))
	for _, s := range m.services {
		labels[s.ID] = s.Label()
	}
	return func(id string) string {
		if l, ok := labels[id]; ok {
			return l
		}
		return id
	}
}

// onSnapshot ingests a refresh: the services, the connections as a diff (unchanged rows keep
// their cached renderings, the cursor stays on its item) and the load balancers. A part that
// could not be read keeps what the previous refresh read.
func (m *Root) onSnapshot(msg snapshotMsg) tea.Cmd {
	if msg.req != m.latest[reqRefresh] {
		return nil
	}
	m.refreshing = false
	errs := splitRefreshError(msg.err)
	// the data's age is that of services and connections; a load balancer read that failed
	// shows in the badges and a flash instead
	m.refreshErr = errors.Join(errs.services, errs.connections)
	if m.refreshErr == nil {
		m.lastRefresh = m.ctx.Now()
	}
	m.svcErr, m.connErr = errs.services, errs.connections
	var flash tea.Cmd
	if errs.services == nil {
		m.svcLoaded = true
		m.services = msg.snap.Services
		for _, s := range m.services {
			if s.ID == m.detail.ServiceID() {
				m.detail.SetService(s)
			}
		}
	} else {
		flash = m.setFlash("could not list endpoint services: "+errs.services.Error(), flashError)
	}
	if errs.connections == nil {
		m.lastConn = msg.snap.Connections
		m.store.ingest(msg.snap.Connections, m.labelFunc())
	} else {
		if m.store.loaded && errs.services == nil {
			// labels may have changed: re-ingest so rows show the new names
			m.store.reingestLabels(m.labelFunc())
		}
		if flash == nil {
			flash = m.setFlash("could not list connections: "+errs.connections.Error(), flashError)
		}
	}
	if errs.services == nil {
		// the load balancers are read after the services, for the services' ARNs
		if c := m.ingestLoadBalancers(msg.snap.LoadBalancers, errs.loadBalancers); flash == nil {
			flash = c
		}
	}
	m.dataChanged()
	return tea.Batch(flash, m.schedulePrincipals())
}

// refreshErrors is a Refresh error split by the part of the snapshot it concerns.
type refreshErrors struct{ services, connections, loadBalancers error }

// splitRefreshError sorts the errors of a Refresh by the operation each names, keeping the
// first of each part (a flash says one sentence). An error that names none (a cancelled
// refresh) fails every part.
func splitRefreshError(err error) refreshErrors {
	var out refreshErrors
	if err == nil {
		return out
	}
	add := func(dst *error, e error) {
		if *dst == nil {
			*dst = e
		}
	}
	for _, e := range joinedErrors(err) {
		var ae *model.AWSError
		if !errors.As(e, &ae) {
			add(&out.services, e)
			add(&out.connections, e)
			add(&out.loadBalancers, e)
			continue
		}
		switch ae.Operation {
		case "DescribeVpcEndpointServiceConfigurations":
			add(&out.services, e)
		case "DescribeVpcEndpointConnections":
			add(&out.connections, e)
		case "GetMetricData":
			// the console asks for no metrics
		default: // DescribeLoadBalancers, DescribeTargetHealth, DescribeInstances, …
			add(&out.loadBalancers, e)
		}
	}
	return out
}

// joinedErrors flattens errors.Join trees (a load balancer read joins one error per failed
// call) into their leaves.
func joinedErrors(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range j.Unwrap() {
		if e != nil {
			out = append(out, joinedErrors(e)...)
		}
	}
	return out
}

// dataChanged re-derives what the views show from the stores.
func (m *Root) dataChanged() {
	m.svcView.SetLoadState(m.svcLoaded, m.svcErr)
	m.inbox.SetLoadErr(m.connErr)
	m.detail.conns.SetLoadErr(m.connErr)
	m.recomputeHealth()
	m.inbox.Refresh()
	m.detail.Refresh()
}

// CrashReport is a recovered panic, readable after the terminal is restored.
type CrashReport struct {
	Where string // "Update" or "View"
	Panic string
	Msg   string // the message being handled
	Stack string
}

func newCrashReport(where string, r any, msg tea.Msg) *CrashReport {
	c := &CrashReport{Where: where, Panic: fmt.Sprint(r), Stack: string(debug.Stack())}
	if msg != nil {
		c.Msg = fmt.Sprintf("%T", msg)
	}
	return c
}

func (c *CrashReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "plconsole stopped because of a bug (panic in %s", c.Where)
	if c.Msg != "" {
		fmt.Fprintf(&b, " while handling %s", c.Msg)
	}
	fmt.Fprintf(&b, "): %s\n\nPlease report it with this trace:\n\n%s", c.Panic, c.Stack)
	return b.String()
}

// CrashOf returns the crash report of a model returned by tea.Program.Run, or nil.
func CrashOf(m tea.Model) *CrashReport {
	if r, ok := m.(*Root); ok {
		return r.crash
	}
	return nil
}

// Crash returns the recovered panic, if any.
func (m *Root) Crash() *CrashReport { return m.crash }
