package sim

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// NewWorld generates a world from cfg. The same config (seed included) always yields the same
// world: every random choice comes from streams seeded by cfg.Seed, and nothing iterates a
// map while generating.
//
// The first three services are the demo scenario, present at every size, each showing
// classic PrivateLink failures:
//
//	payments-api    acceptance required, a burst of ≥8 pendingAcceptance requests, verified
//	                private DNS, cross-region consumers, flapping targets, a target in a zone
//	                the NLB does not use (unused / Target.NotInUse), a connection notification
//	ledger-ingest   private DNS name still pendingVerification (no TXT record published), an
//	                AZ whose targets are all unhealthy with cross-zone load balancing off
//	search-gateway  allowed principal "*" with acceptance not required, NLB enforcing its
//	                security groups on PrivateLink traffic, and a consumer whose surge of
//	                long-lived connections (since 40 minutes before the start) drives its
//	                targets to the NLB's source-port limit (PortAllocationErrorCount)
//
// and, in payments-api, the busiest long-standing consumer went silent 25 minutes before
// the start while its connection stayed available.
//
// Further services are drawn at random with the same traits at realistic rates.
func NewWorld(cfg WorldConfig) *World {
	cfg = cfg.withDefaults()
	w := &World{
		Config:         cfg,
		Region:         cfg.Region,
		AZPrefix:       AZIDPrefix(cfg.Region),
		Now:            cfg.Start,
		Accounts:       map[string]*Account{},
		VPCs:           map[string]*VPC{},
		Subnets:        map[string]*Subnet{},
		SecurityGroups: map[string]*SecurityGroup{},
		LoadBalancers:  map[string]*LoadBalancer{},
		TargetGroups:   map[string]*TargetGroup{},
		Listeners:      map[string]*Listener{},
		Services:       map[string]*Service{},
		Endpoints:      make(map[string]*Endpoint, cfg.Connections),
		Notifications:  map[string]*Notification{},
		TXT:            map[string][]string{},
		serviceTokens:  map[string]*Service{},
		endpointTokens: map[string]*Endpoint{},
		servicesByName: map[string]*Service{},
		ids:            newIDSource(cfg.Seed, 2),
		evolveR:        newIDSource(cfg.Seed, 3),
	}
	g := &generator{w: w, r: newIDSource(cfg.Seed, 1), start: cfg.Start}
	g.accounts()
	g.providerNetwork()
	plans := g.planServices()
	for i := range plans {
		g.service(&plans[i])
	}
	g.spareLoadBalancers()
	g.connections(plans)
	g.scenarioTraffic(plans)
	return w
}

// scenarioTraffic gives the demo scenario's traffic its two incidents. It draws nothing from
// the generator's randomness, so every id and every other choice stays what the seed made.
func (g *generator) scenarioTraffic(plans []servicePlan) {
	minute := func(t time.Time) int64 { return t.Unix() / 60 }
	settled := func(ep *Endpoint) bool {
		from, to := ep.AvailableInterval()
		return ep.State == EndpointAvailable && ep.Region == g.w.Region && !from.IsZero() && to.IsZero() &&
			from.Before(g.start.Add(-24*time.Hour))
	}
	if len(plans) > 2 && plans[2].svc != nil {
		if tg := plans[2].tg; tg != nil {
			for _, ep := range plans[2].svc.Endpoints {
				if settled(ep) {
					ep.Traffic.SurgeFrom = minute(g.start.Add(-40 * time.Minute))
					ep.Traffic.SurgeActive = PortLimit * float64(len(tg.Targets)) * 1.02
					break
				}
			}
		}
	}
	if len(plans) > 0 && plans[0].svc != nil {
		var busiest *Endpoint
		for _, ep := range plans[0].svc.Endpoints {
			if settled(ep) && (busiest == nil || ep.Traffic.BytesPerSec > busiest.Traffic.BytesPerSec) {
				busiest = ep
			}
		}
		if busiest != nil {
			busiest.Traffic.SilentFrom = minute(g.start.Add(-25 * time.Minute))
		}
	}
}

type generator struct {
	w     *World
	r     *idSource
	start time.Time
	provV *VPC // the provider's load balancer VPC
}

// ---- accounts and networks --------------------------------------------------------------------

