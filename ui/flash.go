package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/ui/common"
)

// flash is a one-line message that clears itself after Options.FlashDuration.
type flash struct {
	text  string
	level common.FlashLevel
	id    int
}

type flashExpiredMsg struct{ id int }

// setFlash shows a message and schedules its expiry; a newer flash outlives older timers.
func (r *Root) setFlash(text string, level common.FlashLevel) tea.Cmd {
	r.flashSeq++
	r.flash = flash{text: text, level: level, id: r.flashSeq}
	if r.opts.DisableTicks {
		return nil
	}
	id := r.flashSeq
	return tea.Tick(r.opts.FlashDuration, func(time.Time) tea.Msg { return flashExpiredMsg{id: id} })
}

func (r *Root) clearFlash(id int) {
	if r.flash.id == id {
		r.flash = flash{}
	}
}

func (r *Root) flashView(width int) string {
	if r.flash.text == "" {
		return ""
	}
	s := r.ctx.Styles
	st := s.FlashInfo
	switch r.flash.level {
	case common.FlashOK:
		st = s.FlashOK
	case common.FlashWarn:
		st = s.FlashWarn
	case common.FlashError:
		st = s.FlashError
	}
	return st.Render(common.TruncateWords(r.flash.text, width))
}
