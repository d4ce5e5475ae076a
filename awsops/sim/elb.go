package sim

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
)

// ELBv2 (AWS Query): the read side an endpoint-service provider needs — load balancers,
// listeners, target groups, target health and attributes. A caller sees only the load
// balancers its own account owns, as in AWS.

func (s *Server) registerELB() {
	s.handle(svcELB, "DescribeLoadBalancers", s.elbDescribeLoadBalancers)
	s.handle(svcELB, "DescribeTargetGroups", s.elbDescribeTargetGroups)
	s.handle(svcELB, "DescribeTargetHealth", s.elbDescribeTargetHealth)
	s.handle(svcELB, "DescribeListeners", s.elbDescribeListeners)
	s.handle(svcELB, "DescribeLoadBalancerAttributes", s.elbDescribeLoadBalancerAttributes)
	s.handle(svcELB, "DescribeTargetGroupAttributes", s.elbDescribeTargetGroupAttributes)
}

// ELBv2 limits.
const (
	elbMaxPageSize      = 400
	elbMaxArnsPerCall   = 20
	elbCertificateOwner = "acm"
)

func errELBValidation(format string, args ...any) *APIError {
	return apiErr(http.StatusBadRequest, "ValidationError", format, args...)
}

func errLoadBalancerNotFound(format string, args ...any) *APIError {
	return apiErr(http.StatusBadRequest, "LoadBalancerNotFound", format, args...)
}

func errTargetGroupNotFound(format string, args ...any) *APIError {
	return apiErr(http.StatusBadRequest, "TargetGroupNotFound", format, args...)
}

func errListenerNotFound(format string, args ...any) *APIError {
	return apiErr(http.StatusBadRequest, "ListenerNotFound", format, args...)
}

// elbPage is a decoded Marker / PageSize pair.
type elbPage struct {
	op     string
	offset int
	size   int
}

// readELBPage validates PageSize (1–400) and decodes the opaque Marker of op.
func readELBPage(p Params, op string) (elbPage, error) {
	pg := elbPage{op: op, size: elbMaxPageSize}
	n, err := p.Int("PageSize")
	if err != nil {
		return pg, errELBValidation("Value '%s' at 'pageSize' failed to satisfy constraint: Member must be an integer", p["PageSize"])
	}
	if n != nil {
		if *n < 1 {
			return pg, errELBValidation("1 validation error detected: Value '%d' at 'pageSize' failed to satisfy constraint: Member must have value greater than or equal to 1", *n)
		}
		if *n > elbMaxPageSize {
			return pg, errELBValidation("1 validation error detected: Value '%d' at 'pageSize' failed to satisfy constraint: Member must have value less than or equal to %d", *n, elbMaxPageSize)
		}
		pg.size = int(*n)
	}
	if m, ok := p.String("Marker"); ok && m != "" {
		off, ok := decodeELBMarker(op, m)
		if !ok {
			return pg, errELBValidation("The marker '%s' is not valid", elbTrunc(m, 64))
		}
		pg.offset = off
	}
	return pg, nil
}

func encodeELBMarker(op string, offset int) string {
	return base64.StdEncoding.EncodeToString([]byte("elb/" + op + "/" + strconv.Itoa(offset)))
}