var (
	companyNames = []string{"acme", "globex", "initech", "umbrella", "hooli", "vandelay", "wonka", "tyrell",
		"cyberdyne", "soylent", "aperture", "oscorp", "gringotts", "monarch", "dunder", "prestige",
		"stark", "wayne", "massive", "piedpiper"}
	envNames = []string{"prod", "staging", "analytics", "dev", "data", "edge", "ml", "shared"}
)

func (g *generator) accounts() {
	w := g.w
	w.Provider = g.account(ProviderAccountID, ProviderAccountName, true)
	for i := 0; i < w.Config.Consumers; i++ {
		name := companyNames[i%len(companyNames)] + "-" + envNames[(i/len(companyNames))%len(envNames)]
		if k := i / (len(companyNames) * len(envNames)); k > 0 {
			name += "-" + strconv.Itoa(k+1)
		}
		var id string
		for id == "" || w.Accounts[id] != nil {
			id = strconv.FormatInt(100000000000+g.r.r.Int64N(899999999999), 10)
		}
		a := g.account(id, name, false)
		g.newVPC(a, w.Region, name+"-app")
	}
}

func (g *generator) account(id, name string, provider bool) *Account {
	user := name + "-sre"
	if provider {
		user = "plconsole-sre"
	}
	a := &Account{
		ID:           id,
		Name:         name,
		Provider:     provider,
		CallerARN:    "arn:aws:iam::" + id + ":user/" + user,
		CallerUserID: "AIDA" + strings.ToUpper(g.r.lower(17)),
		AZs:          azMapping(id, g.w.Region),
	}
	g.w.Accounts[id] = a
	g.w.AccountList = append(g.w.AccountList, a)
	return a
}

// newVPC creates a VPC with a /20 subnet per zone (four zones for consumers, every zone for
// the provider) and two security groups.
func (g *generator) newVPC(owner *Account, region, name string) *VPC {
	w := g.w
	n := len(owner.VPCs)
	v := &VPC{
		ID:      g.r.hex17("vpc-"),
		OwnerID: owner.ID,
		Region:  region,
		CIDR:    "10." + strconv.Itoa(n%250) + ".0.0/16",
		Name:    name,
		State:   "available",
	}
	if n >= 250 {
		v.CIDR = "172." + strconv.Itoa(16+n%16) + ".0.0/16"
	}
	base, _, _ := parseCIDR(v.CIDR)
	zones := w.AZsForRegion(owner, region)
	if !owner.Provider && len(zones) > 4 {
		zones = zones[:4]
	}
	for i, z := range zones {
		g.addSubnet(v, z, base+uint32(i)*4096, name+"-private-"+z.Name[len(z.Name)-1:])
	}
	for _, sgName := range []string{"default", name + "-endpoints"} {
		sg := &SecurityGroup{ID: g.r.hex17("sg-"), Name: sgName, VpcID: v.ID, OwnerID: owner.ID,
			Description: "default VPC security group", Egress: []SecurityGroupRule{allOutbound}}
		if sgName == "default" {
			// A VPC's default group: members talk to each other, everything may leave.
			sg.Ingress = []SecurityGroupRule{{Protocol: "-1", GroupIDs: []string{sg.ID}}}
		} else {
			sg.Description = "Interface endpoints of " + name
			sg.Ingress = []SecurityGroupRule{httpsFrom(v.CIDR, "HTTPS to the endpoints from the VPC")}
		}
		v.SecurityGroups = append(v.SecurityGroups, sg)
		w.SecurityGroups[sg.ID] = sg
	}
	owner.VPCs = append(owner.VPCs, v)
	w.VPCs[v.ID] = v
	return v
}

// allOutbound is the outbound rule every new security group starts with.
var allOutbound = SecurityGroupRule{Protocol: "-1", CIDRs: []string{"0.0.0.0/0"}}

func httpsFrom(cidr, why string) SecurityGroupRule {
	return SecurityGroupRule{Protocol: "tcp", FromPort: 443, ToPort: 443, CIDRs: []string{cidr}, Description: why}
}

func (g *generator) addSubnet(v *VPC, z AZ, base uint32, name string) *Subnet {
	sn := &Subnet{
		ID:           g.r.hex17("subnet-"),
		VpcID:        v.ID,
		OwnerID:      v.OwnerID,
		CIDR:         formatIPv4(base) + "/20",
		AZ:           z.Name,
		AZID:         z.ID,
		Name:         name,
		AvailableIPs: 4091,
		State:        "available",
		base:         base,
		size:         4096,
	}
	v.Subnets = append(v.Subnets, sn)
	g.w.Subnets[sn.ID] = sn
	return sn
}

