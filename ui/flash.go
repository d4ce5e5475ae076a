package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/ui/common"
)

// flash is a one-line message that clears itself after Options.FlashDuration. It belongs to
// the page it was said on: going to another screen hides it (a message about one service
// does not follow the user to another); page "" is about the whole console.
type flash struct {
	text  string
	level common.FlashLevel
	id    int
	page  string
}

type flashExpiredMsg struct{ id int }

// setFlash shows a message about the current page and schedules its expiry; a newer flash
// outlives older timers.
func (r *Root) setFlash(text string, level common.FlashLevel) tea.Cmd {
	return r.flashOn(r.top().ID(), text, level)
}

// setGlobalFlash shows a message about the whole console (a refresh that failed, a switch):
// it stays whatever screen is shown.
func (r *Root) setGlobalFlash(text string, level common.FlashLevel) tea.Cmd {
	return r.flashOn("", text, level)
}

func (r *Root) flashOn(page, text string, level common.FlashLevel) tea.Cmd {
	r.flashSeq++
	r.flash = flash{text: text, level: level, id: r.flashSeq, page: page}
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

// flashShown says whether the flash is about what is on screen.
func (r *Root) flashShown() bool {
	return r.flash.text != "" && (r.flash.page == "" || r.flash.page == r.top().ID())
}

func (r *Root) flashView(width int) string {
	if !r.flashShown() {
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
