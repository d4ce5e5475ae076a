package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
)

// APILogView lists every AWS call the console made, newest first.
type APILogView struct {
	ctx      *Context
	list     *simpleList
	versions rowVersions
	count    int
}

func NewAPILogView(ctx *Context) *APILogView {
	return &APILogView{ctx: ctx, list: newSimpleList(ctx, []Column{
		{Title: "TIME", Width: 8}, {Title: "SERVICE", Width: 10, Drop: 2}, {Title: "OPERATION", Width: 40, Min: 24},
		{Title: "MS", Width: 6, Right: true}, {Title: "TRY", Width: 3, Right: true, Drop: 1}, {Title: "HTTP", Width: 4, Right: true},
		{Title: "REQUEST ID", Width: 36, Min: 12}, {Title: "ERROR", Width: 16, Flex: 1, Min: 10},
	}, "no AWS calls yet")}
}

func (v *APILogView) Title() string      { return "API calls" }
func (v *APILogView) SetSize(w, h int)   { v.list.table.SetSize(w, h) }
func (v *APILogView) View() string       { return v.list.table.View() }
func (v *APILogView) Filter() string     { return v.list.filter }
func (v *APILogView) SetFilter(f string) { v.list.SetFilter(f) }

func (v *APILogView) SetCalls(calls []model.APICall) {
	v.count = len(calls)
	rows := make([]*Row, 0, len(calls))
	for i := len(calls) - 1; i >= 0; i-- {
		c := calls[i]
		status := "-"
		if c.Status != 0 {
			status = itoa(c.Status)
		}
		errTxt := c.ErrorCode
		if errTxt == "" && c.Error != "" {
			errTxt = c.Error
		}
		acc := accOK
		if c.Error != "" || c.ErrorCode != "" {
			acc = accBad
		}
		ms := itoa(int(c.Duration / time.Millisecond))
		r := &Row{
			ID:       itoa(i) + "/" + c.RequestID + "/" + c.Time.Format(time.RFC3339Nano),
			Cells:    []string{c.Time.UTC().Format("15:04:05"), shortServiceName(c.Service), c.Operation, ms, itoa(c.Attempts), status, orDash(c.RequestID), errTxt},
			Accents:  []accent{accDim, accNone, accNone, accNone, accNone, acc, accDim, accBad},
			Haystack: haystack(c.Service, c.Operation, c.RequestID, c.ErrorCode, c.Error, status),
		}
		v.versions.stamp(r)
		rows = append(rows, r)
	}
	v.list.SetRows(rows)
}

func (v *APILogView) HandleKey(msg tea.KeyMsg) (action, bool) {
	return nil, navigate(v.ctx.Keys, v.list.table, msg)
}

func (v *APILogView) ShortHelp() []*key.Binding {
	k := v.ctx.Keys
	return []*key.Binding{&k.Filter, &k.Refresh, &k.Back}
}

func (v *APILogView) Status() string {
	return itoa(v.list.table.Len()) + "/" + itoa(v.count) + " calls"
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
