package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/dialog"
	"github.com/plconsole/plconsole/ui/tasks"
)

// flowStage is where an action's flow is while a dialog of it is open.
type flowStage int

const (
	stageForm flowStage = iota
	stageConfirm
)

// flow is an action waiting for a dialog's answer.
type flow struct {
	action *Action
	target common.Target
	stage  flowStage
}

// actionDoneMsg is a write's outcome.
type actionDoneMsg struct {
	action *Action
	target common.Target
	out    outcome
}

// runAction starts an action on the focused page's target: read-only refuses a write before
// anything opens; then the form, the confirmation, the write.
func (r *Root) runAction(a *Action, src common.ActionSource) tea.Cmd {
	if a == nil {
		return nil
	}
	if a.Write && r.ctx.ReadOnly() {
		return r.setFlash(a.Op+" is disabled: "+r.ctx.ReadOnlyReason(), common.FlashWarn)
	}
	t := src.Target()
	seen := make([]string, len(t.Connections))
	for i, c := range t.Connections {
		seen[i] = c.Key()
	}
	r.ctx.Store.MarkSeen(seen...) // whoever acts on a request has seen it
	if a.Scope == ScopeService && t.Service == nil {
		return r.setFlash("no service selected", common.FlashWarn)
	}
	if a.Run != nil {
		return a.Run(r, t)
	}
	if a.Form != nil {
		spec, no := a.Form(r, t)
		if no != nil {
			return r.setFlash(no.text, no.level)
		}
		r.openDialog(spec, &flow{action: a, target: t, stage: stageForm})
		return nil
	}
	return r.confirmStage(a, t)
}

func (r *Root) confirmStage(a *Action, t common.Target) tea.Cmd {
	t, spec, no := a.Confirm(r, t)
	if no != nil {
		return r.setFlash(no.text, no.level)
	}
	if r.ctx.Mode == model.ModeDryRun {
		spec.Body = append(spec.Body, "", "DRY-RUN: AWS only checks the request; nothing changes.")
	}
	r.openDialog(spec, &flow{action: a, target: t, stage: stageConfirm})
	return nil
}

// openDialog shows a dialog; f is the action waiting for its answer (nil for an info box).
// Whatever the flash said was about what came before it, so it goes: a stale "cancelled"
// under a fresh question reads as the answer to it.
func (r *Root) openDialog(spec dialog.Spec, f *flow) {
	r.dialogSeq++
	if f != nil {
		r.flows[r.dialogSeq] = f
	}
	r.flash = flash{}
	r.pushLayer(dialog.New(r.ctx, r.dialogSeq, spec))
}

// onDialogResult closes the dialog that answered and moves its action's flow on.
func (r *Root) onDialogResult(msg dialog.ResultMsg) tea.Cmd {
	for _, l := range r.layers {
		if d, ok := l.(*dialog.Dialog); ok && d.ID() == msg.ID {
			r.closeLayer(l)
			break
		}
	}
	f := r.flows[msg.ID]
	delete(r.flows, msg.ID)
	if !msg.Confirmed {
		if f != nil {
			return r.setFlash("cancelled: nothing was changed", common.FlashInfo)
		}
		return nil
	}
	if f == nil {
		return nil
	}
	switch f.stage {
	case stageForm:
		f.target.Input = msg.Values
		if f.action.Confirm == nil && f.action.Apply != nil {
			return f.action.Apply(r, f.action, f.target)
		}
		return r.confirmStage(f.action, f.target)
	default:
		if f.action.Proceed != nil {
			return f.action.Proceed(r, f.action, f.target)
		}
		return r.write(f.action, f.target)
	}
}

// write runs the action's write as a task of its own (a write is never joined or replaced).
func (r *Root) write(a *Action, t common.Target) tea.Cmd {
	r.writeSeq++
	key := fmt.Sprintf("write/%s/%d", a.Name, r.writeSeq)
	b := r.ctx.Store.Backend()
	cmd := r.ctx.Tasks.Start(key, ownerRoot, tasks.Join, func(ctx context.Context) tea.Msg {
		return actionDoneMsg{action: a, target: t, out: a.Do(ctx, b, t)}
	})
	if a.Doing != nil {
		return tea.Batch(cmd, r.setFlash(a.Doing(t), common.FlashInfo))
	}
	return cmd
}

// WritesInFlight is the number of writes sent and not answered yet.
func (r *Root) WritesInFlight() int { return r.ctx.Tasks.RunningPrefix("write/") }

// onActionDone reports a write's outcome, wherever the user is by then, and refreshes.
func (r *Root) onActionDone(msg actionDoneMsg) tea.Cmd {
	a, out := msg.action, msg.out
	var dry *model.DryRunResult
	switch {
	case errors.As(out.err, &dry):
		lvl := common.FlashOK
		if !dry.WouldSucceed {
			lvl = common.FlashWarn
		}
		text := dry.Error()
		if dry.RequestID != "" {
			text += " (request " + dry.RequestID + ")"
		}
		return r.setGlobalFlash(text, lvl)
	case errors.Is(out.err, model.ErrReadOnly):
		return r.setGlobalFlash(a.Op+": "+out.err.Error(), common.FlashWarn)
	case out.err != nil:
		return tea.Batch(r.errorFlash(a.Op+" failed: ", out.err, true), r.reread())
	}
	var after tea.Cmd
	if a.After != nil {
		after = a.After(r, msg.target)
	}
	if out.results == nil {
		return tea.Batch(after, r.setGlobalFlash(a.Done(msg.target), common.FlashOK), r.reread())
	}
	okN, bad := 0, 0
	var lines []string
	for _, res := range out.results {
		if res.OK {
			okN++
			lines = append(lines, "✓ "+res.ID)
		} else {
			bad++
			line := "✗ " + res.ID + "  " + res.Code
			if res.Message != "" {
				line += ": " + res.Message
			}
			lines = append(lines, line)
		}
	}
	// failures first: they are what needs reading
	sort.SliceStable(lines, func(i, j int) bool { return strings.HasPrefix(lines[i], "✗") && !strings.HasPrefix(lines[j], "✗") })
	r.clearMarks()
	text := fmt.Sprintf("%s %d of %d", a.Past, okN, len(out.results))
	lvl := common.FlashOK
	if bad > 0 {
		text += fmt.Sprintf("; %d failed", bad)
		lvl = common.FlashError
	}
	if len(out.results) > 1 || bad > 0 {
		r.openDialog(dialog.Spec{Kind: dialog.Info, Title: common.Capitalize(a.Op) + ": " + text, Body: lines}, nil)
	}
	return tea.Batch(after, r.setGlobalFlash(text, lvl), r.reread())
}

// clearMarks unmarks every table of every page: a bulk action used the marks.
func (r *Root) clearMarks() {
	for _, p := range r.pages {
		p.Update(common.ClearMarksMsg{})
	}
}
