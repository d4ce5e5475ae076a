package ui

import (
	"net/url"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/filterbar"
	"github.com/plconsole/plconsole/ui/store"
)

// View renders the whole screen: exactly Height lines of at most Width cells. It only
// renders (the header and footer keep a rendering cache); everything it shows was derived
// in Update.
func (r *Root) View() (out string) {
	defer func() {
		if p := recover(); p != nil {
			if r.crash == nil {
				r.crash = newCrashReport("View", p, nil)
			}
			out = r.crash.String()
		}
	}()
	if r.crash != nil {
		return r.crash.String()
	}
	w, h := r.width, r.height
	if w <= 0 || h <= 0 {
		return ""
	}
	bh := r.bodyHeight()
	body := r.top().View()
	for i := len(r.layers) - 1; i >= 0; i-- {
		if r.layers[i].Placement() == common.OverBody {
			body = r.layers[i].View()
			break
		}
	}
	lines := make([]string, 0, h)
	lines = append(lines, r.headerView(w))
	if !r.compact() {
		lines = append(lines, r.crumbsView(w))
	}
	if bh > 0 {
		bl := strings.Split(body, "\n")
		if len(bl) > bh {
			bl = bl[:bh]
		}
		for _, l := range bl {
			lines = append(lines, common.FitLine(l, w))
		}
		for len(lines) < h-2 {
			lines = append(lines, "")
		}
	}
	lines = append(lines, r.statusView(w), r.footerView(w))
	if len(lines) > h {
		// too short for everything: keep the header, the body's start and the status
		lines = append(lines[:max(h-1, 1)], lines[len(lines)-2])
		lines = lines[:h]
	}
	return strings.Join(lines, "\n")
}

// statusView is the line above the footer: a layer that draws there (the palette, the
// filter being typed), a flash, or the current page's counts.
func (r *Root) statusView(w int) string {
	st := r.ctx.Styles
	for i := len(r.layers) - 1; i >= 0; i-- {
		if r.layers[i].Placement() == common.StatusLine {
			return r.layers[i].View()
		}
	}
	if r.flashShown() {
		return r.flashView(w)
	}
	if len(r.layers) > 0 {
		return ""
	}
	return st.Dim.Render(common.Truncate(r.top().Status(), w))
}

// headerSeg is one piece of the header; low priority pieces are dropped first when narrow.
type headerSeg struct {
	text     string
	priority int
}

// dataAge describes how old the data is, part by part (the refresh tiers read each part at
// its own cadence), and whether any counts as stale: a part is stale once older than its
// cadence (slowed while throttled) plus one tick, or StaleAfter, whichever is longer. A
// part whose latest read failed is named (a services list read a second ago is not "no
// data" because the connections could not be), and a part AWS throttles says how often it
// is read now.
//
// short is the same in a few words for a narrow header: the age of the inventory, the
// failures, and whether a part is throttled.
func (r *Root) dataAge() (long, short string, stale bool) {
	st := r.ctx.Store
	now := r.ctx.Now()
	var failed, parts, slowed []string
	anyErr := false
	for _, p := range []store.Part{store.Services, store.Connections} {
		f := st.Freshness(p)
		if f.Err != nil {
			anyErr = true
			if f.Loaded {
				failed = append(failed, p.String()+" failed")
			} else {
				failed = append(failed, p.String()+" unreadable")
			}
		}
	}
	// the inventory's age is that of its oldest part read
	inv := st.Freshness(store.Connections)
	if s := st.Freshness(store.Services); s.Loaded && (!inv.Loaded || s.At.Before(inv.At)) {
		inv.Loaded, inv.At = true, s.At
	}
	if !inv.Loaded {
		if anyErr {
			return "no data (refresh failed)", "no data (refresh failed)", true
		}
		return "loading…", "loading…", false
	}
	tiers := []struct {
		name string
		part store.Part
	}{{"pending", store.Pending}, {"inventory", store.Connections}, {"targets", store.Targets}, {"health", store.Health}}
	for _, t := range tiers {
		f := st.Freshness(t.part)
		if t.part == store.Connections {
			f = inv
		}
		if !f.Loaded {
			continue
		}
		c := st.Cadence(t.part)
		if max(now.Sub(f.At), 0) > max(r.opts.StaleAfter, c.Every+r.opts.RefreshInterval) {
			stale = true
		}
		parts = append(parts, t.name+" "+common.HumanAge(now, f.At))
		if c.BackingOff() {
			slowed = append(slowed, t.name+": throttled, every "+shortDuration(c.Every))
		}
		if f.Err != nil && t.part != store.Connections {
			failed = append(failed, t.name+" failed")
		}
	}
	long = strings.Join(parts, " · ")
	short = "data " + common.HumanAge(now, inv.At) + " old"
	if len(slowed) > 0 {
		long += ", " + strings.Join(slowed, ", ")
		short += ", throttled"
	}
	if len(failed) > 0 {
		long += ", " + strings.Join(failed, ", ")
		short += ", " + strings.Join(failed, ", ")
	}
	return long, short, stale || anyErr
}

