// Package ui is plconsole's terminal console: a Bubble Tea program that browses endpoint
// services and consumer connections and acts on them. It talks to AWS only through the
// Backend interface (package store), in model types; awsops.Client satisfies it.
//
// The root (this package) keeps the navigation stack of pages and the stack of modal
// layers over them, routes every message, runs the actions of the registry (actions.go)
// and draws the frame around the focused page. docs/ARCHITECTURE.md describes the whole.
package ui

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/dialog"
	"github.com/plconsole/plconsole/ui/components/filterbar"
	"github.com/plconsole/plconsole/ui/components/help"
	"github.com/plconsole/plconsole/ui/components/palette"
	"github.com/plconsole/plconsole/ui/pages/detail"
	"github.com/plconsole/plconsole/ui/pages/overview"
	"github.com/plconsole/plconsole/ui/pages/wizard"
	"github.com/plconsole/plconsole/ui/store"
	"github.com/plconsole/plconsole/ui/tasks"
)

// Backend is everything the console asks of AWS (defined with the store that uses it).
type Backend = store.Backend

// ownerRoot is the task owner of the root's own requests (switches, writes).
const ownerRoot = "root"

// Root is the console's root model.
type Root struct {
	ctx     *common.Context
	opts    Options
	backend Backend
	optErr  error
	// newCount is the store's count of unseen new connections at the last update (the bell
	// rings when it grows).
	newCount int

	pages  map[string]common.Page // every registered page, by id
	stack  []common.Page          // navigation: stack[0] is the home page
	layers []common.Layer         // modal layers over the pages, top last

	width, height int

	flash    flash
	flashSeq int
	tickGen  int

	flows     map[int]*flow // open action dialogs, by dialog id
	messages  []flash       // the recent flashes, for :messages
	quitArmed bool          // q was pressed once while a write was in flight
	dialogSeq int
	writeSeq  int

	headerKey, headerCache string
	footerKey, footerCache string

	crash *CrashReport

	homeChosen bool // the automatic start page was decided
}

// New builds the console over a backend. It does no I/O; the first fetches start in Init.
func New(backend Backend, opts Options) *Root {
	opts = opts.withDefaults()
	keys := newKeyMap()
	optErr := keys.ApplyOverrides(opts.KeyOverrides)
	mode := opts.Mode
	if mode == "" {
		mode = backend.Mode()
	}
	runner := tasks.NewRunner(opts.Context, opts.CallTimeout)
	ctx := &common.Context{
		Styles: common.NewStyles(opts.Renderer, opts.Theme, opts.NoColor),
		Keys:   keys,
		Now:    opts.Now,
		Mode:   mode,
		Gen:    1,
		Tasks:  runner,

		ReadOnlyFrom: opts.ReadOnlyFrom,
		Customers:    opts.Customers,
		Policy:       opts.Policy,
	}
	ctx.Store = store.New(backend, backend.Identity(), runner, storeOptions(opts))
	r := &Root{ctx: ctx, opts: opts, backend: backend, optErr: optErr,
		pages: map[string]common.Page{}, flows: map[int]*flow{}}
	for _, s := range pageSpecs {
		r.pages[s.id] = s.new(ctx)
	}
	if r.optErr == nil {
		r.optErr = keyConflicts(keys, keyContexts(r.pages))
	}
	r.stack = []common.Page{r.pages[homePage]}
	if opts.StartPage == StartOverview {
		r.stack[0] = r.pages[overview.ID]
	}
	ctx.TopPage = func() string { return r.top().ID() }
	return r
}

// newKeyMap is the shared bindings plus the pages' and the actions'.
func newKeyMap() *common.KeyMap {
	k := common.NewKeyMap(pageKeys()...)
	registerActionKeys(k)
	// the footer's hint while an error is on screen: enter reads it whole
	k.Add("flashDetails", common.GroupViews, "message details", false, "enter").Hidden = true
	registerMonitoringKeys(k)
	for _, s := range pageSpecs {
		if s.bindings != nil {
			s.bindings(k)
		}
	}
	return k
}

