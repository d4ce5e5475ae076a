package model

import (
	"reflect"
	"strings"
	"testing"
)

func TestCreatePlan(t *testing.T) {
	s := validSpec()
	s.PayerServiceOwner = true
	plan := CreatePlan(s)
	var ops []string
	for _, c := range plan {
		ops = append(ops, c.Step+":"+c.Operation)
	}
	want := []string{
		"create:CreateVpcEndpointServiceConfiguration",
		"principals:ModifyVpcEndpointServicePermissions",
		"notification:CreateVpcEndpointConnectionNotification",
		"payer:ModifyVpcEndpointServicePayerResponsibility",
	}
	if !reflect.DeepEqual(ops, want) {
		t.Fatalf("plan %v", ops)
	}
	params := strings.Join(plan[0].Params, " ")
	for _, p := range []string{"NetworkLoadBalancerArns=" + nlbARN, "AcceptanceRequired=true", "PrivateDnsName=orders.example.com",
		"SupportedRegions=eu-west-1", "Name=orders-api", "ClientToken="} {
		if !strings.Contains(params, p) {
			t.Errorf("create params %q lack %q", params, p)
		}
	}
	minimal := CreatePlan(ServiceSpec{LoadBalancers: []string{gwlbARN}})
	if len(minimal) != 1 || !strings.Contains(minimal[0].Params[0], "GatewayLoadBalancerArns=") {
		t.Fatalf("gateway plan %+v", minimal)
	}
}

func TestModifyPlan(t *testing.T) {
	svc := EndpointService{
		ID: svcID, Type: ServiceTypeInterface, NetworkLoadBalancers: []string{nlbARN, nlb2ARN}, AcceptanceRequired: true,
		PrivateDNS: &PrivateDNS{Name: "old.example.com"}, SupportedIPTypes: []string{"ipv4"},
		SupportedRegions: []SupportedRegion{{Region: "us-east-1"}, {Region: "us-west-2"}},
	}
	same := SpecFromService(svc, "us-east-1")
	if in, ch := ModifyPlan(svc, same, "us-east-1"); !in.Empty() || len(ch) != 0 || in.ServiceID != svcID {
		t.Fatalf("no change: %+v %+v", in, ch)
	}
	want := same
	want.LoadBalancers = []string{nlbARN}
	want.SupportedRegions = []string{"us-west-2", "eu-west-1"}
	want.AcceptanceRequired = false
	want.PrivateDNSName = ""
	in, ch := ModifyPlan(svc, want, "us-east-1")
	if !reflect.DeepEqual(in.RemoveNetworkLoadBalancerARNs, []string{nlb2ARN}) || in.AddNetworkLoadBalancerARNs != nil ||
		!reflect.DeepEqual(in.AddSupportedRegions, []string{"eu-west-1"}) || in.RemoveSupportedRegions != nil ||
		in.AcceptanceRequired == nil || *in.AcceptanceRequired || !in.RemovePrivateDNSName || in.PrivateDNSName != nil || in.Empty() {
		t.Fatalf("modify %+v", in)
	}
	var fields []string
	for _, c := range ch {
		fields = append(fields, c.Field)
	}
	if got := strings.Join(fields, " "); got != "load_balancers acceptance_required private_dns_name supported_regions" {
		t.Fatalf("changes %s", got)
	}
	if ch[0].From != "my-nlb, other-nlb" || ch[0].To != "my-nlb" {
		t.Fatalf("lb change %+v", ch[0])
	}
	want = same
	want.PrivateDNSName = "new.example.com"
	want.SupportedIPTypes = []string{"ipv4", "ipv6"}
	in, _ = ModifyPlan(svc, want, "us-east-1")
	if in.PrivateDNSName == nil || *in.PrivateDNSName != "new.example.com" || in.RemovePrivateDNSName ||
		!reflect.DeepEqual(in.AddSupportedIPTypes, []string{"ipv6"}) {
		t.Fatalf("set name, add ipv6: %+v", in)
	}
}
