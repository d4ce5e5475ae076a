package model

import (
	"slices"
	"strings"
)

// The zones a consumer's endpoint has network interfaces in are visible to the provider only
// through the connection's DNS entries: besides the Regional name
// (<endpoint>-<token>.<service-id>.<region>.vpce.amazonaws.com), AWS publishes one zonal
// name per interface, <endpoint>-<token>-<zone>.<service-id>.<region>.vpce.amazonaws.com.
// The zone there is a zone *name* of the endpoint owner's account (the name the consumer
// sees on its subnet), and zone names are mapped to physical zones per account: the
// consumer's us-east-1a is not the provider's us-east-1a. Only zone ids (use1-az4) name the
// same zone in every account, so a zone is compared with the service's zones through its id,
// which needs the owner account's name→id map.

// ZoneFromDNSName returns the zone a zonal DNS name of an endpoint names, and whether the
// name is zonal. It accepts the vpce.amazonaws.com zonal form only: the first label is
// "<endpointID>-<token>-<zone>" with a zone name or id, followed by the service id. A
// Regional name, a private DNS name or anything else is not zonal.
func ZoneFromDNSName(name, endpointID string) (string, bool) {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	if !strings.HasSuffix(name, ".vpce.amazonaws.com") {
		return "", false
	}
	label, _, ok := strings.Cut(name, ".")
	if !ok {
		return "", false
	}
	rest, ok := strings.CutPrefix(label, strings.ToLower(endpointID)+"-")
	if !ok {
		return "", false
	}
	// rest is "<token>-<zone>" or, for the Regional name, "<token>"
	_, zone, ok := strings.Cut(rest, "-")
	if !ok || !(AZRegion(zone) != "" || IsAZID(zone)) {
		return "", false
	}
	return zone, true
}

// EndpointZone is one zone a connection's endpoint has a network interface in.
type EndpointZone struct {
	// Zone is the zone as the DNS name gives it: a name in the owner's account or an id.
	Zone string
	// ID is the zone id when known (the DNS name gave it, or the owner's zone map did).
	ID string
}

// EndpointZones lists the zones of a connection's endpoint from its zonal DNS names, in the
// order AWS listed them, each once. maps holds the zone index of each account the console
// knows (the provider's own, from DescribeAvailabilityZones); the id of a zone named in an
// account it does not know stays empty.
func EndpointZones(c Connection, maps map[string]ZoneIndex) []EndpointZone {
	var out []EndpointZone
	for _, d := range c.DNSNames {
		z, ok := ZoneFromDNSName(d, c.EndpointID)
		if !ok || slices.ContainsFunc(out, func(e EndpointZone) bool { return e.Zone == z }) {
			continue
		}
		e := EndpointZone{Zone: z}
		if IsAZID(z) {
			e.ID = z
		} else if ix, ok := maps[c.OwnerAccount]; ok {
			e.ID, _ = ix.ID(z)
		}
		out = append(out, e)
	}
	return out
}

// ZonesText is a connection's zones for people: "us-east-1a (use1-az4), us-east-1b".
func ZonesText(zs []EndpointZone) string {
	parts := make([]string, len(zs))
	for i, z := range zs {
		parts[i] = z.Zone
		if z.ID != "" && z.ID != z.Zone {
			parts[i] += " (" + z.ID + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// InZone says whether a connection's endpoint has a network interface in the service's zone
// zoneID (the provider's zone, by id): Yes when one of its zones has that id, or when its
// interfaces sit in as many zones as the service offers in its Region (an endpoint can only
// use the service's zones, so it uses all of them); No when every zone's id is known and
// none matches, or when its zones are all in another Region (a cross-Region endpoint reaches
// the service through AWS's network, not through a zone of its own); Maybe otherwise (the
// zone names belong to an account whose map the console does not have).
func InZone(zs []EndpointZone, zoneID string, serviceZones int, serviceRegion string) Tristate {
	if len(zs) == 0 {
		return Maybe
	}
	known, foreign := 0, 0
	for _, z := range zs {
		if z.ID == zoneID {
			return Yes
		}
		if z.ID != "" {
			known++
		}
		if r := AZRegion(z.Zone); r != "" && serviceRegion != "" && r != serviceRegion {
			foreign++
		}
	}
	switch {
	case foreign == len(zs):
		return No
	case known == len(zs):
		return No
	case serviceZones > 0 && len(zs)-foreign >= serviceZones:
		return Yes
	}
	return Maybe
}

// Tristate is yes, no, or cannot tell.
type Tristate int

const (
	No Tristate = iota
	Yes
	Maybe
)
