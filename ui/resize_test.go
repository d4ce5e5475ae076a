package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
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
