package model

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

const (
	nlbARN  = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/my-nlb/50dc6c495c0c9188"
	gwlbARN = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/gwy/my-gwlb/0123456789abcdef"
	albARN  = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/my-alb/0123456789abcdef"
)

// checkErr asserts err is nil when ok, else non-nil, wrapping ErrInvalid and mentioning want.
func checkErr(t *testing.T, in string, err error, ok bool, want string) {
	t.Helper()
	if ok {
		if err != nil {
			t.Errorf("%q: unexpected error %v", in, err)
		}
		return
	}
	if err == nil {
		t.Errorf("%q: expected an error", in)
		return
	}
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("%q: error %v does not wrap ErrInvalid", in, err)
	}
	if want != "" && !strings.Contains(err.Error(), want) {
		t.Errorf("%q: error %q does not mention %q", in, err, want)
	}
}

func TestParseARN(t *testing.T) {
	tests := []struct {
		in   string
		want ARN
		ok   bool
		msg  string
	}{
		{"arn:aws:iam::123456789012:root", ARN{"aws", "iam", "", "123456789012", "root"}, true, ""},
		{"arn:aws:sns:us-east-1:123456789012:topic:with:colons", ARN{"aws", "sns", "us-east-1", "123456789012", "topic:with:colons"}, true, ""},
		{"arn:aws-us-gov:s3:::bucket", ARN{"aws-us-gov", "s3", "", "", "bucket"}, true, ""},
		{"arn:aws-cn:ec2:cn-north-1:123456789012:vpc/vpc-1", ARN{"aws-cn", "ec2", "cn-north-1", "123456789012", "vpc/vpc-1"}, true, ""},
		{"", ARN{}, false, "must start with"},
		{"aws:iam::123456789012:root", ARN{}, false, "must start with"},
		{"arn:aws:iam::123456789012", ARN{}, false, "5 of the 6"},
		{"arn:gcp:iam::123456789012:root", ARN{}, false, "partition"},
		{"arn:aws:IAM::123456789012:root", ARN{}, false, "service"},
		{"arn:aws:iam:mars:123456789012:root", ARN{}, false, "region"},
		{"arn:aws:iam::12345:root", ARN{}, false, "12 digits"},
		{"arn:aws:iam::123456789012:", ARN{}, false, "no resource"},
		{"arn:aws:iam::123456789012:ro ot", ARN{}, false, "whitespace"},
	}
	for _, tt := range tests {
		got, err := ParseARN(tt.in)
		checkErr(t, tt.in, err, tt.ok, tt.msg)
		if tt.ok && got != tt.want {
			t.Errorf("ParseARN(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if tt.ok && got.String() != tt.in {
			t.Errorf("String() = %q, want %q", got.String(), tt.in)
		}
	}
}

func TestAccountID(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"123456789012", true}, {"000000000000", true}, {"12345678901", false},
		{"1234567890123", false}, {"12345678901a", false}, {"", false}, {" 123456789012", false},
	} {
		checkErr(t, tt.in, ValidateAccountID(tt.in), tt.ok, "12 digits")
	}
	if got := AccountRootARN("123456789012"); got != "arn:aws:iam::123456789012:root" {
		t.Errorf("AccountRootARN = %q", got)
	}
}

func TestPrincipals(t *testing.T) {
	tests := []struct {
		in       string
		norm     string // NormalizePrincipal result; "" = error
		typ      string // PrincipalTypeOf result; "" = error
		validate bool
		msg      string
	}{
		{"*", "*", PrincipalAll, true, ""},
		{" * ", "*", "", false, ""},
		{"123456789012", "arn:aws:iam::123456789012:root", "", false, "bare account id"},
		{"arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:root", PrincipalAccount, true, ""},
		{"arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/alice", PrincipalUser, true, ""},
		{"arn:aws:iam::123456789012:role/Ops-Role_1", "arn:aws:iam::123456789012:role/Ops-Role_1", PrincipalRole, true, ""},
		{"arn:aws:iam::123456789012:role/team/ops", "", "", false, "path"},
		{"arn:aws:iam::123456789012:group/admins", "", "", false, "names"},
		{"arn:aws:iam::123456789012:role/", "", "", false, "IAM names"},
		{"arn:aws:sts::123456789012:assumed-role/r/s", "", "", false, "sts ARN"},
		{"arn:aws:iam:us-east-1:123456789012:root", "", "", false, "region"},
		{"arn:aws:iam:::root", "", "", false, "no account"},
		{"alice", "", "", false, "not an ARN"},
		{"", "", "", false, "empty"},
	}
	for _, tt := range tests {
		norm, err := NormalizePrincipal(tt.in)
		checkErr(t, tt.in, err, tt.norm != "", tt.msg)
		if norm != tt.norm {
			t.Errorf("NormalizePrincipal(%q) = %q, want %q", tt.in, norm, tt.norm)
		}
		typ, err := PrincipalTypeOf(tt.in)
		checkErr(t, tt.in, err, tt.typ != "", "")
		if typ != tt.typ {
			t.Errorf("PrincipalTypeOf(%q) = %q, want %q", tt.in, typ, tt.typ)
		}
		checkErr(t, tt.in, ValidatePrincipal(tt.in), tt.validate, "")
	}
}