func decodeELBMarker(op, m string) (int, bool) {
	raw, err := base64.StdEncoding.DecodeString(m)
	if err != nil {
		return 0, false
	}
	rest, ok := strings.CutPrefix(string(raw), "elb/"+op+"/")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// window returns the [lo, hi) slice of n items this page covers and the next marker.
func (pg elbPage) window(n int) (lo, hi int, next string) {
	lo = min(pg.offset, n)
	hi = lo + pg.size
	if hi >= n {
		return lo, n, ""
	}
	return lo, hi, encodeELBMarker(pg.op, hi)
}

// ARN shape checks: ELB answers ValidationError for a string that is not an ARN of the
// right kind, and *NotFound for a well-formed ARN it does not know.
func isLoadBalancerARN(arn string) bool {
	_, res, ok := splitELBARN(arn)
	if !ok {
		return false
	}
	parts := strings.Split(res, "/")
	return len(parts) == 4 && parts[0] == "loadbalancer" && (parts[1] == "net" || parts[1] == "app" || parts[1] == "gwy") && parts[2] != "" && parts[3] != ""
}

func isTargetGroupARN(arn string) bool {
	_, res, ok := splitELBARN(arn)
	if !ok {
		return false
	}
	parts := strings.Split(res, "/")
	return len(parts) == 3 && parts[0] == "targetgroup" && parts[1] != "" && parts[2] != ""
}

func isListenerARN(arn string) bool {
	_, res, ok := splitELBARN(arn)
	if !ok {
		return false
	}
	parts := strings.Split(res, "/")
	return len(parts) == 5 && parts[0] == "listener" && parts[2] != "" && parts[3] != "" && parts[4] != ""
}

// splitELBARN splits arn:aws:elasticloadbalancing:<region>:<account>:<resource>.
func splitELBARN(arn string) (account, resource string, ok bool) {
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[1] == "" || f[2] != "elasticloadbalancing" || f[3] == "" || len(f[4]) != 12 {
		return "", "", false
	}
	return f[4], f[5], true
}

// CloudWatch dimension values of NLB metrics: "net/<name>/<id>" and "targetgroup/<name>/<id>".
func lbDimensionValue(arn string) string {
	_, res, ok := splitELBARN(arn)
	if !ok {
		return ""
	}
	return strings.TrimPrefix(res, "loadbalancer/")
}

func tgDimensionValue(arn string) string {
	_, res, ok := splitELBARN(arn)
	if !ok {
		return ""
	}
	return res
}

// visibleLB returns the load balancer with this ARN when the caller owns it.
func (s *Server) visibleLB(c *Call, arn string) *LoadBalancer {
	lb := s.world.LoadBalancer(arn)
	if lb == nil || lb.OwnerID != c.Account.ID {
		return nil
	}
	return lb
}

func (s *Server) visibleTG(c *Call, arn string) *TargetGroup {
	tg := s.world.TargetGroup(arn)
	if tg == nil || tg.OwnerID != c.Account.ID {
		return nil
	}
	return tg
}

func (s *Server) elbDescribeLoadBalancers(c *Call) (any, error) {
	arns := c.Params.List("LoadBalancerArns")
	names := c.Params.List("Names")
	pg, err := readELBPage(c.Params, "DescribeLoadBalancers")
	if err != nil {
		return nil, err
	}
	if len(arns) > 0 && len(names) > 0 {
		return nil, errELBValidation("Load balancer names and load balancer ARNs cannot be specified at the same time")
	}
	if len(arns) > elbMaxArnsPerCall {
		return nil, errELBValidation("1 validation error detected: Value '%d' at 'loadBalancerArns' failed to satisfy constraint: Member must have length less than or equal to %d", len(arns), elbMaxArnsPerCall)
	}
	for _, a := range arns {
		if !isLoadBalancerARN(a) {
			return nil, errELBValidation("'%s' is not a valid load balancer ARN", a)
		}
	}
	s.world.mu.RLock()
	defer s.world.mu.RUnlock()

	var list []*LoadBalancer
	switch {
	case len(arns) > 0:
		seen := map[string]bool{}
		for _, a := range arns {
			lb := s.visibleLB(c, a)
			if lb == nil {
				return nil, errLoadBalancerNotFound("One or more load balancers not found")
			}
			if !seen[a] {
				seen[a] = true
				list = append(list, lb)
			}
		}
	case len(names) > 0:
		var missing []string
		seen := map[string]bool{}
		for _, n := range names {
			lb := s.world.LoadBalancerByName(n)
			if lb == nil || lb.OwnerID != c.Account.ID {
				missing = append(missing, n)
				continue
			}
			if !seen[lb.ARN] {
				seen[lb.ARN] = true
				list = append(list, lb)
			}
		}
		if len(missing) > 0 {
			return nil, errLoadBalancerNotFound("Load balancers '[%s]' not found", strings.Join(missing, ", "))
		}
	default:
		for _, lb := range s.world.LoadBalancerList {
			if lb.OwnerID == c.Account.ID {
				list = append(list, lb)
			}
		}
	}
	lo, hi, next := pg.window(len(list))
	out := elbDescribeLoadBalancersResult{NextMarker: next, LoadBalancers: make([]elbXMLLoadBalancer, 0, hi-lo)}
	for _, lb := range list[lo:hi] {
		out.LoadBalancers = append(out.LoadBalancers, s.xmlLoadBalancer(lb))
	}
	return out, nil
}

func (s *Server) xmlLoadBalancer(lb *LoadBalancer) elbXMLLoadBalancer {
	x := elbXMLLoadBalancer{
		LoadBalancerArn:        lb.ARN,
		DNSName:                lb.DNSName,
		CanonicalHostedZoneID:  lb.HostedZoneID,
		CreatedTime:            lb.CreatedAt.UTC().Format(elbTimeFormat),
		LoadBalancerName:       lb.Name,
		Scheme:                 lb.Scheme,
		VpcID:                  lb.VpcID,
		State:                  elbXMLState{Code: lb.State, Reason: lb.StateReason},
		Type:                   lb.Type,
		SecurityGroups:         lb.SecurityGroups,
		IPAddressType:          lb.IPAddressType,
		EnforceSGOnPrivateLink: lb.EnforceSGOnPrivateLinkValue(),
	}
	if x.IPAddressType == "" {
		x.IPAddressType = "ipv4"
	}
	if lb.Type != LBTypeNetwork {
		x.EnforceSGOnPrivateLink = ""
	}
	for i, z := range lb.Zones {
		xz := elbXMLZone{ZoneName: z.AZ, SubnetID: z.SubnetID}
		if sn := s.world.Subnet(z.SubnetID); sn != nil && sn.size > 16 && lb.Type == LBTypeNetwork {
			// A stable node address near the top of the subnet, out of the ENI allocator's way.
			ip := formatIPv4(sn.base + sn.size - 6 - uint32(i%4))
			if lb.Scheme == "internal" {
				xz.Addresses = []elbXMLAddress{{PrivateIPv4Address: ip}}
			} else {
				xz.Addresses = []elbXMLAddress{{IPAddress: ip}}
			}
		}
		x.AvailabilityZones = append(x.AvailabilityZones, xz)
	}
	return x
}

func (s *Server) elbDescribeTargetGroups(c *Call) (any, error) {
	lbARN, hasLB := c.Params.String("LoadBalancerArn")
	arns := c.Params.List("TargetGroupArns")
	names := c.Params.List("Names")
	pg, err := readELBPage(c.Params, "DescribeTargetGroups")
	if err != nil {
		return nil, err
	}
	given := 0
	for _, b := range []bool{hasLB && lbARN != "", len(arns) > 0, len(names) > 0} {
		if b {
			given++
		}
	}
	if given > 1 {
		return nil, errELBValidation("A load balancer ARN, target group ARNs and target group names cannot be specified at the same time; specify only one of them")
	}
	if hasLB && lbARN != "" && !isLoadBalancerARN(lbARN) {
		return nil, errELBValidation("'%s' is not a valid load balancer ARN", lbARN)
	}
	for _, a := range arns {
		if !isTargetGroupARN(a) {
			return nil, errELBValidation("'%s' is not a valid target group ARN", a)
		}
	}
	s.world.mu.RLock()
	defer s.world.mu.RUnlock()

	var list []*TargetGroup
	switch {
	case hasLB && lbARN != "":
		lb := s.visibleLB(c, lbARN)
		if lb == nil {
			return nil, errLoadBalancerNotFound("Load balancer '%s' not found", lbARN)
		}
		list = lb.TargetGroups
	case len(arns) > 0:
		seen := map[string]bool{}
		for _, a := range arns {
			tg := s.visibleTG(c, a)
			if tg == nil {
				return nil, errTargetGroupNotFound("One or more target groups not found")
			}
			if !seen[a] {
				seen[a] = true
				list = append(list, tg)
			}
		}
	case len(names) > 0:
		var missing []string
		for _, n := range names {
			var found *TargetGroup
			for _, tg := range s.world.TargetGroupList {
				if tg.Name == n && tg.OwnerID == c.Account.ID {
					found = tg
					break
				}
			}
			if found == nil {
				missing = append(missing, n)
				continue
			}
			list = append(list, found)
		}
		if len(missing) > 0 {
			return nil, errTargetGroupNotFound("Target groups '[%s]' not found", strings.Join(missing, ", "))
		}
	default:
		for _, tg := range s.world.TargetGroupList {
			if tg.OwnerID == c.Account.ID {
				list = append(list, tg)
			}
		}
	}
	lo, hi, next := pg.window(len(list))
	out := elbDescribeTargetGroupsResult{NextMarker: next, TargetGroups: make([]elbXMLTargetGroup, 0, hi-lo)}
	for _, tg := range list[lo:hi] {
		out.TargetGroups = append(out.TargetGroups, xmlTargetGroup(tg))
	}
	return out, nil
}

func xmlTargetGroup(tg *TargetGroup) elbXMLTargetGroup {
	hc := tg.HealthCheck
	x := elbXMLTargetGroup{
		TargetGroupArn:             tg.ARN,
		TargetGroupName:            tg.Name,
		Protocol:                   tg.Protocol,
		Port:                       tg.Port,
		VpcID:                      tg.VpcID,
		HealthCheckProtocol:        hc.Protocol,
		HealthCheckPort:            hc.Port,
		HealthCheckEnabled:         hc.Enabled,
		HealthCheckIntervalSeconds: hc.IntervalSeconds,
		HealthCheckTimeoutSeconds:  hc.TimeoutSeconds,
		HealthyThresholdCount:      hc.HealthyThreshold,
		UnhealthyThresholdCount:    hc.UnhealthyThreshold,
		LoadBalancerArns:           tg.LoadBalancerARNs,
		TargetType:                 tg.TargetType,
		IPAddressType:              "ipv4",
	}
	if x.HealthCheckPort == "" {
		x.HealthCheckPort = "traffic-port"
	}
	if hc.Protocol == "HTTP" || hc.Protocol == "HTTPS" {
		x.HealthCheckPath = hc.Path
		if x.HealthCheckPath == "" {
			x.HealthCheckPath = "/"
		}
		m := hc.Matcher
		if m == "" {
			m = "200-399"
		}
		x.Matcher = &elbXMLMatcher{HTTPCode: m}
	}
	return x
}

func (s *Server) elbDescribeTargetHealth(c *Call) (any, error) {
	arn, _ := c.Params.String("TargetGroupArn")
	if arn == "" {
		return nil, errELBValidation("1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null")
	}
	if !isTargetGroupARN(arn) {
		return nil, errELBValidation("'%s' is not a valid target group ARN", arn)
	}
	type want struct {
		id   string
		port int32
	}
	var wants []want
	for i, o := range c.Params.Objects("Targets") {
		id := o["Id"]
		if id == "" {
			return nil, errELBValidation("1 validation error detected: Value null at 'targets.%d.member.id' failed to satisfy constraint: Member must not be null", i+1)
		}
		var port int32
		if ps := o["Port"]; ps != "" {
			n, err := strconv.Atoi(ps)
			if err != nil || n < 1 || n > 65535 {
				return nil, errELBValidation("1 validation error detected: Value '%s' at 'targets.%d.member.port' failed to satisfy constraint: Member must have value between 1 and 65535", ps, i+1)
			}
			port = int32(n)
		}
		wants = append(wants, want{id, port})
	}
	s.world.mu.RLock()
	defer s.world.mu.RUnlock()
	tg := s.visibleTG(c, arn)
	if tg == nil {
		return nil, errTargetGroupNotFound("Target groups '%s' not found", arn)
	}
	out := elbDescribeTargetHealthResult{TargetHealthDescriptions: []elbXMLTargetHealthDescription{}}
	if len(wants) == 0 {
		for _, t := range tg.Targets {
			out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, xmlTargetHealth(tg, t))
		}
		return out, nil
	}
	for _, w := range wants {
		var found *Target
		for _, t := range tg.Targets {
			if t.ID == w.id && (w.port == 0 || w.port == t.Port) {
				found = t
				break
			}
		}
		if found != nil {
			out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, xmlTargetHealth(tg, found))
			continue
		}
		if !plausibleTargetID(tg, w.id) {
			return nil, apiErr(http.StatusBadRequest, "InvalidTarget",
				"The following targets are not valid target IDs for target type '%s': '%s'", tg.TargetType, w.id)
		}
		port := w.port
		if port == 0 {
			port = tg.Port
		}
		out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, elbXMLTargetHealthDescription{
			Target:          elbXMLTarget{ID: w.id, Port: port},
			HealthCheckPort: healthCheckPortFor(tg, port),
			TargetHealth: elbXMLTargetHealth{
				State:       TargetUnused,
				Reason:      ReasonNotRegistered,
				Description: ReasonDescriptions[ReasonNotRegistered],
			},
		})
	}
	return out, nil
}

