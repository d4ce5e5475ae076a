package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/plconsole/plconsole/model"
)

// demoCustomers names the demo world's consumer accounts as an accounts file would: every
// third one gold, one internal, the rest standard.
func demoCustomers(e *simEnv) *model.Customers {
	tiers := []string{"gold", "standard", "internal", "standard"}
	var cs []model.Customer
	n := 0
	for _, a := range e.region.Server.Accounts() {
		if a.Provider {
			continue
		}
		words := strings.Split(a.Name, "-")
		for i, w := range words {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
		cs = append(cs, model.Customer{Account: a.ID, Name: strings.Join(words, " "), Tier: tiers[n%len(tiers)]})
		n++
	}
	return model.NewCustomers("accounts.toml", cs...)
}

func yesPtr(b bool) *bool { return &b }

// demoPolicy is the policy of the policy screens: internal accounts in, gold accounts in up
// to two endpoints each, not-allowed accounts out, the rest held.
func demoPolicy() *model.Policy {
	return &model.Policy{Source: "policy.toml", Rules: []model.PolicyRule{
		{Name: "internal", Tiers: []string{"internal"}, Decision: model.DecisionAccept, Line: 1},
		{Name: "gold, 2 each", Tiers: []string{"gold"}, AllowedPrincipal: yesPtr(true), MaxEndpointsPerAccount: 2, Decision: model.DecisionAccept, Line: 6},
		{Name: "not allowed", AllowedPrincipal: yesPtr(false), Decision: model.DecisionReject, Line: 13},
		{Name: "the rest", Decision: model.DecisionHold, Line: 18},
	}}
}

// withNames gives the console the demo accounts file and policy.
func withNames(e *simEnv) func(*Options) {
	return func(o *Options) {
		o.Customers = demoCustomers(e)
		o.Policy = demoPolicy()
		o.SaveCustomer = func(model.Customer) error { return nil }
	}
}

// removeRole removes payments-api's role principal through the console (its owner keeps
// a pending and live connections, which the audit then finds).
var removeRole = []string{"enter", "wait:1 Overview", "3", "wait:privatelink-consumer", "G", "-", "wait:Remove 1 principal", "y", "wait:removed 1 principal"}

func policyScreens() []screen {
	return []screen{
		{name: "inbox_suggestions", keys: steps("c"), wait: "policy:"},
		{name: "dialog_apply_policy", keys: steps("c", "wait:policy:", "A"), wait: "Apply the approval policy"},
		{name: "principals_names", keys: steps(openPayments, "3"), wait: "CUSTOMER"},
		{name: "describe_connection", keys: steps("c", "i"), wait: "Customer"},
		{name: "audit", keys: steps(removeRole, ":", "type:audit", "enter"), wait: "Connected to 3 services"},
		{name: "dialog_reject_not_allowed", keys: steps(removeRole, ":", "type:audit", "enter", "wait:Connected to 3 services", "X"), wait: "removed principals?"},
	}
}

// TestGoldenPolicy renders the inbox with the policy's suggestions, the apply-policy
// dialog, names in the principals tab and a connection's description, and the access audit,
// on the demo world with an accounts file and a policy.
func TestGoldenPolicy(t *testing.T) {
	for _, sc := range policyScreens() {
		for _, size := range [][2]int{{120, 40}, {80, 24}} {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				t.Parallel()
				e := newSimEnv(t, model.ModeDemo)
				o := e.options()
				withNames(e)(&o)
				tm := teatest.NewTestModel(t, New(e.backend, o), teatest.WithInitialTermSize(size[0], size[1]))
				runSteps(t, tm, e, sc)
				if err := tm.Quit(); err != nil {
					t.Fatal(err)
				}
				final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second))
				golden.RequireEqual(t, []byte(final.View()))
			})
		}
	}
}
