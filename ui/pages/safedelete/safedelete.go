// Package safedelete deletes an endpoint service that still has connections, the way AWS
// allows it: it shows the connections that block the delete, then — each step asked first —
// rejects them, deletes the service, and reads until the service is gone. The service id
// was typed to confirm before this page opens.
package safedelete

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/prompt"
	"github.com/plconsole/plconsole/ui/components/textview"
	"github.com/plconsole/plconsole/ui/tasks"
)

// ID is the page's registration id.
const ID = "safedelete"

// Key binding names; RegisterKeys declares them.
const (
	KeyReread = "rereadConnections"
	KeyDone   = "closeDelete"
)

// RegisterKeys declares the page's own bindings. The footer shows them when they apply;
// the full help leaves them out, as they mean something only on this page.
func RegisterKeys(k *common.KeyMap) {
	k.Add(KeyReread, common.GroupService, "read connections again", false, "r").Hidden = true
	k.Add(KeyDone, common.GroupService, "done", false, "enter").Hidden = true
}

type phase int

const (
	reading       phase = iota // reading the connections now
	confirmReject              // asking before rejecting the blockers
	rejecting                  // RejectVpcEndpointConnections in flight
	confirmDelete              // asking before the delete
	deleting                   // DeleteVpcEndpointServiceConfigurations in flight
	checking                   // reading until the service is gone
	gone                       // confirmed gone
	stopped                    // a step failed or was declined; nothing more is sent
)

// DefaultPollInterval is how often the page reads whether the service is gone.
const DefaultPollInterval = 2 * time.Second

// Page is the safe delete of one service.
type Page struct {
	ctx  *common.Context
	text *textview.View
	ask  prompt.Prompt
	w, h int

	open     bool
	svc      model.EndpointService
	phase    phase
	blockers []model.Connection
	log      []string
	gen      int
	interval time.Duration
}

// New makes the page; Open starts it.
func New(ctx *common.Context) *Page { return &Page{ctx: ctx, text: textview.New(ctx)} }

// Open starts the safe delete of svc: it reads the service's connections now.
func (p *Page) Open(svc model.EndpointService, interval time.Duration) tea.Cmd {
	if interval <= 0 {
		interval = DefaultPollInterval
	}
	p.ctx.Tasks.CancelOwner(ID)
	*p = Page{ctx: p.ctx, text: p.text, w: p.w, h: p.h, open: true, svc: svc, gen: p.gen + 1, interval: interval}
	return p.read()
}

// Phase names where the delete is, for tests.
func (p *Page) Phase() string {
	return [...]string{"reading", "confirm reject", "rejecting", "confirm delete", "deleting", "checking", "gone", "stopped"}[p.phase]
}

func (p *Page) ID() string       { return ID }
func (p *Page) Title() string    { return "Delete " + p.svc.Label() }
func (p *Page) Init() tea.Cmd    { return nil }
func (p *Page) Capturing() bool  { return false }
func (p *Page) SetSize(w, h int) { p.w, p.h = w, h; p.text.SetSize(w, h); p.render() }
func (p *Page) View() string     { return p.text.View() }

func (p *Page) KeyBindings() []string {
	keys := append([]string{common.KeyBack}, common.NavigationKeys...)
	switch {
	case p.ask.Open():
		keys = append(keys, prompt.Keys()...)
	case p.phase == stopped:
		keys = append(keys, KeyReread)
	case p.phase == gone:
		keys = append(keys, KeyDone)
	}
	return keys
}

func (p *Page) ShortHelp() []string {
	switch {
	case p.ask.Open():
		return prompt.Keys()
	case p.phase == stopped:
		return []string{KeyReread, common.KeyBack}
	case p.phase == gone:
		return []string{KeyDone}
	}
	return []string{common.KeyBack}
}

func (p *Page) Status() string {
	switch p.phase {
	case reading:
		return "reading the connections of " + p.svc.ID + "…"
	case confirmReject:
		return common.Plural(len(p.blockers), "connection") + " block the delete"
	case checking:
		return "waiting until " + p.svc.ID + " is gone; reading every " + p.interval.String()
	case gone:
		return p.svc.ID + " is gone"
	case stopped:
		return "stopped: nothing more is sent (r reads the connections again)"
	}
	return ""
}

func (p *Page) note(s string) { p.log = append(p.log, p.ctx.Now().Format("15:04:05")+"  "+s) }

// ---- the steps -----------------------------------------------------------------------------

type connsMsg struct {
	gen   int
	conns []model.Connection
	err   error
}

type rejectedMsg struct {
	gen     int
	results []model.ItemResult
	err     error
}

type deletedMsg struct {
	gen int
	err error
}

type checkMsg struct {
	gen   int
	state model.ServiceState
	gone  bool
	err   error
}

type tickMsg struct{ gen int }

func (p *Page) start(name string, fn func(ctx context.Context) tea.Msg) tea.Cmd {
	return p.ctx.Tasks.Start(name+"/"+p.svc.ID, ID, tasks.Join, fn)
}

