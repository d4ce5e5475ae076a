package model

import (
	"strings"
	"testing"
)

// Every validator takes any text without panicking, and what it accepts is what AWS would:
// the shape its error message promises.

func FuzzValidateSNSTopicARN(f *testing.F) {
	for _, s := range []string{"arn:aws:sns:us-east-1:111122223333:pl-events", "arn:aws:sns:us-east-1:111122223333:t.fifo",
		"arn:aws:sqs:us-east-1:111122223333:q", "arn:aws:sns::111122223333:x", "", "arn:aws:sns:us-east-1:1:" + strings.Repeat("a", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateSNSTopicARN(s)
		if err == nil {
			a, perr := ParseARN(s)
			if perr != nil || a.Service != "sns" || a.Region == "" || a.Account == "" || a.Resource == "" || len(a.Resource) > 256 {
				t.Fatalf("accepted %q (%+v, %v)", s, a, perr)
			}
		} else if err.Error() == "" {
			t.Fatalf("%q refused without a reason", s)
		}
	})
}

func FuzzValidateIDs(f *testing.F) {
	for _, s := range []string{"vpce-svc-0123456789abcdef0", "vpce-0123456789abcdef0", "vpce-svc-", "us-east-1", "eu-west-2",
		"use1-az1", "us-east-1a", "q1", "ipv4", "dualstack", "", "vpce-svc-0123456789ABCDEF0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidateServiceID(s) == nil && !strings.HasPrefix(s, "vpce-svc-") {
			t.Fatalf("service id %q accepted", s)
		}
		if ValidateEndpointID(s) == nil && (!strings.HasPrefix(s, "vpce-") || strings.HasPrefix(s, "vpce-svc-")) {
			t.Fatalf("endpoint id %q accepted", s)
		}
		if ValidateRegion(s) == nil && strings.ContainsAny(s, " \t\n/:") {
			t.Fatalf("region %q accepted", s)
		}
		if ValidateAZID(s) == nil && !IsAZID(s) {
			t.Fatalf("AZ id %q accepted but not recognised", s)
		}
		_ = ValidateAZName(s)
		_ = ValidateMetricQueryID(s)
		if ValidateIPAddressType(s) == nil && s != "ipv4" && s != "ipv6" && s != "dualstack" {
			t.Fatalf("IP address type %q accepted", s)
		}
		_ = ValidateSupportedIPType(s)
		_, _ = PrincipalTypeOf(s)
		_ = ValidateAccountID(s)
	})
}
