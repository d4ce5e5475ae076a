package model

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

const nlb2ARN = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/other-nlb/0123456789abcdef"

func validSpec() ServiceSpec {
	return ServiceSpec{
		Name:               "orders-api",
		LoadBalancers:      []string{nlbARN},
		AcceptanceRequired: true,
		PrivateDNSName:     "orders.example.com",
		SupportedIPTypes:   []string{"ipv4"},
		SupportedRegions:   []string{"eu-west-1"},
		Tags:               map[string]string{"team": "orders"},
		Principals:         []string{"arn:aws:iam::444455556666:root"},
		Notification: &NotificationSpec{TopicARN: "arn:aws:sns:us-east-1:111122223333:pl-events",
			Events: []NotificationEvent{EventConnect, EventAccept}},
	}
}

func TestServiceSpecValidate(t *testing.T) {
	tests := []struct {
		name  string
		mut   func(*ServiceSpec)
		field string // "" = valid
		msg   string
	}{
		{name: "valid"},
		{name: "minimal", mut: func(s *ServiceSpec) { *s = ServiceSpec{LoadBalancers: []string{nlbARN}} }},
		{name: "no load balancer", mut: func(s *ServiceSpec) { s.LoadBalancers = nil }, field: FieldLoadBalancers, msg: "at least one"},
		{name: "twice", mut: func(s *ServiceSpec) { s.LoadBalancers = []string{nlbARN, nlbARN} }, field: FieldLoadBalancers, msg: "twice"},
		{name: "alb", mut: func(s *ServiceSpec) { s.LoadBalancers = []string{albARN} }, field: FieldLoadBalancers, msg: "Application Load Balancer"},
		{name: "mixed", mut: func(s *ServiceSpec) { s.LoadBalancers = []string{nlbARN, gwlbARN} }, field: FieldLoadBalancers, msg: "not both"},
		{name: "two gwlbs", mut: func(s *ServiceSpec) {
			s.LoadBalancers = []string{gwlbARN, strings.Replace(gwlbARN, "my-gwlb", "b-gwlb", 1)}
			s.PrivateDNSName = ""
		}, field: FieldLoadBalancers, msg: "one Gateway"},
		{name: "gwlb with dns", mut: func(s *ServiceSpec) { s.LoadBalancers = []string{gwlbARN} }, field: FieldPrivateDNSName, msg: "Gateway"},
		{name: "dns upper", mut: func(s *ServiceSpec) { s.PrivateDNSName = "Orders.example.com" }, field: FieldPrivateDNSName, msg: "lowercase"},
		{name: "dualstack type", mut: func(s *ServiceSpec) { s.SupportedIPTypes = []string{"dualstack"} }, field: FieldSupportedIPTypes, msg: "both ipv4 and ipv6"},
		{name: "ip twice", mut: func(s *ServiceSpec) { s.SupportedIPTypes = []string{"ipv4", "ipv4"} }, field: FieldSupportedIPTypes, msg: "twice"},
		{name: "home region", mut: func(s *ServiceSpec) { s.SupportedRegions = []string{"us-east-1"} }, field: FieldSupportedRegions, msg: "own Region"},
		{name: "bad region", mut: func(s *ServiceSpec) { s.SupportedRegions = []string{"mars-1"} }, field: FieldSupportedRegions, msg: "not a region"},
		{name: "aws tag", mut: func(s *ServiceSpec) { s.Tags = map[string]string{"aws:x": "1"} }, field: FieldTags, msg: "reserved"},
		{name: "name among tags", mut: func(s *ServiceSpec) { s.Tags = map[string]string{"Name": "x"} }, field: FieldTags, msg: "Name tag"},
		{name: "principal path", mut: func(s *ServiceSpec) { s.Principals = []string{"arn:aws:iam::444455556666:role/team/x"} }, field: FieldPrincipals, msg: "path"},
		{name: "principal twice", mut: func(s *ServiceSpec) { s.Principals = []string{"*", "*"} }, field: FieldPrincipals, msg: "twice"},
		{name: "topic", mut: func(s *ServiceSpec) { s.Notification.TopicARN = "arn:aws:sqs:us-east-1:111122223333:q" }, field: FieldNotificationTopic, msg: "SNS"},
		{name: "no events", mut: func(s *ServiceSpec) { s.Notification.Events = nil }, field: FieldNotificationEvents, msg: "at least one"},
		{name: "bad event", mut: func(s *ServiceSpec) { s.Notification.Events = []NotificationEvent{"Explode"} }, field: FieldNotificationEvents, msg: "Connect, Accept"},
		{name: "gwlb payer", mut: func(s *ServiceSpec) {
			s.LoadBalancers, s.PrivateDNSName, s.PayerServiceOwner = []string{gwlbARN}, "", true
		},
			field: FieldPayerServiceOwner, msg: "Gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSpec()
			if tt.mut != nil {
				tt.mut(&s)
			}
			err := s.Validate("us-east-1")
			if tt.field == "" {
				if err != nil {
					t.Fatalf("valid spec refused: %v", err)
				}
				return
			}
			var se SpecErrors
			if !errors.As(err, &se) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("want SpecErrors wrapping ErrInvalid, got %T %v", err, err)
			}
			fe := se.Field(tt.field)
			if fe == nil || !strings.Contains(fe.Error(), tt.msg) {
				t.Fatalf("field %s: want an error mentioning %q, got %v", tt.field, tt.msg, err)
			}
			if !strings.Contains(err.Error(), tt.field+": ") {
				t.Fatalf("the message names the field: %v", err)
			}
		})
	}
}

