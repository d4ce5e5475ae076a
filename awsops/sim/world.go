package sim

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ---- ids ----------------------------------------------------------------------------------

// idSource is a seeded random stream. The world keeps separate streams for generation, for
// ids minted by API calls and for spontaneous evolution, so that (for a given seed) the
// generated world does not depend on the calls made against it, and the evolution does not
// depend on how many ids the API calls happened to mint.
type idSource struct {
	r *rand.Rand
}

func newIDSource(seed int64, stream uint64) *idSource {
	return &idSource{r: rand.New(rand.NewPCG(uint64(seed), stream*0x9e3779b97f4a7c15+1))}
}

const hexDigits = "0123456789abcdef"

// hex17 returns prefix + "0" + 16 hex digits: the 17-hex-digit form of modern AWS ids
// (vpce-0a1b…). Built by hand because it runs ~10 times per generated connection.
func (s *idSource) hex17(prefix string) string {
	b := make([]byte, len(prefix)+17)
	copy(b, prefix)
	b[len(prefix)] = '0'
	putHex16(b[len(prefix)+1:], s.r.Uint64())
	return string(b)
}

// hex16 returns 16 hex digits (the suffix of load balancer and target group ARNs).
func (s *idSource) hex16() string {
	var b [16]byte
	putHex16(b[:], s.r.Uint64())
	return string(b[:])
}

func putHex16(b []byte, v uint64) {
	for i := 15; i >= 0; i-- {
		b[i] = hexDigits[v&0xf]
		v >>= 4
	}
}

const lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"

// lower returns n random lowercase letters and digits.
func (s *idSource) lower(n int) string {
	b := make([]byte, n)
	v := s.r.Uint64()
	for i := range b {
		if i%10 == 9 {
			v = s.r.Uint64()
		}
		b[i] = lowerAlnum[v%36]
		v /= 36
	}
	return string(b)
}

func (s *idSource) intn(n int) int {
	if n <= 0 {
		return 0
	}
	return s.r.IntN(n)
}
func (s *idSource) float() float64 { return s.r.Float64() }

// between returns a uniformly random duration in [lo, hi).
func (s *idSource) between(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(s.r.Int64N(int64(hi-lo)))
}

// exp returns an exponentially distributed duration with the given mean (at least 1 s):
// the gap between events of a Poisson process.
func (s *idSource) exp(mean time.Duration) time.Duration {
	d := time.Duration(s.r.ExpFloat64() * float64(mean))
	if d < time.Second {
		d = time.Second
	}
	return d
}

// Minting ids for API-created resources (caller holds the write lock: the stream advances).
func (w *World) newServiceID() string      { return w.ids.hex17("vpce-svc-") }
func (w *World) newNotificationID() string { return w.ids.hex17("vpce-nfn-") }
func (w *World) newPermissionID() string   { return w.ids.hex17("vpce-svc-perm-") }
func (w *World) newDNSToken() string       { return w.ids.lower(20) }

func (w *World) nextSeq() uint64 {
	w.seq++
	return w.seq
}

// ---- configuration and regions -------------------------------------------------------------

var defaultStart = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)

func (cfg WorldConfig) withDefaults() WorldConfig {
	if cfg.Services <= 0 {
		cfg.Services = 3
	}
	if cfg.Connections < 0 {
		cfg.Connections = 0
	} else if cfg.Connections == 0 {
		cfg.Connections = 40
	}
	if cfg.Consumers <= 0 {
		cfg.Consumers = min(max(cfg.Connections/100, 5), 250)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Start.IsZero() {
		cfg.Start = defaultStart
	}
	cfg.Start = cfg.Start.UTC()
	if cfg.PendingExpiry <= 0 {
		cfg.PendingExpiry = DefaultPendingExpiry
	}
	return cfg
}

// AZIDPrefix is the prefix of a region's AZ ids: us-east-1 → use1, eu-central-1 → euc1,
// ap-southeast-2 → apse2.
func AZIDPrefix(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) != 3 {
		return strings.ReplaceAll(region, "-", "")
	}
	dir := map[string]string{
		"east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
		"northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw",
	}[parts[1]]
	if dir == "" {
		dir = parts[1][:1]
	}
	return parts[0] + dir + parts[2]
}