func TestResourceIDs(t *testing.T) {
	for _, tt := range []struct {
		in      string
		svc, ep bool
		msg     string
	}{
		{"vpce-svc-0123456789abcdef0", true, false, ""},
		{"vpce-0123456789abcdef0", false, true, ""},
		{"vpce-svc-0123456789ABCDEF0", false, false, "hex"},
		{"vpce-svc-0123456789abcdef", false, false, "17"},
		{"vpce-0123456789abcdef01", false, false, "17"},
		{"", false, false, ""},
	} {
		checkErr(t, tt.in, ValidateServiceID(tt.in), tt.svc, tt.msg)
		checkErr(t, tt.in, ValidateEndpointID(tt.in), tt.ep, tt.msg)
	}
	checkErr(t, "ep as svc", ValidateServiceID("vpce-0123456789abcdef0"), false, "is a VPC endpoint id")
	checkErr(t, "svc as ep", ValidateEndpointID("vpce-svc-0123456789abcdef0"), false, "is an endpoint service id")
}

func TestLoadBalancerARNs(t *testing.T) {
	tests := []struct {
		in        string
		nlb, gwlb bool
		msg       string
	}{
		{nlbARN, true, false, "network load balancer"},
		{gwlbARN, false, true, "gateway load balancer"},
		{albARN, false, false, "Application Load Balancer"},
		{"arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/tg/0123456789abcdef", false, false, "target group"},
		{"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/-bad/0123456789abcdef", false, false, "name"},
		{"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/ok/xyz", false, false, "16 lowercase hex"},
		{"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/xyz/ok/0123456789abcdef", false, false, "type"},
		{"arn:aws:elasticloadbalancing::111122223333:loadbalancer/net/ok/0123456789abcdef", false, false, "region"},
		{"arn:aws:ec2:us-east-1:111122223333:loadbalancer/net/ok/0123456789abcdef", false, false, "ec2 ARN"},
		{"my-nlb", false, false, "arn:"},
	}
	for _, tt := range tests {
		checkErr(t, tt.in, ValidateNLBARN(tt.in), tt.nlb, tt.msg)
		checkErr(t, tt.in, ValidateGWLBARN(tt.in), tt.gwlb, tt.msg)
	}
	p, err := ParseLoadBalancerARN(nlbARN)
	if err != nil || p.Type != LBTypeNetwork || p.Name != "my-nlb" || p.ID != "50dc6c495c0c9188" || p.Region != "us-east-1" || p.Account != "111122223333" {
		t.Errorf("ParseLoadBalancerARN = %+v, %v", p, err)
	}
}

func TestSNSTopicARN(t *testing.T) {
	for _, tt := range []struct {
		in  string
		ok  bool
		msg string
	}{
		{"arn:aws:sns:us-east-1:123456789012:plconsole-events", true, ""},
		{"arn:aws:sns:us-east-1:123456789012:events.fifo", true, ""},
		{"arn:aws:sqs:us-east-1:123456789012:queue", false, "sqs ARN"},
		{"arn:aws:sns::123456789012:t", false, "region"},
		{"arn:aws:sns:us-east-1:123456789012:bad/name", false, "topic name"},
		{"arn:aws:sns:us-east-1:123456789012:" + strings.Repeat("a", 257), false, "topic name"},
	} {
		checkErr(t, tt.in, ValidateSNSTopicARN(tt.in), tt.ok, tt.msg)
	}
}