// shortDuration writes a cadence as people say it: 10m, 1h30m, 45s.
func shortDuration(d time.Duration) string {
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func refreshText(d time.Duration) string {
	if d <= 0 {
		return "auto-refresh off"
	}
	return "every " + d.String()
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func (r *Root) headerView(w int) string {
	st := r.ctx.Styles
	id := r.ctx.Store.Identity()
	age, short, stale := r.dataAge()
	busy := r.ctx.Store.Refreshing()
	news := r.ctx.Store.NewConnections()
	key := strings.Join([]string{common.Itoa(w), common.Itoa(news), id.Account, id.Profile, id.Region, id.Endpoint, string(r.ctx.Mode), age, short,
		boolStr(stale), boolStr(busy), refreshText(r.opts.RefreshInterval), common.Itoa(int(r.ctx.Gen))}, "|")
	if key == r.headerKey {
		return r.headerCache
	}
	kv := func(k, v string) string { return st.HeaderKey.Render(k+" ") + st.HeaderVal.Render(v) }
	ageStyle := st.Fresh
	if stale {
		ageStyle = st.Stale
		age, short = "STALE "+age, "STALE "+short
	}
	if busy {
		age += " ⟳"
		short += " ⟳"
	}
	badge := st.Badge[r.ctx.Mode].Render(string(r.ctx.Mode))
	segs := []headerSeg{
		{st.Title.Render("plconsole"), 1},
		{badge, 9},
		{kv("acct", common.OrDash(id.Account)), 6},
		{kv("profile", common.OrDash(id.Profile)), 3},
		{kv("region", common.OrDash(id.Region)), 8},
		{ageStyle.Render(age), 7},
		{st.HeaderKey.Render(refreshText(r.opts.RefreshInterval)), 2},
	}
	if ep := endpointText(id.Endpoint); ep != "" && !id.Simulated {
		// requests that do not go to AWS: as important to see as the account
		seg := headerSeg{st.Warn.Render("endpoint ") + st.HeaderVal.Render(ep), 6}
		segs = append(segs[:5:5], append([]headerSeg{seg}, segs[5:]...)...)
	}
	if news > 0 {
		// connections that arrived while the console was open and nobody has looked at yet
		segs = append(segs[:2:2], append([]headerSeg{{st.NewRow.Render(common.Itoa(news) + " new"), 9}}, segs[2:]...)...)
	}
	sep := st.Dim.Render(" │ ")
	if full := joinSegs(segs, sep, 1<<20); ansi.StringWidth(full) > w {
		// every part's age does not fit beside the account: the short form does
		for i := range segs {
			if segs[i].priority == 7 {
				segs[i].text = ageStyle.Render(short)
			}
		}
	}
	line := joinSegs(segs, sep, w)
	r.headerKey, r.headerCache = key, line
	return line
}

// endpointText is a custom endpoint as the header shows it: its host (and port), or the URL
// as given when it does not parse.
func endpointText(endpoint string) string {
	if endpoint == "" {
		return ""
	}
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		return u.Host
	}
	return endpoint
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
	return common.Truncate(line, w)
}

// crumbs are the pages on the stack, the tab of a page with tabs, and a layer's crumb.
func (r *Root) crumbs() []string {
	var out []string
	for _, p := range r.stack {
		out = append(out, p.Title())
		if c, ok := p.(common.Crumbs); ok {
			out = append(out, c.Crumbs()...)
		}
	}
	for _, l := range r.layers {
		if c := l.Crumb(); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func (r *Root) crumbsView(w int) string {
	st := r.ctx.Styles
	crumbs := r.crumbs()
	parts := make([]string, len(crumbs))
	for i, c := range crumbs {
		if i == len(crumbs)-1 {
			parts[i] = st.CrumbActive.Render(c)
		} else {
			parts[i] = st.Crumb.Render(c)
		}
	}
	line := strings.Join(parts, st.CrumbSep.Render(" › "))
	if f, ok := r.top().(common.Filterable); ok && f.Filter() != "" && !r.filtering() {
		line += st.Dim.Render("  filter: ") + st.Warn.Render(f.Filter())
	}
	return common.Truncate(line, w)
}

// filtering says whether the filter is being typed.
func (r *Root) filtering() bool {
	_, ok := r.topLayer().(*filterbar.Bar)
	return ok
}

// helpEntry renders one binding for the footer.
func (r *Root) helpEntry(name string) string {
	b := r.ctx.Keys.Get(name)
	if b == nil {
		return ""
	}
	st := r.ctx.Styles
	h := b.Help()
	k := common.KeyLabel(h.Key)
	if r.ctx.ReadOnly() && b.Write {
		return st.HelpDisabled.Render(k+" "+h.Desc) + st.Dim.Render(" (read-only)")
	}
	return st.HelpKey.Render(k) + " " + st.HelpDesc.Render(h.Desc)
}

func (r *Root) footerView(w int) string {
	// a layer over the body has the footer; one on the status line leaves the page's
	var f common.Component = r.top()
	globals := []string{common.KeyPalette, common.KeyHelp, common.KeyQuit}
	for _, l := range r.layers {
		if l.Placement() == common.OverBody {
			f, globals = l, nil
		}
	}
	names := f.ShortHelp()
	if len(r.layers) == 0 && r.flashShown() && r.flash.level == common.FlashError {
		names = append([]string{"flashDetails"}, names...)
	}
	fkey := common.Itoa(w) + "|" + common.Itoa(int(r.ctx.Gen)) + "|" + string(r.ctx.Mode) + "|" + strings.Join(names, ",") + "|" + strings.Join(globals, ",")
	if fkey == r.footerKey {
		return r.footerCache
	}
	var parts, tail []string
	for _, n := range names {
		if e := r.helpEntry(n); e != "" {
			parts = append(parts, e)
		}
	}
	for _, n := range globals {
		tail = append(tail, r.helpEntry(n))
	}
	sep := r.ctx.Styles.Dim.Render(" · ")
	// drop the page's entries from the end, keeping the global ones, until it fits
	line := strings.Join(append(append([]string{}, parts...), tail...), sep)
	for len(parts) > 0 && ansi.StringWidth(line) > w {
		parts = parts[:len(parts)-1]
		line = strings.Join(append(append([]string{}, parts...), tail...), sep)
	}
	line = common.Truncate(line, w)
	r.footerKey, r.footerCache = fkey, line
	return line
}
