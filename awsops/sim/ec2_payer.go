package sim

import "net/http"

// ModifyVpcEndpointPayerResponsibility: the provider chooses who pays for one endpoint's
// charges. The reference documents the parameters and values, not the errors or who may
// call it; the region lets the owner of the service the endpoint connects to set it on a
// connection that is pending acceptance, pending or available (see docs/SIMULATED-REGION.md).

// Per-endpoint payer values and the one scope that applies to an interface endpoint.
const (
	payerEndpointAccount = "vpc-endpoint-account"
	payerServiceAccount  = "vpc-endpoint-service-account"
	payerScopeEndpoint   = "vpc-endpoint-charges"
	payerScopeGateway    = "resource-gateway-charges"
)

type xmlPayerResponsibility struct {
	Type  string `xml:"payerResponsibilityType"`
	Scope string `xml:"scope"`
}

type modifyEndpointPayerResponse struct {
	Payer         []xmlPayerResponsibility `xml:"payerResponsibilitySet>item"`
	VpcEndpointID string                   `xml:"vpcEndpointId"`
}

func (s *Server) ec2ModifyEndpointPayer(c *Call) (any, error) {
	p := c.Params
	epID, err := requireString(p, "VpcEndpointId")
	if err != nil {
		return nil, err
	}
	payer, err := requireString(p, "PayerResponsibility")
	if err != nil {
		return nil, err
	}
	scope, err := requireString(p, "Scope")
	if err != nil {
		return nil, err
	}
	if payer != payerEndpointAccount && payer != payerServiceAccount {
		return nil, errInvalidParam("Invalid value '%s' for PayerResponsibility. Valid values: %s | %s", payer, payerEndpointAccount, payerServiceAccount)
	}
	switch scope {
	case payerScopeEndpoint:
	case payerScopeGateway:
		return nil, errInvalidParam("Scope %s does not apply to an interface endpoint; use %s.", scope, payerScopeEndpoint)
	default:
		return nil, errInvalidParam("Invalid value '%s' for Scope. Valid values: %s", scope, payerScopeEndpoint)
	}
	if e := checkEndpointID(epID); e != nil {
		return nil, e
	}
	svcID, hasSvc := p.String("ServiceId")
	if hasSvc {
		if e := checkServiceID(svcID); e != nil {
			return nil, e
		}
	}
	w := s.world
	w.mu.Lock()
	defer w.mu.Unlock()
	if hasSvc {
		if _, e := s.ownedService(c, svcID); e != nil {
			return nil, e
		}
	}
	ep := w.Endpoint(epID)
	if ep == nil || ep.Service == nil || ep.Service.OwnerID != c.Account.ID || (hasSvc && ep.ServiceID != svcID) {
		return nil, errEndpointIDNotFound(epID)
	}
	switch ep.State {
	case EndpointPendingAcceptance, EndpointPending, EndpointAvailable:
	default:
		return nil, apiErr(http.StatusBadRequest, "IncorrectState",
			"The payer responsibility of VPC endpoint %s cannot be changed while it is %s.", epID, ep.State)
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	ep.Payer = payer
	return &modifyEndpointPayerResponse{VpcEndpointID: ep.ID,
		Payer: []xmlPayerResponsibility{{Type: payer, Scope: payerScopeEndpoint}}}, nil
}
