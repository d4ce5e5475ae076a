package ui

import (
	"strings"
	"testing"
)

// The default bindings do not clash anywhere (+ adds a principal on one tab and a
// notification on another: different places).
func TestDefaultKeysDoNotClash(t *testing.T) {
	if err := ValidateOptions(Options{}); err != nil {
		t.Fatal(err)
	}
}

// A key bound to two bindings that answer in the same place is refused at start, naming
// both and where.
func TestClashingKeyOverridesAreRefused(t *testing.T) {
	for _, tc := range []struct {
		keys map[string][]string
		want []string
	}{
		{map[string][]string{"accept": {"a"}, "reject": {"a"}}, []string{`key "a" is bound to both accept and reject`, "Connections (inbox)"}},
		{map[string][]string{"accept": {"q"}}, []string{`key "q" is bound to both accept and quit`}},
		{map[string][]string{"deleteService": {"c"}}, []string{`key "c" is bound to both deleteService and inbox`, "Services (services)"}},
		{map[string][]string{"addNotification": {"v"}}, []string{`key "v" is bound to both addNotification and verifyDNS`, "the service's Notifications tab"}},
	} {
		err := ValidateOptions(Options{KeyOverrides: tc.keys})
		if err == nil {
			t.Errorf("%v: accepted", tc.keys)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: %v lacks %q", tc.keys, err, w)
			}
		}
	}
	// the running console says so too, and keeps the defaults' meaning for the rest
	m := newTestRoot(t, newTestBackend(t), 120, 40, func(o *Options) { o.KeyOverrides = map[string][]string{"accept": {"q"}} })
	mustContain(t, m.View(), `key "q" is bound to both accept and quit`)
}
