package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/pages/safedelete"
	"github.com/plconsole/plconsole/ui/pages/wizard"
)

// The root's side of provisioning: opening the setup wizard and the settings editor, the
// safe delete a confirmed delete turns into when connections block it, and closing a page
// that finished its flow.

// openWizard shows the setup wizard (a new service, from spec's answers when set) or the
// settings editor (svc). A wizard with a call in flight is shown as it is, not restarted.
func (r *Root) openWizard(mode wizard.Mode, svc *model.EndpointService, spec *model.ServiceSpec) tea.Cmd {
	if _, ok := r.ctx.Store.Provisioner(); !ok {
		return r.setFlash("this backend cannot create or change endpoint services", common.FlashError)
	}
	w := r.pages[wizard.ID].(*wizard.Page)
	if w.Busy() {
		return tea.Batch(r.show(wizard.ID), r.setFlash("the wizard is waiting for AWS; here it is", common.FlashInfo))
	}
	cmd := w.Open(wizard.Start{Mode: mode, Service: svc, Spec: spec, Consumers: r.opts.ConsumerProfiles,
		OpenConsumer: r.opts.OpenConsumer, PollInterval: r.opts.PollInterval, Dir: r.opts.SaveDir, Token: r.opts.NewClientToken})
	return tea.Batch(cmd, r.show(wizard.ID))
}

// proceedDelete goes on after the service id was typed: straight to the delete when no
// connection blocks it, else to the safe delete, which rejects them first.
func proceedDelete(r *Root, a *Action, t common.Target) tea.Cmd {
	if r.ctx.Store.Summary(t.Service.ID).CanDeleteService() {
		return r.write(a, t)
	}
	d := r.pages[safedelete.ID].(*safedelete.Page)
	return tea.Batch(d.Open(*t.Service, r.opts.PollInterval), r.show(safedelete.ID))
}

// closePage takes a page and the pages above it off the stack; the home page stays.
func (r *Root) closePage(id string) {
	for i, p := range r.stack {
		if p.ID() == id && i > 0 {
			r.stack = r.stack[:i]
			r.top().Update(common.ShownMsg{})
			return
		}
	}
}

// noTarget is a page that offers nothing to act on.
type noTarget struct{}

func (noTarget) Actions() []string     { return nil }
func (noTarget) Target() common.Target { return common.Target{} }

// sourceOf is what a palette command acts on: the page's target when it offers one.
func sourceOf(p common.Page) common.ActionSource {
	if src, ok := p.(common.ActionSource); ok {
		return src
	}
	return noTarget{}
}
