package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Severity ranks a diagnostic finding. The zero value is Info; higher is worse.
type Severity int

const (
	SeverityInfo Severity = iota
	SeverityWarning
	SeverityCritical
)

func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "Info"
	case SeverityWarning:
		return "Warning"
	case SeverityCritical:
		return "Critical"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// Finding codes: stable identifiers the UI and tests can key on.
const (
	CodeServiceFailed         = "SERVICE_FAILED"
	CodeServiceNotAvailable   = "SERVICE_NOT_AVAILABLE"
	CodeLBNotActive           = "LB_NOT_ACTIVE"
	CodeLBNotFound            = "LB_NOT_FOUND"
	CodeNoHealthyTargets      = "NO_HEALTHY_TARGETS"
	CodeAZNoHealthyTarget     = "AZ_NO_HEALTHY_TARGET"
	CodeAZNotCovered          = "AZ_NOT_COVERED"
	CodeUnevenTargets         = "UNEVEN_TARGETS_PER_AZ"
	CodePrivateDNSUnverified  = "PRIVATE_DNS_UNVERIFIED"
	CodePrivateDNSFailed      = "PRIVATE_DNS_FAILED"
	CodeWildcardPrincipal     = "WILDCARD_PRINCIPAL"
	CodeSGEnforcedPrivateLink = "NLB_SG_ENFORCED_ON_PRIVATELINK"
	CodePendingBurst          = "PENDING_BURST"
	CodePendingDNSUnverified  = "PENDING_WHILE_DNS_UNVERIFIED"
)

// Finding is one diagnosed problem (or notable fact) about an endpoint service.
type Finding struct {
	Severity Severity
	Code     string
	Title    string // one short line for a list
	Detail   string // what is wrong and what it does to consumers
	Fix      string // what to do about it
	Resource string // the load balancer ARN, AZ or other thing the finding is about ("" = the service)
	// Account is the consumer account a finding is about, when it is about one (a consumer
	// whose traffic stopped): views name its customer beside the title.
	Account string
	// Evidence is the numbers a finding from metrics rests on ("" for configuration findings).
	Evidence string
	// Affected is a zone finding's blast radius: the consumers with an endpoint in the zone
	// (AttachBlastRadius fills it).
	Affected AffectedList
}

// DiagnoseOptions tunes Diagnose. The zero value uses the defaults.
type DiagnoseOptions struct {
	// PendingBurst is how many pendingAcceptance requests count as a burst (default 5).
	PendingBurst int
	// BurstWindow, when set with Now, counts only requests that arrived within the window.
	BurstWindow time.Duration
	Now         time.Time
	// UnevenRatio is how much more healthy targets the fullest AZ may have than the emptiest
	// before the imbalance is reported, with cross-zone load balancing off (default 2).
	UnevenRatio float64
	// PendingMaxAge is how long a request may wait for an answer before it is a finding of
	// its own (default 24 h; with Now): one request waiting for days is not "OK".
	PendingMaxAge time.Duration
}

// DefaultPendingBurst is the default DiagnoseOptions.PendingBurst.
const DefaultPendingBurst = 5

// Diagnose checks an endpoint service against the failure modes PrivateLink providers run
// into. lbs may hold any load balancers (those not attached to svc are ignored); conns may hold
// any connections (those of other services are ignored). Findings come worst first.
func Diagnose(svc EndpointService, lbs []LoadBalancer, conns []Connection, opts DiagnoseOptions) []Finding {
	if opts.PendingBurst <= 0 {
		opts.PendingBurst = DefaultPendingBurst
	}
	if opts.PendingMaxAge <= 0 {
		opts.PendingMaxAge = DefaultPendingMaxAge
	}
	if opts.UnevenRatio <= 1 {
		opts.UnevenRatio = 2
	}
	var out []Finding
	out = append(out, diagnoseState(svc)...)
	out = append(out, diagnoseLoadBalancers(svc, lbs, opts)...)
	out = append(out, diagnosePrivateDNS(svc)...)
	out = append(out, diagnosePrincipals(svc)...)
	out = append(out, diagnoseConnections(svc, conns, opts)...)
	out = append(out, pendingTooOld(ofService(svc, conns), opts)...)
	SortFindings(out)
	return out
}

