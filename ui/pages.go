package ui

import (
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/prompt"
	"github.com/plconsole/plconsole/ui/pages/apilog"
	"github.com/plconsole/plconsole/ui/pages/audit"
	"github.com/plconsole/plconsole/ui/pages/consumer"
	"github.com/plconsole/plconsole/ui/pages/detail"
	"github.com/plconsole/plconsole/ui/pages/inbox"
	"github.com/plconsole/plconsole/ui/pages/overview"
	"github.com/plconsole/plconsole/ui/pages/safedelete"
	"github.com/plconsole/plconsole/ui/pages/services"
	"github.com/plconsole/plconsole/ui/pages/wizard"
)

// pageSpec registers one screen: how it is made, and how the user reaches it (a palette
// command, a global key). Adding a screen is its package plus one entry here.
type pageSpec struct {
	id  string
	new func(*common.Context) common.Page
	// command is the palette command that shows the page ("" for none), with its help and
	// aliases.
	command string
	aliases []string
	help    string
	// key is the global binding that shows the page ("" for none), its default keys and
	// help text.
	key     string
	keys    []string
	keyHelp string
	// bindings declares the page's own key bindings in the key map (nil for none).
	bindings func(*common.KeyMap)
}

// homePage is the bottom of the navigation stack.
const homePage = services.ID

var pageSpecs = []pageSpec{
	{id: services.ID, new: func(c *common.Context) common.Page { return services.New(c) },
		command: "services", aliases: []string{"svc", "svcs"}, help: "every endpoint service",
		key: "services", keys: []string{"ctrl+s"}, keyHelp: "services"},
	{id: inbox.ID, new: func(c *common.Context) common.Page { return inbox.New(c) },
		command: "connections", aliases: []string{"conn", "conns", "inbox"}, help: "the connections inbox across services",
		key: "inbox", keys: []string{"c"}, keyHelp: "connections"},
	{id: detail.ID, new: func(c *common.Context) common.Page { return detail.New(c) }},
	{id: overview.ID, new: func(c *common.Context) common.Page { return overview.New(c) },
		command: "overview", aliases: []string{"fleet", "home"}, help: "the fleet at a glance: totals, health, traffic"},
	{id: consumer.ID, new: func(c *common.Context) common.Page { return consumer.New(c) }},
	{id: apilog.ID, new: func(c *common.Context) common.Page { return apilog.New(c) },
		command: "log", help: "the API-call log",
		key: "apiLog", keys: []string{"@"}, keyHelp: "API log"},
	{id: audit.ID, new: func(c *common.Context) common.Page { return audit.New(c) },
		command: "audit", aliases: []string{"access"}, help: "who may connect against who is connected"},
	{id: wizard.ID, new: func(c *common.Context) common.Page { return wizard.New(c) },
		bindings: func(k *common.KeyMap) { wizard.RegisterKeys(k); prompt.RegisterKeys(k) }},
	{id: safedelete.ID, new: func(c *common.Context) common.Page { return safedelete.New(c) },
		bindings: safedelete.RegisterKeys},
}

// pageKeys are the pages' global keys, for the key map.
func pageKeys() []common.ViewKey {
	var out []common.ViewKey
	for _, s := range pageSpecs {
		if s.key != "" {
			out = append(out, common.ViewKey{Name: s.key, Help: s.keyHelp, Keys: s.keys})
		}
	}
	return out
}
