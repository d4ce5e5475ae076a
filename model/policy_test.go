package model

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

var policyNow = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

const (
	svcA  = "vpce-svc-0aaaaaaaaaaaaaaaa"
	svcB  = "vpce-svc-0bbbbbbbbbbbbbbbb"
	acct1 = "111111111111"
	acct2 = "222222222222"
	acct3 = "333333333333"
)

func pend(svc, ep, owner string, ageMin int) Connection {
	return Connection{ServiceID: svc, EndpointID: ep, OwnerAccount: owner, State: StatePendingAcceptance,
		Created: policyNow.Add(-time.Duration(ageMin) * time.Minute), Region: "us-east-1", IPAddressType: "ipv4"}
}

func policyInput(conns ...Connection) PolicyInput {
	return PolicyInput{
		HomeRegion: "us-east-1",
		Services: []EndpointService{
			{ID: svcA, DisplayName: "payments-api"},
			{ID: svcB, DisplayName: "ledger-ingest"},
		},
		Principals: map[string][]Principal{
			svcA: {{ARN: AccountRootARN(acct1)}, {ARN: "arn:aws:iam::" + acct2 + ":role/consumer"}},
			svcB: {{ARN: "*"}},
		},
		Customers: NewCustomers("accounts.toml",
			Customer{Account: acct1, Name: "Acme", Tier: "gold"},
			Customer{Account: acct2, Name: "Globex", Tier: "silver"}),
		Connections: conns,
	}
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func decisionsOf(sgs []Suggestion) string {
	var parts []string
	for _, s := range sgs {
		d := string(s.Decision) + ":" + s.RuleName()
		if s.Undecided {
			d = "?"
		}
		parts = append(parts, s.Connection.EndpointID+"="+d)
	}
	return strings.Join(parts, " ")
}

func TestPolicyMatchKinds(t *testing.T) {
	base := pend(svcA, "vpce-1", acct1, 10)
	cross := base
	cross.Region = "eu-west-1"
	dual := base
	dual.IPAddressType = "dualstack"
	other := pend(svcA, "vpce-1", acct3, 10) // not an allowed principal of svcA
	onB := pend(svcB, "vpce-1", acct3, 10)   // svcB allows *
	cases := []struct {
		name string
		rule PolicyRule
		conn Connection
		want bool
	}{
		{"empty rule matches everything", PolicyRule{}, base, true},
		{"account listed", PolicyRule{Accounts: []string{acct2, acct1}}, base, true},
		{"account not listed", PolicyRule{Accounts: []string{acct2}}, base, false},
		{"tier from the accounts file", PolicyRule{Tiers: []string{"gold"}}, base, true},
		{"other tier", PolicyRule{Tiers: []string{"silver"}}, base, false},
		{"account without a tier never matches a tier", PolicyRule{Tiers: []string{"gold"}}, other, false},
		{"service by id", PolicyRule{Services: []string{svcA}}, base, true},
		{"service by name", PolicyRule{Services: []string{"payments-api"}}, base, true},
		{"service by pattern", PolicyRule{Services: []string{"pay*"}}, base, true},
		{"other service", PolicyRule{Services: []string{"ledger-*"}}, base, false},
		{"region by name", PolicyRule{Regions: []string{"us-east-1"}}, base, true},
		{"same-region", PolicyRule{Regions: []string{RegionSame}}, base, true},
		{"same-region refuses cross", PolicyRule{Regions: []string{RegionSame}}, cross, false},
		{"cross-region", PolicyRule{Regions: []string{RegionCross}}, cross, true},
		{"cross-region refuses same", PolicyRule{Regions: []string{RegionCross}}, base, false},
		{"IP type", PolicyRule{IPAddressTypes: []string{"dualstack"}}, dual, true},
		{"other IP type", PolicyRule{IPAddressTypes: []string{"ipv6"}}, base, false},
		{"allowed principal (root)", PolicyRule{AllowedPrincipal: yes()}, base, true},
		{"allowed principal (a role of the account)", PolicyRule{AllowedPrincipal: yes()}, pend(svcA, "vpce-1", acct2, 1), true},
		{"allowed principal (*)", PolicyRule{AllowedPrincipal: yes()}, onB, true},
		{"not an allowed principal", PolicyRule{AllowedPrincipal: no()}, other, true},
		{"allowed is not 'not allowed'", PolicyRule{AllowedPrincipal: no()}, base, false},
		{"every condition must hold", PolicyRule{Tiers: []string{"gold"}, Regions: []string{RegionCross}}, base, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.rule
			r.Name, r.Decision = "r", DecisionAccept
			p := &Policy{Rules: []PolicyRule{r}}
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			sgs := EvaluatePolicy(p, policyInput(c.conn))
			if len(sgs) != 1 {
				t.Fatalf("want one suggestion, got %d", len(sgs))
			}
			if got := sgs[0].Rule != nil; got != c.want {
				t.Fatalf("matched = %v, want %v (%s)", got, c.want, sgs[0].Reason)
			}
		})
	}
}