// read reads the service's connections as they are now (the store's may be a refresh old).
func (p *Page) read() tea.Cmd {
	p.phase = reading
	p.render()
	b, ok := p.ctx.Store.Provisioner()
	if !ok {
		p.stop("this backend cannot read a service's connections")
		return nil
	}
	gen, id := p.gen, p.svc.ID
	return p.start("safedelete/read", func(ctx context.Context) tea.Msg {
		conns, err := b.ListConnections(ctx, id)
		return connsMsg{gen: gen, conns: conns, err: err}
	})
}

func (p *Page) stop(why string) {
	p.note(why)
	p.phase = stopped
	p.ask.Close()
	p.render()
}

// fromRun is a result of one of the page's tasks: it belongs to a run (a read of the
// connections starts one), and one of an earlier run is dropped.
type fromRun interface{ run() int }

func (m connsMsg) run() int    { return m.gen }
func (m rejectedMsg) run() int { return m.gen }
func (m deletedMsg) run() int  { return m.gen }
func (m checkMsg) run() int    { return m.gen }
func (m tickMsg) run() int     { return m.gen }

func (p *Page) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if !p.open {
		return p, nil
	}
	if r, ok := msg.(fromRun); ok && r.run() != p.gen {
		return p, nil
	}
	switch msg := msg.(type) {
	case common.SessionChangedMsg:
		p.open = false
	case connsMsg:
		return p, p.onConns(msg)
	case rejectedMsg:
		return p, p.onRejected(msg)
	case deletedMsg:
		return p, p.onDeleted(msg)
	case checkMsg:
		return p, p.onCheck(msg)
	case tickMsg:
		if p.phase == checking {
			return p, p.check()
		}
	case tea.KeyMsg:
		return p, p.key(msg)
	}
	return p, nil
}

func (p *Page) key(msg tea.KeyMsg) tea.Cmd {
	k := p.ctx.Keys
	if answered, yes := p.ask.Key(k, msg); answered {
		if !yes {
			p.stop("declined: nothing more was sent")
			return common.Flash("stopped: nothing more was sent", common.FlashInfo)
		}
		if p.ctx.ReadOnly() {
			p.stop(p.ctx.ReadOnlyReason())
			return nil
		}
		switch p.phase {
		case confirmReject:
			return p.reject()
		case confirmDelete:
			return p.delete()
		}
		return nil
	}
	switch {
	case p.text.Update(msg):
	case k.Is(msg, common.KeyBack) || (p.phase == gone && k.Is(msg, KeyDone)):
		p.open = false
		p.ctx.Tasks.CancelOwner(ID)
		// a deleted service's own page has nothing left to show
		return common.Send(common.ClosePageMsg{ID: ID, Home: p.phase == gone})
	case p.phase == stopped && k.Is(msg, KeyReread):
		p.gen++
		p.log = nil
		return p.read()
	}
	return nil
}

func (p *Page) onConns(m connsMsg) tea.Cmd {
	if m.err != nil {
		p.stop("could not read the connections: " + m.err.Error())
		return nil
	}
	p.blockers = p.blockers[:0]
	for _, c := range m.conns {
		if c.State.BlocksServiceDelete() {
			p.blockers = append(p.blockers, c)
		}
	}
	model.SortConnections(p.blockers)
	if len(p.blockers) == 0 {
		p.note("no connection blocks the delete")
		p.phase = confirmDelete
		p.ask.Ask("Delete " + p.svc.Label() + " (" + p.svc.ID + ") now (DeleteVpcEndpointServiceConfigurations)? It cannot be undone.")
	} else {
		p.phase = confirmReject
		p.ask.Ask("Reject these " + common.Plural(len(p.blockers), "connection") + " now (RejectVpcEndpointConnections)? " +
			"Their consumers lose the service at once, and must create a new endpoint to connect again.")
	}
	p.render()
	return nil
}

func (p *Page) reject() tea.Cmd {
	b, _ := p.ctx.Store.Provisioner()
	ids := make([]string, len(p.blockers))
	for i, c := range p.blockers {
		ids[i] = c.EndpointID
	}
	p.phase = rejecting
	p.note("rejecting " + common.Plural(len(ids), "connection") + "…")
	p.render()
	gen, id := p.gen, p.svc.ID
	return p.start("write/safedelete/reject", func(ctx context.Context) tea.Msg {
		res, err := b.RejectConnections(ctx, id, ids)
		return rejectedMsg{gen: gen, results: res, err: err}
	})
}

