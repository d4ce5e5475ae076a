package sim

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// EC2 provider side: endpoint service configurations, their allowed principals, private DNS
// verification and payer responsibility.

func (s *Server) registerEC2() {
	// Provider: services.
	s.handle(svcEC2, "DescribeVpcEndpointServiceConfigurations", s.ec2DescribeServiceConfigurations)
	s.handle(svcEC2, "CreateVpcEndpointServiceConfiguration", s.ec2CreateServiceConfiguration)
	s.handle(svcEC2, "ModifyVpcEndpointServiceConfiguration", s.ec2ModifyServiceConfiguration)
	s.handle(svcEC2, "DeleteVpcEndpointServiceConfigurations", s.ec2DeleteServiceConfigurations)
	s.handle(svcEC2, "DescribeVpcEndpointServicePermissions", s.ec2DescribeServicePermissions)
	s.handle(svcEC2, "ModifyVpcEndpointServicePermissions", s.ec2ModifyServicePermissions)
	s.handle(svcEC2, "StartVpcEndpointServicePrivateDnsVerification", s.ec2StartPrivateDNSVerification)
	s.handle(svcEC2, "ModifyVpcEndpointServicePayerResponsibility", s.ec2ModifyPayerResponsibility)
	// Provider: connections.
	s.handle(svcEC2, "DescribeVpcEndpointConnections", s.ec2DescribeConnections)
	s.handle(svcEC2, "AcceptVpcEndpointConnections", s.ec2AcceptConnections)
	s.handle(svcEC2, "RejectVpcEndpointConnections", s.ec2RejectConnections)
	s.handle(svcEC2, "ModifyVpcEndpointPayerResponsibility", s.ec2ModifyEndpointPayer) // ec2_payer.go
	// Tags on the provider's and consumers' PrivateLink resources (ec2_tags.go).
	s.handle(svcEC2, "CreateTags", s.ec2CreateTags)
	s.handle(svcEC2, "DeleteTags", s.ec2DeleteTags)
	// Connection notifications (provider or consumer).
	s.handle(svcEC2, "CreateVpcEndpointConnectionNotification", s.ec2CreateNotification)
	s.handle(svcEC2, "DescribeVpcEndpointConnectionNotifications", s.ec2DescribeNotifications)
	s.handle(svcEC2, "ModifyVpcEndpointConnectionNotification", s.ec2ModifyNotification)
	s.handle(svcEC2, "DeleteVpcEndpointConnectionNotifications", s.ec2DeleteNotifications)
	// Consumer side.
	s.handle(svcEC2, "DescribeVpcEndpointServices", s.ec2DescribeEndpointServices)
	s.handle(svcEC2, "CreateVpcEndpoint", s.ec2CreateEndpoint)
	s.handle(svcEC2, "DescribeVpcEndpoints", s.ec2DescribeEndpoints)
	s.handle(svcEC2, "DeleteVpcEndpoints", s.ec2DeleteEndpoints)
	// Network.
	s.handle(svcEC2, "DescribeVpcs", s.ec2DescribeVpcs)
	s.handle(svcEC2, "DescribeSubnets", s.ec2DescribeSubnets)
	s.handle(svcEC2, "DescribeAvailabilityZones", s.ec2DescribeAvailabilityZones)
	s.handle(svcEC2, "DescribeSecurityGroups", s.ec2DescribeSecurityGroups)
	s.handle(svcEC2, "DescribeInstances", s.ec2DescribeInstances) // ec2_instances.go
}

// endpointPaging is the MaxResults contract AWS documents for the provider's listings
// (service configurations, their permissions, connections): "between 5 and 1,000; if
// MaxResults is given a value larger than 1,000, only 1,000 results are returned".
func endpointPaging(op string) pageSpec {
	return pageSpec{op: op, min: 5, max: 1000, def: 1000, clamp: true}
}

// consumerPaging is the contract of DescribeVpcEndpointServices and DescribeVpcEndpoints:
// "If the value is greater than 1,000, we return only 1,000 items"; no lower bound is
// documented.
func consumerPaging(op string) pageSpec {
	return pageSpec{op: op, min: 1, max: 1000, def: 1000, clamp: true}
}