// consumerVPC returns a VPC of owner in region with room for another endpoint (40 of the
// 50 allowed, leaving headroom for API-created ones), creating one when needed.
func (g *generator) consumerVPC(owner *Account, region string) *VPC {
	for i := len(owner.VPCs) - 1; i >= 0; i-- {
		if v := owner.VPCs[i]; v.Region == region && v.assigned < 40 {
			return v
		}
	}
	suffix := "-app-" + strconv.Itoa(len(owner.VPCs)+1)
	if region != g.w.Region {
		suffix = "-" + region
	}
	return g.newVPC(owner, region, owner.Name+suffix)
}

func (g *generator) providerNetwork() {
	g.provV = g.newVPC(g.w.Provider, g.w.Region, "provider-nlb")
	sg := &SecurityGroup{ID: g.r.hex17("sg-"), Name: "nlb-privatelink", VpcID: g.provV.ID,
		OwnerID: ProviderAccountID, Description: "NLB front door for PrivateLink consumers",
		Ingress: []SecurityGroupRule{httpsFrom(g.provV.CIDR, "PrivateLink traffic reaches the NLB from its own VPC addresses")},
		Egress:  []SecurityGroupRule{allOutbound}}
	g.provV.SecurityGroups = append(g.provV.SecurityGroups, sg)
	g.w.SecurityGroups[sg.ID] = sg
}

func (g *generator) provSubnet(az string) *Subnet {
	for _, sn := range g.provV.Subnets {
		if sn.AZ == az {
			return sn
		}
	}
	return g.provV.Subnets[0]
}

// ---- services -----------------------------------------------------------------------------------

// servicePlan is what generation decides about a service before building it.
type servicePlan struct {
	label       string
	acceptance  bool
	star        bool
	dnsName     string
	dnsState    string
	enforceSG   bool
	withSG      bool
	crossZone   bool
	deadAZ      int // index into the NLB's zones whose targets are all unhealthy; -1 none
	unusedZone  bool
	zoneStart   int
	zones       int
	perZone     int
	flap        time.Duration
	arrival     time.Duration
	churn       time.Duration
	crossRegion []string
	notify      bool
	conns       int
	burst       int
	httpCheck   bool
	port        int32
	ipTargets   bool

	svc *Service
	tg  *TargetGroup
}

var (
	svcPrefixes = []string{"orders", "inventory", "billing", "identity", "catalog", "shipping", "pricing",
		"fraud", "risk", "notify", "reporting", "audit", "metrics", "events", "session", "quotes",
		"claims", "loyalty", "tax", "kyc", "wallet", "profile", "ledger", "search", "payments"}
	svcSuffixes = []string{"api", "ingest", "gateway", "sync", "stream", "grpc", "export", "cache", "proxy", "feed"}
	svcPorts    = []int32{443, 8443, 5432, 9092, 6379, 8080}
	teams       = []string{"payments", "platform", "data", "core", "growth", "risk"}
)

