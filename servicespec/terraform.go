package servicespec

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/plconsole/plconsole/model"
)

// Terraform is the spec as Terraform (hashicorp/aws provider): an aws_vpc_endpoint_service,
// one aws_vpc_endpoint_service_allowed_principal per principal and an
// aws_vpc_endpoint_connection_notification. The provider has no argument for payer
// responsibility; when the spec asks for it the snippet says how to set it.
func Terraform(spec model.ServiceSpec, region string) string {
	name := terraformName(spec)
	ref := "aws_vpc_endpoint_service." + name + ".id"
	in := spec.CreateInput("")
	var b strings.Builder
	b.WriteString("resource \"aws_vpc_endpoint_service\" \"" + name + "\" {\n")
	attrs := [][2]string{{"acceptance_required", strconv.FormatBool(in.AcceptanceRequired)}}
	if len(in.GatewayLoadBalancerARNs) > 0 {
		attrs = append(attrs, [2]string{"gateway_load_balancer_arns", hclList(in.GatewayLoadBalancerARNs)})
	} else {
		attrs = append(attrs, [2]string{"network_load_balancer_arns", hclList(in.NetworkLoadBalancerARNs)})
	}
	if in.PrivateDNSName != "" {
		attrs = append(attrs, [2]string{"private_dns_name", hclString(in.PrivateDNSName)})
	}
	if len(in.SupportedIPTypes) > 0 {
		attrs = append(attrs, [2]string{"supported_ip_address_types", hclList(in.SupportedIPTypes)})
	}
	if len(in.SupportedRegions) > 0 {
		attrs = append(attrs, [2]string{"supported_regions", hclList(in.SupportedRegions)})
	}
	writeAttrs(&b, "  ", attrs)
	if len(in.Tags) > 0 {
		b.WriteString("\n  tags = {\n")
		var tags [][2]string
		for _, k := range sortedKeys(in.Tags) {
			tags = append(tags, [2]string{hclKey(k), hclString(in.Tags[k])})
		}
		writeAttrs(&b, "    ", tags)
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	for _, p := range spec.Principals {
		b.WriteString("\nresource \"aws_vpc_endpoint_service_allowed_principal\" \"" + name + "_" + principalLabel(p) + "\" {\n")
		writeAttrs(&b, "  ", [][2]string{{"vpc_endpoint_service_id", ref}, {"principal_arn", hclString(p)}})
		b.WriteString("}\n")
	}
	if n := spec.Notification; n != nil {
		events := model.EventNames(n.Events)
		b.WriteString("\nresource \"aws_vpc_endpoint_connection_notification\" \"" + name + "\" {\n")
		writeAttrs(&b, "  ", [][2]string{{"vpc_endpoint_service_id", ref},
			{"connection_notification_arn", hclString(n.TopicARN)}, {"connection_events", hclList(events)}})
		b.WriteString("}\n")
	}
	if spec.PayerServiceOwner {
		b.WriteString("\n# The provider cannot set payer responsibility; once the service exists, run:\n")
		b.WriteString("#   aws ec2 modify-vpc-endpoint-service-payer-responsibility --region " + region +
			" --service-id <id> --payer-responsibility ServiceOwner\n")
	}
	return b.String()
}

// writeAttrs writes "key = value" lines with the equals signs aligned, as terraform fmt does.
func writeAttrs(b *strings.Builder, indent string, attrs [][2]string) {
	w := 0
	for _, a := range attrs {
		w = max(w, len(a[0]))
	}
	for _, a := range attrs {
		b.WriteString(indent + a[0] + strings.Repeat(" ", w-len(a[0])) + " = " + a[1] + "\n")
	}
}

var (
	tfIdentRe   = regexp.MustCompile(`[^a-z0-9_]+`)
	hclKeySafe  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
	tfLabelHead = regexp.MustCompile(`^[a-z_]`)
)

// terraformName is the resource label: the service's name made an identifier.
func terraformName(spec model.ServiceSpec) string {
	n := strings.Trim(tfIdentRe.ReplaceAllString(strings.ToLower(spec.Name), "_"), "_")
	if n == "" {
		return "this"
	}
	if !tfLabelHead.MatchString(n) {
		n = "svc_" + n
	}
	return n
}

// principalLabel names a principal's resource: its account and, for users and roles, name.
func principalLabel(p string) string {
	if p == "*" {
		return "everyone"
	}
	a, err := model.ParseARN(p)
	if err != nil {
		return tfIdentRe.ReplaceAllString(strings.ToLower(p), "_")
	}
	label := a.Account
	if a.Resource != "root" {
		label += "_" + a.Resource
	}
	return strings.Trim(tfIdentRe.ReplaceAllString(strings.ToLower(label), "_"), "_")
}

func hclString(s string) string {
	// strconv.Quote escapes what HCL escapes the same way; "${" and "%{" start templates.
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

func hclList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = hclString(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func hclKey(k string) string {
	if hclKeySafe.MatchString(k) {
		return k
	}
	return hclString(k)
}
