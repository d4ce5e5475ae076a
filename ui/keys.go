package ui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// KeyMap holds every binding. Help (short and full) is generated from it, and the config
// file's key overrides rebind it by action name.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Enter, Back, Quit, Help, Palette        key.Binding
	Filter, Refresh, SortNext, SortReverse  key.Binding
	Mark, MarkAll, Accept, Reject           key.Binding
	Inbox, Services, APILog                 key.Binding
	NextTab, PrevTab                        key.Binding
	Add, Remove, VerifyDNS, Copy, Payer     key.Binding
	DeleteService                           key.Binding
}

// DefaultKeyMap is the k9s / lazygit flavoured default binding set.
func DefaultKeyMap() *KeyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], help))
	}
	k := &KeyMap{
		Up:            b("up", "up", "k"),
		Down:          b("down", "down", "j"),
		PageUp:        b("page up", "pgup", "ctrl+b"),
		PageDown:      b("page down", "pgdown", "ctrl+f"),
		Top:           b("top", "home", "g"),
		Bottom:        b("bottom", "end", "G"),
		Enter:         b("open", "enter"),
		Back:          b("back", "esc"),
		Quit:          b("quit", "q", "ctrl+c"),
		Help:          b("help", "?"),
		Palette:       b("command", ":"),
		Filter:        b("filter", "/"),
		Refresh:       b("refresh", "r"),
		SortNext:      b("sort column", "s"),
		SortReverse:   b("reverse sort", "S"),
		Mark:          b("mark", " "),
		MarkAll:       b("mark filtered", "ctrl+a"),
		Accept:        b("accept", "a"),
		Reject:        b("reject", "x"),
		Inbox:         b("connections", "c"),
		Services:      b("services", "ctrl+s"),
		APILog:        b("API log", "@"),
		NextTab:       b("next tab", "tab", "l", "right"),
		PrevTab:       b("prev tab", "shift+tab", "h", "left"),
		Add:           b("add", "+", "insert"),
		Remove:        b("remove", "-", "delete"),
		VerifyDNS:     b("verify DNS", "v"),
		Copy:          b("copy TXT", "y"),
		Payer:         b("payer", "p"),
		DeleteService: b("delete service", "D"),
	}
	k.Mark.SetHelp("space", "mark")
	return k
}

// bindings names each binding for overrides and help.
func (k *KeyMap) bindings() []namedBinding {
	return []namedBinding{
		{"up", &k.Up}, {"down", &k.Down}, {"pageUp", &k.PageUp}, {"pageDown", &k.PageDown},
		{"top", &k.Top}, {"bottom", &k.Bottom}, {"enter", &k.Enter}, {"back", &k.Back},
		{"quit", &k.Quit}, {"help", &k.Help}, {"palette", &k.Palette}, {"filter", &k.Filter},
		{"refresh", &k.Refresh}, {"sortNext", &k.SortNext}, {"sortReverse", &k.SortReverse},
		{"mark", &k.Mark}, {"markAll", &k.MarkAll}, {"accept", &k.Accept}, {"reject", &k.Reject},
		{"inbox", &k.Inbox}, {"services", &k.Services}, {"apiLog", &k.APILog},
		{"nextTab", &k.NextTab}, {"prevTab", &k.PrevTab}, {"add", &k.Add}, {"remove", &k.Remove},
		{"verifyDNS", &k.VerifyDNS}, {"copy", &k.Copy}, {"payer", &k.Payer},
		{"deleteService", &k.DeleteService},
	}
}

type namedBinding struct {
	name string
	b    *key.Binding
}

// KeyActionNames lists the action names KeyOverrides accepts.
func KeyActionNames() []string {
	var names []string
	for _, nb := range DefaultKeyMap().bindings() {
		names = append(names, nb.name)
	}
	return names
}

// ApplyOverrides rebinds actions by name. Unknown names are reported, not ignored silently.
func (k *KeyMap) ApplyOverrides(overrides map[string][]string) error {
	byName := map[string]*key.Binding{}
	for _, nb := range k.bindings() {
		byName[strings.ToLower(nb.name)] = nb.b
	}
	var unknown []string
	for name, keys := range overrides {
		b, ok := byName[strings.ToLower(name)]
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
		label := keys[0]
		b.SetHelp(label, b.Help().Desc)
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("unknown key actions %s (known: %s)", strings.Join(unknown, ", "), strings.Join(KeyActionNames(), ", "))
	}
	return nil
}

// helpGroup is one titled column of the full help.
type helpGroup struct {
	title    string
	bindings []*key.Binding
}

func (k *KeyMap) fullHelp() []helpGroup {
	return []helpGroup{
		{"Navigate", []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.Enter, &k.Back, &k.NextTab, &k.PrevTab}},
		{"Views", []*key.Binding{&k.Palette, &k.Inbox, &k.Services, &k.APILog, &k.Filter, &k.SortNext, &k.SortReverse, &k.Refresh, &k.Help, &k.Quit}},
		{"Connections", []*key.Binding{&k.Mark, &k.MarkAll, &k.Accept, &k.Reject}},
		{"Service", []*key.Binding{&k.Add, &k.Remove, &k.VerifyDNS, &k.Copy, &k.Payer, &k.DeleteService}},
	}
}

// isWrite says whether a binding changes AWS (disabled in read-only mode).
func (k *KeyMap) isWrite(b *key.Binding) bool {
	switch b {
	case &k.Accept, &k.Reject, &k.Add, &k.Remove, &k.VerifyDNS, &k.Payer, &k.DeleteService:
		return true
	}
	return false
}
