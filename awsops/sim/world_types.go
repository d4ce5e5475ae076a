package sim

import (
	"sync"
	"time"
)

// This file is the simulated region's data model. Handler files (ec2_*.go, elb*.go, sts.go,
// cloudwatch*.go) read and mutate these structs directly while holding World.mu; the
// state machines that move them live in evolve.go and world.go.
//
// Locking rule: every method on *World, and every read or write of a field reachable from
// a World, requires the caller to hold w.mu — RLock for reads, Lock for anything that
// mutates (including Advance and the new*ID helpers, which consume the RNG). NewWorld is
// the only exception. Methods on the entity types (Service, Endpoint, Target, …) follow
// the same rule as the World that owns them.
//
// Wire values are kept as plain strings in the exact spelling AWS puts on the wire, so
// handlers can copy them into responses without translation.

// WorldConfig sizes and seeds a world. Zero values pick the defaults (see withDefaults).
type WorldConfig struct {
	Seed        int64
	Services    int    // endpoint services to generate (default 3)
	Connections int    // consumer endpoints (connections) in total (default 40; negative: none)
	Consumers   int    // consumer accounts (default derived from Connections)
	Region      string // default "us-east-1"
	// Start is the world's "now" at creation: generated history lies before it, scheduled
	// changes after it. Zero: a fixed date, so a seed alone reproduces a world.
	Start time.Time
	// PendingExpiry is how long a pendingAcceptance request waits before it becomes
	// expired. AWS does not document the value; default 7 days.
	PendingExpiry time.Duration
	// Static turns off spontaneous activity (consumer arrivals, consumer deletions, target
	// health flaps). Transitions caused by API calls (accept → available, DNS verification,
	// service Pending → Available, expiry) still happen. For tests that count things.
	Static bool
}

// Fixed durations of the state machines (see evolve.go).
const (
	DefaultPendingExpiry    = 7 * 24 * time.Hour
	PendingToAvailableDelay = 5 * time.Second  // accepted / auto-accepted: pending → available
	EndpointDeleteDelay     = 5 * time.Second  // deleting → deleted
	ServiceCreateDelay      = 5 * time.Second  // service Pending → Available
	DNSVerifyDelay          = 10 * time.Second // pendingVerification → verified | failed
	HealthHistoryWindow     = 15 * 24 * time.Hour
)

// ProviderAccountID is the provider account every world has.
const (
	ProviderAccountID   = "111122223333"
	ProviderAccountName = "provider"
)

// Endpoint (connection) states, wire spelling (lowerCamel).
const (
	EndpointPendingAcceptance = "pendingAcceptance"
	EndpointPending           = "pending"
	EndpointAvailable         = "available"
	EndpointDeleting          = "deleting"
	EndpointDeleted           = "deleted"
	EndpointRejected          = "rejected"
	EndpointFailed            = "failed"
	EndpointExpired           = "expired"
)

// Service states.
const (
	ServicePending   = "Pending"
	ServiceAvailable = "Available"
	ServiceDeleting  = "Deleting"
	ServiceDeleted   = "Deleted"
	ServiceFailed    = "Failed"
)

// Service types.
const (
	ServiceTypeInterface = "Interface"
	ServiceTypeGWLB      = "GatewayLoadBalancer"
)

// Private DNS name verification states.
const (
	DNSPendingVerification = "pendingVerification"
	DNSVerified            = "verified"
	DNSFailed              = "failed"
)

// Load balancer types and states (ELBv2 wire values).
const (
	LBTypeNetwork     = "network"
	LBTypeGateway     = "gateway"
	LBTypeApplication = "application"

	LBActive         = "active"
	LBProvisioning   = "provisioning"
	LBActiveImpaired = "active_impaired"
	LBFailed         = "failed"
)