// ValidateOptions reports option errors (unknown key actions, a bad theme) so the cmd layer
// can fail before starting the terminal program.
func ValidateOptions(opts Options) error {
	keys := newKeyMap()
	if err := keys.ApplyOverrides(opts.KeyOverrides); err != nil {
		return fmt.Errorf("key bindings: %w", err)
	}
	// the pages say which bindings answer where; they are built only to ask them
	ctx := &common.Context{Keys: keys, Styles: common.NewStyles(opts.Renderer, "", true), Now: time.Now}
	pages := map[string]common.Page{}
	for _, s := range pageSpecs {
		pages[s.id] = s.new(ctx)
	}
	if err := keyConflicts(keys, keyContexts(pages)); err != nil {
		return fmt.Errorf("key bindings: %w", err)
	}
	switch opts.Theme {
	case "", "auto", "dark", "light", "terminal":
	default:
		return fmt.Errorf("theme %q: want dark, light, terminal or auto", opts.Theme)
	}
	return nil
}

// KeyActionNames lists the names the config file's [keys] section rebinds.
func KeyActionNames() []string { return newKeyMap().Names() }

func (r *Root) Init() tea.Cmd {
	cmds := []tea.Cmd{r.refresh(false)}
	for _, p := range r.pages {
		cmds = append(cmds, p.Init())
	}
	if r.optErr != nil {
		cmds = append(cmds, r.setGlobalFlash(r.optErr.Error(), common.FlashError))
	}
	if r.opts.Setup {
		cmds = append(cmds, r.openWizard(wizard.Create, nil, r.opts.Spec))
	}
	if !r.opts.DisableTicks {
		cmds = append(cmds, clockTick(), r.scheduleRefresh())
	}
	return tea.Batch(cmds...)
}

type clockTickMsg struct{}

type refreshTickMsg struct{ gen int }

func clockTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockTickMsg{} })
}

func (r *Root) scheduleRefresh() tea.Cmd {
	if r.opts.RefreshInterval <= 0 || r.opts.DisableTicks {
		return nil
	}
	r.tickGen++
	gen := r.tickGen
	return tea.Tick(r.opts.RefreshInterval, func(time.Time) tea.Msg { return refreshTickMsg{gen: gen} })
}

// refresh reads the session's data again and lets the top page re-read what only it shows.
// A refresh already running is joined, not repeated. An explicit refresh (`r`) reads the
// inventory at once; a tick reads what its tier makes due (store.Tick: the pending requests
// every tick, the rest at their own cadences).
func (r *Root) refresh(explicit bool) tea.Cmd {
	var cmd tea.Cmd
	if explicit {
		cmd = r.ctx.Store.Refresh(true)
	} else {
		cmd = r.ctx.Store.Tick()
	}
	_, pc := r.top().Update(common.RefreshMsg{Explicit: explicit})
	return tea.Batch(cmd, pc)
}

// reread reads again what a write may have changed: the inventory at once (whatever its
// cadence) and what the top page shows, settings included.
func (r *Root) reread() tea.Cmd {
	cmd := r.ctx.Store.Refresh(false)
	_, pc := r.top().Update(common.RefreshMsg{Explicit: true})
	return tea.Batch(cmd, pc)
}

func (r *Root) top() common.Page { return r.stack[len(r.stack)-1] }

func (r *Root) topLayer() common.Layer {
	if len(r.layers) == 0 {
		return nil
	}
	return r.layers[len(r.layers)-1]
}

// focused is the component keys go to.
func (r *Root) focused() common.Component {
	if l := r.topLayer(); l != nil {
		return l
	}
	return r.top()
}

// show brings a registered page to the top: the home page clears the stack, a page already
// on it is brought forward (dropping what was above), another is pushed.
func (r *Root) show(id string) tea.Cmd {
	p := r.pages[id]
	if p == nil {
		return nil
	}
	if id == r.stack[0].ID() {
		r.stack = r.stack[:1]
	} else {
		found := false
		for i, q := range r.stack {
			if q == p {
				r.stack, found = r.stack[:i+1], true
				break
			}
		}
		if !found {
			r.stack = append(r.stack, p)
		}
	}
	_, cmd := p.Update(common.ShownMsg{})
	return cmd
}

func (r *Root) popToHome() {
	r.stack = r.stack[:1]
	r.top().Update(common.ShownMsg{})
}