// ZoneCount is how many AZs the simulated region has.
func ZoneCount(region string) int {
	switch region {
	case "us-east-1":
		return 6
	case "us-west-2":
		return 4
	}
	return 3
}

// azMapping is an account's view of a region's zones. Like real AWS, the name → id mapping
// is a per-account permutation; it is derived from a hash of (account, region) so it is the
// same in every world and needs no RNG.
func azMapping(accountID, region string) []AZ {
	n := ZoneCount(region)
	h := fnv.New64a()
	h.Write([]byte(accountID))
	h.Write([]byte{0})
	h.Write([]byte(region))
	r := rand.New(rand.NewPCG(h.Sum64(), 7))
	perm := r.Perm(n)
	prefix := AZIDPrefix(region)
	azs := make([]AZ, n)
	for i := range azs {
		azs[i] = AZ{
			Name:  region + string(rune('a'+i)),
			ID:    prefix + "-az" + strconv.Itoa(perm[i]+1),
			State: "available",
		}
	}
	return azs
}

// ---- accounts and zones --------------------------------------------------------------------

// AccountForAccessKey picks the calling account: an access key id containing the 12-digit id
// of an account of this world selects it; anything else is the provider.
func (w *World) AccountForAccessKey(akid string) *Account {
	for i := 0; i+12 <= len(akid); i++ {
		if a := w.Accounts[akid[i:i+12]]; a != nil {
			return a
		}
	}
	return w.Provider
}

// AccessKeyFor is an access key id that selects the account with this id
// ("AKIA111122223333SIMU" for the provider).
func AccessKeyFor(accountID string) string { return "AKIA" + accountID + "SIMU" }

// EndpointCount is the number of connections the provider sees (len(EndpointList)).
func (w *World) EndpointCount() int { return len(w.EndpointList) }

// Account returns the account with this id, or nil.
func (w *World) Account(id string) *Account { return w.Accounts[id] }

// AZsFor is the account's view of the world's region: names us-east-1a…, ids use1-az….
func (w *World) AZsFor(a *Account) []AZ {
	if a == nil {
		a = w.Provider
	}
	return a.AZs
}

// AZsForRegion is the account's view of any region's zones.
func (w *World) AZsForRegion(a *Account, region string) []AZ {
	if region == w.Region && a != nil && a.AZs != nil {
		return a.AZs
	}
	return azMapping(a.ID, region)
}

// AZID maps an AZ name to its id in the account's view ("" when unknown).
func (w *World) AZID(a *Account, name string) string {
	for _, z := range w.AZsFor(a) {
		if z.Name == name {
			return z.ID
		}
	}
	return ""
}

// AZName maps an AZ id to its name in the account's view ("" when unknown).
func (w *World) AZName(a *Account, id string) string {
	for _, z := range w.AZsFor(a) {
		if z.ID == id {
			return z.Name
		}
	}
	return ""
}

// ---- lookups -------------------------------------------------------------------------------

func (w *World) Service(id string) *Service             { return w.Services[id] }
func (w *World) ServiceByName(name string) *Service     { return w.servicesByName[name] }
func (w *World) Endpoint(id string) *Endpoint           { return w.Endpoints[id] }
func (w *World) LoadBalancer(arn string) *LoadBalancer  { return w.LoadBalancers[arn] }
func (w *World) TargetGroup(arn string) *TargetGroup    { return w.TargetGroups[arn] }
func (w *World) VPC(id string) *VPC                     { return w.VPCs[id] }
func (w *World) Subnet(id string) *Subnet               { return w.Subnets[id] }
func (w *World) SecurityGroup(id string) *SecurityGroup { return w.SecurityGroups[id] }
func (w *World) Notification(id string) *Notification   { return w.Notifications[id] }
func (w *World) Listener(arn string) *Listener          { return w.Listeners[arn] }
func (w *World) ServiceByClientToken(ownerID, token string) *Service {
	if token == "" {
		return nil
	}
	return w.serviceTokens[ownerID+"/"+token]
}

