package sim

import (
	"cmp"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// EC2 consumer side: discovering endpoint services and creating, listing and deleting
// interface endpoints. The caller is whichever account the access key selects, so a test or
// a demo plays the consumer with one key and the provider with another.

// maxEndpointsPerVPC is the default interface endpoint quota per VPC.
const maxEndpointsPerVPC = 50

const defaultEndpointPolicy = `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`

func errInvalidServiceName(name string) *APIError {
	return apiErr(http.StatusBadRequest, "InvalidServiceName",
		"The Vpc Endpoint Service '%s' does not exist", name)
}

// visibleTo says whether an account may discover and connect to svc: it owns it or an
// allowed principal covers it.
func visibleTo(svc *Service, a *Account) bool {
	return svc.OwnerID == a.ID || svc.AllowsAccount(a.ID)
}

// zonesFor is the service's zones as the caller sees them: the AZ ids both sides have,
// translated to the caller's AZ names, sorted by name.
func (s *Server) zonesFor(svc *Service, a *Account) (names, ids []string) {
	type z struct{ name, id string }
	var zs []z
	for _, id := range svc.AZIDs {
		if n := s.world.AZName(a, id); n != "" {
			zs = append(zs, z{n, id})
		}
	}
	slices.SortFunc(zs, func(x, y z) int { return strings.Compare(x.name, y.name) })
	for _, v := range zs {
		names = append(names, v.name)
		ids = append(ids, v.id)
	}
	return names, ids
}

func (s *Server) serviceDetailXML(svc *Service, a *Account) xmlServiceDetail {
	names, ids := s.zonesFor(svc, a)
	x := xmlServiceDetail{
		ServiceName:                svc.Name,
		ServiceID:                  svc.ID,
		ServiceType:                []xmlServiceTypeDetail{{ServiceType: svc.Type}},
		ServiceRegion:              s.world.Region,
		AvailabilityZoneIDs:        ids,
		AvailabilityZones:          names,
		Owner:                      svc.OwnerID,
		BaseEndpointDNSNames:       svc.BaseDNSNames,
		VpcEndpointPolicySupported: svc.Type == ServiceTypeInterface,
		AcceptanceRequired:         svc.AcceptanceRequired,
		ManagesVpcEndpoints:        svc.ManagesVpcEndpoints,
		PayerResponsibility:        svc.PayerResponsibility,
		SupportedIPAddressTypes:    svc.SupportedIPTypes,
	}
	x.Tags.Items = xmlTags(shownServiceTags(svc, a))
	if svc.PrivateDNSName != "" {
		x.PrivateDNSName = svc.PrivateDNSName
		x.PrivateDNSNames = []xmlPrivateDNSDetails{{PrivateDNSName: svc.PrivateDNSName}}
		x.PrivateDNSNameVerificationState = svc.PrivateDNSState
	}
	return x
}

// shownServiceTags are the tags of svc an account is shown: its owner sees them, the
// accounts it is shared with do not.
func shownServiceTags(svc *Service, a *Account) []Tag {
	if svc.OwnerID == a.ID {
		return svc.Tags
	}
	return nil
}

// ---- DescribeVpcEndpointServices ------------------------------------------------------------------

// listedService is one entry of DescribeVpcEndpointServices, an AWS service or one an
// account shares, with the tags the caller is shown.
type listedService struct {
	detail xmlServiceDetail
	tags   []Tag
}

// endpointServiceFilters is DescribeVpcEndpointServices' filter vocabulary. Tag filters
// see only the tags the listing shows the caller: a service shared with it matches no tag
// filter, as its tags are its owner's.
var endpointServiceFilters = filterFields[listedService]{
	fields: map[string]func(listedService) []string{
		"owner":                      func(l listedService) []string { return one(l.detail.Owner) },
		"service-name":               func(l listedService) []string { return one(l.detail.ServiceName) },
		"service-region":             func(l listedService) []string { return one(l.detail.ServiceRegion) },
		"service-type":               func(l listedService) []string { return one(l.detail.ServiceType[0].ServiceType) },
		"supported-ip-address-types": func(l listedService) []string { return l.detail.SupportedIPAddressTypes },
	},
	tags: func(l listedService) []Tag { return l.tags },
}

func (s *Server) ec2DescribeEndpointServices(c *Call) (any, error) {
	p := c.Params
	pg, err := readPage(p, consumerPaging(c.Action))
	if err != nil {
		return nil, err
	}
	fs, err := endpointServiceFilters.read(p)
	if err != nil {
		return nil, err
	}
	names := dedupe(p.List("ServiceName"))
	regions := p.List("ServiceRegion")
	w := s.world
	w.mu.RLock()
	defer w.mu.RUnlock()
	zones := w.AZsFor(c.Account)
	var list []listedService
	addAWS := func(name string) bool {
		found := false
		for _, m := range awsManagedServices {
			if name == "" || m.serviceName(w.Region) == name {
				list = append(list, listedService{detail: m.detail(w.Region, zones)})
				found = true
			}
		}
		return found
	}
	addShared := func(svc *Service) {
		list = append(list, listedService{detail: s.serviceDetailXML(svc, c.Account), tags: shownServiceTags(svc, c.Account)})
	}
	if len(names) > 0 {
		for _, n := range names {
			if addAWS(n) {
				continue
			}
			svc := w.ServiceByName(n)
			if svc == nil || !visibleTo(svc, c.Account) || svc.State != ServiceAvailable {
				return nil, errInvalidServiceName(n)
			}
			addShared(svc)
		}
	} else {
		addAWS("")
		for _, svc := range w.ServiceList {
			if svc.State == ServiceAvailable && visibleTo(svc, c.Account) {
				addShared(svc)
			}
		}
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	// One listing across AWS's and shared services, by name; an AWS service's gateway
	// endpoint before its interface endpoint.
	slices.SortStableFunc(list, func(a, b listedService) int {
		return strings.Compare(a.detail.ServiceName, b.detail.ServiceName)
	})
	var match []listedService
	for _, l := range list {
		if len(regions) > 0 && !containsStr(regions, w.Region) {
			continue
		}
		if endpointServiceFilters.match(fs, l) {
			match = append(match, l)
		}
	}
	lo, hi, next, err := pageSlice(pg, len(match))
	if err != nil {
		return nil, err
	}
	out := &describeEndpointServicesResponse{NextToken: next}
	for _, l := range match[lo:hi] {
		out.ServiceNames = append(out.ServiceNames, l.detail.ServiceName)
		out.Services = append(out.Services, l.detail)
	}
	return out, nil
}

// ---- CreateVpcEndpoint ----------------------------------------------------------------------------

func (s *Server) endpointXML(ep *Endpoint) xmlVpcEndpoint {
	x := xmlVpcEndpoint{
		VpcEndpointID:       ep.ID,
		VpcEndpointType:     ep.Type,
		VpcID:               ep.VpcID,
		ServiceName:         ep.ServiceName,
		State:               ep.State,
		PolicyDocument:      cmp.Or(ep.PolicyDocument, defaultEndpointPolicy),
		SubnetIDs:           ep.SubnetIDs,
		IPAddressType:       ep.IPAddressType,
		DNSOptions:          &xmlDNSOptions{DNSRecordIPType: dnsRecordIPType(ep.IPAddressType)},
		PrivateDNSEnabled:   ep.PrivateDNSEnabled,
		NetworkInterfaceIDs: ep.NetworkInterfaceIDs(),
		CreationTimestamp:   ep.CreatedAt.UTC().Format(ec2TimeFormat),
		Tags:                xmlTags(ep.Tags),
		OwnerID:             ep.OwnerID,
	}
	for _, d := range ep.DNSEntries() {
		x.DNSEntries = append(x.DNSEntries, xmlDNSEntry{DNSName: d.DNSName, HostedZoneID: d.HostedZoneID})
	}
	for _, id := range ep.SecurityGroupIDs {
		g := xmlGroupIdentifier{GroupID: id}
		if sg := s.world.SecurityGroup(id); sg != nil {
			g.GroupName = sg.Name
		}
		x.Groups = append(x.Groups, g)
	}
	if ep.StateMessage != "" && (ep.State == EndpointFailed || ep.State == EndpointRejected || ep.State == EndpointExpired) {
		x.LastError = &xmlLastError{Code: "Client::" + ep.State, Message: ep.StateMessage}
	}
	return x
}

// checkPolicyDocument refuses an endpoint policy that is not a JSON object, with the
// position of the first syntax error as AWS reports it: (line,column), both from 1.
func checkPolicyDocument(doc string) *APIError {
	var policy map[string]any
	err := json.Unmarshal([]byte(doc), &policy)
	if err == nil {
		return nil
	}
	offset := int64(len(doc))
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		offset = syn.Offset
	}
	line, col := 1, 1
	for i := int64(0); i < offset-1 && i < int64(len(doc)); i++ {
		if doc[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return apiErr(http.StatusBadRequest, "InvalidPolicyDocument",
		"The Policy Document is not valid. Syntax error at position (%d,%d)", line, col)
}

func dnsRecordIPType(ipType string) string {
	switch ipType {
	case "ipv6":
		return "ipv6"
	case "dualstack":
		return "dualstack"
	}
	return "ipv4"
}

func (s *Server) ec2CreateEndpoint(c *Call) (any, error) {
	p := c.Params
	vpcID, err := requireString(p, "VpcId")
	if err != nil {
		return nil, err
	}
	name, err := requireString(p, "ServiceName")
	if err != nil {
		return nil, err
	}
	epType, _ := p.String("VpcEndpointType")
	if epType == "" {
		epType = "Gateway" // AWS's default
	}
	switch epType {
	case "Interface", "Gateway", "GatewayLoadBalancer", "Resource", "ServiceNetwork":
	default:
		return nil, apiErr(http.StatusBadRequest, "InvalidVpcEndpointType",
			"Invalid value '%s' for VpcEndpointType: expected Interface, Gateway, GatewayLoadBalancer, Resource or ServiceNetwork.", epType)
	}
	subnetIDs := dedupe(p.List("SubnetId"))
	sgIDs := dedupe(p.List("SecurityGroupId"))
	routeTables := dedupe(p.List("RouteTableId"))
	if e := firstErr(checkID(vpcID, "vpc-", "InvalidVpcID.Malformed"), checkIDs(subnetIDs, "subnet-", "InvalidSubnetID.Malformed"),
		checkIDs(sgIDs, "sg-", "InvalidGroupId.Malformed")); e != nil {
		return nil, e
	}
	policy, hasPolicy := p.String("PolicyDocument")
	if hasPolicy {
		if e := checkPolicyDocument(policy); e != nil {
			return nil, e
		}
	}
	if len(routeTables) > 0 && epType != "Gateway" {
		return nil, apiErr(http.StatusBadRequest, "InvalidParameter", "Route table IDs are only supported for Gateway type VPC Endpoint.")
	}
	privDNS, err := p.Bool("PrivateDnsEnabled")
	if err != nil {
		return nil, err
	}
	ipType, _ := p.String("IpAddressType")
	switch ipType {
	case "":
		ipType = "ipv4"
	case "ipv4", "dualstack", "ipv6":
	default:
		return nil, errInvalidParam("Invalid value '%s' for IpAddressType: expected ipv4, dualstack or ipv6.", ipType)
	}
	svcRegion, _ := p.String("ServiceRegion")
	tags, err := readTagSpecs(p, "vpc-endpoint")
	if err != nil {
		return nil, err
	}
	token, err := clientToken(p)
	if err != nil {
		return nil, err
	}

	w := s.world
	w.mu.Lock()
	defer w.mu.Unlock()
	me := c.Account
	fingerprint := requestFingerprint(vpcID, name, epType, subnetIDs, sgIDs, routeTables, privDNS, ipType, svcRegion, tags, policy)
	if prev := w.EndpointByClientToken(me.ID, token); prev != nil {
		if e := checkReplay(c, prev.RequestFingerprint, fingerprint); e != nil {
			return nil, e
		}
		return &createVpcEndpointResponse{Endpoint: s.endpointXML(prev), ClientToken: token}, nil
	}

	vpc := w.VPC(vpcID)
	if vpc == nil || vpc.OwnerID != me.ID || vpc.Region != w.Region {
		return nil, apiErr(http.StatusBadRequest, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", vpcID)
	}
	if e := checkRegions(w.Region, one(svcRegion), "ServiceRegion"); e != nil {
		return nil, e
	}
	if isAWSServiceName(name, w.Region) && (svcRegion == "" || svcRegion == w.Region) {
		return nil, apiErr(http.StatusBadRequest, "UnsupportedOperation",
			"The simulated region lists %s for discovery but does not create endpoints to AWS services; only to services other accounts share.", name)
	}
	svc := w.ServiceByName(name)
	if svc == nil || !visibleTo(svc, me) || (svcRegion != "" && svcRegion != w.Region) {
		return nil, errInvalidServiceName(name)
	}
	if epType != svc.Type {
		return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
			"Endpoint type (%s) does not match available service types ([%s]).", epType, svc.Type)
	}
	if svc.State != ServiceAvailable {
		return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
			"The VPC endpoint service %s is not available (state %s).", svc.Name, svc.State)
	}
	if !svc.AcceptsNewConnections() {
		return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
			"The VPC endpoint service %s is not accepting new connections: its private DNS name %s is not verified (state %s).",
			svc.Name, svc.PrivateDNSName, svc.PrivateDNSState)
	}
	if len(subnetIDs) == 0 {
		return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
			"An %s endpoint needs at least one subnet: specify SubnetIds in the availability zones the service supports.", epType)
	}
	var subnets []*Subnet
	seenAZ := map[string]string{}
	for _, id := range subnetIDs {
		sn := w.Subnet(id)
		if sn == nil || sn.OwnerID != me.ID {
			return nil, apiErr(http.StatusBadRequest, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", id)
		}
		if sn.VpcID != vpc.ID {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
				"The subnet %s does not belong to VPC %s.", id, vpc.ID)
		}
		if !svc.SupportsAZID(sn.AZID) {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
				"The VPC endpoint service %s does not support the availability zone of the subnet: %s.", svc.Name, id)
		}
		if other, dup := seenAZ[sn.AZID]; dup {
			return nil, apiErr(http.StatusBadRequest, "DuplicateSubnetsInSameZone",
				"Found another VPC endpoint subnet in the availability zone of %s (%s). VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.", id, other)
		}
		seenAZ[sn.AZID] = id
		subnets = append(subnets, sn)
	}
	var groups []*SecurityGroup
	for _, id := range sgIDs {
		sg := w.SecurityGroup(id)
		if sg == nil || sg.OwnerID != me.ID {
			return nil, apiErr(http.StatusBadRequest, "InvalidGroup.NotFound", "The security group '%s' does not exist", id)
		}
		if sg.VpcID != vpc.ID {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
				"The security group %s does not belong to VPC %s.", id, vpc.ID)
		}
		groups = append(groups, sg)
	}
	if len(groups) == 0 {
		for _, sg := range vpc.SecurityGroups {
			if sg.Name == "default" {
				groups = append(groups, sg)
				break
			}
		}
	}
	if ipType != "ipv4" && !containsStr(svc.SupportedIPTypes, "ipv6") {
		return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
			"The VPC endpoint service %s does not support the IP address type %s.", svc.Name, ipType)
	}
	dnsOK := svc.PrivateDNSName != "" && svc.PrivateDNSState == DNSVerified
	enableDNS := dnsOK
	if privDNS != nil {
		if *privDNS && svc.PrivateDNSName == "" {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
				"Private DNS can't be enabled because the service %s does not provide a private DNS name.", svc.Name)
		}
		if *privDNS && !dnsOK {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
				"Private DNS can't be enabled because the private DNS name %s of service %s is not verified (state %s).",
				svc.PrivateDNSName, svc.Name, svc.PrivateDNSState)
		}
		enableDNS = *privDNS
	}
	if vpc.EndpointCount >= maxEndpointsPerVPC {
		return nil, apiErr(http.StatusBadRequest, "VpcEndpointLimitExceeded",
			"The maximum number of interface VPC endpoints for VPC %s (%d) has been reached.", vpc.ID, maxEndpointsPerVPC)
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	ep := w.createEndpoint(EndpointRequest{
		Owner:              me,
		Service:            svc,
		VPC:                vpc,
		Subnets:            subnets,
		SecurityGroups:     groups,
		PrivateDNSEnabled:  enableDNS,
		IPAddressType:      ipType,
		PolicyDocument:     policy,
		ClientToken:        token,
		RequestFingerprint: fingerprint,
		Tags:               tags,
	}, c.Now)
	return &createVpcEndpointResponse{Endpoint: s.endpointXML(ep), ClientToken: token}, nil
}

