package sim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// EC2 network reads a consumer needs to make a test connection: VPCs, subnets (with AZ ids),
// the account's own AZ name ↔ id mapping, and security groups. Each account sees only its
// own resources in this region.

// networkPaging is the MaxResults range of DescribeVpcs, DescribeSubnets,
// DescribeSecurityGroups and DescribeInstances: the API models bound it to 5–1000, and EC2
// refuses a value outside with InvalidParameterValue rather than clamping it.
func networkPaging(op string) pageSpec { return pageSpec{op: op, min: 5, max: 1000, def: 1000} }

// accountVPCs lists the caller's VPCs in the world's region.
func (s *Server) accountVPCs(a *Account) []*VPC {
	out := make([]*VPC, 0, len(a.VPCs))
	for _, v := range a.VPCs {
		if v.Region == s.world.Region {
			out = append(out, v)
		}
	}
	return out
}

func vpcTags(v *VPC) []Tag {
	if v.Name == "" {
		return nil
	}
	return []Tag{{Key: "Name", Value: v.Name}}
}

func subnetTags(sn *Subnet) []Tag {
	if sn.Name == "" {
		return nil
	}
	return []Tag{{Key: "Name", Value: sn.Name}}
}

// Ids the simulated region derives from a VPC's own id rather than storing.
func vpcCidrAssociationID(v *VPC) string { return "vpc-cidr-assoc-" + strings.TrimPrefix(v.ID, "vpc-") }
func dhcpOptionsID(v *VPC) string        { return "dopt-" + firstN(strings.TrimPrefix(v.ID, "vpc-"), 8) }

// vpcFilters is DescribeVpcs' filter vocabulary. The simulated region's VPCs have one IPv4
// CIDR block and no IPv6, so the IPv6 filters match nothing.
var vpcFilters = filterFields[*VPC]{
	fields: map[string]func(*VPC) []string{
		"cidr":                                        func(v *VPC) []string { return one(v.CIDR) },
		"cidr-block-association.cidr-block":           func(v *VPC) []string { return one(v.CIDR) },
		"cidr-block-association.association-id":       func(v *VPC) []string { return one(vpcCidrAssociationID(v)) },
		"cidr-block-association.state":                constant[*VPC]("associated"),
		"dhcp-options-id":                             func(v *VPC) []string { return one(dhcpOptionsID(v)) },
		"ipv6-cidr-block-association.ipv6-cidr-block": none[*VPC],
		"ipv6-cidr-block-association.ipv6-pool":       none[*VPC],
		"ipv6-cidr-block-association.association-id":  none[*VPC],
		"ipv6-cidr-block-association.state":           none[*VPC],
		"is-default":                                  func(v *VPC) []string { return boolValue(v.IsDefault) },
		"owner-id":                                    func(v *VPC) []string { return one(v.OwnerID) },
		"state":                                       func(v *VPC) []string { return one(v.State) },
		"vpc-id":                                      func(v *VPC) []string { return one(v.ID) },
	},
	tags: vpcTags,
}

