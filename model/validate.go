package model

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Validation errors say what was wrong and what is allowed, in one sentence a person can act
// on. They all wrap ErrInvalid so callers can tell a rejected input from other failures.

// ErrInvalid is wrapped by every validation error in this package.
var ErrInvalid = errors.New("invalid value")

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// quote shortens very long user input so an error message stays one readable line.
func quote(s string) string {
	const max = 80
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// ARN is an Amazon Resource Name split into its parts:
// arn:<partition>:<service>:<region>:<account>:<resource>.
type ARN struct {
	Partition string
	Service   string
	Region    string
	Account   string
	Resource  string // everything after the fifth colon, which may itself contain colons
}

// String reassembles the ARN.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

var (
	partitionRe = regexp.MustCompile(`^aws(-[a-z]+)*$`)
	arnSvcRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	accountRe   = regexp.MustCompile(`^[0-9]{12}$`)
	regionRe    = regexp.MustCompile(`^[a-z]{2,4}(-(gov|iso[a-z]?))?-[a-z]+-[1-9][0-9]?$`)
)

// PartitionOf names the partition a region belongs to: aws-cn for China, aws-us-gov for
// GovCloud, aws-iso… for the isolated regions, aws for the rest.
func PartitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	}
	return "aws"
}

// PrincipalPartitionMismatch says why a principal cannot connect to a service in region: an
// ARN of another partition names an account that cannot reach it ("" when it can, or for *).
func PrincipalPartitionMismatch(principal, region string) string {
	a, err := ParseARN(principal)
	if err != nil || region == "" {
		return ""
	}
	if want := PartitionOf(region); a.Partition != want {
		return fmt.Sprintf("%s is in partition %s, but the service is in %s (partition %s): that principal can never connect", principal, a.Partition, region, want)
	}
	return ""
}

// ParseARN splits an ARN and checks the parts every ARN has: the "arn" prefix, a partition
// (aws, aws-cn, aws-us-gov, …), a service, an optional region, an optional 12-digit account
// and a non-empty resource.
func ParseARN(s string) (ARN, error) {
	if !strings.HasPrefix(s, "arn:") {
		return ARN{}, invalidf("ARN %s must start with \"arn:\" (arn:partition:service:region:account:resource)", quote(s))
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 {
		return ARN{}, invalidf("ARN %s has %d of the 6 colon-separated parts arn:partition:service:region:account:resource", quote(s), len(parts))
	}
	a := ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}
	switch {
	case !partitionRe.MatchString(a.Partition):
		return ARN{}, invalidf("ARN %s has partition %s; expected aws, aws-cn, aws-us-gov or another aws-… partition", quote(s), quote(a.Partition))
	case !arnSvcRe.MatchString(a.Service):
		return ARN{}, invalidf("ARN %s has service %s; expected a lowercase service name such as ec2 or sns", quote(s), quote(a.Service))
	case a.Region != "" && !regionRe.MatchString(a.Region):
		return ARN{}, invalidf("ARN %s has region %s; expected a region name such as us-east-1, or nothing", quote(s), quote(a.Region))
	case a.Account != "" && !accountRe.MatchString(a.Account):
		return ARN{}, invalidf("ARN %s has account %s; expected 12 digits, or nothing", quote(s), quote(a.Account))
	case a.Resource == "":
		return ARN{}, invalidf("ARN %s has no resource after the account", quote(s))
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return ARN{}, invalidf("ARN %s contains whitespace or control characters", quote(s))
		}
	}
	return a, nil
}

// ValidateAccountID checks a 12-digit AWS account id.
func ValidateAccountID(id string) error {
	if !accountRe.MatchString(id) {
		return invalidf("account id %s must be exactly 12 digits (for example 123456789012)", quote(id))
	}
	return nil
}

// AccountRootARN turns an account id into the principal ARN that stands for the whole
// account: arn:aws:iam::<id>:root. It does not validate id.
func AccountRootARN(id string) string { return "arn:aws:iam::" + id + ":root" }

// Principal types as DescribeVpcEndpointServicePermissions reports them.
const (
	PrincipalAll     = "All"
	PrincipalAccount = "Account"
	PrincipalUser    = "User"
	PrincipalRole    = "Role"
)

var iamNameRe = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