func (r *Root) back() {
	if len(r.stack) > 1 {
		r.stack = r.stack[:len(r.stack)-1]
		r.top().Update(common.ShownMsg{})
	}
}

// pushLayer opens a modal layer over the pages.
func (r *Root) pushLayer(l common.Layer) tea.Cmd {
	r.layers = append(r.layers, l)
	r.sizeLayer(l)
	return l.Init()
}

// closeLayer removes a layer (the top one when l is nil).
func (r *Root) closeLayer(l common.Layer) {
	for i := len(r.layers) - 1; i >= 0; i-- {
		if l == nil || r.layers[i] == l {
			r.layers = append(r.layers[:i], r.layers[i+1:]...)
			return
		}
	}
}

// compact drops the breadcrumbs on very short terminals so the body keeps a row or two.
func (r *Root) compact() bool { return r.height <= 8 }

func (r *Root) bodyHeight() int {
	if r.compact() {
		return max(r.height-3, 0)
	}
	return max(r.height-4, 0)
}

func (r *Root) layout() {
	w, h := r.width, r.bodyHeight()
	for _, p := range r.pages {
		p.SetSize(w, h)
	}
	for _, l := range r.layers {
		r.sizeLayer(l)
	}
}

func (r *Root) sizeLayer(l common.Layer) {
	if l.Placement() == common.StatusLine {
		l.SetSize(r.width, 1)
		return
	}
	l.SetSize(r.width, r.bodyHeight())
}

// Update is the console's only state transition. A panic is turned into a crash report
// and the program quits, so the terminal is restored.
func (r *Root) Update(msg tea.Msg) (_ tea.Model, cmd tea.Cmd) {
	defer func() {
		if p := recover(); p != nil {
			r.crash = newCrashReport("Update", p, msg)
			cmd = tea.Quit
		}
	}()
	if r.crash != nil {
		return r, tea.Quit
	}
	cmd = r.update(msg)
	if n := r.ctx.Store.NewConnections(); n != r.newCount {
		if n > r.newCount && r.opts.Bell {
			cmd = tea.Batch(cmd, r.bell())
		}
		r.newCount = n
	}
	return r, cmd
}

// bell rings the terminal's bell (Options.Bell): a connection request arrived.
func (r *Root) bell() tea.Cmd {
	w := r.opts.Clipboard
	return func() tea.Msg {
		_, _ = io.WriteString(w, "\a")
		return nil
	}
}

func (r *Root) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		r.width, r.height = max(msg.Width, 0), max(msg.Height, 0)
		r.layout()
		return nil
	case tea.KeyMsg:
		return r.onKey(msg)
	case tasks.DoneMsg:
		return r.onTaskDone(msg)
	case common.FlashMsg:
		return r.setFlash(msg.Text, msg.Level)
	case common.OpenServiceMsg:
		return r.openService(msg)
	case common.OpenConsumerMsg:
		return r.openConsumer(msg.Key)
	case common.CopyMsg:
		return r.copyCmd(msg.Label, msg.Text)
	case common.InfoMsg:
		r.openDialog(dialog.Spec{Kind: dialog.Info, Title: msg.Title, Body: msg.Body, CopyText: msg.CopyText, CopyLabel: msg.CopyLabel}, nil)
		return nil
	case common.CloseLayerMsg:
		r.closeLayer(msg.Layer)
		return nil
	case common.ClosePageMsg:
		if msg.Home {
			r.popToHome()
		} else {
			r.closePage(msg.ID)
		}
		if msg.Flash != nil {
			return r.setFlash(msg.Flash.Text, msg.Flash.Level)
		}
		return nil
	case palette.RunMsg:
		r.closePalette()
		return r.runCommand(msg)
	case dialog.ResultMsg:
		return r.onDialogResult(msg)
	case clipboardMsg:
		if msg.err != nil {
			return r.setFlash(msg.err.Error(), common.FlashError)
		}
		return r.setFlash("copied "+msg.label+" to the clipboard (OSC 52)", common.FlashOK)
	case flashExpiredMsg:
		r.clearFlash(msg.id)
		return nil
	case clockTickMsg:
		if r.opts.DisableTicks {
			return nil
		}
		return clockTick()
	case refreshTickMsg:
		if msg.gen != r.tickGen {
			return nil
		}
		return tea.Batch(r.refresh(false), r.scheduleRefresh())
	}
	return r.forward(msg)
}

