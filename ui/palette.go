package ui

import (
	"github.com/charmbracelet/x/ansi"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// paletteCommand is one `:` command.
type paletteCommand struct {
	name, help string
	args       func(m *Root) []string // completion for the argument; nil = no argument
}

func paletteCommands() []paletteCommand {
	return []paletteCommand{
		{name: "services", help: "every endpoint service"},
		{name: "connections", help: "the connections inbox across services"},
		{name: "targets", help: "load balancers & targets of the current service"},
		{name: "service", help: "open a service by id or name", args: func(m *Root) []string {
			var out []string
			for _, s := range m.services {
				out = append(out, s.ID)
			}
			return out
		}},
		{name: "log", help: "the API-call log"},
		{name: "profile", help: "switch AWS profile", args: func(m *Root) []string { return m.opts.Profiles }},
		{name: "region", help: "switch region", args: func(m *Root) []string { return m.opts.Regions }},
		{name: "theme", help: "dark, light or terminal", args: func(*Root) []string { return []string{"auto", "dark", "light", "terminal"} }},
		{name: "refresh", help: "refresh now"},
		{name: "help", help: "the key reference"},
		{name: "quit", help: "leave plconsole"},
	}
}

// Palette is the `:` command line with completion.
type Palette struct {
	in   lineInput
	sugg []string
	sel  int
}

func newPalette() *Palette {
	p := &Palette{}
	p.in.prompt = ":"
	return p
}

// complete recomputes the suggestions for the current input.
func (p *Palette) complete(m *Root) {
	v := strings.TrimLeft(p.in.Value(), " ")
	p.sugg = p.sugg[:0]
	p.sel = 0
	cmdName, arg, hasArg := strings.Cut(v, " ")
	if !hasArg {
		for _, c := range paletteCommands() {
			if strings.HasPrefix(c.name, strings.ToLower(cmdName)) {
				p.sugg = append(p.sugg, c.name)
			}
		}
		return
	}
	c, ok := findCommand(cmdName)
	if !ok || c.args == nil {
		return
	}
	arg = strings.TrimSpace(arg)
	var opts []string
	for _, o := range c.args(m) {
		if strings.HasPrefix(strings.ToLower(o), strings.ToLower(arg)) {
			opts = append(opts, c.name+" "+o)
		}
	}
	sort.Strings(opts)
	p.sugg = opts
}

func findCommand(name string) (paletteCommand, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	var match []paletteCommand
	for _, c := range paletteCommands() {
		if c.name == name {
			return c, true
		}
		if name != "" && strings.HasPrefix(c.name, name) {
			match = append(match, c)
		}
	}
	if len(match) == 1 {
		return match[0], true
	}
	// common aliases
	switch name {
	case "svc", "svcs":
		return findCommand("services")
	case "conn", "conns", "inbox":
		return findCommand("connections")
	case "q", "q!":
		return findCommand("quit")
	}
	return paletteCommand{}, false
}

type paletteOutcome int

const (
	palOpen paletteOutcome = iota
	palRun
	palCancel
)

func (p *Palette) Update(m *Root, msg tea.KeyMsg) paletteOutcome {
	switch msg.String() {
	case "esc", "ctrl+c":
		return palCancel
	case "enter":
		return palRun
	case "tab":
		if len(p.sugg) > 0 {
			s := p.sugg[p.sel]
			if c, ok := findCommand(s); ok && c.args != nil && !strings.Contains(s, " ") {
				s += " "
			}
			p.in.SetValue(s)
			p.complete(m)
		}
		return palOpen
	case "down", "ctrl+n":
		if len(p.sugg) > 0 {
			p.sel = (p.sel + 1) % len(p.sugg)
		}
		return palOpen
	case "up", "ctrl+p":
		if len(p.sugg) > 0 {
			p.sel = (p.sel + len(p.sugg) - 1) % len(p.sugg)
		}
		return palOpen
	}
	if p.in.Update(msg) {
		p.complete(m)
	}
	return palOpen
}

// View is the input line followed by the suggestions that fit.
func (p *Palette) View(m *Root, w int) string {
	st := m.ctx.Styles
	line := p.in.View(w/2, true, styleCodes(st.Selected))
	var parts []string
	// whole suggestions only: one cut in the middle reads as a different value
	room := w - ansi.StringWidth(line) - 2
	for i, s := range p.sugg {
		if i >= 12 {
			break
		}
		need := ansi.StringWidth(s) + 1
		if i < len(p.sugg)-1 && i < 11 {
			need += 2 // keep room for " …"
		}
		if i > 0 && need > room {
			parts = append(parts, st.Dim.Render("…"))
			break
		}
		room -= ansi.StringWidth(s) + 1
		if i == p.sel {
			parts = append(parts, st.HelpKey.Render(s))
		} else {
			parts = append(parts, st.Dim.Render(s))
		}
	}
	if len(parts) > 0 {
		line += "  " + strings.Join(parts, st.Dim.Render(" "))
	} else if v := strings.TrimSpace(p.in.Value()); v != "" {
		if c, ok := findCommand(strings.Fields(v)[0]); ok {
			line += "  " + st.Dim.Render(c.help)
		} else {
			line += "  " + st.Warn.Render("unknown command")
		}
	}
	return truncate(line, w)
}