func (g *generator) planServices() []servicePlan {
	cfg := g.w.Config
	plans := make([]servicePlan, cfg.Services)
	used := map[string]bool{}
	for i := range plans {
		p := &plans[i]
		p.deadAZ = -1
		p.zones, p.perZone = 2+g.r.intn(2), 1+g.r.intn(3)
		p.zoneStart = g.r.intn(ZoneCount(cfg.Region))
		p.port = svcPorts[g.r.intn(len(svcPorts))]
		p.httpCheck = g.r.float() < 0.4
		p.ipTargets = g.r.float() < 0.3
		p.withSG = g.r.float() < 0.6
		p.crossZone = g.r.float() < 0.3
		switch i {
		case 0:
			p.label, p.acceptance = "payments-api", true
			p.dnsName, p.dnsState = "api.payments.example.com", DNSVerified
			p.zoneStart, p.zones, p.perZone, p.unusedZone = 0, 3, 2, true
			p.flap, p.arrival, p.churn = 20*time.Minute, 3*time.Minute, 20*time.Minute
			p.crossRegion, p.notify, p.burst, p.port = []string{"us-west-2"}, true, 8, 443
		case 1:
			p.label, p.acceptance = "ledger-ingest", true
			p.dnsName, p.dnsState = "ingest.ledger.example.net", DNSPendingVerification
			p.zoneStart, p.zones, p.perZone, p.deadAZ, p.crossZone = 0, 3, 2, 1, false
			p.arrival, p.churn, p.port = 8*time.Minute, 45*time.Minute, 9092
		case 2:
			p.label, p.acceptance, p.star = "search-gateway", false, true
			p.withSG, p.enforceSG = true, true
			p.zoneStart, p.zones, p.perZone = 1, 2, 2
			p.arrival, p.churn, p.port = 5*time.Minute, 25*time.Minute, 443
		default:
			k := i - 3
			p.label = svcPrefixes[k%len(svcPrefixes)] + "-" + svcSuffixes[(k/len(svcPrefixes))%len(svcSuffixes)]
			if n := k / (len(svcPrefixes) * len(svcSuffixes)); n > 0 {
				p.label += "-" + strconv.Itoa(n+1)
			}
			p.acceptance = g.r.float() < 0.85
			p.star = g.r.float() < 0.03
			if g.r.float() < 0.4 {
				p.dnsName = strings.Replace(p.label, "-", ".", 1) + ".example.com"
				switch x := g.r.float(); {
				case x < 0.9:
					p.dnsState = DNSVerified
				case x < 0.95:
					p.dnsState = DNSPendingVerification
				default:
					p.dnsState = DNSFailed
				}
			}
			p.enforceSG = p.withSG && g.r.float() < 0.15
			if g.r.float() < 0.02 {
				p.deadAZ = g.r.intn(p.zones)
			}
			if g.r.float() < 0.1 {
				p.flap = g.r.between(30*time.Minute, 3*time.Hour)
			}
			p.arrival = g.r.between(20*time.Minute, 4*time.Hour)
			p.churn = 3 * p.arrival
			if g.r.float() < 0.1 {
				p.crossRegion = []string{[]string{"us-west-2", "eu-west-1"}[g.r.intn(2)]}
			}
			p.notify = g.r.float() < 0.2
		}
		for used[p.label] {
			p.label += "-x"
		}
		used[p.label] = true
		if p.zones > ZoneCount(cfg.Region) {
			p.zones = ZoneCount(cfg.Region)
		}
	}
	// Connections per service follow a Zipf-like law (a few big services, a long tail),
	// with the scenario's payments-api first and largest.
	total := cfg.Connections
	weights := make([]float64, len(plans))
	var sum float64
	for i := range plans {
		weights[i] = math.Pow(float64(i+1), -0.8)
		sum += weights[i]
	}
	assigned := 0
	for i := range plans {
		plans[i].conns = int(float64(total) * weights[i] / sum)
		assigned += plans[i].conns
	}
	for i := 0; assigned < total; i = (i + 1) % len(plans) {
		plans[i].conns++
		assigned++
	}
	if plans[0].burst > plans[0].conns {
		plans[0].burst = plans[0].conns
	}
	return plans
}