const principalAllowed = "allowed: * (everyone), a 12-digit account id, arn:aws:iam::<account>:root, arn:aws:iam::<account>:user/<name> or arn:aws:iam::<account>:role/<name>"

// NormalizePrincipal validates an allowed-principal entry for an endpoint service and returns
// it in the form AWS stores: a bare 12-digit account id becomes its root ARN; "*" stays "*";
// IAM root, user and role ARNs are returned unchanged. Surrounding spaces are ignored.
// ARNs with a path (role/team/name) are rejected because AWS does not support them here.
func NormalizePrincipal(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "*" {
		return s, nil
	}
	if s == "" {
		return "", invalidf("principal is empty; %s", principalAllowed)
	}
	if accountRe.MatchString(s) {
		return AccountRootARN(s), nil
	}
	if _, err := PrincipalTypeOf(s); err != nil {
		return "", err
	}
	return s, nil
}

// ValidatePrincipal checks one allowed-principal entry (see NormalizePrincipal); a bare
// account id is not accepted here because AWS wants the ARN.
func ValidatePrincipal(s string) error {
	if s == "*" {
		return nil
	}
	_, err := PrincipalTypeOf(s)
	return err
}

// PrincipalTypeOf classifies a valid principal as All, Account, User or Role, or returns why
// it is not a principal an endpoint service accepts.
func PrincipalTypeOf(s string) (string, error) {
	if s == "*" {
		return PrincipalAll, nil
	}
	if accountRe.MatchString(s) {
		return "", invalidf("principal %s is a bare account id; use %s", quote(s), AccountRootARN(s))
	}
	a, err := ParseARN(s)
	if err != nil {
		return "", invalidf("principal %s is not an ARN; %s", quote(s), principalAllowed)
	}
	if a.Service != "iam" {
		return "", invalidf("principal %s is a %s ARN; %s", quote(s), a.Service, principalAllowed)
	}
	if a.Region != "" {
		return "", invalidf("principal %s has region %s but IAM ARNs have none (arn:aws:iam::<account>:…)", quote(s), quote(a.Region))
	}
	if a.Account == "" {
		return "", invalidf("principal %s has no account id; %s", quote(s), principalAllowed)
	}
	if a.Resource == "root" {
		return PrincipalAccount, nil
	}
	kind, rest, ok := strings.Cut(a.Resource, "/")
	if !ok || (kind != "user" && kind != "role") {
		return "", invalidf("principal %s names %s; %s", quote(s), quote(a.Resource), principalAllowed)
	}
	if strings.Contains(rest, "/") {
		return "", invalidf("principal %s has a path (%s); endpoint services do not accept ARNs with paths — use arn:aws:iam::%s:%s/<name> without the path", quote(s), quote(rest), a.Account, kind)
	}
	if !iamNameRe.MatchString(rest) {
		return "", invalidf("principal %s has %s name %s; IAM names are 1–64 of letters, digits and +=,.@_-", quote(s), kind, quote(rest))
	}
	if kind == "user" {
		return PrincipalUser, nil
	}
	return PrincipalRole, nil
}

var (
	serviceIDRe  = regexp.MustCompile(`^vpce-svc-[0-9a-f]{17}$`)
	endpointIDRe = regexp.MustCompile(`^vpce-[0-9a-f]{17}$`)
)

// ValidateServiceID checks an endpoint service id: vpce-svc- and 17 lowercase hex digits.
func ValidateServiceID(id string) error {
	if !serviceIDRe.MatchString(id) {
		if endpointIDRe.MatchString(id) {
			return invalidf("%s is a VPC endpoint id; an endpoint service id looks like vpce-svc-0123456789abcdef0", quote(id))
		}
		return invalidf("endpoint service id %s must be vpce-svc- followed by 17 lowercase hex digits (vpce-svc-0123456789abcdef0)", quote(id))
	}
	return nil
}

// ValidateEndpointID checks a VPC endpoint id: vpce- and 17 lowercase hex digits.
func ValidateEndpointID(id string) error {
	if !endpointIDRe.MatchString(id) {
		if serviceIDRe.MatchString(id) {
			return invalidf("%s is an endpoint service id; a VPC endpoint id looks like vpce-0123456789abcdef0", quote(id))
		}
		return invalidf("VPC endpoint id %s must be vpce- followed by 17 lowercase hex digits (vpce-0123456789abcdef0)", quote(id))
	}
	return nil
}

