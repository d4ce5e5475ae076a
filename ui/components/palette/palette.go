// Package palette is the `:` command line with completion. It runs nothing: on enter it
// reports a RunMsg with the command it resolved, and the root carries it out.
package palette

import (
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/textinput"
)

// Command is one `:` command.
type Command struct {
	Name    string
	Help    string
	Aliases []string
	// Args completes the argument; nil: the command takes none.
	Args func() []string
}

// RunMsg is a command line to carry out: Name is the resolved command ("" when none
// matched), Line what was typed.
type RunMsg struct {
	Name, Arg, Line string
}

// Palette is the command line with its suggestions.
type Palette struct {
	ctx      *common.Context
	commands []Command
	in       textinput.Line
	sugg     []string
	sel      int
	width    int
	done     bool
}

// New opens a palette over the commands.
func New(ctx *common.Context, commands []Command) *Palette {
	p := &Palette{ctx: ctx, commands: commands}
	p.in.Prompt = ":"
	p.complete()
	return p
}

func (p *Palette) Init() tea.Cmd               { return nil }
func (p *Palette) Placement() common.Placement { return common.StatusLine }
func (p *Palette) Done() bool                  { return p.done }
func (p *Palette) Crumb() string               { return "" }
func (p *Palette) KeyBindings() []string       { return nil }
func (p *Palette) ShortHelp() []string         { return nil }
func (p *Palette) Capturing() bool             { return true }
func (p *Palette) SetSize(w, _ int)            { p.width = w }

// Value is the command line typed so far.
func (p *Palette) Value() string { return p.in.Value() }

// Suggestions are the completions shown, the selected one at Selected.
func (p *Palette) Suggestions() []string { return p.sugg }
func (p *Palette) Selected() int         { return p.sel }

// Find resolves a command name: exact, an alias, or an unambiguous prefix.
func Find(commands []Command, name string) (Command, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	var match []Command
	for _, c := range commands {
		if c.Name == name {
			return c, true
		}
		for _, a := range c.Aliases {
			if a == name {
				return c, true
			}
		}
		if name != "" && strings.HasPrefix(c.Name, name) {
			match = append(match, c)
		}
	}
	if len(match) == 1 {
		return match[0], true
	}
	return Command{}, false
}

// complete recomputes the suggestions for the current input.
func (p *Palette) complete() {
	v := strings.TrimLeft(p.in.Value(), " ")
	p.sugg = p.sugg[:0]
	p.sel = 0
	cmdName, arg, hasArg := strings.Cut(v, " ")
	if !hasArg {
		typed := strings.ToLower(cmdName)
		for _, c := range p.commands {
			if strings.HasPrefix(c.Name, typed) {
				p.sugg = append(p.sugg, c.Name)
			}
		}
		// the command typed whole first, then the shorter ones: tab after ":service" is
		// "service", not "services"
		sort.SliceStable(p.sugg, func(i, j int) bool {
			a, b := p.sugg[i], p.sugg[j]
			if (a == typed) != (b == typed) {
				return a == typed
			}
			return typed != "" && len(a) < len(b)
		})
		return
	}
	c, ok := Find(p.commands, cmdName)
	if !ok || c.Args == nil {
		return
	}
	arg = strings.TrimSpace(arg)
	var opts []string
	for _, o := range c.Args() {
		if strings.HasPrefix(strings.ToLower(o), strings.ToLower(arg)) {
			opts = append(opts, c.Name+" "+o)
		}
	}
	sort.Strings(opts)
	p.sugg = opts
}

func (p *Palette) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok || p.done {
		return p, nil
	}
	switch km.String() {
	case "esc", "ctrl+c":
		p.done = true
		return p, nil
	case "enter":
		p.done = true
		return p, common.Send(p.resolve())
	case "tab":
		if len(p.sugg) > 0 {
			s := p.sugg[p.sel]
			if c, ok := Find(p.commands, s); ok && c.Args != nil && !strings.Contains(s, " ") {
				s += " "
			}
			p.in.SetValue(s)
			p.complete()
		}
		return p, nil
	case "down", "ctrl+n":
		if len(p.sugg) > 0 {
			p.sel = (p.sel + 1) % len(p.sugg)
		}
		return p, nil
	case "up", "ctrl+p":
		if len(p.sugg) > 0 {
			p.sel = (p.sel + len(p.sugg) - 1) % len(p.sugg)
		}
		return p, nil
	}
	if p.in.Update(km) {
		p.complete()
	}
	return p, nil
}

// resolve turns the typed line (or the selected suggestion) into a command to run.
func (p *Palette) resolve() RunMsg {
	line := strings.TrimSpace(p.in.Value())
	if line == "" && len(p.sugg) > 0 {
		line = p.sugg[p.sel]
	}
	name, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	c, ok := Find(p.commands, name)
	if !ok && len(p.sugg) > 0 {
		name, arg, _ = strings.Cut(p.sugg[p.sel], " ")
		c, ok = Find(p.commands, name)
	}
	if !ok {
		return RunMsg{Line: line}
	}
	return RunMsg{Name: c.Name, Arg: arg, Line: line}
}

// View is the input line followed by the suggestions that fit.
func (p *Palette) View() string {
	st := p.ctx.Styles
	w := p.width
	line := p.in.View(w/2, true, common.StyleCodes(st.Selected))
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
		if c, ok := Find(p.commands, strings.Fields(v)[0]); ok {
			line += "  " + st.Dim.Render(c.Help)
		} else {
			line += "  " + st.Warn.Render("unknown command")
		}
	}
	return common.Truncate(line, w)
}