// SortFindings orders findings worst first, then by code and resource, so lists are stable.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Resource < b.Resource
	})
}

func diagnoseState(svc EndpointService) []Finding {
	switch svc.State {
	case ServiceFailed:
		return []Finding{{
			Severity: SeverityCritical, Code: CodeServiceFailed,
			Title:  "Endpoint service failed",
			Detail: fmt.Sprintf("Service %s is in state Failed; consumers cannot connect to it.", svc.ID),
			Fix:    "Check that its load balancers exist and are active, then delete and recreate the service.",
		}}
	case ServicePending, ServiceDeleting:
		return []Finding{{
			Severity: SeverityInfo, Code: CodeServiceNotAvailable,
			Title:  "Endpoint service is " + string(svc.State),
			Detail: fmt.Sprintf("Service %s is %s; it is not accepting connections yet or any more.", svc.ID, svc.State),
			Fix:    "Wait for the state to settle and refresh.",
		}}
	}
	return nil
}

// targetInZone reports whether a target's AZ (a name, an id, or "all") is zone z. IP targets
// outside the load balancer's VPC report "all" and serve every zone.
func targetInZone(t Target, z LBZone) bool {
	return t.AZ == "all" || (t.AZ != "" && (t.AZ == z.Name || t.AZ == z.ID))
}

// zonesKnown reports whether any target of tg says which zone it is in; without that the
// per-zone checks have nothing to go on.
func zonesKnown(tg TargetGroup) bool {
	for _, t := range tg.Targets {
		if t.AZ != "" {
			return true
		}
	}
	return false
}

func zoneLabel(z LBZone) string {
	switch {
	case z.Name != "" && z.ID != "":
		return z.Name + " (" + z.ID + ")"
	case z.Name != "":
		return z.Name
	}
	return z.ID
}

func lbLabel(lb LoadBalancer) string {
	if lb.Name != "" {
		return lb.Name
	}
	if p, err := ParseLoadBalancerARN(lb.ARN); err == nil {
		return p.Name
	}
	return lb.ARN
}

func diagnoseLoadBalancers(svc EndpointService, lbs []LoadBalancer, opts DiagnoseOptions) []Finding {
	attached := append(append([]string(nil), svc.NetworkLoadBalancers...), svc.GatewayLoadBalancers...)
	byARN := make(map[string]LoadBalancer, len(lbs))
	for _, lb := range lbs {
		byARN[lb.ARN] = lb
	}
	var out []Finding
	var mine []LoadBalancer
	for _, arn := range attached {
		lb, ok := byARN[arn]
		if !ok {
			if len(lbs) > 0 {
				out = append(out, lbNotFound(SeverityWarning, arn,
					fmt.Sprintf("The service lists %s, but no such load balancer was found; it may have been deleted.", arn),
					"Remove the ARN from the service (modify-vpc-endpoint-service-configuration --remove-network-load-balancer-arns) or restore the load balancer."))
			}
			continue
		}
		mine = append(mine, lb)
		out = append(out, diagnoseLBState(lb)...)
		out = append(out, diagnoseTargets(lb, opts)...)
		out = append(out, diagnoseSGEnforced(lb)...)
	}
	out = append(out, diagnoseCoverage(svc, mine)...)
	return out
}

// lbNotFound is a load balancer ARN with no load balancer behind it.
func lbNotFound(sev Severity, arn, detail, fix string) Finding {
	return Finding{Severity: sev, Code: CodeLBNotFound, Resource: arn, Title: "Load balancer not found", Detail: detail, Fix: fix}
}