func TestPolicyRuleOrderAndDefault(t *testing.T) {
	p := &Policy{Source: "policy.toml", Rules: []PolicyRule{
		{Name: "block-acct3", Decision: DecisionReject, Accounts: []string{acct3}, Line: 1},
		{Name: "gold", Decision: DecisionAccept, Tiers: []string{"gold"}, Line: 5},
		{Name: "gold-twice", Decision: DecisionReject, Tiers: []string{"gold"}, Line: 9},
		{Name: "payments-hold", Decision: DecisionHold, Services: []string{"payments-api"}, Line: 12},
	}}
	in := policyInput(
		pend(svcA, "vpce-a", acct1, 30), // gold wins over the later gold-twice
		pend(svcA, "vpce-b", acct3, 20), // first rule
		pend(svcA, "vpce-c", acct2, 10), // silver: payments-hold
		pend(svcB, "vpce-d", acct2, 5),  // no rule: hold
	)
	sgs := EvaluatePolicy(p, in)
	want := "vpce-a=accept:gold vpce-b=reject:block-acct3 vpce-c=hold:payments-hold vpce-d=hold:"
	if got := decisionsOf(sgs); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if r := sgs[0].Reason; r != `rule "gold" (policy.toml:5)` {
		t.Fatalf("reason %q", r)
	}
	if r := sgs[3].Reason; r != "no rule matched" {
		t.Fatalf("reason %q", r)
	}
	if s := sgs[0].Short(); s != "accept · gold" {
		t.Fatalf("short %q", s)
	}
	// nil policy: everything held
	for _, sg := range EvaluatePolicy(nil, in) {
		if sg.Decision != DecisionHold || sg.Rule != nil {
			t.Fatalf("nil policy decided %v", sg)
		}
	}
	// only pendingAcceptance requests are decided, oldest first
	avail := pend(svcA, "vpce-z", acct1, 100)
	avail.State = StateAvailable
	in.Connections = append(in.Connections, avail)
	if n := len(EvaluatePolicy(p, in)); n != 4 {
		t.Fatalf("%d suggestions, want 4", n)
	}
}

func TestPolicyLimits(t *testing.T) {
	p := &Policy{Rules: []PolicyRule{
		{Name: "two-each", Decision: DecisionAccept, MaxEndpointsPerAccount: 2},
		{Name: "rest", Decision: DecisionHold},
	}}
	live := pend(svcA, "vpce-live", acct1, 500)
	live.State = StateAvailable
	gone := pend(svcA, "vpce-gone", acct1, 600)
	gone.State = StateDeleted // ended connections do not count
	in := policyInput(live, gone,
		pend(svcA, "vpce-3", acct1, 10), // newest: over the limit
		pend(svcA, "vpce-2", acct1, 20), // second slot
		pend(svcA, "vpce-x", acct2, 15), // another account: its own count
		pend(svcB, "vpce-y", acct1, 5),  // another service: its own count
	)
	sgs := EvaluatePolicy(p, in)
	want := "vpce-2=accept:two-each vpce-x=accept:two-each vpce-3=hold:rest vpce-y=accept:two-each"
	if got := decisionsOf(sgs); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if r := sgs[2].Reason; !strings.Contains(r, `"two-each" skipped: 2 of 2 endpoints in use`) {
		t.Fatalf("reason of the request over the limit: %q", r)
	}
}