// plausibleTargetID says whether id has the shape of the group's target type.
func plausibleTargetID(tg *TargetGroup, id string) bool {
	switch tg.TargetType {
	case "instance":
		return strings.HasPrefix(id, "i-")
	case "ip":
		return strings.Count(id, ".") == 3 || strings.Contains(id, ":")
	case "alb":
		return isLoadBalancerARN(id)
	}
	return true
}

func healthCheckPortFor(tg *TargetGroup, port int32) string {
	if tg.HealthCheck.Port == "" || tg.HealthCheck.Port == "traffic-port" {
		return strconv.Itoa(int(port))
	}
	return tg.HealthCheck.Port
}

func xmlTargetHealth(tg *TargetGroup, t *Target) elbXMLTargetHealthDescription {
	x := elbXMLTargetHealthDescription{
		Target:          elbXMLTarget{ID: t.ID, Port: t.Port},
		HealthCheckPort: healthCheckPortFor(tg, t.Port),
		TargetHealth:    elbXMLTargetHealth{State: t.State},
	}
	if tg.TargetType == "ip" {
		x.Target.AvailabilityZone = t.AZ
	}
	if t.State != TargetHealthy && t.Reason != "" {
		x.TargetHealth.Reason = t.Reason
		x.TargetHealth.Description = t.Description()
	}
	return x
}

