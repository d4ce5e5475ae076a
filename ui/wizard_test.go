package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plconsole/plconsole/awsops"
	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/awsopstest"
	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/servicespec"
	"github.com/plconsole/plconsole/ui/pages/safedelete"
	"github.com/plconsole/plconsole/ui/pages/services"
	"github.com/plconsole/plconsole/ui/pages/wizard"
	"github.com/plconsole/plconsole/ui/store"
)

// The wizard's tests drive the console with keys only, against the simulated region
// through the real awsops client, and check what the region holds afterwards with the same
// client and its request counters.

const topic = "arn:aws:sns:us-east-1:111122223333:pl-events"

func bg(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), liveWait)
	t.Cleanup(cancel)
	return ctx
}

// writes counts the requests that could have changed anything: every operation but the
// reads.
func writes(st sim.StatsSnapshot) int64 {
	var n int64
	for _, ops := range st.Requests {
		for op, s := range ops {
			if !strings.HasPrefix(op, "Describe") && !strings.HasPrefix(op, "Get") && !strings.HasPrefix(op, "List") {
				n += s.Total
			}
		}
	}
	return n
}

// noWrites fails the test when the region has received a write since its counters were
// reset; what says when.
func noWrites(t testing.TB, e *simEnv, what string) {
	t.Helper()
	if n := writes(e.region.Stats()); n != 0 {
		t.Fatalf("%s: %d write requests reached the region", what, n)
	}
}

// pick moves the load balancer picker's cursor to name and chooses it (or drops it).
func (l *live) pick(name string) {
	l.t.Helper()
	l.untilView(name)
	l.press("g")
	for range 20 {
		var cur string
		l.do(func(r *Root) { cur = wiz(r).LoadBalancerAtCursor() })
		if cur == name {
			l.press("space")
			return
		}
		l.press("down")
	}
	l.t.Fatalf("no load balancer %s in the picker:\n%s", name, l.view())
}

// answers are what a test fills in; empty fields keep the form's value.
type answers struct {
	lb, name, dns, regions, tags, principals, topic string
	automatic                                       bool
	gateway                                         bool // a GWLB: no private DNS name, no payer
}

// toReview opens the wizard and answers every step up to the review.
func (l *live) toReview(a answers) {
	l.t.Helper()
	l.press("n")
	l.step("Load balancers")
	l.pick(a.lb)
	l.press("enter")
	l.step("Preflight")
	l.press("enter")
	l.step("Settings")
	l.fill("name", a.name)
	l.field("acceptance")
	if a.automatic {
		l.press("n")
	} else {
		l.press("enter")
	}
	if !a.gateway {
		l.fill("dns", a.dns)
	}
	l.next("ipTypes")
	l.fill("regions", a.regions)
	if !a.gateway {
		l.next("payer")
	}
	l.fill("tags", a.tags)
	l.step("Access")
	l.fill("principals", a.principals)
	if a.automatic && strings.Contains(a.principals, "*") {
		l.fill("everyone", "everyone")
	}
	l.fill("topic", a.topic)
	l.next("events")
	l.step("Review")
}

func ordersAnswers() answers {
	return answers{lb: "orders-nlb", name: "orders-api", dns: "orders.example.com", regions: "eu-west-1",
		tags: "team=orders", principals: "444455556666", topic: topic}
}

func (l *live) created() model.EndpointService {
	l.t.Helper()
	var svc model.EndpointService
	l.until("the service is created", func(r *Root) bool {
		var ok bool
		svc, ok = wiz(r).Created()
		return ok
	})
	return svc
}

