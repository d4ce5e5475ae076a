package ui

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"
	"go.uber.org/goleak"

	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/model"
)

// Quitting leaves no goroutine behind: not after moving through the views, a region switch
// and a write, with requests still in flight when q is pressed.
func TestQuitLeavesNoGoroutines(t *testing.T) {
	before := goleak.IgnoreCurrent()
	// registered first, so it runs last: after the client and the region are closed
	t.Cleanup(func() {
		// teatest's own SIGINT watcher outlives every test model; it is the test harness's
		goleak.VerifyNone(t, before, goleak.IgnoreTopFunction("github.com/charmbracelet/x/exp/teatest.NewTestModel.func2"))
	})

	e := newSimEnv(t, model.ModeDemo, simtest.AlsoServe("eu-west-1"))
	tm := teatest.NewTestModel(t, New(e.backend, e.options()), teatest.WithInitialTermSize(120, 40))
	waitFor(t, tm, "3/3 services")
	for _, k := range []string{"c", "enter", "4", "@", "ctrl+s", "?", "esc", "c", "a", "y"} {
		tm.Send(keyMsg(k))
	}
	waitFor(t, tm, "accepted 1 of 1")
	for _, r := range ":region eu-west-1" {
		tm.Send(keyMsg(string(r)))
	}
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "switched region to eu-west-1")
	tm.Send(keyMsg("r")) // a refresh in flight when q arrives
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	waitIdle(t, e.backend)
}
