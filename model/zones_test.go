package model

import (
	"testing"
)

const epID = "vpce-0a1b2c3d4e5f60718"

func TestZoneFromDNSName(t *testing.T) {
	base := epID + "-k3j9x2m1"
	for _, tt := range []struct {
		name, zone string
		ok         bool
	}{
		{base + "-us-east-1a.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com", "us-east-1a", true},
		{base + "-eu-west-1c.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com.", "eu-west-1c", true},
		{base + "-us-west-2b.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com", "us-west-2b", true}, // cross-Region: the endpoint's zone
		{base + "-use1-az4.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com", "use1-az4", true},
		{base + "-us-west-2-lax-1a.vpce-svc-0123456789abcdef0.us-west-2.vpce.amazonaws.com", "us-west-2-lax-1a", true},
		{base + ".vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com", "", false}, // Regional
		{"api.payments.example.com", "", false},                                        // private DNS
		{base + "-us-east-1a.example.com", "", false},
		{"vpce-0ffffffffffffffff-k3j9x2m1-us-east-1a.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com", "", false}, // another endpoint
		{base + "-notazone.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com", "", false},
		{"", "", false},
	} {
		zone, ok := ZoneFromDNSName(tt.name, epID)
		if zone != tt.zone || ok != tt.ok {
			t.Errorf("ZoneFromDNSName(%q) = %q, %v; want %q, %v", tt.name, zone, ok, tt.zone, tt.ok)
		}
	}
}

func FuzzZoneFromDNSName(f *testing.F) {
	f.Add(epID+"-k3j9x2m1-us-east-1a.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com", epID)
	f.Add("vpce-1-a-use1-az1.x.vpce.amazonaws.com", "vpce-1")
	f.Add("..vpce.amazonaws.com", "")
	f.Fuzz(func(t *testing.T, name, id string) {
		zone, ok := ZoneFromDNSName(name, id)
		if ok != (zone != "") {
			t.Fatalf("ok=%v with zone %q", ok, zone)
		}
		if ok && AZRegion(zone) == "" && !IsAZID(zone) {
			t.Fatalf("%q is neither a zone name nor an id", zone)
		}
	})
}

// conn is an available connection of account owner whose endpoint has interfaces in zones.
func zonalConn(id, owner string, zones ...string) Connection {
	c := Connection{ServiceID: svcID, EndpointID: id, OwnerAccount: owner, State: StateAvailable}
	c.DNSNames = append(c.DNSNames, id+"-tok.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com")
	for _, z := range zones {
		c.DNSNames = append(c.DNSNames, id+"-tok-"+z+".vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com")
	}
	return c
}

func TestEndpointZonesAndInZone(t *testing.T) {
	// The consumer 444455556666 calls the physical zone use1-az6 us-east-1a; the provider
	// calls it us-east-1b.
	maps := map[string]ZoneIndex{"444455556666": NewZoneIndex([]AvailabilityZone{
		{Name: "us-east-1a", ID: "use1-az6"}, {Name: "us-east-1b", ID: "use1-az1"}, {Name: "us-east-1c", ID: "use1-az4"},
	})}
	c := zonalConn("vpce-1", "444455556666", "us-east-1a", "us-east-1a")
	zs := EndpointZones(c, maps)
	if len(zs) != 1 || zs[0].Zone != "us-east-1a" || zs[0].ID != "use1-az6" {
		t.Fatalf("zones = %+v", zs)
	}
	if got := ZonesText(zs); got != "us-east-1a (use1-az6)" {
		t.Errorf("ZonesText = %q", got)
	}
	for _, tt := range []struct {
		name    string
		c       Connection
		zone    string
		svcZone int
		want    Tristate
	}{
		{"mapped, in the zone", c, "use1-az6", 3, Yes},
		{"mapped, another zone (the names agree, the zones do not)", c, "use1-az4", 3, No},
		{"unmapped account, some zones", zonalConn("vpce-2", "999988887777", "us-east-1a"), "use1-az6", 3, Maybe},
		{"unmapped account, every zone of the service", zonalConn("vpce-3", "999988887777", "us-east-1a", "us-east-1b"), "use1-az6", 2, Yes},
		{"zone ids in the names", zonalConn("vpce-4", "999988887777", "use1-az6"), "use1-az6", 3, Yes},
		{"zone ids, another zone", zonalConn("vpce-5", "999988887777", "use1-az2"), "use1-az6", 3, No},
		{"cross-Region endpoint", zonalConn("vpce-6", "999988887777", "us-west-2a", "us-west-2b"), "use1-az6", 2, No},
		{"no zonal names", zonalConn("vpce-7", "999988887777"), "use1-az6", 3, Maybe},
	} {
		if got := InZone(EndpointZones(tt.c, maps), tt.zone, tt.svcZone, "us-east-1"); got != tt.want {
			t.Errorf("%s: InZone = %v, want %v", tt.name, got, tt.want)
		}
	}
}
