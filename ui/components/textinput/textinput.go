// Package textinput is the one-line text editor of the filter, the palette and dialog fields.
package textinput

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// Line is a one-line text editor. It is deliberately small: no blinking cursor (screens
// stay deterministic), no I/O.
type Line struct {
	value []rune
	pos   int
	// Prompt is drawn before the text (":" for the palette, "/" for the filter).
	Prompt string
}

func (in *Line) Value() string { return string(in.value) }

func (in *Line) SetValue(s string) { in.value = []rune(s); in.pos = len(in.value) }

// Update edits the value; it reports whether the key was an editing key.
func (in *Line) Update(msg tea.KeyMsg) bool {
	switch msg.Type {
	case tea.KeyRunes, tea.KeySpace:
		r := msg.Runes
		if msg.Type == tea.KeySpace {
			r = []rune{' '}
		}
		r = []rune(strings.Map(func(c rune) rune {
			if c == '\n' || c == '\r' || c == '\t' {
				return ' '
			}
			return c
		}, string(r)))
		v := append([]rune{}, in.value[:in.pos]...)
		v = append(v, r...)
		in.value = append(v, in.value[in.pos:]...)
		in.pos += len(r)
	case tea.KeyBackspace:
		if in.pos > 0 {
			in.value = append(in.value[:in.pos-1], in.value[in.pos:]...)
			in.pos--
		}
	case tea.KeyDelete:
		if in.pos < len(in.value) {
			in.value = append(in.value[:in.pos], in.value[in.pos+1:]...)
		}
	case tea.KeyLeft:
		if in.pos > 0 {
			in.pos--
		}
	case tea.KeyRight:
		if in.pos < len(in.value) {
			in.pos++
		}
	case tea.KeyHome, tea.KeyCtrlA:
		in.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		in.pos = len(in.value)
	case tea.KeyCtrlU:
		in.value = in.value[in.pos:]
		in.pos = 0
	case tea.KeyCtrlW:
		i := in.pos
		for i > 0 && in.value[i-1] == ' ' {
			i--
		}
		for i > 0 && in.value[i-1] != ' ' {
			i--
		}
		in.value = append(in.value[:i], in.value[in.pos:]...)
		in.pos = i
	default:
		return false
	}
	return true
}

// View renders prompt + value with a block cursor, cut to width from the left so the cursor
// stays visible.
func (in *Line) View(width int, focused bool, curSGR [2]string) string {
	v := string(in.value[:in.pos])
	rest := string(in.value[in.pos:])
	cur := ""
	if focused {
		cur = "█"
		if rest != "" {
			r := []rune(rest)
			cur = curSGR[0] + string(r[0]) + curSGR[1]
			rest = string(r[1:])
		}
	}
	s := in.Prompt + v + cur + rest
	if width > 0 && ansi.StringWidth(s) > width {
		over := ansi.StringWidth(s) - width
		s = ansi.TruncateLeft(s, over+1, "…")
	}
	return s
}
