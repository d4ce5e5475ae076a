package model

import (
	"fmt"
	"slices"
	"strings"
)

// Preflight finding codes, besides the diagnostics' (Diagnose) that also apply to a service
// before it exists.
const (
	CodeLBInUse             = "LB_IN_USE"
	CodeLBWrongType         = "LB_WRONG_TYPE"
	CodeNoListener          = "NO_LISTENER"
	CodeTooManyListeners    = "TOO_MANY_LISTENERS"
	CodeListenerProtocol    = "LISTENER_PROTOCOL_NOT_SERVED"
	CodeIPTypeNotServed     = "IP_TYPE_NOT_SERVED"
	CodeSingleAZ            = "SINGLE_AZ"
	CodeCrossRegionNeedsIAM = "CROSS_REGION_NEEDS_PERMISSION"
)

// MaxPrivateLinkListeners is the most listeners an NLB may have and still serve PrivateLink.
const MaxPrivateLinkListeners = 50

// PreflightInput is what a preflight looks at.
type PreflightInput struct {
	Spec ServiceSpec
	// LoadBalancers are the spec's load balancers as read (listeners, target groups and
	// target health included). A spec ARN missing here was not found.
	LoadBalancers []LoadBalancer
	// Services are the account's endpoint services, to tell which load balancers are taken.
	Services []EndpointService
	// Editing is the id of the service being changed ("" for a new one): its own load
	// balancers are not "in use by another service", and their state, listeners and
	// targets are not checked again — a change that keeps them does not make them worse,
	// and the service's diagnostics report them already.
	Editing string
}

// Preflight checks a service before it is created or changed, against what AWS refuses and
// what makes a service that exists but does not work: each finding says what was seen
// (Detail), what it does to consumers and how to fix it. Critical findings are the ones an
// operator must acknowledge before going ahead. Findings come worst first.
func Preflight(in PreflightInput) []Finding {
	spec := in.Spec
	byARN := make(map[string]LoadBalancer, len(in.LoadBalancers))
	for _, lb := range in.LoadBalancers {
		byARN[lb.ARN] = lb
	}
	usedBy := map[string]EndpointService{}
	kept := map[string]bool{}
	for _, svc := range in.Services {
		if svc.ID == in.Editing {
			for _, arn := range slices.Concat(svc.NetworkLoadBalancers, svc.GatewayLoadBalancers) {
				kept[arn] = true
			}
			continue
		}
		for _, arn := range slices.Concat(svc.NetworkLoadBalancers, svc.GatewayLoadBalancers) {
			usedBy[arn] = svc
		}
	}
	var out []Finding
	var chosen []LoadBalancer
	zones := map[string]bool{}
	var zoneNames []string
	for _, arn := range spec.LoadBalancers {
		lb, ok := byARN[arn]
		if !ok {
			out = append(out, lbNotFound(SeverityCritical, arn,
				fmt.Sprintf("%s is not among this account's load balancers in this Region; AWS refuses a service on it.", arn),
				"Check the ARN's Region and account, or choose a load balancer from the list."))
			continue
		}
		chosen = append(chosen, lb)
		for _, z := range lb.AvailabilityZones {
			key := zoneLabel(z)
			if !zones[key] {
				zones[key] = true
				zoneNames = append(zoneNames, z.Name)
			}
		}
		if other, taken := usedBy[arn]; taken {
			out = append(out, Finding{
				Severity: SeverityCritical, Code: CodeLBInUse, Resource: arn,
				Title:  fmt.Sprintf("%s already serves %s", lbLabel(lb), other.Label()),
				Detail: fmt.Sprintf("%s is the load balancer of endpoint service %s (%s). A load balancer can belong to one endpoint service only; AWS refuses a second.", lbLabel(lb), other.Label(), other.ID),
				Fix:    "Choose another load balancer, or remove this one from " + other.ID + " first.",
			})
		}
		if lb.Type != LBTypeNetwork && lb.Type != LBTypeGateway {
			out = append(out, Finding{
				Severity: SeverityCritical, Code: CodeLBWrongType, Resource: arn,
				Title:  fmt.Sprintf("%s is an %s load balancer", lbLabel(lb), lb.Type),
				Detail: "Endpoint services sit behind Network or Gateway Load Balancers only.",
				Fix:    "Put an NLB in front of it (an NLB target group of type alb), and choose the NLB.",
			})
			continue
		}
		out = append(out, preflightIPTypes(lb, spec.IPTypes())...)
		if kept[arn] {
			continue
		}
		out = append(out, diagnoseLBState(lb)...)
		out = append(out, preflightListeners(lb)...)
		out = append(out, diagnoseTargets(lb, DiagnoseOptions{UnevenRatio: 2})...)
		out = append(out, diagnoseSGEnforced(lb)...)
	}
	if len(chosen) > 1 {
		out = append(out, diagnoseCoverage(EndpointService{AvailabilityZones: zoneNames}, chosen)...)
	}
	if len(chosen) > 0 && len(zones) == 1 {
		out = append(out, Finding{
			Severity: SeverityWarning, Code: CodeSingleAZ, Resource: zoneNames[0],
			Title:  "The service would be in one Availability Zone",
			Detail: fmt.Sprintf("The chosen load balancers are enabled in %s only: consumers can place their endpoint only there, and an outage of that zone cuts every consumer off.", zoneNames[0]),
			Fix:    "Enable the load balancer in at least two zones (aws elbv2 set-subnets) that your consumers use — compare zone ids, not names.",
		})
	}
	if spec.PrivateDNSName != "" {
		out = append(out, Finding{
			Severity: SeverityInfo, Code: CodePrivateDNSUnverified, Resource: spec.PrivateDNSName,
			Title:  "The private DNS name needs verifying",
			Detail: fmt.Sprintf("%s starts as pendingVerification. Until it is verified, consumers cannot use the name and AWS denies new connection requests to the service.", spec.PrivateDNSName),
			Fix:    "After the create, publish the TXT record the wizard shows in the domain's DNS and verify it (v).",
		})
	}
	if len(spec.SupportedRegions) > 0 {
		out = append(out, Finding{
			Severity: SeverityInfo, Code: CodeCrossRegionNeedsIAM, Resource: strings.Join(spec.SupportedRegions, ","),
			Title:  "Cross-region access needs an extra IAM permission",
			Detail: fmt.Sprintf("Offering the service to %s is cross-region PrivateLink: the caller needs vpce:AllowMultiRegion besides the ec2 permissions, or AWS refuses the request.", strings.Join(spec.SupportedRegions, ", ")),
			Fix:    "Grant vpce:AllowMultiRegion to the role that creates the service (docs/iam/operator.json lists it).",
		})
	}
	SortFindings(out)
	return out
}