// diagnoseSGEnforced reports an NLB that filters PrivateLink traffic with its security
// groups: what its rules do not allow is dropped without a trace in any metric.
func diagnoseSGEnforced(lb LoadBalancer) []Finding {
	if !lb.EnforceSGOnPrivateLink || len(lb.SecurityGroups) == 0 {
		return nil
	}
	return []Finding{{
		Severity: SeverityWarning, Code: CodeSGEnforcedPrivateLink, Resource: lb.ARN,
		Title: "NLB security groups filter PrivateLink traffic",
		Detail: fmt.Sprintf("%s enforces its security groups (%s) on PrivateLink traffic: packets from consumer endpoints that the inbound rules do not allow are dropped silently, which consumers see as timeouts.",
			lbLabel(lb), strings.Join(lb.SecurityGroups, ", ")),
		Fix: "Allow the consumers' traffic in the NLB's security group inbound rules, or turn the attribute off: aws elbv2 set-security-groups --enforce-security-group-inbound-rules-on-private-link-traffic off.",
	}}
}

func diagnoseLBState(lb LoadBalancer) []Finding {
	var sev Severity
	switch lb.State {
	case "active", "":
		return nil
	case "failed":
		sev = SeverityCritical
	case "active_impaired":
		sev = SeverityWarning
	default: // provisioning
		sev = SeverityInfo
	}
	return []Finding{{
		Severity: sev, Code: CodeLBNotActive, Resource: lb.ARN,
		Title:  fmt.Sprintf("Load balancer %s is %s", lbLabel(lb), lb.State),
		Detail: fmt.Sprintf("%s is in state %s, not active; connections through it may fail.", lbLabel(lb), lb.State),
		Fix:    "Check the load balancer in the ELB console or with aws elbv2 describe-load-balancers; a failed load balancer must be replaced.",
	}}
}