func lbARNByName(t testing.TB, c *awsops.Client, name string) string {
	t.Helper()
	lbs, err := c.ListLoadBalancers(bg(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, lb := range lbs {
		if lb.Name == name {
			return lb.ARN
		}
	}
	t.Fatalf("no load balancer %s", name)
	return ""
}

func serviceByLabel(t testing.TB, c *awsops.Client, label string) model.EndpointService {
	t.Helper()
	svcs, err := c.ListServices(bg(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range svcs {
		if s.Label() == label {
			return s
		}
	}
	t.Fatalf("no service %s", label)
	return model.EndpointService{}
}

// freeLedgerNLB deletes ledger-ingest (rejecting its connections first) so its load
// balancer, which has a zone with no healthy target, is free for a new service.
func freeLedgerNLB(t testing.TB, e *simEnv) {
	t.Helper()
	svc := serviceByLabel(t, e.client, "ledger-ingest")
	conns, err := e.client.ListConnections(bg(t), svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range conns {
		if c.State.BlocksServiceDelete() {
			ids = append(ids, c.EndpointID)
		}
	}
	if _, err := e.client.RejectConnections(bg(t), svc.ID, ids); err != nil {
		t.Fatal(err)
	}
	if err := e.client.DeleteService(bg(t), svc.ID); err != nil {
		t.Fatal(err)
	}
}

// toCreated creates a service with the answers and waits until it is Available.
func (l *live) toCreated(e *simEnv, a answers) model.EndpointService {
	l.t.Helper()
	l.toReview(a)
	l.press("enter")
	l.step("Verify & test")
	svc := l.created()
	e.clock.Advance(sim.ServiceCreateDelay + time.Second)
	l.untilAvailable()
	return svc
}

// toAcceptPrompt creates a service, then runs the test consumer (the region's first
// consumer account, allowed when asked) until its request waits to be accepted.
func (l *live) toAcceptPrompt(e *simEnv, a answers) model.EndpointService {
	l.t.Helper()
	svc := l.toCreated(e, a)
	l.press("t")
	l.step("Test consumer")
	l.next("profile")
	l.untilView("Account "+e.region.ConsumerAccounts()[0]+" is not an allowed principal", "y yes")
	l.press("y")
	l.next("vpc")
	l.next("subnets")
	l.next("group")
	l.untilView("Create an interface endpoint")
	l.press("y")
	l.untilView("Accept it (AcceptVpcEndpointConnections)?")
	return svc
}

// openSafeDelete opens a service's page, presses D, types its id and waits for the safe
// delete.
func (l *live) openSafeDelete(e *simEnv, label string) model.EndpointService {
	l.t.Helper()
	svc := serviceByLabel(l.t, e.client, label)
	l.press(":")
	l.typeText("service " + label)
	l.press("enter")
	l.untilView("1 Overview")
	l.press("D")
	l.untilView("Type the service id", "asks before each step")
	l.typeText(svc.ID)
	l.press("enter")
	l.until("the safe delete", func(r *Root) bool { return topID(r) == safedelete.ID })
	return svc
}

// A clean create: every step answered, the review read, one create with its principals
// and notification; the region holds exactly what the review said.
func TestWizardCleanCreate(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	l := startLive(t, e, 120, 40)
	e.region.ResetStats()
	l.toReview(ordersAnswers())
	l.untilView("API calls, in order", "1. CreateVpcEndpointServiceConfiguration", "2. ModifyVpcEndpointServicePermissions",
		"3. CreateVpcEndpointConnectionNotification")
	l.press("pgdown")
	l.untilView("aws ec2 create-vpc-endpoint-service-configuration", "--client-token plconsole-test-token-1")
	l.press("G")
	l.untilView(`resource "aws_vpc_endpoint_service_allowed_principal"`, `resource "aws_vpc_endpoint_connection_notification"`)
	noWrites(t, e, "before the create")
	l.press("enter")
	l.step("Verify & test")
	svc := l.created()
	l.untilView("✓ Created orders-api", "_", "vpce:")

	got, err := e.client.ServiceDetail(bg(t), svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	ordersARN := lbARNByName(t, e.client, "orders-nlb")
	var regions []string
	for _, r := range got.SupportedRegions {
		regions = append(regions, r.Region)
	}
	switch {
	case !slices.Equal(got.NetworkLoadBalancers, []string{ordersARN}), !got.AcceptanceRequired,
		got.PrivateDNS == nil || got.PrivateDNS.Name != "orders.example.com",
		!slices.Contains(regions, "eu-west-1"), got.Tags["Name"] != "orders-api", got.Tags["team"] != "orders":
		t.Fatalf("the service is not what was asked for: %+v", got)
	case len(got.AllowedPrincipals) != 1 || got.AllowedPrincipals[0].ARN != "arn:aws:iam::444455556666:root":
		t.Fatalf("principals %+v", got.AllowedPrincipals)
	case len(got.Notifications) != 1 || got.Notifications[0].TopicARN != topic || len(got.Notifications[0].Events) != 4:
		t.Fatalf("notifications %+v", got.Notifications)
	}
	st := e.region.Stats()
	for op, want := range map[string]int64{"CreateVpcEndpointServiceConfiguration": 1, "ModifyVpcEndpointServicePermissions": 1,
		"CreateVpcEndpointConnectionNotification": 1, "ModifyVpcEndpointServicePayerResponsibility": 0} {
		if n := st.Count("ec2", op); n != want {
			t.Errorf("%s sent %d times, want %d", op, n, want)
		}
	}
	// the new service turns Available, and the console lists it
	e.clock.Advance(sim.ServiceCreateDelay + time.Second)
	l.untilAvailable()
	l.press("esc")
	l.until("the services list", func(r *Root) bool { return topID(r) == services.ID })
	l.untilView("orders-api")
}

// Critical findings block the create until each is acknowledged: the review refuses and
// sends nothing; p, space and enter acknowledge and come back; then the create goes.
func TestWizardCreateBlockedUntilFindingsAcknowledged(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	freeLedgerNLB(t, e)
	l := startLive(t, e, 120, 40)
	e.region.ResetStats()
	l.press("n")
	l.step("Load balancers")
	l.pick("ledger-ingest-nlb")
	l.press("enter")
	l.step("Preflight")
	l.untilView("CRIT", "[ ] acknowledge", "No healthy target in us-east-1", "(use1-az", "Fix: Register healthy targets")
	l.press("enter")
	l.step("Settings")
	l.fill("name", "ledger-v2")
	for _, f := range []string{"acceptance", "dns", "ipTypes", "regions", "payer", "tags"} {
		l.next(f)
	}
	l.step("Access")
	for _, f := range []string{"principals", "topic", "events"} {
		l.next(f)
	}
	l.step("Review")
	l.untilView("✗ blocked: 1 critical finding(s) not acknowledged")
	l.press("enter")
	l.untilView("1 critical preflight finding(s) are not acknowledged")
	noWrites(t, e, "a blocked create")
	l.press("p")
	l.step("Preflight")
	l.press("space")
	l.untilView("[x] acknowledged")
	l.press("enter")
	l.step("Review")
	l.untilView("✓ 1 finding: 1 critical")
	l.press("enter")
	l.step("Verify & test")
	svc := l.created()
	if !slices.Equal(svc.NetworkLoadBalancers, []string{lbARNByName(t, e.client, "ledger-ingest-nlb")}) {
		t.Fatalf("created on %v", svc.NetworkLoadBalancers)
	}
}

// Invalid input at every field: each is refused with a sentence that says what is wrong
// and what is allowed, the text stays in the field, and fixing it moves on.
func TestWizardInvalidInputAtEveryField(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	l := startLive(t, e, 120, 40)
	e.region.ResetStats()
	l.press("n")
	l.step("Load balancers")
	l.untilView("orders-nlb")
	l.press("enter")
	l.untilView("choose at least one load balancer")
	l.pick("web-alb")
	l.untilView("web-alb is an Application Load Balancer: endpoint services need a Network Load Balancer")
	l.pick("orders-nlb")
	l.pick("inspection-gwlb")
	l.untilView("inspection-gwlb is a gateway load balancer and orders-nlb a network one")
	l.press("enter")
	l.step("Preflight")
	l.press("enter")
	l.step("Settings")

	// bad is typed into a field; the error must show and the text stay
	bad := func(field, text, msg string) {
		t.Helper()
		l.field(field)
		l.press("ctrl+u")
		l.typeText(text)
		l.press("enter")
		shown := text
		if len(shown) > 60 {
			shown = shown[:60]
		}
		l.untilView(msg, shown)
		l.do(func(r *Root) {
			if f := wiz(r).Field(); f != field {
				t.Fatalf("after %q the form moved on to %s", text, f)
			}
		})
	}
	bad("name", strings.Repeat("n", 257), "is 257 characters; values")
	l.fill("name", "orders-api")
	l.next("acceptance")
	bad("dns", "Orders.Example.com", `has uppercase letters; AWS accepts lowercase only (orders.example.com)`)
	bad("dns", "orders..example.com", "has an empty label")
	bad("dns", "orders.example.com.", "ends with a dot; enter it without the trailing dot")
	bad("dns", "*.*.example.com", "only a leading \"*.\" is allowed")
	l.fill("dns", "orders.example.com")
	l.field("ipTypes")
	l.press("space", "enter")
	l.untilView("choose at least one IP address type: ipv4, ipv6 or both")
	l.press("space", "enter")
	bad("regions", "mars-1", `region "mars-1" is not a region name; expected something like us-east-1`)
	bad("regions", "eu-west-1, us-east-1", "us-east-1 is the service's own Region, which is always supported")
	l.fill("regions", "eu-west-1")
	l.next("payer")
	bad("tags", "team", `tag "team" has no "="; write tags as key=value`)
	bad("tags", "Name=x", "set the Name tag with the Name field above")
	bad("tags", "aws:team=x", `starts with "aws:", which is reserved for AWS`)
	l.fill("tags", "team=orders")
	l.step("Access")
	bad("principals", "arn:aws:iam::123:root", "is not an ARN")
	bad("principals", "arn:aws:iam::444455556666:role/team/ops", "has a path")
	l.fill("principals", "*")
	bad("topic", "arn:aws:sqs:us-east-1:111122223333:q", "notifications need an SNS topic ARN")
	l.fill("topic", topic)
	l.field("events")
	l.press("space", "down", "space", "down", "space", "down", "space", "enter")
	l.untilView("choose at least one event, or clear the topic")
	l.press("space", "enter")
	l.step("Review")

	// "*" with automatic acceptance must be confirmed by typing the word
	l.press("esc")
	l.step("Access")
	l.press("esc")
	l.step("Settings")
	l.field("name")
	l.press("enter")
	l.field("acceptance")
	l.press("n")
	for _, f := range []string{"dns", "ipTypes", "regions", "payer", "tags"} {
		l.next(f)
	}
	l.step("Access")
	l.next("principals")
	bad("everyone", "yes", "type everyone exactly to allow every AWS account without approval")
	l.fill("everyone", "everyone")
	l.next("topic")
	l.next("events")
	l.step("Review")
	l.untilView("EVERY AWS account, without approval")
	noWrites(t, e, "while answering")
}

// Cancelling at any step — esc back through the steps, or ctrl+c in a form — creates
// nothing: the region receives no write at all.
func TestWizardCancelAtEachStepCreatesNothing(t *testing.T) {
	reach := map[string]func(l *live){
		"Load balancers": func(l *live) { l.press("n"); l.step("Load balancers"); l.pick("orders-nlb") },
		"Preflight": func(l *live) {
			l.press("n")
			l.step("Load balancers")
			l.pick("orders-nlb")
			l.press("enter")
			l.step("Preflight")
		},
		"Settings": func(l *live) {
			l.press("n")
			l.step("Load balancers")
			l.pick("orders-nlb")
			l.press("enter", "enter")
			l.step("Settings")
			l.field("name")
			l.typeText("half-typed")
		},
		"Access": func(l *live) {
			a := ordersAnswers()
			l.toReview(a)
			l.press("esc")
			l.step("Access")
		},
		"Review": func(l *live) { l.toReview(ordersAnswers()) },
	}
	for _, name := range []string{"Load balancers", "Preflight", "Settings", "Access", "Review"} {
		for _, key := range []string{"esc", "ctrl+c"} {
			t.Run(name+"/"+key, func(t *testing.T) {
				t.Parallel()
				e := newSimEnv(t, model.ModeDemo)
				l := startLive(t, e, 120, 40)
				before, err := e.client.ListServices(bg(t))
				if err != nil {
					t.Fatal(err)
				}
				e.region.ResetStats()
				reach[name](l)
				var form bool
				l.do(func(r *Root) { form = wiz(r).Capturing() })
				running := true
				for range 8 {
					if running = l.pressLast(key); !running {
						break
					}
					var open bool
					if running = l.try(func(r *Root) { open = topID(r) == wizard.ID && wiz(r).Running() }); !running || !open {
						break
					}
				}
				switch {
				case running:
					l.until("the wizard to close", func(r *Root) bool { return topID(r) == services.ID })
					l.untilView("wizard closed: nothing was sent to AWS")
				case key == "esc" || form:
					t.Fatalf("%s at %s quit the console instead of closing the wizard", key, name)
				}
				// ctrl+c outside a form quits the console, which sends nothing either
				noWrites(t, e, "cancelled at "+name)
				after, err := e.client.ListServices(bg(t))
				if err != nil || len(after) != len(before) {
					t.Fatalf("%d services before, %d after (%v)", len(before), len(after), err)
				}
			})
		}
	}
}

// Every reply to the create is lost (AWS made the service; the console never heard): the
// create fails, the wizard says why nothing is known and r retries with the same client
// token; the region ends with one new service, not two.
func TestWizardClientTokenRetryAfterLostReplies(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	l := startLive(t, e, 120, 40)
	before, err := e.client.ListServices(bg(t))
	if err != nil {
		t.Fatal(err)
	}
	a := ordersAnswers()
	a.principals, a.topic = "", ""
	l.toReview(a)
	e.region.ResetStats()
	e.region.Faults().Set(sim.FaultConfig{LostReplyRatio: 1, Only: []string{"CreateVpcEndpointServiceConfiguration"}})
	l.press("enter")
	l.step("Create")
	l.untilView("✗ 1. CreateVpcEndpointServiceConfiguration", "What exists now", "same client token plconsole-test-token-1")
	if n := e.region.Stats().Count("ec2", "CreateVpcEndpointServiceConfiguration"); n < 2 {
		t.Fatalf("the create was sent %d times (the SDK retries)", n)
	}
	e.region.Faults().Set(sim.FaultConfig{})
	l.press("r")
	l.step("Verify & test")
	svc := l.created()
	after, err := e.client.ListServices(bg(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 {
		t.Fatalf("%d services before, %d after the retry: want exactly one more", len(before), len(after))
	}
	if !slices.ContainsFunc(after, func(s model.EndpointService) bool { return s.ID == svc.ID }) {
		t.Fatalf("the wizard shows %s, which the region does not list", svc.ID)
	}
}

// A step after the create fails: the wizard reads the service back, says exactly what
// exists, and r sends only what is missing.
func TestWizardPartialFailureRetriesOnlyWhatIsMissing(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	l := startLive(t, e, 120, 40)
	l.toReview(ordersAnswers())
	e.region.ResetStats()
	e.region.Faults().Set(sim.FaultConfig{ServerErrorRatio: 1, Only: []string{"CreateVpcEndpointConnectionNotification"}})
	l.press("enter")
	l.step("Create")
	l.untilView("✗ 3. CreateVpcEndpointConnectionNotification", "What exists now", "✓ endpoint service vpce-svc-",
		"✓ allowed principals: arn:aws:iam::444455556666:root", "✗ no notification to "+topic, "r retries only what is missing")
	e.region.Faults().Set(sim.FaultConfig{})
	notified := e.region.Stats().Count("ec2", "CreateVpcEndpointConnectionNotification")
	l.press("r")
	l.step("Verify & test")
	st := e.region.Stats()
	if st.Count("ec2", "CreateVpcEndpointServiceConfiguration") != 1 || st.Count("ec2", "ModifyVpcEndpointServicePermissions") != 1 ||
		st.Count("ec2", "CreateVpcEndpointConnectionNotification") != notified+1 {
		t.Fatalf("the retry sent more than what was missing: %+v", st.Requests["ec2"])
	}
	svc, err := e.client.ServiceDetail(bg(t), l.created().ID)
	if err != nil || len(svc.Notifications) != 1 {
		t.Fatalf("notifications %+v %v", svc.Notifications, err)
	}
}

// publishTXT puts a TXT record in the simulated region's DNS, as the README shows.
func publishTXT(t testing.TB, e *simEnv, name, value string) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"name": name, "value": value})
	req, _ := http.NewRequest(http.MethodPut, e.region.URL+"/_sim/dns", bytes.NewReader(b))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("publishing the TXT record: %s", resp.Status)
	}
}

// DNS verification both ways: without the TXT record AWS answers failed and the wizard
// says what to check; with it published, verified.
func TestWizardDNSVerificationBothWays(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	l := startLive(t, e, 120, 40)
	a := ordersAnswers()
	a.principals, a.topic = "", ""
	svc := l.toCreated(e, a)
	l.untilView("Publish this TXT record")

	l.press("v")
	l.untilView("AWS is looking the record up")
	e.clock.Advance(sim.DNSVerifyDelay + time.Second)
	l.untilView("✗ Verification failed: AWS did not find a TXT record", "enter the name with a trailing dot", "dig +short TXT")

	got, err := e.client.ServiceDetail(bg(t), svc.ID)
	if err != nil || got.PrivateDNS == nil || got.PrivateDNS.State != model.DNSFailed {
		t.Fatalf("the region says %+v (%v)", got.PrivateDNS, err)
	}
	name, value, _ := model.VerificationRecord(*got.PrivateDNS)
	publishTXT(t, e, name, value)
	l.press("v")
	l.untilView("AWS is looking the record up")
	e.clock.Advance(sim.DNSVerifyDelay + time.Second)
	l.untilView("✓ Verified: consumers can use orders.example.com")
	if got, _ := e.client.ServiceDetail(bg(t), svc.ID); got.PrivateDNS.State != model.DNSVerified {
		t.Fatalf("the region says %s", got.PrivateDNS.State)
	}
}

// consumerOptions lets the console open the region's consumer accounts as the test
// consumer, as plconsole --demo does.
func consumerOptions(t testing.TB, e *simEnv) func(*Options) {
	return func(o *Options) {
		o.ConsumerProfiles = e.region.ConsumerAccounts()
		o.OpenConsumer = func(ctx context.Context, account string) (store.Consumer, error) {
			return awsopstest.New(t, e.region, account), nil
		}
	}
}

// The test consumer: a consumer account (not yet allowed, so the wizard offers to allow
// it) creates an endpoint in subnets of the service's zones, the request arrives as
// pendingAcceptance, is accepted, becomes available, and the test endpoint is deleted.
func TestWizardTestConsumerReachesAvailable(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	l := startLive(t, e, 120, 40, consumerOptions(t, e))
	a := ordersAnswers()
	a.dns, a.principals, a.topic = "", "", ""
	svc := l.toAcceptPrompt(e, a)
	account := e.region.ConsumerAccounts()[0]
	l.untilView("(CreateVpcEndpoint as "+account+")", "from "+account+" is pendingAcceptance")
	consumer := awsopstest.New(t, e.region, account)
	eps, err := consumer.ListEndpoints(bg(t))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(eps, func(ep model.Endpoint) bool { return ep.ServiceName == svc.Name })
	if i < 0 {
		t.Fatal("the consumer has no endpoint to the service")
	}
	ep := eps[i]
	if st := connState(t, e.client, svc.ID, ep.ID); st != model.StatePendingAcceptance {
		t.Fatalf("the provider sees %s", st)
	}
	l.press("y")
	l.untilView("accepted " + ep.ID)
	e.clock.Advance(sim.PendingToAvailableDelay + time.Second)
	l.untilView("✓ "+ep.ID+" is available", "Delete the test endpoint")
	if st := connState(t, e.client, svc.ID, ep.ID); st != model.StateAvailable {
		t.Fatalf("the provider sees %s", st)
	}
	l.press("y")
	l.untilView("delete requested")
	e.clock.Advance(sim.EndpointDeleteDelay + time.Second)
	l.untilView(ep.ID + " is deleted: the test is over")
	if got, err := consumer.Endpoint(bg(t), ep.ID); err == nil && got.State != model.StateDeleted {
		t.Fatalf("the test endpoint is %s", got.State)
	}
}

// twoLBService makes "two-lbs" on orders-nlb and ledger-ingest-nlb (freed first).
func twoLBService(t testing.TB, e *simEnv) model.EndpointService {
	t.Helper()
	freeLedgerNLB(t, e)
	svc, err := e.client.CreateService(bg(t), model.CreateServiceInput{AcceptanceRequired: true, Tags: map[string]string{"Name": "two-lbs"},
		NetworkLoadBalancerARNs: []string{lbARNByName(t, e.client, "orders-nlb"), lbARNByName(t, e.client, "ledger-ingest-nlb")}})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// editToReview opens two-lbs in the editor, drops ledger-ingest-nlb, adds eu-west-1 and
// goes to the review.
func (l *live) editToReview() {
	l.t.Helper()
	l.press(":")
	l.typeText("service two-lbs")
	l.press("enter")
	l.untilView("1 Overview")
	l.press("e")
	l.step("Load balancers")
	l.pick("ledger-ingest-nlb")
	l.press("enter")
	l.step("Preflight")
	l.press("enter")
	l.step("Settings")
	for _, f := range []string{"acceptance", "dns", "ipTypes"} {
		l.next(f)
	}
	l.fill("regions", "eu-west-1")
	l.step("Review")
}

// A Gateway Load Balancer service: no private DNS name or payer to ask for, and its test
// consumer creates a Gateway Load Balancer endpoint in one subnet, accepted to available.
func TestWizardGatewayServiceAndItsTestConsumer(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	l := startLive(t, e, 120, 40, consumerOptions(t, e))
	svc := l.toCreated(e, answers{lb: "inspection-gwlb", name: "inspect", gateway: true})
	if svc.Type != model.ServiceTypeGateway || len(svc.GatewayLoadBalancers) != 1 {
		t.Fatalf("created %+v", svc)
	}
	l.press("t")
	l.next("profile")
	l.untilView("is not an allowed principal")
	l.press("y")
	l.next("vpc")
	l.next("subnets")
	l.untilView("Create a Gateway Load Balancer endpoint as account")
	l.press("y")
	l.untilView("Accept it (AcceptVpcEndpointConnections)?")
	l.press("y")
	l.until("the provider to see it pending", func(r *Root) bool { return pendingSeen.MatchString(plain(r.View())) })
	e.clock.Advance(sim.PendingToAvailableDelay + time.Second)
	l.untilView("is available", "Delete the test endpoint")
	conns, err := e.client.ListConnections(bg(t), svc.ID)
	if err != nil || len(conns) != 1 || conns[0].State != model.StateAvailable {
		t.Fatalf("connections %+v %v", conns, err)
	}
	ep, err := awsopstest.New(t, e.region, e.region.ConsumerAccounts()[0]).Endpoint(bg(t), conns[0].EndpointID)
	if err != nil || ep.Type != "GatewayLoadBalancer" || len(ep.SubnetIDs) != 1 {
		t.Fatalf("the test endpoint is %+v (%v)", ep, err)
	}
}

// The settings editor: e on a service with two load balancers adds a Region and removes a
// load balancer in one ModifyVpcEndpointServiceConfiguration, shown first as a diff and the
// AWS CLI command.
func TestEditAddsARegionAndRemovesALoadBalancer(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	svc := twoLBService(t, e)
	orders := lbARNByName(t, e.client, "orders-nlb")
	l := startLive(t, e, 120, 40)
	e.region.ResetStats()
	l.editToReview()
	l.untilView("Changes to two-lbs", "orders-nlb, ledger-ingest-nlb  →  orders-nlb", "-  →  eu-west-1",
		"aws ec2 modify-vpc-endpoint-service-configuration", "--remove-network-load-balancer-arns", "--add-supported-regions eu-west-1")
	noWrites(t, e, "before the apply")
	l.press("enter")
	l.untilView("two-lbs is changed")
	if n := e.region.Stats().Count("ec2", "ModifyVpcEndpointServiceConfiguration"); n != 1 {
		t.Fatalf("ModifyVpcEndpointServiceConfiguration sent %d times", n)
	}
	got, err := e.client.ServiceDetail(bg(t), svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.NetworkLoadBalancers, []string{orders}) ||
		!slices.ContainsFunc(got.SupportedRegions, func(r model.SupportedRegion) bool { return r.Region == "eu-west-1" }) {
		t.Fatalf("after the edit: load balancers %v, regions %+v", got.NetworkLoadBalancers, got.SupportedRegions)
	}
	l.press("enter")
	l.until("the editor to close", func(r *Root) bool { return topID(r) != wizard.ID })
}

// The editor removes a private DNS name (a field cleared) and turns acceptance off, in one
// call that the review spells out.
func TestEditRemovesThePrivateDNSName(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	svc := serviceByLabel(t, e.client, "ledger-ingest")
	if svc.PrivateDNS == nil || svc.PrivateDNS.Name == "" {
		t.Fatal("ledger-ingest has no private DNS name to remove")
	}
	l := startLive(t, e, 120, 40)
	l.press(":")
	l.typeText("service ledger-ingest")
	l.press("enter")
	l.untilView("1 Overview")
	l.press("e")
	l.step("Load balancers")
	l.press("enter")
	l.step("Preflight")
	l.press("enter")
	l.field("acceptance")
	l.press("n")
	l.fill("dns", "")
	l.next("ipTypes")
	l.next("regions")
	l.step("Review")
	l.untilView("acceptance_required", "true  →  false", "private_dns_name", svc.PrivateDNS.Name+"  →  -",
		"--no-acceptance-required", "--remove-private-dns-name")
	l.press("enter")
	l.untilView("ledger-ingest is changed")
	got, err := e.client.ServiceDetail(bg(t), svc.ID)
	if err != nil || got.PrivateDNS != nil || got.AcceptanceRequired {
		t.Fatalf("after the edit: DNS %+v, acceptance %v (%v)", got.PrivateDNS, got.AcceptanceRequired, err)
	}
}

// The safe delete of a service with connections: they are shown, rejected, the service
// deleted and confirmed gone, each step asked first.
func TestSafeDeleteOfAServiceWithConnections(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	l := startLive(t, e, 120, 40)
	e.region.ResetStats()
	svc := l.openSafeDelete(e, "search-gateway")
	l.untilView("block the delete", "Reject these")
	noWrites(t, e, "before the first y")
	l.press("y")
	l.untilView("✓ rejected", "Delete search-gateway ("+svc.ID+") now")
	l.press("y")
	l.untilView("is gone: AWS no longer knows it", "enter returns to the services")
	st := e.region.Stats()
	if st.Count("ec2", "RejectVpcEndpointConnections") != 1 || st.Count("ec2", "DeleteVpcEndpointServiceConfigurations") != 1 {
		t.Fatalf("requests %+v", st.Requests["ec2"])
	}
	_, err := e.client.ServiceDetail(bg(t), svc.ID)
	var ae *model.AWSError
	if !errors.As(err, &ae) || !strings.HasSuffix(ae.Code, ".NotFound") {
		t.Fatalf("the service is still there: %v", err)
	}
	l.press("enter")
	l.until("the services list", func(r *Root) bool { return topID(r) == services.ID })
}

// Declining a step of the safe delete stops it: nothing more is sent.
func TestSafeDeleteStopsWhenDeclined(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	l := startLive(t, e, 120, 40)
	e.region.ResetStats()
	l.openSafeDelete(e, "search-gateway")
	l.untilView("Reject these")
	l.press("n")
	l.untilView("declined: nothing more was sent", "r read connections again")
	noWrites(t, e, "after declining")
}

// --read-only walks the wizard to the review and refuses at the create, saying why and
// what to do instead; nothing is sent.
func TestWizardReadOnlyRefusesAtTheCreate(t *testing.T) {
	e := newSimEnv(t, model.ModeReadOnly)
	l := startLive(t, e, 120, 40)
	e.region.ResetStats()
	l.toReview(ordersAnswers())
	l.press("enter")
	l.untilView("read-only (--read-only): nothing is sent to AWS: the create was not sent", "Copy the AWS CLI (c)")
	l.do(func(r *Root) {
		if wiz(r).Step() != "Review" {
			t.Fatalf("read-only moved on to %s", wiz(r).Step())
		}
	})
	noWrites(t, e, "in read-only mode")
}

// --dry-run sends the create with DryRun and shows AWS's verdict; the calls that need the
// new service's id are not sent, and say so.
func TestWizardDryRunShowsAWSVerdicts(t *testing.T) {
	e := newSimEnv(t, model.ModeDryRun)
	l := startLive(t, e, 120, 40)
	before, err := e.client.ListServices(bg(t))
	if err != nil {
		t.Fatal(err)
	}
	l.toReview(ordersAnswers())
	l.untilView("DRY-RUN: every call is sent with DryRun=true")
	l.press("enter")
	l.step("Create")
	l.untilView("dry run: CreateVpcEndpointServiceConfiguration would succeed",
		"not sent: it needs the service id the create would return", "Dry run: AWS checked the calls above and changed nothing")
	after, err := e.client.ListServices(bg(t))
	if err != nil || len(after) != len(before) {
		t.Fatalf("a dry run created a service: %d before, %d after (%v)", len(before), len(after), err)
	}
}

// The review saves the answers as a spec file; plconsole setup --from loads it back into
// the wizard, which reviews the same service.
func TestWizardSpecFileRoundTrip(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	dir := t.TempDir()
	l := startLive(t, e, 120, 40, func(o *Options) { o.SaveDir = dir })
	l.toReview(ordersAnswers())
	var want model.ServiceSpec
	var specErr error
	l.do(func(r *Root) { want, specErr = wiz(r).Spec() })
	if specErr != nil {
		t.Fatal(specErr)
	}
	l.press("s")
	l.untilView("Save the spec (TOML) as:", "orders-api.toml")
	l.press("enter")
	path := filepath.Join(dir, "orders-api.toml")
	l.untilView("saved " + path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := servicespec.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if spec.Name != want.Name || !slices.Equal(spec.LoadBalancers, want.LoadBalancers) || spec.PrivateDNSName != want.PrivateDNSName ||
		!slices.Equal(spec.Principals, want.Principals) || spec.Notification == nil || spec.Notification.TopicARN != topic {
		t.Fatalf("saved %+v, reviewed %+v", spec, want)
	}
	l.press("s", "enter")
	l.untilView("exists already; choose another name")
	l.press("esc")
	l.press("w", "enter")
	l.untilView("saved " + filepath.Join(dir, "orders-api.sh"))
	for _, f := range []string{"orders-api.sh", "orders-api.tf"} {
		if b, err := os.ReadFile(filepath.Join(dir, f)); err != nil || !bytes.Contains(b, []byte("orders-api")) {
			t.Fatalf("%s: %v\n%s", f, err, b)
		}
	}

	// setup --from: the wizard opens with the answers, straight through to the same review
	e2 := newSimEnv(t, model.ModeDemo)
	l2 := startLive(t, e2, 120, 40, func(o *Options) { o.Setup, o.Spec = true, &spec })
	l2.step("Load balancers")
	l2.press("enter")
	l2.step("Preflight")
	l2.press("enter")
	for _, f := range []string{"name", "acceptance", "dns", "ipTypes", "regions", "payer", "tags", "principals", "topic", "events"} {
		l2.next(f)
	}
	l2.step("Review")
	var again model.ServiceSpec
	l2.do(func(r *Root) { again, specErr = wiz(r).Spec() })
	if specErr != nil {
		t.Fatal(specErr)
	}
	if again.Name != want.Name || !slices.Equal(again.SupportedRegions, want.SupportedRegions) || again.PrivateDNSName != want.PrivateDNSName {
		t.Fatalf("loaded %+v, want %+v", again, want)
	}
}

// The tracked backend provisions through the awsops client it wraps, counted like its
// other calls.

func (b *trackedBackend) CreateService(ctx context.Context, in model.CreateServiceInput) (model.EndpointService, error) {
	defer b.busy()()
	return b.Backend.(store.Provisioner).CreateService(ctx, in)
}

func (b *trackedBackend) ModifyService(ctx context.Context, in model.ModifyServiceInput) error {
	defer b.busy()()
	return b.Backend.(store.Provisioner).ModifyService(ctx, in)
}

func (b *trackedBackend) ListConnections(ctx context.Context, serviceID string) ([]model.Connection, error) {
	defer b.busy()()
	return b.Backend.(store.Provisioner).ListConnections(ctx, serviceID)
}
