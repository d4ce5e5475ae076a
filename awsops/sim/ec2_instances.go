package sim

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DescribeInstances: the EC2 instances behind the world's instance-type targets. ELBv2's
// DescribeTargetHealth names no zone for an instance target, so a client learns where its
// targets run from here. Instances are derived from the targets on every call (nothing is
// stored): the same world always describes the same instances. Only the account that owns
// the target group sees them.

// Instance state codes and names (EC2 wire values).
const (
	instanceRunning     = "running"
	instanceStopped     = "stopped"
	instanceRunningCode = 16
	instanceStoppedCode = 80
)

// instanceTypes are the sizes instances are drawn from (deterministically, by id).
var instanceTypes = []struct{ name, arch string }{
	{"m6i.large", "x86_64"}, {"c6i.xlarge", "x86_64"}, {"m7g.large", "arm64"},
	{"c7g.xlarge", "arm64"}, {"r6i.large", "x86_64"},
}

// simInstance is one instance as DescribeInstances shows it.
type simInstance struct {
	id, owner, vpcID, subnetID string
	az, azID                   string
	privateIP                  string
	typ, arch                  string
	state                      string
	launched                   time.Time
	name                       string // Name tag
}

// accountInstances lists the instances the account owns in this region, in world order
// (target groups in creation order, their targets in registration order), each once.
// Caller holds the read lock.
func (s *Server) accountInstances(a *Account) []simInstance {
	w := s.world
	var out []simInstance
	seen := map[string]bool{}
	hostsUsed := map[string]uint32{} // subnet id → instance addresses handed out
	for _, tg := range w.TargetGroupList {
		if tg.TargetType != "instance" || tg.OwnerID != a.ID || !s.inRegion(tg.VpcID) {
			continue
		}
		for k, t := range tg.Targets {
			if seen[t.ID] || !strings.HasPrefix(t.ID, "i-") {
				continue
			}
			seen[t.ID] = true
			in := simInstance{
				id: t.ID, owner: tg.OwnerID, vpcID: tg.VpcID, az: t.AZ, azID: t.AZID,
				state: instanceRunning,
				name:  strings.TrimSuffix(tg.Name, "-tg") + "-" + strconv.Itoa(k+1),
			}
			if t.Reason == ReasonInvalidState {
				in.state = instanceStopped // ELB's "Target is in the stopped state"
			}
			h := fnv64(t.ID)
			it := instanceTypes[h%uint64(len(instanceTypes))]
			in.typ, in.arch = it.name, it.arch
			in.launched = t.RegisteredAt.Add(-time.Duration(60+h%240) * time.Second)
			if sn := instanceSubnet(w.VPC(tg.VpcID), t.AZ); sn != nil {
				// Instances take addresses from the top of the subnet, clear of the ones
				// allocIP hands out from the bottom to ENIs and IP targets.
				n := hostsUsed[sn.ID]
				hostsUsed[sn.ID] = n + 1
				in.subnetID = sn.ID
				if sn.size > 8 {
					in.privateIP = formatIPv4(sn.base + sn.size - 2 - n%(sn.size/2))
				}
			}
			out = append(out, in)
		}
	}
	return out
}

// instanceSubnet is the VPC's subnet in the zone (nil when it has none).
func instanceSubnet(v *VPC, az string) *Subnet {
	if v == nil {
		return nil
	}
	for _, sn := range v.Subnets {
		if sn.AZ == az {
			return sn
		}
	}
	return nil
}

