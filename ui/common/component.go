// Package common is the contract every part of the console shares: the component
// interfaces, the context (size, styles, keys, clock, mode, tasks, the session's store), the
// messages components send each other through the root, the key binding registry, the
// styles and the small text helpers.
package common

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
)

// Component is every screen, tab pane, dialog, palette and form.
//
// The root delivers each message to the component that should see it and never drops one
// it does not know: key messages go to the focused component, everything else to every
// component on the focus stack, top first, so a component that needs its own message round
// trip (a huh form's field changes, a spinner's ticks) gets its messages back.
type Component interface {
	Init() tea.Cmd
	Update(tea.Msg) (Component, tea.Cmd)
	// View renders exactly the size given to SetSize. It only renders.
	View() string
	SetSize(width, height int)
	// KeyBindings names the bindings (KeyMap names) the component handles itself. A key
	// that matches one goes to the component before any action or global key.
	KeyBindings() []string
	// ShortHelp names the bindings the footer shows while the component has focus: its own
	// and the actions it offers.
	ShortHelp() []string
	// Capturing says the component is taking text input: every key goes to it, global keys
	// included (q, c, r, :, /, ?, @ are typed, not run).
	Capturing() bool
}

// Page is a screen on the navigation stack (services, connections, a service, the API log).
type Page interface {
	Component
	// ID is the page's registration id; task results with this owner are routed to it.
	ID() string
	// Title is the page's breadcrumb.
	Title() string
	// Status is the line under the body: counts, marks, sort.
	Status() string
}

// Placement says where a layer draws.
type Placement int

const (
	// OverBody replaces the body (dialogs, help, forms).
	OverBody Placement = iota
	// StatusLine takes the status line (the palette, the filter being typed).
	StatusLine
)

// Layer is a modal component over the pages: while it is on top it gets every key.
type Layer interface {
	Component
	Placement() Placement
	// Crumb is added to the breadcrumbs while the layer is open ("" for none).
	Crumb() string
	// Done says the layer has finished (answered, cancelled, closed). The root removes it
	// as soon as the key that finished it is handled, so the next key, however fast it is
	// typed, reaches what is underneath; the layer's result message follows on its own.
	Done() bool
}

// Filterable is a page (or pane) whose rows `/` filters.
type Filterable interface {
	Filter() string
	SetFilter(string)
}

// ActionSource is a page that offers actions of the registry: the ones it lists, on the
// target it says (the row under the cursor, the marked rows, its service).
type ActionSource interface {
	Actions() []string
	Target() Target
}

// Copyable is one value the user may want on the clipboard: an id, an ARN, a DNS name.
type Copyable struct{ Label, Value string }

// Copier is a page that says what can be copied from where its cursor is (y offers them).
type Copier interface {
	Copyables() []Copyable
}

// KeyContexts is a page whose bindings change with its state (a service's tabs): for each
// state, by name, the bindings and actions that answer there.
type KeyContexts interface {
	KeyContexts() map[string][]string
}

// Crumbs is a page that adds breadcrumbs after its title (a service adds its tab).
type Crumbs interface {
	Crumbs() []string
}

// Target is what an action acts on, as the focused page knows it.
type Target struct {
	Service       *model.EndpointService
	Connections   []model.Connection
	Principals    []string // ARNs
	Notifications []string // notification ids
	// Hidden is how many of the marked items the current filter hides (they are included).
	Hidden int
	// Input holds a form's answers once the action asked for them.
	Input []string
	// Batches are the writes applying the approval policy makes (set by its confirmation).
	Batches []model.PolicyBatch
}

// ---- messages ------------------------------------------------------------------------------

// FlashLevel is how loud a flash is.
type FlashLevel int

const (
	FlashInfo FlashLevel = iota
	FlashOK
	FlashWarn
	FlashError
)

// FlashMsg asks the root to show a one-line message that clears itself.
type FlashMsg struct {
	Text  string
	Level FlashLevel
}

// Flash is a command that shows a flash.
func Flash(text string, level FlashLevel) tea.Cmd {
	return func() tea.Msg { return FlashMsg{Text: text, Level: level} }
}

// OpenServiceMsg asks the root to open a service's page on a tab, with the cursor on a row.
type OpenServiceMsg struct {
	ID    string
	Tab   int
	Focus string // row id to put the cursor on ("" keeps it)
}

// Open is a command that opens a service.
func Open(id string, tab int, focus string) tea.Cmd {
	return func() tea.Msg { return OpenServiceMsg{ID: id, Tab: tab, Focus: focus} }
}

// InfoMsg asks the root to show a text to read whole (a call's details), with something
// to copy from it.
type InfoMsg struct {
	Title               string
	Body                []string
	CopyText, CopyLabel string
}

// CopyMsg asks the root to put text on the terminal's clipboard.
type CopyMsg struct{ Label, Text string }

// DataChangedMsg tells the page on top of the stack that the store's content changed; it
// compares the versions it read and rebuilds what changed. Pages below get ShownMsg when
// they come back to the top.
type DataChangedMsg struct{}

// ShownMsg tells a page it came to the top of the stack (it may have missed changes).
type ShownMsg struct{}

// RefreshMsg tells the top page that a refresh started (explicit: the user asked), so it can
// re-read what only it shows (a service's detail, the API log).
type RefreshMsg struct{ Explicit bool }

// SessionChangedMsg tells every page that the session (profile or region) changed: what
// they show belongs to the old one.
type SessionChangedMsg struct{}

// ClearMarksMsg tells every page that a bulk action used its marks.
type ClearMarksMsg struct{}

// CloseLayerMsg asks the root to close a layer (the top one when Layer is nil).
type CloseLayerMsg struct{ Layer Layer }

// ClosePageMsg asks the root to take a page, and any page above it, off the navigation
// stack: a flow of its own (the wizard, the safe delete) finished or was cancelled. Home
// goes back to the home page instead (what the flow came from is gone). Flash, when set, is
// said on the page shown after the close (a flash sent alongside could land on the closing
// page and vanish with it).
type ClosePageMsg struct {
	ID    string
	Home  bool
	Flash *FlashMsg
}

// Send turns a message into a command.
func Send(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
