// Package apilog is the API-call log: every AWS call the console made, newest first, with
// its latency, attempts, HTTP status, request id and error.
package apilog

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/table"
	"github.com/plconsole/plconsole/ui/tasks"
)

// ID is the page's registration id.
const ID = "apilog"

// keyRead is the task that reads the log; a newer read replaces an older one.
const keyRead = "apilog"

// Page lists the calls.
type Page struct {
	ctx      *common.Context
	list     *table.List
	versions table.Versions
	count    int
	byRow    map[string]model.APICall
}

type callsMsg struct{ calls []model.APICall }

// New makes the API-call log page.
func New(ctx *common.Context) *Page {
	return &Page{ctx: ctx, list: table.NewList(ctx, []table.Column{
		{Title: "TIME", Width: 8}, {Title: "SERVICE", Width: 10, Drop: 2}, {Title: "OPERATION", Width: 40, Min: 24},
		{Title: "MS", Width: 6, Right: true}, {Title: "TRY", Width: 3, Right: true, Drop: 1}, {Title: "HTTP", Width: 4, Right: true},
		{Title: "REQUEST ID", Width: 36, Min: 12}, {Title: "ERROR", Width: 16, Flex: 1, Min: 10},
	}, "no AWS calls yet")}
}

func (p *Page) ID() string         { return ID }
func (p *Page) Title() string      { return "API calls" }
func (p *Page) Init() tea.Cmd      { return nil }
func (p *Page) SetSize(w, h int)   { p.list.SetSize(w, h) }
func (p *Page) View() string       { return p.list.View() }
func (p *Page) Capturing() bool    { return false }
func (p *Page) Filter() string     { return p.list.Filter() }
func (p *Page) SetFilter(f string) { p.list.SetFilter(f) }
func (p *Page) KeyBindings() []string {
	return append([]string{common.KeyEnter}, common.NavigationKeys...)
}
func (p *Page) ShortHelp() []string {
	return []string{common.KeyEnter, common.KeyFilter, common.KeyRefresh, common.KeyBack}
}
func (p *Page) Table() *table.Table { return p.list.Table }

func (p *Page) Status() string {
	return common.Itoa(p.list.Len()) + "/" + common.Itoa(p.count) + " calls"
}

// read asks for the log; its answer comes back to this page.
func (p *Page) read() tea.Cmd {
	b := p.ctx.Store.Backend()
	return p.ctx.Tasks.Start(keyRead, ID, tasks.CancelOlder, func(context.Context) tea.Msg {
		return callsMsg{calls: b.APICalls()}
	})
}

func (p *Page) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ShownMsg, common.RefreshMsg:
		return p, p.read()
	case callsMsg:
		p.setCalls(msg.calls)
	case tea.KeyMsg:
		if p.ctx.Keys.Is(msg, common.KeyEnter) {
			return p, p.details()
		}
		table.Navigate(p.ctx.Keys, p.list.Table, msg)
	}
	return p, nil
}

// Copyables are the call's request id and operation.
func (p *Page) Copyables() []common.Copyable {
	c, ok := p.byRow[p.list.CurrentID()]
	if !ok {
		return nil
	}
	return []common.Copyable{common.Copy("Request id", c.RequestID), common.Copy("Operation", c.Operation)}
}

// details shows the call under the cursor whole: its error is often longer than its column.
func (p *Page) details() tea.Cmd {
	c, ok := p.byRow[p.list.CurrentID()]
	if !ok {
		return nil
	}
	line := func(k, v string) string { return common.PadRight(k, 12) + v }
	body := []string{
		line("Time", c.Time.UTC().Format("2006-01-02 15:04:05.000 MST")),
		line("Service", serviceText(c.Service)),
		line("Operation", c.Operation),
		line("Duration", c.Duration.Round(time.Millisecond).String()),
		line("Attempts", common.Itoa(c.Attempts)),
		line("HTTP status", common.OrDash(statusText(c.Status))),
		line("Request id", common.OrDash(c.RequestID)),
	}
	if c.ErrorCode != "" {
		body = append(body, line("Error code", c.ErrorCode))
	}
	if c.Error != "" {
		body = append(body, "", c.Error)
	}
	msg := common.InfoMsg{Title: c.Operation + " at " + c.Time.UTC().Format("15:04:05"), Body: body}
	if c.RequestID != "" {
		msg.CopyText, msg.CopyLabel = c.RequestID, "the request id"
	}
	return common.Send(msg)
}

func serviceText(s string) string {
	if short := shortServiceName(s); short != s {
		return s + " (" + short + ")"
	}
	return s
}

func statusText(s int) string {
	if s == 0 {
		return ""
	}
	return common.Itoa(s)
}

func (p *Page) setCalls(calls []model.APICall) {
	p.count = len(calls)
	p.byRow = make(map[string]model.APICall, len(calls))
	rows := make([]*table.Row, 0, len(calls))
	for i := len(calls) - 1; i >= 0; i-- {
		c := calls[i]
		status := "-"
		if c.Status != 0 {
			status = common.Itoa(c.Status)
		}
		errTxt := c.ErrorCode
		if errTxt == "" && c.Error != "" {
			errTxt = c.Error
		}
		acc := table.AccOK
		if c.Error != "" || c.ErrorCode != "" {
			acc = table.AccBad
		}
		ms := common.Itoa(int(c.Duration / time.Millisecond))
		r := &table.Row{
			ID:       common.Itoa(i) + "/" + c.RequestID + "/" + c.Time.Format(time.RFC3339Nano),
			Cells:    []string{c.Time.UTC().Format("15:04:05"), shortServiceName(c.Service), c.Operation, ms, common.Itoa(c.Attempts), status, common.OrDash(c.RequestID), errTxt},
			Accents:  []table.Accent{table.AccDim, table.AccNone, table.AccNone, table.AccNone, table.AccNone, acc, table.AccDim, table.AccBad},
			Haystack: common.Haystack(c.Service, c.Operation, c.RequestID, c.ErrorCode, c.Error, status),
		}
		p.versions.Stamp(r)
		p.byRow[r.ID] = c
		rows = append(rows, r)
	}
	p.list.SetAll(rows)
}

// shortServiceName names an AWS service as its users do, short enough for the log's column.
func shortServiceName(s string) string {
	switch s {
	case "elasticloadbalancing":
		return "elbv2"
	case "monitoring":
		return "cloudwatch"
	}
	return s
}
