package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	osc52 "github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/dialog"
	"github.com/plconsole/plconsole/ui/components/help"
	"github.com/plconsole/plconsole/ui/components/palette"
	"github.com/plconsole/plconsole/ui/pages/detail"
	"github.com/plconsole/plconsole/ui/pages/inbox"
	"github.com/plconsole/plconsole/ui/pages/overview"
	"github.com/plconsole/plconsole/ui/pages/services"
	"github.com/plconsole/plconsole/ui/store"
	"github.com/plconsole/plconsole/ui/tasks"
)

// commands is the palette's command list: one per registered page with a command, then the
// root's own.
func (r *Root) commands() []palette.Command {
	var out []palette.Command
	for _, s := range pageSpecs {
		if s.command != "" {
			out = append(out, palette.Command{Name: s.command, Help: s.help, Aliases: s.aliases})
		}
	}
	rest := []palette.Command{
		{Name: "targets", Help: "load balancers & targets of the current service"},
		{Name: "metrics", Help: "CloudWatch charts of the current service"},
		{Name: "service", Help: "open a service by id or name", Args: func() []string {
			var out []string
			for _, svc := range r.ctx.Store.Services() {
				out = append(out, svc.ID)
				if svc.DisplayName != "" {
					out = append(out, svc.DisplayName)
				}
			}
			return out
		}},
		{Name: "new", Help: "new endpoint service (the setup wizard)"},
		{Name: "edit", Help: "change the current service's settings"},
		{Name: "profile", Help: "switch AWS profile", Args: func() []string { return r.opts.Profiles }},
		{Name: "region", Help: "switch region", Args: func() []string { return r.opts.Regions }},
		{Name: "theme", Help: "dark, light or terminal", Args: func() []string { return []string{"auto", "dark", "light", "terminal"} }},
		{Name: "name", Help: "name a customer: name ACCOUNT NAME", Args: r.accountArgs},
		{Name: "policy", Help: "the approval policy; policy reload reads it again", Args: func() []string { return []string{"reload"} }},
		{Name: "refresh", Help: "refresh now; :refresh 30s or off sets auto-refresh", Args: func() []string {
			return []string{"10s", "15s", "30s", "1m", "5m", "off"}
		}},
		{Name: "messages", Help: "the recent messages, whole"},
		{Name: "help", Help: "the key reference"},
		{Name: "quit", Help: "leave plconsole", Aliases: []string{"q", "q!"}},
	}
	return append(out, rest...)
}

func (r *Root) closePalette() {
	for _, l := range r.layers {
		if _, ok := l.(*palette.Palette); ok {
			r.closeLayer(l)
			return
		}
	}
}

