package wizard

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/textview"
)

// preflightStep lists what the preflight found about the choice, worst first, each with
// its evidence and its fix. A critical finding must be acknowledged (space) before the
// create; the step itself lets the user go on to the settings.
type preflightStep struct {
	p      *Page
	text   *textview.View
	cursor int
	first  []int // the first line of each finding
	last   []int
	w, h   int
}

func newPreflightStep(p *Page) *preflightStep {
	return &preflightStep{p: p, text: textview.New(p.ctx)}
}

func (s *preflightStep) title() string    { return "Preflight" }
func (s *preflightStep) capturing() bool  { return false }
func (s *preflightStep) setSize(w, h int) { s.w, s.h = w, h; s.text.SetSize(w, h); s.render() }
func (s *preflightStep) enter() tea.Cmd   { s.cursor = 0; s.render(); return nil }
func (s *preflightStep) keys() []string {
	return append([]string{KeyAcknowledge, KeyNextStep}, common.NavigationKeys...)
}

func (s *preflightStep) help() []string {
	if model.Unacknowledged(s.p.findings, nil) > 0 {
		return []string{KeyAcknowledge, KeyNextStep}
	}
	return []string{KeyNextStep}
}

func (s *preflightStep) status() string {
	if !s.p.lbs.loaded {
		return "waiting for the load balancers…"
	}
	return findingsSummary(s.p.findings, s.p.acked)
}

// findingsSummary counts findings by severity and the critical ones still to acknowledge.
func findingsSummary(fs []model.Finding, acked map[string]bool) string {
	if len(fs) == 0 {
		return "no findings"
	}
	n := map[model.Severity]int{}
	for _, f := range fs {
		n[f.Severity]++
	}
	var parts []string
	if c := n[model.SeverityCritical]; c > 0 {
		parts = append(parts, common.Itoa(c)+" critical")
	}
	if c := n[model.SeverityWarning]; c > 0 {
		parts = append(parts, common.Plural(c, "warning"))
	}
	if c := n[model.SeverityInfo]; c > 0 {
		parts = append(parts, common.Itoa(c)+" info")
	}
	s := common.Plural(len(fs), "finding") + ": " + strings.Join(parts, ", ")
	if u := model.Unacknowledged(fs, acked); u > 0 {
		s += " · " + common.Itoa(u) + " to acknowledge before the create"
	}
	return s
}

func (s *preflightStep) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case lbsResult:
		s.render()
	case tea.KeyMsg:
		k := s.p.ctx.Keys
		switch {
		case k.Is(msg, common.KeyDown):
			s.move(1)
		case k.Is(msg, common.KeyUp):
			s.move(-1)
		case k.Is(msg, common.KeyTop):
			s.move(-len(s.p.findings))
		case k.Is(msg, common.KeyBottom):
			s.move(len(s.p.findings))
		case k.Is(msg, KeyAcknowledge):
			return s.acknowledge()
		case k.Is(msg, KeyNextStep):
			if s.p.backToReview {
				s.p.backToReview = false
				return s.p.goTo(stepReview)
			}
			return s.p.next()
		default:
			s.text.Update(msg)
		}
	}
	return nil
}

func (s *preflightStep) move(d int) {
	s.cursor = max(min(s.cursor+d, len(s.p.findings)-1), 0)
	s.render()
}

func (s *preflightStep) acknowledge() tea.Cmd {
	fs := s.p.findings
	if s.cursor >= len(fs) {
		return nil
	}
	f := fs[s.cursor]
	if f.Severity != model.SeverityCritical {
		return common.Flash("only critical findings need acknowledging", common.FlashInfo)
	}
	key := model.FindingKey(f)
	s.p.acked[key] = !s.p.acked[key]
	s.render()
	return nil
}

func severityTag(st *common.Styles, sev model.Severity) string {
	switch sev {
	case model.SeverityCritical:
		return st.Bad.Render("CRIT")
	case model.SeverityWarning:
		return st.Warn.Render("WARN")
	}
	return st.Info.Render("INFO")
}

// render lays the findings out for the width; it runs when they, the cursor or the size
// change.
func (s *preflightStep) render() {
	st := s.p.ctx.Styles
	w := max(s.w, 20)
	var lines []string
	s.first, s.last = s.first[:0], s.last[:0]
	switch {
	case !s.p.lbs.loaded && s.p.lbs.err != nil:
		lines = append(lines, st.FlashError.Render("Could not read the load balancers: "+s.p.lbs.err.Error()))
	case !s.p.lbs.loaded:
		lines = append(lines, st.Dim.Render("Reading the load balancers…"))
	case len(s.p.findings) == 0:
		lines = append(lines, st.OK.Render("✓ No problems found with "+lbNames(s.p.ans.lbs, s.p.lbs.list)+"."),
			"", st.Dim.Render("The checks: load balancer state and listeners, healthy targets in every zone, cross-zone balance,"),
			st.Dim.Render("security groups on PrivateLink traffic, IP address types, load balancers other services use."))
	default:
		lines = append(lines, common.WrapLines("Checked "+lbNames(s.p.ans.lbs, s.p.lbs.list)+
			". Critical findings must be acknowledged (space) before the create; the others are for your information.", w)...)
		lines = append(lines, "")
	}
	s.cursor = min(s.cursor, max(len(s.p.findings)-1, 0))
	indent := "       "
	for i, f := range s.p.findings {
		s.first = append(s.first, len(lines))
		mark := "  "
		if i == s.cursor {
			mark = st.Accent.Render("▶ ")
		}
		ack := ""
		if f.Severity == model.SeverityCritical {
			if s.p.acked[model.FindingKey(f)] {
				ack = st.OK.Render("[x] acknowledged") + "  "
			} else {
				ack = st.Bad.Render("[ ] acknowledge") + "  "
			}
		}
		lines = append(lines, mark+severityTag(st, f.Severity)+" "+ack+st.Bold.Render(f.Title))
		for _, l := range common.WrapLines(f.Detail, w-len(indent)) {
			lines = append(lines, indent+l)
		}
		for _, l := range common.WrapLines("Fix: "+f.Fix, w-len(indent)) {
			lines = append(lines, indent+st.Dim.Render(l))
		}
		s.last = append(s.last, len(lines)-1)
		lines = append(lines, "")
	}
	s.text.SetLines(lines)
	if s.cursor < len(s.first) {
		s.text.Show(s.first[s.cursor], s.last[s.cursor])
	}
}

// lbNames names the chosen load balancers.
func lbNames(arns []string, lbs []model.LoadBalancer) string {
	names := make([]string, 0, len(arns))
	for _, arn := range arns {
		name := arn
		for _, lb := range lbs {
			if lb.ARN == arn {
				name = lb.Name
			}
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return "no load balancer"
	}
	return strings.Join(names, ", ")
}

func (s *preflightStep) view() string { return s.text.View() }