// ---- DescribeVpcEndpoints -------------------------------------------------------------------------

// ownEndpoint is an endpoint of the caller in this region that still exists.
func (s *Server) ownEndpoint(c *Call, id string) *Endpoint {
	ep := s.world.Endpoint(id)
	if ep == nil || ep.OwnerID != c.Account.ID || ep.Region != s.world.Region || ep.State == EndpointDeleted {
		return nil
	}
	return ep
}

func (s *Server) ec2DescribeEndpoints(c *Call) (any, error) {
	p := c.Params
	pg, err := readPage(p, consumerPaging(c.Action))
	if err != nil {
		return nil, err
	}
	fs, err := readFilters(p, []string{"service-name", "vpc-id", "vpc-endpoint-id", "vpc-endpoint-state",
		"vpc-endpoint-type", "ip-address-type", "service-region"}, true)
	if err != nil {
		return nil, err
	}
	startSeq, err := seqCursor(pg.cursor)
	if err != nil {
		return nil, err
	}
	ids := dedupe(p.List("VpcEndpointId"))
	for _, id := range ids {
		if e := checkEndpointID(id); e != nil {
			return nil, e
		}
	}
	w := s.world
	w.mu.RLock()
	defer w.mu.RUnlock()
	list := c.Account.Endpoints
	if len(ids) > 0 {
		list = make([]*Endpoint, 0, len(ids))
		for _, id := range ids {
			ep := s.ownEndpoint(c, id)
			if ep == nil {
				return nil, errEndpointIDNotFound(id)
			}
			list = append(list, ep)
		}
		slices.SortFunc(list, func(a, b *Endpoint) int { return cmpUint(a.Seq, b.Seq) })
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	out := &describeVpcEndpointsResponse{}
	for i := SeekEndpoints(list, startSeq); i < len(list); i++ {
		ep := list[i]
		if ep.Region != w.Region || ep.State == EndpointDeleted {
			continue
		}
		if !fs.match(func(name string) []string {
			switch name {
			case "service-name":
				return []string{ep.ServiceName}
			case "vpc-id":
				return []string{ep.VpcID}
			case "vpc-endpoint-id":
				return []string{ep.ID}
			case "vpc-endpoint-state":
				return []string{ep.State}
			case "vpc-endpoint-type":
				return []string{ep.Type}
			case "ip-address-type":
				return []string{ep.IPAddressType}
			case "service-region":
				return []string{w.Region}
			}
			return nil
		}, ep.Tags) {
			continue
		}
		if len(out.Endpoints) == pg.limit {
			out.NextToken = pg.token(strconv.FormatUint(ep.Seq, 10))
			break
		}
		out.Endpoints = append(out.Endpoints, s.endpointXML(ep))
	}
	return out, nil
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ---- DeleteVpcEndpoints ---------------------------------------------------------------------------

func (s *Server) ec2DeleteEndpoints(c *Call) (any, error) {
	return s.deleteEach(c, "VpcEndpointId", func(w *World, id string) *APIError {
		if e := checkEndpointID(id); e != nil {
			return e
		}
		ep := s.ownEndpoint(c, id)
		if ep == nil {
			return apiErr(http.StatusBadRequest, "InvalidVpcEndpoint.NotFound", "The VPC endpoint '%s' does not exist", id)
		}
		if err := w.deleteEndpoint(ep, c.Now); err != nil {
			return transitionErr(err)
		}
		return nil
	})
}