func TestPolicyUndecidedWithoutPrincipals(t *testing.T) {
	p := &Policy{Rules: []PolicyRule{
		{Name: "acct2", Decision: DecisionAccept, Accounts: []string{acct2}},
		{Name: "allowed", Decision: DecisionAccept, AllowedPrincipal: yes()},
	}}
	in := policyInput(pend(svcA, "vpce-1", acct1, 10), pend(svcA, "vpce-2", acct2, 5))
	delete(in.Principals, svcA)
	sgs := EvaluatePolicy(p, in)
	if !sgs[0].Undecided || sgs[0].Decision != DecisionHold || !strings.Contains(sgs[0].Reason, "principals of payments-api not read yet") {
		t.Fatalf("want undecided: %+v", sgs[0])
	}
	if sgs[1].Undecided || sgs[1].RuleName() != "acct2" {
		t.Fatalf("an earlier rule that needs no principals decides: %+v", sgs[1])
	}
	if b := PolicyBatches(p, sgs); len(b) != 1 || b[0].Endpoints[0] != "vpce-2" {
		t.Fatalf("batches %+v", b)
	}
}

func TestPolicySummaryAndBatches(t *testing.T) {
	p := &Policy{Source: "p.toml", Rules: []PolicyRule{
		{Name: "gold", Decision: DecisionAccept, Tiers: []string{"gold"}, Line: 2},
		{Name: "allowed", Decision: DecisionAccept, AllowedPrincipal: yes(), Line: 6},
		{Name: "no", Decision: DecisionReject, Line: 10},
	}}
	in := policyInput(
		pend(svcA, "vpce-1", acct1, 40), pend(svcA, "vpce-2", acct2, 30),
		pend(svcA, "vpce-3", acct3, 20), pend(svcB, "vpce-4", acct3, 10))
	sgs := EvaluatePolicy(p, in)
	sum := SummarizePlan(sgs)
	if sum.Total != 4 || sum.ByDecision[DecisionAccept] != 3 || sum.ByDecision[DecisionReject] != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if sum.ByAccount[DecisionAccept][acct3] != 1 || sum.ByService[DecisionAccept][svcA] != 2 || sum.ByService[DecisionReject][svcA] != 1 {
		t.Fatalf("summary %+v", sum)
	}
	bs := PolicyBatches(p, sgs)
	var got []string
	for _, b := range bs {
		got = append(got, b.ServiceID[10:11]+":"+string(b.Decision)+":"+b.Rule.Name+":"+strings.Join(b.Endpoints, ","))
	}
	want := "a:accept:gold:vpce-1 a:accept:allowed:vpce-2 a:reject:no:vpce-3 b:accept:allowed:vpce-4"
	if strings.Join(got, " ") != want {
		t.Fatalf("batches\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if bs[0].Reason != `policy p.toml: rule "gold" (line 2)` {
		t.Fatalf("reason %q", bs[0].Reason)
	}
}

func TestPolicyValidateNamesTheLine(t *testing.T) {
	ok := PolicyRule{Name: "ok", Decision: DecisionHold, Line: 1}
	cases := []struct {
		rule PolicyRule
		want string
	}{
		{PolicyRule{Decision: DecisionAccept, Line: 7}, `p.toml:7: rule 2: has no name`},
		{PolicyRule{Name: "ok", Decision: DecisionAccept, Line: 7}, `p.toml:7: rule "ok": has the same name as the rule on line 1`},
		{PolicyRule{Name: "d", Line: 7}, `p.toml:7: rule "d": has no decision`},
		{PolicyRule{Name: "d", Decision: "acept", Line: 7, Lines: map[string]int{"decision": 9}}, `p.toml:9: rule "d": decision "acept" is not one of accept, reject, hold`},
		{PolicyRule{Name: "a", Decision: DecisionAccept, Accounts: []string{"12345"}, Line: 7, Lines: map[string]int{"accounts": 8}}, `p.toml:8: rule "a": account id "12345" must be exactly 12 digits`},
		{PolicyRule{Name: "t", Decision: DecisionAccept, Tiers: []string{"Gold"}, Line: 7}, `p.toml:7: rule "t": tier "Gold" may hold only lowercase`},
		{PolicyRule{Name: "s", Decision: DecisionAccept, Services: []string{"[x"}, Line: 7}, `p.toml:7: rule "s": service pattern "[x" is malformed`},
		{PolicyRule{Name: "r", Decision: DecisionAccept, Regions: []string{"mars"}, Line: 7}, `p.toml:7: rule "r": region "mars" is not a region name`},
		{PolicyRule{Name: "i", Decision: DecisionAccept, IPAddressTypes: []string{"ipv5"}, Line: 7}, `p.toml:7: rule "i": IP address type "ipv5" is not one of ipv4, dualstack, ipv6`},
		{PolicyRule{Name: "l", Decision: DecisionReject, MaxEndpointsPerAccount: 2, Line: 7}, `p.toml:7: rule "l": max_endpoints_per_account limits what a rule accepts`},
		{PolicyRule{Name: "l", Decision: DecisionAccept, MaxEndpointsPerAccount: -1, Line: 7}, `p.toml:7: rule "l": max_endpoints_per_account -1 is negative`},
	}
	for _, c := range cases {
		p := &Policy{Source: "p.toml", Rules: []PolicyRule{ok, c.rule}}
		err := p.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("got %v\nwant prefix %s", err, c.want)
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%v does not wrap ErrInvalid", err)
		}
	}
}

