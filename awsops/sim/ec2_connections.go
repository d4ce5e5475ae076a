package sim

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// EC2 provider side: the connections (consumers' endpoints) to the caller's services, and
// accepting / rejecting them.
//
// DescribeVpcEndpointConnections is the hot path: a fleet has 50,000 connections listed in
// 1,000-item pages. The world keeps endpoints ordered by Seq, so a page is a binary search
// for its first Seq and a linear walk; the reply is appended straight into one byte slice
// (rawXML) instead of going through encoding/xml's reflection.

// connectionItemEstimate is the rendered size of one connection with room to spare (a fleet
// averages ~1,100 bytes; an endpoint in three zones with private DNS ~1,500), so a page is
// appended into one allocation.
const connectionItemEstimate = 1400

var connectionFilterNames = []string{
	"ip-address-type", "service-id", "vpc-endpoint-owner", "vpc-endpoint-region",
	"vpc-endpoint-state", "vpc-endpoint-id",
}

func (s *Server) ec2DescribeConnections(c *Call) (any, error) {
	p := c.Params
	pg, err := readPage(p, endpointPaging(c.Action))
	if err != nil {
		return nil, err
	}
	fs, err := readFilters(p, connectionFilterNames, true)
	if err != nil {
		return nil, err
	}
	startSeq, err := seqCursor(pg.cursor)
	if err != nil {
		return nil, err
	}
	w := s.world
	w.mu.RLock()
	defer w.mu.RUnlock()
	if c.DryRun {
		return nil, errDryRun()
	}
	// One exact service-id: walk only that service's endpoints (also ordered by Seq).
	list := w.EndpointList
	if ids := fs.values("service-id"); len(ids) == 1 && !strings.ContainsAny(ids[0], "*?") {
		svc := w.Service(ids[0])
		if svc == nil || svc.OwnerID != c.Account.ID {
			list = nil
		} else {
			list = svc.Endpoints
		}
	}
	buf := make([]byte, 0, 64+min(pg.limit, 1000)*connectionItemEstimate)
	buf = append(buf, "<vpcEndpointConnectionSet>"...)
	n := 0
	next := ""
	me := c.Account.ID
	for i := SeekEndpoints(list, startSeq); i < len(list); i++ {
		ep := list[i]
		if ep.Service == nil || ep.Service.OwnerID != me || !matchConnection(fs, ep, w.Region) {
			continue
		}
		if n == pg.limit {
			next = pg.token(strconv.FormatUint(ep.Seq, 10))
			break
		}
		buf = appendConnection(buf, ep)
		n++
	}
	buf = append(buf, "</vpcEndpointConnectionSet>"...)
	if next != "" {
		buf = append(buf, "<nextToken>"...)
		buf = append(buf, next...)
		buf = append(buf, "</nextToken>"...)
	}
	return rawXML(buf), nil
}

// crossRegionFilterValue is the vpc-endpoint-region value AWS documents for "the endpoints
// in every other Region than the service's".
const crossRegionFilterValue = "cross-region"

// matchConnection applies the DescribeVpcEndpointConnections filters without allocating.
// serviceRegion is the Region the caller's services live in.
func matchConnection(fs filterSet, ep *Endpoint, serviceRegion string) bool {
	for _, f := range fs {
		var v string
		switch f.Name {
		case "ip-address-type":
			v = ep.IPAddressType
		case "service-id":
			v = ep.ServiceID
		case "vpc-endpoint-owner":
			v = ep.OwnerID
		case "vpc-endpoint-region":
			if ep.Region != serviceRegion && containsStr(f.Values, crossRegionFilterValue) {
				continue
			}
			v = ep.Region
		case "vpc-endpoint-state":
			v = ep.State
		case "vpc-endpoint-id":
			v = ep.ID
		case "tag-key":
			if !anyTag(ep.ConnTags, func(t Tag) bool { return globAny(f.Values, t.Key) }) {
				return false
			}
			continue
		default: // tag:<key>
			key := strings.TrimPrefix(f.Name, "tag:")
			if !anyTag(ep.ConnTags, func(t Tag) bool { return t.Key == key && globAny(f.Values, t.Value) }) {
				return false
			}
			continue
		}
		if !globAny(f.Values, v) {
			return false
		}
	}
	return true
}