func (g *generator) service(p *servicePlan) {
	w, r := g.w, g.r
	created := g.start.Add(-r.between(200*24*time.Hour, 700*24*time.Hour))
	provAZs := w.Provider.AZs
	zones := make([]AZ, p.zones)
	for i := range zones {
		zones[i] = provAZs[(p.zoneStart+i)%len(provAZs)]
	}
	slices.SortFunc(zones, func(a, b AZ) int { return cmp.Compare(a.Name, b.Name) })
	lb := g.loadBalancer(p.label+"-nlb", LBTypeNetwork, zones, created.Add(-r.between(time.Hour, 30*24*time.Hour)))
	lb.CrossZone = p.crossZone
	if p.withSG {
		lb.SecurityGroups = []string{g.provV.SecurityGroups[2].ID}
		lb.EnforceSGOnPrivateLink = p.enforceSG
	}
	tg := g.targetGroup(p, lb, zones)
	p.tg = tg

	in := ServiceInput{
		Owner:              w.Provider,
		NLBARNs:            []string{lb.ARN},
		AcceptanceRequired: p.acceptance,
		SupportedRegions:   p.crossRegion,
		Tags: []Tag{{"Name", p.label}, {"team", teams[r.intn(len(teams))]},
			{"environment", "production"}},
	}
	svc := w.newService(r.hex17("vpce-svc-"), in, created)
	svc.State, svc.AvailableAt = ServiceAvailable, created.Add(ServiceCreateDelay)
	svc.ArrivalMean, svc.ChurnMean = p.arrival, p.churn
	if p.dnsName != "" {
		svc.PrivateDNSName, svc.PrivateDNSState, svc.DNSToken = p.dnsName, p.dnsState, r.lower(20)
		if p.dnsState == DNSVerified {
			w.PublishTXT(svc.TXTRecordName(), svc.TXTValue())
		}
		if p.dnsState == DNSFailed {
			w.PublishTXT(svc.TXTRecordName(), "vpce:"+r.lower(20)) // a stale token: the classic typo
		}
	}
	p.svc = svc
	w.insertService(svc)

	// Allowed principals: "*" or a set of consumer accounts sized to the service.
	consumers := w.AccountList[1:]
	if p.star {
		svc.Principals = append(svc.Principals, &Principal{ARN: "*", Type: "All", ID: r.hex17("vpce-svc-perm-")})
	} else if len(consumers) > 0 {
		k := min(len(consumers), max(2, p.conns/15+2))
		start := r.intn(len(consumers))
		for i := range k {
			a := consumers[(start+i*7)%len(consumers)]
			if svc.AllowsAccount(a.ID) {
				continue
			}
			arn := "arn:aws:iam::" + a.ID + ":root"
			svc.Principals = append(svc.Principals, &Principal{ARN: arn, Type: "Account", ID: r.hex17("vpce-svc-perm-")})
		}
		if p.label == "payments-api" {
			a := consumers[(start+k)%len(consumers)]
			arn := "arn:aws:iam::" + a.ID + ":role/privatelink-consumer"
			svc.Principals = append(svc.Principals, &Principal{ARN: arn, Type: "Role", ID: r.hex17("vpce-svc-perm-")})
		}
	}
	if p.notify {
		n := &Notification{
			ID:        r.hex17("vpce-nfn-"),
			OwnerID:   ProviderAccountID,
			ServiceID: svc.ID,
			TopicARN:  "arn:aws:sns:" + w.Region + ":" + ProviderAccountID + ":" + p.label + "-connections",
			Events:    []string{"Accept", "Connect", "Delete", "Reject"},
			State:     "Enabled",
			Type:      "Topic",
		}
		w.Notifications[n.ID] = n
		svc.Notifications = append(svc.Notifications, n)
	}
	if !w.Config.Static {
		if p.arrival > 0 {
			w.at(g.start.Add(w.evolveR.exp(p.arrival)), event{kind: evArrival, svc: svc})
		}
		if p.churn > 0 {
			w.at(g.start.Add(w.evolveR.exp(p.churn)), event{kind: evChurn, svc: svc})
		}
		if p.flap > 0 {
			tg.FlapMean = p.flap
			w.simulatePastFlaps(r, tg, g.start.Add(-HealthHistoryWindow), g.start)
			w.at(g.start.Add(w.evolveR.exp(p.flap)), event{kind: evFlap, tg: tg})
		}
	}
	if p.deadAZ >= 0 && p.deadAZ < len(zones) {
		dead := g.start.Add(-95 * time.Minute)
		for _, t := range tg.Targets {
			if t.AZ == zones[p.deadAZ].Name {
				t.setHealth(dead, TargetUnhealthy, ReasonTimeout)
			}
		}
	}
}

func lbTypeCode(t string) string {
	switch t {
	case LBTypeGateway:
		return "gwy"
	case LBTypeApplication:
		return "app"
	}
	return "net"
}

func (g *generator) loadBalancer(name, typ string, zones []AZ, created time.Time) *LoadBalancer {
	w := g.w
	if len(name) > 32 {
		name = strings.TrimRight(name[:32], "-")
	}
	hex := g.r.hex16()
	lb := &LoadBalancer{
		ARN:           "arn:aws:elasticloadbalancing:" + w.Region + ":" + ProviderAccountID + ":loadbalancer/" + lbTypeCode(typ) + "/" + name + "/" + hex,
		Name:          name,
		Type:          typ,
		Scheme:        "internal",
		State:         LBActive,
		DNSName:       name + "-" + hex + ".elb." + w.Region + ".amazonaws.com",
		HostedZoneID:  NLBHostedZoneID,
		VpcID:         g.provV.ID,
		OwnerID:       ProviderAccountID,
		IPAddressType: "ipv4",
		CreatedAt:     created,
		Tags:          []Tag{{"Name", name}},
	}
	if typ == LBTypeGateway {
		lb.Scheme, lb.DNSName, lb.HostedZoneID = "", "", ""
	}
	if typ == LBTypeApplication {
		lb.DNSName = "internal-" + lb.DNSName
	}
	for _, z := range zones {
		lb.Zones = append(lb.Zones, LBZone{AZ: z.Name, AZID: z.ID, SubnetID: g.provSubnet(z.Name).ID})
	}
	w.LoadBalancers[lb.ARN] = lb
	w.LoadBalancerList = append(w.LoadBalancerList, lb)
	return lb
}