// Target health states and reason codes (ELBv2 wire values).
const (
	TargetInitial           = "initial"
	TargetHealthy           = "healthy"
	TargetUnhealthy         = "unhealthy"
	TargetUnhealthyDraining = "unhealthy.draining"
	TargetUnused            = "unused"
	TargetDraining          = "draining"
	TargetUnavailable       = "unavailable"

	ReasonRegistrationInProgress   = "Elb.RegistrationInProgress"
	ReasonInitialHealthChecking    = "Elb.InitialHealthChecking"
	ReasonResponseCodeMismatch     = "Target.ResponseCodeMismatch"
	ReasonTimeout                  = "Target.Timeout"
	ReasonFailedHealthChecks       = "Target.FailedHealthChecks"
	ReasonNotRegistered            = "Target.NotRegistered"
	ReasonNotInUse                 = "Target.NotInUse"
	ReasonDeregistrationInProgress = "Target.DeregistrationInProgress"
	ReasonInvalidState             = "Target.InvalidState"
	ReasonIPUnusable               = "Target.IpUnusable"
	ReasonHealthCheckDisabled      = "Target.HealthCheckDisabled"
	ReasonInternalError            = "Elb.InternalError"
)

// ReasonDescriptions holds the description ELB returns next to each reason code.
var ReasonDescriptions = map[string]string{
	ReasonRegistrationInProgress:   "Target registration is in progress",
	ReasonInitialHealthChecking:    "Initial health checks in progress",
	ReasonResponseCodeMismatch:     "Health checks failed with these codes: [503]",
	ReasonTimeout:                  "Request timed out",
	ReasonFailedHealthChecks:       "Health checks failed",
	ReasonNotRegistered:            "Target is not registered to the target group",
	ReasonNotInUse:                 "Target is in an Availability Zone that is not enabled for the load balancer",
	ReasonDeregistrationInProgress: "Target deregistration is in progress",
	ReasonInvalidState:             "Target is in the stopped state",
	ReasonIPUnusable:               "The IP address is in use or is not usable",
	ReasonHealthCheckDisabled:      "Health checks are disabled",
	ReasonInternalError:            "Health checks failed due to an internal error",
}

// Hosted zone ids the region's DNS names live in.
const (
	VpceHostedZoneID = "Z7HUB22UULQXV"  // *.vpce.amazonaws.com in us-east-1
	NLBHostedZoneID  = "Z26RNL4JYFTOTI" // *.elb.<region>.amazonaws.com (NLB)
)

// Tag is one resource tag; kept as an ordered slice so responses are deterministic.
type Tag struct {
	Key   string
	Value string
}

// KV is one ELB attribute (key/value), in the order DescribeXAttributes lists them.
type KV struct {
	Key   string
	Value string
}

// AZ is one availability zone as one account sees it.
type AZ struct {
	Name  string // us-east-1a — account-specific
	ID    string // use1-az1 — the same physical zone for every account
	State string // "available"
}

// Account is the provider account or one consumer account.
type Account struct {
	ID       string // 12 digits
	Name     string // "provider", "acme-prod", …
	Provider bool
	// CallerARN and CallerUserID are what GetCallerIdentity returns for this account.
	CallerARN    string
	CallerUserID string
	// AZs is this account's view of the region's zones: AZs[i].Name = region + 'a'+i; the
	// IDs are a per-account permutation (as in real AWS).
	AZs       []AZ
	VPCs      []*VPC      // creation order
	Endpoints []*Endpoint // endpoints this account owns, ordered by Seq
}

// VPC is a VPC in one account. Cross-region consumer VPCs have Region != World.Region.
type VPC struct {
	ID             string
	OwnerID        string
	Region         string
	CIDR           string
	IsDefault      bool
	Name           string // Name tag
	State          string // "available"
	Subnets        []*Subnet
	SecurityGroups []*SecurityGroup
	// EndpointCount counts interface endpoints in this VPC that are not deleted / expired /
	// rejected / failed (the 50-per-VPC quota).
	EndpointCount int
	assigned      int // endpoints placed here by generation (all states)
}

// Subnet is one subnet of a VPC, in one AZ.
type Subnet struct {
	ID           string
	VpcID        string
	OwnerID      string
	CIDR         string
	AZ           string // AZ name in the owner's mapping
	AZID         string
	Name         string
	AvailableIPs int
	State        string // "available"
	base         uint32 // network address as a number
	size         uint32 // addresses in the CIDR
	nextHost     uint32 // next host offset handed to an ENI
}

