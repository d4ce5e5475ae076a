package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// headerSeg is one piece of the header; low priority pieces are dropped first when narrow.
type headerSeg struct {
	text     string
	priority int
}

// dataAge describes how old the data is, and whether that counts as stale.
func (m *Root) dataAge() (string, bool) {
	if m.lastRefresh.IsZero() {
		if m.refreshErr != nil {
			return "no data (refresh failed)", true
		}
		return "loading…", false
	}
	age := m.ctx.Now().Sub(m.lastRefresh)
	if age < 0 {
		age = 0
	}
	txt := "data " + humanAge(m.ctx.Now(), m.lastRefresh) + " old"
	stale := age > m.opts.StaleAfter || m.refreshErr != nil
	if m.refreshErr != nil {
		txt += ", refresh failed"
	}
	return txt, stale
}

func refreshText(d time.Duration) string {
	if d <= 0 {
		return "auto-refresh off"
	}
	return "every " + d.String()
}

func (m *Root) headerView(w int) string {
	st := m.ctx.Styles
	id := m.identity
	age, stale := m.dataAge()
	key := strings.Join([]string{itoa(w), id.Account, id.Profile, id.Region, string(m.ctx.Mode), age,
		boolStr(stale), boolStr(m.inFlight()), refreshText(m.opts.RefreshInterval), itoa(int(m.ctx.Gen))}, "|")
	if key == m.headerKey {
		return m.headerCache
	}
	kv := func(k, v string) string { return st.HeaderKey.Render(k+" ") + st.HeaderVal.Render(v) }
	orDash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	ageStyle := st.Fresh
	if stale {
		ageStyle = st.Stale
		age = "STALE " + age
	}
	if m.inFlight() {
		age += " ⟳"
	}
	badge := st.Badge[m.ctx.Mode].Render(string(m.ctx.Mode))
	segs := []headerSeg{
		{st.Title.Render("plconsole"), 1},
		{badge, 9},
		{kv("acct", orDash(id.Account)), 6},
		{kv("profile", orDash(id.Profile)), 3},
		{kv("region", orDash(id.Region)), 8},
		{ageStyle.Render(age), 7},
		{st.HeaderKey.Render(refreshText(m.opts.RefreshInterval)), 2},
	}
	sep := st.Dim.Render(" │ ")
	line := joinSegs(segs, sep, w)
	m.headerKey, m.headerCache = key, line
	return line
}