// runCommand carries out a palette command line.
func (r *Root) runCommand(run palette.RunMsg) tea.Cmd {
	if run.Name == "" {
		return r.setFlash("unknown command :"+run.Line+" (try :services, :connections, :targets, :log, :profile, :region)", common.FlashWarn)
	}
	for _, s := range pageSpecs {
		if s.command == run.Name {
			return r.show(s.id)
		}
	}
	arg := run.Arg
	switch run.Name {
	case "help":
		return r.globalHelp()
	case "messages":
		return r.showMessages()
	case "quit":
		r.ctx.Tasks.CancelAll()
		return tea.Quit
	case "refresh":
		if arg == "" {
			return tea.Batch(r.refresh(true), r.setFlash("refreshing…", common.FlashInfo))
		}
		d, err := model.ParseRefreshInterval(arg)
		if err != nil {
			return r.setFlash(":refresh "+err.Error(), common.FlashWarn)
		}
		r.opts.RefreshInterval = d
		r.ctx.Store.SetRefreshEvery(d)
		if r.opts.StaleAfter < 3*d {
			r.opts.StaleAfter = 3 * d
		}
		if d == 0 {
			r.tickGen++ // the scheduled refresh will find itself outdated
			return r.setFlash("auto-refresh off: r refreshes", common.FlashOK)
		}
		return tea.Batch(r.scheduleRefresh(), r.setFlash("auto-refresh every "+d.String(), common.FlashOK))
	case "targets":
		return r.serviceTab(detail.TabLoadBalancers)
	case "metrics":
		return r.serviceTab(detail.TabMetrics)
	case "new":
		return r.runAction(actionByName("newService"), sourceOf(r.top()))
	case "edit":
		return r.runAction(actionByName("editService"), sourceOf(r.top()))
	case "service":
		if arg == "" {
			return r.setFlash(":service needs a service id or name", common.FlashWarn)
		}
		for _, s := range r.ctx.Store.Services() {
			if s.ID == arg || strings.EqualFold(s.Label(), arg) {
				return r.openService(common.OpenServiceMsg{ID: s.ID})
			}
		}
		return r.setFlash("no service "+arg+" in this region", common.FlashWarn)
	case "profile", "region":
		if arg == "" {
			ex := "<name>"
			if run.Name == "profile" && len(r.opts.Profiles) > 0 {
				ex = r.opts.Profiles[0]
			} else if run.Name == "region" && len(r.opts.Regions) > 0 {
				ex = r.opts.Regions[0]
			}
			return r.setFlash(":"+run.Name+" needs a name, e.g. :"+run.Name+" "+ex, common.FlashWarn)
		}
		return tea.Batch(r.switchSession(run.Name, arg), r.setFlash("switching "+run.Name+" to "+arg+"…", common.FlashInfo))
	case "theme":
		if arg == "" {
			now := r.opts.Theme
			if now == "" {
				now = "auto (follows the terminal's background)"
			}
			return r.setFlash("theme: "+now+" — :theme dark, light, terminal or auto", common.FlashInfo)
		}
		return r.setTheme(arg)
	case "name":
		return r.nameCommand(arg)
	case "policy":
		return r.policyCommand(arg)
	}
	return nil
}

func (r *Root) globalHelp() tea.Cmd { return r.pushLayer(help.New(r.ctx)) }

// serviceTab opens a tab (load balancers, metrics) of the service in view.
func (r *Root) serviceTab(tab int) tea.Cmd {
	id := ""
	switch p := r.top().(type) {
	case *detail.Page:
		return r.openService(common.OpenServiceMsg{ID: p.ServiceID(), Tab: tab})
	case *services.Page:
		if s, ok := p.Current(); ok {
			id = s.ID
		}
	case *inbox.View:
		if t := p.Target(); len(t.Connections) > 0 {
			id = t.Connections[0].ServiceID
		}
	case *overview.Page:
		id = p.CurrentID()
	}
	if id == "" {
		return r.setFlash("no service selected: pick one in :services first", common.FlashWarn)
	}
	return r.openService(common.OpenServiceMsg{ID: id, Tab: tab})
}

// setTheme switches the colour theme at run time.
func (r *Root) setTheme(theme string) tea.Cmd {
	if theme == "auto" {
		theme = ""
	}
	switch theme {
	case "", "dark", "light", "terminal":
	default:
		return r.setFlash("unknown theme "+theme+": dark, light, terminal or auto", common.FlashWarn)
	}
	r.opts.Theme = theme
	r.ctx.Styles = common.NewStyles(r.opts.Renderer, theme, r.opts.NoColor)
	r.ctx.Gen++
	r.layout()
	r.dataChanged()
	r.pages[detail.ID].Update(common.ShownMsg{})
	return r.setFlash("theme: "+common.OrDash(theme), common.FlashOK)
}

// accountArgs completes :name with the accounts that have connections, named ones first.
func (r *Root) accountArgs() []string {
	seen := map[string]bool{}
	var named, other []string
	for _, e := range r.ctx.Store.Connections().Entries {
		a := e.C.OwnerAccount
		if seen[a] {
			continue
		}
		seen[a] = true
		if r.ctx.Customer(a) != "" {
			named = append(named, a)
		} else {
			other = append(other, a)
		}
	}
	sort.Strings(named)
	sort.Strings(other)
	return append(named, other...)
}

// ---- sessions ------------------------------------------------------------------------------

