package wizard

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/servicespec"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/textinput"
	"github.com/plconsole/plconsole/ui/components/textview"
)

// reviewStep shows what the wizard will do before it does anything: a summary, the
// preflight's verdict, the exact API calls in order, the AWS CLI commands and the
// Terraform (or, when changing a service, the diff and the one call). enter sends.
type reviewStep struct {
	p    *Page
	text *textview.View
	w, h int

	spec    model.ServiceSpec
	specErr error
	modify  model.ModifyServiceInput
	changes []model.Change
	cli, tf string

	prompt    *savePrompt
	note      string
	noteLevel common.FlashLevel
}

// savePrompt asks where to save: the spec, or the CLI script and the Terraform.
type savePrompt struct {
	what  string // "spec" or "files"
	input textinput.Line
	err   string
}

func newReviewStep(p *Page) *reviewStep {
	return &reviewStep{p: p, text: textview.New(p.ctx)}
}

func (s *reviewStep) title() string   { return "Review" }
func (s *reviewStep) capturing() bool { return s.prompt != nil }
func (s *reviewStep) setSize(w, h int) {
	s.w, s.h = w, h
	s.text.SetSize(w, max(h-s.footerHeight(), 1))
	s.render()
}

func (s *reviewStep) keys() []string {
	if s.p.start.Mode == Edit {
		return append([]string{KeyApply, KeyCopyCLI, KeyPreflight}, common.NavigationKeys...)
	}
	return append([]string{KeyCreate, KeyCopyCLI, KeyCopyTerraform, KeySaveSpec, KeySaveFiles, KeyPreflight}, common.NavigationKeys...)
}

func (s *reviewStep) help() []string {
	if s.p.start.Mode == Edit {
		return []string{KeyApply, KeyCopyCLI, KeyPreflight}
	}
	return []string{KeyCreate, KeyCopyCLI, KeyCopyTerraform, KeySaveSpec, KeySaveFiles, KeyPreflight}
}

func (s *reviewStep) status() string {
	switch {
	case s.specErr != nil:
		return "the answers are not complete: go back (esc) and fix them"
	case s.p.start.Mode == Edit && s.modify.Empty():
		return "nothing to change"
	case s.p.unacknowledged() > 0:
		return common.Itoa(s.p.unacknowledged()) + " critical finding(s) to acknowledge first (p)"
	case s.p.ctx.ReadOnly():
		return s.p.ctx.ReadOnlyReason() + ": copy or save the commands instead"
	}
	if s.p.start.Mode == Edit {
		return "enter sends ModifyVpcEndpointServiceConfiguration"
	}
	return "enter creates the service: " + common.Plural(len(model.CreatePlan(s.spec)), "API call")
}

func (s *reviewStep) enter() tea.Cmd {
	s.prompt, s.note = nil, ""
	s.spec, s.specErr = s.p.ans.spec(s.p.home)
	if s.specErr == nil && !s.p.ans.everyoneConfirmed(s.spec) {
		s.specErr = errors.New("allowed principals: * with acceptance Automatic needs you to type " + wordEveryone + " on the Access step")
	}
	region := s.p.home
	if s.p.start.Mode == Edit && s.p.start.Service != nil {
		s.modify, s.changes = model.ModifyPlan(*s.p.start.Service, s.spec, region)
		s.cli = servicespec.ModifyCommand(s.modify, region)
		s.tf = ""
	} else {
		s.cli = servicespec.CreateScript(s.spec, region, s.p.token)
		s.tf = servicespec.Terraform(s.spec, region)
	}
	s.render()
	return nil
}

// escape closes the save prompt first.
func (s *reviewStep) escape() (tea.Cmd, bool) {
	if s.prompt != nil {
		s.prompt = nil
		s.setSize(s.w, s.h)
		return nil, true
	}
	return nil, false
}

