package model

// LoadBalancer is an NLB or GWLB with what matters for PrivateLink.
type LoadBalancer struct {
	ARN               string
	Name              string
	Type              string // network | gateway | application
	Scheme            string // internal | internet-facing
	State             string // active | provisioning | active_impaired | failed
	DNSName           string
	VpcID             string
	IPAddressType     string // ipv4 | dualstack | dualstack-without-public-ipv4
	AvailabilityZones []LBZone
	SecurityGroups    []string
	// EnforceSGOnPrivateLink is the NLB attribute
	// enforce_security_group_inbound_rules_on_private_link_traffic ("on" → true).
	EnforceSGOnPrivateLink bool
	CrossZoneEnabled       bool
	Listeners              []Listener
	TargetGroups           []TargetGroup
}

// LBZone is one AZ a load balancer is enabled in.
type LBZone struct {
	Name     string
	ID       string
	SubnetID string
}

// Listener is a load balancer listener.
type Listener struct {
	ARN            string
	Port           int32
	Protocol       string
	TargetGroupARN string
}

// TargetGroup is a target group with its targets' health.
type TargetGroup struct {
	ARN                 string
	Name                string
	Protocol            string
	Port                int32
	TargetType          string // instance | ip | alb
	HealthCheckProtocol string
	HealthCheckPort     string
	// CrossZone is load_balancing.cross_zone.enabled: true | false | use_load_balancer_configuration.
	CrossZone string
	Targets   []Target
}

// TargetHealthState is one of ELB's target states.
type TargetHealthState string

const (
	TargetInitial           TargetHealthState = "initial"
	TargetHealthy           TargetHealthState = "healthy"
	TargetUnhealthy         TargetHealthState = "unhealthy"
	TargetUnhealthyDraining TargetHealthState = "unhealthy.draining"
	TargetUnused            TargetHealthState = "unused"
	TargetDraining          TargetHealthState = "draining"
	TargetUnavailable       TargetHealthState = "unavailable"
)

// Target is one registered target and its health.
type Target struct {
	ID          string // instance id or IP
	Port        int32
	AZ          string
	State       TargetHealthState
	Reason      string // Elb.* / Target.* reason code
	Description string
}

// CrossZoneOn resolves a target group's cross-zone setting against its load balancer's.
func (tg TargetGroup) CrossZoneOn(lb LoadBalancer) bool {
	if tg.CrossZoneFromLB() {
		return lb.CrossZoneEnabled
	}
	return tg.CrossZone == "true"
}

// CrossZoneFromLB says whether the group follows its load balancer's cross-zone setting
// (use_load_balancer_configuration, or not read).
func (tg TargetGroup) CrossZoneFromLB() bool {
	return tg.CrossZone != "true" && tg.CrossZone != "false"
}

// Healthy is how many of the group's targets are healthy.
func (tg TargetGroup) Healthy() int {
	n := 0
	for _, t := range tg.Targets {
		if t.State == TargetHealthy {
			n++
		}
	}
	return n
}
