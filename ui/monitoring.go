package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/pages/consumer"
	"github.com/plconsole/plconsole/ui/pages/overview"
	"github.com/plconsole/plconsole/ui/store"
)

// registerMonitoringKeys declares the metrics views' bindings: the window, the breakdown
// and live mode.
func registerMonitoringKeys(k *common.KeyMap) {
	k.Add(common.KeyWindow, common.GroupViews, "metrics window", false, "w")
	k.Add(common.KeyWindowBack, common.GroupViews, "shorter window", false, "W")
	k.Add(common.KeyBreakdown, common.GroupViews, "by AZ / by LB", false, "b")
	k.Add(common.KeyLive, common.GroupViews, "live metrics", false, "L")
}

// openConsumer shows a consumer's page.
func (r *Root) openConsumer(key string) tea.Cmd {
	if _, ok := r.ctx.Store.Connection(key); !ok {
		return r.setFlash("connection "+key+" is not in the list (refresh with r)", common.FlashWarn)
	}
	r.ctx.Store.MarkSeen(key)
	c := r.pages[consumer.ID].(*consumer.Page)
	return tea.Batch(r.show(consumer.ID), c.Open(key))
}

// chooseHome makes the fleet overview the home screen, once, when the console starts on its
// own choice (Options.StartPage empty) and the first services read finds more than one,
// unless the user has already moved on.
func (r *Root) chooseHome() tea.Cmd {
	if r.homeChosen || r.opts.StartPage != StartAuto || !r.ctx.Store.Freshness(store.Services).Loaded {
		return nil
	}
	r.homeChosen = true
	if len(r.ctx.Store.Services()) < 2 || len(r.stack) != 1 || len(r.layers) > 0 || r.stack[0].ID() != homePage {
		return nil
	}
	r.stack[0] = r.pages[overview.ID]
	_, cmd := r.stack[0].Update(common.ShownMsg{})
	return cmd
}