// transitionErr turns a world state-machine refusal into the API error AWS answers with.
func transitionErr(err error) *APIError {
	var te *TransitionError
	if errors.As(err, &te) {
		return apiErr(http.StatusBadRequest, te.Code, "%s", te.Message)
	}
	return apiErr(http.StatusInternalServerError, "InternalError", "%v", err)
}

// ownedService finds a service the caller owns. Another account's service is NotFound, as
// in AWS: a service configuration exists only for its owner, so answering otherwise would
// tell a caller which ids are taken. Caller holds the world lock.
func (s *Server) ownedService(c *Call, id string) (*Service, *APIError) {
	if e := checkServiceID(id); e != nil {
		return nil, e
	}
	svc := s.world.Service(id)
	if svc == nil || svc.OwnerID != c.Account.ID {
		return nil, errServiceNotFound(id)
	}
	return svc, nil
}

// withOwnedService runs fn on the caller's service under the world lock (the write lock when
// write is set), once ownedService has found it.
func (s *Server) withOwnedService(c *Call, id string, write bool, fn func(w *World, svc *Service) (any, error)) (any, error) {
	w := s.world
	if write {
		w.mu.Lock()
		defer w.mu.Unlock()
	} else {
		w.mu.RLock()
		defer w.mu.RUnlock()
	}
	svc, aerr := s.ownedService(c, id)
	if aerr != nil {
		return nil, aerr
	}
	return fn(w, svc)
}

// serviceConfigurationFilters is DescribeVpcEndpointServiceConfigurations' filter
// vocabulary.
var serviceConfigurationFilters = filterFields[*Service]{
	fields: map[string]func(*Service) []string{
		"service-name":               func(svc *Service) []string { return one(svc.Name) },
		"service-id":                 func(svc *Service) []string { return one(svc.ID) },
		"service-state":              func(svc *Service) []string { return one(svc.State) },
		"supported-ip-address-types": func(svc *Service) []string { return svc.SupportedIPTypes },
	},
	tags: func(svc *Service) []Tag { return svc.Tags },
}

func serviceConfigXML(svc *Service) xmlServiceConfiguration {
	x := xmlServiceConfiguration{
		ServiceType:             []xmlServiceTypeDetail{{ServiceType: svc.Type}},
		ServiceID:               svc.ID,
		ServiceName:             svc.Name,
		ServiceState:            svc.State,
		AvailabilityZoneIDs:     svc.AZIDs,
		AvailabilityZones:       svc.AZs,
		AcceptanceRequired:      svc.AcceptanceRequired,
		ManagesVpcEndpoints:     svc.ManagesVpcEndpoints,
		NetworkLoadBalancerArns: svc.NLBARNs,
		GatewayLoadBalancerArns: svc.GWLBARNs,
		SupportedIPAddressTypes: svc.SupportedIPTypes,
		BaseEndpointDNSNames:    svc.BaseDNSNames,
		PayerResponsibility:     svc.PayerResponsibility,
		Tags:                    xmlTags(svc.Tags),
	}
	if svc.PrivateDNSName != "" {
		x.PrivateDNSName = svc.PrivateDNSName
		x.PrivateDNSNameConfiguration = &xmlPrivateDNSNameConfiguration{
			State: svc.PrivateDNSState,
			Type:  "TXT",
			Value: svc.TXTValue(),
			Name:  svc.TXTName(),
		}
	}
	for _, r := range svc.SupportedRegions {
		x.SupportedRegions = append(x.SupportedRegions, xmlSupportedRegionDetail{Region: r.Region, ServiceState: r.Status})
	}
	return x
}

// ---- DescribeVpcEndpointServiceConfigurations ---------------------------------------------------

