package sim

import (
	"testing"
)

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"abc", "abc", true},
		{"abc", "abcd", false},
		{"*", "", true},
		{"*", "anything", true},
		{"payments-*", "payments-api", true},
		{"payments-*", "ledger-ingest", false},
		{"*-api", "payments-api", true},
		{"p?yments*", "payments-api", true},
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXbYY", false},
		{"?", "", false},
		{"vpce-*-0?", "vpce-x-01", true},
	} {
		if got := glob(tc.pattern, tc.s); got != tc.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestNextTokenRoundTripAndTamper(t *testing.T) {
	tok := encodeToken("DescribeVpcEndpointConnections", "4242")
	if cur, ok := decodeToken("DescribeVpcEndpointConnections", tok); !ok || cur != "4242" {
		t.Fatalf("round trip: %q %v", cur, ok)
	}
	if _, ok := decodeToken("DescribeVpcs", tok); ok {
		t.Fatal("a token of another operation was accepted")
	}
	b := []byte(tok)
	b[len(b)/2] ^= 1
	if _, ok := decodeToken("DescribeVpcEndpointConnections", string(b)); ok {
		t.Fatal("a tampered token was accepted")
	}
	for _, bad := range []string{"", "!!!", "YWJj"} {
		if _, ok := decodeToken("DescribeVpcEndpointConnections", bad); ok {
			t.Fatalf("%q accepted", bad)
		}
	}
}

func TestReadPageBounds(t *testing.T) {
	spec := pageSpec{op: "X", min: 5, max: 1000, def: 1000}
	for _, tc := range []struct {
		max   string
		limit int
		fail  bool
	}{
		{"", 1000, false}, {"5", 5, false}, {"1000", 1000, false},
		{"4", 0, true}, {"1001", 0, true}, {"ten", 0, true},
	} {
		p := Params{}
		if tc.max != "" {
			p["MaxResults"] = tc.max
		}
		pg, err := readPage(p, spec)
		if (err != nil) != tc.fail || (!tc.fail && pg.limit != tc.limit) {
			t.Errorf("MaxResults=%q: limit %d err %v", tc.max, pg.limit, err)
		}
	}
	clamped := pageSpec{op: "X", min: 1, max: 1000, def: 1000, clamp: true}
	if pg, err := readPage(Params{"MaxResults": "5000"}, clamped); err != nil || pg.limit != 1000 {
		t.Errorf("clamped: %d %v", pg.limit, err)
	}
}

func TestReadTagSpecs(t *testing.T) {
	p := Params{
		"TagSpecification.1.ResourceType": "vpc-endpoint",
		"TagSpecification.1.Tag.1.Key":    "Name",
		"TagSpecification.1.Tag.1.Value":  "x",
		"TagSpecification.1.Tag.2.Key":    "team",
		"TagSpecification.1.Tag.2.Value":  "",
	}
	tags, err := readTagSpecs(p, "vpc-endpoint")
	if err != nil || len(tags) != 2 || tags[0] != (Tag{"Name", "x"}) || tags[1] != (Tag{"team", ""}) {
		t.Fatalf("%v %v", tags, err)
	}
	for name, bad := range map[string]Params{
		"wrong type":   {"TagSpecification.1.ResourceType": "vpc", "TagSpecification.1.Tag.1.Key": "a"},
		"no type":      {"TagSpecification.1.Tag.1.Key": "a"},
		"empty key":    {"TagSpecification.1.ResourceType": "vpc-endpoint", "TagSpecification.1.Tag.1.Value": "a"},
		"aws: prefix":  {"TagSpecification.1.ResourceType": "vpc-endpoint", "TagSpecification.1.Tag.1.Key": "aws:x"},
		"repeated key": {"TagSpecification.1.ResourceType": "vpc-endpoint", "TagSpecification.1.Tag.1.Key": "a", "TagSpecification.1.Tag.2.Key": "a"},
	} {
		if _, err := readTagSpecs(bad, "vpc-endpoint"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestCheckPrivateDNSNameAndPrincipal(t *testing.T) {
	for name, ok := range map[string]bool{
		"api.example.com": true, "*.example.com": true, "a.b": true, "example": false,
		"API.example.com": false, "bad_label.example.com": false, "-x.example.com": false,
	} {
		if got := checkPrivateDNSName(name) == nil; got != ok {
			t.Errorf("private DNS name %q: valid=%v, want %v", name, got, ok)
		}
	}
	for arn, ok := range map[string]bool{
		"*": true, "arn:aws:iam::123456789012:root": true, "arn:aws:iam::123456789012:role/reader": true,
		"arn:aws:iam::123456789012:user/alice": true, "arn:aws:iam::123456789012:role/path/reader": false,
		"123456789012": false, "arn:aws:organizations::123456789012:organization/o-abcdefghij": true,
		"elasticloadbalancing.amazonaws.com": true, "nonsense": false,
	} {
		if got := checkPrincipal(arn) == nil; got != ok {
			t.Errorf("principal %q: valid=%v, want %v", arn, got, ok)
		}
	}
}