// Load balancer types as they appear in ARNs and in LoadBalancer.Type.
const (
	LBTypeNetwork     = "network"
	LBTypeGateway     = "gateway"
	LBTypeApplication = "application"
)

// LoadBalancerARN is an ELBv2 load balancer ARN taken apart:
// arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/<net|gwy|app>/<name>/<id>.
type LoadBalancerARN struct {
	ARN
	Type string // network | gateway | application
	Name string
	ID   string // 16 hex digits
}

var (
	lbNameRe = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$`)
	lbIDRe   = regexp.MustCompile(`^[0-9a-f]{16}$`)
)

// ParseLoadBalancerARN parses any ELBv2 load balancer ARN (network, gateway or application).
func ParseLoadBalancerARN(s string) (LoadBalancerARN, error) {
	a, err := ParseARN(s)
	if err != nil {
		return LoadBalancerARN{}, err
	}
	const shape = "arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/net/<name>/<id>"
	if a.Service != "elasticloadbalancing" {
		return LoadBalancerARN{}, invalidf("%s is a %s ARN, not a load balancer ARN (%s)", quote(s), a.Service, shape)
	}
	if a.Region == "" || a.Account == "" {
		return LoadBalancerARN{}, invalidf("load balancer ARN %s needs a region and an account (%s)", quote(s), shape)
	}
	parts := strings.Split(a.Resource, "/")
	if len(parts) != 4 || parts[0] != "loadbalancer" {
		if len(parts) > 0 && parts[0] == "targetgroup" {
			return LoadBalancerARN{}, invalidf("%s is a target group ARN; give the load balancer's ARN (%s)", quote(s), shape)
		}
		return LoadBalancerARN{}, invalidf("load balancer ARN %s must end in loadbalancer/<net|gwy>/<name>/<id> (%s)", quote(s), shape)
	}
	out := LoadBalancerARN{ARN: a, Name: parts[2], ID: parts[3]}
	switch parts[1] {
	case "net":
		out.Type = LBTypeNetwork
	case "gwy":
		out.Type = LBTypeGateway
	case "app":
		out.Type = LBTypeApplication
	default:
		return LoadBalancerARN{}, invalidf("load balancer ARN %s has type %s; expected net (Network), gwy (Gateway) or app (Application)", quote(s), quote(parts[1]))
	}
	if !lbNameRe.MatchString(out.Name) {
		return LoadBalancerARN{}, invalidf("load balancer ARN %s has name %s; names are 1–32 letters, digits and hyphens, not starting or ending with a hyphen", quote(s), quote(out.Name))
	}
	if !lbIDRe.MatchString(out.ID) {
		return LoadBalancerARN{}, invalidf("load balancer ARN %s ends in %s; expected 16 lowercase hex digits", quote(s), quote(out.ID))
	}
	return out, nil
}

// ValidateNLBARN checks a Network Load Balancer ARN (loadbalancer/net/…), the only kind an
// Interface endpoint service can sit behind.
func ValidateNLBARN(s string) error { return validateLBType(s, LBTypeNetwork) }

// ValidateGWLBARN checks a Gateway Load Balancer ARN (loadbalancer/gwy/…).
func ValidateGWLBARN(s string) error { return validateLBType(s, LBTypeGateway) }

func validateLBType(s, want string) error {
	lb, err := ParseLoadBalancerARN(s)
	if err != nil {
		return err
	}
	if lb.Type != want {
		if lb.Type == LBTypeApplication {
			return invalidf("%s is an Application Load Balancer; endpoint services need a %s load balancer (put the ALB behind an NLB with an ALB-type target group)", quote(s), want)
		}
		return invalidf("%s is a %s load balancer; this needs a %s load balancer", quote(s), lb.Type, want)
	}
	return nil
}

var snsNameRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}(\.fifo)?$`)

// ValidateSNSTopicARN checks an SNS topic ARN for connection notifications:
// arn:aws:sns:<region>:<account>:<topic>.
func ValidateSNSTopicARN(s string) error {
	a, err := ParseARN(s)
	if err != nil {
		return err
	}
	const shape = "arn:aws:sns:<region>:<account>:<topic-name>"
	switch {
	case a.Service != "sns":
		return invalidf("%s is a %s ARN; notifications need an SNS topic ARN (%s)", quote(s), a.Service, shape)
	case a.Region == "" || a.Account == "":
		return invalidf("SNS topic ARN %s needs a region and an account (%s)", quote(s), shape)
	case !snsNameRe.MatchString(a.Resource) || len(a.Resource) > 256:
		return invalidf("SNS topic ARN %s has topic name %s; names are 1–256 letters, digits, hyphens and underscores", quote(s), quote(a.Resource))
	}
	return nil
}

