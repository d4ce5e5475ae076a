package model

import (
	"strings"
	"time"
)

// ConnectionState is the state of a consumer's interface endpoint as the provider sees it.
// AWS's SDK enums are PascalCase while the wire carries lowerCamel; ParseConnectionState
// accepts both so the rest of the code sees one spelling.
type ConnectionState string

const (
	StatePendingAcceptance ConnectionState = "pendingAcceptance"
	StatePending           ConnectionState = "pending"
	StateAvailable         ConnectionState = "available"
	StateDeleting          ConnectionState = "deleting"
	StateDeleted           ConnectionState = "deleted"
	StateRejected          ConnectionState = "rejected"
	StateFailed            ConnectionState = "failed"
	StateExpired           ConnectionState = "expired"
)

// AllConnectionStates lists every state in the order the inbox sorts them (work first).
var AllConnectionStates = []ConnectionState{
	StatePendingAcceptance, StatePending, StateAvailable, StateDeleting,
	StateRejected, StateFailed, StateExpired, StateDeleted,
}

// ParseConnectionState normalises any spelling AWS uses ("PendingAcceptance",
// "pendingAcceptance", "pendingacceptance") to the canonical lowerCamel value. The second
// result is false for a value that is not a known state.
func ParseConnectionState(s string) (ConnectionState, bool) {
	for _, st := range AllConnectionStates {
		if strings.EqualFold(string(st), s) {
			return st, true
		}
	}
	return ConnectionState(s), false
}

// Rank orders states for the inbox: pendingAcceptance first, deleted last.
func (s ConnectionState) Rank() int {
	for i, st := range AllConnectionStates {
		if st == s {
			return i
		}
	}
	return len(AllConnectionStates)
}

// CanAccept says whether the provider may accept a connection in this state.
func (s ConnectionState) CanAccept() bool { return s == StatePendingAcceptance }

// CanReject says whether the provider may reject a connection in this state.
func (s ConnectionState) CanReject() bool {
	return s == StatePendingAcceptance || s == StateAvailable || s == StatePending
}

// BlocksServiceDelete says whether a connection in this state keeps its service from being
// deleted: AWS refuses DeleteVpcEndpointServiceConfigurations while any connection waits for
// acceptance, is being set up or is available, so those must be rejected first.
func (s ConnectionState) BlocksServiceDelete() bool {
	return s == StatePendingAcceptance || s == StatePending || s == StateAvailable
}

// Connection is one consumer interface endpoint's connection to a provider's service.
type Connection struct {
	ServiceID     string
	EndpointID    string // vpce-…
	ConnectionID  string
	OwnerAccount  string
	State         ConnectionState
	Created       time.Time
	Region        string // the endpoint's region (cross-region when it differs from the service's)
	IPAddressType string // ipv4 | dualstack | ipv6
	LoadBalancers []string
	DNSNames      []string
	Tags          map[string]string
	// Payer is who pays for the endpoint's charges as AWS reported it for this connection
	// (PayerEndpointAccount or PayerServiceAccount); "" when AWS did not say, and the
	// service's PayerResponsibility applies (see EffectivePayer).
	Payer string
}

// Key identifies a connection across refreshes.
func (c Connection) Key() string { return c.ServiceID + "/" + c.EndpointID }

// AppendKey appends Key to b: the key of a connection looked up in a map without making a
// string (m[string(b)] does not allocate).
func (c *Connection) AppendKey(b []byte) []byte {
	return append(append(append(b, c.ServiceID...), '/'), c.EndpointID...)
}

// Endpoint is an interface VPC endpoint, as its consumer owner sees it.
type Endpoint struct {
	ID                string
	Type              string // Interface | Gateway | GatewayLoadBalancer
	ServiceName       string
	VpcID             string
	SubnetIDs         []string
	SecurityGroupIDs  []string
	State             ConnectionState
	PrivateDNSEnabled bool
	IPAddressType     string
	DNSNames          []string
	NetworkInterfaces []string
	OwnerAccount      string
	Created           time.Time
	ServiceRegion     string
}

// Vpc, Subnet and SecurityGroup describe the consumer side a test connection is made from.
type Vpc struct {
	ID        string
	CIDR      string
	IsDefault bool
	Name      string
}

type Subnet struct {
	ID    string
	VpcID string
	CIDR  string
	AZ    string // us-east-1a
	AZID  string // use1-az1
	Name  string
}

type SecurityGroup struct {
	ID    string
	Name  string
	VpcID string
}

// AvailabilityZone maps a zone name to its account-independent id.
type AvailabilityZone struct {
	Name  string
	ID    string
	State string
}

// ItemResult is the outcome of one item in a bulk action (accept, reject, delete).
type ItemResult struct {
	ID      string
	OK      bool
	Code    string // AWS error code when not OK
	Message string
}
