package common

import (
	"github.com/plconsole/plconsole/model"
)

// ServiceCopyables are what a service offers to copy.
func ServiceCopyables(s model.EndpointService) []Copyable {
	out := []Copyable{{"Service id", s.ID}, {"Service name", s.Name}}
	if s.PrivateDNS != nil && s.PrivateDNS.Name != "" {
		out = append(out, Copyable{"Private DNS name", s.PrivateDNS.Name})
		if name, value, ok := model.VerificationRecord(*s.PrivateDNS); ok {
			out = append(out, Copyable{"TXT record name", name}, Copyable{"TXT record value", value})
		}
	}
	for _, arn := range append(append([]string{}, s.NetworkLoadBalancers...), s.GatewayLoadBalancers...) {
		out = append(out, Copyable{"Load balancer ARN", arn})
	}
	for _, d := range s.BaseEndpointDNSNames {
		out = append(out, Copyable{"Base DNS name", d})
	}
	return out
}

// ConnectionCopyables are what a connection offers to copy; serviceName is its service's.
func ConnectionCopyables(c model.Connection, serviceName string) []Copyable {
	out := []Copyable{{"Endpoint id", c.EndpointID}, {"Connection id", c.ConnectionID}, {"Owner account", c.OwnerAccount},
		{"Service id", c.ServiceID}, {"Service name", serviceName}}
	for _, d := range c.DNSNames {
		out = append(out, Copyable{"DNS name", d})
	}
	return out
}

// Copy is one thing to copy, named for the chooser.
func Copy(label, value string) Copyable { return Copyable{Label: label, Value: value} }

// Phrase names the value in a sentence: "the service id", "the TXT record value".
func (c Copyable) Phrase() string {
	l := c.Label
	if len(l) > 1 && l[0] >= 'A' && l[0] <= 'Z' && l[1] >= 'a' && l[1] <= 'z' {
		l = string(l[0]+'a'-'A') + l[1:]
	}
	return "the " + l
}