func (p *Page) onRejected(m rejectedMsg) tea.Cmd {
	var dry *model.DryRunResult
	if errors.As(m.err, &dry) {
		p.stop(dry.Error() + "; a dry run rejects nothing, so the delete would still be refused")
		return nil
	}
	failed := 0
	for _, r := range m.results {
		if !r.OK {
			failed++
			p.note("✗ " + r.ID + " " + r.Code + ": " + r.Message)
		}
	}
	if m.err != nil || failed > 0 {
		why := common.Plural(failed, "connection") + " could not be rejected"
		if m.err != nil {
			why = "the reject failed: " + m.err.Error()
		}
		p.stop(why + "; the delete was not sent (r reads the connections again)")
		return p.ctx.Store.Refresh(false)
	}
	p.note("✓ rejected " + common.Plural(len(m.results), "connection"))
	p.phase = confirmDelete
	p.ask.Ask("Delete " + p.svc.Label() + " (" + p.svc.ID + ") now (DeleteVpcEndpointServiceConfigurations)? It cannot be undone.")
	p.render()
	return p.ctx.Store.Refresh(false)
}

func (p *Page) delete() tea.Cmd {
	b, _ := p.ctx.Store.Provisioner()
	p.phase = deleting
	p.note("deleting " + p.svc.ID + "…")
	p.render()
	gen, id := p.gen, p.svc.ID
	return p.start("write/safedelete/delete", func(ctx context.Context) tea.Msg {
		return deletedMsg{gen: gen, err: b.DeleteService(ctx, id)}
	})
}

func (p *Page) onDeleted(m deletedMsg) tea.Cmd {
	var dry *model.DryRunResult
	switch {
	case errors.As(m.err, &dry):
		p.stop(dry.Error())
		return nil
	case m.err != nil:
		p.stop("the delete failed: " + m.err.Error())
		return nil
	}
	p.note("✓ delete accepted; reading until " + p.svc.ID + " is gone")
	p.phase = checking
	p.render()
	return p.check()
}

// check reads the service: AWS answers NotFound once it is gone.
func (p *Page) check() tea.Cmd {
	b := p.ctx.Store.Backend()
	gen, id := p.gen, p.svc.ID
	return p.start("safedelete/check", func(ctx context.Context) tea.Msg {
		svc, err := b.ServiceDetail(ctx, id)
		if model.IsNotFound(err) {
			return checkMsg{gen: gen, gone: true}
		}
		return checkMsg{gen: gen, state: svc.State, err: err, gone: err == nil && svc.State == model.ServiceDeleted}
	})
}

func (p *Page) onCheck(m checkMsg) tea.Cmd {
	if m.gone {
		p.note("✓ " + p.svc.ID + " is gone: AWS no longer knows it")
		p.phase = gone
		p.render()
		return tea.Batch(p.ctx.Store.Refresh(false), common.Flash("deleted "+p.svc.ID+" and confirmed it is gone", common.FlashOK))
	}
	if m.err != nil {
		p.note("could not read " + p.svc.ID + ": " + m.err.Error() + " (trying again)")
	} else if m.state != "" {
		p.note(p.svc.ID + " is " + string(m.state))
	}
	p.render()
	gen := p.gen
	return tea.Tick(p.interval, func(time.Time) tea.Msg { return tickMsg{gen: gen} })
}

// ---- view ----------------------------------------------------------------------------------

func (p *Page) render() {
	st := p.ctx.Styles
	w := max(p.w, 20)
	lines := []string{st.Bold.Render("Delete "+p.svc.Label()) + st.Dim.Render("  "+p.svc.ID)}
	for _, l := range common.WrapLines("1 reject the connections that block it · 2 delete it · 3 confirm it is gone — each step asks first", w) {
		lines = append(lines, st.Dim.Render(l))
	}
	lines = append(lines, "")
	if len(p.blockers) > 0 {
		cols := []string{common.PadRight("ENDPOINT", 22), common.PadRight("OWNER", 12),
			common.PadRight("STATE", 18), common.PadRight("REGION", 14), "AGE"}
		for _, c := range p.blockers {
			if p.ctx.Customer(c.OwnerAccount) != "" {
				cols[4], cols = common.PadRight("AGE", 4), append(cols, "CUSTOMER")
				break
			}
		}
		lines = append(lines, st.Title.Render(common.Plural(len(p.blockers), "connection")+" block the delete"),
			st.TableHeader.Render(common.FitLine("  "+strings.Join(cols, " "), w)))
		now := p.ctx.Now()
		for _, c := range p.blockers {
			line := "  " + strings.Join([]string{common.PadRight(c.EndpointID, 22), common.PadRight(c.OwnerAccount, 12),
				common.PadRight(string(c.State), 18), common.PadRight(common.OrDash(c.Region), 14), common.HumanAge(now, c.Created)}, " ")
			if name := p.ctx.Customer(c.OwnerAccount); name != "" {
				line = common.PadRight(line, 2+22+1+12+1+18+1+14+1+4) + " " + st.Bold.Render(name)
			}
			lines = append(lines, common.FitLine(line, w))
		}
		lines = append(lines, "")
	}
	for _, l := range p.log {
		lines = append(lines, common.WrapLines(l, w)...)
	}
	lines = append(lines, p.ask.Lines(st, w)...)
	if p.phase == gone {
		lines = append(lines, "", st.OK.Render("enter returns to the services"))
	}
	p.text.SetLines(lines)
	if n := len(lines); n > 0 {
		p.text.Show(n-1, n-1)
	}
}
