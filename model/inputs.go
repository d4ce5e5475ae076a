package model

// CreateServiceInput is what the wizard (or a test) asks for when creating an endpoint service.
type CreateServiceInput struct {
	NetworkLoadBalancerARNs []string
	GatewayLoadBalancerARNs []string
	AcceptanceRequired      bool
	PrivateDNSName          string
	SupportedIPTypes        []string
	SupportedRegions        []string
	Tags                    map[string]string
	// ClientToken makes the create idempotent: a retry with the same token returns the same
	// service instead of creating a second one. Empty: awsops generates one per call.
	ClientToken string
}

// ModifyServiceInput changes an endpoint service's configuration; nil/empty fields are left alone.
type ModifyServiceInput struct {
	ServiceID                     string
	AcceptanceRequired            *bool
	PrivateDNSName                *string
	RemovePrivateDNSName          bool
	AddNetworkLoadBalancerARNs    []string
	RemoveNetworkLoadBalancerARNs []string
	AddGatewayLoadBalancerARNs    []string
	RemoveGatewayLoadBalancerARNs []string
	AddSupportedIPTypes           []string
	RemoveSupportedIPTypes        []string
	AddSupportedRegions           []string
	RemoveSupportedRegions        []string
}

// CreateEndpointInput creates an interface endpoint on the consumer side (or, with Type
// GatewayLoadBalancer, the endpoint of a Gateway Load Balancer service: one subnet, no
// security groups, no private DNS).
type CreateEndpointInput struct {
	Type              string // Interface (the default) | GatewayLoadBalancer
	ServiceName       string
	VpcID             string
	SubnetIDs         []string
	SecurityGroupIDs  []string
	PrivateDNSEnabled bool
	IPAddressType     string
	ServiceRegion     string
	ClientToken       string
}
