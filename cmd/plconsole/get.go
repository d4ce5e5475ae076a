package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/plconsole/plconsole/model"
)

// getKinds are what `plconsole get` lists.
var getKinds = []string{"services", "connections", "principals", "targets", "findings"}

type getFilters struct {
	service   string
	state     string
	owner     string
	noMetrics bool
}

func newGetCommand() *cobra.Command {
	var h headlessFlags
	var f getFilters
	cmd := &cobra.Command{
		Use:   "get services|connections|principals|targets|findings",
		Short: "List services, connections, principals, targets or findings (table, JSON, YAML or CSV)",
		Long: `List what the console shows, for scripts and cron jobs. Filters narrow the list:
--service (an id or a name), --state (a connection, service or target state) and --owner
(an account id or a customer name). JSON, YAML and CSV use the field names of
docs/HEADLESS.md; findings are the services' diagnostics (from their configuration, target
health and connections, and from their CloudWatch metrics over the last 3 hours, as the
console's) and the access audit.`,
		Example: `  plconsole get connections --state pendingAcceptance -o json | jq -r '.[] | [.endpoint_id, .customer] | @tsv'
  plconsole get findings --service payments-api -o csv > findings.csv`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: getKinds,
		RunE: func(cmd *cobra.Command, args []string) error {
			kind := args[0]
			if !contains(getKinds, kind) {
				return fmt.Errorf("cannot get %q: use one of %s", kind, strings.Join(getKinds, ", "))
			}
			sess, err := h.open(cmd, getFormats...)
			if err != nil {
				return err
			}
			defer sess.Close()
			return runGet(cmd, sess, kind, f, h.output)
		},
	}
	h.register(cmd, getFormats...)
	cmd.Flags().StringVar(&f.service, "service", "", "only this service (id or name)")
	cmd.Flags().StringVar(&f.state, "state", "", "only this state (connections: pendingAcceptance, available, …; services: Available, …; targets: healthy, …)")
	cmd.Flags().StringVar(&f.owner, "owner", "", "only connections, principals and findings of this account (id or customer name)")
	cmd.Flags().BoolVar(&f.noMetrics, "no-metrics", false, "findings: leave out those from CloudWatch metrics (their read is billed per metric: ~11 a service, more with zones)")
	_ = cmd.RegisterFlagCompletionFunc("service", h.completeServices)
	_ = cmd.RegisterFlagCompletionFunc("owner", h.completeAccounts)
	_ = cmd.RegisterFlagCompletionFunc("state", cobra.FixedCompletions(connectionStateNames(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func connectionStateNames() []string {
	var out []string
	for _, s := range model.AllConnectionStates {
		out = append(out, string(s))
	}
	return out
}

func runGet(cmd *cobra.Command, sess *session, kind string, f getFilters, format string) error {
	ctx := cmd.Context()
	// a policy's rules may ask whether the owner is an allowed principal: the connections'
	// decisions need the principals read, or every such rule would say hold
	needPrincipals := kind == "principals" || kind == "findings" || kind == "services" ||
		(kind == "connections" && sess.policy != nil)
	lbs := kind == "targets" || kind == "findings" || kind == "services"
	var want func(model.EndpointService) bool
	if needPrincipals {
		want = func(model.EndpointService) bool { return true }
	}
	w, err := readWorld(ctx, sess.client, lbs, want)
	if err != nil {
		return err
	}
	if f.service != "" {
		svc, err := findService(w.services, f.service)
		if err != nil {
			return err
		}
		f.service = svc.ID
	}
	if f.state != "" && kind == "connections" {
		st, ok := model.ParseConnectionState(f.state)
		if !ok {
			return fmt.Errorf("--state %q is not a connection state: use one of %s", f.state, strings.Join(connectionStateNames(), ", "))
		}
		f.state = string(st)
	}
	out := cmd.OutOrStdout()
	switch kind {
	case "services":
		return render(out, format, serviceRecords(w, f, sess), serviceColumns, []string{"id", "name", "state", "acceptance_required", "pending_acceptance", "available", "health"})
	case "connections":
		return render(out, format, connectionRecords(w, f, sess), connectionColumns, []string{"endpoint_id", "owner_account", "customer", "service", "state", "region", "payer", "decision", "rule"})
	case "principals":
		return render(out, format, principalRecords(w, f, sess), principalColumns, []string{"service", "principal", "type", "customer", "live_connections"})
	case "targets":
		return render(out, format, targetRecords(w, f), targetColumns, []string{"service", "load_balancer", "target_group", "target_id", "port", "availability_zone", "state", "reason"})
	}
	var fm *fleetMetrics
	if !f.noMetrics && f.owner == "" {
		fm, err = readFleetMetrics(ctx, sess, w, f.service)
		if err != nil {
			// the other findings stand on their own; say what is missing, and why
			fmt.Fprintf(cmd.ErrOrStderr(), "plconsole: the findings from CloudWatch metrics are left out: %v\n", err)
		}
	}
	return render(out, format, findingRecords(w, f, sess, fm), findingColumns, []string{"severity", "code", "service", "account", "customer", "title"})
}

// ---- services ------------------------------------------------------------------------------

type serviceRecord struct {
	ID                      string            `json:"id" yaml:"id"`
	Name                    string            `json:"name" yaml:"name"`
	ServiceName             string            `json:"service_name" yaml:"service_name"`
	Type                    string            `json:"type" yaml:"type"`
	State                   string            `json:"state" yaml:"state"`
	AcceptanceRequired      bool              `json:"acceptance_required" yaml:"acceptance_required"`
	PayerResponsibility     string            `json:"payer_responsibility" yaml:"payer_responsibility"`
	PrivateDNSName          string            `json:"private_dns_name" yaml:"private_dns_name"`
	PrivateDNSState         string            `json:"private_dns_state" yaml:"private_dns_state"`
	AvailabilityZones       []string          `json:"availability_zones" yaml:"availability_zones"`
	SupportedIPAddressTypes []string          `json:"supported_ip_address_types" yaml:"supported_ip_address_types"`
	LoadBalancers           []string          `json:"load_balancers" yaml:"load_balancers"`
	PendingAcceptance       int               `json:"pending_acceptance" yaml:"pending_acceptance"`
	Available               int               `json:"available" yaml:"available"`
	Connections             int               `json:"connections" yaml:"connections"`
	Principals              int               `json:"principals" yaml:"principals"`
	Health                  string            `json:"health" yaml:"health"`
	Tags                    map[string]string `json:"tags" yaml:"tags"`
}

var serviceColumns = []column[serviceRecord]{
	{"id", func(r serviceRecord) string { return r.ID }},
	{"name", func(r serviceRecord) string { return r.Name }},
	{"service_name", func(r serviceRecord) string { return r.ServiceName }},
	{"type", func(r serviceRecord) string { return r.Type }},
	{"state", func(r serviceRecord) string { return r.State }},
	{"acceptance_required", func(r serviceRecord) string { return strconv.FormatBool(r.AcceptanceRequired) }},
	{"payer_responsibility", func(r serviceRecord) string { return r.PayerResponsibility }},
	{"private_dns_name", func(r serviceRecord) string { return r.PrivateDNSName }},
	{"private_dns_state", func(r serviceRecord) string { return r.PrivateDNSState }},
	{"availability_zones", func(r serviceRecord) string { return joinList(r.AvailabilityZones) }},
	{"supported_ip_address_types", func(r serviceRecord) string { return joinList(r.SupportedIPAddressTypes) }},
	{"load_balancers", func(r serviceRecord) string { return joinList(r.LoadBalancers) }},
	{"pending_acceptance", func(r serviceRecord) string { return strconv.Itoa(r.PendingAcceptance) }},
	{"available", func(r serviceRecord) string { return strconv.Itoa(r.Available) }},
	{"connections", func(r serviceRecord) string { return strconv.Itoa(r.Connections) }},
	{"principals", func(r serviceRecord) string { return strconv.Itoa(r.Principals) }},
	{"health", func(r serviceRecord) string { return r.Health }},
	{"tags", func(r serviceRecord) string { return joinTags(r.Tags) }},
}

func serviceRecords(w *world, f getFilters, sess *session) []serviceRecord {
	sums := model.SummarizeByService(w.connections)
	var out []serviceRecord
	for _, s := range w.services {
		if f.service != "" && s.ID != f.service || f.state != "" && !strings.EqualFold(string(s.State), f.state) {
			continue
		}
		s.AllowedPrincipals = w.principals[s.ID]
		h, _ := model.ServiceHealth(s, w.lbs, w.connections, model.DiagnoseOptions{Now: time.Now()})
		r := serviceRecord{ID: s.ID, Name: s.Label(), ServiceName: s.Name, Type: string(s.Type), State: string(s.State),
			AcceptanceRequired: s.AcceptanceRequired, PayerResponsibility: string(s.PayerResponsibility),
			AvailabilityZones: nonNil(s.AvailabilityZones), SupportedIPAddressTypes: nonNil(s.SupportedIPTypes),
			LoadBalancers:     nonNil(append(append([]string{}, s.NetworkLoadBalancers...), s.GatewayLoadBalancers...)),
			PendingAcceptance: sums[s.ID].PendingAcceptance(), Available: sums[s.ID].Available(),
			Connections: sums[s.ID].Total, Principals: len(w.principals[s.ID]), Health: string(h), Tags: nonNilTags(s.Tags)}
		if s.PrivateDNS != nil {
			r.PrivateDNSName, r.PrivateDNSState = s.PrivateDNS.Name, string(s.PrivateDNS.State)
		}
		out = append(out, r)
	}
	return out
}

// ---- connections ---------------------------------------------------------------------------

type connectionRecord struct {
	ServiceID     string            `json:"service_id" yaml:"service_id"`
	Service       string            `json:"service" yaml:"service"`
	EndpointID    string            `json:"endpoint_id" yaml:"endpoint_id"`
	ConnectionID  string            `json:"connection_id" yaml:"connection_id"`
	OwnerAccount  string            `json:"owner_account" yaml:"owner_account"`
	Customer      string            `json:"customer" yaml:"customer"`
	Tier          string            `json:"tier" yaml:"tier"`
	State         string            `json:"state" yaml:"state"`
	Created       string            `json:"created" yaml:"created"`
	Region        string            `json:"region" yaml:"region"`
	IPAddressType string            `json:"ip_address_type" yaml:"ip_address_type"`
	Payer         string            `json:"payer" yaml:"payer"`
	PayerSource   string            `json:"payer_source" yaml:"payer_source"`
	DNSNames      []string          `json:"dns_names" yaml:"dns_names"`
	Tags          map[string]string `json:"tags" yaml:"tags"`
	Decision      string            `json:"decision" yaml:"decision"`
	Rule          string            `json:"rule" yaml:"rule"`
	Reason        string            `json:"reason" yaml:"reason"`
}

var connectionColumns = []column[connectionRecord]{
	{"service_id", func(r connectionRecord) string { return r.ServiceID }},
	{"service", func(r connectionRecord) string { return r.Service }},
	{"endpoint_id", func(r connectionRecord) string { return r.EndpointID }},
	{"connection_id", func(r connectionRecord) string { return r.ConnectionID }},
	{"owner_account", func(r connectionRecord) string { return r.OwnerAccount }},
	{"customer", func(r connectionRecord) string { return r.Customer }},
	{"tier", func(r connectionRecord) string { return r.Tier }},
	{"state", func(r connectionRecord) string { return r.State }},
	{"created", func(r connectionRecord) string { return r.Created }},
	{"region", func(r connectionRecord) string { return r.Region }},
	{"ip_address_type", func(r connectionRecord) string { return r.IPAddressType }},
	{"payer", func(r connectionRecord) string { return r.Payer }},
	{"payer_source", func(r connectionRecord) string { return r.PayerSource }},
	{"dns_names", func(r connectionRecord) string { return joinList(r.DNSNames) }},
	{"tags", func(r connectionRecord) string { return joinTags(r.Tags) }},
	{"decision", func(r connectionRecord) string { return r.Decision }},
	{"rule", func(r connectionRecord) string { return r.Rule }},
	{"reason", func(r connectionRecord) string { return r.Reason }},
}

// connectionRecords lists connections in inbox order; pending ones carry the policy's
// decision when a policy is loaded.
func connectionRecords(w *world, f getFilters, sess *session) []connectionRecord {
	conns := append([]model.Connection(nil), w.connections...)
	model.SortConnections(conns)
	suggestions := map[string]model.Suggestion{}
	if sess.policy != nil {
		for _, sg := range evaluate(sess, w) {
			suggestions[sg.Connection.Key()] = sg
		}
	}
	var out []connectionRecord
	for _, c := range conns {
		if f.service != "" && c.ServiceID != f.service || f.state != "" && string(c.State) != f.state ||
			!ownerMatches(f.owner, c.OwnerAccount, sess.customers) {
			continue
		}
		payer, explicit := model.EffectivePayer(c, w.service(c.ServiceID))
		src := "service"
		if explicit {
			src = "connection"
		}
		r := connectionRecord{ServiceID: c.ServiceID, Service: w.label(c.ServiceID), EndpointID: c.EndpointID,
			ConnectionID: c.ConnectionID, OwnerAccount: c.OwnerAccount, Customer: sess.customers.Name(c.OwnerAccount),
			Tier: sess.customers.Tier(c.OwnerAccount), State: string(c.State), Region: c.Region, IPAddressType: c.IPAddressType,
			Payer: payer, PayerSource: src, DNSNames: nonNil(c.DNSNames), Tags: nonNilTags(c.Tags)}
		if !c.Created.IsZero() {
			r.Created = c.Created.UTC().Format(time.RFC3339)
		}
		if sg, ok := suggestions[c.Key()]; ok {
			r.Decision, r.Rule, r.Reason = string(sg.Decision), sg.RuleName(), sg.Reason
		}
		out = append(out, r)
	}
	return out
}

// evaluate runs the session's policy over what was read (the same call the console makes).
func evaluate(sess *session, w *world) []model.Suggestion {
	return model.EvaluatePolicy(sess.policy, model.PolicyInput{HomeRegion: w.region, Services: w.services,
		Principals: w.principals, Customers: sess.customers, Connections: w.connections})
}

// ---- principals ----------------------------------------------------------------------------

type principalRecord struct {
	ServiceID       string            `json:"service_id" yaml:"service_id"`
	Service         string            `json:"service" yaml:"service"`
	Principal       string            `json:"principal" yaml:"principal"`
	Type            string            `json:"type" yaml:"type"`
	Account         string            `json:"account" yaml:"account"`
	Customer        string            `json:"customer" yaml:"customer"`
	PermissionID    string            `json:"permission_id" yaml:"permission_id"`
	LiveConnections int               `json:"live_connections" yaml:"live_connections"`
	Tags            map[string]string `json:"tags" yaml:"tags"`
}

var principalColumns = []column[principalRecord]{
	{"service_id", func(r principalRecord) string { return r.ServiceID }},
	{"service", func(r principalRecord) string { return r.Service }},
	{"principal", func(r principalRecord) string { return r.Principal }},
	{"type", func(r principalRecord) string { return r.Type }},
	{"account", func(r principalRecord) string { return r.Account }},
	{"customer", func(r principalRecord) string { return r.Customer }},
	{"permission_id", func(r principalRecord) string { return r.PermissionID }},
	{"live_connections", func(r principalRecord) string { return strconv.Itoa(r.LiveConnections) }},
	{"tags", func(r principalRecord) string { return joinTags(r.Tags) }},
}

func principalRecords(w *world, f getFilters, sess *session) []principalRecord {
	live := map[string]int{}
	for _, c := range w.connections {
		if model.Live(c.State) {
			live[c.ServiceID+"/"+c.OwnerAccount]++
		}
	}
	var out []principalRecord
	for _, s := range w.services {
		if f.service != "" && s.ID != f.service {
			continue
		}
		for _, p := range w.principals[s.ID] {
			acct := model.AccountOfPrincipal(p.ARN)
			if f.owner != "" && (acct == "" || !ownerMatches(f.owner, acct, sess.customers)) {
				continue
			}
			out = append(out, principalRecord{ServiceID: s.ID, Service: s.Label(), Principal: p.ARN, Type: p.Type,
				Account: acct, Customer: sess.customers.Name(acct), PermissionID: p.ID,
				LiveConnections: live[s.ID+"/"+acct], Tags: nonNilTags(p.Tags)})
		}
	}
	return out
}

// ---- targets -------------------------------------------------------------------------------

type targetRecord struct {
	ServiceID        string `json:"service_id" yaml:"service_id"`
	Service          string `json:"service" yaml:"service"`
	LoadBalancer     string `json:"load_balancer" yaml:"load_balancer"`
	LoadBalancerARN  string `json:"load_balancer_arn" yaml:"load_balancer_arn"`
	TargetGroup      string `json:"target_group" yaml:"target_group"`
	TargetID         string `json:"target_id" yaml:"target_id"`
	Port             int    `json:"port" yaml:"port"`
	AvailabilityZone string `json:"availability_zone" yaml:"availability_zone"`
	State            string `json:"state" yaml:"state"`
	Reason           string `json:"reason" yaml:"reason"`
	Description      string `json:"description" yaml:"description"`
}

var targetColumns = []column[targetRecord]{
	{"service_id", func(r targetRecord) string { return r.ServiceID }},
	{"service", func(r targetRecord) string { return r.Service }},
	{"load_balancer", func(r targetRecord) string { return r.LoadBalancer }},
	{"load_balancer_arn", func(r targetRecord) string { return r.LoadBalancerARN }},
	{"target_group", func(r targetRecord) string { return r.TargetGroup }},
	{"target_id", func(r targetRecord) string { return r.TargetID }},
	{"port", func(r targetRecord) string { return strconv.Itoa(r.Port) }},
	{"availability_zone", func(r targetRecord) string { return r.AvailabilityZone }},
	{"state", func(r targetRecord) string { return r.State }},
	{"reason", func(r targetRecord) string { return r.Reason }},
	{"description", func(r targetRecord) string { return r.Description }},
}

func targetRecords(w *world, f getFilters) []targetRecord {
	lbs := map[string]model.LoadBalancer{}
	for _, lb := range w.lbs {
		lbs[lb.ARN] = lb
	}
	var out []targetRecord
	for _, s := range w.services {
		if f.service != "" && s.ID != f.service {
			continue
		}
		for _, arn := range append(append([]string{}, s.NetworkLoadBalancers...), s.GatewayLoadBalancers...) {
			lb, ok := lbs[arn]
			if !ok {
				continue
			}
			for _, tg := range lb.TargetGroups {
				for _, t := range tg.Targets {
					if f.state != "" && !strings.EqualFold(string(t.State), f.state) {
						continue
					}
					out = append(out, targetRecord{ServiceID: s.ID, Service: s.Label(), LoadBalancer: lb.Name, LoadBalancerARN: lb.ARN,
						TargetGroup: tg.Name, TargetID: t.ID, Port: int(t.Port), AvailabilityZone: t.AZ, State: string(t.State),
						Reason: t.Reason, Description: t.Description})
				}
			}
		}
	}
	return out
}

// ---- findings ------------------------------------------------------------------------------

// findingColumns are model.FindingRecord's fields, for the table and CSV.
var findingColumns = func() []column[model.FindingRecord] {
	out := make([]column[model.FindingRecord], len(model.FindingFields))
	for i, name := range model.FindingFields {
		out[i] = column[model.FindingRecord]{name, func(r model.FindingRecord) string { return r.Cells()[i] }}
	}
	return out
}()

// fleetMetrics is the fleet's metric read, as the console makes it (model.FleetMetricQueries),
// with what its findings are derived with.
type fleetMetrics struct {
	services  map[string]*model.ServiceMetrics
	byService map[string][]model.Connection
	byARN     map[string]model.LoadBalancer
	now       time.Time
	own       model.ZoneIndex
	maps      map[string]model.ZoneIndex
}

// readFleetMetrics reads the fleet's metrics over model.FleetWindow (only service's, when
// given) and the account's zones (for the blast radius).
func readFleetMetrics(ctx context.Context, sess *session, w *world, service string) (*fleetMetrics, error) {
	byARN := make(map[string]model.LoadBalancer, len(w.lbs))
	for _, lb := range w.lbs {
		byARN[lb.ARN] = lb
	}
	byService := map[string][]model.Connection{}
	for _, c := range w.connections {
		byService[c.ServiceID] = append(byService[c.ServiceID], c)
	}
	var svcs []model.EndpointService
	for _, s := range w.services {
		if service == "" || s.ID == service {
			svcs = append(svcs, s)
		}
	}
	qs, about := model.FleetMetricQueries(model.FleetInput{Services: svcs, LoadBalancers: byARN,
		Connections: byService, EndpointLimit: model.FleetEndpointLimit})
	now := time.Now()
	start, end, period := model.WindowRange(model.FleetWindow, now)
	req := model.MetricRequest{Start: start, End: end, Period: period, Queries: qs, Now: now}
	series, err := sess.client.GetMetrics(ctx, req)
	if err != nil {
		return nil, err
	}
	fm := &fleetMetrics{now: now, byService: byService, byARN: byARN}
	fm.services, _ = model.AssembleFleetMetrics(req, about, series)
	if zs, err := sess.client.AvailabilityZones(ctx); err == nil {
		// without them a zone finding still names its consumers, by zone name
		fm.own = model.NewZoneIndex(zs)
		fm.maps = map[string]model.ZoneIndex{sess.client.Identity().Account: fm.own}
	}
	return fm, nil
}

// findingRecords are the access audit's findings, then each service's diagnostics (with the
// findings of its metrics when fm holds them).
func findingRecords(w *world, f getFilters, sess *session, fm *fleetMetrics) []model.FindingRecord {
	var out []model.FindingRecord
	for _, a := range model.AuditAccess(model.AccessInput{Services: w.services, Principals: w.principals,
		Connections: w.connections, Customers: sess.customers}).Findings {
		if f.service != "" && a.ServiceID != f.service && !contains(a.Services, f.service) {
			continue
		}
		if f.owner != "" && (a.Account == "" || !ownerMatches(f.owner, a.Account, sess.customers)) {
			continue
		}
		out = append(out, model.AccessRecord(a, sess.customers))
	}
	if f.owner != "" {
		return out
	}
	for _, s := range w.services {
		if f.service != "" && s.ID != f.service {
			continue
		}
		s.AllowedPrincipals = w.principals[s.ID]
		fs := model.Diagnose(s, w.lbs, w.connections, model.DiagnoseOptions{Now: time.Now()})
		if m := fm.of(s.ID); m != nil {
			fs = model.MetricFindings(s, w.region, model.ServiceLoadBalancers(s, fm.byARN), fm.byService[s.ID], *m, fs,
				model.MetricRuleOptions{Now: fm.now}, fm.own, fm.maps)
		}
		for _, d := range fs {
			rec := model.DiagnosticRecord(s, d)
			rec.Customer = sess.customers.Name(rec.Account)
			out = append(out, rec)
		}
	}
	return out
}

func (fm *fleetMetrics) of(service string) *model.ServiceMetrics {
	if fm == nil {
		return nil
	}
	return fm.services[service]
}