// NormalizePrivateDNSName trims spaces, lowercases and drops one trailing dot, which is the
// form AWS stores. Validate the result with ValidatePrivateDNSName.
func NormalizePrivateDNSName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.TrimSuffix(s, ".")
}

// ValidatePrivateDNSName checks an endpoint service's private DNS name: lowercase letters,
// digits and hyphens in dot-separated labels of at most 63 characters, at most 255 in all,
// at least two labels, optionally starting with a "*." wildcard.
//
// A trailing dot is rejected rather than silently accepted: the name is entered here without
// it (example.com), while in the DNS provider the TXT record's name is the place a trailing
// dot belongs, to stop the provider appending the zone a second time.
func ValidatePrivateDNSName(s string) error {
	if s == "" {
		return invalidf("private DNS name is empty; expected a domain such as api.example.com")
	}
	if len(s) > 255 {
		return invalidf("private DNS name is %d characters; at most 255 are allowed", len(s))
	}
	if strings.TrimSpace(s) != s {
		return invalidf("private DNS name %s has leading or trailing spaces", quote(s))
	}
	if strings.HasSuffix(s, ".") {
		return invalidf("private DNS name %s ends with a dot; enter it without the trailing dot (%s) — the trailing dot belongs on the TXT record name in your DNS provider", quote(s), strings.TrimRight(s, "."))
	}
	if strings.ToLower(s) != s {
		return invalidf("private DNS name %s has uppercase letters; AWS accepts lowercase only (%s)", quote(s), strings.ToLower(s))
	}
	name := s
	if strings.HasPrefix(name, "*.") {
		name = name[2:]
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return invalidf("private DNS name %s needs at least two labels (name.example.com or example.com)", quote(s))
	}
	for i, l := range labels {
		if err := checkDNSLabel(s, l); err != nil {
			return err
		}
		if i == len(labels)-1 && strings.Trim(l, "0123456789") == "" {
			return invalidf("private DNS name %s ends in the all-numeric label %s; the top-level domain cannot be numeric", quote(s), quote(l))
		}
	}
	return nil
}

func checkDNSLabel(full, l string) error {
	switch {
	case l == "":
		return invalidf("private DNS name %s has an empty label (two dots in a row, or a leading dot)", quote(full))
	case l == "*":
		return invalidf("private DNS name %s has a wildcard that is not the whole first label; only a leading \"*.\" is allowed", quote(full))
	case len(l) > 63:
		return invalidf("private DNS name %s has a %d-character label; labels are at most 63 characters", quote(full), len(l))
	case l[0] == '-' || l[len(l)-1] == '-':
		return invalidf("private DNS name %s has label %s starting or ending with a hyphen", quote(full), quote(l))
	}
	for _, r := range l {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return invalidf("private DNS name %s has %q in label %s; labels hold only a-z, 0-9 and hyphens", quote(full), r, quote(l))
		}
	}
	return nil
}

// VerificationRecord returns the TXT record that proves ownership of a private DNS name: its
// fully qualified name (_<token>.<domain>, without the wildcard) and its value (vpce:<token>).
// ok is false when p carries no token yet.
func VerificationRecord(p PrivateDNS) (name, value string, ok bool) {
	if p.TXTName == "" || p.TXTValue == "" {
		return "", "", false
	}
	domain := strings.TrimPrefix(strings.TrimSuffix(p.Name, "."), "*.")
	name = strings.TrimSuffix(p.TXTName, ".")
	if domain != "" && name != domain && !strings.HasSuffix(name, "."+domain) {
		name += "." + domain
	}
	return name, p.TXTValue, true
}

// Tag limits AWS enforces on every taggable resource.
const (
	MaxTagKeyLen   = 128
	MaxTagValueLen = 256
	MaxTags        = 50
)