// forward delivers a message the root does not know to every layer and every page on the
// stack, top first: the component that sent it for itself gets it back.
func (r *Root) forward(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i := len(r.layers) - 1; i >= 0; i-- {
		_, c := r.layers[i].Update(msg)
		cmds = append(cmds, c)
	}
	for i := len(r.stack) - 1; i >= 0; i-- {
		_, c := r.stack[i].Update(msg)
		cmds = append(cmds, c)
	}
	for i := len(r.layers) - 1; i >= 0; i-- {
		if r.layers[i].Done() {
			r.closeLayer(r.layers[i])
		}
	}
	return tea.Batch(cmds...)
}

// onKey routes a key: a layer takes every key; a page that is capturing text takes every
// key; otherwise the page's own bindings, then the actions it offers, then the global keys,
// and a key nobody claimed still goes to the page.
func (r *Root) onKey(msg tea.KeyMsg) tea.Cmd {
	if !r.ctx.Keys.Is(msg, common.KeyQuit) {
		r.quitArmed = false // the warning is about the very next key
	}
	if l := r.topLayer(); l != nil {
		_, cmd := l.Update(msg)
		if l.Done() {
			r.closeLayer(l)
		}
		return cmd
	}
	p := r.top()
	k := r.ctx.Keys
	if k.Is(msg, common.KeyEnter) && r.flashShown() && r.flash.level == common.FlashError && !p.Capturing() {
		// an error on screen: enter reads it whole (the next key after it expires is the page's)
		return r.showFlashDetails()
	}
	if p.Capturing() {
		_, cmd := p.Update(msg)
		return cmd
	}
	if _, ok := k.Match(msg, p.KeyBindings()); ok {
		_, cmd := p.Update(msg)
		return cmd
	}
	if src, ok := p.(common.ActionSource); ok {
		if name, ok := k.Match(msg, src.Actions()); ok {
			return r.runAction(actionByName(name), src)
		}
	}
	if cmd, ok := r.globalKey(msg); ok {
		return cmd
	}
	_, cmd := p.Update(msg)
	return cmd
}

// globalKey handles the keys every screen shares.
func (r *Root) globalKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := r.ctx.Keys
	for _, s := range pageSpecs {
		if s.key != "" && k.Is(msg, s.key) {
			return r.show(s.id), true
		}
	}
	switch {
	case k.Is(msg, common.KeyQuit):
		if n := r.WritesInFlight(); n > 0 && !r.quitArmed {
			// leaving now would leave the user not knowing what the write did
			r.quitArmed = true
			return r.setFlash(common.Plural(n, "change")+" sent to AWS and not answered yet: press q again to quit anyway "+
				"(the audit log will not have the outcome)", common.FlashWarn), true
		}
		r.ctx.Tasks.CancelAll()
		return tea.Quit, true
	case k.Is(msg, common.KeyHelp):
		return r.pushLayer(help.New(r.ctx)), true
	case k.Is(msg, common.KeyPalette):
		return r.pushLayer(palette.New(r.ctx, r.commands())), true
	case k.Is(msg, common.KeyFilter):
		f, ok := r.top().(common.Filterable)
		if !ok {
			return nil, true
		}
		return r.pushLayer(filterbar.New(r.ctx, f)), true
	case k.Is(msg, common.KeyRefresh):
		return tea.Batch(r.refresh(true), r.setFlash("refreshing…", common.FlashInfo)), true
	case k.Is(msg, common.KeyCopy):
		return r.copyChoice(), true
	case k.Is(msg, common.KeyBack):
		if f, ok := r.top().(common.Filterable); ok && f.Filter() != "" {
			f.SetFilter("")
			return nil, true
		}
		r.back()
		return nil, true
	}
	return nil, false
}