// EndpointByClientToken finds the endpoint an earlier CreateVpcEndpoint with this token made.
func (w *World) EndpointByClientToken(ownerID, token string) *Endpoint {
	if token == "" {
		return nil
	}
	return w.endpointTokens[ownerID+"/"+token]
}

// NotificationByClientToken finds the notification an earlier
// CreateVpcEndpointConnectionNotification with this token made (nil once it is deleted).
func (w *World) NotificationByClientToken(ownerID, token string) *Notification {
	if token == "" {
		return nil
	}
	for _, n := range w.Notifications {
		if n.OwnerID == ownerID && n.ClientToken == token {
			return n
		}
	}
	return nil
}

// LoadBalancerByName finds a load balancer by name ("" when none).
func (w *World) LoadBalancerByName(name string) *LoadBalancer {
	for _, lb := range w.LoadBalancerList {
		if lb.Name == name {
			return lb
		}
	}
	return nil
}

// SeekEndpoints returns the index of the first endpoint in list (ordered by Seq) whose Seq is
// ≥ seq: the start of the page a NextToken of strconv.FormatUint(seq) names.
func SeekEndpoints(list []*Endpoint, seq uint64) int {
	return sort.Search(len(list), func(i int) bool { return list[i].Seq >= seq })
}

// SeekServices returns the index of the first service in list (ordered by ID) whose ID is ≥ id.
func SeekServices(list []*Service, id string) int {
	return sort.Search(len(list), func(i int) bool { return list[i].ID >= id })
}

// ---- DNS TXT records ------------------------------------------------------------------------

func normDNS(name string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(name)), ".")
}

// PublishTXT adds a TXT record to the simulated world's DNS (idempotent). Values are stored
// without surrounding quotes.
func (w *World) PublishTXT(name, value string) {
	name = normDNS(name)
	value = strings.Trim(strings.TrimSpace(value), `"`)
	for _, v := range w.TXT[name] {
		if v == value {
			return
		}
	}
	w.TXT[name] = append(w.TXT[name], value)
}

