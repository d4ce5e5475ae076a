package model

import (
	"fmt"
	"sort"
	"strings"
)

// The access audit compares who may connect (each service's allowed principals) with who
// is connected: principals nobody connects with, connections from accounts that are no
// longer allowed (removing a principal leaves its connections up), services open to
// everyone, and accounts connected to many services.

// Access finding codes.
const (
	CodePrincipalUnused       = "PRINCIPAL_UNUSED"
	CodeConnectionNotAllowed  = "CONNECTION_NOT_ALLOWED"
	CodeServicePublic         = "SERVICE_PUBLIC"
	CodeAccountManyServices   = "ACCOUNT_MANY_SERVICES"
	DefaultManyServices       = 3
	accessFindingCodesInOrder = CodeConnectionNotAllowed + CodeServicePublic + CodePrincipalUnused + CodeAccountManyServices
)

// AccessFinding is one result of the access audit.
type AccessFinding struct {
	Severity  Severity
	Code      string
	ServiceID string // "" for an account-wide finding
	Service   string // the service's label
	Account   string // "" for a service-wide finding
	Principal string // the principal concerned, when one is
	// Connections are the connections the finding is about (for CONNECTION_NOT_ALLOWED, the
	// ones a reject would cut).
	Connections []Connection
	Services    []string // ACCOUNT_MANY_SERVICES: the service ids the account is connected to
	Title       string
	Detail      string
}

// Key identifies a finding across audits (a table row id).
func (f AccessFinding) Key() string {
	return f.Code + "/" + f.ServiceID + "/" + f.Account + "/" + f.Principal
}

// EndpointIDs are the finding's connections' endpoint ids.
func (f AccessFinding) EndpointIDs() []string {
	out := make([]string, len(f.Connections))
	for i, c := range f.Connections {
		out[i] = c.EndpointID
	}
	return out
}

// AccessInput is what the audit looks at.
type AccessInput struct {
	Services []EndpointService
	// Principals holds each service's allowed principals by id; a service missing from the
	// map was not read, and is named in AccessReport.Unread instead of being judged.
	Principals  map[string][]Principal
	Connections []Connection
	Customers   *Customers
	// ManyServices is how many services an account must be connected to before it is
	// reported (0: DefaultManyServices).
	ManyServices int
}

// AccessReport is the audit's result.
type AccessReport struct {
	Findings []AccessFinding
	// Unread are the services whose principals were not known, so their principals and
	// connections were not judged.
	Unread []string
}

// NotAllowedConnections are the connections of every CONNECTION_NOT_ALLOWED finding.
func (r AccessReport) NotAllowedConnections() []Connection {
	var out []Connection
	for _, f := range r.Findings {
		if f.Code == CodeConnectionNotAllowed {
			out = append(out, f.Connections...)
		}
	}
	return out
}

// Live is whether a connection is up or asking to be (the states a provider can reject).
func Live(st ConnectionState) bool { return st.CanReject() }

