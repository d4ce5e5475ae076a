package model

import "strings"

// Per-connection payer responsibility (ModifyVpcEndpointPayerResponsibility): who pays for
// one endpoint's charges, whatever the service-wide setting says.
const (
	PayerEndpointAccount = "vpc-endpoint-account"         // the consumer who owns the endpoint
	PayerServiceAccount  = "vpc-endpoint-service-account" // the provider who owns the service
	PayerScopeEndpoint   = "vpc-endpoint-charges"         // the scope of an endpoint's charges
)

// ParseConnectionPayer reads a payer as a person types it: consumer (or endpoint-owner, or
// AWS's vpc-endpoint-account) and provider (service-owner, vpc-endpoint-service-account).
func ParseConnectionPayer(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "consumer", "endpoint-owner", "endpoint", PayerEndpointAccount:
		return PayerEndpointAccount, nil
	case "provider", "service-owner", "service", PayerServiceAccount:
		return PayerServiceAccount, nil
	}
	return "", invalidf("payer %s is not consumer (%s) or provider (%s)", quote(s), PayerEndpointAccount, PayerServiceAccount)
}

// PayerLabel is a payer value for people: consumer or provider ("" stays "").
func PayerLabel(p string) string {
	switch p {
	case PayerEndpointAccount:
		return "consumer"
	case PayerServiceAccount:
		return "provider"
	}
	return p
}

// EffectivePayer is who pays for a connection: what AWS reported for it (explicit), else the
// service-wide setting (ServiceOwner: the provider; otherwise the consumer).
func EffectivePayer(c Connection, svc EndpointService) (payer string, explicit bool) {
	if c.Payer != "" {
		return c.Payer, true
	}
	if svc.PayerResponsibility == PayerServiceOwner {
		return PayerServiceAccount, false
	}
	return PayerEndpointAccount, false
}

// PayerText is the payer cell of a connection: "consumer", "provider", or "provider
// (service)" when it follows the service-wide setting.
func PayerText(c Connection, svc EndpointService) string {
	p, explicit := EffectivePayer(c, svc)
	if explicit {
		return PayerLabel(p)
	}
	return PayerLabel(p) + " (service)"
}