// SecurityGroup is one security group.
type SecurityGroup struct {
	ID          string
	Name        string
	Description string
	VpcID       string
	OwnerID     string
	Ingress     []SecurityGroupRule // IpPermissions
	Egress      []SecurityGroupRule // IpPermissionsEgress
}

// SecurityGroupRule is one inbound or outbound rule, shaped like EC2's IpPermission.
type SecurityGroupRule struct {
	Protocol string // "-1" (every protocol), "tcp", "udp" or "icmp"
	// FromPort and ToPort bound the rule for tcp, udp and icmp; a "-1" rule has none.
	FromPort, ToPort int32
	CIDRs            []string // IPv4 ranges
	GroupIDs         []string // referenced security groups of the same account
	Description      string
}

// LBZone is one AZ a load balancer is enabled in (provider's names).
type LBZone struct {
	AZ       string
	AZID     string
	SubnetID string
}

// LoadBalancer is an NLB (or GWLB / ALB) in the provider account.
type LoadBalancer struct {
	ARN             string // arn:aws:elasticloadbalancing:<region>:<acct>:loadbalancer/net/<name>/<16hex>
	Name            string
	Type            string // network | gateway | application
	Scheme          string // internal | internet-facing
	State           string // active | provisioning | active_impaired | failed
	StateReason     string
	DNSName         string
	HostedZoneID    string
	VpcID           string
	OwnerID         string
	IPAddressType   string // ipv4 | dualstack
	CreatedAt       time.Time
	Zones           []LBZone
	SecurityGroups  []string
	CrossZone       bool // load_balancing.cross_zone.enabled
	DeletionProtect bool
	// EnforceSGOnPrivateLink is enforce_security_group_inbound_rules_on_private_link_traffic
	// ("on" when true). Only meaningful when SecurityGroups is non-empty.
	EnforceSGOnPrivateLink bool
	Listeners              []*Listener
	TargetGroups           []*TargetGroup
	// ServiceID is the endpoint service using this load balancer ("" when free). An NLB
	// serves at most one endpoint service.
	ServiceID string
	Tags      []Tag
}

// Listener is one load balancer listener.
type Listener struct {
	ARN                   string // arn:…:listener/net/<lbname>/<lbhex>/<16hex>
	LoadBalancerARN       string
	Port                  int32
	Protocol              string // TCP | TLS | UDP | TCP_UDP | GENEVE
	DefaultTargetGroupARN string
}

// HealthCheck is a target group's health check configuration.
type HealthCheck struct {
	Enabled            bool
	Protocol           string // TCP | HTTP | HTTPS
	Port               string // "traffic-port" or a number
	Path               string // HTTP(S) only
	IntervalSeconds    int32
	TimeoutSeconds     int32
	HealthyThreshold   int32
	UnhealthyThreshold int32
	Matcher            string // HTTP codes, e.g. "200-399"
}

// TargetGroup is a target group and its targets.
type TargetGroup struct {
	ARN        string // arn:…:targetgroup/<name>/<16hex>
	Name       string
	Protocol   string
	Port       int32
	TargetType string // instance | ip | alb
	VpcID      string
	OwnerID    string
	HealthCheck
	// CrossZone is load_balancing.cross_zone.enabled: true | false | use_load_balancer_configuration.
	CrossZone           string
	DeregistrationDelay int32
	PreserveClientIP    bool
	ProxyProtocolV2     bool
	LoadBalancerARNs    []string
	Targets             []*Target
	// FlapMean is the mean time between spontaneous health changes of one of its targets;
	// zero: the group's health never changes by itself.
	FlapMean time.Duration
}

// HealthTransition is one change of a target's health, kept so metrics for the past agree
// with the health shown now.
type HealthTransition struct {
	At     time.Time
	State  string
	Reason string // "" for healthy
}

// Target is one registered target.
type Target struct {
	ID           string // instance id or IP
	Port         int32
	AZ           string // provider AZ name
	AZID         string
	State        string
	Reason       string // "" when healthy
	RegisteredAt time.Time
	// History is ascending by At; its last entry equals (State, Reason).
	History []HealthTransition
}

// SupportedRegion is one region a service accepts cross-region connections from.
type SupportedRegion struct {
	Region string
	Status string // Pending | Available | Deleting | Deleted | Rejected | Failed
}