// ValidateTagKey checks a tag key: 1–128 characters of valid UTF-8, not starting with the
// reserved "aws:" prefix, no control characters.
func ValidateTagKey(k string) error {
	n := utf8.RuneCountInString(k)
	switch {
	case !utf8.ValidString(k):
		return invalidf("tag key %s is not valid UTF-8", quote(k))
	case n == 0:
		return invalidf("tag key is empty; keys are 1–%d characters", MaxTagKeyLen)
	case n > MaxTagKeyLen:
		return invalidf("tag key %s is %d characters; keys are at most %d", quote(k), n, MaxTagKeyLen)
	case strings.HasPrefix(strings.ToLower(k), "aws:"):
		return invalidf("tag key %s starts with \"aws:\", which is reserved for AWS", quote(k))
	case strings.TrimSpace(k) != k:
		return invalidf("tag key %s has leading or trailing spaces", quote(k))
	}
	if hasControl(k) {
		return invalidf("tag key %s contains control characters", quote(k))
	}
	return nil
}

// ValidateTagValue checks a tag value: 0–256 characters of valid UTF-8, no control characters.
func ValidateTagValue(v string) error {
	n := utf8.RuneCountInString(v)
	switch {
	case !utf8.ValidString(v):
		return invalidf("tag value %s is not valid UTF-8", quote(v))
	case n > MaxTagValueLen:
		return invalidf("tag value %s is %d characters; values are at most %d", quote(v), n, MaxTagValueLen)
	case hasControl(v):
		return invalidf("tag value %s contains control characters", quote(v))
	}
	return nil
}

// ValidateTags checks every key and value and the count (at most 50 per resource). Errors
// are reported for keys in sorted order so the message is stable.
func ValidateTags(tags map[string]string) error {
	if len(tags) > MaxTags {
		return invalidf("%d tags given; a resource holds at most %d", len(tags), MaxTags)
	}
	for _, k := range sortedKeys(tags) {
		if err := ValidateTagKey(k); err != nil {
			return err
		}
		if err := ValidateTagValue(tags[k]); err != nil {
			return fmt.Errorf("tag %s: %w", quote(k), err)
		}
	}
	return nil
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// ValidateRegion checks the shape of an AWS region name (us-east-1, eu-central-2,
// us-gov-west-1, cn-north-1, …). It does not know which regions exist.
func ValidateRegion(r string) error {
	if !regionRe.MatchString(r) {
		return invalidf("region %s is not a region name; expected something like us-east-1 or eu-west-2", quote(r))
	}
	return nil
}

var metricIDRe = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

// ValidateMetricQueryID checks a GetMetricData query id: a lowercase letter, then letters,
// digits and underscores, at most 255 characters.
func ValidateMetricQueryID(id string) error {
	if len(id) > 255 {
		return invalidf("metric query id is %d characters; at most 255 are allowed", len(id))
	}
	if !metricIDRe.MatchString(id) {
		return invalidf("metric query id %s must start with a lowercase letter and hold only letters, digits and underscores", quote(id))
	}
	return nil
}

// IP address types of an interface endpoint (and of a connection) and of a service.
const (
	IPTypeIPv4      = "ipv4"
	IPTypeIPv6      = "ipv6"
	IPTypeDualstack = "dualstack"
)

// ValidateIPAddressType checks an endpoint's IP address type: ipv4, dualstack or ipv6.
func ValidateIPAddressType(t string) error {
	switch t {
	case IPTypeIPv4, IPTypeDualstack, IPTypeIPv6:
		return nil
	}
	return invalidf("IP address type %s is not one of ipv4, dualstack, ipv6", quote(t))
}

// ValidateSupportedIPType checks one of an endpoint service's supported IP address types:
// ipv4 or ipv6 (a service supporting both lists both; "dualstack" is an endpoint setting).
func ValidateSupportedIPType(t string) error {
	switch t {
	case IPTypeIPv4, IPTypeIPv6:
		return nil
	case IPTypeDualstack:
		return invalidf("supported IP address type %s is an endpoint setting; for a service list both ipv4 and ipv6", quote(t))
	}
	return invalidf("supported IP address type %s is not one of ipv4, ipv6", quote(t))
}

// FormatTags writes tags as "key=value" pairs joined with sep, keys sorted ("" for none).
func FormatTags(tags map[string]string, sep string) string {
	keys := sortedKeys(tags)
	for i, k := range keys {
		keys[i] = k + "=" + tags[k]
	}
	return strings.Join(keys, sep)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
