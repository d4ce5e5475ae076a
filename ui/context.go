package ui

import (
	"time"

	"github.com/plconsole/plconsole/model"
)

// Context is what every view shares: the terminal size, styles, keys, the clock and the
// mode. The root owns it; views keep a pointer and never a copy, so a theme switch or a
// resize reaches everyone.
type Context struct {
	Width, Height int
	Styles        *Styles
	Keys          *KeyMap
	Now           func() time.Time
	Mode          model.Mode
	// Gen changes whenever something every cached rendering depends on changes (theme,
	// mode); tables compare it to drop their row caches.
	Gen uint64
}

// ReadOnly says whether writes are disabled, and ReadOnlyReason explains why.
func (c *Context) ReadOnly() bool { return c.Mode == model.ModeReadOnly }

func (c *Context) readOnlyReason() string {
	return "read-only (--read-only): nothing is sent to AWS"
}
