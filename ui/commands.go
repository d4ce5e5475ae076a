package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"

	osc52 "github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
)

// Every backend call below runs inside a tea.Cmd; Update never waits on the network.

func (m *Root) callCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(m.opts.Context, m.opts.CallTimeout)
}

func (m *Root) newReq(k reqKind) uint64 {
	m.reqSeq++
	m.latest[k] = m.reqSeq
	return m.reqSeq
}

// fetchSnapshot is the periodic refresh: one Backend.Refresh for services, connections and
// the load balancers behind the services (the health badges and the targets tab need them).
func (m *Root) fetchSnapshot() tea.Cmd {
	req := m.newReq(reqRefresh)
	b := m.backend
	ctx, cancel := m.callCtx()
	return func() tea.Msg {
		defer cancel()
		snap, err := b.Refresh(ctx, model.RefreshRequest{LoadBalancers: true})
		return snapshotMsg{req: req, snap: snap, err: err}
	}
}

func (m *Root) fetchDetail(id string) tea.Cmd {
	req := m.newReq(reqDetail)
	b := m.backend
	ctx, cancel := m.callCtx()
	return func() tea.Msg {
		defer cancel()
		s, err := b.ServiceDetail(ctx, id)
		return detailMsg{req: req, svc: s, err: err}
	}
}

func (m *Root) fetchLoadBalancers(serviceID string, arns []string) tea.Cmd {
	req := m.newReq(reqLoadBalancers)
	if len(arns) == 0 {
		return func() tea.Msg { return loadBalancersMsg{req: req, serviceID: serviceID} }
	}
	b := m.backend
	ctx, cancel := m.callCtx()
	arns = append([]string(nil), arns...)
	return func() tea.Msg {
		defer cancel()
		lbs, err := b.ListLoadBalancers(ctx, arns)
		return loadBalancersMsg{req: req, serviceID: serviceID, lbs: lbs, err: err}
	}
}

func (m *Root) fetchAPILog() tea.Cmd {
	req := m.newReq(reqAPILog)
	b := m.backend
	return func() tea.Msg { return apiLogMsg{req: req, calls: b.APICalls()} }
}

func (m *Root) switchCmd(what, value string) tea.Cmd {
	req := m.newReq(reqSwitch)
	b := m.backend
	ctx, cancel := m.callCtx()
	return func() tea.Msg {
		defer cancel()
		var err error
		if what == "profile" {
			err = b.SwitchProfile(ctx, value)
		} else {
			err = b.SwitchRegion(ctx, value)
		}
		return switchedMsg{req: req, what: what, value: value, err: err}
	}
}

// connectionsCmd accepts or rejects connections, one call per service, and gathers the
// per-item results. A call that fails as a whole fails each of its items with its error.
func (m *Root) connectionsCmd(accept bool, conns []model.Connection) tea.Cmd {
	b := m.backend
	ctx, cancel := m.callCtx()
	byService := map[string][]string{}
	var order []string
	for _, c := range conns {
		if _, ok := byService[c.ServiceID]; !ok {
			order = append(order, c.ServiceID)
		}
		byService[c.ServiceID] = append(byService[c.ServiceID], c.EndpointID)
	}
	sort.Strings(order)
	op := "reject"
	if accept {
		op = "accept"
	}
	return func() tea.Msg {
		defer cancel()
		var all []model.ItemResult
		var firstErr error
		for _, svc := range order {
			ids := byService[svc]
			var res []model.ItemResult
			var err error
			if accept {
				res, err = b.AcceptConnections(ctx, svc, ids)
			} else {
				res, err = b.RejectConnections(ctx, svc, ids)
			}
			if err != nil {
				var dry *model.DryRunResult
				if errors.As(err, &dry) || errors.Is(err, model.ErrReadOnly) {
					return actionDoneMsg{op: op, err: err}
				}
				if firstErr == nil {
					firstErr = err
				}
				// awsops returns a result for every id it reached, also when a chunk
				// failed: keep those, and mark only the ids it did not report as failed.
				all = append(all, res...)
				reported := make(map[string]bool, len(res))
				for _, r := range res {
					reported[r.ID] = true
				}
				code, text := errorCode(err), err.Error()
				for _, id := range ids {
					if !reported[id] {
						all = append(all, model.ItemResult{ID: id, OK: false, Code: code, Message: text})
					}
				}
				continue
			}
			all = append(all, res...)
		}
		return actionDoneMsg{op: op, results: all}
	}
}

func errorCode(err error) string {
	var ae *model.AWSError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

// writeCmd runs a single write and reports info on success.
func (m *Root) writeCmd(op, serviceID, info string, f func(ctx context.Context, b Backend) error) tea.Cmd {
	b := m.backend
	ctx, cancel := m.callCtx()
	return func() tea.Msg {
		defer cancel()
		err := f(ctx, b)
		return actionDoneMsg{op: op, serviceID: serviceID, err: err, info: info}
	}
}

// bulkWriteCmd runs a write with per-item results.
func (m *Root) bulkWriteCmd(op, serviceID string, f func(ctx context.Context, b Backend) ([]model.ItemResult, error)) tea.Cmd {
	b := m.backend
	ctx, cancel := m.callCtx()
	return func() tea.Msg {
		defer cancel()
		res, err := f(ctx, b)
		return actionDoneMsg{op: op, serviceID: serviceID, results: res, err: err}
	}
}

// copyCmd puts text on the terminal's clipboard with an OSC 52 sequence.
func (m *Root) copyCmd(label, text string) tea.Cmd {
	w := m.opts.Clipboard
	tmux := m.opts.InTmux
	return func() tea.Msg {
		seq := osc52.New(text)
		if tmux {
			seq = seq.Tmux()
		}
		_, err := seq.WriteTo(w)
		if err != nil {
			err = fmt.Errorf("copy %s to the clipboard: %w", label, err)
		}
		return clipboardMsg{label: label, err: err}
	}
}
