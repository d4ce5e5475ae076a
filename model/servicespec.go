package model

import (
	"fmt"
	"slices"
	"strings"
)

// ServiceSpec is an endpoint service as an operator asks for it: what the setup wizard
// collects step by step, what a TOML spec file holds, and what the create plan, the AWS CLI
// commands and the Terraform snippet are made from. One spec yields one service, so every
// rendering of it must agree with the others.
type ServiceSpec struct {
	// Name becomes the service's Name tag ("" for none).
	Name string
	// LoadBalancers are Network Load Balancer ARNs, or one Gateway Load Balancer ARN.
	LoadBalancers      []string
	AcceptanceRequired bool
	PrivateDNSName     string // "" for none
	// SupportedIPTypes are ipv4 and/or ipv6; empty means ipv4, AWS's default.
	SupportedIPTypes []string
	// SupportedRegions are the Regions besides the service's own that consumers may connect
	// from (cross-region PrivateLink).
	SupportedRegions []string
	// PayerServiceOwner makes the service owner pay for consumers' endpoint usage. It cannot
	// be undone once set.
	PayerServiceOwner bool
	// Tags besides Name.
	Tags map[string]string
	// Principals allowed to connect: IAM ARNs (an account as arn:aws:iam::<id>:root) or "*".
	Principals   []string
	Notification *NotificationSpec
}

// NotificationSpec is one connection notification: the events AWS publishes to an SNS topic.
type NotificationSpec struct {
	TopicARN string
	Events   []NotificationEvent
}

// Names of a spec's fields, as the TOML spec file spells them and validation errors name them.
const (
	FieldName               = "name"
	FieldLoadBalancers      = "load_balancers"
	FieldAcceptanceRequired = "acceptance_required"
	FieldPrivateDNSName     = "private_dns_name"
	FieldSupportedIPTypes   = "supported_ip_address_types"
	FieldSupportedRegions   = "supported_regions"
	FieldPayerServiceOwner  = "payer_service_owner"
	FieldTags               = "tags"
	FieldPrincipals         = "allowed_principals"
	FieldNotificationTopic  = "notification.sns_topic_arn"
	FieldNotificationEvents = "notification.events"
)

// FieldError is a validation error of one field of a spec.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// SpecErrors is every field of a spec that did not validate, in field order.
type SpecErrors []*FieldError