// preflightListeners checks that a load balancer has listeners PrivateLink can carry:
// endpoint services carry TCP only (TLS is TCP), a Gateway Load Balancer carries GENEVE.
func preflightListeners(lb LoadBalancer) []Finding {
	if len(lb.Listeners) == 0 {
		return []Finding{{
			Severity: SeverityCritical, Code: CodeNoListener, Resource: lb.ARN,
			Title:  lbLabel(lb) + " has no listener",
			Detail: fmt.Sprintf("%s has no listener, so nothing consumers send through their endpoints reaches a target.", lbLabel(lb)),
			Fix:    "Add a TCP or TLS listener that forwards to the service's target group (aws elbv2 create-listener).",
		}}
	}
	if lb.Type == LBTypeGateway {
		return nil
	}
	var out []Finding
	if len(lb.Listeners) > MaxPrivateLinkListeners {
		out = append(out, Finding{
			Severity: SeverityCritical, Code: CodeTooManyListeners, Resource: lb.ARN,
			Title:  fmt.Sprintf("%s has %d listeners", lbLabel(lb), len(lb.Listeners)),
			Detail: fmt.Sprintf("PrivateLink does not serve a Network Load Balancer with more than %d listeners.", MaxPrivateLinkListeners),
			Fix:    "Split the listeners across load balancers, each with at most 50.",
		})
	}
	var tcp, other []string
	for _, l := range lb.Listeners {
		name := fmt.Sprintf("%s:%d", l.Protocol, l.Port)
		switch strings.ToUpper(l.Protocol) {
		case "TCP", "TLS", "TCP_UDP":
			tcp = append(tcp, name)
		default:
			other = append(other, name)
		}
	}
	if len(other) == 0 {
		return out
	}
	f := Finding{
		Severity: SeverityWarning, Code: CodeListenerProtocol, Resource: lb.ARN,
		Title:  fmt.Sprintf("%s has listeners PrivateLink does not carry", lbLabel(lb)),
		Detail: fmt.Sprintf("Endpoint services carry TCP only; %s's %s listener(s) get no traffic from consumer endpoints.", lbLabel(lb), strings.Join(other, ", ")),
		Fix:    "Serve consumers over TCP or TLS listeners; keep the others for clients that reach the load balancer directly.",
	}
	if len(tcp) == 0 {
		f.Severity = SeverityCritical
		f.Detail = fmt.Sprintf("Endpoint services carry TCP only, and %s listens on %s only: consumers could connect but nothing they send would arrive.", lbLabel(lb), strings.Join(other, ", "))
		f.Fix = "Add a TCP or TLS listener for the service (aws elbv2 create-listener --protocol TCP)."
	}
	return append(out, f)
}

// preflightIPTypes checks that every IP address type the service is to support can be
// served: ipv6 needs a dualstack load balancer.
func preflightIPTypes(lb LoadBalancer, types []string) []Finding {
	if !slices.Contains(types, IPTypeIPv6) || strings.HasPrefix(lb.IPAddressType, "dualstack") {
		return nil
	}
	return []Finding{{
		Severity: SeverityCritical, Code: CodeIPTypeNotServed, Resource: lb.ARN,
		Title:  fmt.Sprintf("%s cannot serve IPv6", lbLabel(lb)),
		Detail: fmt.Sprintf("The service is to support ipv6, but %s has IP address type %s; AWS refuses ipv6 on a service unless every load balancer is dualstack.", lbLabel(lb), nonEmpty(lb.IPAddressType, "ipv4")),
		Fix:    "Support ipv4 only, or make the load balancer dualstack first (aws elbv2 set-ip-address-type --ip-address-type dualstack).",
	}}
}

// FindingKey identifies a finding across re-evaluations, so an acknowledgement sticks to
// the problem it was given for.
func FindingKey(f Finding) string { return f.Code + "|" + f.Resource }

// Unacknowledged counts the critical findings not in acked (keys from FindingKey).
func Unacknowledged(fs []Finding, acked map[string]bool) int {
	n := 0
	for _, f := range fs {
		if f.Severity == SeverityCritical && !acked[FindingKey(f)] {
			n++
		}
	}
	return n
}