func TestSpecErrorsListEveryBadField(t *testing.T) {
	s := ServiceSpec{PrivateDNSName: "x", SupportedRegions: []string{"nowhere"}}
	err := s.Validate("us-east-1")
	var se SpecErrors
	if !errors.As(err, &se) || len(se) != 3 {
		t.Fatalf("want 3 field errors (load balancers, DNS, regions), got %v", err)
	}
}

func TestParseLists(t *testing.T) {
	regions, err := ParseRegionList("us-east-1", " EU-west-1, us-west-2\neu-west-1 ")
	if err != nil || !reflect.DeepEqual(regions, []string{"eu-west-1", "us-west-2"}) {
		t.Fatalf("regions %v %v", regions, err)
	}
	if _, err := ParseRegionList("us-east-1", "us-east-1"); err == nil || !strings.Contains(err.Error(), "own Region") {
		t.Fatalf("home region: %v", err)
	}
	ps, err := ParsePrincipalList("444455556666, arn:aws:iam::111122223333:role/ops\n*  444455556666")
	want := []string{"arn:aws:iam::444455556666:root", "arn:aws:iam::111122223333:role/ops", "*"}
	if err != nil || !reflect.DeepEqual(ps, want) {
		t.Fatalf("principals %v %v", ps, err)
	}
	if _, err := ParsePrincipalList("arn:aws:iam::123:root"); err == nil || !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad principal: %v", err)
	}
	tags, err := ParseTagList("team = data, env=prod,\nowner=")
	if err != nil || !reflect.DeepEqual(tags, map[string]string{"team": "data", "env": "prod", "owner": ""}) {
		t.Fatalf("tags %v %v", tags, err)
	}
	if FormatTagList(tags) != "env=prod, owner=, team=data" {
		t.Fatalf("format %q", FormatTagList(tags))
	}
	for in, msg := range map[string]string{"team": "no \"=\"", "a=1, a=2": "twice", "aws:x=1": "reserved", "=v": "empty"} {
		if _, err := ParseTagList(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: want %q, got %v", in, msg, err)
		}
	}
	if tags, err := ParseTagList("  "); err != nil || tags != nil {
		t.Fatalf("empty: %v %v", tags, err)
	}
	if e, err := ParseNotificationEvent(" accept "); err != nil || e != EventAccept {
		t.Fatalf("event %v %v", e, err)
	}
}

