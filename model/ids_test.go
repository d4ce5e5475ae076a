package model

import (
	"strings"
	"testing"
)

func TestParseAZName(t *testing.T) {
	for _, tt := range []struct {
		in, region, zone string
		ok               bool
	}{
		{"us-east-1a", "us-east-1", "a", true},
		{"eu-central-2c", "eu-central-2", "c", true},
		{"us-gov-west-1b", "us-gov-west-1", "b", true},
		{"us-west-2-lax-1a", "us-west-2", "-lax-1a", true},
		{"us-east-1-wl1-bos-wlz-1", "us-east-1", "-wl1-bos-wlz-1", true},
		{"us-east-1", "", "", false},
		{"use1-az1", "", "", false},
		{"US-EAST-1A", "", "", false},
		{"", "", "", false},
	} {
		r, z, err := ParseAZName(tt.in)
		checkErr(t, tt.in, err, tt.ok, "zone name")
		if r != tt.region || z != tt.zone {
			t.Errorf("ParseAZName(%q) = %q, %q", tt.in, r, z)
		}
		if AZRegion(tt.in) != tt.region {
			t.Errorf("AZRegion(%q) = %q", tt.in, AZRegion(tt.in))
		}
		checkErr(t, tt.in, ValidateAZName(tt.in), tt.ok, "")
	}
}

func TestAZID(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"use1-az1", true}, {"usw2-az4", true}, {"apne1-az1", true}, {"usw2-lax1-az1", true},
		{"use1-wl1-bos-wlz1", true},
		{"us-east-1a", false}, {"use1", false}, {"az1", false}, {"", false}, {"USE1-AZ1", false},
	} {
		checkErr(t, tt.in, ValidateAZID(tt.in), tt.ok, "zone id")
		if IsAZID(tt.in) != tt.ok {
			t.Errorf("IsAZID(%q) = %v", tt.in, !tt.ok)
		}
	}
}

func TestZoneIndex(t *testing.T) {
	ix := NewZoneIndex([]AvailabilityZone{{Name: "us-east-1a", ID: "use1-az4"}, {Name: "us-east-1b", ID: "use1-az6"}, {Name: "x"}})
	for _, tt := range []struct {
		in, id, name string
		ok           bool
	}{
		{"us-east-1a", "use1-az4", "us-east-1a", true},
		{"use1-az6", "use1-az6", "us-east-1b", true},
		{"us-east-1c", "", "", false},
		{"x", "", "", false},
	} {
		id, ok1 := ix.ID(tt.in)
		name, ok2 := ix.Name(tt.in)
		if id != tt.id || name != tt.name || ok1 != tt.ok || ok2 != tt.ok {
			t.Errorf("%q: ID=%q,%v Name=%q,%v", tt.in, id, ok1, name, ok2)
		}
	}
}

func TestServiceName(t *testing.T) {
	const id = "vpce-svc-0123456789abcdef0"
	name := ServiceNameFor("us-east-1", id)
	if name != "com.amazonaws.vpce.us-east-1."+id {
		t.Fatalf("ServiceNameFor = %q", name)
	}
	for _, tt := range []struct {
		in, region, id string
	}{
		{name, "us-east-1", id},
		{"aws.vpce.eu-west-1." + id, "eu-west-1", id},
		{"com.amazonaws.us-east-1.s3", "", ""},
		{"com.amazonaws.vpce.us-east-1.vpce-svc-123", "", ""},
		{"com.amazonaws.vpce.nowhere." + id, "", ""},
		{"", "", ""},
	} {
		r, s, err := ParseServiceName(tt.in)
		checkErr(t, tt.in, err, tt.id != "", "com.amazonaws.vpce")
		if r != tt.region || s != tt.id {
			t.Errorf("ParseServiceName(%q) = %q, %q", tt.in, r, s)
		}
	}
}

func TestDimensions(t *testing.T) {
	if got := LoadBalancerDimension(nlbARN); got != "net/my-nlb/50dc6c495c0c9188" {
		t.Errorf("LoadBalancerDimension = %q", got)
	}
	tg := "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/73e2d6bc24d8a067"
	if got := TargetGroupDimension(tg); got != "targetgroup/web/73e2d6bc24d8a067" {
		t.Errorf("TargetGroupDimension = %q", got)
	}
	if got := LoadBalancerDimension("net/x/y"); got != "net/x/y" {
		t.Errorf("passthrough = %q", got)
	}
}

func FuzzParseAZName(f *testing.F) {
	for _, s := range []string{"us-east-1a", "us-west-2-lax-1a", "use1-az1", "", "a-b-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, z, err := ParseAZName(s)
		if err != nil {
			return
		}
		if r+z != s || ValidateRegion(r) != nil || z == "" {
			t.Fatalf("ParseAZName(%q) = %q, %q", s, r, z)
		}
		if IsAZID(s) && !strings.Contains(s, "-az") && !strings.Contains(s, "wlz") {
			t.Fatalf("%q is both", s)
		}
	})
}

func FuzzParseServiceName(f *testing.F) {
	f.Add("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0")
	f.Add("aws.vpce.x.y")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		r, id, err := ParseServiceName(s)
		if err != nil {
			return
		}
		if ServiceNameFor(r, id) != s && "aws.vpce."+r+"."+id != s {
			t.Fatalf("round trip %q → %q %q", s, r, id)
		}
	})
}
