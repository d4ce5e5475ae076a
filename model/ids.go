package model

import (
	"regexp"
	"strings"
)

// Availability zones have account-specific names (us-east-1a may be a different data centre
// in two accounts) and account-independent ids (use1-az1). Anything comparing zones across
// accounts — a consumer's subnets against a provider's service — must compare ids.

var (
	azNameRe = regexp.MustCompile(`^([a-z]{2,4}(?:-(?:gov|iso[a-z]?))?-[a-z]+-[1-9][0-9]?)([a-z]|-[a-z0-9-]*[a-z0-9])$`)
	azIDRe   = regexp.MustCompile(`^[a-z]{3,}[1-9][0-9]?(-[a-z0-9]+)*-(az|wlz)[0-9]+$`)
)

// ParseAZName splits an availability zone name into its region and the zone suffix:
// "us-east-1a" → ("us-east-1", "a"); a Local Zone "us-west-2-lax-1a" → ("us-west-2", "-lax-1a").
func ParseAZName(name string) (region, zone string, err error) {
	m := azNameRe.FindStringSubmatch(name)
	if m == nil {
		return "", "", invalidf("availability zone name %s is not a zone name; expected a region plus a letter, such as us-east-1a", quote(name))
	}
	return m[1], m[2], nil
}

// AZRegion returns the region of an availability zone name, or "" when name is not one.
func AZRegion(name string) string {
	r, _, err := ParseAZName(name)
	if err != nil {
		return ""
	}
	return r
}

// ValidateAZName checks an availability zone name such as us-east-1a.
func ValidateAZName(name string) error {
	_, _, err := ParseAZName(name)
	return err
}

// ValidateAZID checks an availability zone id such as use1-az1 (or a Local Zone id such as
// usw2-lax1-az1).
func ValidateAZID(id string) error {
	if !azIDRe.MatchString(id) {
		return invalidf("availability zone id %s is not a zone id; expected something like use1-az1", quote(id))
	}
	return nil
}

// IsAZID reports whether s looks like a zone id (use1-az1) rather than a zone name.
func IsAZID(s string) bool { return azIDRe.MatchString(s) }

// ZoneIndex maps zone names to ids and back for one account and region.
type ZoneIndex struct {
	idByName map[string]string
	nameByID map[string]string
}

// NewZoneIndex builds an index from DescribeAvailabilityZones' answer.
func NewZoneIndex(zones []AvailabilityZone) ZoneIndex {
	ix := ZoneIndex{idByName: make(map[string]string, len(zones)), nameByID: make(map[string]string, len(zones))}
	for _, z := range zones {
		if z.Name != "" && z.ID != "" {
			ix.idByName[z.Name] = z.ID
			ix.nameByID[z.ID] = z.Name
		}
	}
	return ix
}

// ID returns the zone id for a zone name or id; ok is false when the zone is unknown.
func (ix ZoneIndex) ID(nameOrID string) (string, bool) {
	if _, ok := ix.nameByID[nameOrID]; ok {
		return nameOrID, true
	}
	id, ok := ix.idByName[nameOrID]
	return id, ok
}

// Name returns the zone name for a zone name or id; ok is false when the zone is unknown.
func (ix ZoneIndex) Name(nameOrID string) (string, bool) {
	if _, ok := ix.idByName[nameOrID]; ok {
		return nameOrID, true
	}
	n, ok := ix.nameByID[nameOrID]
	return n, ok
}

// ServiceNameFor is the service name consumers use to connect to a provider's endpoint
// service: com.amazonaws.vpce.<region>.<service id>.
func ServiceNameFor(region, serviceID string) string {
	return "com.amazonaws.vpce." + region + "." + serviceID
}

// ParseServiceName takes an endpoint service name (com.amazonaws.vpce.<region>.<id>, or the
// aws.vpce.<region>.<id> form of Marketplace services) apart into region and service id.
func ParseServiceName(name string) (region, serviceID string, err error) {
	rest, ok := strings.CutPrefix(name, "com.amazonaws.vpce.")
	if !ok {
		rest, ok = strings.CutPrefix(name, "aws.vpce.")
	}
	if ok {
		region, serviceID, ok = strings.Cut(rest, ".")
	}
	if !ok || ValidateRegion(region) != nil || ValidateServiceID(serviceID) != nil {
		return "", "", invalidf("endpoint service name %s must look like com.amazonaws.vpce.<region>.vpce-svc-<17 hex digits>", quote(name))
	}
	return region, serviceID, nil
}

// LoadBalancerDimension is the value of the AWS/NetworkELB "LoadBalancer" dimension for a
// load balancer ARN: the resource after "loadbalancer/" (net/<name>/<id>). Input that is not
// an ELBv2 ARN is returned unchanged.
func LoadBalancerDimension(arn string) string {
	if i := strings.Index(arn, ":loadbalancer/"); i >= 0 {
		return arn[i+len(":loadbalancer/"):]
	}
	return arn
}

// TargetGroupDimension is the value of the AWS/NetworkELB "TargetGroup" dimension for a target
// group ARN: the resource part (targetgroup/<name>/<id>). Other input is returned unchanged.
func TargetGroupDimension(arn string) string {
	if i := strings.Index(arn, ":targetgroup/"); i >= 0 {
		return arn[i+1:]
	}
	return arn
}
