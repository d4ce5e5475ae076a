package common

import (
	"time"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/store"
	"github.com/plconsole/plconsole/ui/tasks"
)

// Context is what every component shares. The root owns it; components keep a pointer and
// never a copy, so a theme switch, a mode change or a new session reaches everyone.
type Context struct {
	Styles *Styles
	Keys   *KeyMap
	Now    func() time.Time
	Mode   model.Mode
	// ReadOnlyFrom says where read-only came from ("--read-only", the config file), for the
	// sentence that refuses a write.
	ReadOnlyFrom string
	// Gen changes whenever something every cached rendering depends on changes (theme,
	// mode); tables compare it to drop their row caches.
	Gen   uint64
	Tasks *tasks.Runner
	// Store is the current session's data; the root replaces it on a profile or region
	// switch (components read it through the context each time, never keep it).
	Store *store.Store
	// TopPage is the id of the page on top of the navigation stack (a view polling in live
	// mode stops once it is no longer on screen).
	TopPage func() string
	// Customers names the consumer accounts (the accounts file) and Policy is the approval
	// policy (nil: none). They belong to the user, not to a session, so they survive a
	// switch; PolicyGen changes whenever either does (views rebuild rows that show them).
	Customers *model.Customers
	Policy    *model.Policy
	PolicyGen uint64
}

// ReadOnly says whether writes are disabled.
func (c *Context) ReadOnly() bool { return c.Mode == model.ModeReadOnly }

// ReadOnlyReason is the sentence that explains a refused write.
func (c *Context) ReadOnlyReason() string {
	from := c.ReadOnlyFrom
	if from == "" {
		from = "--read-only"
	}
	return "read-only (" + from + "): nothing is sent to AWS"
}
