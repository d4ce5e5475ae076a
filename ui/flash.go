package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	tea "github.com/charmbracelet/bubbletea"
)

type flashLevel int

const (
	flashInfo flashLevel = iota
	flashOK
	flashWarn
	flashError
)

// flash is a one-line message that clears itself after Options.FlashDuration.
type flash struct {
	text  string
	level flashLevel
	id    int
}

// setFlash shows a message and schedules its expiry; a newer flash outlives older timers.
func (m *Root) setFlash(text string, level flashLevel) tea.Cmd {
	m.flashSeq++
	m.flash = flash{text: text, level: level, id: m.flashSeq}
	if m.opts.DisableTicks {
		return nil
	}
	id := m.flashSeq
	return tea.Tick(m.opts.FlashDuration, func(time.Time) tea.Msg { return flashExpiredMsg{id: id} })
}

func (m *Root) clearFlash(id int) {
	if m.flash.id == id {
		m.flash = flash{}
	}
}

func (m *Root) flashView(width int) string {
	if m.flash.text == "" {
		return ""
	}
	s := m.ctx.Styles
	st := s.FlashInfo
	switch m.flash.level {
	case flashOK:
		st = s.FlashOK
	case flashWarn:
		st = s.FlashWarn
	case flashError:
		st = s.FlashError
	}
	return st.Render(truncateWords(m.flash.text, width))
}

// truncateWords shortens s to width at a space when one is near the end, so a message does
// not end in half a word or half an id.
func truncateWords(s string, width int) string {
	if width <= 0 || ansi.StringWidth(s) <= width {
		return truncate(s, width)
	}
	cut := ansi.Truncate(s, width-1, "")
	if i := strings.LastIndexByte(cut, ' '); i >= width/2 {
		return strings.TrimRight(cut[:i], " ,:;(") + " …"
	}
	return truncate(s, width)
}