func (s *Server) ec2DescribeServiceConfigurations(c *Call) (any, error) {
	p := c.Params
	pg, err := readPage(p, endpointPaging(c.Action))
	if err != nil {
		return nil, err
	}
	fs, err := serviceConfigurationFilters.read(p)
	if err != nil {
		return nil, err
	}
	ids := dedupe(p.List("ServiceId"))
	w := s.world
	w.mu.RLock()
	defer w.mu.RUnlock()
	list := w.ServiceList
	if len(ids) > 0 {
		list = make([]*Service, 0, len(ids))
		for _, id := range ids {
			svc, aerr := s.ownedService(c, id)
			if aerr != nil {
				return nil, aerr
			}
			list = append(list, svc)
		}
		slices.SortFunc(list, func(a, b *Service) int { return strings.Compare(a.ID, b.ID) })
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	start := 0
	if pg.cursor != "" {
		start = SeekServices(list, pg.cursor)
	}
	out := &describeServiceConfigurationsResponse{}
	for _, svc := range list[start:] {
		if svc.OwnerID != c.Account.ID || svc.State == ServiceDeleted {
			continue
		}
		if !serviceConfigurationFilters.match(fs, svc) {
			continue
		}
		if len(out.Services) == pg.limit {
			out.NextToken = pg.token(svc.ID)
			break
		}
		out.Services = append(out.Services, serviceConfigXML(svc))
	}
	return out, nil
}

// ---- CreateVpcEndpointServiceConfiguration -------------------------------------------------------

var (
	lbARNPattern    = regexp.MustCompile(`^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/(net|gwy|app)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`)
	regionPattern   = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$`)
	dnsLabelPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	snsTopicPattern = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$`)
)

// checkLoadBalancers validates the NLB (or GWLB) ARNs a service is to use. forSvc is the
// service being modified ("" on create): its own load balancers are not "in use".
func (s *Server) checkLoadBalancers(c *Call, arns []string, wantType, forSvc string) *APIError {
	seen := map[string]bool{}
	for _, arn := range arns {
		if seen[arn] {
			return apiErr(http.StatusBadRequest, "InvalidParameter", "The load balancer %s is specified more than once.", arn)
		}
		seen[arn] = true
		if wantType == LBTypeNetwork && !lbARNPattern.MatchString(arn) {
			return apiErr(http.StatusBadRequest, "InvalidNetworkLoadBalancerArn.Malformed",
				"The Network Load Balancer ARN '%s' is malformed: expected arn:aws:elasticloadbalancing:<region>:<account-id>:loadbalancer/net/<name>/<id>.", arn)
		}
		if wantType == LBTypeGateway && !lbARNPattern.MatchString(arn) {
			return errInvalidParam("The Gateway Load Balancer ARN '%s' is malformed: expected arn:aws:elasticloadbalancing:<region>:<account-id>:loadbalancer/gwy/<name>/<id>.", arn)
		}
		lb := s.world.LoadBalancer(arn)
		if lb == nil || lb.OwnerID != c.Account.ID {
			if wantType == LBTypeNetwork {
				return apiErr(http.StatusBadRequest, "InvalidNetworkLoadBalancerArn.NotFound",
					"The Network Load Balancer ARN '%s' does not exist.", arn)
			}
			return errInvalidParam("The Gateway Load Balancer ARN '%s' does not exist.", arn)
		}
		if lb.Type != wantType {
			kind := "a Network Load Balancer"
			if wantType == LBTypeGateway {
				kind = "a Gateway Load Balancer"
			}
			return apiErr(http.StatusBadRequest, "InvalidParameter",
				"The load balancer %s is of type %s, not %s.", arn, lb.Type, kind)
		}
		if lb.State != LBActive && lb.State != LBActiveImpaired {
			return apiErr(http.StatusBadRequest, "InvalidParameter",
				"The load balancer %s is in state %s; it must be active.", arn, lb.State)
		}
		if lb.ServiceID != "" && lb.ServiceID != forSvc {
			return apiErr(http.StatusBadRequest, "InvalidParameter",
				"The load balancer %s is already associated with another VPC endpoint service (%s).", arn, lb.ServiceID)
		}
	}
	return nil
}

// checkPrivateDNSName validates a service's private DNS name: lowercase, ≤255 characters,
// labels ≤63, an optional leading "*." wildcard.
func checkPrivateDNSName(name string) *APIError {
	bad := func(why string) *APIError {
		return errInvalidParam("The private DNS name '%s' is not valid: %s.", name, why)
	}
	if name == "" {
		return bad("it is empty")
	}
	if len(name) > 255 {
		return bad("it is longer than 255 characters")
	}
	if name != strings.ToLower(name) {
		return bad("it must be lowercase")
	}
	n := strings.TrimSuffix(strings.TrimPrefix(name, "*."), ".")
	labels := strings.Split(n, ".")
	if len(labels) < 2 {
		return bad("it must have at least two labels")
	}
	for _, l := range labels {
		if len(l) > 63 {
			return bad("a label is longer than 63 characters")
		}
		if !dnsLabelPattern.MatchString(l) {
			return bad("label '" + l + "' may only hold a-z, 0-9 and inner hyphens")
		}
	}
	return nil
}

