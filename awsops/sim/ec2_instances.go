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
	name                       string           // Name tag
	groups                     []*SecurityGroup // the VPC's default group
}

// Ids of an instance's parts, derived from its own id so a read mints nothing.
func (in simInstance) imageID() string       { return hashID("ami-", "ami/"+in.arch) }
func (in simInstance) reservationID() string { return hashID("r-", "reservation/"+in.id) }
func (in simInstance) eniID() string         { return hashID("eni-", "eni/"+in.id) }
func (in simInstance) attachmentID() string  { return hashID("eni-attach-", "attach/"+in.id) }
func (in simInstance) volumeID() string      { return hashID("vol-", "volume/"+in.id) }

// macAddress is a locally administered unicast MAC, as EC2 gives a VPC interface.
func (in simInstance) macAddress() string {
	h := fnv64("mac/" + in.id)
	b := []byte{0x0a, byte(h >> 32), byte(h >> 24), byte(h >> 16), byte(h >> 8), byte(h)}
	out := make([]byte, 0, 17)
	for i, c := range b {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return string(out)
}

func (in simInstance) privateDNSName(region string) string {
	if in.privateIP == "" {
		return ""
	}
	return "ip-" + strings.ReplaceAll(in.privateIP, ".", "-") + "." + privateDNSSuffix(region)
}

func (in simInstance) launchTime() string { return in.launched.UTC().Format(ec2TimeFormat) }

// currentBootMode is how the instance booted. The region's AMIs set no boot mode, so an
// instance boots as its architecture's default: UEFI on Graviton, legacy BIOS on x86.
func (in simInstance) currentBootMode() string {
	if in.arch == "arm64" {
		return "uefi"
	}
	return "legacy-bios"
}

func (in simInstance) groupIDs() []string {
	out := make([]string, len(in.groups))
	for i, g := range in.groups {
		out[i] = g.ID
	}
	return out
}

func (in simInstance) groupNames() []string {
	out := make([]string, len(in.groups))
	for i, g := range in.groups {
		out[i] = g.Name
	}
	return out
}

func (in simInstance) stateReason() (code, message string) {
	if in.state != instanceStopped {
		return "", ""
	}
	return "Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown"
}

func (in simInstance) transitionReason() string {
	if in.state != instanceStopped {
		return ""
	}
	return "User initiated (" + in.launched.Add(time.Hour).UTC().Format("2006-01-02 15:04:05 MST") + ")"
}

// instanceView is an instance with the Region it runs in (DNS names depend on it).
type instanceView struct {
	simInstance
	region string
}

// instanceFilters is DescribeInstances' filter vocabulary: every name its reference
// documents. The region's instances are private, on-demand, Linux, EBS-backed, with one
// network interface and one root volume and the launch defaults AWS applies; a filter on
// what they do not have (a public IP, a key pair, a placement group, …) matches nothing.
var instanceFilters = func() filterFields[instanceView] {
	type iv = instanceView
	c := constant[iv]
	n := none[iv]
	launch := func(in iv) []string { return one(in.launchTime()) }
	privDNS := func(in iv) []string { return one(in.privateDNSName(in.region)) }
	privIP := func(in iv) []string { return one(in.privateIP) }
	groupIDs := func(in iv) []string { return in.groupIDs() }
	groupNames := func(in iv) []string { return in.groupNames() }
	fields := map[string]func(iv) []string{
		"affinity":                                   n,
		"architecture":                               func(in iv) []string { return one(in.arch) },
		"availability-zone":                          func(in iv) []string { return one(in.az) },
		"availability-zone-id":                       func(in iv) []string { return one(in.azID) },
		"block-device-mapping.attach-time":           launch,
		"block-device-mapping.delete-on-termination": c("true"),
		"block-device-mapping.device-name":           c(rootDeviceName),
		"block-device-mapping.status":                c("attached"),
		"block-device-mapping.volume-id":             func(in iv) []string { return one(in.volumeID()) },
		"boot-mode":                                  n, // the AMI's; the region's AMIs set none
		"capacity-reservation-id":                    n,
		"capacity-reservation-specification.capacity-reservation-preference":                                     c("open"),
		"capacity-reservation-specification.capacity-reservation-target.capacity-reservation-id":                 n,
		"capacity-reservation-specification.capacity-reservation-target.capacity-reservation-resource-group-arn": n,
		"client-token":                        n,
		"current-instance-boot-mode":          func(in iv) []string { return one(in.currentBootMode()) },
		"dns-name":                            n,
		"ebs-optimized":                       c("true"),
		"ena-support":                         c("true"),
		"enclave-options.enabled":             c("false"),
		"hibernation-options.configured":      c("false"),
		"host-id":                             n,
		"hypervisor":                          c("xen"),
		"iam-instance-profile.arn":            n,
		"iam-instance-profile.id":             n,
		"image-id":                            func(in iv) []string { return one(in.imageID()) },
		"instance-id":                         func(in iv) []string { return one(in.id) },
		"instance-lifecycle":                  n,
		"instance-state-code":                 func(in iv) []string { return intValue(instanceStateCode(in.state)) },
		"instance-state-name":                 func(in iv) []string { return one(in.state) },
		"instance-type":                       func(in iv) []string { return one(in.typ) },
		"instance.group-id":                   groupIDs,
		"instance.group-name":                 groupNames,
		"ip-address":                          n,
		"ipv6-address":                        n,
		"kernel-id":                           n,
		"key-name":                            n,
		"launch-index":                        c("0"),
		"launch-time":                         launch,
		"maintenance-options.auto-recovery":   c("default"),
		"metadata-options.http-endpoint":      c("enabled"),
		"metadata-options.http-protocol-ipv4": c("enabled"),
		"metadata-options.http-protocol-ipv6": c("disabled"),
		"metadata-options.http-put-response-hop-limit":                  c("2"),
		"metadata-options.http-tokens":                                  c("required"),
		"metadata-options.instance-metadata-tags":                       c("disabled"),
		"metadata-options.state":                                        c("applied"),
		"monitoring-state":                                              c("disabled"),
		"network-interface.addresses.primary":                           c("true"),
		"network-interface.addresses.private-dns-name":                  privDNS,
		"network-interface.addresses.private-ip-address":                privIP,
		"network-interface.attachment.attach-time":                      launch,
		"network-interface.attachment.attachment-id":                    func(in iv) []string { return one(in.attachmentID()) },
		"network-interface.attachment.delete-on-termination":            c("true"),
		"network-interface.attachment.device-index":                     c("0"),
		"network-interface.attachment.instance-id":                      func(in iv) []string { return one(in.id) },
		"network-interface.attachment.instance-owner-id":                func(in iv) []string { return one(in.owner) },
		"network-interface.attachment.network-card-index":               c("0"),
		"network-interface.attachment.status":                           c("attached"),
		"network-interface.availability-zone":                           func(in iv) []string { return one(in.az) },
		"network-interface.deny-all-igw-traffic":                        n,
		"network-interface.description":                                 n,
		"network-interface.group-id":                                    groupIDs,
		"network-interface.group-name":                                  groupNames,
		"network-interface.ipv4-prefixes.ipv4-prefix":                   n,
		"network-interface.ipv6-address":                                n,
		"network-interface.ipv6-addresses.ipv6-address":                 n,
		"network-interface.ipv6-addresses.is-primary-ipv6":              n,
		"network-interface.ipv6-native":                                 n,
		"network-interface.ipv6-prefixes.ipv6-prefix":                   n,
		"network-interface.mac-address":                                 func(in iv) []string { return one(in.macAddress()) },
		"network-interface.network-interface-id":                        func(in iv) []string { return one(in.eniID()) },
		"network-interface.operator.managed":                            c("false"),
		"network-interface.operator.principal":                          n,
		"network-interface.outpost-arn":                                 n,
		"network-interface.owner-id":                                    func(in iv) []string { return one(in.owner) },
		"network-interface.private-dns-name":                            privDNS,
		"network-interface.private-ip-address":                          privIP,
		"network-interface.public-dns-name":                             n,
		"network-interface.requester-id":                                n,
		"network-interface.requester-managed":                           c("false"),
		"network-interface.status":                                      c("in-use"),
		"network-interface.source-dest-check":                           c("true"),
		"network-interface.subnet-id":                                   func(in iv) []string { return one(in.subnetID) },
		"network-interface.tag-key":                                     n,
		"network-interface.tag-value":                                   n,
		"network-interface.vpc-id":                                      func(in iv) []string { return one(in.vpcID) },
		"network-performance-options.bandwidth-weighting":               c("default"),
		"operator.managed":                                              c("false"),
		"operator.principal":                                            n,
		"outpost-arn":                                                   n,
		"owner-id":                                                      func(in iv) []string { return one(in.owner) },
		"placement-group-name":                                          n,
		"placement-partition-number":                                    n,
		"platform":                                                      n,
		"platform-details":                                              c("Linux/UNIX"),
		"private-dns-name":                                              privDNS,
		"private-dns-name-options.enable-resource-name-dns-a-record":    c("false"),
		"private-dns-name-options.enable-resource-name-dns-aaaa-record": c("false"),
		"private-dns-name-options.hostname-type":                        c("ip-name"),
		"private-ip-address":                                            privIP,
		"product-code":                                                  n,
		"product-code.type":                                             n,
		"ramdisk-id":                                                    n,
		"reason":                                                        func(in iv) []string { return one(in.transitionReason()) },
		"requester-id":                                                  n,
		"reservation-id":                                                func(in iv) []string { return one(in.reservationID()) },
		"root-device-name":                                              c(rootDeviceName),
		"root-device-type":                                              c("ebs"),
		"source-dest-check":                                             c("true"),
		"spot-instance-request-id":                                      n,
		"state-reason-code":                                             func(in iv) []string { code, _ := in.stateReason(); return one(code) },
		"state-reason-message":                                          func(in iv) []string { _, msg := in.stateReason(); return one(msg) },
		"subnet-id":                                                     func(in iv) []string { return one(in.subnetID) },
		"tenancy":                                                       c("default"),
		"tpm-support":                                                   n,
		"usage-operation":                                               c("RunInstances"),
		"usage-operation-update-time":                                   launch,
		"virtualization-type":                                           c("hvm"),
		"vpc-id":                                                        func(in iv) []string { return one(in.vpcID) },
	}
	// The seven association filters, of the interface and of its addresses, name public IPs.
	for _, assoc := range []string{"allocation-id", "association-id", "carrier-ip", "customer-owned-ip", "ip-owner-id", "public-dns-name", "public-ip"} {
		fields["network-interface.association."+assoc] = n
		fields["network-interface.addresses.association."+assoc] = n
	}
	return filterFields[instanceView]{fields: fields, tags: func(in iv) []Tag { return []Tag{{Key: "Name", Value: in.name}} }}
}()

// rootDeviceName is the root volume's device on the region's Linux AMIs.
const rootDeviceName = "/dev/xvda"

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
				state:  instanceRunning,
				name:   strings.TrimSuffix(tg.Name, "-tg") + "-" + strconv.Itoa(k+1),
				groups: defaultGroup(w.VPC(tg.VpcID)),
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

// defaultGroup is the VPC's default security group, the one an instance launched without
// groups gets.
func defaultGroup(v *VPC) []*SecurityGroup {
	if v == nil {
		return nil
	}
	for _, sg := range v.SecurityGroups {
		if sg.Name == "default" {
			return []*SecurityGroup{sg}
		}
	}
	return nil
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
	fs, err := instanceFilters.read(p)
	if err != nil {
		return nil, err
	}
	if _, err := p.Bool("IncludeManagedResources"); err != nil {
		return nil, err
	}
	if e := checkIDs(ids, "i-", "InvalidInstanceID.Malformed"); e != nil {
		return nil, e
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
		if instanceFilters.match(fs, instanceView{in, w.Region}) {
			all = append(all, xmlReservationOf(in, w.Region))
		}
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
// (an Auto Scaling group's launches) leaves them. The members are those of AWS's own
// DescribeInstances example, with the values the launch defaults give.
func xmlReservationOf(in simInstance, region string) xmlReservation {
	groups := make([]xmlGroupIdentifier, len(in.groups))
	for i, g := range in.groups {
		groups[i] = xmlGroupIdentifier{GroupID: g.ID, GroupName: g.Name}
	}
	cores, threads := instanceCPU(in.typ, in.arch)
	x := xmlInstance{
		InstanceID:            in.id,
		ImageID:               in.imageID(),
		InstanceState:         xmlInstanceState{Code: instanceStateCode(in.state), Name: in.state},
		PrivateDNSName:        in.privateDNSName(region),
		StateTransitionReason: in.transitionReason(),
		InstanceType:          in.typ,
		LaunchTime:            in.launchTime(),
		Placement:             xmlPlacement{AvailabilityZone: in.az, AvailabilityZoneID: in.azID, Tenancy: "default"},
		Monitoring:            xmlMonitoring{State: "disabled"},
		SubnetID:              in.subnetID,
		VpcID:                 in.vpcID,
		PrivateIPAddress:      in.privateIP,
		Groups:                groups,
		Architecture:          in.arch,
		RootDeviceType:        "ebs",
		RootDeviceName:        rootDeviceName,
		BlockDeviceMappings: []xmlInstanceBlockDevice{{DeviceName: rootDeviceName, Ebs: xmlEbsInstanceBlockDevice{
			AttachTime: in.launchTime(), DeleteOnTermination: true, Status: "attached", VolumeID: in.volumeID()}}},
		VirtualizationType:               "hvm",
		Tags:                             xmlTags([]Tag{{Key: "Name", Value: in.name}}),
		Hypervisor:                       "xen",
		EbsOptimized:                     true,
		EnaSupport:                       true,
		SourceDestCheck:                  true,
		CPUOptions:                       xmlCPUOptions{CoreCount: cores, ThreadsPerCore: threads},
		CapacityReservationSpecification: xmlCapacityReservationSpecification{CapacityReservationPreference: "open"},
		HibernationOptions:               xmlEnabledOption{Configured: boolPtr(false)},
		MetadataOptions: xmlMetadataOptions{State: "applied", HTTPTokens: "required", HTTPPutResponseHopLimit: 2,
			HTTPEndpoint: "enabled", HTTPProtocolIpv6: "disabled", InstanceMetadataTags: "disabled"},
		EnclaveOptions:            xmlEnabledOption{Enabled: boolPtr(false)},
		CurrentInstanceBootMode:   in.currentBootMode(),
		PlatformDetails:           "Linux/UNIX",
		UsageOperation:            "RunInstances",
		UsageOperationUpdateTime:  in.launchTime(),
		PrivateDNSNameOptions:     xmlPrivateDNSNameOptions{HostnameType: "ip-name"},
		MaintenanceOptions:        xmlMaintenanceOptions{AutoRecovery: "default"},
		NetworkPerformanceOptions: xmlNetworkPerformanceOptions{BandwidthWeighting: "default"},
		Operator:                  xmlOperator{Managed: false},
	}
	if code, msg := in.stateReason(); code != "" {
		x.StateReason = &xmlStateReason{Code: code, Message: msg}
	}
	if in.subnetID != "" {
		ni := xmlInstanceNetworkInterface{
			Attachment: xmlInstanceNetworkInterfaceAttachment{AttachTime: in.launchTime(), AttachmentID: in.attachmentID(),
				DeleteOnTermination: true, DeviceIndex: 0, Status: "attached", NetworkCardIndex: 0},
			Groups:             groups,
			MacAddress:         in.macAddress(),
			NetworkInterfaceID: in.eniID(),
			OwnerID:            in.owner,
			PrivateDNSName:     in.privateDNSName(region),
			PrivateIPAddress:   in.privateIP,
			SourceDestCheck:    true,
			Status:             "in-use",
			SubnetID:           in.subnetID,
			VpcID:              in.vpcID,
			InterfaceType:      "interface",
			Operator:           xmlOperator{Managed: false},
		}
		if in.privateIP != "" {
			ni.PrivateIPAddresses = []xmlInstancePrivateIPAddress{{Primary: true,
				PrivateDNSName: in.privateDNSName(region), PrivateIPAddress: in.privateIP}}
		}
		x.NetworkInterfaces = []xmlInstanceNetworkInterface{ni}
	}
	return xmlReservation{
		ReservationID: in.reservationID(),
		OwnerID:       in.owner,
		Instances:     []xmlInstance{x},
	}
}

// instanceCPU is the default core count and threads per core of the region's instance
// types: x86 sizes run two threads per core, Graviton one.
func instanceCPU(typ, arch string) (cores, threads int) {
	vcpus := 2
	if strings.HasSuffix(typ, ".xlarge") {
		vcpus = 4
	}
	if arch == "arm64" {
		return vcpus, 1
	}
	return vcpus / 2, 2
}

func boolPtr(b bool) *bool { return &b }

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

type xmlInstanceBlockDevice struct {
	DeviceName string                    `xml:"deviceName"`
	Ebs        xmlEbsInstanceBlockDevice `xml:"ebs"`
}

type xmlEbsInstanceBlockDevice struct {
	VolumeID            string `xml:"volumeId"`
	Status              string `xml:"status"`
	AttachTime          string `xml:"attachTime"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
}

type xmlCPUOptions struct {
	CoreCount      int `xml:"coreCount"`
	ThreadsPerCore int `xml:"threadsPerCore"`
}

type xmlCapacityReservationSpecification struct {
	CapacityReservationPreference string `xml:"capacityReservationPreference"`
}

// xmlEnabledOption is HibernationOptions (configured) or EnclaveOptions (enabled).
type xmlEnabledOption struct {
	Configured *bool `xml:"configured,omitempty"`
	Enabled    *bool `xml:"enabled,omitempty"`
}

type xmlMetadataOptions struct {
	State                   string `xml:"state"`
	HTTPTokens              string `xml:"httpTokens"`
	HTTPPutResponseHopLimit int    `xml:"httpPutResponseHopLimit"`
	HTTPEndpoint            string `xml:"httpEndpoint"`
	HTTPProtocolIpv6        string `xml:"httpProtocolIpv6"`
	InstanceMetadataTags    string `xml:"instanceMetadataTags"`
}

type xmlMaintenanceOptions struct {
	AutoRecovery string `xml:"autoRecovery"`
}

type xmlNetworkPerformanceOptions struct {
	BandwidthWeighting string `xml:"bandwidthWeighting"`
}

type xmlOperator struct {
	Managed bool `xml:"managed"`
}

type xmlInstanceNetworkInterfaceAttachment struct {
	AttachTime          string `xml:"attachTime"`
	AttachmentID        string `xml:"attachmentId"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
	DeviceIndex         int    `xml:"deviceIndex"`
	Status              string `xml:"status"`
	NetworkCardIndex    int    `xml:"networkCardIndex"`
}

type xmlInstancePrivateIPAddress struct {
	Primary          bool   `xml:"primary"`
	PrivateDNSName   string `xml:"privateDnsName"`
	PrivateIPAddress string `xml:"privateIpAddress"`
}

type xmlInstanceNetworkInterface struct {
	Attachment         xmlInstanceNetworkInterfaceAttachment `xml:"attachment"`
	Description        string                                `xml:"description"`
	Groups             []xmlGroupIdentifier                  `xml:"groupSet>item"`
	Ipv6Addresses      xmlEmptySet                           `xml:"ipv6AddressesSet"`
	MacAddress         string                                `xml:"macAddress"`
	NetworkInterfaceID string                                `xml:"networkInterfaceId"`
	OwnerID            string                                `xml:"ownerId"`
	PrivateDNSName     string                                `xml:"privateDnsName"`
	PrivateIPAddress   string                                `xml:"privateIpAddress"`
	PrivateIPAddresses []xmlInstancePrivateIPAddress         `xml:"privateIpAddressesSet>item"`
	SourceDestCheck    bool                                  `xml:"sourceDestCheck"`
	Status             string                                `xml:"status"`
	SubnetID           string                                `xml:"subnetId"`
	VpcID              string                                `xml:"vpcId"`
	InterfaceType      string                                `xml:"interfaceType"`
	Operator           xmlOperator                           `xml:"operator"`
}

type xmlInstance struct {
	InstanceID                       string                              `xml:"instanceId"`
	ImageID                          string                              `xml:"imageId"`
	InstanceState                    xmlInstanceState                    `xml:"instanceState"`
	PrivateDNSName                   string                              `xml:"privateDnsName"`
	DNSName                          string                              `xml:"dnsName"` // empty: the region's instances are private
	StateTransitionReason            string                              `xml:"reason"`
	AmiLaunchIndex                   int                                 `xml:"amiLaunchIndex"`
	ProductCodes                     xmlEmptySet                         `xml:"productCodes"`
	InstanceType                     string                              `xml:"instanceType"`
	LaunchTime                       string                              `xml:"launchTime"`
	Placement                        xmlPlacement                        `xml:"placement"`
	Monitoring                       xmlMonitoring                       `xml:"monitoring"`
	SubnetID                         string                              `xml:"subnetId,omitempty"`
	VpcID                            string                              `xml:"vpcId,omitempty"`
	PrivateIPAddress                 string                              `xml:"privateIpAddress,omitempty"`
	SourceDestCheck                  bool                                `xml:"sourceDestCheck"`
	Groups                           []xmlGroupIdentifier                `xml:"groupSet>item"`
	StateReason                      *xmlStateReason                     `xml:"stateReason,omitempty"`
	Architecture                     string                              `xml:"architecture"`
	RootDeviceType                   string                              `xml:"rootDeviceType"`
	RootDeviceName                   string                              `xml:"rootDeviceName"`
	BlockDeviceMappings              []xmlInstanceBlockDevice            `xml:"blockDeviceMapping>item"`
	VirtualizationType               string                              `xml:"virtualizationType"`
	Tags                             []xmlTag                            `xml:"tagSet>item"`
	Hypervisor                       string                              `xml:"hypervisor"`
	NetworkInterfaces                []xmlInstanceNetworkInterface       `xml:"networkInterfaceSet>item"`
	EbsOptimized                     bool                                `xml:"ebsOptimized"`
	EnaSupport                       bool                                `xml:"enaSupport"`
	CPUOptions                       xmlCPUOptions                       `xml:"cpuOptions"`
	CapacityReservationSpecification xmlCapacityReservationSpecification `xml:"capacityReservationSpecification"`
	HibernationOptions               xmlEnabledOption                    `xml:"hibernationOptions"`
	MetadataOptions                  xmlMetadataOptions                  `xml:"metadataOptions"`
	EnclaveOptions                   xmlEnabledOption                    `xml:"enclaveOptions"`
	PlatformDetails                  string                              `xml:"platformDetails"`
	UsageOperation                   string                              `xml:"usageOperation"`
	UsageOperationUpdateTime         string                              `xml:"usageOperationUpdateTime"`
	PrivateDNSNameOptions            xmlPrivateDNSNameOptions            `xml:"privateDnsNameOptions"`
	MaintenanceOptions               xmlMaintenanceOptions               `xml:"maintenanceOptions"`
	CurrentInstanceBootMode          string                              `xml:"currentInstanceBootMode"`
	NetworkPerformanceOptions        xmlNetworkPerformanceOptions        `xml:"networkPerformanceOptions"`
	Operator                         xmlOperator                         `xml:"operator"`
}

type xmlReservation struct {
	ReservationID string        `xml:"reservationId"`
	OwnerID       string        `xml:"ownerId"`
	Groups        xmlEmptySet   `xml:"groupSet"` // EC2-Classic groups: none in a VPC
	Instances     []xmlInstance `xml:"instancesSet>item"`
}

type describeInstancesResponse struct {
	Reservations []xmlReservation `xml:"reservationSet>item"`
	NextToken    string           `xml:"nextToken,omitempty"`
}
