// Package model holds plconsole's domain types and rules: endpoint services, consumer
// connections, load balancers and their targets, metrics and diagnostics. It is pure Go with
// no I/O, no AWS SDK and no UI, so every rule here is testable on its own.
package model

import "time"

// ServiceState is the life-cycle state of a VPC endpoint service, as AWS reports it
// (Pending | Available | Deleting | Deleted | Failed).
type ServiceState string

const (
	ServicePending   ServiceState = "Pending"
	ServiceAvailable ServiceState = "Available"
	ServiceDeleting  ServiceState = "Deleting"
	ServiceDeleted   ServiceState = "Deleted"
	ServiceFailed    ServiceState = "Failed"
)

// ServiceType is Interface (NLB-backed) or GatewayLoadBalancer.
type ServiceType string

const (
	ServiceTypeInterface ServiceType = "Interface"
	ServiceTypeGateway   ServiceType = "GatewayLoadBalancer"
)

// DNSVerificationState is the state of a service's private DNS name verification.
type DNSVerificationState string

const (
	DNSPendingVerification DNSVerificationState = "pendingVerification"
	DNSVerified            DNSVerificationState = "verified"
	DNSFailed              DNSVerificationState = "failed"
)

// PayerResponsibility says who pays for endpoint usage. Once ServiceOwner it cannot go back.
type PayerResponsibility string

const PayerServiceOwner PayerResponsibility = "ServiceOwner"

// PrivateDNS is a service's private DNS name and the TXT record that proves ownership of it.
type PrivateDNS struct {
	Name     string
	State    DNSVerificationState
	TXTName  string // "_<token>" relative to Name; the record to publish is TXTName + "." + Name
	TXTValue string // "vpce:<token>"
	Type     string // "TXT"
}

// EndpointService is a VPC endpoint service configuration with everything an operator looks at.
type EndpointService struct {
	ID                   string // vpce-svc-…
	Name                 string // com.amazonaws.vpce.<region>.vpce-svc-…
	DisplayName          string // from the Name tag, when present
	Type                 ServiceType
	State                ServiceState
	AcceptanceRequired   bool
	ManagesVpcEndpoints  bool
	NetworkLoadBalancers []string // ARNs
	GatewayLoadBalancers []string // ARNs
	AvailabilityZones    []string
	AvailabilityZoneIDs  []string // the same zones as ids (use1-az1), when AWS reports them
	BaseEndpointDNSNames []string
	PrivateDNS           *PrivateDNS // nil when the service has no private DNS name
	SupportedIPTypes     []string    // ipv4, ipv6
	SupportedRegions     []SupportedRegion
	RemoteAccessEnabled  bool
	PayerResponsibility  PayerResponsibility
	Tags                 map[string]string
	AllowedPrincipals    []Principal    // filled by a permissions read
	Notifications        []Notification // filled by a notifications read
	Created              time.Time      // zero when AWS does not say
}

// SupportedRegion is one region a service accepts cross-region connections from.
type SupportedRegion struct {
	Region string
	Status string // Pending | Available | Deleting | Deleted | Rejected | Failed
}

// Label is what the UI shows as the service's name: its Name tag, or its id.
func (s EndpointService) Label() string {
	if s.DisplayName != "" {
		return s.DisplayName
	}
	return s.ID
}

// Principal is one entry of a service's allowed principals.
type Principal struct {
	ARN  string // "*" means everyone
	Type string // Account | User | Role | Service | OrganizationUnit | All
	ID   string // the AWS id of the permission entry, when known
	Tags map[string]string
}

// NotificationEvent is one of the connection events a notification fires on.
type NotificationEvent string

// EventNames are events as AWS spells them, in their order.
func EventNames(events []NotificationEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = string(e)
	}
	return out
}

const (
	EventAccept  NotificationEvent = "Accept"
	EventConnect NotificationEvent = "Connect"
	EventDelete  NotificationEvent = "Delete"
	EventReject  NotificationEvent = "Reject"
)

// Notification is an SNS connection notification on a service (or an endpoint).
type Notification struct {
	ID         string // vpce-nfn-…
	TopicARN   string
	Events     []NotificationEvent
	ServiceID  string
	EndpointID string
	State      string // Enabled | Disabled
}