// appendConnection renders one VpcEndpointConnection <item>. Ids, states, regions and zone
// names are minted by the world from safe alphabets and go in unescaped; tags and names a
// caller supplied are escaped.
func appendConnection(b []byte, ep *Endpoint) []byte {
	b = append(b, "<item><serviceId>"...)
	b = append(b, ep.ServiceID...)
	b = append(b, "</serviceId><vpcEndpointId>"...)
	b = append(b, ep.ID...)
	b = append(b, "</vpcEndpointId><vpcEndpointOwner>"...)
	b = append(b, ep.OwnerID...)
	b = append(b, "</vpcEndpointOwner><vpcEndpointState>"...)
	b = append(b, ep.State...)
	b = append(b, "</vpcEndpointState><creationTimestamp>"...)
	b = ep.CreatedAt.UTC().AppendFormat(b, ec2TimeFormat)
	b = append(b, "</creationTimestamp><dnsEntrySet>"...)
	b = appendDNSEntries(b, ep)
	b = append(b, "</dnsEntrySet>"...)
	if svc := ep.Service; svc != nil {
		b = appendStringSet(b, "networkLoadBalancerArnSet", svc.NLBARNs)
		b = appendStringSet(b, "gatewayLoadBalancerArnSet", svc.GWLBARNs)
	}
	b = append(b, "<ipAddressType>"...)
	b = append(b, ep.IPAddressType...)
	b = append(b, "</ipAddressType><vpcEndpointConnectionId>"...)
	b = append(b, ep.ConnectionID...)
	b = append(b, "</vpcEndpointConnectionId>"...)
	if ep.Payer != "" {
		b = append(b, "<payerResponsibilitySet><item><payerResponsibilityType>"...)
		b = append(b, ep.Payer...)
		b = append(b, "</payerResponsibilityType><scope>"+payerScopeEndpoint+"</scope></item></payerResponsibilitySet>"...)
	}
	if len(ep.ConnTags) > 0 {
		b = append(b, "<tagSet>"...)
		for _, t := range ep.ConnTags {
			b = append(b, "<item><key>"...)
			b = appendXMLText(b, t.Key)
			b = append(b, "</key><value>"...)
			b = appendXMLText(b, t.Value)
			b = append(b, "</value></item>"...)
		}
		b = append(b, "</tagSet>"...)
	}
	b = append(b, "<vpcEndpointRegion>"...)
	b = append(b, ep.Region...)
	b = append(b, "</vpcEndpointRegion></item>"...)
	return b
}

// appendDNSEntries renders ep.DNSEntries() as <item>s without building the strings: the
// regional name, one zonal name per ENI, and the private DNS name when enabled and verified.
// TestAppendDNSEntriesMatchesWorld keeps it in step with Endpoint.DNSEntries.
func appendDNSEntries(b []byte, ep *Endpoint) []byte {
	svc := ep.Service
	if svc == nil {
		return b
	}
	region := ep.serviceRegion()
	name := func(b []byte, zone string) []byte {
		b = append(b, "<item><dnsName>"...)
		b = append(b, ep.ID...)
		b = append(b, '-')
		b = append(b, ep.DNSToken...)
		if zone != "" {
			b = append(b, '-')
			b = append(b, zone...)
		}
		b = append(b, '.')
		b = append(b, ep.ServiceID...)
		b = append(b, '.')
		b = append(b, region...)
		b = append(b, ".vpce.amazonaws.com</dnsName><hostedZoneId>"+VpceHostedZoneID+"</hostedZoneId></item>"...)
		return b
	}
	b = name(b, "")
	for i := range ep.ENIs {
		b = name(b, ep.ENIs[i].AZ)
	}
	if ep.PrivateDNSEnabled && svc.PrivateDNSName != "" && svc.PrivateDNSState == DNSVerified {
		b = append(b, "<item><dnsName>"...)
		b = appendXMLText(b, svc.PrivateDNSName)
		b = append(b, "</dnsName><hostedZoneId>Z"...)
		for i := 0; i < len(ep.DNSToken); i++ {
			c := ep.DNSToken[i]
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			b = append(b, c)
		}
		b = append(b, "PRIVATE</hostedZoneId></item>"...)
	}
	return b
}

func appendStringSet(b []byte, name string, vals []string) []byte {
	if len(vals) == 0 {
		return b
	}
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, '>')
	for _, v := range vals {
		b = append(b, "<item>"...)
		b = appendXMLText(b, v)
		b = append(b, "</item>"...)
	}
	b = append(b, "</"...)
	b = append(b, name...)
	b = append(b, '>')
	return b
}

// appendXMLText appends s escaped as XML character data.
func appendXMLText(b []byte, s string) []byte {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '<' || c == '>' || c == '&' || c == '"' || c == '\'' || c < 0x20 || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return append(b, s...)
	}
	for _, r := range s {
		switch r {
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '&':
			b = append(b, "&amp;"...)
		case '"':
			b = append(b, "&#34;"...)
		case '\'':
			b = append(b, "&#39;"...)
		case '\t', '\n', '\r':
			b = append(b, "&#x"...)
			b = strconv.AppendInt(b, int64(r), 16)
			b = append(b, ';')
		default:
			if r < 0x20 || r == utf8.RuneError {
				b = append(b, "\uFFFD"...)
				continue
			}
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}

// ---- Accept / Reject ----------------------------------------------------------------------------

func (s *Server) ec2AcceptConnections(c *Call) (any, error) {
	return s.decideConnections(c, (*World).acceptEndpoint)
}

func (s *Server) ec2RejectConnections(c *Call) (any, error) {
	return s.decideConnections(c, (*World).rejectEndpoint)
}

// decideConnections applies accept or reject to each endpoint of one service; failures are
// reported per item in Unsuccessful, as AWS does.
func (s *Server) decideConnections(c *Call, act func(*World, *Endpoint, time.Time) error) (any, error) {
	p := c.Params
	id, err := requireString(p, "ServiceId")
	if err != nil {
		return nil, err
	}
	eps, err := requireList(p, "VpcEndpointId")
	if err != nil {
		return nil, err
	}
	return s.withOwnedService(c, id, true, func(w *World, svc *Service) (any, error) {
		if c.DryRun {
			return nil, errDryRun()
		}
		return eachItem(eps, func(eid string) *APIError {
			if e := checkEndpointID(eid); e != nil {
				return e
			}
			ep := w.Endpoint(eid)
			if ep == nil || ep.Service != svc {
				return errEndpointIDNotFound(eid)
			}
			if err := act(w, ep, c.Now); err != nil {
				return transitionErr(err)
			}
			return nil
		}), nil
	})
}