func (s *reviewStep) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case savedMsg:
		if msg.err != nil {
			if s.prompt != nil {
				s.prompt.err = msg.err.Error()
			}
			return common.Flash(msg.err.Error(), common.FlashError)
		}
		s.prompt = nil
		s.setSize(s.w, s.h)
		return common.Flash("saved "+strings.Join(msg.paths, " and "), common.FlashOK)
	case tea.KeyMsg:
		if s.p.cur != stepReview {
			return nil
		}
		if s.prompt != nil {
			return s.promptKey(msg)
		}
		k := s.p.ctx.Keys
		switch {
		case s.text.Update(msg):
		case k.Is(msg, KeyCreate) && s.p.start.Mode == Create, k.Is(msg, KeyApply) && s.p.start.Mode == Edit:
			return s.send()
		case k.Is(msg, KeyCopyCLI):
			return common.Send(common.CopyMsg{Label: "the AWS CLI commands", Text: s.cli})
		case k.Is(msg, KeyCopyTerraform) && s.tf != "":
			return common.Send(common.CopyMsg{Label: "the Terraform", Text: s.tf})
		case k.Is(msg, KeySaveSpec) && s.p.start.Mode == Create:
			s.openPrompt("spec", s.defaultName()+".toml")
		case k.Is(msg, KeySaveFiles) && s.p.start.Mode == Create:
			s.openPrompt("files", s.defaultName())
		case k.Is(msg, KeyPreflight):
			s.p.backToReview = true
			return s.p.goTo(stepPreflight)
		}
	}
	return nil
}

func (s *reviewStep) defaultName() string {
	n := strings.Trim(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '-'
	}, s.spec.Name), "-")
	if n == "" {
		n = "endpoint-service"
	}
	return n
}

func (s *reviewStep) openPrompt(what, value string) {
	s.prompt = &savePrompt{what: what}
	s.prompt.input.SetValue(value)
	s.setSize(s.w, s.h)
}

func (s *reviewStep) footerHeight() int {
	if s.prompt == nil {
		if s.note != "" {
			return len(common.WrapLines(s.note, max(s.w, 1))) + 1
		}
		return 0
	}
	n := 3
	if s.prompt.err != "" {
		n += len(common.WrapLines(s.prompt.err, max(s.w, 1)))
	}
	return n
}

func (s *reviewStep) promptKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyEnter {
		if s.prompt.input.Update(msg) {
			s.prompt.err = ""
		}
		return nil
	}
	path := strings.TrimSpace(s.prompt.input.Value())
	if path == "" {
		s.prompt.err = "enter a file name"
		s.setSize(s.w, s.h)
		return nil
	}
	if !filepath.IsAbs(path) && s.p.start.Dir != "" {
		path = filepath.Join(s.p.start.Dir, path)
	}
	files := map[string][]byte{}
	if s.prompt.what == "spec" {
		b, err := servicespec.Marshal(s.spec)
		if err != nil {
			s.prompt.err = err.Error()
			return nil
		}
		files[path] = b
	} else {
		base := strings.TrimSuffix(strings.TrimSuffix(path, ".sh"), ".tf")
		files[base+".sh"] = []byte("#!/bin/sh\n# Creates the endpoint service the plconsole wizard reviewed, with the AWS CLI.\n" + s.cli)
		files[base+".tf"] = []byte(s.tf)
	}
	return s.p.task("save", false, func(context.Context) tea.Msg { return saveFiles(files) })
}

// savedMsg is the outcome of saving files.
type savedMsg struct {
	paths []string
	err   error
}

// saveFiles writes new files, never over existing ones: a review saved twice under one
// name would otherwise silently replace what someone kept.
func saveFiles(files map[string][]byte) tea.Msg {
	var paths []string
	for p := range files {
		if _, err := os.Stat(p); err == nil {
			return savedMsg{err: errors.New(p + " exists already; choose another name")}
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return savedMsg{err: errors.New("cannot save: " + err.Error())}
		}
		_, werr := f.Write(files[p])
		cerr := f.Close()
		if err := errors.Join(werr, cerr); err != nil {
			return savedMsg{err: errors.New("cannot save " + p + ": " + err.Error())}
		}
	}
	return savedMsg{paths: paths}
}