// Principal is one allowed principal of a service.
type Principal struct {
	ARN  string // "*" = everyone
	Type string // All | Service | OrganizationUnit | Account | User | Role
	ID   string // ServicePermissionId: vpce-svc-perm-<17 hex>
	Tags []Tag
}

// Notification is a connection notification on a service or on an endpoint.
type Notification struct {
	ID         string // vpce-nfn-<17 hex>
	OwnerID    string
	ServiceID  string // set for a service notification
	EndpointID string // set for an endpoint notification
	TopicARN   string
	Events     []string // Accept | Connect | Delete | Reject
	State      string   // Enabled | Disabled
	Type       string   // "Topic"
	// ClientToken is the token of the create request that made it ("" without one);
	// RequestFingerprint identifies that request's parameters (see requestFingerprint).
	ClientToken        string
	RequestFingerprint string
}

// Service is a VPC endpoint service configuration.
type Service struct {
	Seq                 uint64
	ID                  string // vpce-svc-<17 hex>
	Name                string // com.amazonaws.vpce.<region>.<id>
	OwnerID             string
	Type                string // Interface | GatewayLoadBalancer
	State               string
	AcceptanceRequired  bool
	ManagesVpcEndpoints bool
	NLBARNs             []string
	GWLBARNs            []string
	AZs                 []string // provider AZ names, sorted (the load balancers' zones)
	AZIDs               []string // the same zones by id, in the same order
	BaseDNSNames        []string // <id>.<region>.vpce.amazonaws.com
	// PrivateDNSName is "" when the service has none; then PrivateDNSState is "" too.
	PrivateDNSName  string
	PrivateDNSState string // pendingVerification | verified | failed
	DNSToken        string // TXT record: name "_<token>.<PrivateDNSName>", value "vpce:<token>"
	// DNSVerifyDueAt is when a started verification resolves (zero: none running).
	DNSVerifyStartedAt  time.Time
	DNSVerifyDueAt      time.Time
	SupportedIPTypes    []string // ipv4 | ipv6
	SupportedRegions    []SupportedRegion
	PayerResponsibility string // "ServiceOwner"
	Tags                []Tag
	Principals          []*Principal
	Notifications       []*Notification
	CreatedAt           time.Time
	AvailableAt         time.Time // when it became (or becomes) Available
	ClientToken         string
	// RequestFingerprint identifies the parameters of the create request ClientToken
	// belongs to: a replay is compared with the request, not with the service as it is now.
	RequestFingerprint string
	// Endpoints are every endpoint (connection) to this service, ordered by Seq; deleted,
	// rejected and expired ones stay listed.
	Endpoints []*Endpoint
	// ArrivalMean / ChurnMean: mean time between spontaneous consumer requests / consumer
	// deletions (zero: none).
	ArrivalMean time.Duration
	ChurnMean   time.Duration
}

// EndpointHistory records when an endpoint entered each state (zero: never).
type EndpointHistory struct {
	RequestedAt time.Time
	AcceptedAt  time.Time
	AvailableAt time.Time
	RejectedAt  time.Time
	DeletingAt  time.Time
	DeletedAt   time.Time
	ExpiredAt   time.Time
	FailedAt    time.Time
}

// ENI is one network interface of an interface endpoint (one per subnet).
type ENI struct {
	ID        string // eni-<17 hex>
	SubnetID  string
	AZ        string // owner's AZ name
	AZID      string
	PrivateIP string
}

// DNSEntry is one DNS name of an endpoint.
type DNSEntry struct {
	DNSName      string
	HostedZoneID string
}

// TrafficProfile holds the deterministic parameters an endpoint's traffic is computed from
// (the CloudWatch series). Traffic flows only while the endpoint is available.
type TrafficProfile struct {
	MeanActive       float64 // mean concurrent connections
	BytesPerSec      float64 // mean bytes/s processed (both directions)
	NewConnsPerSec   float64 // mean new connections per second
	ResetRatio       float64 // RST packets sent per new connection
	DiurnalPhase     float64 // hour of day (UTC, 0–24) of peak traffic
	DiurnalAmplitude float64 // 0–1: peak = mean*(1+a), trough = mean*(1-a)
	Noise            uint64  // seed for per-period jitter
	// SurgeFrom (a unix minute; 0: never) starts a surge of SurgeActive more concurrent
	// connections (and the new connections that keep them up), e.g. a consumer's batch job
	// holding connections open: enough of them exhaust a target's source ports behind the NLB.
	SurgeFrom   int64
	SurgeActive float64
	// SilentFrom (a unix minute; 0: never) is when the consumer stopped sending anything
	// while its connection stayed available (a broken client, a route gone).
	SilentFrom int64
}

