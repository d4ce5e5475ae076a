package ui

import (
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/dialog"
)

// flash is a one-line message that clears itself after Options.FlashDuration. It belongs to
// the page it was said on: going to another screen hides it (a message about one service
// does not follow the user to another); page "" is about the whole console.
type flash struct {
	text  string
	level common.FlashLevel
	id    int
	page  string
	at    time.Time
	err   error // the error the flash reports, for its details
}

// maxMessages is how many past messages :messages keeps.
const maxMessages = 100

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

// errorFlash reports a failure: prefix and the error's sentence, with the error kept for
// its details (enter on the flash, :messages).
func (r *Root) errorFlash(prefix string, err error, global bool) tea.Cmd {
	page := r.top().ID()
	if global {
		page = ""
	}
	cmd := r.flashOn(page, prefix+err.Error(), common.FlashError)
	r.flash.err = err
	r.messages[len(r.messages)-1].err = err
	return cmd
}

func (r *Root) flashOn(page, text string, level common.FlashLevel) tea.Cmd {
	r.flashSeq++
	r.flash = flash{text: text, level: level, id: r.flashSeq, page: page, at: r.ctx.Now()}
	r.messages = append(r.messages, r.flash)
	if len(r.messages) > maxMessages {
		r.messages = r.messages[len(r.messages)-maxMessages:]
	}
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

// flashDetails is the whole of a message: its text unwrapped and, for an AWS error, the
// operation, code, HTTP status, request id and AWS's own words.
func flashDetails(f flash) []string {
	lines := []string{f.at.UTC().Format("2006-01-02 15:04:05 MST"), "", f.text}
	var ae *model.AWSError
	if errors.As(f.err, &ae) {
		lines = append(lines, "")
		add := func(k, v string) {
			if v != "" {
				lines = append(lines, common.PadRight(k, 12)+v)
			}
		}
		add("Operation", ae.Operation)
		add("Code", ae.Code)
		if ae.HTTPStatus != 0 {
			add("HTTP status", common.Itoa(ae.HTTPStatus))
		}
		add("Request id", ae.RequestID)
		if ae.Message != "" && ae.Message != ae.Sentence {
			add("AWS said", ae.Message)
		}
	}
	return lines
}

// showFlashDetails opens the flash on screen whole.
func (r *Root) showFlashDetails() tea.Cmd {
	f := r.flash
	copyText, copyLabel := f.text, "the message"
	var ae *model.AWSError
	if errors.As(f.err, &ae) && ae.RequestID != "" {
		copyText, copyLabel = ae.RequestID, "the request id"
	}
	r.openDialog(dialog.Spec{Kind: dialog.Info, Title: "Message", Body: flashDetails(f), CopyText: copyText, CopyLabel: copyLabel}, nil)
	r.flash = f // opening a dialog clears the flash; this one is what the dialog is about
	return nil
}

// showMessages lists the recent messages, newest first.
func (r *Root) showMessages() tea.Cmd {
	if len(r.messages) == 0 {
		return r.setFlash("no messages yet", common.FlashInfo)
	}
	var body []string
	for i := len(r.messages) - 1; i >= 0; i-- {
		m := r.messages[i]
		body = append(body, m.at.UTC().Format("15:04:05")+"  "+m.text)
	}
	r.openDialog(dialog.Spec{Kind: dialog.Info, Title: "Messages (newest first)", Body: body}, nil)
	return nil
}
