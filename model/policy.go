package model

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// An approval policy is an ordered list of rules. Each pending connection request is tried
// against the rules in order; the first rule whose conditions all hold decides: accept,
// reject or hold (leave it for a person). A request no rule matches is held. The console's
// inbox shows each request's decision and rule, and the console and `plconsole approve`
// apply the same decisions through the same code (EvaluatePolicy).

// Decision is what a policy says to do with a pending request.
type Decision string

const (
	DecisionAccept Decision = "accept"
	DecisionReject Decision = "reject"
	DecisionHold   Decision = "hold"
)

// Decisions lists the decisions in the order summaries show them.
var Decisions = []Decision{DecisionAccept, DecisionReject, DecisionHold}

// Region keywords a rule's regions may hold besides region names.
const (
	RegionSame  = "same-region"  // the endpoint is in the service's region
	RegionCross = "cross-region" // the endpoint is in another region
)

// PolicyRule is one rule. Empty lists match anything; every non-empty condition must hold.
type PolicyRule struct {
	Name     string
	Decision Decision
	// Accounts are owner account ids; Tiers are tiers from the accounts file.
	Accounts []string
	Tiers    []string
	// Services are service ids or names (Name tags); * and ? are wildcards.
	Services []string
	// Regions are the endpoint's region names, or RegionSame / RegionCross.
	Regions []string
	// IPAddressTypes are ipv4, dualstack, ipv6.
	IPAddressTypes []string
	// AllowedPrincipal, when set, requires the owner account to be (true) or not to be
	// (false) allowed by the service's principals: explicitly, or through *.
	AllowedPrincipal *bool
	// MaxEndpointsPerAccount (accept rules only; 0: none) lets the rule accept a request only
	// while the owner has fewer live endpoints (pending or available, plus the ones this
	// evaluation accepts) on the service; a request over the limit falls through to the next
	// rule.
	MaxEndpointsPerAccount int

	// Line is the line of the rule in its file; Lines the line of each of its settings by
	// file key (0 when unknown). Errors name them.
	Line  int
	Lines map[string]int
}

// Policy is an approval policy: its rules, in order, and the file they came from.
type Policy struct {
	Rules  []PolicyRule
	Source string
}

// Policy file keys, as errors and the file format name them.
const (
	PolicyKeyName      = "name"
	PolicyKeyDecision  = "decision"
	PolicyKeyAccounts  = "accounts"
	PolicyKeyTiers     = "tiers"
	PolicyKeyServices  = "services"
	PolicyKeyRegions   = "regions"
	PolicyKeyIPTypes   = "ip_address_types"
	PolicyKeyPrincipal = "allowed_principal"
	PolicyKeyLimit     = "max_endpoints_per_account"
)

// FileError is a problem in a file the user wrote (the policy file, the accounts file):
// where it is, and one sentence on what is wrong and what is allowed.
type FileError struct {
	Source string
	Line   int // 0: the file as a whole
	Msg    string
}

func (e *FileError) Error() string {
	where := e.Source
	if where == "" {
		where = "policy"
	}
	if e.Line > 0 {
		where += ":" + strconv.Itoa(e.Line)
	}
	return where + ": " + e.Msg
}

func (e *FileError) Unwrap() error { return ErrInvalid }