func TestAuditReasonContext(t *testing.T) {
	ctx := WithAuditReason(context.Background(), `policy rule "gold"`)
	if AuditReason(ctx) != `policy rule "gold"` || AuditReason(context.Background()) != "" {
		t.Fatal("audit reason does not round-trip")
	}
}

func FuzzEvaluatePolicy(f *testing.F) {
	f.Add("111111111111", "gold", "us-east-1", "ipv4", 2, 3)
	f.Add("", "", "cross-region", "dualstack", 0, 0)
	f.Fuzz(func(t *testing.T, acct, tier, region, ipType string, limit, n int) {
		r := PolicyRule{Name: "r", Decision: DecisionAccept, MaxEndpointsPerAccount: limit % 5}
		if acct != "" {
			r.Accounts = []string{acct}
		}
		if tier != "" {
			r.Tiers = []string{tier}
		}
		if region != "" {
			r.Regions = []string{region}
		}
		if ipType != "" {
			r.IPAddressTypes = []string{ipType}
		}
		p := &Policy{Rules: []PolicyRule{r}}
		if p.Validate() != nil {
			return
		}
		var conns []Connection
		for i := 0; i < n%20; i++ {
			conns = append(conns, pend(svcA, "vpce-"+string(rune('a'+i)), acct1, i))
		}
		sgs := EvaluatePolicy(p, policyInput(conns...))
		if len(sgs) != len(conns) {
			t.Fatalf("%d suggestions for %d requests", len(sgs), len(conns))
		}
		accepted := 0
		for _, s := range sgs {
			if s.Decision == DecisionAccept {
				accepted++
			}
		}
		if r.MaxEndpointsPerAccount > 0 && accepted > r.MaxEndpointsPerAccount {
			t.Fatalf("accepted %d over the limit %d", accepted, r.MaxEndpointsPerAccount)
		}
	})
}
