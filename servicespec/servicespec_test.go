package servicespec

import (
	"errors"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/plconsole/plconsole/model"
)

const (
	nlbARN  = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders-nlb/50dc6c495c0c9188"
	gwlbARN = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/gwy/inspect/0123456789abcdef"
	topic   = "arn:aws:sns:us-east-1:111122223333:pl-events"
)

func fullSpec() model.ServiceSpec {
	return model.ServiceSpec{
		Name:               "orders api",
		LoadBalancers:      []string{nlbARN},
		AcceptanceRequired: true,
		PrivateDNSName:     "orders.example.com",
		SupportedIPTypes:   []string{"ipv4"},
		SupportedRegions:   []string{"eu-west-1"},
		PayerServiceOwner:  true,
		Tags:               map[string]string{"team": "orders", "cost center": "it's 42"},
		Principals:         []string{"arn:aws:iam::444455556666:root", "*"},
		Notification:       &model.NotificationSpec{TopicARN: topic, Events: []model.NotificationEvent{model.EventConnect, model.EventAccept}},
	}
}

func TestSpecFileRoundTrip(t *testing.T) {
	for _, spec := range []model.ServiceSpec{fullSpec(), {LoadBalancers: []string{gwlbARN}}, {LoadBalancers: []string{nlbARN}, AcceptanceRequired: true}} {
		b, err := Marshal(spec)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), "# An endpoint service spec written by plconsole.") {
			t.Fatalf("no header:\n%s", b)
		}
		got, err := Parse(b)
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		if !reflect.DeepEqual(got, spec) {
			t.Fatalf("round trip\n got %+v\nwant %+v\n%s", got, spec, b)
		}
	}
}

func TestParseDefaultsAndNormalises(t *testing.T) {
	got, err := Parse([]byte(`
load_balancers = ["` + nlbARN + `"]
private_dns_name = "Orders.Example.com."
allowed_principals = ["444455556666"]
[notification]
sns_topic_arn = "` + topic + `"
events = ["connect", "REJECT"]
`))
	if err != nil {
		t.Fatal(err)
	}
	if !got.AcceptanceRequired {
		t.Fatal("acceptance_required left out means true, AWS's default")
	}
	if got.PrivateDNSName != "orders.example.com" || got.Principals[0] != "arn:aws:iam::444455556666:root" ||
		!reflect.DeepEqual(got.Notification.Events, []model.NotificationEvent{model.EventConnect, model.EventReject}) {
		t.Fatalf("normalised: %+v", got)
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	tests := []struct{ in, want string }{
		{`load_balancers = "x"`, "not a valid TOML spec"},
		{`load_balancers = ["` + nlbARN + `"]` + "\nacceptance = true\n[tags]\nx = \"1\"\n[extra]\ny = 1", "unknown keys acceptance, extra, extra.y"},
		{`load_balancers = []`, "load_balancers: "},
		{"load_balancers = [\"" + nlbARN + "\"]\nsupported_regions = [\"moon-1\"]\nallowed_principals = [\"arn:aws:iam::1:root\"]",
			"supported_regions: invalid value: region \"moon-1\""},
		{"load_balancers = [\"" + nlbARN + "\"]\nallowed_principals = [\"arn:aws:iam::1:root\"]", "allowed_principals: invalid value: principal"},
		{"load_balancers = [\"" + nlbARN + "\"]\n[notification]\nsns_topic_arn = \"" + topic + "\"\nevents = [\"boom\"]", "notification.events: invalid value: event \"boom\""},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: want an error with %q, got %v", tt.in, tt.want, err)
		}
	}
	_, err := Parse([]byte("load_balancers = []\nsupported_regions = [\"moon-1\"]\nallowed_principals = [\"x\"]"))
	var se model.SpecErrors
	if !errors.As(err, &se) || len(se) != 3 || se[0].Field != model.FieldLoadBalancers || se[2].Field != model.FieldPrincipals {
		t.Fatalf("every field's problem, in file order: %v", err)
	}
}

