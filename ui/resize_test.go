package ui

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/model"
)

// TestResizeThroughManySizes renders every screen at sizes from 200×60 down to 20×5 (and a
// few degenerate ones): nothing may panic, and every frame must fit the terminal.
func TestResizeThroughManySizes(t *testing.T) {
	screens := [][]string{
		{}, {"c"}, {"c", "space", "a"}, {"down", "enter"}, {"down", "enter", "2"}, {"down", "enter", "3"},
		{"down", "enter", "4"}, {"down", "enter", "5"}, {"@"}, {"?"}, {":"}, {"c", "/"},
		{"down", "enter", "3", "+"}, {"down", "enter", "y"}, {"G", "D"}, {"down", "enter", "p"},
		{"down", "enter", "5", "+"}, {"c", "ctrl+a", "x"},
	}
	sizes := [][2]int{{200, 60}, {160, 50}, {120, 40}, {100, 30}, {80, 24}, {60, 20}, {40, 12}, {30, 8},
		{25, 6}, {20, 5}, {20, 4}, {10, 3}, {5, 2}, {1, 1}, {0, 0}, {300, 5}, {20, 80}}
	for _, keys := range screens {
		b := newTestBackend(t)
		m := newTestRoot(t, b, 120, 40)
		press(t, m, keys...)
		for _, sz := range sizes {
			m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			v := m.View()
			if m.Crash() != nil {
				t.Fatalf("keys %v at %dx%d: %s", keys, sz[0], sz[1], m.Crash())
			}
			if sz[0] == 0 || sz[1] == 0 {
				continue
			}
			lines := strings.Split(v, "\n")
			if len(lines) > sz[1] {
				t.Fatalf("keys %v at %dx%d: %d lines", keys, sz[0], sz[1], len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > sz[0] {
					t.Fatalf("keys %v at %dx%d: line %d is %d wide: %q", keys, sz[0], sz[1], i, w, l)
				}
			}
			// keys keep working at every size
			m.Update(keyMsg("down"))
			m.View()
		}
	}
}

// A resize storm while the data loads, sizes down to 1×1 and 0×0 included: no panic, and the
// last frame fits the last size.
func TestResizeStormWhileLoading(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	e.region.Faults().Set(sim.FaultConfig{LatencyMs: 20})
	m := New(e.backend, e.options())
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 400; i++ {
		w, h := rng.IntN(220), rng.IntN(70)
		if i%50 == 0 {
			w, h = 1, 1
		}
		tm.Send(tea.WindowSizeMsg{Width: w, Height: h})
		if i%40 == 0 {
			tm.Send(keyMsg([]string{"c", "enter", "down", "@", "?", "esc"}[i/40%6]))
		}
	}
	tm.Send(tea.WindowSizeMsg{Width: 60, Height: 12})
	waitIdle(t, e.backend)
	e.region.Faults().Set(sim.FaultConfig{})
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Root)
	if final.Crash() != nil {
		t.Fatalf("crashed: %s", final.Crash())
	}
	lines := strings.Split(final.View(), "\n")
	if len(lines) > 12 {
		t.Fatalf("%d lines at 60×12", len(lines))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > 60 {
			t.Fatalf("line %d is %d wide at 60×12", i, w)
		}
	}
}