// send checks that everything is in order and starts the create (or the change).
func (s *reviewStep) send() tea.Cmd {
	// the refusal shows under the review, where the eyes are after enter
	refuse := func(text string, level common.FlashLevel) tea.Cmd {
		s.note, s.noteLevel = text, level
		s.setSize(s.w, s.h)
		return nil
	}
	edit := s.p.start.Mode == Edit
	switch {
	case s.specErr != nil:
		return refuse("cannot send: "+message(s.specErr)+" — go back (esc) to fix it", common.FlashWarn)
	case edit && s.modify.Empty():
		return refuse("nothing to change: the answers are the service's settings", common.FlashInfo)
	case s.p.unacknowledged() > 0:
		return refuse(common.Itoa(s.p.unacknowledged())+" critical preflight finding(s) are not acknowledged: p shows them, space acknowledges", common.FlashWarn)
	case s.p.ctx.ReadOnly():
		if edit {
			return refuse(s.p.ctx.ReadOnlyReason()+": the change was not sent. Copy the AWS CLI command (c) to make it elsewhere.", common.FlashWarn)
		}
		return refuse(s.p.ctx.ReadOnlyReason()+": the create was not sent. Copy the AWS CLI (c) or the Terraform (t), "+
			"or save the spec (s), to make it elsewhere.", common.FlashWarn)
	}
	if _, ok := s.p.ctx.Store.Provisioner(); !ok {
		return refuse("this backend cannot create or change services", common.FlashError)
	}
	return tea.Batch(s.p.goTo(stepApply), s.p.steps[stepApply].(*applyStep).begin(s.spec, s.modify))
}

// render lays out the review for the width.
func (s *reviewStep) render() {
	st := s.p.ctx.Styles
	d := newDoc(st, s.w)
	if s.specErr != nil {
		d.para("", "Not ready: "+message(s.specErr), st.FlashError.Render)
		d.blank()
	}
	if s.p.ctx.Mode == model.ModeDryRun {
		d.para("", "DRY-RUN: every call is sent with DryRun=true; AWS checks it and changes nothing.", st.Warn.Render)
		d.blank()
	}
	if s.p.start.Mode == Edit {
		s.renderEdit(d)
	} else {
		s.renderCreate(d)
	}
	s.text.SetLines(d.lines)
}

func (s *reviewStep) renderCreate(d *doc) {
	st := s.p.ctx.Styles
	sp := s.spec
	d.section("Summary")
	d.kv("Name", common.OrDash(sp.Name))
	d.kv("Load balancers", s.lbSummary())
	acc := "required: you approve each consumer"
	if !sp.AcceptanceRequired {
		acc = "automatic: allowed principals connect at once"
	}
	d.kv("Acceptance", acc)
	if sp.PrivateDNSName != "" {
		d.kv("Private DNS name", sp.PrivateDNSName+" (pendingVerification until you publish its TXT record)")
	} else {
		d.kv("Private DNS name", "-")
	}
	d.kv("IP address types", strings.Join(sp.IPTypes(), ", "))
	regions := s.p.home + " (this Region)"
	if len(sp.SupportedRegions) > 0 {
		regions += ", " + strings.Join(sp.SupportedRegions, ", ") + " — needs vpce:AllowMultiRegion"
	}
	d.kv("Regions", regions)
	if sp.PayerServiceOwner {
		d.kv("Payer", "ServiceOwner (cannot be undone)")
	}
	d.kv("Tags", common.OrDash(model.FormatTagList(sp.Tags)))
	principals := common.OrDash(strings.Join(sp.Principals, ", "))
	if sp.EveryoneWithoutApproval() {
		principals += "  — EVERY AWS account, without approval"
	}
	d.kv("Allowed principals", principals)
	if n := sp.Notification; n != nil {
		d.kv("Notification", n.TopicARN+" on "+strings.Join(model.EventNames(n.Events), ", "))
	}
	d.section("Preflight")
	s.preflightLines(d)
	d.section("API calls, in order")
	for i, c := range model.CreatePlan(sp) {
		d.para("  ", common.Itoa(i+1)+". "+c.Operation, st.Bold.Render)
		d.para("     ", c.What, st.Input.Render)
		for _, prm := range c.Params {
			d.para("       ", prm, st.Dim.Render)
		}
	}
	d.para("  ", "ClientToken "+s.p.token+": a retry of the create returns the same service, never a second.", st.Dim.Render)
	d.section("AWS CLI  (c copies, w saves it with the Terraform)")
	d.block(s.cli)
	d.section("Terraform  (t copies)")
	d.block(s.tf)
}