func (es SpecErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap lets errors.Is(err, ErrInvalid) see through the list.
func (es SpecErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Field returns the error of one field, or nil.
func (es SpecErrors) Field(name string) error {
	for _, e := range es {
		if e.Field == name {
			return e.Err
		}
	}
	return nil
}

// MaxNameTagLen is the longest Name tag value (a tag value's limit).
const MaxNameTagLen = MaxTagValueLen

// Validate checks every field of the spec for a service in region home and returns
// SpecErrors listing each field that is wrong (nil when the spec can be created as is).
func (s ServiceSpec) Validate(home string) error {
	var errs SpecErrors
	add := func(field string, err error) {
		if err != nil {
			errs = append(errs, &FieldError{Field: field, Err: err})
		}
	}
	add(FieldName, ValidateTagValue(s.Name))
	add(FieldLoadBalancers, ValidateSpecLoadBalancers(s.LoadBalancers))
	if s.PrivateDNSName != "" {
		err := ValidatePrivateDNSName(s.PrivateDNSName)
		if err == nil && s.IsGateway() {
			err = invalidf("a Gateway Load Balancer endpoint service cannot have a private DNS name; leave it empty")
		}
		add(FieldPrivateDNSName, err)
	}
	add(FieldSupportedIPTypes, ValidateSupportedIPTypes(s.SupportedIPTypes))
	add(FieldSupportedRegions, ValidateSupportedRegions(home, s.SupportedRegions))
	if s.PayerServiceOwner && s.IsGateway() {
		add(FieldPayerServiceOwner, invalidf("payer responsibility cannot be changed for a Gateway Load Balancer endpoint service"))
	}
	tagErr := ValidateTags(s.Tags)
	if tagErr == nil && len(s.Tags)+1 > MaxTags && s.Name != "" {
		tagErr = invalidf("%d tags and a Name tag given; a resource holds at most %d", len(s.Tags), MaxTags)
	}
	if _, ok := s.Tags["Name"]; ok && tagErr == nil {
		tagErr = invalidf("set the Name tag with the service name, not among the tags")
	}
	add(FieldTags, tagErr)
	add(FieldPrincipals, ValidatePrincipals(s.Principals))
	if n := s.Notification; n != nil {
		add(FieldNotificationTopic, ValidateSNSTopicARN(n.TopicARN))
		add(FieldNotificationEvents, ValidateNotificationEvents(n.Events))
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// IsGateway says whether the spec's load balancers are Gateway Load Balancers.
func (s ServiceSpec) IsGateway() bool {
	for _, arn := range s.LoadBalancers {
		if lb, err := ParseLoadBalancerARN(arn); err == nil && lb.Type == LBTypeGateway {
			return true
		}
	}
	return false
}

// IPTypes is the supported IP address types the service will have: ipv4 when none is given.
func (s ServiceSpec) IPTypes() []string {
	if len(s.SupportedIPTypes) == 0 {
		return []string{IPTypeIPv4}
	}
	return s.SupportedIPTypes
}

// AllTags is the tags the service is created with: Tags plus Name.
func (s ServiceSpec) AllTags() map[string]string {
	if s.Name == "" && len(s.Tags) == 0 {
		return nil
	}
	out := make(map[string]string, len(s.Tags)+1)
	for k, v := range s.Tags {
		out[k] = v
	}
	if s.Name != "" {
		out["Name"] = s.Name
	}
	return out
}

// EveryoneWithoutApproval says whether the spec lets any AWS account connect with no
// approval: "*" among the principals and acceptance not required. The wizard asks for a
// typed confirmation of that.
func (s ServiceSpec) EveryoneWithoutApproval() bool {
	return !s.AcceptanceRequired && slices.Contains(s.Principals, "*")
}

// CreateInput is the CreateVpcEndpointServiceConfiguration request for the spec; token is
// its ClientToken, which makes a retry return the first attempt's service.
func (s ServiceSpec) CreateInput(token string) CreateServiceInput {
	in := CreateServiceInput{
		AcceptanceRequired: s.AcceptanceRequired,
		PrivateDNSName:     s.PrivateDNSName,
		SupportedIPTypes:   slices.Clone(s.SupportedIPTypes),
		SupportedRegions:   slices.Clone(s.SupportedRegions),
		Tags:               s.AllTags(),
		ClientToken:        token,
	}
	if s.IsGateway() {
		in.GatewayLoadBalancerARNs = slices.Clone(s.LoadBalancers)
	} else {
		in.NetworkLoadBalancerARNs = slices.Clone(s.LoadBalancers)
	}
	return in
}

// SpecFromService is the spec an existing service answers to (the settings editor starts
// from it). Allowed principals and notifications are taken when svc carries them.
func SpecFromService(svc EndpointService, home string) ServiceSpec {
	s := ServiceSpec{
		Name:               svc.Tags["Name"],
		LoadBalancers:      append(slices.Clone(svc.NetworkLoadBalancers), svc.GatewayLoadBalancers...),
		AcceptanceRequired: svc.AcceptanceRequired,
		SupportedIPTypes:   slices.Clone(svc.SupportedIPTypes),
		PayerServiceOwner:  svc.PayerResponsibility == PayerServiceOwner,
	}
	if svc.PrivateDNS != nil {
		s.PrivateDNSName = svc.PrivateDNS.Name
	}
	for _, r := range svc.SupportedRegions {
		if r.Region != home && r.Region != "" {
			s.SupportedRegions = append(s.SupportedRegions, r.Region)
		}
	}
	for k, v := range svc.Tags {
		if k == "Name" {
			continue
		}
		if s.Tags == nil {
			s.Tags = map[string]string{}
		}
		s.Tags[k] = v
	}
	for _, p := range svc.AllowedPrincipals {
		s.Principals = append(s.Principals, p.ARN)
	}
	return s
}

// ---- field validators and parsers -----------------------------------------------------------

// MaxGatewayLoadBalancers is how many Gateway Load Balancers the wizard puts behind one
// service: a GWLB endpoint service is set up on one appliance fleet at a time.
const MaxGatewayLoadBalancers = 1

// ValidateSpecLoadBalancers checks a service's load balancers: at least one; Network Load
// Balancers, or one Gateway Load Balancer, never both; no ARN twice.
func ValidateSpecLoadBalancers(arns []string) error {
	if len(arns) == 0 {
		return invalidf("choose at least one load balancer: Network Load Balancers, or one Gateway Load Balancer")
	}
	seen := map[string]bool{}
	nlb, gwlb := 0, 0
	for _, arn := range arns {
		if seen[arn] {
			return invalidf("load balancer %s is listed twice", quote(arn))
		}
		seen[arn] = true
		lb, err := ParseLoadBalancerARN(arn)
		if err != nil {
			return err
		}
		switch lb.Type {
		case LBTypeNetwork:
			nlb++
		case LBTypeGateway:
			gwlb++
		default:
			return validateLBType(arn, LBTypeNetwork)
		}
	}
	switch {
	case nlb > 0 && gwlb > 0:
		return invalidf("an endpoint service uses Network Load Balancers or a Gateway Load Balancer, not both")
	case gwlb > MaxGatewayLoadBalancers:
		return invalidf("choose one Gateway Load Balancer, not %d", gwlb)
	}
	return nil
}

// CheckLoadBalancerChoice says whether lb can join the load balancers already chosen for
// one service (the rules of ValidateSpecLoadBalancers, with the load balancers named as
// people know them).
func CheckLoadBalancerChoice(chosen []LoadBalancer, lb LoadBalancer) error {
	switch lb.Type {
	case LBTypeNetwork, LBTypeGateway:
	case LBTypeApplication:
		return invalidf("%s is an Application Load Balancer: endpoint services need a Network Load Balancer (put the ALB behind an NLB with a target group of type alb)", lb.Name)
	default:
		return invalidf("%s is a %s load balancer: endpoint services need Network Load Balancers or one Gateway Load Balancer", lb.Name, lb.Type)
	}
	for _, c := range chosen {
		switch {
		case c.Type != lb.Type:
			return invalidf("%s is a %s load balancer and %s a %s one: a service uses Network Load Balancers or one Gateway Load Balancer, not both",
				lb.Name, lb.Type, c.Name, c.Type)
		case lb.Type == LBTypeGateway:
			return invalidf("a service uses one Gateway Load Balancer, and %s is chosen: drop it first", c.Name)
		}
	}
	return nil
}

// validateDistinct checks each item and that none is given twice; what names an item.
func validateDistinct(items []string, what string, check func(string) error) error {
	seen := map[string]bool{}
	for _, it := range items {
		if err := check(it); err != nil {
			return err
		}
		if seen[it] {
			return invalidf("%s %s is listed twice", what, quote(it))
		}
		seen[it] = true
	}
	return nil
}

// ValidateSupportedIPTypes checks a service's supported IP address types (ipv4, ipv6; an
// empty list means ipv4).
func ValidateSupportedIPTypes(types []string) error {
	return validateDistinct(types, "supported IP address type", ValidateSupportedIPType)
}

// ValidateSupportedRegions checks the Regions besides home that consumers may connect from.
func ValidateSupportedRegions(home string, regions []string) error {
	return validateDistinct(regions, "region", func(r string) error {
		if err := ValidateRegion(r); err != nil {
			return err
		}
		if r == home {
			return invalidf("%s is the service's own Region, which is always supported; list only other Regions", home)
		}
		return nil
	})
}

// ValidatePrincipals checks allowed principals as AWS stores them (see NormalizePrincipal).
func ValidatePrincipals(arns []string) error {
	return validateDistinct(arns, "principal", ValidatePrincipal)
}

// NotificationEvents are the connection events a notification can fire on, in the order
// AWS's documentation lists them.
var NotificationEvents = []NotificationEvent{EventConnect, EventAccept, EventReject, EventDelete}

// ParseNotificationEvent accepts an event name in any case.
func ParseNotificationEvent(s string) (NotificationEvent, error) {
	for _, e := range NotificationEvents {
		if strings.EqualFold(strings.TrimSpace(s), string(e)) {
			return e, nil
		}
	}
	return "", invalidf("event %s is not one of Connect, Accept, Reject, Delete", quote(s))
}

// ValidateNotificationEvents checks a notification's events: at least one, each known, none twice.
func ValidateNotificationEvents(events []NotificationEvent) error {
	if len(events) == 0 {
		return invalidf("choose at least one event: Connect, Accept, Reject or Delete")
	}
	seen := map[NotificationEvent]bool{}
	for _, e := range events {
		if _, err := ParseNotificationEvent(string(e)); err != nil {
			return err
		}
		if seen[e] {
			return invalidf("event %s is listed twice", e)
		}
		seen[e] = true
	}
	return nil
}

// splitList splits user input on commas, spaces, semicolons and line breaks.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == ';' || r == '\n' || r == '\t' || r == '\r'
	})
}

// parseList splits typed items, puts each in its stored form (or refuses it) and keeps
// each once, in the order typed.
func parseList(s string, norm func(string) (string, error)) ([]string, error) {
	var out []string
	for _, it := range splitList(s) {
		n, err := norm(it)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// ParseRegionList reads Regions typed as "eu-west-1, us-west-2" and checks them for a
// service in home. Repeated names are kept once.
func ParseRegionList(home, s string) ([]string, error) {
	out, _ := parseList(strings.ToLower(s), func(r string) (string, error) { return r, nil })
	if err := ValidateSupportedRegions(home, out); err != nil {
		return nil, err
	}
	return out, nil
}

// ParsePrincipalList reads principals typed as account ids or ARNs separated by commas,
// spaces or lines, and returns them as AWS stores them (account ids become root ARNs).
// Repeated principals are kept once.
func ParsePrincipalList(s string) ([]string, error) { return parseList(s, NormalizePrincipal) }

// ParseTagList reads tags typed as "team=data, env=prod": key=value pairs separated by
// commas or lines (so a value cannot hold a comma). Spaces around keys and values are
// dropped; a value may be empty ("team=").
func ParseTagList(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, invalidf("tag %s has no \"=\"; write tags as key=value, separated by commas", quote(part))
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if err := ValidateTagKey(k); err != nil {
			return nil, err
		}
		if _, dup := out[k]; dup {
			return nil, invalidf("tag key %s is given twice", quote(k))
		}
		if err := ValidateTagValue(v); err != nil {
			return nil, fmt.Errorf("tag %s: %w", quote(k), err)
		}
		out[k] = v
	}
	if len(out) > MaxTags {
		return nil, invalidf("%d tags given; a resource holds at most %d", len(out), MaxTags)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// FormatTagList writes tags the way ParseTagList reads them, keys sorted.
func FormatTagList(tags map[string]string) string {
	keys := sortedKeys(tags)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + tags[k]
	}
	return strings.Join(parts, ", ")
}