// AuditAccess runs the access audit.
func AuditAccess(in AccessInput) AccessReport {
	many := in.ManyServices
	if many <= 0 {
		many = DefaultManyServices
	}
	byService := map[string][]Connection{}
	accountServices := map[string]map[string]bool{}
	for _, c := range in.Connections {
		if !Live(c.State) {
			byService[c.ServiceID] = append(byService[c.ServiceID], c) // ended: context only
			continue
		}
		byService[c.ServiceID] = append(byService[c.ServiceID], c)
		if accountServices[c.OwnerAccount] == nil {
			accountServices[c.OwnerAccount] = map[string]bool{}
		}
		accountServices[c.OwnerAccount][c.ServiceID] = true
	}
	name := func(acct string) string { return in.Customers.Label(acct) }
	var rep AccessReport
	labels := map[string]string{}
	for _, svc := range in.Services {
		labels[svc.ID] = svc.Label()
		ps, known := in.Principals[svc.ID]
		if !known {
			rep.Unread = append(rep.Unread, svc.ID)
			continue
		}
		conns := byService[svc.ID]
		live := map[string][]Connection{}
		ended := map[string]int{}
		for _, c := range conns {
			if Live(c.State) {
				live[c.OwnerAccount] = append(live[c.OwnerAccount], c)
			} else {
				ended[c.OwnerAccount]++
			}
		}
		for _, p := range ps {
			if p.ARN == "*" {
				f := AccessFinding{Severity: SeverityWarning, Code: CodeServicePublic, ServiceID: svc.ID, Service: svc.Label(), Principal: "*",
					Title:  "Open to every AWS account (*), acceptance required",
					Detail: "Any AWS account may request a connection; each request still needs acceptance."}
				if !svc.AcceptanceRequired {
					f.Severity = SeverityCritical
					f.Title = "Open to every AWS account (*), without acceptance"
					f.Detail = "Any AWS account can connect, and is connected at once: acceptance is not required."
				}
				rep.Findings = append(rep.Findings, f)
				continue
			}
			acct := AccountOfPrincipal(p.ARN)
			if acct == "" || len(live[acct]) > 0 {
				continue
			}
			detail := "Allowed to connect, but " + name(acct) + " has no pending or available connection to this service."
			if n := ended[acct]; n > 0 {
				detail += fmt.Sprintf(" It had %d that ended (deleted, rejected, expired or failed).", n)
			} else {
				detail += " It never connected."
			}
			rep.Findings = append(rep.Findings, AccessFinding{Severity: SeverityInfo, Code: CodePrincipalUnused,
				ServiceID: svc.ID, Service: svc.Label(), Account: acct, Principal: p.ARN,
				Title: "Allowed principal without a connection", Detail: detail})
		}
		accts := make([]string, 0, len(live))
		for a := range live {
			accts = append(accts, a)
		}
		sort.Strings(accts)
		for _, acct := range accts {
			if PrincipalsAllow(ps, acct) {
				continue
			}
			cs := live[acct]
			SortConnections(cs)
			rep.Findings = append(rep.Findings, AccessFinding{Severity: SeverityWarning, Code: CodeConnectionNotAllowed,
				ServiceID: svc.ID, Service: svc.Label(), Account: acct, Connections: cs,
				Title: fmt.Sprintf("%s from an account no longer allowed", plural(len(cs), "connection")),
				Detail: name(acct) + " is not an allowed principal of this service, but " +
					plural(len(cs), "connection") + " of it " + isAre(len(cs)) + " still pending or up. Removing a principal does not cut its connections; reject them to."})
		}
	}
	accts := make([]string, 0, len(accountServices))
	for a, svcs := range accountServices {
		if len(svcs) >= many {
			accts = append(accts, a)
		}
	}
	sort.Strings(accts)
	for _, acct := range accts {
		var ids, names []string
		for id := range accountServices[acct] {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			l := labels[id]
			if l == "" {
				l = id
			}
			names = append(names, l)
		}
		sort.Strings(names)
		rep.Findings = append(rep.Findings, AccessFinding{Severity: SeverityInfo, Code: CodeAccountManyServices,
			Account: acct, Services: ids,
			Title:  fmt.Sprintf("Connected to %d services", len(ids)),
			Detail: name(acct) + " has pending or available connections to " + strings.Join(names, ", ") + "."})
	}
	SortAccessFindings(rep.Findings)
	return rep
}

// SortAccessFindings orders findings worst first, then by kind, service and account.
func SortAccessFindings(fs []AccessFinding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Code != b.Code {
			return strings.Index(accessFindingCodesInOrder, a.Code) < strings.Index(accessFindingCodesInOrder, b.Code)
		}
		if a.Service != b.Service {
			return a.Service < b.Service
		}
		if a.Account != b.Account {
			return a.Account < b.Account
		}
		return a.Principal < b.Principal
	})
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
