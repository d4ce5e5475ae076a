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

func (s *Server) ec2DescribeVpcs(c *Call) (any, error) {
	p := c.Params
	pg, err := readPage(p, networkPaging(c.Action))
	if err != nil {
		return nil, err
	}
	fs, err := readFilters(p, []string{"vpc-id", "cidr", "cidr-block-association.cidr-block", "is-default", "owner-id", "state"}, true)
	if err != nil {
		return nil, err
	}
	ids := dedupe(p.List("VpcId"))
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
		if !fs.match(func(name string) []string {
			switch name {
			case "vpc-id":
				return []string{v.ID}
			case "cidr", "cidr-block-association.cidr-block":
				return []string{v.CIDR}
			case "is-default":
				return []string{strconv.FormatBool(v.IsDefault)}
			case "owner-id":
				return []string{v.OwnerID}
			case "state":
				return []string{v.State}
			}
			return nil
		}, vpcTags(v)) {
			continue
		}
		all = append(all, xmlVpc{
			VpcID:     v.ID,
			OwnerID:   v.OwnerID,
			State:     v.State,
			CidrBlock: v.CIDR,
			CidrBlockAssociates: []xmlCidrBlockAssociation{{
				AssociationID:  "vpc-cidr-assoc-" + strings.TrimPrefix(v.ID, "vpc-"),
				CidrBlock:      v.CIDR,
				CidrBlockState: xmlCidrBlockState{State: "associated"},
			}},
			DhcpOptionsID:   "dopt-" + firstN(strings.TrimPrefix(v.ID, "vpc-"), 8),
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

func (s *Server) ec2DescribeSubnets(c *Call) (any, error) {
	p := c.Params
	pg, err := readPage(p, networkPaging(c.Action))
	if err != nil {
		return nil, err
	}
	fs, err := readFilters(p, []string{"vpc-id", "subnet-id", "availability-zone", "availability-zone-id",
		"cidr-block", "cidr", "state", "owner-id", "default-for-az"}, true)
	if err != nil {
		return nil, err
	}
	ids := dedupe(p.List("SubnetId"))
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
		var tags []Tag
		if sn.Name != "" {
			tags = []Tag{{Key: "Name", Value: sn.Name}}
		}
		if !fs.match(func(name string) []string {
			switch name {
			case "vpc-id":
				return []string{sn.VpcID}
			case "subnet-id":
				return []string{sn.ID}
			case "availability-zone":
				return []string{sn.AZ}
			case "availability-zone-id":
				return []string{sn.AZID}
			case "cidr-block", "cidr":
				return []string{sn.CIDR}
			case "state":
				return []string{sn.State}
			case "owner-id":
				return []string{sn.OwnerID}
			case "default-for-az":
				return []string{"false"}
			}
			return nil
		}, tags) {
			continue
		}
		all = append(all, xmlSubnet{
			SubnetID:                sn.ID,
			SubnetArn:               "arn:aws:ec2:" + w.Region + ":" + sn.OwnerID + ":subnet/" + sn.ID,
			State:                   sn.State,
			VpcID:                   sn.VpcID,
			OwnerID:                 sn.OwnerID,
			CidrBlock:               sn.CIDR,
			AvailableIPAddressCount: sn.AvailableIPs,
			AvailabilityZone:        sn.AZ,
			AvailabilityZoneID:      sn.AZID,
			Tags:                    xmlTags(tags),
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

func (s *Server) ec2DescribeAvailabilityZones(c *Call) (any, error) {
	p := c.Params
	if _, err := p.Bool("AllAvailabilityZones"); err != nil {
		return nil, err
	}
	fs, err := readFilters(p, []string{"zone-name", "zone-id", "state", "region-name", "zone-type",
		"group-name", "opt-in-status", "network-border-group"}, false)
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
		if !fs.match(func(name string) []string {
			switch name {
			case "zone-name":
				return []string{z.Name}
			case "zone-id":
				return []string{z.ID}
			case "state":
				return []string{z.State}
			case "region-name":
				return []string{w.Region}
			case "zone-type":
				return []string{"availability-zone"}
			case "group-name", "network-border-group":
				return []string{w.Region}
			case "opt-in-status":
				return []string{"opt-in-not-required"}
			}
			return nil
		}, nil) {
			continue
		}
		out.Zones = append(out.Zones, xmlAvailabilityZone{
			ZoneName:           z.Name,
			ZoneID:             z.ID,
			ZoneState:          z.State,
			OptInStatus:        "opt-in-not-required",
			RegionName:         w.Region,
			GroupName:          w.Region,
			NetworkBorderGroup: w.Region,
			ZoneType:           "availability-zone",
		})
	}
	return out, nil
}

func (s *Server) ec2DescribeSecurityGroups(c *Call) (any, error) {
	p := c.Params
	pg, err := readPage(p, networkPaging(c.Action))
	if err != nil {
		return nil, err
	}
	fs, err := readFilters(p, []string{"vpc-id", "group-id", "group-name", "owner-id", "description"}, true)
	if err != nil {
		return nil, err
	}
	ids := dedupe(p.List("GroupId"))
	names := dedupe(p.List("GroupName"))
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
		if !fs.match(func(name string) []string {
			switch name {
			case "vpc-id":
				return []string{sg.VpcID}
			case "group-id":
				return []string{sg.ID}
			case "group-name":
				return []string{sg.Name}
			case "owner-id":
				return []string{sg.OwnerID}
			case "description":
				return []string{sg.Description}
			}
			return nil
		}, nil) {
			continue
		}
		all = append(all, xmlSecurityGroup{
			OwnerID:          sg.OwnerID,
			GroupID:          sg.ID,
			GroupName:        sg.Name,
			GroupDescription: sg.Description,
			VpcID:            sg.VpcID,
			SecurityGroupArn: "arn:aws:ec2:" + w.Region + ":" + sg.OwnerID + ":security-group/" + sg.ID,
		})
	}
	lo, hi, next, err := pageSlice(pg, len(all))
	if err != nil {
		return nil, err
	}
	return &describeSecurityGroupsResponse{Groups: all[lo:hi], NextToken: next}, nil
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