func (g *generator) targetGroup(p *servicePlan, lb *LoadBalancer, zones []AZ) *TargetGroup {
	w, r := g.w, g.r
	name := p.label + "-tg"
	if len(name) > 32 {
		name = strings.TrimRight(name[:32], "-")
	}
	proto := "TCP"
	if lb.Type == LBTypeGateway {
		proto = "GENEVE"
	}
	tg := &TargetGroup{
		ARN:        "arn:aws:elasticloadbalancing:" + w.Region + ":" + ProviderAccountID + ":targetgroup/" + name + "/" + r.hex16(),
		Name:       name,
		Protocol:   proto,
		Port:       p.port,
		TargetType: "instance",
		VpcID:      lb.VpcID,
		OwnerID:    ProviderAccountID,
		HealthCheck: HealthCheck{Enabled: true, Protocol: "TCP", Port: "traffic-port", IntervalSeconds: 30,
			TimeoutSeconds: 10, HealthyThreshold: 3, UnhealthyThreshold: 3},
		CrossZone:           "use_load_balancer_configuration",
		DeregistrationDelay: 300,
		PreserveClientIP:    true,
		LoadBalancerARNs:    []string{lb.ARN},
	}
	if p.deadAZ >= 0 {
		tg.CrossZone = "false"
	}
	if p.httpCheck {
		tg.HealthCheck.Protocol, tg.HealthCheck.Path, tg.HealthCheck.Matcher = "HTTP", "/healthz", "200-399"
		tg.HealthCheck.TimeoutSeconds = 6
	}
	if p.ipTargets {
		tg.TargetType, tg.PreserveClientIP = "ip", false
	}
	addTarget := func(z AZ) *Target {
		t := &Target{Port: p.port, AZ: z.Name, AZID: z.ID}
		if tg.TargetType == "ip" {
			t.ID = g.provSubnet(z.Name).allocIP()
		} else {
			t.ID = r.hex17("i-")
		}
		t.RegisteredAt = g.start.Add(-r.between(20*24*time.Hour, 400*24*time.Hour))
		t.History = []HealthTransition{
			{At: t.RegisteredAt, State: TargetInitial, Reason: ReasonRegistrationInProgress},
			{At: t.RegisteredAt.Add(20 * time.Second), State: TargetInitial, Reason: ReasonInitialHealthChecking},
			{At: t.RegisteredAt.Add(50 * time.Second), State: TargetHealthy},
		}
		t.State, t.Reason = TargetHealthy, ""
		tg.Targets = append(tg.Targets, t)
		return t
	}
	for _, z := range zones {
		for range p.perZone {
			addTarget(z)
		}
	}
	if p.unusedZone {
		// A target registered in a zone the NLB is not enabled in.
		for _, z := range w.Provider.AZs {
			if lb.Zone(z.Name) == nil {
				t := addTarget(z)
				t.History = t.History[:1]
				t.setHealth(t.RegisteredAt.Add(20*time.Second), TargetUnused, ReasonNotInUse)
				break
			}
		}
	}
	lis := &Listener{
		ARN:                   strings.Replace(lb.ARN, ":loadbalancer/", ":listener/", 1) + "/" + r.hex16(),
		LoadBalancerARN:       lb.ARN,
		Port:                  p.port,
		Protocol:              proto,
		DefaultTargetGroupARN: tg.ARN,
	}
	if lb.Type == LBTypeGateway {
		lis.Port, lis.Protocol = 0, ""
	}
	lb.Listeners = append(lb.Listeners, lis)
	lb.TargetGroups = append(lb.TargetGroups, tg)
	w.Listeners[lis.ARN] = lis
	w.TargetGroups[tg.ARN] = tg
	w.TargetGroupList = append(w.TargetGroupList, tg)
	return tg
}