func checkIPTypes(types []string, param string) *APIError {
	for _, t := range types {
		if t != "ipv4" && t != "ipv6" {
			return errInvalidParam("Invalid value '%s' for %s: expected ipv4 or ipv6.", t, param)
		}
	}
	return nil
}

// checkRegions refuses a name that is not a Region of the home Region's partition: a
// service can only be offered in, and reached from, Regions that exist.
func checkRegions(home string, regions []string, param string) *APIError {
	for _, r := range regions {
		if !regionPattern.MatchString(r) {
			return errInvalidParam("Invalid value '%s' for %s: not a region name.", r, param)
		}
		if !knownRegion(home, r) {
			return errInvalidParam("Invalid value '%s' for %s: the Region is not supported.", r, param)
		}
	}
	return nil
}

// checkIPv6LoadBalancers refuses ipv6 among a service's IP address types unless every one of
// its load balancers is dualstack.
func (s *Server) checkIPv6LoadBalancers(ipTypes, nlbs, gwlbs []string) *APIError {
	if !containsStr(ipTypes, "ipv6") {
		return nil
	}
	for _, arn := range append(slices.Clone(nlbs), gwlbs...) {
		if lb := s.world.LoadBalancer(arn); lb == nil || lb.IPAddressType != "dualstack" {
			return apiErr(http.StatusBadRequest, "InvalidParameter",
				"Supported IP address type ipv6 requires load balancers with the dualstack IP address type.")
		}
	}
	return nil
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x := slices.Clone(a)
	y := slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func (s *Server) ec2CreateServiceConfiguration(c *Call) (any, error) {
	p := c.Params
	nlbs := p.List("NetworkLoadBalancerArn")
	gwlbs := p.List("GatewayLoadBalancerArn")
	acceptance, err := boolParam(p, "AcceptanceRequired", true)
	if err != nil {
		return nil, err
	}
	dnsName, hasDNS := p.String("PrivateDnsName")
	ipTypes := dedupe(p.List("SupportedIpAddressType"))
	regions := dedupe(p.List("SupportedRegion"))
	tags, err := readTagSpecs(p, "vpc-endpoint-service")
	if err != nil {
		return nil, err
	}
	token, err := clientToken(p)
	if err != nil {
		return nil, err
	}
	switch {
	case len(nlbs) == 0 && len(gwlbs) == 0:
		return nil, apiErr(http.StatusBadRequest, "MissingParameter",
			"The request must contain the parameter NetworkLoadBalancerArn or GatewayLoadBalancerArn")
	case len(nlbs) > 0 && len(gwlbs) > 0:
		return nil, apiErr(http.StatusBadRequest, "InvalidParameterCombination",
			"A service uses either Network Load Balancers or Gateway Load Balancers, not both.")
	}
	if hasDNS {
		if len(gwlbs) > 0 {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameterCombination",
				"Gateway Load Balancer endpoint services do not support private DNS names.")
		}
		if e := checkPrivateDNSName(dnsName); e != nil {
			return nil, e
		}
	}
	if e := firstErr(checkIPTypes(ipTypes, "SupportedIpAddressType"), checkRegions(s.world.Region, regions, "SupportedRegion")); e != nil {
		return nil, e
	}

	w := s.world
	w.mu.Lock()
	defer w.mu.Unlock()
	fingerprint := requestFingerprint(nlbs, gwlbs, acceptance, hasDNS, normDNS(dnsName), ipTypes, regions, tags)
	if prev := w.ServiceByClientToken(c.Account.ID, token); prev != nil {
		if e := checkReplay(c, prev.RequestFingerprint, fingerprint); e != nil {
			return nil, e
		}
		return &createServiceConfigurationResponse{Service: serviceConfigXML(prev), ClientToken: token}, nil
	}
	if len(nlbs) > 0 {
		if e := s.checkLoadBalancers(c, nlbs, LBTypeNetwork, ""); e != nil {
			return nil, e
		}
	} else if e := s.checkLoadBalancers(c, gwlbs, LBTypeGateway, ""); e != nil {
		return nil, e
	}
	if e := s.checkIPv6LoadBalancers(ipTypes, nlbs, gwlbs); e != nil {
		return nil, e
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	svc := w.createService(ServiceInput{
		Owner:              c.Account,
		NLBARNs:            nlbs,
		GWLBARNs:           gwlbs,
		AcceptanceRequired: acceptance,
		PrivateDNSName:     dnsName,
		SupportedIPTypes:   ipTypes,
		SupportedRegions:   regions,
		Tags:               tags,
		ClientToken:        token,
		RequestFingerprint: fingerprint,
	}, c.Now)
	return &createServiceConfigurationResponse{Service: serviceConfigXML(svc), ClientToken: token}, nil
}

// ---- ModifyVpcEndpointServiceConfiguration -------------------------------------------------------

func (s *Server) ec2ModifyServiceConfiguration(c *Call) (any, error) {
	p := c.Params
	id, err := requireString(p, "ServiceId")
	if err != nil {
		return nil, err
	}
	acceptance, err := p.Bool("AcceptanceRequired")
	if err != nil {
		return nil, err
	}
	removeDNS, err := boolParam(p, "RemovePrivateDnsName", false)
	if err != nil {
		return nil, err
	}
	dnsName, hasDNS := p.String("PrivateDnsName")
	if hasDNS && removeDNS {
		return nil, apiErr(http.StatusBadRequest, "InvalidParameterCombination",
			"PrivateDnsName and RemovePrivateDnsName cannot be used together.")
	}
	if hasDNS {
		if e := checkPrivateDNSName(dnsName); e != nil {
			return nil, e
		}
	}
	addNLB, rmNLB := dedupe(p.List("AddNetworkLoadBalancerArn")), dedupe(p.List("RemoveNetworkLoadBalancerArn"))
	addGWLB, rmGWLB := dedupe(p.List("AddGatewayLoadBalancerArn")), dedupe(p.List("RemoveGatewayLoadBalancerArn"))
	addIP, rmIP := dedupe(p.List("AddSupportedIpAddressType")), dedupe(p.List("RemoveSupportedIpAddressType"))
	addReg, rmReg := dedupe(p.List("AddSupportedRegion")), dedupe(p.List("RemoveSupportedRegion"))
	if e := firstErr(checkIPTypes(addIP, "AddSupportedIpAddressType"), checkIPTypes(rmIP, "RemoveSupportedIpAddressType"),
		checkRegions(s.world.Region, addReg, "AddSupportedRegion"), checkRegions(s.world.Region, rmReg, "RemoveSupportedRegion")); e != nil {
		return nil, e
	}

	return s.withOwnedService(c, id, true, func(w *World, svc *Service) (any, error) {
		if svc.Type == ServiceTypeGWLB && (len(addNLB) > 0 || hasDNS) {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameterCombination",
				"A Gateway Load Balancer endpoint service cannot have Network Load Balancers or a private DNS name.")
		}
		if svc.Type == ServiceTypeInterface && len(addGWLB) > 0 {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameterCombination",
				"An interface endpoint service cannot have Gateway Load Balancers.")
		}
		nlbs, e := applyLBChange(svc.NLBARNs, addNLB, rmNLB)
		if e != nil {
			return nil, e
		}
		gwlbs, e := applyLBChange(svc.GWLBARNs, addGWLB, rmGWLB)
		if e != nil {
			return nil, e
		}
		if len(addNLB) > 0 {
			if e := s.checkLoadBalancers(c, addNLB, LBTypeNetwork, svc.ID); e != nil {
				return nil, e
			}
		}
		if len(addGWLB) > 0 {
			if e := s.checkLoadBalancers(c, addGWLB, LBTypeGateway, svc.ID); e != nil {
				return nil, e
			}
		}
		if len(nlbs)+len(gwlbs) == 0 {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
				"The service %s must keep at least one load balancer.", svc.ID)
		}
		if len(rmNLB)+len(rmGWLB) > 0 {
			for _, ep := range svc.Endpoints {
				if ep.Active() {
					return nil, apiErr(http.StatusBadRequest, "ExistingVpcEndpointConnections",
						"Load balancers cannot be removed from service %s while it has active VPC Endpoint connections.", svc.ID)
				}
			}
		}
		ipTypes := slices.Clone(svc.SupportedIPTypes)
		for _, t := range addIP {
			if !containsStr(ipTypes, t) {
				ipTypes = append(ipTypes, t)
			}
		}
		ipTypes = slices.DeleteFunc(ipTypes, func(t string) bool { return containsStr(rmIP, t) })
		if len(ipTypes) == 0 {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
				"The service %s must support at least one IP address type.", svc.ID)
		}
		if e := s.checkIPv6LoadBalancers(ipTypes, nlbs, gwlbs); e != nil {
			return nil, e
		}
		for _, r := range rmReg {
			if r == w.Region {
				return nil, errInvalidParam("The service's own region %s cannot be removed from its supported regions.", r)
			}
		}
		if c.DryRun {
			return nil, errDryRun()
		}

		if acceptance != nil {
			svc.AcceptanceRequired = *acceptance
		}
		if !sameSet(nlbs, svc.NLBARNs) || !sameSet(gwlbs, svc.GWLBARNs) {
			w.setServiceLoadBalancers(svc, nlbs, gwlbs)
		}
		svc.SupportedIPTypes = ipTypes
		for _, r := range addReg {
			found := false
			for _, sr := range svc.SupportedRegions {
				if sr.Region == r {
					found = true
				}
			}
			if !found {
				svc.SupportedRegions = append(svc.SupportedRegions, SupportedRegion{Region: r, Status: "Available"})
			}
		}
		svc.SupportedRegions = slices.DeleteFunc(svc.SupportedRegions, func(sr SupportedRegion) bool {
			return containsStr(rmReg, sr.Region)
		})
		switch {
		case removeDNS:
			w.removePrivateDNSName(svc)
		case hasDNS:
			w.setPrivateDNSName(svc, dnsName)
		}
		return &returnResponse{Return: true}, nil
	})
}