func TestCreateScript(t *testing.T) {
	s := CreateScript(fullSpec(), "us-east-1", "plconsole-abc")
	for _, want := range []string{
		"set -e\n",
		"SERVICE_ID=$(aws ec2 create-vpc-endpoint-service-configuration \\\n    --region us-east-1 \\\n    --network-load-balancer-arns " + nlbARN,
		"--acceptance-required \\",
		"--private-dns-name orders.example.com",
		"--supported-ip-address-types ipv4",
		"--supported-regions eu-west-1",
		`--tag-specifications '[{"ResourceType":"vpc-endpoint-service","Tags":[{"Key":"Name","Value":"orders api"},{"Key":"cost center","Value":"it'\''s 42"},{"Key":"team","Value":"orders"}]}]'`,
		"--client-token plconsole-abc",
		"--query ServiceConfiguration.ServiceId \\\n    --output text)",
		"aws ec2 modify-vpc-endpoint-service-permissions \\\n    --region us-east-1 \\\n    --service-id \"$SERVICE_ID\" \\\n    --add-allowed-principals arn:aws:iam::444455556666:root '*'",
		"--connection-notification-arn " + topic + " \\\n    --connection-events Connect Accept",
		"--payer-responsibility ServiceOwner",
		"# 4. Make the service owner pay",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("script lacks %q:\n%s", want, s)
		}
	}
	min := CreateScript(model.ServiceSpec{LoadBalancers: []string{gwlbARN}}, "us-east-1", "t")
	if !strings.Contains(min, "--gateway-load-balancer-arns "+gwlbARN) || !strings.Contains(min, "--no-acceptance-required") ||
		strings.Contains(min, "# 2.") {
		t.Fatalf("minimal script:\n%s", min)
	}
	if sh, err := exec.LookPath("sh"); err == nil {
		// The script is valid shell: sh -n parses without running anything.
		f := t.TempDir() + "/create.sh"
		if err := os.WriteFile(f, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(sh, "-n", f).CombinedOutput(); err != nil {
			t.Fatalf("sh -n: %v\n%s", err, out)
		}
	}
}

func TestModifyCommand(t *testing.T) {
	no := false
	name := "new.example.com"
	c := ModifyCommand(model.ModifyServiceInput{ServiceID: "vpce-svc-0123456789abcdef0", AcceptanceRequired: &no, PrivateDNSName: &name,
		RemoveNetworkLoadBalancerARNs: []string{nlbARN}, AddSupportedRegions: []string{"eu-west-1", "us-west-2"}}, "us-east-1")
	want := "aws ec2 modify-vpc-endpoint-service-configuration \\\n    --region us-east-1 \\\n    --service-id vpce-svc-0123456789abcdef0 \\\n" +
		"    --no-acceptance-required \\\n    --private-dns-name new.example.com \\\n    --remove-network-load-balancer-arns " + nlbARN +
		" \\\n    --add-supported-regions eu-west-1 us-west-2"
	if c != want {
		t.Fatalf("got\n%s\nwant\n%s", c, want)
	}
	if c := ModifyCommand(model.ModifyServiceInput{ServiceID: "vpce-svc-0123456789abcdef0", RemovePrivateDNSName: true}, "us-east-1"); !strings.HasSuffix(c, "--remove-private-dns-name") {
		t.Fatalf("remove: %s", c)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"abc": "abc", "*": "'*'", "a b": "'a b'", "it's": `'it'\''s'`, "": "''", "$x": "'$x'"} {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestTerraform(t *testing.T) {
	tf := Terraform(fullSpec(), "us-east-1")
	for _, want := range []string{
		`resource "aws_vpc_endpoint_service" "orders_api" {`,
		"  acceptance_required        = true\n  network_load_balancer_arns = [\"" + nlbARN + "\"]\n",
		`  private_dns_name           = "orders.example.com"`,
		`  supported_regions          = ["eu-west-1"]`,
		"  tags = {\n    Name          = \"orders api\"\n    \"cost center\" = \"it's 42\"\n    team          = \"orders\"\n  }\n",
		`resource "aws_vpc_endpoint_service_allowed_principal" "orders_api_444455556666" {`,
		"  vpc_endpoint_service_id = aws_vpc_endpoint_service.orders_api.id\n  principal_arn           = \"arn:aws:iam::444455556666:root\"",
		`resource "aws_vpc_endpoint_service_allowed_principal" "orders_api_everyone" {`,
		`resource "aws_vpc_endpoint_connection_notification" "orders_api" {`,
		`  connection_events           = ["Connect", "Accept"]`,
		"# The provider cannot set payer responsibility",
	} {
		if !strings.Contains(tf, want) {
			t.Errorf("terraform lacks %q:\n%s", want, tf)
		}
	}
	if tf := Terraform(model.ServiceSpec{LoadBalancers: []string{gwlbARN}, Name: "42 ${x}"}, "us-east-1"); !strings.Contains(tf, `"svc_42_x"`) ||
		!strings.Contains(tf, "gateway_load_balancer_arns") || !strings.Contains(tf, `Name = "42 $${x}"`) {
		t.Fatalf("gateway, odd name:\n%s", tf)
	}
}

// Parse never panics, and whatever it accepts is written back and read again unchanged.
func FuzzParse(f *testing.F) {
	full, _ := Marshal(fullSpec())
	for _, s := range []string{string(full), "load_balancers = []", "x = 1", `load_balancers = ["` + nlbARN + `"]` + "\n[tags]\n\"\" = \"\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spec, err := Parse([]byte(s))
		if err != nil {
			return
		}
		b, err := Marshal(spec)
		if err != nil {
			t.Fatalf("%q: accepted but cannot be written: %v", s, err)
		}
		again, err := Parse(b)
		if err != nil || !reflect.DeepEqual(again, spec) {
			t.Fatalf("%q: %+v written as\n%s\nread back as %+v (%v)", s, spec, b, again, err)
		}
	})
}