func (s *Server) ec2DescribeVpcs(c *Call) (any, error) {
	p := c.Params
	pg, err := readPage(p, networkPaging(c.Action))
	if err != nil {
		return nil, err
	}
	fs, err := vpcFilters.read(p)
	if err != nil {
		return nil, err
	}
	ids := dedupe(p.List("VpcId"))
	if e := checkIDs(ids, "vpc-", "InvalidVpcID.Malformed"); e != nil {
		return nil, e
	}
	w := s.world
	w.mu.RLock()
	defer w.mu.RUnlock()
	list := s.accountVPCs(c.Account)
	if len(ids) > 0 {
		var sel []*VPC
		for _, id := range ids {
			v := w.VPC(id)
			if v == nil || v.OwnerID != c.Account.ID || v.Region != w.Region {
				return nil, apiErr(http.StatusBadRequest, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", id)
			}
			sel = append(sel, v)
		}
		list = sel
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	var all []xmlVpc
	for _, v := range list {
		if !vpcFilters.match(fs, v) {
			continue
		}
		all = append(all, xmlVpc{
			VpcID:     v.ID,
			OwnerID:   v.OwnerID,
			State:     v.State,
			CidrBlock: v.CIDR,
			CidrBlockAssociates: []xmlCidrBlockAssociation{{
				AssociationID:  vpcCidrAssociationID(v),
				CidrBlock:      v.CIDR,
				CidrBlockState: xmlCidrBlockState{State: "associated"},
			}},
			DhcpOptionsID:   dhcpOptionsID(v),
			Tags:            xmlTags(vpcTags(v)),
			InstanceTenancy: "default",
			IsDefault:       v.IsDefault,
		})
	}
	lo, hi, next, err := pageSlice(pg, len(all))
	if err != nil {
		return nil, err
	}
	return &describeVpcsResponse{Vpcs: all[lo:hi], NextToken: next}, nil
}

// subnetFilters is DescribeSubnets' filter vocabulary, with the aliases its reference
// names (availabilityZone, cidr, cidrBlock, …). The region's subnets are IPv4-only, in no
// Outpost, with AWS's defaults for the launch settings.
var subnetFilters = filterFields[*Subnet]{
	fields: map[string]func(*Subnet) []string{
		"availability-zone":          func(sn *Subnet) []string { return one(sn.AZ) },
		"availabilityZone":           func(sn *Subnet) []string { return one(sn.AZ) },
		"availability-zone-id":       func(sn *Subnet) []string { return one(sn.AZID) },
		"availabilityZoneId":         func(sn *Subnet) []string { return one(sn.AZID) },
		"available-ip-address-count": func(sn *Subnet) []string { return intValue(sn.AvailableIPs) },
		"cidr-block":                 func(sn *Subnet) []string { return one(sn.CIDR) },
		"cidr":                       func(sn *Subnet) []string { return one(sn.CIDR) },
		"cidrBlock":                  func(sn *Subnet) []string { return one(sn.CIDR) },
		"customer-owned-ipv4-pool":   none[*Subnet],
		"default-for-az":             constant[*Subnet]("false"),
		"defaultForAz":               constant[*Subnet]("false"),
		"enable-dns64":               constant[*Subnet]("false"),
		"enable-lni-at-device-index": none[*Subnet],
		"ipv6-cidr-block-association.ipv6-cidr-block":      none[*Subnet],
		"ipv6-cidr-block-association.association-id":       none[*Subnet],
		"ipv6-cidr-block-association.state":                none[*Subnet],
		"ipv6-native":                                      constant[*Subnet]("false"),
		"map-customer-owned-ip-on-launch":                  constant[*Subnet]("false"),
		"map-public-ip-on-launch":                          constant[*Subnet]("false"),
		"outpost-arn":                                      none[*Subnet],
		"owner-id":                                         func(sn *Subnet) []string { return one(sn.OwnerID) },
		"private-dns-name-options-on-launch.hostname-type": constant[*Subnet]("ip-name"),
		"private-dns-name-options-on-launch.enable-resource-name-dns-a-record":    constant[*Subnet]("false"),
		"private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record": constant[*Subnet]("false"),
		"state":      func(sn *Subnet) []string { return one(sn.State) },
		"subnet-arn": func(sn *Subnet) []string { return one(subnetARN(sn)) },
		"subnet-id":  func(sn *Subnet) []string { return one(sn.ID) },
		"vpc-id":     func(sn *Subnet) []string { return one(sn.VpcID) },
	},
	tags: subnetTags,
}

// subnetARN is arn:aws:ec2:<region>:<owner>:subnet/<id>; a subnet's region is its zone's.
func subnetARN(sn *Subnet) string {
	region := strings.TrimRight(sn.AZ, "abcdefghijklmnopqrstuvwxyz")
	return "arn:aws:ec2:" + region + ":" + sn.OwnerID + ":subnet/" + sn.ID
}

func (s *Server) ec2DescribeSubnets(c *Call) (any, error) {
	p := c.Params
	pg, err := readPage(p, networkPaging(c.Action))
	if err != nil {
		return nil, err
	}
	fs, err := subnetFilters.read(p)
	if err != nil {
		return nil, err
	}
	ids := dedupe(p.List("SubnetId"))
	if e := checkIDs(ids, "subnet-", "InvalidSubnetID.Malformed"); e != nil {
		return nil, e
	}
	w := s.world
	w.mu.RLock()
	defer w.mu.RUnlock()
	var list []*Subnet
	if len(ids) > 0 {
		for _, id := range ids {
			sn := w.Subnet(id)
			if sn == nil || sn.OwnerID != c.Account.ID || !s.inRegion(sn.VpcID) {
				return nil, apiErr(http.StatusBadRequest, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", id)
			}
			list = append(list, sn)
		}
	} else {
		for _, v := range s.accountVPCs(c.Account) {
			list = append(list, v.Subnets...)
		}
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	var all []xmlSubnet
	for _, sn := range list {
		if !subnetFilters.match(fs, sn) {
			continue
		}
		all = append(all, xmlSubnet{
			SubnetID:                sn.ID,
			SubnetArn:               subnetARN(sn),
			State:                   sn.State,
			VpcID:                   sn.VpcID,
			OwnerID:                 sn.OwnerID,
			CidrBlock:               sn.CIDR,
			AvailableIPAddressCount: sn.AvailableIPs,
			AvailabilityZone:        sn.AZ,
			AvailabilityZoneID:      sn.AZID,
			PrivateDNSNameOptionsOnLaunch: xmlPrivateDNSNameOptions{
				HostnameType:                    "ip-name",
				EnableResourceNameDNSARecord:    false,
				EnableResourceNameDNSAAAARecord: false,
			},
			Tags: xmlTags(subnetTags(sn)),
		})
	}
	lo, hi, next, err := pageSlice(pg, len(all))
	if err != nil {
		return nil, err
	}
	return &describeSubnetsResponse{Subnets: all[lo:hi], NextToken: next}, nil
}

// inRegion says whether the VPC lies in the world's region.
func (s *Server) inRegion(vpcID string) bool {
	v := s.world.VPC(vpcID)
	return v != nil && v.Region == s.world.Region
}

// zoneView is one zone as DescribeAvailabilityZones shows it: the account's zone and the
// Region it is in.
type zoneView struct {
	AZ
	region string
}

// zoneFilters is DescribeAvailabilityZones' filter vocabulary. Every zone of the simulated
// region is an opt-in-free Availability Zone of the Region's first zone group, with no
// message and no parent zone (those belong to Local and Wavelength Zones).
var zoneFilters = filterFields[zoneView]{
	fields: map[string]func(zoneView) []string{
		"group-long-name":      func(z zoneView) []string { return one(zoneGroupLongName(z.region)) },
		"group-name":           func(z zoneView) []string { return one(zoneGroupName(z.region)) },
		"message":              none[zoneView],
		"network-border-group": func(z zoneView) []string { return one(z.region) },
		"opt-in-status":        constant[zoneView]("opt-in-not-required"),
		"parent-zone-id":       none[zoneView],
		"parent-zone-name":     none[zoneView],
		"region-name":          func(z zoneView) []string { return one(z.region) },
		"state":                func(z zoneView) []string { return one(z.State) },
		"zone-id":              func(z zoneView) []string { return one(z.ID) },
		"zone-name":            func(z zoneView) []string { return one(z.Name) },
		"zone-type":            constant[zoneView]("availability-zone"),
	},
}

// zoneGroupName is the name of a Region's first zone group ("us-east-1-zg-1").
func zoneGroupName(region string) string { return region + "-zg-1" }

func (s *Server) ec2DescribeAvailabilityZones(c *Call) (any, error) {
	p := c.Params
	if _, err := p.Bool("AllAvailabilityZones"); err != nil {
		return nil, err
	}
	fs, err := zoneFilters.read(p)
	if err != nil {
		return nil, err
	}
	names := p.List("ZoneName")
	ids := p.List("ZoneId")
	w := s.world
	w.mu.RLock()
	defer w.mu.RUnlock()
	zones := w.AZsFor(c.Account)
	for _, n := range names {
		if !slices.ContainsFunc(zones, func(z AZ) bool { return z.Name == n }) {
			return nil, errInvalidParam("Invalid availability zone: [%s]", n)
		}
	}
	for _, id := range ids {
		if !slices.ContainsFunc(zones, func(z AZ) bool { return z.ID == id }) {
			return nil, errInvalidParam("Invalid availability zone ID: [%s]", id)
		}
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	out := &describeAvailabilityZonesResponse{}
	for _, z := range zones {
		if (len(names) > 0 || len(ids) > 0) && !containsStr(names, z.Name) && !containsStr(ids, z.ID) {
			continue
		}
		if !zoneFilters.match(fs, zoneView{z, w.Region}) {
			continue
		}
		out.Zones = append(out.Zones, xmlAvailabilityZone{
			ZoneName:           z.Name,
			ZoneID:             z.ID,
			ZoneState:          z.State,
			OptInStatus:        "opt-in-not-required",
			RegionName:         w.Region,
			GroupName:          zoneGroupName(w.Region),
			GroupLongName:      zoneGroupLongName(w.Region),
			NetworkBorderGroup: w.Region,
			ZoneType:           "availability-zone",
		})
	}
	return out, nil
}

// groupView is a security group with the world it lives in (rules name other groups).
type groupView struct {
	sg *SecurityGroup
	w  *World
}

// ruleValues collects one field over a group's rules. EC2 matches the rule filters of
// DescribeSecurityGroups against the group's rules together ("any combination of rules -
// not necessarily a single rule - match all filters"), so the union is the field's value.
func ruleValues(rules []SecurityGroupRule, field func(r SecurityGroupRule) []string) []string {
	var out []string
	for _, r := range rules {
		out = append(out, field(r)...)
	}
	return out
}

// ruleFilters are the ip-permission.* (ingress) or egress.ip-permission.* filters.
func ruleFilters(prefix string, rules func(g groupView) []SecurityGroupRule) map[string]func(groupView) []string {
	per := func(field func(g groupView, r SecurityGroupRule) []string) func(groupView) []string {
		return func(g groupView) []string {
			return ruleValues(rules(g), func(r SecurityGroupRule) []string { return field(g, r) })
		}
	}
	port := func(p int32, r SecurityGroupRule) []string {
		if r.Protocol == "-1" {
			return nil
		}
		return []string{strconv.Itoa(int(p))}
	}
	return map[string]func(groupView) []string{
		prefix + "cidr":      per(func(_ groupView, r SecurityGroupRule) []string { return r.CIDRs }),
		prefix + "from-port": per(func(_ groupView, r SecurityGroupRule) []string { return port(r.FromPort, r) }),
		prefix + "to-port":   per(func(_ groupView, r SecurityGroupRule) []string { return port(r.ToPort, r) }),
		prefix + "group-id":  per(func(_ groupView, r SecurityGroupRule) []string { return r.GroupIDs }),
		prefix + "group-name": per(func(g groupView, r SecurityGroupRule) []string {
			var out []string
			for _, id := range r.GroupIDs {
				if ref := g.w.SecurityGroup(id); ref != nil {
					out = append(out, ref.Name)
				}
			}
			return out
		}),
		prefix + "ipv6-cidr":      none[groupView],
		prefix + "prefix-list-id": none[groupView],
		prefix + "protocol":       per(func(_ groupView, r SecurityGroupRule) []string { return protocolValues(r.Protocol) }),
		prefix + "user-id": per(func(g groupView, r SecurityGroupRule) []string {
			if len(r.GroupIDs) == 0 {
				return nil
			}
			return []string{g.sg.OwnerID}
		}),
	}
}

// protocolValues is a rule's protocol as a filter sees it: by name and by number, so
// ip-permission.protocol=tcp and =6 both match a TCP rule.
func protocolValues(p string) []string {
	switch p {
	case "tcp":
		return []string{"tcp", "6"}
	case "udp":
		return []string{"udp", "17"}
	case "icmp":
		return []string{"icmp", "1"}
	}
	return []string{p}
}

// securityGroupFilters is DescribeSecurityGroups' filter vocabulary.
var securityGroupFilters = func() filterFields[groupView] {
	fields := map[string]func(groupView) []string{
		"description": func(g groupView) []string { return one(g.sg.Description) },
		"group-id":    func(g groupView) []string { return one(g.sg.ID) },
		"group-name":  func(g groupView) []string { return one(g.sg.Name) },
		"owner-id":    func(g groupView) []string { return one(g.sg.OwnerID) },
		"vpc-id":      func(g groupView) []string { return one(g.sg.VpcID) },
	}
	for n, f := range ruleFilters("ip-permission.", func(g groupView) []SecurityGroupRule { return g.sg.Ingress }) {
		fields[n] = f
	}
	for n, f := range ruleFilters("egress.ip-permission.", func(g groupView) []SecurityGroupRule { return g.sg.Egress }) {
		fields[n] = f
	}
	// The region's groups carry no tags; tag filters are accepted and match none.
	return filterFields[groupView]{fields: fields, tags: func(groupView) []Tag { return nil }}
}()

func (s *Server) ec2DescribeSecurityGroups(c *Call) (any, error) {
	p := c.Params
	pg, err := readPage(p, networkPaging(c.Action))
	if err != nil {
		return nil, err
	}
	fs, err := securityGroupFilters.read(p)
	if err != nil {
		return nil, err
	}
	ids := dedupe(p.List("GroupId"))
	names := dedupe(p.List("GroupName"))
	if e := checkIDs(ids, "sg-", "InvalidGroupId.Malformed"); e != nil {
		return nil, e
	}
	w := s.world
	w.mu.RLock()
	defer w.mu.RUnlock()
	var list []*SecurityGroup
	for _, v := range s.accountVPCs(c.Account) {
		list = append(list, v.SecurityGroups...)
	}
	for _, id := range ids {
		sg := w.SecurityGroup(id)
		if sg == nil || sg.OwnerID != c.Account.ID || !s.inRegion(sg.VpcID) {
			return nil, apiErr(http.StatusBadRequest, "InvalidGroup.NotFound", "The security group '%s' does not exist", id)
		}
	}
	for _, n := range names {
		if !slices.ContainsFunc(list, func(sg *SecurityGroup) bool { return sg.Name == n }) {
			return nil, apiErr(http.StatusBadRequest, "InvalidGroup.NotFound",
				"The security group '%s' does not exist in default VPC", n)
		}
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	var all []xmlSecurityGroup
	for _, sg := range list {
		if len(ids) > 0 && !containsStr(ids, sg.ID) {
			continue
		}
		if len(names) > 0 && !containsStr(names, sg.Name) {
			continue
		}
		if !securityGroupFilters.match(fs, groupView{sg, w}) {
			continue
		}
		all = append(all, xmlSecurityGroup{
			OwnerID:             sg.OwnerID,
			GroupID:             sg.ID,
			GroupName:           sg.Name,
			GroupDescription:    sg.Description,
			VpcID:               sg.VpcID,
			SecurityGroupArn:    "arn:aws:ec2:" + w.Region + ":" + sg.OwnerID + ":security-group/" + sg.ID,
			IPPermissions:       xmlPermissions(sg.Ingress, sg.OwnerID),
			IPPermissionsEgress: xmlPermissions(sg.Egress, sg.OwnerID),
		})
	}
	lo, hi, next, err := pageSlice(pg, len(all))
	if err != nil {
		return nil, err
	}
	return &describeSecurityGroupsResponse{Groups: all[lo:hi], NextToken: next}, nil
}

// xmlPermissions renders rules as IpPermissions; the wrapper is always present, as AWS
// sends <ipPermissions/> for a group without rules.
func xmlPermissions(rules []SecurityGroupRule, owner string) xmlIPPermissionList {
	out := xmlIPPermissionList{Items: make([]xmlIPPermission, 0, len(rules))}
	for _, r := range rules {
		x := xmlIPPermission{IPProtocol: r.Protocol}
		if r.Protocol != "-1" {
			from, to := r.FromPort, r.ToPort
			x.FromPort, x.ToPort = &from, &to
		}
		for _, c := range r.CIDRs {
			x.IPRanges.Items = append(x.IPRanges.Items, xmlIPRange{CidrIP: c, Description: r.Description})
		}
		for _, g := range r.GroupIDs {
			x.Groups.Items = append(x.Groups.Items, xmlUserIDGroupPair{UserID: owner, GroupID: g, Description: r.Description})
		}
		out.Items = append(out.Items, x)
	}
	return out
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