// applyLBChange adds and removes load balancer ARNs; removing one the service does not use
// is an error.
func applyLBChange(cur, add, rm []string) ([]string, *APIError) {
	for _, arn := range rm {
		if !containsStr(cur, arn) {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
				"The load balancer %s is not associated with the service.", arn)
		}
	}
	out := slices.DeleteFunc(slices.Clone(cur), func(a string) bool { return containsStr(rm, a) })
	for _, arn := range add {
		if !containsStr(out, arn) {
			out = append(out, arn)
		}
	}
	return out, nil
}

// ---- DeleteVpcEndpointServiceConfigurations ------------------------------------------------------

func (s *Server) ec2DeleteServiceConfigurations(c *Call) (any, error) {
	return s.deleteEach(c, "ServiceId", func(w *World, id string) *APIError {
		svc, aerr := s.ownedService(c, id)
		if aerr != nil && aerr.Code == "InvalidVpcEndpointServiceId.NotFound" {
			// The batch delete names a missing service with its own code, without "Id".
			return apiErr(http.StatusBadRequest, "InvalidVpcEndpointService.NotFound",
				"The VpcEndpointService Id '%s' does not exist", id)
		}
		if aerr != nil {
			return aerr
		}
		if err := w.deleteService(svc, c.Now); err != nil {
			return transitionErr(err)
		}
		return nil
	})
}

