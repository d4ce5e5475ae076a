package model

import (
	"strings"
	"testing"
)

func live(svc, ep, owner string) Connection {
	c := pend(svc, ep, owner, 60)
	c.State = StateAvailable
	return c
}

func codesOf(fs []AccessFinding) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.Code+"("+f.Service+","+f.Account+")")
	}
	return strings.Join(parts, " ")
}

func TestAuditAccess(t *testing.T) {
	svcC := "vpce-svc-0cccccccccccccccc"
	deleted := live(svcA, "vpce-old", acct2)
	deleted.State = StateDeleted
	in := AccessInput{
		Services: []EndpointService{
			{ID: svcA, DisplayName: "payments-api", AcceptanceRequired: true},
			{ID: svcB, DisplayName: "ledger-ingest", AcceptanceRequired: false},
			{ID: svcC, DisplayName: "search", AcceptanceRequired: true},
		},
		Principals: map[string][]Principal{
			// acct1 connected; acct2 allowed (a role) with only an ended connection; acct3 was removed
			svcA: {{ARN: AccountRootARN(acct1)}, {ARN: "arn:aws:iam::" + acct2 + ":role/x"}},
			svcB: {{ARN: "*"}},
		},
		Connections: []Connection{
			live(svcA, "vpce-1", acct1), deleted,
			live(svcA, "vpce-2", acct3), pend(svcA, "vpce-3", acct3, 5),
			live(svcB, "vpce-4", acct3), live(svcB, "vpce-5", acct1),
			live(svcC, "vpce-6", acct1),
		},
		Customers: NewCustomers("", Customer{Account: acct3, Name: "Initech"}),
	}
	rep := AuditAccess(in)
	want := "SERVICE_PUBLIC(ledger-ingest,) CONNECTION_NOT_ALLOWED(payments-api,333333333333) " +
		"PRINCIPAL_UNUSED(payments-api,222222222222) ACCOUNT_MANY_SERVICES(,111111111111)"
	if got := codesOf(rep.Findings); got != want {
		t.Fatalf("findings\n got %s\nwant %s", got, want)
	}
	if len(rep.Unread) != 1 || rep.Unread[0] != svcC {
		t.Fatalf("unread %v: search's principals were not given", rep.Unread)
	}
	pub := rep.Findings[0]
	if pub.Severity != SeverityCritical || !strings.Contains(pub.Title, "without acceptance") {
		t.Fatalf("public service without acceptance: %+v", pub)
	}
	na := rep.Findings[1]
	if ids := strings.Join(na.EndpointIDs(), ","); ids != "vpce-3,vpce-2" {
		t.Fatalf("not-allowed connections %s (pending first)", ids)
	}
	if !strings.Contains(na.Detail, "Initech (333333333333)") || na.Title != "2 connections from an account no longer allowed" {
		t.Fatalf("finding names the customer: %+v", na)
	}
	if n := len(rep.NotAllowedConnections()); n != 2 {
		t.Fatalf("%d connections to reject", n)
	}
	unused := rep.Findings[2]
	if !strings.Contains(unused.Detail, "had 1 that ended") || unused.Principal != "arn:aws:iam::222222222222:role/x" {
		t.Fatalf("unused principal: %+v", unused)
	}
	many := rep.Findings[3]
	if len(many.Services) != 3 || !strings.Contains(many.Detail, "ledger-ingest, payments-api, search") {
		t.Fatalf("many services: %+v", many)
	}

	// With acceptance required the public service is a warning; a higher threshold drops
	// the many-services finding.
	in.Services[1].AcceptanceRequired = true
	in.ManyServices = 4
	rep = AuditAccess(in)
	if rep.Findings[0].Code != CodeConnectionNotAllowed || codesOf(rep.Findings) == want {
		t.Fatalf("order after the change: %s", codesOf(rep.Findings))
	}
	for _, f := range rep.Findings {
		if f.Code == CodeServicePublic && f.Severity != SeverityWarning {
			t.Fatalf("public with acceptance: %+v", f)
		}
		if f.Code == CodeAccountManyServices {
			t.Fatal("threshold 4 still reports 3 services")
		}
	}
}

func TestAuditAccessQuietWhenAllIsWell(t *testing.T) {
	rep := AuditAccess(AccessInput{
		Services:    []EndpointService{{ID: svcA}},
		Principals:  map[string][]Principal{svcA: {{ARN: AccountRootARN(acct1)}}},
		Connections: []Connection{live(svcA, "vpce-1", acct1)},
	})
	if len(rep.Findings) != 0 || len(rep.Unread) != 0 {
		t.Fatalf("findings on a clean service: %+v", rep)
	}
}

func TestCustomers(t *testing.T) {
	d := NewCustomers("a.toml", Customer{Account: acct1, Name: "Acme", Tier: "gold"})
	if d.Label(acct1) != "Acme (111111111111)" || d.Label(acct2) != acct2 || d.Tier(acct1) != "gold" {
		t.Fatal("labels")
	}
	var none *Customers
	if none.Label(acct1) != acct1 || none.Len() != 0 || none.Name(acct1) != "" {
		t.Fatal("a nil directory is empty")
	}
	d2 := d.With(Customer{Account: acct2, Name: "Globex"})
	if d.Len() != 1 || d2.Len() != 2 || d2.Source != "a.toml" {
		t.Fatal("With must copy")
	}
	for _, bad := range []Customer{
		{Account: "1", Name: "x"},
		{Account: acct1, Name: ""},
		{Account: acct1, Name: " padded"},
		{Account: acct1, Name: strings.Repeat("n", 65)},
		{Account: acct1, Name: "ok", Tier: "Gold"},
		{Account: acct1, Name: "tab\there"},
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v validated", bad)
		}
	}
	if AccountOfPrincipal("arn:aws:iam::123456789012:role/x") != "123456789012" || AccountOfPrincipal("*") != "" {
		t.Fatal("AccountOfPrincipal")
	}
}

func TestConnectionPayer(t *testing.T) {
	for in, want := range map[string]string{"consumer": PayerEndpointAccount, " Provider ": PayerServiceAccount,
		PayerServiceAccount: PayerServiceAccount, "service-owner": PayerServiceAccount} {
		if got, err := ParseConnectionPayer(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	if _, err := ParseConnectionPayer("me"); err == nil || !strings.Contains(err.Error(), "consumer") {
		t.Fatalf("bad payer: %v", err)
	}
	c := Connection{}
	if PayerText(c, EndpointService{PayerResponsibility: PayerServiceOwner}) != "provider (service)" ||
		PayerText(c, EndpointService{}) != "consumer (service)" {
		t.Fatal("service default")
	}
	c.Payer = PayerEndpointAccount
	if PayerText(c, EndpointService{PayerResponsibility: PayerServiceOwner}) != "consumer" {
		t.Fatal("explicit payer wins")
	}
}