// Validate checks every rule and returns the first problem, naming its line.
func (p *Policy) Validate() error {
	if p == nil {
		return nil
	}
	names := map[string]int{}
	for i := range p.Rules {
		r := &p.Rules[i]
		fail := func(key, format string, args ...any) error {
			line := r.Line
			if l := r.Lines[key]; l > 0 {
				line = l
			}
			label := fmt.Sprintf("rule %d", i+1)
			if r.Name != "" {
				label = fmt.Sprintf("rule %q", r.Name)
			}
			return &FileError{Source: p.Source, Line: line, Msg: label + ": " + fmt.Sprintf(format, args...)}
		}
		if strings.TrimSpace(r.Name) == "" {
			return fail(PolicyKeyName, "has no name; give each rule a name = \"…\" (suggestions and the audit log cite it)")
		}
		if prev, dup := names[r.Name]; dup {
			return fail(PolicyKeyName, "has the same name as the rule on line %d; names must be unique", prev)
		}
		names[r.Name] = r.Line
		switch r.Decision {
		case DecisionAccept, DecisionReject, DecisionHold:
		case "":
			return fail(PolicyKeyDecision, "has no decision; add decision = \"accept\", \"reject\" or \"hold\"")
		default:
			return fail(PolicyKeyDecision, "decision %q is not one of accept, reject, hold", string(r.Decision))
		}
		for _, a := range r.Accounts {
			if err := ValidateAccountID(a); err != nil {
				return fail(PolicyKeyAccounts, "%s", strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
			}
		}
		for _, t := range r.Tiers {
			if t == "" {
				return fail(PolicyKeyTiers, "has an empty tier")
			}
			if err := ValidateTier(t); err != nil {
				return fail(PolicyKeyTiers, "%s", strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
			}
		}
		for _, s := range r.Services {
			if strings.TrimSpace(s) == "" {
				return fail(PolicyKeyServices, "has an empty service; give service ids (vpce-svc-…) or names")
			}
			if _, err := path.Match(s, ""); err != nil {
				return fail(PolicyKeyServices, "service pattern %q is malformed (use * and ? as wildcards)", s)
			}
		}
		for _, reg := range r.Regions {
			if reg == RegionSame || reg == RegionCross {
				continue
			}
			if err := ValidateRegion(reg); err != nil {
				return fail(PolicyKeyRegions, "region %q is not a region name (like us-east-1), %q or %q", reg, RegionSame, RegionCross)
			}
		}
		for _, t := range r.IPAddressTypes {
			if err := ValidateIPAddressType(t); err != nil {
				return fail(PolicyKeyIPTypes, "IP address type %q is not one of ipv4, dualstack, ipv6", t)
			}
		}
		if r.MaxEndpointsPerAccount < 0 {
			return fail(PolicyKeyLimit, "max_endpoints_per_account %d is negative; use 1 or more (or leave it out)", r.MaxEndpointsPerAccount)
		}
		if r.MaxEndpointsPerAccount > 0 && r.Decision != DecisionAccept {
			return fail(PolicyKeyLimit, "max_endpoints_per_account limits what a rule accepts, so it needs decision = \"accept\" (this rule decides %s)", r.Decision)
		}
	}
	return nil
}

// Cite names a rule for people: `rule "gold" (policy.toml:7)`, with the file's base name.
func (p *Policy) Cite(r *PolicyRule) string {
	s := fmt.Sprintf("rule %q", r.Name)
	if p != nil && p.Source != "" && r.Line > 0 {
		s += fmt.Sprintf(" (%s:%d)", filepath.Base(p.Source), r.Line)
	} else if r.Line > 0 {
		s += fmt.Sprintf(" (line %d)", r.Line)
	}
	return s
}

// PolicyInput is what a policy is evaluated against.
type PolicyInput struct {
	// HomeRegion is the services' region (same-region / cross-region compare with it).
	HomeRegion string
	Services   []EndpointService
	// Principals holds each service's allowed principals by service id; a service missing
	// from the map has principals not read yet, and rules that need them cannot decide.
	Principals  map[string][]Principal
	Customers   *Customers
	Connections []Connection // every connection (the pending ones are decided; all count for limits)
}

// Suggestion is the policy's decision for one pending request.
type Suggestion struct {
	Connection Connection
	Decision   Decision
	// Rule is the rule that decided (nil: no rule matched, or Undecided).
	Rule *PolicyRule
	// Reason says why, in one line: the rule cited, or why no rule decided.
	Reason string
	// Undecided is set when a rule needed something not known yet (the service's allowed
	// principals): the decision is then hold, and applying the policy leaves it alone.
	Undecided bool
}

// RuleName is the deciding rule's name ("" when none).
func (s Suggestion) RuleName() string {
	if s.Rule == nil {
		return ""
	}
	return s.Rule.Name
}

// Short is the suggestion as one cell: "accept · gold", "hold · no rule", "? principals".
func (s Suggestion) Short() string {
	switch {
	case s.Undecided:
		return "? " + s.Reason
	case s.Rule == nil:
		return string(s.Decision) + " · no rule"
	}
	return string(s.Decision) + " · " + s.Rule.Name
}

// PrincipalsAllow says whether the allowed principals let an account connect: explicitly
// (its root, a user or a role of it) or through *.
func PrincipalsAllow(ps []Principal, account string) bool {
	for _, p := range ps {
		if p.ARN == "*" || AccountOfPrincipal(p.ARN) == account {
			return true
		}
	}
	return false
}

// liveForLimit says whether a connection counts against a per-account endpoint limit.
func liveForLimit(st ConnectionState) bool { return st == StatePending || st == StateAvailable }

// EvaluatePolicy decides every pendingAcceptance connection in in.Connections, oldest first
// (so earlier requests take an account's remaining slots under a limit), and returns the
// suggestions in that order. A nil policy holds everything.
func EvaluatePolicy(p *Policy, in PolicyInput) []Suggestion {
	services := make(map[string]EndpointService, len(in.Services))
	for _, s := range in.Services {
		services[s.ID] = s
	}
	live := map[string]int{} // service/account → live endpoints
	var pending []Connection
	for _, c := range in.Connections {
		switch {
		case c.State == StatePendingAcceptance:
			pending = append(pending, c)
		case liveForLimit(c.State):
			live[c.ServiceID+"/"+c.OwnerAccount]++
		}
	}
	sort.SliceStable(pending, func(i, j int) bool {
		if !pending[i].Created.Equal(pending[j].Created) {
			return pending[i].Created.Before(pending[j].Created)
		}
		return pending[i].Key() < pending[j].Key()
	})
	out := make([]Suggestion, 0, len(pending))
	for _, c := range pending {
		out = append(out, decide(p, in, services, live, c))
	}
	return out
}

func decide(p *Policy, in PolicyInput, services map[string]EndpointService, live map[string]int, c Connection) Suggestion {
	sg := Suggestion{Connection: c, Decision: DecisionHold}
	if p == nil {
		sg.Reason = "no policy"
		return sg
	}
	svc := services[c.ServiceID]
	var skipped []string
	for i := range p.Rules {
		r := &p.Rules[i]
		ok, unknown := r.matches(in, svc, c)
		if unknown {
			sg.Undecided = true
			sg.Reason = "principals of " + svc.Label() + " not read yet"
			if svc.ID == "" {
				sg.Reason = "principals of " + c.ServiceID + " not read yet"
			}
			return sg
		}
		if !ok {
			continue
		}
		if r.MaxEndpointsPerAccount > 0 {
			k := c.ServiceID + "/" + c.OwnerAccount
			if live[k] >= r.MaxEndpointsPerAccount {
				skipped = append(skipped, fmt.Sprintf("%q skipped: %d of %d endpoints in use", r.Name, live[k], r.MaxEndpointsPerAccount))
				continue
			}
			live[k]++
		}
		sg.Decision, sg.Rule = r.Decision, r
		sg.Reason = p.Cite(r)
		if len(skipped) > 0 {
			sg.Reason += "; " + strings.Join(skipped, "; ")
		}
		return sg
	}
	sg.Reason = "no rule matched"
	if len(skipped) > 0 {
		sg.Reason += "; " + strings.Join(skipped, "; ")
	}
	return sg
}

// matches reports whether every condition of the rule holds for c; unknown is set when the
// rule's other conditions hold but it needs the service's principals, which are not known.
func (r *PolicyRule) matches(in PolicyInput, svc EndpointService, c Connection) (ok, unknown bool) {
	if len(r.Accounts) > 0 && !slices.Contains(r.Accounts, c.OwnerAccount) {
		return false, false
	}
	if len(r.Tiers) > 0 {
		tier := in.Customers.Tier(c.OwnerAccount)
		if tier == "" || !slices.Contains(r.Tiers, tier) {
			return false, false
		}
	}
	if len(r.Services) > 0 && !matchService(r.Services, c.ServiceID, svc) {
		return false, false
	}
	if len(r.Regions) > 0 && !matchRegion(r.Regions, c.Region, in.HomeRegion) {
		return false, false
	}
	if len(r.IPAddressTypes) > 0 && !slices.Contains(r.IPAddressTypes, c.IPAddressType) {
		return false, false
	}
	if r.AllowedPrincipal != nil {
		ps, known := in.Principals[c.ServiceID]
		if !known {
			return false, true
		}
		if PrincipalsAllow(ps, c.OwnerAccount) != *r.AllowedPrincipal {
			return false, false
		}
	}
	return true, false
}

func matchService(patterns []string, id string, svc EndpointService) bool {
	for _, pat := range patterns {
		for _, s := range []string{id, svc.DisplayName} {
			if s == "" {
				continue
			}
			if ok, _ := path.Match(pat, s); ok {
				return true
			}
		}
	}
	return false
}

func matchRegion(regions []string, region, home string) bool {
	if region == "" {
		region = home // a connection without a region is in the service's
	}
	for _, r := range regions {
		switch r {
		case RegionSame:
			if region == home {
				return true
			}
		case RegionCross:
			if home != "" && region != home {
				return true
			}
		default:
			if r == region {
				return true
			}
		}
	}
	return false
}

// PlanSummary counts a set of suggestions by decision, and for each decision by account
// and by service, for the confirmation and the headless plan.
type PlanSummary struct {
	Total      int
	ByDecision map[Decision]int
	// ByAccount and ByService count, per decision, the requests of each owner account and
	// each service id.
	ByAccount map[Decision]map[string]int
	ByService map[Decision]map[string]int
	Undecided int
}

// SummarizePlan counts suggestions.
func SummarizePlan(sgs []Suggestion) PlanSummary {
	s := PlanSummary{ByDecision: map[Decision]int{}, ByAccount: map[Decision]map[string]int{}, ByService: map[Decision]map[string]int{}}
	for _, sg := range sgs {
		s.Total++
		s.ByDecision[sg.Decision]++
		if sg.Undecided {
			s.Undecided++
		}
		if s.ByAccount[sg.Decision] == nil {
			s.ByAccount[sg.Decision] = map[string]int{}
			s.ByService[sg.Decision] = map[string]int{}
		}
		s.ByAccount[sg.Decision][sg.Connection.OwnerAccount]++
		s.ByService[sg.Decision][sg.Connection.ServiceID]++
	}
	return s
}

// PolicyBatch is one write that applying a policy makes: the requests of one service that
// one rule decides the same way. Grouping by rule lets each write's audit line name its rule.
type PolicyBatch struct {
	ServiceID string
	Decision  Decision // accept or reject
	Rule      *PolicyRule
	Reason    string // the rule cited, for the audit log
	Endpoints []string
}

// PolicyBatches groups the suggestions that change something (accept, reject; not hold or
// undecided) into writes, ordered by service, decision and rule order.
func PolicyBatches(p *Policy, sgs []Suggestion) []PolicyBatch {
	idx := map[string]int{}
	var out []PolicyBatch
	for _, sg := range sgs {
		if sg.Undecided || sg.Rule == nil || sg.Decision == DecisionHold {
			continue
		}
		k := sg.Connection.ServiceID + "\x00" + string(sg.Decision) + "\x00" + sg.Rule.Name
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, PolicyBatch{ServiceID: sg.Connection.ServiceID, Decision: sg.Decision, Rule: sg.Rule,
				Reason: p.auditCite(sg.Rule)})
		}
		out[i].Endpoints = append(out[i].Endpoints, sg.Connection.EndpointID)
	}
	order := map[string]int{}
	if p != nil {
		for i, r := range p.Rules {
			order[r.Name] = i
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.ServiceID != b.ServiceID {
			return a.ServiceID < b.ServiceID
		}
		if a.Decision != b.Decision {
			return a.Decision < b.Decision
		}
		return order[a.Rule.Name] < order[b.Rule.Name]
	})
	return out
}

// auditCite names a rule for the audit log, with the policy file's full path:
// `policy /etc/plconsole/policy.toml: rule "gold" (line 7)`.
func (p *Policy) auditCite(r *PolicyRule) string {
	s := "policy"
	if p != nil && p.Source != "" {
		s += " " + p.Source + ":"
	}
	s += fmt.Sprintf(" rule %q", r.Name)
	if r.Line > 0 {
		s += fmt.Sprintf(" (line %d)", r.Line)
	}
	return s
}

type auditReasonKey struct{}

// WithAuditReason attaches why a write is made (the policy rule that decided it) to ctx; the
// AWS layer records it in the write's audit line.
func WithAuditReason(ctx context.Context, reason string) context.Context {
	return context.WithValue(ctx, auditReasonKey{}, reason)
}

// AuditReason is the reason WithAuditReason attached ("" when none).
func AuditReason(ctx context.Context) string {
	s, _ := ctx.Value(auditReasonKey{}).(string)
	return s
}

// ErrNoPolicy is returned when a policy is needed and none was given.
var ErrNoPolicy = errors.New("no approval policy: pass --policy FILE or put policy.toml in the config directory")