// ---- permissions ---------------------------------------------------------------------------------

func (s *Server) ec2DescribeServicePermissions(c *Call) (any, error) {
	p := c.Params
	id, err := requireString(p, "ServiceId")
	if err != nil {
		return nil, err
	}
	pg, err := readPage(p, endpointPaging(c.Action))
	if err != nil {
		return nil, err
	}
	fs, err := readFilters(p, []string{"principal", "principal-type"}, false)
	if err != nil {
		return nil, err
	}
	return s.withOwnedService(c, id, false, func(w *World, svc *Service) (any, error) {
		if c.DryRun {
			return nil, errDryRun()
		}
		var all []xmlAllowedPrincipal
		for _, pr := range svc.Principals {
			if !fs.match(func(name string) []string {
				if name == "principal" {
					return []string{pr.ARN}
				}
				return []string{pr.Type}
			}, nil) {
				continue
			}
			all = append(all, xmlAllowedPrincipal{
				PrincipalType:       pr.Type,
				Principal:           pr.ARN,
				ServicePermissionID: pr.ID,
				Tags:                xmlTags(pr.Tags),
				ServiceID:           svc.ID,
			})
		}
		lo, hi, next, err := pageSlice(pg, len(all))
		if err != nil {
			return nil, err
		}
		return &describeServicePermissionsResponse{Principals: all[lo:hi], NextToken: next}, nil
	})
}