func (s *Server) elbDescribeListeners(c *Call) (any, error) {
	lbARN, _ := c.Params.String("LoadBalancerArn")
	arns := c.Params.List("ListenerArns")
	pg, err := readELBPage(c.Params, "DescribeListeners")
	if err != nil {
		return nil, err
	}
	if lbARN == "" && len(arns) == 0 {
		return nil, errELBValidation("You must specify either listener ARNs or a load balancer ARN")
	}
	if lbARN != "" && len(arns) > 0 {
		return nil, errELBValidation("Listener ARNs and a load balancer ARN cannot be specified at the same time")
	}
	if lbARN != "" && !isLoadBalancerARN(lbARN) {
		return nil, errELBValidation("'%s' is not a valid load balancer ARN", lbARN)
	}
	for _, a := range arns {
		if !isListenerARN(a) {
			return nil, errELBValidation("'%s' is not a valid listener ARN", a)
		}
	}
	s.world.mu.RLock()
	defer s.world.mu.RUnlock()
	var list []*Listener
	if lbARN != "" {
		lb := s.visibleLB(c, lbARN)
		if lb == nil {
			return nil, errLoadBalancerNotFound("Load balancer '%s' not found", lbARN)
		}
		list = lb.Listeners
	} else {
		seen := map[string]bool{}
		for _, a := range arns {
			l := s.world.Listener(a)
			if l == nil || s.visibleLB(c, l.LoadBalancerARN) == nil {
				return nil, errListenerNotFound("One or more listeners not found")
			}
			if !seen[a] {
				seen[a] = true
				list = append(list, l)
			}
		}
	}
	lo, hi, next := pg.window(len(list))
	out := elbDescribeListenersResult{NextMarker: next, Listeners: make([]elbXMLListener, 0, hi-lo)}
	for _, l := range list[lo:hi] {
		out.Listeners = append(out.Listeners, s.xmlListener(l))
	}
	return out, nil
}