func TestPrivateDNSName(t *testing.T) {
	long63 := strings.Repeat("a", 63)
	for _, tt := range []struct {
		in  string
		ok  bool
		msg string
	}{
		{"api.example.com", true, ""},
		{"example.com", true, ""},
		{"*.example.com", true, ""},
		{"a-1.b2.example.co.uk", true, ""},
		{long63 + ".com", true, ""},
		{strings.Repeat(long63+".", 3) + "ai", true, ""},                                // 194 characters
		{strings.Repeat(long63+".", 3) + strings.Repeat("b", 60) + ".ai", true, ""},     // 255 characters
		{strings.Repeat(long63+".", 3) + strings.Repeat("b", 61) + ".ai", false, "255"}, // 256 characters
		{"", false, "empty"},
		{"api.example.com.", false, "trailing dot"},
		{"API.example.com", false, "lowercase"},
		{"localhost", false, "two labels"},
		{"*.com", false, "two labels"},
		{"a..com", false, "empty label"},
		{".example.com", false, "empty label"},
		{"a.*.example.com", false, "wildcard"},
		{"**.example.com", false, "a-z"},
		{strings.Repeat("a", 64) + ".com", false, "63"},
		{"-a.example.com", false, "hyphen"},
		{"a-.example.com", false, "hyphen"},
		{"a_b.example.com", false, "a-z"},
		{"example.123", false, "numeric"},
		{" example.com", false, "spaces"},
		{strings.Repeat("a.", 128) + "com", false, "255"},
	} {
		checkErr(t, tt.in, ValidatePrivateDNSName(tt.in), tt.ok, tt.msg)
	}
	if got := NormalizePrivateDNSName("  API.Example.COM. "); got != "api.example.com" {
		t.Errorf("NormalizePrivateDNSName = %q", got)
	}
}

func TestVerificationRecord(t *testing.T) {
	for _, tt := range []struct {
		p         PrivateDNS
		name, val string
		ok        bool
	}{
		{PrivateDNS{Name: "api.example.com", TXTName: "_abc123", TXTValue: "vpce:abc123"}, "_abc123.api.example.com", "vpce:abc123", true},
		{PrivateDNS{Name: "*.example.com", TXTName: "_abc123", TXTValue: "vpce:abc123"}, "_abc123.example.com", "vpce:abc123", true},
		{PrivateDNS{Name: "example.com", TXTName: "_abc123.example.com.", TXTValue: "vpce:abc123"}, "_abc123.example.com", "vpce:abc123", true},
		{PrivateDNS{Name: "example.com"}, "", "", false},
	} {
		n, v, ok := VerificationRecord(tt.p)
		if n != tt.name || v != tt.val || ok != tt.ok {
			t.Errorf("VerificationRecord(%+v) = %q, %q, %v", tt.p, n, v, ok)
		}
	}
}

func TestTags(t *testing.T) {
	for _, tt := range []struct {
		k, v string
		ok   bool
		msg  string
	}{
		{"Name", "payments", true, ""},
		{"team:owner", "", true, ""},
		{strings.Repeat("k", 128), strings.Repeat("v", 256), true, ""},
		{strings.Repeat("é", 128), strings.Repeat("é", 256), true, ""},
		{"", "v", false, "empty"},
		{strings.Repeat("k", 129), "v", false, "at most 128"},
		{"k", strings.Repeat("v", 257), false, "at most 256"},
		{"aws:cloudformation:stack", "v", false, "reserved"},
		{"AWS:thing", "v", false, "reserved"},
		{" padded", "v", false, "spaces"},
		{"k\x00", "v", false, "control"},
		{"k", "v\n", false, "control"},
		{"bad\xff", "v", false, "UTF-8"},
	} {
		err := ValidateTags(map[string]string{tt.k: tt.v})
		checkErr(t, tt.k+"="+tt.v, err, tt.ok, tt.msg)
	}
	many := map[string]string{}
	for i := range 51 {
		many[strings.Repeat("k", i+1)] = ""
	}
	checkErr(t, "51 tags", ValidateTags(many), false, "at most 50")
}

func TestRegionMetricIDIPTypes(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"us-east-1", true}, {"eu-central-2", true}, {"us-gov-west-1", true}, {"cn-north-1", true},
		{"ap-southeast-5", true}, {"us-isob-east-1", true}, {"mx-central-1", true},
		{"us-east", false}, {"US-EAST-1", false}, {"us-east-1a", false}, {"", false}, {"useast1", false},
	} {
		checkErr(t, tt.in, ValidateRegion(tt.in), tt.ok, "region")
	}
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"m1", true}, {"activeConnections_az1", true}, {"a", true},
		{"M1", false}, {"1m", false}, {"_m", false}, {"m-1", false}, {"", false}, {"a" + strings.Repeat("b", 255), false},
	} {
		checkErr(t, tt.in, ValidateMetricQueryID(tt.in), tt.ok, "")
	}
	for _, tt := range []struct {
		in        string
		ep, svcOK bool
	}{
		{"ipv4", true, true}, {"ipv6", true, true}, {"dualstack", true, false}, {"IPv4", false, false}, {"", false, false},
	} {
		checkErr(t, tt.in, ValidateIPAddressType(tt.in), tt.ep, "")
		checkErr(t, tt.in, ValidateSupportedIPType(tt.in), tt.svcOK, "")
	}
}