// spareLoadBalancers adds load balancers no service uses: an NLB to create a service on
// (the wizard), a GWLB and an ALB (which an endpoint service must refuse).
func (g *generator) spareLoadBalancers() {
	w := g.w
	azs := w.Provider.AZs
	created := g.start.Add(-40 * 24 * time.Hour)
	for _, spec := range []struct {
		name, typ string
		port      int32
	}{{"orders-nlb", LBTypeNetwork, 443}, {"inspection-gwlb", LBTypeGateway, 6081}, {"web-alb", LBTypeApplication, 443}} {
		zones := []AZ{azs[0], azs[1%len(azs)]}
		if len(azs) > 2 {
			zones = append(zones, azs[2])
		}
		lb := g.loadBalancer(spec.name, spec.typ, zones, created)
		p := &servicePlan{label: strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(spec.name, "-nlb"), "-gwlb"), "-alb"),
			port: spec.port, perZone: 1, deadAZ: -1}
		tg := g.targetGroup(p, lb, zones)
		if spec.typ == LBTypeApplication {
			tg.Protocol = "HTTP"
			lb.Listeners[0].Protocol = "HTTPS"
			lb.SecurityGroups = []string{g.provV.SecurityGroups[0].ID}
		}
		if spec.typ == LBTypeNetwork {
			lb.SecurityGroups = []string{g.provV.SecurityGroups[2].ID}
		}
	}
}

// ---- connections ---------------------------------------------------------------------------------

func (g *generator) connections(plans []servicePlan) {
	w, r := g.w, g.r
	all := make([]*Endpoint, 0, w.Config.Connections)
	consumers := w.AccountList[1:]
	if len(consumers) == 0 {
		return
	}
	for pi := range plans {
		p := &plans[pi]
		svc := p.svc
		var owners []*Account
		if !p.star {
			for _, a := range consumers {
				if svc.AllowsAccount(a.ID) {
					owners = append(owners, a)
				}
			}
		}
		if len(owners) == 0 {
			owners = consumers
		}
		for i := 0; i < p.conns; i++ {
			owner := owners[r.intn(len(owners))]
			region := w.Region
			if len(p.crossRegion) > 0 && r.float() < 0.12 {
				region = p.crossRegion[0]
			}
			ep := g.endpoint(p, owner, region, i < p.burst, i == p.burst && !p.acceptance && p.conns >= 10)
			all = append(all, ep)
		}
	}
	// Seq follows request time, so pagination order is the order the requests arrived.
	slices.SortStableFunc(all, func(a, b *Endpoint) int { return a.CreatedAt.Compare(b.CreatedAt) })
	for _, ep := range all {
		w.insertEndpoint(ep)
		switch ep.State {
		case EndpointPendingAcceptance:
			w.at(ep.CreatedAt.Add(w.Config.PendingExpiry), event{kind: evEndpointExpire, ep: ep})
		case EndpointPending:
			w.at(ep.History.AcceptedAt.Add(PendingToAvailableDelay), event{kind: evEndpointAvailable, ep: ep})
		}
	}
}