func joinSegs(segs []headerSeg, sep string, w int) string {
	keep := make([]bool, len(segs))
	for i := range keep {
		keep[i] = true
	}
	build := func() string {
		var parts []string
		for i, s := range segs {
			if keep[i] {
				parts = append(parts, s.text)
			}
		}
		return strings.Join(parts, sep)
	}
	line := build()
	for ansi.StringWidth(line) > w {
		low, at := 1<<30, -1
		for i, s := range segs {
			if keep[i] && s.priority < low {
				low, at = s.priority, i
			}
		}
		if at < 0 {
			break
		}
		keep[at] = false
		n := 0
		for _, k := range keep {
			if k {
				n++
			}
		}
		if n == 0 {
			break
		}
		line = build()
	}
	return truncate(line, w)
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func (m *Root) crumbsView(w int) string {
	st := m.ctx.Styles
	crumbs := m.crumbs()
	parts := make([]string, len(crumbs))
	for i, c := range crumbs {
		if i == len(crumbs)-1 {
			parts[i] = st.CrumbActive.Render(c)
		} else {
			parts[i] = st.Crumb.Render(c)
		}
	}
	line := strings.Join(parts, st.CrumbSep.Render(" › "))
	if f := m.currentFilter(); f != "" && !m.filtering {
		line += st.Dim.Render("  filter: ") + st.Warn.Render(f)
	}
	return truncate(line, w)
}

// helpEntry renders one binding for the footer or the full help.
func (m *Root) helpEntry(b *key.Binding) string {
	st := m.ctx.Styles
	h := b.Help()
	k := h.Key
	if k == " " {
		k = "space"
	}
	if m.ctx.ReadOnly() && m.ctx.Keys.isWrite(b) {
		return st.HelpDisabled.Render(k+" "+h.Desc) + st.Dim.Render(" (read-only)")
	}
	return st.HelpKey.Render(k) + " " + st.HelpDesc.Render(h.Desc)
}

func (m *Root) footerView(w int) string {
	fkey := itoa(w) + "|" + itoa(int(m.ctx.Gen)) + "|" + m.footerContext()
	if fkey == m.footerKey {
		return m.footerCache
	}
	k := m.ctx.Keys
	var bs []*key.Binding
	switch {
	case m.dialog != nil:
		bs = nil
	case m.showHelp:
		bs = []*key.Binding{&k.Back, &k.Quit}
	default:
		bs = m.currentShortHelp()
	}
	globals := []*key.Binding{&k.Palette, &k.Help, &k.Quit}
	if m.dialog != nil || m.showHelp {
		globals = nil
	}
	var parts, tail []string
	for _, b := range bs {
		parts = append(parts, m.helpEntry(b))
	}
	for _, b := range globals {
		tail = append(tail, m.helpEntry(b))
	}
	sep := m.ctx.Styles.Dim.Render(" · ")
	// drop the view's entries from the end, keeping the global ones, until it fits
	line := strings.Join(append(append([]string{}, parts...), tail...), sep)
	for len(parts) > 0 && ansi.StringWidth(line) > w {
		parts = parts[:len(parts)-1]
		line = strings.Join(append(append([]string{}, parts...), tail...), sep)
	}
	line = truncate(line, w)
	m.footerKey, m.footerCache = fkey, line
	return line
}

// fullHelpView is the `?` screen, generated from the key map.
func (m *Root) fullHelpView(w, h int) string {
	st := m.ctx.Styles
	var cols []string
	for _, g := range m.ctx.Keys.fullHelp() {
		lines := []string{st.Title.Render(g.title)}
		keyW := 0
		for _, b := range g.bindings {
			keyW = max(keyW, ansi.StringWidth(strings.ReplaceAll(strings.Join(b.Keys(), "/"), " ", "space")))
		}
		for _, b := range g.bindings {
			all := strings.Join(b.Keys(), "/")
			all = strings.ReplaceAll(all, " ", "space")
			desc := b.Help().Desc
			line := st.HelpKey.Render(padRight(all, keyW)) + " " + st.HelpDesc.Render(desc)
			if m.ctx.ReadOnly() && m.ctx.Keys.isWrite(b) {
				line = st.HelpDisabled.Render(padRight(all, keyW)+" "+desc) + st.Dim.Render(" (read-only)")
			}
			lines = append(lines, line)
		}
		cols = append(cols, strings.Join(lines, "\n"))
	}
	// as many groups side by side as fit the width
	var out string
	switch {
	case lipgloss.Width(lipgloss.JoinHorizontal(lipgloss.Top, withGap(cols)...)) <= w:
		out = lipgloss.JoinHorizontal(lipgloss.Top, withGap(cols)...)
	case lipgloss.Width(lipgloss.JoinHorizontal(lipgloss.Top, withGap(cols[:2])...)) <= w &&
		lipgloss.Width(lipgloss.JoinHorizontal(lipgloss.Top, withGap(cols[2:])...)) <= w:
		top := lipgloss.JoinHorizontal(lipgloss.Top, withGap(cols[:2])...)
		bot := lipgloss.JoinHorizontal(lipgloss.Top, withGap(cols[2:])...)
		out = top + "\n\n" + bot
	default:
		out = strings.Join(cols, "\n\n")
	}
	out += "\n\n" + st.Dim.Render("In a confirmation: y confirms, n or esc cancels, enter takes the highlighted choice (No by default).")
	out += "\n" + st.Dim.Render("Filter: / then text; a leading ! shows the rows that do not match. esc clears.")
	return out
}

func withGap(cols []string) []string {
	out := make([]string, 0, 2*len(cols))
	for i, c := range cols {
		if i > 0 {
			out = append(out, "    ")
		}
		out = append(out, c)
	}
	return out
}

func padRight(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
