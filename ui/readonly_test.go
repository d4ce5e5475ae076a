package ui

import (
	"slices"
	"testing"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
)

// places are the screens that offer actions, and the keys that reach each from the services
// list (the first row is payments-api in the demo world).
var places = []struct {
	name string
	keys []string
}{
	{"services", nil},
	{"inbox", []string{"c"}},
	{"service overview", []string{"enter", "1"}},
	{"service connections", []string{"enter", "2"}},
	{"service principals", []string{"enter", "3"}},
	{"service notifications", []string{"enter", "5"}},
}

// In read-only mode every write action of the registry is refused where it is offered,
// before any dialog opens, and not one request leaves the process (counted by the simulated
// region).
func TestReadOnlyEveryWriteActionSendsNothing(t *testing.T) {
	for _, a := range actions {
		if !a.Write {
			continue
		}
		t.Run(a.Name, func(t *testing.T) {
			e := newSimEnv(t, model.ModeReadOnly)
			m := newTestRoot(t, e.backend, 120, 40, func(o *Options) { o.Now = e.clock.Now })
			offered := false
			for _, p := range places {
				press(t, m, "ctrl+s")
				press(t, m, p.keys...)
				src, ok := m.top().(common.ActionSource)
				if !ok || !slices.Contains(src.Actions(), a.Name) {
					continue
				}
				offered = true
				waitIdle(t, e.backend)
				e.region.ResetStats()
				key := m.ctx.Keys.Get(a.Name).Keys()[0]
				press(t, m, key)
				if d := dialogOf(m); d != nil {
					t.Fatalf("%s on %s opened %q in read-only mode", a.Name, p.name, d.Title())
				}
				mustContain(t, m.View(), a.Op+" is disabled: read-only")
				waitIdle(t, e.backend)
				if st := e.region.Stats(); st.Total != 0 {
					t.Fatalf("%s on %s sent %d requests in read-only mode", a.Name, p.name, st.Total)
				}
			}
			if !offered {
				t.Fatalf("no screen offers %s", a.Name)
			}
		})
	}
}