func TestSpecCreateInputAndBack(t *testing.T) {
	s := validSpec()
	in := s.CreateInput("tok")
	if in.ClientToken != "tok" || !reflect.DeepEqual(in.NetworkLoadBalancerARNs, []string{nlbARN}) || in.GatewayLoadBalancerARNs != nil ||
		in.Tags["Name"] != "orders-api" || in.Tags["team"] != "orders" || !in.AcceptanceRequired {
		t.Fatalf("create input %+v", in)
	}
	gw := ServiceSpec{LoadBalancers: []string{gwlbARN}}
	if in := gw.CreateInput(""); !reflect.DeepEqual(in.GatewayLoadBalancerARNs, []string{gwlbARN}) || in.NetworkLoadBalancerARNs != nil || in.Tags != nil {
		t.Fatalf("gateway input %+v", in)
	}
	svc := EndpointService{
		ID: svcID, NetworkLoadBalancers: []string{nlbARN}, AcceptanceRequired: true,
		PrivateDNS: &PrivateDNS{Name: "orders.example.com"}, SupportedIPTypes: []string{"ipv4"},
		SupportedRegions:  []SupportedRegion{{Region: "us-east-1"}, {Region: "eu-west-1"}},
		Tags:              map[string]string{"Name": "orders-api", "team": "orders"},
		AllowedPrincipals: []Principal{{ARN: "arn:aws:iam::444455556666:root"}},
	}
	got := SpecFromService(svc, "us-east-1")
	want := validSpec()
	want.Notification = nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("spec from service\n got %+v\nwant %+v", got, want)
	}
	if !(ServiceSpec{Principals: []string{"*"}}).EveryoneWithoutApproval() || validSpec().EveryoneWithoutApproval() {
		t.Fatal("everyone without approval")
	}
}

// Tags written by FormatTagList read back the same.
func FuzzTagListRoundTrip(f *testing.F) {
	for _, s := range []string{"team=data, env=prod", "a=", "k = v,\nx=y", "=", "a=b=c", "é=ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tags, err := ParseTagList(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("%q: error %v does not wrap ErrInvalid", s, err)
			}
			return
		}
		again, err := ParseTagList(FormatTagList(tags))
		if err != nil || !reflect.DeepEqual(again, tags) {
			t.Fatalf("%q: %v → %q → %v (%v)", s, tags, FormatTagList(tags), again, err)
		}
	})
}

// Parsed principals are always what AWS stores, and parsing them again changes nothing.
func FuzzParsePrincipalList(f *testing.F) {
	for _, s := range []string{"444455556666", "*, arn:aws:iam::111122223333:role/ops", "arn:aws:iam::1:root", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := ParsePrincipalList(s)
		if err != nil {
			return
		}
		if err := ValidatePrincipals(ps); err != nil {
			t.Fatalf("%q parsed to %v, which does not validate: %v", s, ps, err)
		}
		again, err := ParsePrincipalList(strings.Join(ps, ","))
		if err != nil || !reflect.DeepEqual(again, ps) {
			t.Fatalf("%q: %v then %v (%v)", s, ps, again, err)
		}
	})
}

func TestCheckLoadBalancerChoice(t *testing.T) {
	nlb := LoadBalancer{Name: "a-nlb", Type: LBTypeNetwork}
	nlb2 := LoadBalancer{Name: "b-nlb", Type: LBTypeNetwork}
	gw := LoadBalancer{Name: "a-gwlb", Type: LBTypeGateway}
	gw2 := LoadBalancer{Name: "b-gwlb", Type: LBTypeGateway}
	alb := LoadBalancer{Name: "web", Type: LBTypeApplication}
	for _, tt := range []struct {
		chosen []LoadBalancer
		lb     LoadBalancer
		msg    string
	}{
		{nil, nlb, ""},
		{[]LoadBalancer{nlb}, nlb2, ""},
		{nil, gw, ""},
		{nil, alb, "web is an Application Load Balancer"},
		{[]LoadBalancer{nlb}, gw, "a-gwlb is a gateway load balancer and a-nlb a network one"},
		{[]LoadBalancer{gw}, gw2, "one Gateway Load Balancer, and a-gwlb is chosen"},
	} {
		err := CheckLoadBalancerChoice(tt.chosen, tt.lb)
		checkErr(t, tt.lb.Name, err, tt.msg == "", tt.msg)
	}
}