// RemoveTXT removes one value of a TXT record, or the whole record when value is "".
func (w *World) RemoveTXT(name, value string) {
	name = normDNS(name)
	value = strings.Trim(strings.TrimSpace(value), `"`)
	if value == "" {
		delete(w.TXT, name)
		return
	}
	vals := w.TXT[name]
	out := vals[:0]
	for _, v := range vals {
		if v != value {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		delete(w.TXT, name)
	} else {
		w.TXT[name] = out
	}
}

// LookupTXT returns the values of a TXT record.
func (w *World) LookupTXT(name string) []string { return w.TXT[normDNS(name)] }

// TXTRecords returns a copy of every published TXT record (fqdn → values).
func (w *World) TXTRecords() map[string][]string {
	out := make(map[string][]string, len(w.TXT))
	for k, v := range w.TXT {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// txtVerifies says whether the world's DNS holds the record that proves svc's private DNS name.
func (w *World) txtVerifies(svc *Service) bool {
	if svc.PrivateDNSName == "" || svc.DNSToken == "" {
		return false
	}
	want := svc.TXTValue()
	for _, v := range w.LookupTXT(svc.TXTRecordName()) {
		if v == want {
			return true
		}
	}
	return false
}

// ---- entity helpers ------------------------------------------------------------------------

// TXTName is the record name relative to the private DNS name: "_<token>".
func (s *Service) TXTName() string { return "_" + s.DNSToken }

// TXTValue is the record value: "vpce:<token>".
func (s *Service) TXTValue() string { return "vpce:" + s.DNSToken }

// TXTRecordName is the fully qualified record to publish: "_<token>.<private DNS name>".
// A wildcard name (*.example.com) is verified on its parent domain.
func (s *Service) TXTRecordName() string {
	return s.TXTName() + "." + strings.TrimPrefix(s.PrivateDNSName, "*.")
}

// NameTag returns the service's Name tag ("" when none).
func (s *Service) NameTag() string { return tagValue(s.Tags, "Name") }

// AcceptsNewConnections says whether a consumer's new request can reach the service: it must
// be Available, and a private DNS name, when it has one, must be verified.
func (s *Service) AcceptsNewConnections() bool {
	if s.State != ServiceAvailable {
		return false
	}
	return s.PrivateDNSName == "" || s.PrivateDNSState == DNSVerified
}

// AllowsAccount says whether the service's allowed principals let accountID connect
// ("*", the account root or any IAM principal of that account).
func (s *Service) AllowsAccount(accountID string) bool {
	for _, p := range s.Principals {
		if p.ARN == "*" || strings.Contains(p.ARN, ":"+accountID+":") || p.ARN == accountID {
			return true
		}
	}
	return false
}

// Principal returns the allowed principal with this ARN, or nil.
func (s *Service) Principal(arn string) *Principal {
	for _, p := range s.Principals {
		if p.ARN == arn {
			return p
		}
	}
	return nil
}

// PrincipalType classifies a principal ARN the way DescribeVpcEndpointServicePermissions does.
func PrincipalType(arn string) string {
	switch {
	case arn == "*":
		return "All"
	case strings.HasSuffix(arn, ":root"):
		return "Account"
	case strings.Contains(arn, ":role/"):
		return "Role"
	case strings.Contains(arn, ":user/"):
		return "User"
	case strings.Contains(arn, ":organizations:") || strings.Contains(arn, ":ou/"):
		return "OrganizationUnit"
	case strings.HasSuffix(arn, ".amazonaws.com"):
		return "Service"
	}
	return "Account"
}

// NameTag returns the endpoint's Name tag ("" when none).
func (e *Endpoint) NameTag() string { return tagValue(e.Tags, "Name") }

// Active reports whether the endpoint counts against quotas and can carry traffic soon:
// pendingAcceptance, pending or available.
func (e *Endpoint) Active() bool {
	switch e.State {
	case EndpointPendingAcceptance, EndpointPending, EndpointAvailable:
		return true
	}
	return false
}

// AvailableInterval is the span during which the endpoint was available and carried
// traffic: [from, to). to is zero while it still is; from is zero when it never was.
func (e *Endpoint) AvailableInterval() (from, to time.Time) {
	h := e.History
	if h.AvailableAt.IsZero() {
		return time.Time{}, time.Time{}
	}
	from = h.AvailableAt
	for _, t := range []time.Time{h.RejectedAt, h.DeletingAt, h.FailedAt} {
		if !t.IsZero() && !t.Before(from) && (to.IsZero() || t.Before(to)) {
			to = t
		}
	}
	return from, to
}

// AvailableAt reports whether the endpoint was available (carrying traffic) at t.
func (e *Endpoint) AvailableAt(t time.Time) bool {
	from, to := e.AvailableInterval()
	if from.IsZero() || t.Before(from) {
		return false
	}
	return to.IsZero() || t.Before(to)
}

// StateAt reconstructs the endpoint's state at t from its history ("" before it existed).
func (e *Endpoint) StateAt(t time.Time) string {
	h := e.History
	if t.Before(h.RequestedAt) {
		return ""
	}
	type step struct {
		at    time.Time
		state string
	}
	steps := [...]step{
		{h.RequestedAt, EndpointPendingAcceptance},
		{h.AcceptedAt, EndpointPending},
		{h.AvailableAt, EndpointAvailable},
		{h.RejectedAt, EndpointRejected},
		{h.ExpiredAt, EndpointExpired},
		{h.FailedAt, EndpointFailed},
		{h.DeletingAt, EndpointDeleting},
		{h.DeletedAt, EndpointDeleted},
	}
	state, best := "", time.Time{}
	for _, s := range steps {
		// Later steps win ties: an auto-accepted endpoint is requested and accepted at
		// the same instant.
		if s.at.IsZero() || s.at.After(t) || (state != "" && s.at.Before(best)) {
			continue
		}
		state, best = s.state, s.at
	}
	return state
}

// DNSEntries are the endpoint's DNS names: the regional name, one per zone, and the
// service's private DNS name when enabled and verified. The names live under the service's
// Region (a cross-Region endpoint's too), and a zonal name carries the zone name of the
// endpoint's owner (its own subnet's zone): AWS publishes one name per interface, and the
// provider reads the same string, whose zone name means another physical zone in its own
// account unless the mappings happen to agree.
func (e *Endpoint) DNSEntries() []DNSEntry {
	if e.Service == nil {
		return nil
	}
	base := e.ID + "-" + e.DNSToken
	suffix := "." + e.ServiceID + "." + e.serviceRegion() + ".vpce.amazonaws.com"
	out := make([]DNSEntry, 0, 2+len(e.ENIs))
	out = append(out, DNSEntry{DNSName: base + suffix, HostedZoneID: VpceHostedZoneID})
	for _, n := range e.ENIs {
		out = append(out, DNSEntry{DNSName: base + "-" + n.AZ + suffix, HostedZoneID: VpceHostedZoneID})
	}
	if e.PrivateDNSEnabled && e.Service.PrivateDNSName != "" && e.Service.PrivateDNSState == DNSVerified {
		out = append(out, DNSEntry{DNSName: e.Service.PrivateDNSName, HostedZoneID: "Z" + strings.ToUpper(e.DNSToken) + "PRIVATE"})
	}
	return out
}

// serviceRegion is the Region of the service the endpoint connects to, from its service name
// (com.amazonaws.vpce.<region>.<id>).
func (e *Endpoint) serviceRegion() string {
	if rest, ok := strings.CutPrefix(e.ServiceName, "com.amazonaws.vpce."); ok {
		if r, _, ok := strings.Cut(rest, "."); ok {
			return r
		}
	}
	return e.Region
}

// NetworkInterfaceIDs lists the ids of the endpoint's ENIs.
func (e *Endpoint) NetworkInterfaceIDs() []string {
	out := make([]string, len(e.ENIs))
	for i, n := range e.ENIs {
		out[i] = n.ID
	}
	return out
}

// StateAt returns the target's health (state, reason) at t from its history.
func (t *Target) StateAt(at time.Time) (state, reason string) {
	h := t.History
	i := sort.Search(len(h), func(i int) bool { return h[i].At.After(at) })
	if i == 0 {
		return "", ""
	}
	return h[i-1].State, h[i-1].Reason
}

// Description is ELB's text for the target's current reason code.
func (t *Target) Description() string { return ReasonDescriptions[t.Reason] }

// setHealth changes the target's health and records the transition.
func (t *Target) setHealth(at time.Time, state, reason string) {
	if t.State == state && t.Reason == reason {
		return
	}
	t.State, t.Reason = state, reason
	t.History = append(t.History, HealthTransition{At: at, State: state, Reason: reason})
}

// Zone returns the load balancer's zone with this AZ name, or nil.
func (lb *LoadBalancer) Zone(az string) *LBZone {
	for i := range lb.Zones {
		if lb.Zones[i].AZ == az {
			return &lb.Zones[i]
		}
	}
	return nil
}

// EnforceSGOnPrivateLinkValue is the wire value of
// EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic ("" when the LB has no security groups).
func (lb *LoadBalancer) EnforceSGOnPrivateLinkValue() string {
	if len(lb.SecurityGroups) == 0 {
		return ""
	}
	if lb.EnforceSGOnPrivateLink {
		return "on"
	}
	return "off"
}

// Attributes are the load balancer's attributes as DescribeLoadBalancerAttributes lists them.
func (lb *LoadBalancer) Attributes() []KV {
	b := strconv.FormatBool
	switch lb.Type {
	case LBTypeApplication:
		return []KV{
			{"access_logs.s3.enabled", "false"}, {"access_logs.s3.bucket", ""}, {"access_logs.s3.prefix", ""},
			{"deletion_protection.enabled", b(lb.DeletionProtect)},
			{"idle_timeout.timeout_seconds", "60"}, {"routing.http2.enabled", "true"},
			{"load_balancing.cross_zone.enabled", "true"},
		}
	}
	return []KV{
		{"access_logs.s3.enabled", "false"}, {"access_logs.s3.bucket", ""}, {"access_logs.s3.prefix", ""},
		{"deletion_protection.enabled", b(lb.DeletionProtect)},
		{"load_balancing.cross_zone.enabled", b(lb.CrossZone)},
		{"ipv6.deny_all_igw_traffic", "false"},
		{"dns_record.client_routing_policy", "any_availability_zone"},
		{"zonal_shift.config.enabled", "false"},
	}
}

// Attributes are the target group's attributes as DescribeTargetGroupAttributes lists them.
func (tg *TargetGroup) Attributes() []KV {
	b := strconv.FormatBool
	return []KV{
		{"deregistration_delay.timeout_seconds", strconv.Itoa(int(tg.DeregistrationDelay))},
		{"deregistration_delay.connection_termination.enabled", "false"},
		{"stickiness.enabled", "false"},
		{"stickiness.type", "source_ip"},
		{"proxy_protocol_v2.enabled", b(tg.ProxyProtocolV2)},
		{"preserve_client_ip.enabled", b(tg.PreserveClientIP)},
		{"load_balancing.cross_zone.enabled", tg.CrossZone},
		{"target_health_state.unhealthy.connection_termination.enabled", "true"},
		{"target_health_state.unhealthy.draining_interval_seconds", "0"},
		{"target_failover.on_deregistration", "no_rebalance"},
		{"target_failover.on_unhealthy", "no_rebalance"},
	}
}

// CrossZoneEffective resolves the target group's cross-zone setting against its load balancer.
func (tg *TargetGroup) CrossZoneEffective(lb *LoadBalancer) bool {
	switch tg.CrossZone {
	case "true":
		return true
	case "false":
		return false
	}
	return lb != nil && lb.CrossZone
}

func tagValue(tags []Tag, key string) string {
	for _, t := range tags {
		if t.Key == key {
			return t.Value
		}
	}
	return ""
}

// ---- index maintenance ---------------------------------------------------------------------

// insertService adds svc to the indexes, keeping ServiceList ordered by ID.
func (w *World) insertService(svc *Service) {
	if svc.Seq == 0 {
		svc.Seq = w.nextSeq()
	}
	w.Services[svc.ID] = svc
	w.servicesByName[svc.Name] = svc
	if svc.ClientToken != "" {
		w.serviceTokens[svc.OwnerID+"/"+svc.ClientToken] = svc
	}
	i := SeekServices(w.ServiceList, svc.ID)
	w.ServiceList = append(w.ServiceList, nil)
	copy(w.ServiceList[i+1:], w.ServiceList[i:])
	w.ServiceList[i] = svc
}

// insertEndpoint gives ep the next Seq and appends it to every index (Seq order is
// preserved by appending).
func (w *World) insertEndpoint(ep *Endpoint) {
	ep.Seq = w.nextSeq()
	w.Endpoints[ep.ID] = ep
	w.EndpointList = append(w.EndpointList, ep)
	ep.Service.Endpoints = append(ep.Service.Endpoints, ep)
	if ep.Owner != nil {
		ep.Owner.Endpoints = append(ep.Owner.Endpoints, ep)
	}
	if ep.ClientToken != "" {
		w.endpointTokens[ep.OwnerID+"/"+ep.ClientToken] = ep
	}
}

// recomputeServiceZones sets the service's AZs (names and ids, provider's view) to the union
// of its load balancers' zones.
func (w *World) recomputeServiceZones(svc *Service) {
	seen := map[string]string{}
	for _, arn := range svc.LoadBalancerARNs() {
		if lb := w.LoadBalancers[arn]; lb != nil {
			for _, z := range lb.Zones {
				seen[z.AZ] = z.AZID
			}
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	ids := make([]string, len(names))
	for i, n := range names {
		ids[i] = seen[n]
	}
	svc.AZs, svc.AZIDs = names, ids
}

// LoadBalancerARNs is a new slice of the service's load balancers: NLBs, then GWLBs.
func (s *Service) LoadBalancerARNs() []string {
	return append(slices.Clone(s.NLBARNs), s.GWLBARNs...)
}

// SupportsAZID says whether the service is present in the zone with this id.
func (s *Service) SupportsAZID(id string) bool {
	for _, z := range s.AZIDs {
		if z == id {
			return true
		}
	}
	return false
}