// switchedMsg is a profile or region switch's outcome: the identity of the session the
// backend installed.
type switchedMsg struct {
	what, value string
	identity    model.Identity
	err         error
}

// switchSession asks the backend for another profile or region. A newer switch of the same
// kind cancels the older one; the backend runs switches in the order asked.
func (r *Root) switchSession(what, value string) tea.Cmd {
	b := r.backend
	return r.ctx.Tasks.Start("session/"+what, ownerRoot, tasks.CancelOlder, func(ctx context.Context) tea.Msg {
		var id model.Identity
		var err error
		if what == "profile" {
			id, err = b.SwitchProfile(ctx, value)
		} else {
			id, err = b.SwitchRegion(ctx, value)
		}
		return switchedMsg{what: what, value: value, identity: id, err: err}
	})
}

// onSwitched makes a new store for the session the backend now acts in. A result that is
// not the backend's current session (a later switch installed another) is dropped: the
// header and the data always name the same session.
func (r *Root) onSwitched(msg switchedMsg) tea.Cmd {
	if errors.Is(msg.err, model.ErrSwitchSuperseded) || errors.Is(msg.err, context.Canceled) {
		return nil
	}
	if msg.err != nil {
		return r.errorFlash("could not switch "+msg.what+" to "+msg.value+": ", msg.err, true)
	}
	if cur := r.backend.Identity(); cur != msg.identity {
		return nil
	}
	if r.opts.Mode == "" {
		r.ctx.Mode = r.backend.Mode()
	}
	before := r.ctx.Store.Identity()
	r.ctx.Store.Close()
	r.ctx.Store = store.New(r.backend, msg.identity, r.ctx.Tasks, r.storeOptions())
	r.ctx.Gen++
	r.layers = nil
	r.flows = map[int]*flow{}
	r.stack = r.stack[:1]
	var cmds []tea.Cmd
	for _, p := range r.pages {
		_, c := p.Update(common.SessionChangedMsg{})
		cmds = append(cmds, c)
	}
	cmds = append(cmds, r.refresh(false),
		r.setGlobalFlash(switchedText(msg, before), common.FlashOK))
	return tea.Batch(cmds...)
}

// switchedText says what a switch did, and where the region came from when a profile
// brought its own.
func switchedText(msg switchedMsg, before model.Identity) string {
	text := fmt.Sprintf("switched %s to %s (account %s", msg.what, msg.value, common.OrDash(msg.identity.Account))
	if msg.what == "profile" && msg.identity.Region != before.Region {
		text += ", region " + msg.identity.Region + " from the profile"
	}
	return text + ")"
}

// ---- clipboard -----------------------------------------------------------------------------

type clipboardMsg struct {
	label string
	err   error
}

// copyChoice offers what can be copied from where the cursor is: one value is copied at
// once, several are offered to choose from, each shown whole (an ARN cut in its column is
// read here).
func (r *Root) copyChoice() tea.Cmd {
	c, ok := r.top().(common.Copier)
	var items []common.Copyable
	if ok {
		items = c.Copyables()
	}
	var kept []common.Copyable
	for _, it := range items {
		if it.Value != "" && it.Value != "-" {
			kept = append(kept, it)
		}
	}
	switch len(kept) {
	case 0:
		return r.setFlash("nothing to copy here", common.FlashInfo)
	case 1:
		return r.copyCmd(kept[0].Phrase(), kept[0].Value)
	}
	r.openDialog(dialog.Spec{Kind: dialog.Choose, Title: "Copy to the clipboard", Choices: kept}, nil)
	return nil
}

// copyCmd puts text on the terminal's clipboard with an OSC 52 sequence.
func (r *Root) copyCmd(label, text string) tea.Cmd {
	w := r.opts.Clipboard
	tmux := r.opts.InTmux
	return func() tea.Msg {
		seq := osc52.New(text)
		if tmux {
			seq = seq.Tmux()
		}
		_, err := seq.WriteTo(w)
		if err != nil {
			err = fmt.Errorf("copy %s to the clipboard: %w", label, err)
		}
		return clipboardMsg{label: label, err: err}
	}
}