// reasonSummary describes the non-healthy targets of a zone: "2 unhealthy (Target.Timeout)".
func reasonSummary(ts []Target) string {
	counts := map[string]int{}
	for _, t := range ts {
		if t.State == TargetHealthy {
			continue
		}
		k := string(t.State)
		if t.Reason != "" {
			k += " (" + t.Reason + ")"
		}
		counts[k]++
	}
	if len(counts) == 0 {
		return "no targets registered"
	}
	parts := make([]string, 0, len(counts))
	for k, n := range counts {
		parts = append(parts, fmt.Sprintf("%d %s", n, k))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

func diagnoseTargets(lb LoadBalancer, opts DiagnoseOptions) []Finding {
	var out []Finding
	healthyTotal := 0
	for _, tg := range lb.TargetGroups {
		for _, t := range tg.Targets {
			if t.State == TargetHealthy {
				healthyTotal++
			}
		}
	}
	if healthyTotal == 0 {
		var all []Target
		for _, tg := range lb.TargetGroups {
			all = append(all, tg.Targets...)
		}
		detail := fmt.Sprintf("%s has no healthy target in any zone (%s): every consumer connection fails.", lbLabel(lb), reasonSummary(all))
		if len(lb.TargetGroups) == 0 {
			detail = fmt.Sprintf("%s has no target groups: every consumer connection fails.", lbLabel(lb))
		}
		return []Finding{{
			Severity: SeverityCritical, Code: CodeNoHealthyTargets, Resource: lb.ARN,
			Title:  "No healthy targets behind " + lbLabel(lb),
			Detail: detail,
			Fix:    "Register targets and make sure their health checks pass (security groups must allow the NLB's health checks).",
		}}
	}
	for _, z := range lb.AvailabilityZones {
		var missing []string // target groups with no healthy target in this zone
		var zoneTargets []Target
		critical := false
		for _, tg := range lb.TargetGroups {
			if len(tg.Targets) > 0 && !zonesKnown(tg) {
				continue
			}
			healthy, healthyElsewhere := 0, 0
			for _, t := range tg.Targets {
				if targetInZone(t, z) {
					zoneTargets = append(zoneTargets, t)
					if t.State == TargetHealthy {
						healthy++
					}
				} else if t.State == TargetHealthy {
					healthyElsewhere++
				}
			}
			if healthy > 0 {
				continue
			}
			missing = append(missing, tgLabel(tg))
			if !tg.CrossZoneOn(lb) || healthyElsewhere == 0 {
				critical = true
			}
		}
		if len(missing) == 0 {
			continue
		}
		f := Finding{
			Code: CodeAZNoHealthyTarget, Resource: z.Name,
			Title: fmt.Sprintf("No healthy target in %s", zoneLabel(z)),
		}
		if z.Name == "" {
			f.Resource = z.ID
		}
		if critical {
			f.Severity = SeverityCritical
			f.Detail = fmt.Sprintf("%s has no healthy target in %s for %s (%s), and cross-zone load balancing does not cover it: connections from consumer endpoints that land in this zone fail.",
				lbLabel(lb), zoneLabel(z), strings.Join(missing, ", "), reasonSummary(zoneTargets))
			f.Fix = "Register healthy targets in this zone, or enable cross-zone load balancing on the target group (load_balancing.cross_zone.enabled=true)."
		} else {
			f.Severity = SeverityInfo
			f.Detail = fmt.Sprintf("%s has no healthy target in %s for %s (%s); cross-zone load balancing sends that zone's traffic to other zones, adding latency and inter-AZ data charges.",
				lbLabel(lb), zoneLabel(z), strings.Join(missing, ", "), reasonSummary(zoneTargets))
			f.Fix = "Register healthy targets in this zone to keep traffic local."
		}
		out = append(out, f)
	}
	out = append(out, diagnoseUneven(lb, opts)...)
	return out
}

func tgLabel(tg TargetGroup) string {
	if tg.Name != "" {
		return tg.Name
	}
	return tg.ARN
}

// diagnoseUneven flags target groups with cross-zone off whose healthy targets are spread
// unevenly: each zone receives an equal share of connections, so the zone with fewer targets
// works each of them harder.
func diagnoseUneven(lb LoadBalancer, opts DiagnoseOptions) []Finding {
	if len(lb.AvailabilityZones) < 2 {
		return nil
	}
	var out []Finding
	for _, tg := range lb.TargetGroups {
		if tg.CrossZoneOn(lb) || !zonesKnown(tg) {
			continue
		}
		minN, maxN := -1, 0
		var minZ, maxZ LBZone
		for _, z := range lb.AvailabilityZones {
			n := 0
			for _, t := range tg.Targets {
				if targetInZone(t, z) && t.State == TargetHealthy {
					n++
				}
			}
			if n == 0 {
				continue // reported as AZ_NO_HEALTHY_TARGET
			}
			if minN < 0 || n < minN {
				minN, minZ = n, z
			}
			if n > maxN {
				maxN, maxZ = n, z
			}
		}
		if minN <= 0 || float64(maxN) < opts.UnevenRatio*float64(minN) {
			continue
		}
		out = append(out, Finding{
			Severity: SeverityWarning, Code: CodeUnevenTargets, Resource: tg.ARN,
			Title: fmt.Sprintf("Uneven healthy targets per AZ in %s", tgLabel(tg)),
			Detail: fmt.Sprintf("With cross-zone load balancing off, each zone gets an equal share of connections: %s's %d healthy target(s) in %s carry as much as %d in %s.",
				tgLabel(tg), minN, zoneLabel(minZ), maxN, zoneLabel(maxZ)),
			Fix: "Balance the targets across zones, or enable cross-zone load balancing on the target group.",
		})
	}
	return out
}

// diagnoseCoverage reports service AZs a load balancer is not enabled in: consumers whose
// endpoint sits in such a zone reach only the load balancers that cover it.
func diagnoseCoverage(svc EndpointService, lbs []LoadBalancer) []Finding {
	if len(svc.AvailabilityZones) == 0 || len(lbs) == 0 {
		return nil
	}
	var out []Finding
	for _, lb := range lbs {
		if len(lb.AvailabilityZones) == 0 {
			continue
		}
		var missing []string
		for _, az := range svc.AvailabilityZones {
			covered := false
			for _, z := range lb.AvailabilityZones {
				if az == z.Name || az == z.ID {
					covered = true
					break
				}
			}
			if !covered {
				missing = append(missing, az)
			}
		}
		if len(missing) == 0 {
			continue
		}
		out = append(out, Finding{
			Severity: SeverityWarning, Code: CodeAZNotCovered, Resource: lb.ARN,
			Title: fmt.Sprintf("%s is not enabled in %s", lbLabel(lb), strings.Join(missing, ", ")),
			Detail: fmt.Sprintf("The service offers %s, but %s is not enabled there; consumers in those zones are served only by the service's other load balancers, and consumers whose subnets are only in zones no load balancer covers get \"does not support the availability zone of the subnet\".",
				strings.Join(missing, ", "), lbLabel(lb)),
			Fix: "Enable the load balancer in the same zones as the service's other load balancers (aws elbv2 set-subnets), comparing zone ids, not names.",
		})
	}
	return out
}

func diagnosePrivateDNS(svc EndpointService) []Finding {
	p := svc.PrivateDNS
	if p == nil || p.Name == "" || p.State == DNSVerified {
		return nil
	}
	name, value, ok := VerificationRecord(*p)
	record := "Start domain verification to get the TXT record to publish."
	if ok {
		record = fmt.Sprintf("Publish the TXT record  %s  with value  %s  in the zone of %s. If your DNS provider appends the zone to record names (producing %s.%s), enter the name with a trailing dot, as %q.",
			name, value, strings.TrimPrefix(p.Name, "*."), name, strings.TrimPrefix(p.Name, "*."), name+".")
	}
	if p.State == DNSFailed {
		return []Finding{{
			Severity: SeverityCritical, Code: CodePrivateDNSFailed, Resource: p.Name,
			Title:  "Private DNS name verification failed",
			Detail: fmt.Sprintf("AWS could not find the TXT record proving ownership of %s. Consumers cannot use the name and new connection requests are denied until it is verified.", p.Name),
			Fix:    record + " Then start verification again (aws ec2 start-vpc-endpoint-service-private-dns-verification). Check for duplicate TXT records with the same name.",
		}}
	}
	return []Finding{{
		Severity: SeverityWarning, Code: CodePrivateDNSUnverified, Resource: p.Name,
		Title:  "Private DNS name not verified",
		Detail: fmt.Sprintf("%s is %s. Until it is verified consumers cannot use the name and new connection requests are denied; existing connections stay up.", p.Name, nonEmpty(string(p.State), "not verified")),
		Fix:    record + " Then start verification (aws ec2 start-vpc-endpoint-service-private-dns-verification).",
	}}
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func diagnosePrincipals(svc EndpointService) []Finding {
	for _, p := range svc.AllowedPrincipals {
		if p.ARN != "*" {
			continue
		}
		if !svc.AcceptanceRequired {
			return []Finding{{
				Severity: SeverityCritical, Code: CodeWildcardPrincipal, Resource: "*",
				Title:  "Anyone can connect, without approval",
				Detail: "The allowed principals include * and acceptance is not required: any AWS account can create an endpoint to this service and is connected at once.",
				Fix:    "Replace * with the consumer accounts (arn:aws:iam::<account>:root), or turn on acceptance required.",
			}}
		}
		return []Finding{{
			Severity: SeverityWarning, Code: CodeWildcardPrincipal, Resource: "*",
			Title:  "Any AWS account may request a connection",
			Detail: "The allowed principals include *: any AWS account can send connection requests (acceptance is required, so each still needs approval). Compliance tools flag this.",
			Fix:    "Replace * with the consumer accounts (arn:aws:iam::<account>:root).",
		}}
	}
	return nil
}

// ofService keeps the connections of svc (all of them when either has no service id).
//
// The result is read-only: when every connection given is the service's (the store passes
// each service's own), it is conns itself, so a fleet's diagnosis copies nothing.
func ofService(svc EndpointService, conns []Connection) []Connection {
	if !slices.ContainsFunc(conns, func(c Connection) bool { return c.ServiceID != "" && svc.ID != "" && c.ServiceID != svc.ID }) {
		return conns
	}
	mine := conns[:0:0]
	for _, c := range conns {
		if c.ServiceID == "" || svc.ID == "" || c.ServiceID == svc.ID {
			mine = append(mine, c)
		}
	}
	return mine
}

func diagnoseConnections(svc EndpointService, conns []Connection, opts DiagnoseOptions) []Finding {
	pending, recent := 0, 0
	for _, c := range conns {
		if c.ServiceID != "" && svc.ID != "" && c.ServiceID != svc.ID {
			continue
		}
		if c.State != StatePendingAcceptance {
			continue
		}
		pending++
		if opts.BurstWindow > 0 && !opts.Now.IsZero() && !c.Created.IsZero() && opts.Now.Sub(c.Created) <= opts.BurstWindow {
			recent++
		}
	}
	var out []Finding
	burst := pending
	within := ""
	if opts.BurstWindow > 0 && !opts.Now.IsZero() {
		burst = recent
		within = " in the last " + opts.BurstWindow.String()
	}
	if burst >= opts.PendingBurst {
		out = append(out, Finding{
			Severity: SeverityWarning, Code: CodePendingBurst,
			Title:  fmt.Sprintf("%d connection requests waiting", burst),
			Detail: fmt.Sprintf("%d connection requests arrived%s and are waiting for acceptance (%d pending in all). Consumers cannot send traffic until they are accepted.", burst, within, pending),
			Fix:    "Review the requesting accounts in the connections inbox and accept or reject them (mark with space, then a / x).",
		})
	}
	if pending > 0 && svc.PrivateDNS != nil && svc.PrivateDNS.Name != "" && svc.PrivateDNS.State != DNSVerified {
		out = append(out, Finding{
			Severity: SeverityCritical, Code: CodePendingDNSUnverified,
			Title:  "Requests waiting while private DNS is unverified",
			Detail: fmt.Sprintf("%d connection requests are waiting, but the private DNS name %s is not verified; AWS denies new connection requests to the service until it is.", pending, svc.PrivateDNS.Name),
			Fix:    "Verify the private DNS name first (publish the TXT record, start verification), then accept the requests.",
		})
	}
	return out
}

// Health is the summary badge of a service: the worst of its findings.
type Health string

const (
	HealthOK       Health = "OK"
	HealthWarning  Health = "Warning"
	HealthCritical Health = "Critical"
)

// Rank orders health badges for sorting: OK 0, Warning 1, Critical 2.
func (h Health) Rank() int {
	switch h {
	case HealthCritical:
		return 2
	case HealthWarning:
		return 1
	}
	return 0
}

// HealthOf is the badge for a set of findings: Critical or Warning when any finding is,
// otherwise OK (Info findings do not change the badge).
func HealthOf(fs []Finding) Health {
	h := HealthOK
	for _, f := range fs {
		switch f.Severity {
		case SeverityCritical:
			return HealthCritical
		case SeverityWarning:
			h = HealthWarning
		}
	}
	return h
}

// ServiceHealth diagnoses a service and returns its badge with the findings behind it.
func ServiceHealth(svc EndpointService, lbs []LoadBalancer, conns []Connection, opts DiagnoseOptions) (Health, []Finding) {
	fs := Diagnose(svc, lbs, conns, opts)
	return HealthOf(fs), fs
}
