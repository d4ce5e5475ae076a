package model

import (
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// Steps of creating a service, in the order they are sent. Each later step needs the
// service id the first one returns.
const (
	StepCreate       = "create"
	StepPrincipals   = "principals"
	StepNotification = "notification"
	StepPayer        = "payer"
)

// PlannedCall is one API call a create or a change makes: the step it carries out, the
// operation, what it does in words and the parameters it sends (as the API names them).
type PlannedCall struct {
	Step      string
	Operation string
	What      string
	Params    []string
}

// CreatePlan is the calls that create spec, in order: the service (with a ClientToken, so
// a retry never makes a second), then its allowed principals, its connection notification
// and its payer responsibility, each only when the spec asks for it.
func CreatePlan(spec ServiceSpec) []PlannedCall {
	in := spec.CreateInput("")
	var p []string
	lbs := in.NetworkLoadBalancerARNs
	lbParam := "NetworkLoadBalancerArns"
	if len(in.GatewayLoadBalancerARNs) > 0 {
		lbs, lbParam = in.GatewayLoadBalancerARNs, "GatewayLoadBalancerArns"
	}
	p = append(p, lbParam+"="+strings.Join(lbs, ","))
	p = append(p, "AcceptanceRequired="+strconv.FormatBool(in.AcceptanceRequired))
	if in.PrivateDNSName != "" {
		p = append(p, "PrivateDnsName="+in.PrivateDNSName)
	}
	if len(in.SupportedIPTypes) > 0 {
		p = append(p, "SupportedIpAddressTypes="+strings.Join(in.SupportedIPTypes, ","))
	}
	if len(in.SupportedRegions) > 0 {
		p = append(p, "SupportedRegions="+strings.Join(in.SupportedRegions, ","))
	}
	if tags := in.Tags; len(tags) > 0 {
		p = append(p, "TagSpecifications=vpc-endpoint-service:"+FormatTagList(tags))
	}
	p = append(p, "ClientToken=<one per wizard run>")
	calls := []PlannedCall{{
		Step: StepCreate, Operation: "CreateVpcEndpointServiceConfiguration",
		What:   "create the endpoint service on " + plural(len(lbs), "load balancer"),
		Params: p,
	}}
	if len(spec.Principals) > 0 {
		calls = append(calls, PlannedCall{
			Step: StepPrincipals, Operation: "ModifyVpcEndpointServicePermissions",
			What:   "allow " + plural(len(spec.Principals), "principal") + " to connect",
			Params: []string{"ServiceId=<new service>", "AddAllowedPrincipals=" + strings.Join(spec.Principals, ",")},
		})
	}
	if n := spec.Notification; n != nil {
		calls = append(calls, PlannedCall{
			Step: StepNotification, Operation: "CreateVpcEndpointConnectionNotification",
			What: "send " + eventsCSV(n.Events) + " events to " + n.TopicARN,
			Params: []string{"ServiceId=<new service>", "ConnectionNotificationArn=" + n.TopicARN,
				"ConnectionEvents=" + eventsCSV(n.Events)},
		})
	}
	if spec.PayerServiceOwner {
		calls = append(calls, PlannedCall{
			Step: StepPayer, Operation: "ModifyVpcEndpointServicePayerResponsibility",
			What:   "make the service owner pay for consumers' endpoints (cannot be undone; skipped when the new service already reports ServiceOwner)",
			Params: []string{"ServiceId=<new service>", "PayerResponsibility=ServiceOwner"},
		})
	}
	return calls
}

// Change is one setting a modification changes, for a review's diff.
type Change struct {
	Field string // the spec field (FieldLoadBalancers, …)
	From  string // "" when the setting had no value
	To    string // "" when the setting is removed
}

// ModifyPlan works out the ModifyVpcEndpointServiceConfiguration that turns svc into want
// (for a service in region home): load balancers, acceptance, private DNS name (set,
// changed or removed), supported IP address types and supported Regions. Other fields of
// want (tags, principals, notification, payer) are not part of this call and are ignored.
// No changes gives an input with only ServiceID and no Change.
func ModifyPlan(svc EndpointService, want ServiceSpec, home string) (ModifyServiceInput, []Change) {
	in := ModifyServiceInput{ServiceID: svc.ID}
	var changes []Change

	curLBs := slices.Concat(svc.NetworkLoadBalancers, svc.GatewayLoadBalancers)
	add, remove := setDiff(curLBs, want.LoadBalancers)
	if len(add)+len(remove) > 0 {
		if svc.Type == ServiceTypeGateway || want.IsGateway() {
			in.AddGatewayLoadBalancerARNs, in.RemoveGatewayLoadBalancerARNs = add, remove
		} else {
			in.AddNetworkLoadBalancerARNs, in.RemoveNetworkLoadBalancerARNs = add, remove
		}
		changes = append(changes, Change{Field: FieldLoadBalancers, From: lbNames(curLBs), To: lbNames(want.LoadBalancers)})
	}
	if svc.AcceptanceRequired != want.AcceptanceRequired {
		v := want.AcceptanceRequired
		in.AcceptanceRequired = &v
		changes = append(changes, Change{Field: FieldAcceptanceRequired, From: strconv.FormatBool(svc.AcceptanceRequired), To: strconv.FormatBool(v)})
	}
	cur := ""
	if svc.PrivateDNS != nil {
		cur = svc.PrivateDNS.Name
	}
	switch {
	case want.PrivateDNSName == cur:
	case want.PrivateDNSName == "":
		in.RemovePrivateDNSName = true
		changes = append(changes, Change{Field: FieldPrivateDNSName, From: cur})
	default:
		name := want.PrivateDNSName
		in.PrivateDNSName = &name
		changes = append(changes, Change{Field: FieldPrivateDNSName, From: cur, To: name})
	}
	curIP := svc.SupportedIPTypes
	if len(curIP) == 0 {
		curIP = []string{IPTypeIPv4}
	}
	in.AddSupportedIPTypes, in.RemoveSupportedIPTypes = setDiff(curIP, want.IPTypes())
	if len(in.AddSupportedIPTypes)+len(in.RemoveSupportedIPTypes) > 0 {
		changes = append(changes, Change{Field: FieldSupportedIPTypes, From: strings.Join(curIP, ", "), To: strings.Join(want.IPTypes(), ", ")})
	}
	var curRegions []string
	for _, r := range svc.SupportedRegions {
		if r.Region != home && r.Region != "" {
			curRegions = append(curRegions, r.Region)
		}
	}
	in.AddSupportedRegions, in.RemoveSupportedRegions = setDiff(curRegions, want.SupportedRegions)
	if len(in.AddSupportedRegions)+len(in.RemoveSupportedRegions) > 0 {
		changes = append(changes, Change{Field: FieldSupportedRegions, From: strings.Join(curRegions, ", "), To: strings.Join(want.SupportedRegions, ", ")})
	}
	return in, changes
}

// setDiff is what to add to cur and remove from it to get want, each in the order given.
func setDiff(cur, want []string) (add, remove []string) {
	for _, w := range want {
		if !slices.Contains(cur, w) {
			add = append(add, w)
		}
	}
	for _, c := range cur {
		if !slices.Contains(want, c) {
			remove = append(remove, c)
		}
	}
	return add, remove
}

func lbNames(arns []string) string {
	names := make([]string, len(arns))
	for i, a := range arns {
		names[i] = a
		if lb, err := ParseLoadBalancerARN(a); err == nil {
			names[i] = lb.Name
		}
	}
	return strings.Join(names, ", ")
}

// Empty says whether a modification changes nothing.
func (in ModifyServiceInput) Empty() bool {
	return in.AcceptanceRequired == nil && in.PrivateDNSName == nil && !in.RemovePrivateDNSName &&
		len(in.AddNetworkLoadBalancerARNs)+len(in.RemoveNetworkLoadBalancerARNs)+
			len(in.AddGatewayLoadBalancerARNs)+len(in.RemoveGatewayLoadBalancerARNs)+
			len(in.AddSupportedIPTypes)+len(in.RemoveSupportedIPTypes)+
			len(in.AddSupportedRegions)+len(in.RemoveSupportedRegions) == 0
}

// NewClientToken is a create's idempotency token: a retry with the same token never creates
// a second resource.
func NewClientToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "plconsole-" + hex.EncodeToString(b[:])
}

func eventsCSV(events []NotificationEvent) string { return strings.Join(EventNames(events), ",") }