// Endpoint is a consumer's interface endpoint — the provider's "connection".
type Endpoint struct {
	Seq          uint64 // stable, increasing: the pagination key
	ID           string // vpce-<17 hex>
	OwnerID      string
	Owner        *Account
	Service      *Service
	ServiceID    string
	ServiceName  string
	Type         string // "Interface"
	ConnectionID string // vpce-con-<17 hex>
	State        string
	// Region is the endpoint's region; != World.Region for cross-region consumers.
	Region            string
	VpcID             string
	SubnetIDs         []string
	SecurityGroupIDs  []string
	ENIs              []ENI
	IPAddressType     string // ipv4 | dualstack | ipv6
	PrivateDNSEnabled bool
	PolicyDocument    string // as the consumer gave it; "" for the default full-access policy
	DNSToken          string // 8 lowercase chars in its DNS names
	Tags              []Tag
	// ConnTags are the tags of the provider's side of the endpoint, the connection
	// (vpce-con-…): DescribeVpcEndpointConnections shows these, CreateTags on the connection
	// id changes them. The consumer's Tags are the consumer's own.
	ConnTags []Tag
	// Payer is the per-endpoint payer responsibility the provider set with
	// ModifyVpcEndpointPayerResponsibility ("" when never set: the service-wide setting
	// applies and DescribeVpcEndpointConnections leaves the member out).
	Payer       string
	ClientToken string
	// RequestFingerprint identifies the parameters of the create request ClientToken
	// belongs to (see requestFingerprint).
	RequestFingerprint string
	CreatedAt          time.Time
	History            EndpointHistory
	Traffic            TrafficProfile
	StateMessage       string
}

// World is the whole simulated region. See the locking rule at the top of this file.
type World struct {
	mu sync.RWMutex

	Config   WorldConfig // with defaults applied
	Region   string
	AZPrefix string    // "use1" for us-east-1
	Now      time.Time // time of the last Advance

	Provider    *Account
	Accounts    map[string]*Account // by 12-digit id
	AccountList []*Account          // provider first, then consumers

	VPCs           map[string]*VPC
	Subnets        map[string]*Subnet
	SecurityGroups map[string]*SecurityGroup

	LoadBalancers    map[string]*LoadBalancer // by ARN
	LoadBalancerList []*LoadBalancer          // creation order
	TargetGroups     map[string]*TargetGroup  // by ARN
	TargetGroupList  []*TargetGroup           // creation order
	Listeners        map[string]*Listener     // by ARN

	Services    map[string]*Service // by id
	ServiceList []*Service          // ordered by ID (pagination key: the ID)

	Endpoints map[string]*Endpoint // every endpoint by id (consumers' view)
	// EndpointList is every endpoint of an existing service, ordered by Seq (the provider's
	// connections across services; pagination key: Seq). Endpoints of a deleted service
	// leave this list but stay in Endpoints and in their owner's Account.Endpoints.
	EndpointList []*Endpoint

	Notifications map[string]*Notification // by id
	// TXT holds the DNS TXT records published in the simulated world: lowercase fqdn
	// without trailing dot → values.
	TXT map[string][]string

	serviceTokens  map[string]*Service  // owner + "/" + ClientToken
	endpointTokens map[string]*Endpoint // owner + "/" + ClientToken
	servicesByName map[string]*Service

	sched   schedule
	seq     uint64
	ids     *idSource // IDs for API-created resources
	evolveR *idSource // randomness for spontaneous evolution (arrivals, flaps, churn)
}

// TransitionError is returned by the state-machine helpers when an action is illegal for
// the object's current state. Code is the AWS error code a handler should report.
type TransitionError struct {
	Code    string
	Message string
}

func (e *TransitionError) Error() string { return e.Code + ": " + e.Message }