// onTaskDone routes a finished task to its owner; a stale result is dropped.
func (r *Root) onTaskDone(msg tasks.DoneMsg) tea.Cmd {
	if !r.ctx.Tasks.Finish(msg) {
		return nil
	}
	st := r.ctx.Store
	switch msg.Owner {
	case st.Owner():
		before := partErrors(st)
		detailBefore := r.openDetailErr()
		changed, cmd := st.Update(msg.Msg)
		if !changed {
			return cmd
		}
		return tea.Batch(cmd, r.storeErrorFlash(before, detailBefore), r.chooseHome(), r.dataChanged())
	case ownerRoot:
		switch m := msg.Msg.(type) {
		case actionDoneMsg:
			return r.onActionDone(m)
		case switchedMsg:
			return r.onSwitched(m)
		case policyLoadedMsg:
			return r.onPolicyLoaded(m)
		}
		return nil
	}
	if p, ok := r.pages[msg.Owner]; ok {
		_, cmd := p.Update(msg.Msg)
		return cmd
	}
	return nil
}

// dataChanged tells the pages on the stack that the store changed.
func (r *Root) dataChanged() tea.Cmd {
	// only the page on screen rebuilds; a page below catches up with ShownMsg when it comes
	// back (with the inbox open on a fleet, the services list under it would otherwise make
	// the store diagnose every changed service on every refresh, for nobody to see)
	_, cmd := r.top().Update(common.DataChangedMsg{})
	return cmd
}

func partErrors(st *store.Store) [4]error {
	return [4]error{st.Freshness(store.Services).Err, st.Freshness(store.Connections).Err, st.Freshness(store.LoadBalancers).Err}
}

// openDetail is the service page when it is on the stack.
func (r *Root) openDetail() *detail.Page {
	d := r.pages[detail.ID].(*detail.Page)
	for _, p := range r.stack {
		if p == common.Page(d) {
			return d
		}
	}
	return nil
}

func (r *Root) openDetailErr() error {
	if d := r.openDetail(); d != nil {
		_, _, err := r.ctx.Store.Detail(d.ServiceID())
		return err
	}
	return nil
}

// storeErrorFlash says, once, what newly failed: the services first, then the connections,
// then the load balancers, then the open service's details.
func (r *Root) storeErrorFlash(before [4]error, detailBefore error) tea.Cmd {
	now := partErrors(r.ctx.Store)
	// a part's failure is said once per cause: throttling on every refresh is one flash
	fresh := func(i int) bool { return now[i] != nil && model.ErrorCause(before[i]) != model.ErrorCause(now[i]) }
	switch {
	case fresh(0):
		return r.errorFlash("could not list endpoint services: ", now[0], true)
	case fresh(1):
		return r.errorFlash("could not list connections: ", now[1], true)
	case now[2] != nil && before[2] == nil && now[0] == nil:
		return r.errorFlash("could not read the load balancers: ", now[2], true)
	}
	if err := r.openDetailErr(); err != nil && model.ErrorCause(detailBefore) != model.ErrorCause(err) {
		return r.errorFlash("could not load the service: ", err, false)
	}
	return nil
}

// openService shows a service's page.
func (r *Root) openService(msg common.OpenServiceMsg) tea.Cmd {
	if _, ok := r.ctx.Store.Service(msg.ID); !ok {
		return r.setFlash("service "+msg.ID+" is not in the list (refresh with r)", common.FlashWarn)
	}
	d := r.pages[detail.ID].(*detail.Page)
	cmd := d.Open(msg.ID, msg.Tab, msg.Focus)
	return tea.Batch(cmd, r.show(detail.ID))
}

// CrashReport is a recovered panic, readable after the terminal is restored.
type CrashReport struct {
	Where string // "Update" or "View"
	Panic string
	Msg   string // the message being handled
	Stack string
}

func newCrashReport(where string, p any, msg tea.Msg) *CrashReport {
	c := &CrashReport{Where: where, Panic: fmt.Sprint(p), Stack: string(debug.Stack())}
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
func (r *Root) Crash() *CrashReport { return r.crash }

// Identity is the session the console shows.
func (r *Root) Identity() model.Identity { return r.ctx.Store.Identity() }

// storeOptions are the options of a session's store.
func (r *Root) storeOptions() store.Options { return storeOptions(r.opts) }

func storeOptions(o Options) store.Options {
	return store.Options{Now: o.Now, PendingMaxAge: o.PendingMaxAge, RefreshEvery: o.RefreshInterval,
		InventoryEvery: o.InventoryEvery, SettingsEvery: o.SettingsEvery, TargetsEvery: o.TargetsEvery,
		CloudWatchBudget: o.CloudWatchBudget}
}