func (s *Server) xmlListener(l *Listener) elbXMLListener {
	x := elbXMLListener{
		ListenerArn:     l.ARN,
		LoadBalancerArn: l.LoadBalancerARN,
		Port:            l.Port,
		Protocol:        l.Protocol,
	}
	if l.DefaultTargetGroupARN != "" {
		x.DefaultActions = []elbXMLAction{{
			Type:           "forward",
			TargetGroupArn: l.DefaultTargetGroupARN,
			ForwardConfig: &elbXMLForwardConfig{
				TargetGroups: []elbXMLTargetGroupTuple{{TargetGroupArn: l.DefaultTargetGroupARN, Weight: 1}},
			},
		}}
	}
	if l.Protocol == "TLS" {
		x.SslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
		acct, _, _ := splitELBARN(l.LoadBalancerARN)
		x.Certificates = []elbXMLCertificate{{
			CertificateArn: "arn:aws:" + elbCertificateOwner + ":" + s.world.Region + ":" + acct + ":certificate/" + certificateSuffix(l.ARN),
		}}
	}
	return x
}

// certificateSuffix derives a stable certificate id (UUID form) from the listener ARN.
func certificateSuffix(seed string) string {
	h := fnv64(seed)
	const hx = "0123456789abcdef"
	var b [32]byte
	for i := range b {
		if i == 16 {
			h = fnv64(seed + "/2")
		}
		b[i] = hx[h&0xf]
		h >>= 4
	}
	s := string(b[:])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func (s *Server) elbDescribeLoadBalancerAttributes(c *Call) (any, error) {
	arn, _ := c.Params.String("LoadBalancerArn")
	if arn == "" {
		return nil, errELBValidation("1 validation error detected: Value null at 'loadBalancerArn' failed to satisfy constraint: Member must not be null")
	}
	if !isLoadBalancerARN(arn) {
		return nil, errELBValidation("'%s' is not a valid load balancer ARN", arn)
	}
	s.world.mu.RLock()
	defer s.world.mu.RUnlock()
	lb := s.visibleLB(c, arn)
	if lb == nil {
		return nil, errLoadBalancerNotFound("Load balancer '%s' not found", arn)
	}
	return elbAttributes(lb.Attributes()), nil
}

func (s *Server) elbDescribeTargetGroupAttributes(c *Call) (any, error) {
	arn, _ := c.Params.String("TargetGroupArn")
	if arn == "" {
		return nil, errELBValidation("1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null")
	}
	if !isTargetGroupARN(arn) {
		return nil, errELBValidation("'%s' is not a valid target group ARN", arn)
	}
	s.world.mu.RLock()
	defer s.world.mu.RUnlock()
	tg := s.visibleTG(c, arn)
	if tg == nil {
		return nil, errTargetGroupNotFound("Target groups '%s' not found", arn)
	}
	return elbAttributes(tg.Attributes()), nil
}

func elbTrunc(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
