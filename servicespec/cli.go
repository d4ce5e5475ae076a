package servicespec

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/plconsole/plconsole/model"
)

// ServiceIDVar is the shell variable the create script keeps the new service's id in.
const ServiceIDVar = "SERVICE_ID"

// command builds one `aws` invocation, one option per line.
type command struct {
	head  string
	lines []string
}

func newCommand(head, region string) *command {
	return &command{head: head, lines: []string{"--region " + region}}
}

func (c *command) opt(name string, values ...string) *command {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = ShellQuote(v)
	}
	c.lines = append(c.lines, strings.TrimSpace(name+" "+strings.Join(quoted, " ")))
	return c
}

// raw adds an option whose value is already shell syntax ("$SERVICE_ID").
func (c *command) raw(name, value string) *command {
	c.lines = append(c.lines, name+" "+value)
	return c
}

func (c *command) String() string {
	return c.head + " \\\n    " + strings.Join(c.lines, " \\\n    ")
}

// CreateScript is the POSIX shell script that makes the calls of model.CreatePlan(spec)
// with the AWS CLI, in region: the create with clientToken (so running it after the wizard
// returns the service the wizard made instead of a second one), the id kept in
// $SERVICE_ID, then the principals, the notification and the payer responsibility. It
// stops at the first failed command.
func CreateScript(spec model.ServiceSpec, region, clientToken string) string {
	in := spec.CreateInput(clientToken)
	var b strings.Builder
	b.WriteString("set -e\n")
	b.WriteString("# 1. Create the endpoint service; the client token makes a retry return the same service.\n")
	c := newCommand("aws ec2 create-vpc-endpoint-service-configuration", region)
	if len(in.GatewayLoadBalancerARNs) > 0 {
		c.opt("--gateway-load-balancer-arns", in.GatewayLoadBalancerARNs...)
	} else {
		c.opt("--network-load-balancer-arns", in.NetworkLoadBalancerARNs...)
	}
	if in.AcceptanceRequired {
		c.opt("--acceptance-required")
	} else {
		c.opt("--no-acceptance-required")
	}
	if in.PrivateDNSName != "" {
		c.opt("--private-dns-name", in.PrivateDNSName)
	}
	if len(in.SupportedIPTypes) > 0 {
		c.opt("--supported-ip-address-types", in.SupportedIPTypes...)
	}
	if len(in.SupportedRegions) > 0 {
		c.opt("--supported-regions", in.SupportedRegions...)
	}
	if len(in.Tags) > 0 {
		c.opt("--tag-specifications", tagSpecJSON("vpc-endpoint-service", in.Tags))
	}
	c.opt("--client-token", clientToken)
	c.opt("--query", "ServiceConfiguration.ServiceId").opt("--output", "text")
	b.WriteString(ServiceIDVar + "=$(" + c.String() + ")\n")
	b.WriteString("echo \"created $" + ServiceIDVar + "\"\n")
	step := 2
	if len(spec.Principals) > 0 {
		b.WriteString("# " + strconv.Itoa(step) + ". Allow the principals to connect.\n")
		step++
		b.WriteString(newCommand("aws ec2 modify-vpc-endpoint-service-permissions", region).
			raw("--service-id", "\"$"+ServiceIDVar+"\"").opt("--add-allowed-principals", spec.Principals...).String() + "\n")
	}
	if n := spec.Notification; n != nil {
		b.WriteString("# " + strconv.Itoa(step) + ". Publish connection events to SNS.\n")
		step++
		events := model.EventNames(n.Events)
		b.WriteString(newCommand("aws ec2 create-vpc-endpoint-connection-notification", region).
			raw("--service-id", "\"$"+ServiceIDVar+"\"").opt("--connection-notification-arn", n.TopicARN).
			opt("--connection-events", events...).String() + "\n")
	}
	if spec.PayerServiceOwner {
		b.WriteString("# " + strconv.Itoa(step) + ". Make the service owner pay for consumers' endpoints (cannot be undone).\n")
		b.WriteString(newCommand("aws ec2 modify-vpc-endpoint-service-payer-responsibility", region).
			raw("--service-id", "\"$"+ServiceIDVar+"\"").opt("--payer-responsibility", "ServiceOwner").String() + "\n")
	}
	return b.String()
}

// ModifyCommand is the AWS CLI command that sends in (ModifyVpcEndpointServiceConfiguration)
// in region.
func ModifyCommand(in model.ModifyServiceInput, region string) string {
	c := newCommand("aws ec2 modify-vpc-endpoint-service-configuration", region).opt("--service-id", in.ServiceID)
	if in.AcceptanceRequired != nil {
		if *in.AcceptanceRequired {
			c.opt("--acceptance-required")
		} else {
			c.opt("--no-acceptance-required")
		}
	}
	if in.PrivateDNSName != nil {
		c.opt("--private-dns-name", *in.PrivateDNSName)
	}
	if in.RemovePrivateDNSName {
		c.opt("--remove-private-dns-name")
	}
	lists := []struct {
		name string
		vals []string
	}{
		{"--add-network-load-balancer-arns", in.AddNetworkLoadBalancerARNs},
		{"--remove-network-load-balancer-arns", in.RemoveNetworkLoadBalancerARNs},
		{"--add-gateway-load-balancer-arns", in.AddGatewayLoadBalancerARNs},
		{"--remove-gateway-load-balancer-arns", in.RemoveGatewayLoadBalancerARNs},
		{"--add-supported-ip-address-types", in.AddSupportedIPTypes},
		{"--remove-supported-ip-address-types", in.RemoveSupportedIPTypes},
		{"--add-supported-regions", in.AddSupportedRegions},
		{"--remove-supported-regions", in.RemoveSupportedRegions},
	}
	for _, l := range lists {
		if len(l.vals) > 0 {
			c.opt(l.name, l.vals...)
		}
	}
	return c.String()
}

// tagSpecJSON is a --tag-specifications value in JSON, which needs no escaping of the
// commas, brackets and equals signs the shorthand syntax treats specially.
func tagSpecJSON(resourceType string, tags map[string]string) string {
	type tag struct {
		Key   string `json:"Key"`
		Value string `json:"Value"`
	}
	type spec struct {
		ResourceType string `json:"ResourceType"`
		Tags         []tag  `json:"Tags"`
	}
	keys := sortedKeys(tags)
	s := spec{ResourceType: resourceType}
	for _, k := range keys {
		s.Tags = append(s.Tags, tag{Key: k, Value: tags[k]})
	}
	b, _ := json.Marshal([]spec{s})
	return string(b)
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9@%+=:,./_-]+$`)

// ShellQuote quotes s for a POSIX shell: as is when it holds only characters no shell
// treats specially, otherwise in single quotes.
func ShellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
