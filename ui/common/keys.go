package common

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Names of the bindings every screen shares. Actions (accept, reject, …) add theirs from
// the action registry; the config file rebinds any of them by name.
const (
	KeyUp          = "up"
	KeyDown        = "down"
	KeyPageUp      = "pageUp"
	KeyPageDown    = "pageDown"
	KeyTop         = "top"
	KeyBottom      = "bottom"
	KeyEnter       = "enter"
	KeyBack        = "back"
	KeyNextTab     = "nextTab"
	KeyPrevTab     = "prevTab"
	KeyJumpTab     = "jumpTab"
	KeyPalette     = "palette"
	KeyFilter      = "filter"
	KeySortNext    = "sortNext"
	KeySortReverse = "sortReverse"
	KeyRefresh     = "refresh"
	KeyHelp        = "help"
	KeyQuit        = "quit"
	KeyCopy        = "copy"
	KeyMark        = "mark"
	KeyMarkAll     = "markAll"
)

// Help groups, in the order the help screen shows them.
const (
	GroupNavigate    = "Navigate"
	GroupViews       = "Views"
	GroupConnections = "Connections"
	GroupService     = "Service"
)

// NavigationKeys are the movement bindings every table handles.
var NavigationKeys = []string{KeyUp, KeyDown, KeyPageUp, KeyPageDown, KeyTop, KeyBottom}

// Binding is one named key binding: its keys and help, the help group it is listed in, and
// whether it changes AWS (refused, and shown struck through, in read-only mode).
type Binding struct {
	key.Binding
	Name  string
	Group string
	Write bool
	// Hidden bindings are handled but not listed in the full help (the tab digits are
	// listed with the tab keys' text instead).
	Hidden bool
}

// KeyMap is the registry of every binding, in declaration order.
type KeyMap struct {
	list   []*Binding
	byName map[string]*Binding
}

// ViewKey is a global key that shows a page (declared by the page registry).
type ViewKey struct {
	Name, Help string
	Keys       []string
}

// NewKeyMap declares the bindings every screen shares (k9s / lazygit flavoured defaults);
// views are the pages' own keys, listed after the command palette's.
func NewKeyMap(views ...ViewKey) *KeyMap {
	k := &KeyMap{byName: map[string]*Binding{}}
	nav := func(name, help string, keys ...string) { k.Add(name, GroupNavigate, help, false, keys...) }
	view := func(name, help string, keys ...string) { k.Add(name, GroupViews, help, false, keys...) }
	nav(KeyUp, "up", "up", "k")
	nav(KeyDown, "down", "down", "j")
	nav(KeyPageUp, "page up", "pgup", "ctrl+b")
	nav(KeyPageDown, "page down", "pgdown", "ctrl+f")
	nav(KeyTop, "top", "home", "g")
	nav(KeyBottom, "bottom", "end", "G")
	nav(KeyEnter, "open", "enter")
	nav(KeyBack, "back", "esc")
	nav(KeyNextTab, "next tab", "tab", "l", "right")
	nav(KeyPrevTab, "prev tab", "shift+tab", "h", "left")
	k.Add(KeyJumpTab, GroupNavigate, "tab by number", false, "1", "2", "3", "4", "5", "6", "7", "8", "9").Hidden = true
	view(KeyPalette, "command", ":")
	for _, v := range views {
		k.Add(v.Name, GroupViews, v.Help, false, v.Keys...)
	}
	view(KeyFilter, "filter", "/")
	view(KeySortNext, "sort column", "s")
	view(KeySortReverse, "reverse sort", "S")
	view(KeyRefresh, "refresh", "r")
	view(KeyCopy, "copy", "y")
	view(KeyHelp, "help", "?")
	view(KeyQuit, "quit", "q", "ctrl+c")
	k.Add(KeyMark, GroupConnections, "mark", false, " ").SetHelp("space", "mark")
	k.Add(KeyMarkAll, GroupConnections, "mark filtered", false, "ctrl+a")
	return k
}

// Add declares a binding; the first key is the one help shows.
func (k *KeyMap) Add(name, group, help string, write bool, keys ...string) *Binding {
	b := &Binding{Binding: key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], help)), Name: name, Group: group, Write: write}
	if old, ok := k.byName[name]; ok {
		*old = *b
		return old
	}
	k.list = append(k.list, b)
	k.byName[name] = b
	return b
}

// Get returns a binding by name (nil when unknown).
func (k *KeyMap) Get(name string) *Binding { return k.byName[name] }

// Is reports whether msg is one of the named binding's keys.
func (k *KeyMap) Is(msg tea.KeyMsg, name string) bool {
	b := k.byName[name]
	return b != nil && key.Matches(msg, b.Binding)
}

// Match returns the first of names whose binding msg matches.
func (k *KeyMap) Match(msg tea.KeyMsg, names []string) (string, bool) {
	for _, n := range names {
		if k.Is(msg, n) {
			return n, true
		}
	}
	return "", false
}

// Names lists every binding name, for the config file's [keys] section.
func (k *KeyMap) Names() []string {
	out := make([]string, len(k.list))
	for i, b := range k.list {
		out[i] = b.Name
	}
	return out
}

// ApplyOverrides rebinds bindings by name (case-insensitive). Unknown names are reported,
// not ignored silently.
func (k *KeyMap) ApplyOverrides(overrides map[string][]string) error {
	byLower := map[string]*Binding{}
	for _, b := range k.list {
		byLower[strings.ToLower(b.Name)] = b
	}
	var unknown []string
	for name, keys := range overrides {
		b, ok := byLower[strings.ToLower(name)]
		if !ok {
			unknown = append(unknown, name)
			continue
		}
		if len(keys) == 0 {
			continue
		}
		norm := make([]string, len(keys))
		for i, kk := range keys {
			if kk == "space" {
				kk = " "
			}
			norm[i] = kk
		}
		b.SetKeys(norm...)
		b.SetHelp(keys[0], b.Help().Desc)
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("unknown key actions %s (known: %s)", strings.Join(unknown, ", "), strings.Join(k.Names(), ", "))
	}
	return nil
}

// HelpGroup is one titled column of the full help.
type HelpGroup struct {
	Title    string
	Bindings []*Binding
}

// Groups lists the bindings by help group, groups and bindings in declaration order.
func (k *KeyMap) Groups() []HelpGroup {
	var out []HelpGroup
	at := map[string]int{}
	for _, b := range k.list {
		if b.Hidden {
			continue
		}
		i, ok := at[b.Group]
		if !ok {
			i = len(out)
			at[b.Group] = i
			out = append(out, HelpGroup{Title: b.Group})
		}
		out[i].Bindings = append(out[i].Bindings, b)
	}
	return out
}

// KeyLabel is how help shows a key ("space" for " ").
func KeyLabel(k string) string {
	if k == " " {
		return "space"
	}
	return k
}