func FuzzParseARN(f *testing.F) {
	for _, s := range []string{
		"arn:aws:iam::123456789012:root", nlbARN, "arn:aws:sns:us-east-1:123456789012:t",
		"arn:", "arn:aws:s3:::b", "::::::", "arn:aws:iam::123456789012:role/a/b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseARN(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		if a.String() != s {
			t.Fatalf("round trip %q → %q", s, a.String())
		}
		if a.Resource == "" || a.Partition == "" || a.Service == "" {
			t.Fatalf("valid ARN with empty part: %+v", a)
		}
	})
}

func FuzzPrincipal(f *testing.F) {
	for _, s := range []string{"*", "123456789012", "arn:aws:iam::123456789012:root",
		"arn:aws:iam::123456789012:role/r", "arn:aws:iam::123456789012:role/p/r", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizePrincipal(s)
		if err != nil {
			return
		}
		// A normalized principal is valid, stable and has no path.
		if err := ValidatePrincipal(n); err != nil {
			t.Fatalf("NormalizePrincipal(%q) = %q, which fails validation: %v", s, n, err)
		}
		if n2, _ := NormalizePrincipal(n); n2 != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, n2)
		}
		if a, err := ParseARN(n); err == nil && strings.Count(a.Resource, "/") > 1 {
			t.Fatalf("principal with a path accepted: %q", n)
		}
	})
}

func FuzzPrivateDNSName(f *testing.F) {
	for _, s := range []string{"api.example.com", "*.example.com", "Example.COM.", "a..b", "", "*.*.a.b", "xn--bcher-kva.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidatePrivateDNSName(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		if len(s) > 255 || NormalizePrivateDNSName(s) != s || strings.Contains(strings.TrimPrefix(s, "*."), "*") {
			t.Fatalf("accepted %q", s)
		}
		for _, l := range strings.Split(strings.TrimPrefix(s, "*."), ".") {
			if l == "" || len(l) > 63 {
				t.Fatalf("accepted %q with label %q", s, l)
			}
		}
	})
}

func FuzzTags(f *testing.F) {
	f.Add("Name", "web")
	f.Add("aws:x", "")
	f.Add("", "v")
	f.Add("k\x7f", "\xff")
	f.Fuzz(func(t *testing.T, k, v string) {
		err := ValidateTags(map[string]string{k: v})
		if err == nil && (utf8.RuneCountInString(k) > 128 || utf8.RuneCountInString(v) > 256 || k == "" ||
			strings.HasPrefix(strings.ToLower(k), "aws:") || !utf8.ValidString(k) || !utf8.ValidString(v)) {
			t.Fatalf("accepted %q=%q", k, v)
		}
	})
}

func FuzzLoadBalancerARN(f *testing.F) {
	f.Add(nlbARN)
	f.Add(gwlbARN)
	f.Add(albARN)
	f.Add("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/a/b")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseLoadBalancerARN(s)
		if err != nil {
			return
		}
		if p.String() != s || p.Service != "elasticloadbalancing" || len(p.ID) != 16 || p.Name == "" {
			t.Fatalf("accepted %q as %+v", s, p)
		}
		if (ValidateNLBARN(s) == nil) != (p.Type == LBTypeNetwork) || (ValidateGWLBARN(s) == nil) != (p.Type == LBTypeGateway) {
			t.Fatalf("type checks disagree for %q (%s)", s, p.Type)
		}
	})
}

func TestPartitions(t *testing.T) {
	for region, want := range map[string]string{"us-east-1": "aws", "cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov", "eu-west-2": "aws"} {
		if got := PartitionOf(region); got != want {
			t.Errorf("PartitionOf(%s) = %s", region, got)
		}
	}
	if PrincipalPartitionMismatch("arn:aws:iam::123456789012:root", "us-east-1") != "" || PrincipalPartitionMismatch("*", "us-east-1") != "" {
		t.Error("a principal of the service's partition is fine")
	}
	if PrincipalPartitionMismatch("arn:aws-cn:iam::123456789012:root", "us-east-1") == "" {
		t.Error("another partition's principal is named")
	}
}
