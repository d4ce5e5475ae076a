package common

import (
	"github.com/charmbracelet/lipgloss"
	"os"

	"github.com/plconsole/plconsole/model"
)

// palette is one theme's colours. Empty colours mean "the terminal's default".
type palette struct {
	fg, dim, accent, accent2, ok, warn, bad, info  lipgloss.TerminalColor
	selFg, selBg, headerBg, badgeFg, newBg, markFg lipgloss.TerminalColor
}

func themePalette(theme string) palette {
	switch theme {
	case "dark":
		return palette{
			fg: lipgloss.Color("#d8dee9"), dim: lipgloss.Color("#6b7280"), accent: lipgloss.Color("#7aa2f7"),
			accent2: lipgloss.Color("#bb9af7"), ok: lipgloss.Color("#9ece6a"), warn: lipgloss.Color("#e0af68"),
			bad: lipgloss.Color("#f7768e"), info: lipgloss.Color("#7dcfff"),
			selFg: lipgloss.Color("#1a1b26"), selBg: lipgloss.Color("#7aa2f7"), headerBg: lipgloss.Color("#24283b"),
			badgeFg: lipgloss.Color("#1a1b26"), newBg: lipgloss.Color("#2d3f2a"), markFg: lipgloss.Color("#e0af68"),
		}
	case "light":
		return palette{
			fg: lipgloss.Color("#1f2328"), dim: lipgloss.Color("#6e7781"), accent: lipgloss.Color("#0550ae"),
			accent2: lipgloss.Color("#8250df"), ok: lipgloss.Color("#1a7f37"), warn: lipgloss.Color("#9a6700"),
			bad: lipgloss.Color("#cf222e"), info: lipgloss.Color("#0969da"),
			selFg: lipgloss.Color("#ffffff"), selBg: lipgloss.Color("#0969da"), headerBg: lipgloss.Color("#eaeef2"),
			badgeFg: lipgloss.Color("#ffffff"), newBg: lipgloss.Color("#dafbe1"), markFg: lipgloss.Color("#9a6700"),
		}
	case "terminal":
		return palette{
			fg: lipgloss.NoColor{}, dim: lipgloss.Color("8"), accent: lipgloss.Color("4"), accent2: lipgloss.Color("5"),
			ok: lipgloss.Color("2"), warn: lipgloss.Color("3"), bad: lipgloss.Color("1"), info: lipgloss.Color("6"),
			selFg: lipgloss.Color("0"), selBg: lipgloss.Color("4"), headerBg: lipgloss.NoColor{},
			badgeFg: lipgloss.Color("0"), newBg: lipgloss.NoColor{}, markFg: lipgloss.Color("3"),
		}
	}
	ad := func(light, dark string) lipgloss.TerminalColor {
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	return palette{
		fg: ad("#1f2328", "#d8dee9"), dim: ad("#6e7781", "#6b7280"), accent: ad("#0550ae", "#7aa2f7"),
		accent2: ad("#8250df", "#bb9af7"), ok: ad("#1a7f37", "#9ece6a"), warn: ad("#9a6700", "#e0af68"),
		bad: ad("#cf222e", "#f7768e"), info: ad("#0969da", "#7dcfff"),
		selFg: ad("#ffffff", "#1a1b26"), selBg: ad("#0969da", "#7aa2f7"), headerBg: ad("#eaeef2", "#24283b"),
		badgeFg: ad("#ffffff", "#1a1b26"), newBg: ad("#dafbe1", "#2d3f2a"), markFg: ad("#9a6700", "#e0af68"),
	}
}

// Styles is every style the console renders with. One value is shared through Context;
// switching theme builds a new one.
type Styles struct {
	Header, HeaderKey, HeaderVal, Stale, Fresh lipgloss.Style
	Badge                                      map[model.Mode]lipgloss.Style
	Crumb, CrumbActive, CrumbSep               lipgloss.Style
	Footer, HelpKey, HelpDesc, HelpDisabled    lipgloss.Style
	FlashInfo, FlashOK, FlashWarn, FlashError  lipgloss.Style
	TableHeader, Selected, Marked, NewRow, Dim lipgloss.Style
	OK, Warn, Bad, Info, Accent, Bold, Title   lipgloss.Style
	Dialog, DialogTitle, Button, ButtonActive  lipgloss.Style
	DangerButton, TabActive, TabInactive       lipgloss.Style
	Input                                      lipgloss.Style
	// Markers is set when no escape code can show the cursor, a selection or the active tab
	// (NO_COLOR, TERM=dumb): they are then marked with characters (">", "[ … ]").
	Markers bool
}

// Mark brackets text when styles cannot show it is selected.
func (s *Styles) Mark(text string, selected bool) string {
	if !s.Markers {
		return text
	}
	if selected {
		return "[" + text + "]"
	}
	return " " + text + " "
}

// NewStyles builds the styles of a theme. noColor keeps only bold, underline and reverse.
func NewStyles(r *lipgloss.Renderer, theme string, noColor bool) *Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	p := themePalette(theme)
	ns := r.NewStyle
	markers := noColor || os.Getenv("TERM") == "dumb"
	fg := func(c lipgloss.TerminalColor) lipgloss.Style {
		if noColor {
			return ns()
		}
		return ns().Foreground(c)
	}
	bgfg := func(b, f lipgloss.TerminalColor) lipgloss.Style {
		if noColor {
			return ns().Reverse(true)
		}
		return ns().Background(b).Foreground(f)
	}
	s := &Styles{
		Header:    fg(p.fg),
		HeaderKey: fg(p.dim),
		HeaderVal: fg(p.fg).Bold(true),
		Stale:     fg(p.bad).Bold(true),
		Fresh:     fg(p.ok),
		Badge: map[model.Mode]lipgloss.Style{
			model.ModeLive:     bgfg(p.bad, p.badgeFg).Bold(true).Padding(0, 1),
			model.ModeDemo:     bgfg(p.accent2, p.badgeFg).Bold(true).Padding(0, 1),
			model.ModeReadOnly: bgfg(p.ok, p.badgeFg).Bold(true).Padding(0, 1),
			model.ModeDryRun:   bgfg(p.warn, p.badgeFg).Bold(true).Padding(0, 1),
		},
		Crumb:        fg(p.dim),
		CrumbActive:  fg(p.accent).Bold(true),
		CrumbSep:     fg(p.dim),
		Footer:       fg(p.dim),
		HelpKey:      fg(p.accent).Bold(true),
		HelpDesc:     fg(p.dim),
		HelpDisabled: fg(p.dim).Strikethrough(true),
		FlashInfo:    fg(p.info),
		FlashOK:      fg(p.ok).Bold(true),
		FlashWarn:    fg(p.warn).Bold(true),
		FlashError:   fg(p.bad).Bold(true),
		TableHeader:  fg(p.accent).Bold(true),
		Selected:     bgfg(p.selBg, p.selFg),
		Marked:       fg(p.markFg).Bold(true),
		NewRow:       fg(p.ok).Bold(true),
		Dim:          fg(p.dim),
		OK:           fg(p.ok),
		Warn:         fg(p.warn),
		Bad:          fg(p.bad).Bold(true),
		Info:         fg(p.info),
		Accent:       fg(p.accent),
		Bold:         ns().Bold(true),
		Title:        fg(p.accent).Bold(true),
		Dialog:       ns().Border(lipgloss.RoundedBorder()).Padding(0, 1),
		DialogTitle:  fg(p.accent).Bold(true),
		Button:       fg(p.dim).Padding(0, 1),
		ButtonActive: bgfg(p.selBg, p.selFg).Bold(true).Padding(0, 1),
		DangerButton: bgfg(p.bad, p.badgeFg).Bold(true).Padding(0, 1),
		TabActive:    fg(p.accent).Bold(true).Underline(true),
		TabInactive:  fg(p.dim),
		Input:        fg(p.fg),
	}
	if !noColor {
		s.Dialog = s.Dialog.BorderForeground(p.accent)
	}
	s.Markers = markers
	return s
}
