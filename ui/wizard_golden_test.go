package ui

import (
	"regexp"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/model"
)

var pendingSeen = regexp.MustCompile(`(?m) as pending\s*$`)

var requestIDRe = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// wizardScreen is one golden screen of the wizard, the editor or the safe delete: how to
// reach it with keys from the services list.
type wizardScreen struct {
	name  string
	mode  model.Mode
	setup func(t *testing.T, e *simEnv) // before the console starts
	opts  func(t *testing.T, e *simEnv) func(*Options)
	reach func(l *live, e *simEnv)
}

// toSettings opens the wizard on orders-nlb and goes to the settings.
func (l *live) toSettings() {
	l.press("n")
	l.step("Load balancers")
	l.pick("orders-nlb")
	l.press("enter")
	l.step("Preflight")
	l.press("enter")
	l.step("Settings")
	l.field("name")
}

func wizardScreens() []wizardScreen {
	bare := ordersAnswers()
	bare.dns, bare.principals, bare.topic = "", "", ""
	return []wizardScreen{
		{name: "wizard_lbs", reach: func(l *live, e *simEnv) {
			l.press("n")
			l.step("Load balancers")
			l.untilView("orders-nlb", "Zones")
		}},
		{name: "wizard_lbs_refused", reach: func(l *live, e *simEnv) {
			l.press("n")
			l.step("Load balancers")
			l.pick("web-alb")
			l.untilView("web-alb is an Application Load Balancer")
		}},
		{name: "wizard_preflight_clear", reach: func(l *live, e *simEnv) {
			l.toSettings()
			l.press("esc")
			l.step("Preflight")
		}},
		{name: "wizard_preflight_critical", setup: func(t *testing.T, e *simEnv) { freeLedgerNLB(t, e) }, reach: func(l *live, e *simEnv) {
			l.press("n")
			l.step("Load balancers")
			l.pick("ledger-ingest-nlb")
			l.press("enter")
			l.step("Preflight")
			l.press("space")
			l.untilView("[x] acknowledged")
		}},
		{name: "wizard_settings", reach: func(l *live, e *simEnv) { l.toSettings() }},
		{name: "wizard_settings_invalid", reach: func(l *live, e *simEnv) {
			l.toSettings()
			l.fill("name", "orders-api")
			l.next("acceptance")
			l.fill("dns", "Orders.Example.com")
			l.untilView("has uppercase letters")
		}},
		{name: "wizard_access", reach: func(l *live, e *simEnv) {
			l.toReview(ordersAnswers())
			l.press("esc")
			l.step("Access")
			l.field("principals")
		}},
		{name: "wizard_access_everyone", reach: func(l *live, e *simEnv) {
			a := ordersAnswers()
			a.automatic, a.principals = true, "*"
			l.toReview(a)
			l.press("esc")
			l.step("Access")
			l.next("principals")
			l.field("everyone")
		}},
		{name: "wizard_review", reach: func(l *live, e *simEnv) { l.toReview(ordersAnswers()) }},
		{name: "wizard_review_readonly", mode: model.ModeReadOnly, reach: func(l *live, e *simEnv) {
			l.toReview(ordersAnswers())
			l.press("enter")
			l.untilView("the create was not sent")
		}},
		{name: "wizard_create_failed", reach: func(l *live, e *simEnv) {
			l.toReview(ordersAnswers())
			e.region.Faults().Set(sim.FaultConfig{ServerErrorRatio: 1, Only: []string{"CreateVpcEndpointConnectionNotification"}})
			l.press("enter")
			l.step("Create")
			l.untilView("What exists now", "✗ no notification")
			e.region.Faults().Set(sim.FaultConfig{})
		}},
		{name: "wizard_created", reach: func(l *live, e *simEnv) { l.toCreated(e, ordersAnswers()) }},
		{name: "wizard_dns_failed", reach: func(l *live, e *simEnv) {
			l.toCreated(e, ordersAnswers())
			l.press("v")
			l.untilView("AWS is looking the record up")
			e.clock.Advance(sim.DNSVerifyDelay + time.Second)
			l.untilView("✗ Verification failed")
		}},
		{name: "wizard_consumer_accept", opts: func(t *testing.T, e *simEnv) func(*Options) { return consumerOptions(t, e) },
			reach: func(l *live, e *simEnv) { l.toAcceptPrompt(e, bare) }},
		{name: "wizard_consumer_done", opts: func(t *testing.T, e *simEnv) func(*Options) { return consumerOptions(t, e) },
			reach: func(l *live, e *simEnv) {
				l.toAcceptPrompt(e, bare)
				l.press("y")
				l.until("the provider to see it pending", func(r *Root) bool { return pendingSeen.MatchString(plain(r.View())) })
				e.clock.Advance(sim.PendingToAvailableDelay + time.Second)
				l.untilView("Delete the test endpoint")
				l.press("y")
				l.untilView("delete requested", "is deleting")
				e.clock.Advance(sim.EndpointDeleteDelay + time.Second)
				l.untilView("the test is over")
			}},
		{name: "edit_review", setup: func(t *testing.T, e *simEnv) { twoLBService(t, e) }, reach: func(l *live, e *simEnv) { l.editToReview() }},
		{name: "edit_applied", setup: func(t *testing.T, e *simEnv) { twoLBService(t, e) }, reach: func(l *live, e *simEnv) {
			l.editToReview()
			l.press("enter")
			l.untilView("two-lbs is changed")
		}},
		{name: "safedelete_confirm", reach: func(l *live, e *simEnv) {
			l.openSafeDelete(e, "search-gateway")
			l.untilView("Reject these")
		}},
		{name: "safedelete_gone", reach: func(l *live, e *simEnv) {
			l.openSafeDelete(e, "search-gateway")
			l.untilView("Reject these")
			l.press("y")
			l.untilView("✓ rejected", "y yes")
			l.press("y")
			l.untilView("is gone")
		}},
	}
}

// TestGoldenWizard renders every step of the wizard, the editor and the safe delete at
// 120×40 and 80×24, reached with keys on the demo world.
func TestGoldenWizard(t *testing.T) {
	for _, sc := range wizardScreens() {
		eachGoldenSize(t, sc.name, sc.mode, nil, func(t *testing.T, e *simEnv, w, h int) {
			if sc.setup != nil {
				sc.setup(t, e)
			}
			var mut []func(*Options)
			if sc.opts != nil {
				mut = append(mut, sc.opts(t, e))
			}
			l := startLive(t, e, w, h, mut...)
			sc.reach(l, e)
			waitIdle(t, e.backend)
			l.until("the store to settle", func(r *Root) bool { return !r.ctx.Store.Refreshing() })
			var view string
			l.do(func(r *Root) { view = r.View() })
			// request ids are new on every run
			view = requestIDRe.ReplaceAllString(view, "00000000-0000-4000-8000-000000000000")
			golden.RequireEqual(t, []byte(view))
		})
	}
}