func (s *reviewStep) renderEdit(d *doc) {
	st := s.p.ctx.Styles
	svc := s.p.start.Service
	d.section("Changes to " + svc.Label() + " (" + svc.ID + ")")
	if len(s.changes) == 0 {
		d.para("  ", "None: the answers are the service's settings.", st.Dim.Render)
	}
	for _, c := range s.changes {
		d.kv(c.Field, common.OrDash(c.From)+"  →  "+common.OrDash(c.To))
	}
	var notes []string
	for _, c := range s.changes {
		switch {
		case c.Field == model.FieldPrivateDNSName && c.To != "":
			notes = append(notes, "A new private DNS name starts as pendingVerification: AWS denies new connection requests until it is verified.")
		case c.Field == model.FieldPrivateDNSName:
			notes = append(notes, "Removing the name: consumers using it must switch to the endpoint's own DNS names.")
		case c.Field == model.FieldLoadBalancers && len(s.modify.RemoveNetworkLoadBalancerARNs)+len(s.modify.RemoveGatewayLoadBalancerARNs) > 0:
			notes = append(notes, "AWS refuses to remove a load balancer while the service has available connections.")
		case c.Field == model.FieldSupportedRegions && len(s.modify.AddSupportedRegions) > 0:
			notes = append(notes, "Adding Regions needs the IAM permission vpce:AllowMultiRegion.")
		}
	}
	for _, n := range notes {
		d.para("  ", n, st.Dim.Render)
	}
	d.section("Preflight")
	s.preflightLines(d)
	d.section("API call")
	d.para("  ", "ModifyVpcEndpointServiceConfiguration — one call with every change", st.Bold.Render)
	d.section("AWS CLI  (c copies)")
	d.block(s.cli)
}

func (s *reviewStep) preflightLines(d *doc) {
	st := s.p.ctx.Styles
	switch u := s.p.unacknowledged(); {
	case u > 0:
		d.para("  ", "✗ blocked: "+common.Itoa(u)+" critical finding(s) not acknowledged — p to review them", st.Bad.Render)
	case len(s.p.findings) == 0:
		d.para("  ", "✓ no findings", st.OK.Render)
	default:
		d.para("  ", "✓ "+findingsSummary(s.p.findings, s.p.acked), st.OK.Render)
	}
	for _, f := range s.p.findings {
		d.add("    " + severityTag(st, f.Severity) + " " + f.Title)
	}
}

// lbSummary names the chosen load balancers with their type and zones (names and ids).
func (s *reviewStep) lbSummary() string {
	var parts []string
	for _, arn := range s.spec.LoadBalancers {
		part := arn
		for _, lb := range s.p.lbs.list {
			if lb.ARN != arn {
				continue
			}
			var zones []string
			for _, z := range lb.AvailabilityZones {
				zones = append(zones, z.Name+" ("+common.OrDash(z.ID)+")")
			}
			part = lb.Name + " (" + lb.Type + ", " + lb.Scheme + ") in " + strings.Join(zones, ", ")
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "; ")
}

func (s *reviewStep) view() string {
	st := s.p.ctx.Styles
	out := s.text.View()
	switch {
	case s.prompt != nil:
		label := "Save the spec (TOML) as:"
		if s.prompt.what == "files" {
			label = "Save the AWS CLI script and the Terraform as (.sh and .tf are added):"
		}
		out += "\n\n" + st.Bold.Render(label) + "\n" + s.prompt.input.View(s.w, true, common.StyleCodes(st.Selected))
		if s.prompt.err != "" {
			for _, l := range common.WrapLines(s.prompt.err, max(s.w, 1)) {
				out += "\n" + st.FlashError.Render(l)
			}
		}
	case s.note != "":
		lvl := st.FlashWarn
		if s.noteLevel == common.FlashError {
			lvl = st.FlashError
		} else if s.noteLevel == common.FlashInfo {
			lvl = st.FlashInfo
		}
		out += "\n"
		for _, l := range common.WrapLines(s.note, max(s.w, 1)) {
			out += "\n" + lvl.Render(l)
		}
	}
	return out
}