// validInstanceID says whether id has the shape of an instance id: i- and 8 or 17 hex digits.
func validInstanceID(id string) bool {
	hex, ok := strings.CutPrefix(id, "i-")
	if !ok || (len(hex) != 8 && len(hex) != 17) {
		return false
	}
	for i := 0; i < len(hex); i++ {
		if c := hex[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func errInstancesNotFound(ids []string) *APIError {
	if len(ids) == 1 {
		return apiErr(http.StatusBadRequest, "InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", ids[0])
	}
	return apiErr(http.StatusBadRequest, "InvalidInstanceID.NotFound", "The instance IDs '%s' do not exist", strings.Join(ids, ", "))
}

func (s *Server) ec2DescribeInstances(c *Call) (any, error) {
	p := c.Params
	ids := dedupe(p.List("InstanceId"))
	if _, ok := p.String("MaxResults"); ok && len(ids) > 0 {
		return nil, apiErr(http.StatusBadRequest, "InvalidParameterCombination",
			"The parameter instancesSet cannot be used with the parameter maxResults")
	}
	pg, err := readPage(p, networkPaging(c.Action))
	if err != nil {
		return nil, err
	}
	fs, err := readFilters(p, []string{"instance-id", "availability-zone", "availability-zone-id", "vpc-id",
		"subnet-id", "instance-state-name", "instance-state-code", "instance-type", "private-ip-address", "owner-id"}, true)
	if err != nil {
		return nil, err
	}
	if _, err := p.Bool("IncludeManagedResources"); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if !validInstanceID(id) {
			return nil, apiErr(http.StatusBadRequest, "InvalidInstanceID.Malformed", "Invalid id: \"%s\"", id)
		}
	}
	w := s.world
	w.mu.RLock()
	defer w.mu.RUnlock()
	list := s.accountInstances(c.Account)
	if len(ids) > 0 {
		byID := make(map[string]int, len(list))
		for i, in := range list {
			byID[in.id] = i
		}
		var sel []simInstance
		var missing []string
		for _, id := range ids {
			if i, ok := byID[id]; ok {
				sel = append(sel, list[i])
			} else {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			return nil, errInstancesNotFound(missing)
		}
		list = sel
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	var all []xmlReservation
	for _, in := range list {
		tags := []Tag{{Key: "Name", Value: in.name}}
		if !fs.match(func(name string) []string {
			switch name {
			case "instance-id":
				return []string{in.id}
			case "availability-zone":
				return []string{in.az}
			case "availability-zone-id":
				return []string{in.azID}
			case "vpc-id":
				return []string{in.vpcID}
			case "subnet-id":
				return []string{in.subnetID}
			case "instance-state-name":
				return []string{in.state}
			case "instance-state-code":
				return []string{strconv.Itoa(instanceStateCode(in.state))}
			case "instance-type":
				return []string{in.typ}
			case "private-ip-address":
				return []string{in.privateIP}
			case "owner-id":
				return []string{in.owner}
			}
			return nil
		}, tags) {
			continue
		}
		all = append(all, xmlReservationOf(in, tags, w.Region))
	}
	lo, hi, next := 0, len(all), ""
	if len(ids) == 0 {
		if lo, hi, next, err = pageSlice(pg, len(all)); err != nil {
			return nil, err
		}
	}
	return &describeInstancesResponse{Reservations: all[lo:hi], NextToken: next}, nil
}

func instanceStateCode(state string) int {
	if state == instanceStopped {
		return instanceStoppedCode
	}
	return instanceRunningCode
}

// xmlReservationOf wraps one instance in its own reservation, as one launch per instance
// (an Auto Scaling group's launches) leaves them.
func xmlReservationOf(in simInstance, tags []Tag, region string) xmlReservation {
	x := xmlInstance{
		InstanceID:         in.id,
		ImageID:            hashID("ami-", "ami/"+in.arch),
		InstanceState:      xmlInstanceState{Code: instanceStateCode(in.state), Name: in.state},
		InstanceType:       in.typ,
		LaunchTime:         in.launched.UTC().Format(ec2TimeFormat),
		Placement:          xmlPlacement{AvailabilityZone: in.az, AvailabilityZoneID: in.azID, Tenancy: "default"},
		Monitoring:         xmlMonitoring{State: "disabled"},
		SubnetID:           in.subnetID,
		VpcID:              in.vpcID,
		PrivateIPAddress:   in.privateIP,
		Architecture:       in.arch,
		RootDeviceType:     "ebs",
		RootDeviceName:     "/dev/xvda",
		VirtualizationType: "hvm",
		Hypervisor:         "xen",
		EbsOptimized:       true,
		EnaSupport:         true,
		SourceDestCheck:    true,
		PlatformDetails:    "Linux/UNIX",
		UsageOperation:     "RunInstances",
		Tags:               xmlTags(tags),
	}
	if in.privateIP != "" {
		x.PrivateDNSName = "ip-" + strings.ReplaceAll(in.privateIP, ".", "-") + "." + privateDNSSuffix(region)
	}
	if in.state == instanceStopped {
		x.StateTransitionReason = "User initiated (" + in.launched.Add(time.Hour).UTC().Format("2006-01-02 15:04:05 MST") + ")"
		x.StateReason = &xmlStateReason{Code: "Client.UserInitiatedShutdown", Message: "Client.UserInitiatedShutdown: User initiated shutdown"}
	}
	return xmlReservation{
		ReservationID: hashID("r-", "reservation/"+in.id),
		OwnerID:       in.owner,
		Instances:     []xmlInstance{x},
	}
}

// privateDNSSuffix is the domain of an instance's private DNS name in the region.
func privateDNSSuffix(region string) string {
	if region == "us-east-1" {
		return "ec2.internal"
	}
	return region + ".compute.internal"
}

// hashID is prefix + "0" + 16 hex digits of a hash of key: an id in the 17-hex-digit form
// that the same key always yields (the world's RNG is not touched by reads).
func hashID(prefix, key string) string {
	b := make([]byte, len(prefix)+17)
	copy(b, prefix)
	b[len(prefix)] = '0'
	putHex16(b[len(prefix)+1:], fnv64(key))
	return string(b)
}

// DescribeInstances response shapes (awsEc2query_deserializeDocumentReservation / Instance).

type xmlInstanceState struct {
	Code int    `xml:"code"`
	Name string `xml:"name"`
}

type xmlPlacement struct {
	AvailabilityZone   string `xml:"availabilityZone"`
	AvailabilityZoneID string `xml:"availabilityZoneId,omitempty"`
	GroupName          string `xml:"groupName"`
	Tenancy            string `xml:"tenancy"`
}

type xmlMonitoring struct {
	State string `xml:"state"`
}

type xmlStateReason struct {
	Code    string `xml:"code"`
	Message string `xml:"message"`
}

type xmlInstance struct {
	InstanceID            string           `xml:"instanceId"`
	ImageID               string           `xml:"imageId"`
	InstanceState         xmlInstanceState `xml:"instanceState"`
	PrivateDNSName        string           `xml:"privateDnsName"`
	StateTransitionReason string           `xml:"reason"`
	AmiLaunchIndex        int              `xml:"amiLaunchIndex"`
	InstanceType          string           `xml:"instanceType"`
	LaunchTime            string           `xml:"launchTime"`
	Placement             xmlPlacement     `xml:"placement"`
	Monitoring            xmlMonitoring    `xml:"monitoring"`
	SubnetID              string           `xml:"subnetId,omitempty"`
	VpcID                 string           `xml:"vpcId,omitempty"`
	PrivateIPAddress      string           `xml:"privateIpAddress,omitempty"`
	SourceDestCheck       bool             `xml:"sourceDestCheck"`
	StateReason           *xmlStateReason  `xml:"stateReason,omitempty"`
	Architecture          string           `xml:"architecture"`
	RootDeviceType        string           `xml:"rootDeviceType"`
	RootDeviceName        string           `xml:"rootDeviceName"`
	VirtualizationType    string           `xml:"virtualizationType"`
	Tags                  []xmlTag         `xml:"tagSet>item"`
	Hypervisor            string           `xml:"hypervisor"`
	EbsOptimized          bool             `xml:"ebsOptimized"`
	EnaSupport            bool             `xml:"enaSupport"`
	PlatformDetails       string           `xml:"platformDetails"`
	UsageOperation        string           `xml:"usageOperation"`
}

type xmlReservation struct {
	ReservationID string        `xml:"reservationId"`
	OwnerID       string        `xml:"ownerId"`
	Instances     []xmlInstance `xml:"instancesSet>item"`
}

type describeInstancesResponse struct {
	Reservations []xmlReservation `xml:"reservationSet>item"`
	NextToken    string           `xml:"nextToken,omitempty"`
}
