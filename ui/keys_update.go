package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// handleKey routes a key: the dialog, the palette, the filter and the help screen capture
// input while open; then global keys; then the current view.
func (m *Root) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.ctx.Keys
	if m.dialog != nil {
		return m.dialogKey(msg)
	}
	if m.palette != nil {
		switch m.palette.Update(m, msg) {
		case palCancel:
			m.palette = nil
		case palRun:
			p := m.palette
			m.palette = nil
			return m.runCommand(p)
		}
		return nil
	}
	if m.filtering {
		switch msg.String() {
		case "enter":
			m.filtering = false
		case "esc", "ctrl+c":
			m.filtering = false
			m.current().SetFilter(m.filterWas)
		default:
			if m.filter.Update(msg) {
				m.current().SetFilter(m.filter.Value())
			}
		}
		return nil
	}
	if m.showHelp {
		switch {
		case key.Matches(msg, k.Help), key.Matches(msg, k.Back):
			m.showHelp = false
		case msg.String() == "ctrl+c" || key.Matches(msg, k.Quit):
			return tea.Quit
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp = true
		return nil
	case key.Matches(msg, k.Palette):
		m.palette = newPalette()
		m.palette.complete(m)
		return nil
	case key.Matches(msg, k.Filter):
		m.filtering = true
		m.filterWas = m.current().Filter()
		m.filter.SetValue(m.filterWas)
		return nil
	case key.Matches(msg, k.Refresh):
		if m.top() == viewLog {
			return tea.Batch(m.refresh(), m.fetchAPILog())
		}
		return tea.Batch(m.refresh(), m.setFlash("refreshing…", flashInfo))
	case key.Matches(msg, k.APILog):
		m.push(viewLog)
		return m.fetchAPILog()
	case key.Matches(msg, k.Inbox) && m.top() != viewInbox:
		m.push(viewInbox)
		return nil
	case key.Matches(msg, k.Services):
		m.stack = m.stack[:1]
		return nil
	case key.Matches(msg, k.Back):
		if m.current().Filter() != "" {
			m.current().SetFilter("")
			return nil
		}
		if len(m.stack) > 1 {
			m.stack = m.stack[:len(m.stack)-1]
		}
		return nil
	}
	act, _ := m.current().HandleKey(msg)
	if act != nil {
		return m.perform(act)
	}
	return nil
}

func (m *Root) dialogKey(msg tea.KeyMsg) tea.Cmd {
	d := m.dialog
	if d.kind == dlgInfo && key.Matches(msg, m.ctx.Keys.Copy) && d.copyText != "" {
		return m.copyCmd(d.copyLabel, d.copyText)
	}
	switch d.Update(msg) {
	case dlgCancelled:
		m.dialog = nil
		if d.kind != dlgInfo {
			return m.setFlash("cancelled: nothing was changed", flashInfo)
		}
	case dlgConfirmed:
		m.dialog = nil
		if d.onConfirm != nil {
			return d.onConfirm(m, d.values())
		}
	case dlgCopy:
		return m.copyCmd(d.copyLabel, d.copyText)
	}
	return nil
}

// runCommand executes a palette command line.
func (m *Root) runCommand(p *Palette) tea.Cmd {
	line := strings.TrimSpace(p.in.Value())
	if line == "" && len(p.sugg) > 0 {
		line = p.sugg[p.sel]
	}
	name, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	c, ok := findCommand(name)
	if !ok && len(p.sugg) > 0 {
		name, arg, _ = strings.Cut(p.sugg[p.sel], " ")
		c, ok = findCommand(name)
	}
	if !ok {
		return m.setFlash("unknown command :"+line+" (try :services, :connections, :targets, :log, :profile, :region)", flashWarn)
	}
	switch c.name {
	case "services":
		m.stack = m.stack[:1]
	case "connections":
		m.push(viewInbox)
	case "log":
		m.push(viewLog)
		return m.fetchAPILog()
	case "help":
		m.showHelp = true
	case "quit":
		return tea.Quit
	case "refresh":
		return m.refresh()
	case "targets":
		if m.top() == viewDetail {
			m.detail.tab = tabLoadBalancers
			return nil
		}
		id := ""
		if m.top() == viewServices {
			if s, ok := m.svcView.Current(); ok {
				id = s.ID
			}
		} else if m.top() == viewInbox {
			if cs := m.inbox.Targets(); len(cs) > 0 {
				id = cs[0].ServiceID
			}
		}
		if id == "" {
			return m.setFlash("no service selected: pick one in :services first", flashWarn)
		}
		return m.perform(actOpenService{id: id, tab: tabLoadBalancers})
	case "service":
		if arg == "" {
			return m.setFlash(":service needs a service id or name", flashWarn)
		}
		for _, s := range m.services {
			if s.ID == arg || strings.EqualFold(s.Label(), arg) {
				return m.perform(actOpenService{id: s.ID})
			}
		}
		return m.setFlash("no service "+arg+" in this region", flashWarn)
	case "profile", "region":
		if arg == "" {
			return m.setFlash(":"+c.name+" needs a name, e.g. :"+c.name+" "+firstOr(c.args(m), "<name>"), flashWarn)
		}
		return tea.Batch(m.switchCmd(c.name, arg), m.setFlash("switching "+c.name+" to "+arg+"…", flashInfo))
	case "theme":
		return m.setTheme(arg)
	}
	return nil
}

func firstOr(xs []string, def string) string {
	if len(xs) > 0 {
		return xs[0]
	}
	return def
}

// setTheme switches the colour theme at run time.
func (m *Root) setTheme(theme string) tea.Cmd {
	if theme == "auto" {
		theme = ""
	}
	switch theme {
	case "", "dark", "light", "terminal":
	default:
		return m.setFlash("unknown theme "+theme+": dark, light, terminal or auto", flashWarn)
	}
	m.opts.Theme = theme
	m.ctx.Styles = NewStyles(m.opts.Renderer, theme, m.opts.NoColor)
	m.ctx.Gen++
	m.detail.rebuild()
	return m.setFlash("theme: "+orDash(theme), flashOK)
}