func (g *generator) endpoint(p *servicePlan, owner *Account, region string, burst, pending bool) *Endpoint {
	w, r, now := g.w, g.r, g.start
	svc := p.svc
	vpc := g.consumerVPC(owner, region)
	vpc.assigned++
	ep := &Endpoint{
		ID:                r.hex17("vpce-"),
		OwnerID:           owner.ID,
		Owner:             owner,
		Service:           svc,
		ServiceID:         svc.ID,
		ServiceName:       svc.Name,
		Type:              ServiceTypeInterface,
		ConnectionID:      r.hex17("vpce-con-"),
		Region:            region,
		VpcID:             vpc.ID,
		IPAddressType:     "ipv4",
		PrivateDNSEnabled: svc.PrivateDNSName != "" && region == w.Region && r.float() < 0.7,
		DNSToken:          r.lower(8),
		Traffic:           genTraffic(r),
	}
	if r.float() < 0.25 {
		ep.Tags = []Tag{{"Name", owner.Name + "-" + p.label}}
		// the provider labelled the connection the same way
		ep.ConnTags = []Tag{{"Name", owner.Name + "-" + p.label}}
	}

	// Pick the state, then a history that leads to it.
	lo := svc.CreatedAt.Add(time.Hour)
	h := &ep.History
	state := EndpointAvailable
	switch x := r.float(); {
	case burst:
		state = EndpointPendingAcceptance
	case pending:
		state = EndpointPending
	case p.acceptance && x < 0.04:
		state = EndpointPendingAcceptance
	case p.acceptance && x < 0.09:
		state = EndpointRejected
	case x < 0.13:
		state = EndpointDeleted
	case p.acceptance && x < 0.16:
		state = EndpointExpired
	case x < 0.165:
		state = EndpointFailed
	}
	span := func(from, to time.Time) time.Time { // uniform in [from, to)
		if !to.After(from) {
			return from
		}
		return from.Add(r.between(0, to.Sub(from)))
	}
	accepted := func(req time.Time, limit time.Time) time.Time {
		if !p.acceptance {
			return req
		}
		return span(req.Add(time.Minute), minTime(req.Add(36*time.Hour), limit))
	}
	expiry := w.Config.PendingExpiry
	if state == EndpointExpired && !now.Add(-expiry-time.Minute).After(lo) {
		state = EndpointAvailable // the service is too young for an expired request
	}
	switch state {
	case EndpointPendingAcceptance:
		if burst {
			h.RequestedAt = now.Add(-r.between(time.Minute, 50*time.Minute))
		} else {
			h.RequestedAt = span(maxTime(lo, now.Add(-expiry+time.Hour)), now.Add(-10*time.Minute))
		}
	case EndpointPending:
		h.RequestedAt = now.Add(-r.between(0, 4*time.Second))
		h.AcceptedAt = h.RequestedAt
	case EndpointAvailable:
		h.RequestedAt = span(lo, now.Add(-10*time.Minute))
		h.AcceptedAt = accepted(h.RequestedAt, now.Add(-10*time.Second))
		h.AvailableAt = h.AcceptedAt.Add(PendingToAvailableDelay)
	case EndpointRejected:
		h.RequestedAt = span(lo, now.Add(-time.Hour))
		if r.float() < 0.2 { // rejected after having been in use
			h.AcceptedAt = accepted(h.RequestedAt, now.Add(-30*time.Minute))
			h.AvailableAt = h.AcceptedAt.Add(PendingToAvailableDelay)
			h.RejectedAt = span(h.AvailableAt.Add(time.Minute), now)
		} else {
			h.RejectedAt = span(h.RequestedAt.Add(5*time.Minute), minTime(h.RequestedAt.Add(48*time.Hour), now))
		}
	case EndpointDeleted:
		h.RequestedAt = span(lo, now.Add(-2*time.Hour))
		h.AcceptedAt = accepted(h.RequestedAt, now.Add(-time.Hour))
		h.AvailableAt = h.AcceptedAt.Add(PendingToAvailableDelay)
		h.DeletingAt = span(h.AvailableAt.Add(time.Minute), now.Add(-10*time.Second))
		h.DeletedAt = h.DeletingAt.Add(EndpointDeleteDelay)
	case EndpointExpired:
		h.RequestedAt = span(lo, now.Add(-expiry-time.Minute))
		h.ExpiredAt = h.RequestedAt.Add(expiry)
	case EndpointFailed:
		h.RequestedAt = span(lo, now.Add(-time.Hour))
		h.FailedAt = h.RequestedAt.Add(3 * time.Second)
	}
	ep.State = state
	ep.CreatedAt = h.RequestedAt

	// Subnets (and one ENI each) for endpoints that exist on the network.
	if ep.Active() {
		vpc.EndpointCount++
		var subnets []*Subnet
		if region == w.Region {
			for _, sn := range vpc.Subnets {
				if svc.SupportsAZID(sn.AZID) && len(subnets) < 3 {
					subnets = append(subnets, sn)
				}
			}
			if len(subnets) == 0 {
				// The consumer added a subnet in a zone the service supports.
				z := AZ{ID: svc.AZIDs[0], Name: w.AZName(owner, svc.AZIDs[0])}
				base, _, _ := parseCIDR(vpc.CIDR)
				subnets = append(subnets, g.addSubnet(vpc, z, base+uint32(len(vpc.Subnets))*4096,
					vpc.Name+"-private-"+z.Name[len(z.Name)-1:]))
			}
		} else {
			subnets = vpc.Subnets[:min(2, len(vpc.Subnets))]
		}
		ep.SubnetIDs = make([]string, len(subnets))
		ep.ENIs = make([]ENI, len(subnets))
		for i, sn := range subnets {
			ep.SubnetIDs[i] = sn.ID
			ep.ENIs[i] = ENI{ID: r.hex17("eni-"), SubnetID: sn.ID, AZ: sn.AZ, AZID: sn.AZID, PrivateIP: sn.allocIP()}
		}
		ep.SecurityGroupIDs = []string{vpc.SecurityGroups[len(vpc.SecurityGroups)-1].ID}
	}
	return ep
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