var (
	iamPrincipalPattern = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:(root|user/[\w+=,.@-]{1,64}|role/[\w+=,.@-]{1,64})$`)
	orgPrincipalPattern = regexp.MustCompile(`^arn:aws[a-z-]*:organizations::\d{12}:(organization/o-[a-z0-9]{10,32}|ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})$`)
	svcPrincipalPattern = regexp.MustCompile(`^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$`)
)

// checkPrincipal validates an allowed principal: "*", an IAM account root, user or role ARN
// (without a path), an organization or OU ARN, or a service principal. Anything else — a
// bare account id, an ARN with a path, an STS session ARN — is AWS's InvalidPrincipal.
func checkPrincipal(arn string) *APIError {
	switch {
	case arn == "*", iamPrincipalPattern.MatchString(arn), orgPrincipalPattern.MatchString(arn), svcPrincipalPattern.MatchString(arn):
		return nil
	}
	return apiErr(http.StatusBadRequest, "InvalidPrincipal", "Invalid Principal: '%s'", arn)
}

func (s *Server) ec2ModifyServicePermissions(c *Call) (any, error) {
	p := c.Params
	id, err := requireString(p, "ServiceId")
	if err != nil {
		return nil, err
	}
	add := dedupe(p.List("AddAllowedPrincipals"))
	rm := dedupe(p.List("RemoveAllowedPrincipals"))
	for _, arn := range add {
		if e := checkPrincipal(arn); e != nil {
			return nil, e
		}
	}
	return s.withOwnedService(c, id, true, func(w *World, svc *Service) (any, error) {
		if c.DryRun {
			return nil, errDryRun()
		}
		out := &modifyServicePermissionsResponse{Return: true}
		for _, arn := range rm {
			w.removePrincipal(svc, arn)
		}
		for _, arn := range add {
			pr := w.addPrincipal(svc, arn)
			out.Added = append(out.Added, xmlAddedPrincipal{
				PrincipalType:       pr.Type,
				Principal:           pr.ARN,
				ServicePermissionID: pr.ID,
				ServiceID:           svc.ID,
			})
		}
		return out, nil
	})
}

// ---- private DNS verification and payer responsibility -------------------------------------------

func (s *Server) ec2StartPrivateDNSVerification(c *Call) (any, error) {
	id, err := requireString(c.Params, "ServiceId")
	if err != nil {
		return nil, err
	}
	return s.withOwnedService(c, id, true, func(w *World, svc *Service) (any, error) {
		if svc.PrivateDNSName == "" || svc.PrivateDNSState == DNSVerified {
			// Refused without a change; the world's state machine phrases why.
			if err := w.startDNSVerification(svc, c.Now); err != nil {
				return nil, transitionErr(err)
			}
			return nil, apiErr(http.StatusBadRequest, "InvalidParameter", "The private DNS name of service %s cannot be verified now.", svc.ID)
		}
		if c.DryRun {
			return nil, errDryRun()
		}
		if err := w.startDNSVerification(svc, c.Now); err != nil {
			return nil, transitionErr(err)
		}
		return &returnResponse{Return: true}, nil
	})
}

func (s *Server) ec2ModifyPayerResponsibility(c *Call) (any, error) {
	p := c.Params
	id, err := requireString(p, "ServiceId")
	if err != nil {
		return nil, err
	}
	payer, err := requireString(p, "PayerResponsibility")
	if err != nil {
		return nil, err
	}
	if payer != "ServiceOwner" {
		return nil, errInvalidParam("Invalid value '%s' for PayerResponsibility: the only supported value is ServiceOwner.", payer)
	}
	return s.withOwnedService(c, id, true, func(w *World, svc *Service) (any, error) {
		if svc.Type == ServiceTypeGWLB {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameter",
				"Payer responsibility cannot be changed for Gateway Load Balancer endpoint services.")
		}
		if c.DryRun {
			return nil, errDryRun()
		}
		svc.PayerResponsibility = payer
		return &returnResponse{Return: true}, nil
	})
}
