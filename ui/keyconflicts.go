package ui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/plconsole/plconsole/ui/common"
)

// globalKeyNames are the bindings every screen answers to.
func globalKeyNames() []string {
	names := []string{common.KeyQuit, common.KeyHelp, common.KeyPalette, common.KeyFilter, common.KeyRefresh, common.KeyBack, common.KeyCopy}
	for _, s := range pageSpecs {
		if s.key != "" {
			names = append(names, s.key)
		}
	}
	return names
}

// keyContexts lists, for every place keys are pressed (each page, each tab of the service
// page), the bindings that answer there: the globals, the page's own, and the actions it
// offers.
func keyContexts(pages map[string]common.Page) map[string][]string {
	out := map[string][]string{}
	globals := globalKeyNames()
	for _, p := range pages {
		if kc, ok := p.(common.KeyContexts); ok {
			for name, names := range kc.KeyContexts() {
				out[name] = append(append([]string{}, globals...), names...)
			}
			continue
		}
		names := append(append([]string{}, globals...), p.KeyBindings()...)
		if src, ok := p.(common.ActionSource); ok {
			names = append(names, src.Actions()...)
		}
		out[p.Title()+" ("+p.ID()+")"] = names
	}
	return out
}

// keyConflicts reports keys bound to two bindings that answer in the same place: with
// [keys] accept = ["a"] and reject = ["a"], reject could never be pressed.
func keyConflicts(k *common.KeyMap, contexts map[string][]string) error {
	type clash struct{ key, a, b string }
	seen := map[clash][]string{}
	for where, names := range contexts {
		owner := map[string]string{}
		for _, n := range names {
			b := k.Get(n)
			if b == nil {
				continue
			}
			for _, key := range b.Keys() {
				if o, taken := owner[key]; taken && o != n {
					a, bb := o, n
					if a > bb {
						a, bb = bb, a
					}
					c := clash{key, a, bb}
					seen[c] = append(seen[c], where)
					continue
				}
				owner[key] = n
			}
		}
	}
	if len(seen) == 0 {
		return nil
	}
	var msgs []string
	for c, places := range seen {
		sort.Strings(places)
		msgs = append(msgs, fmt.Sprintf("key %q is bound to both %s and %s (on %s)", common.KeyLabel(c.key), c.a, c.b, strings.Join(places, ", ")))
	}
	sort.Strings(msgs)
	return fmt.Errorf("%s: rebind one of each in [keys]", strings.Join(msgs, "; "))
}
