package awsops

import (
	"context"
	"errors"
	"sort"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"

	"github.com/plconsole/plconsole/model"
)

// maxLBArnsPerCall is DescribeLoadBalancers' limit on LoadBalancerArns.
const maxLBArnsPerCall = 20

// Attribute keys awsops reads.
const (
	attrCrossZone = "load_balancing.cross_zone.enabled"
)

// lbDetails is the slow-changing part of a load balancer, cached per session: its listeners,
// its attributes and its target groups' attributes. Target groups and target health are read
// on every refresh.
type lbDetails struct {
	listeners []model.Listener
	crossZone bool
	tgCross   map[string]string // target group ARN → load_balancing.cross_zone.enabled
}

// ListLoadBalancers reads load balancers (all of the account's when arns is empty) with
// listeners, attributes, target groups and target health. It shares the session's cache with
// Refresh: listeners and attributes are read once per load balancer (and again when a target
// group the cache does not know appears), so after the first read of a load balancer only its
// target health is read again, plus DescribeInstances for instance targets whose zone the
// session does not know yet. Cost when warm: ⌈L/20⌉ DescribeLoadBalancers (one page of
// ⌈L/400⌉ when arns is empty) + ⌈G/400⌉ DescribeTargetGroups + T DescribeTargetHealth.
func (c *Client) ListLoadBalancers(ctx context.Context, arns []string) ([]model.LoadBalancer, error) {
	return c.loadBalancers(ctx, c.session(), arns, true)
}

// loadBalancers reads load balancers, reusing the session's cached listeners and attributes,
// so a warm read costs ⌈L/20⌉ + ⌈G/400⌉ + T calls (plus ⌈I/1000⌉ DescribeInstances for the I
// instance targets whose zone the session does not know yet).
//
// Without health (the inventory's read between target health reads), no DescribeTargetHealth
// is made: ⌈L/20⌉ + ⌈G/400⌉ calls, and the target groups come back without targets.
func (c *Client) loadBalancers(ctx context.Context, s *session, arns []string, health bool) ([]model.LoadBalancer, error) {
	lbs, err := c.describeLoadBalancers(ctx, s, dedupe(arns))
	s.fillZoneIDs(lbs)
	if err != nil || len(lbs) == 0 {
		return lbs, err
	}
	tgs, err := c.targetGroupsOf(ctx, s, lbs)
	if err != nil {
		return lbs, err
	}

	// Fan out: details of each load balancer (when not cached) and health of each target
	// group, at most c.concurrency() requests in flight.
	type job struct {
		lb  int    // index into lbs
		tg  int    // index into lbs[lb].TargetGroups, or -1 for the load balancer's details
		arn string // the load balancer's or the target group's ARN
	}
	var jobs []job
	details := make([]lbDetails, len(lbs))
	haveDetails := make([]bool, len(lbs))
	tgARNs := make([][]string, len(lbs))
	for i := range lbs {
		lbs[i].TargetGroups = tgs[lbs[i].ARN]
		for _, tg := range lbs[i].TargetGroups {
			tgARNs[i] = append(tgARNs[i], tg.ARN)
		}
		s.lbMu.Lock()
		d, ok := s.lbCache[lbs[i].ARN]
		s.lbMu.Unlock()
		if ok && hasAllTGs(d, lbs[i].TargetGroups) {
			details[i], haveDetails[i] = d, true
		}
		if !haveDetails[i] {
			jobs = append(jobs, job{lb: i, tg: -1, arn: lbs[i].ARN})
		}
		for j, arn := range tgARNs[i] {
			if health {
				jobs = append(jobs, job{lb: i, tg: j, arn: arn})
			}
		}
	}
	var (
		mu   sync.Mutex
		errs []error
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	forEach(ctx, c.concurrency(), len(jobs), func(k int) {
		jb := jobs[k]
		if jb.tg < 0 {
			d, err := c.lbDetails(ctx, s, jb.arn, tgARNs[jb.lb])
			if err != nil {
				fail(err)
				return
			}
			details[jb.lb] = d
			return
		}
		targets, err := c.targetHealth(ctx, s, jb.arn)
		if err != nil {
			fail(err)
			return
		}
		lbs[jb.lb].TargetGroups[jb.tg].Targets = targets
	})
	for i := range lbs {
		d := details[i]
		lbs[i].Listeners = d.listeners
		lbs[i].CrossZoneEnabled = d.crossZone
		for j := range lbs[i].TargetGroups {
			lbs[i].TargetGroups[j].CrossZone = d.tgCross[lbs[i].TargetGroups[j].ARN]
		}
		if !haveDetails[i] && d.tgCross != nil {
			s.lbMu.Lock()
			s.lbCache[lbs[i].ARN] = d
			s.lbMu.Unlock()
		}
	}
	if err := ctx.Err(); err != nil {
		errs = append(errs, c.mapError("DescribeTargetHealth", err))
		return lbs, errors.Join(errs...)
	}
	if !health {
		return lbs, errors.Join(errs...)
	}
	if err := c.fillInstanceAZs(ctx, s, lbs); err != nil {
		errs = append(errs, err)
	}
	return lbs, errors.Join(errs...)
}

// fillZoneIDs adds the zone id (use1-az1) to each zone of the load balancers: ELBv2 names
// zones only, and a zone name means a different data centre in another account, so
// anything compared with a consumer's subnets needs the id. The session's region probe read
// the mapping already; no request is made.
func (s *session) fillZoneIDs(lbs []model.LoadBalancer) {
	if len(s.zones) == 0 {
		return
	}
	ix := model.NewZoneIndex(s.zones)
	for i := range lbs {
		for j := range lbs[i].AvailabilityZones {
			z := &lbs[i].AvailabilityZones[j]
			if z.ID == "" {
				z.ID, _ = ix.ID(z.Name)
			}
		}
	}
}

func hasAllTGs(d lbDetails, tgs []model.TargetGroup) bool {
	for _, tg := range tgs {
		if _, ok := d.tgCross[tg.ARN]; !ok {
			return false
		}
	}
	return true
}

// describeLoadBalancers reads the given load balancers, ≤20 ARNs per call, or every load
// balancer of the account in pages of 400 when arns is empty.
func (c *Client) describeLoadBalancers(ctx context.Context, s *session, arns []string) ([]model.LoadBalancer, error) {
	const op = "DescribeLoadBalancers"
	var inputs []*elb.DescribeLoadBalancersInput
	if len(arns) == 0 {
		inputs = append(inputs, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(elbPageSize)})
	}
	for _, chunk := range chunks(arns, maxLBArnsPerCall) {
		inputs = append(inputs, &elb.DescribeLoadBalancersInput{LoadBalancerArns: chunk})
	}
	var out []model.LoadBalancer
	for _, in := range inputs {
		p := elb.NewDescribeLoadBalancersPaginator(s.elb, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return out, c.mapError(op, err)
			}
			for _, lb := range page.LoadBalancers {
				out = append(out, loadBalancerFromSDK(lb))
			}
		}
	}
	return out, nil
}

// targetGroupsOf lists the account's target groups in pages of 400 and keeps those attached
// to the given load balancers: one call for up to 400 target groups instead of one per NLB.
func (c *Client) targetGroupsOf(ctx context.Context, s *session, lbs []model.LoadBalancer) (map[string][]model.TargetGroup, error) {
	const op = "DescribeTargetGroups"
	want := make(map[string]bool, len(lbs))
	for _, lb := range lbs {
		want[lb.ARN] = true
	}
	out := map[string][]model.TargetGroup{}
	p := elb.NewDescribeTargetGroupsPaginator(s.elb, &elb.DescribeTargetGroupsInput{PageSize: aws.Int32(elbPageSize)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.mapError(op, err)
		}
		for _, tg := range page.TargetGroups {
			for _, lbARN := range tg.LoadBalancerArns {
				if want[lbARN] {
					out[lbARN] = append(out[lbARN], targetGroupFromSDK(tg))
				}
			}
		}
	}
	return out, nil
}

// lbDetails reads a load balancer's listeners and attributes and its target groups' attributes.
func (c *Client) lbDetails(ctx context.Context, s *session, lbARN string, tgARNs []string) (lbDetails, error) {
	d := lbDetails{tgCross: map[string]string{}}
	p := elb.NewDescribeListenersPaginator(s.elb, &elb.DescribeListenersInput{
		LoadBalancerArn: aws.String(lbARN), PageSize: aws.Int32(elbPageSize),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return d, c.mapError("DescribeListeners", err)
		}
		for _, l := range page.Listeners {
			d.listeners = append(d.listeners, listenerFromSDK(l))
		}
	}
	attrs, err := s.elb.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(lbARN)})
	if err != nil {
		return d, c.mapError("DescribeLoadBalancerAttributes", err)
	}
	for _, a := range attrs.Attributes {
		if aws.ToString(a.Key) == attrCrossZone {
			d.crossZone = aws.ToString(a.Value) == "true"
		}
	}
	for _, tgARN := range tgARNs {
		ta, err := s.elb.DescribeTargetGroupAttributes(ctx, &elb.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(tgARN)})
		if err != nil {
			return d, c.mapError("DescribeTargetGroupAttributes", err)
		}
		d.tgCross[tgARN] = ""
		for _, a := range ta.Attributes {
			if aws.ToString(a.Key) == attrCrossZone {
				d.tgCross[tgARN] = aws.ToString(a.Value)
			}
		}
	}
	return d, nil
}

func (c *Client) targetHealth(ctx context.Context, s *session, tgARN string) ([]model.Target, error) {
	out, err := s.elb.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String(tgARN)})
	if err != nil {
		return nil, c.mapError("DescribeTargetHealth", err)
	}
	targets := make([]model.Target, 0, len(out.TargetHealthDescriptions))
	for _, th := range out.TargetHealthDescriptions {
		t := model.Target{}
		if th.Target != nil {
			t.ID = aws.ToString(th.Target.Id)
			t.Port = aws.ToInt32(th.Target.Port)
			t.AZ = aws.ToString(th.Target.AvailabilityZone)
		}
		if h := th.TargetHealth; h != nil {
			t.State = model.TargetHealthState(h.State)
			t.Reason = string(h.Reason)
			t.Description = aws.ToString(h.Description)
		}
		targets = append(targets, t)
	}
	sort.Slice(targets, func(i, j int) bool {
		if targets[i].ID != targets[j].ID {
			return targets[i].ID < targets[j].ID
		}
		return targets[i].Port < targets[j].Port
	})
	return targets, nil
}

// DescribeInstances limits: InstanceIds per call (awsops asks for as many as one page of
// results holds) and values per filter.
const (
	maxInstanceIDsPerCall   = 1000
	maxFilterValuesPerCall  = 200
	codeInstanceIDsNotFound = "InvalidInstanceID.NotFound"
)

// instanceAZCache remembers the zone of each instance target. DescribeTargetHealth names the
// zone of IP targets only; an instance's zone comes from DescribeInstances, and since an
// instance never changes zone the answer is kept for the session (a profile or region switch
// drops it with the session). The zero value is ready to use.
type instanceAZCache struct {
	mu  sync.Mutex
	azs map[string]string // instance id → AZ name
}

func (ic *instanceAZCache) get(id string) (string, bool) {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	az, ok := ic.azs[id]
	return az, ok
}

func (ic *instanceAZCache) put(id, az string) {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	if ic.azs == nil {
		ic.azs = map[string]string{}
	}
	ic.azs[id] = az
}

// isInstanceTarget says whether a target is an EC2 instance whose zone ELB did not report.
func isInstanceTarget(tg model.TargetGroup, t model.Target) bool {
	return t.AZ == "" && (tg.TargetType == string(elbtypes.TargetTypeEnumInstance) || tg.TargetType == "") &&
		len(t.ID) > 2 && t.ID[:2] == "i-"
}

// fillInstanceAZs sets the zone of every instance target from the session's cache, first
// asking DescribeInstances (⌈I/1000⌉ calls, run concurrently) about the I instances it has not
// seen. Instances EC2 does not know (terminated, or too new to be visible yet) keep an empty
// zone and are asked about again on the next refresh.
func (c *Client) fillInstanceAZs(ctx context.Context, s *session, lbs []model.LoadBalancer) error {
	var unknown []string
	for _, lb := range lbs {
		for _, tg := range lb.TargetGroups {
			for _, t := range tg.Targets {
				if !isInstanceTarget(tg, t) {
					continue
				}
				if _, ok := s.instanceAZs.get(t.ID); !ok {
					unknown = append(unknown, t.ID)
				}
			}
		}
	}
	var err error
	if len(unknown) > 0 {
		sort.Strings(unknown)
		err = c.describeInstanceAZs(ctx, s, dedupe(unknown))
	}
	for i := range lbs {
		for j := range lbs[i].TargetGroups {
			tg := &lbs[i].TargetGroups[j]
			for k := range tg.Targets {
				if isInstanceTarget(*tg, tg.Targets[k]) {
					tg.Targets[k].AZ, _ = s.instanceAZs.get(tg.Targets[k].ID)
				}
			}
		}
	}
	return err
}

// describeInstanceAZs asks DescribeInstances where the instances run, ≤1000 ids per call, and
// caches the answers.
func (c *Client) describeInstanceAZs(ctx context.Context, s *session, ids []string) error {
	const op = "DescribeInstances"
	batches := chunks(ids, maxInstanceIDsPerCall)
	var (
		mu   sync.Mutex
		errs []error
	)
	forEach(ctx, c.concurrency(), len(batches), func(i int) {
		err := c.describeInstanceBatch(ctx, s, batches[i])
		if err != nil {
			mu.Lock()
			errs = append(errs, c.mapError(op, err))
			mu.Unlock()
		}
	})
	if err := ctx.Err(); err != nil && len(errs) == 0 {
		errs = append(errs, c.mapError(op, err))
	}
	return errors.Join(errs...)
}

// describeInstanceBatch reads one batch by InstanceIds. EC2 refuses the whole call when any
// id does not exist; then the batch is read again through the instance-id filter, which
// answers for the instances that do.
func (c *Client) describeInstanceBatch(ctx context.Context, s *session, ids []string) error {
	out, err := s.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids})
	if err == nil {
		// With InstanceIds (and so without MaxResults) EC2 answers in one response.
		s.cacheInstanceAZs(out.Reservations)
		return nil
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != codeInstanceIDsNotFound {
		return err
	}
	for _, part := range chunks(ids, maxFilterValuesPerCall) {
		p := ec2.NewDescribeInstancesPaginator(s.ec2, &ec2.DescribeInstancesInput{
			Filters:    []ec2types.Filter{{Name: aws.String("instance-id"), Values: part}},
			MaxResults: aws.Int32(ec2PageSize),
		})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			s.cacheInstanceAZs(page.Reservations)
		}
	}
	return nil
}

func (s *session) cacheInstanceAZs(rs []ec2types.Reservation) {
	for _, r := range rs {
		for _, in := range r.Instances {
			if in.Placement != nil && aws.ToString(in.Placement.AvailabilityZone) != "" {
				s.instanceAZs.put(aws.ToString(in.InstanceId), aws.ToString(in.Placement.AvailabilityZone))
			}
		}
	}
}

func loadBalancerFromSDK(lb elbtypes.LoadBalancer) model.LoadBalancer {
	out := model.LoadBalancer{
		ARN:                    aws.ToString(lb.LoadBalancerArn),
		Name:                   aws.ToString(lb.LoadBalancerName),
		Type:                   string(lb.Type),
		Scheme:                 string(lb.Scheme),
		DNSName:                aws.ToString(lb.DNSName),
		VpcID:                  aws.ToString(lb.VpcId),
		IPAddressType:          string(lb.IpAddressType),
		SecurityGroups:         lb.SecurityGroups,
		EnforceSGOnPrivateLink: aws.ToString(lb.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic) == "on",
	}
	if lb.State != nil {
		out.State = string(lb.State.Code)
	}
	for _, z := range lb.AvailabilityZones {
		out.AvailabilityZones = append(out.AvailabilityZones, model.LBZone{
			Name: aws.ToString(z.ZoneName), SubnetID: aws.ToString(z.SubnetId),
		})
	}
	return out
}

func targetGroupFromSDK(tg elbtypes.TargetGroup) model.TargetGroup {
	return model.TargetGroup{
		ARN:                 aws.ToString(tg.TargetGroupArn),
		Name:                aws.ToString(tg.TargetGroupName),
		Protocol:            string(tg.Protocol),
		Port:                aws.ToInt32(tg.Port),
		TargetType:          string(tg.TargetType),
		HealthCheckProtocol: string(tg.HealthCheckProtocol),
		HealthCheckPort:     aws.ToString(tg.HealthCheckPort),
	}
}

func listenerFromSDK(l elbtypes.Listener) model.Listener {
	out := model.Listener{
		ARN:      aws.ToString(l.ListenerArn),
		Port:     aws.ToInt32(l.Port),
		Protocol: string(l.Protocol),
	}
	for _, a := range l.DefaultActions {
		if a.Type != elbtypes.ActionTypeEnumForward {
			continue
		}
		if arn := aws.ToString(a.TargetGroupArn); arn != "" {
			out.TargetGroupARN = arn
		} else if a.ForwardConfig != nil && len(a.ForwardConfig.TargetGroups) > 0 {
			out.TargetGroupARN = aws.ToString(a.ForwardConfig.TargetGroups[0].TargetGroupArn)
		}
		break
	}
	return out
}

// forEach runs fn(0..n-1) with at most limit running at once; it stops starting new work
// when ctx is done.
func forEach(ctx context.Context, limit, n int, fn func(i int)) {
	if n == 0 {
		return
	}
	limit = max(1, min(limit, n))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < limit; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
}

// TargetHealth reads the target health of the given target groups only (one
// DescribeTargetHealth each, c.concurrency() in flight, plus DescribeInstances for instance
// targets whose zone the session does not know yet): how the console keeps a fleet's
// targets current a few groups at a time instead of all of them on every refresh. The
// answer maps each target group ARN read to its targets; on a failure it holds the groups
// that were read.
func (c *Client) TargetHealth(ctx context.Context, groups []model.TargetGroup) (map[string][]model.Target, error) {
	s := c.session()
	tgs := make([]model.TargetGroup, len(groups))
	copy(tgs, groups)
	var (
		mu   sync.Mutex
		errs []error
		ok   = make([]bool, len(tgs))
	)
	forEach(ctx, c.concurrency(), len(tgs), func(i int) {
		targets, err := c.targetHealth(ctx, s, tgs[i].ARN)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, err)
			return
		}
		tgs[i].Targets, ok[i] = targets, true
	})
	if err := ctx.Err(); err != nil {
		errs = append(errs, c.mapError("DescribeTargetHealth", err))
	}
	// the instance targets' zones: fillInstanceAZs works on load balancers
	lbs := []model.LoadBalancer{{TargetGroups: tgs}}
	if err := c.fillInstanceAZs(ctx, s, lbs); err != nil {
		errs = append(errs, err)
	}
	out := make(map[string][]model.Target, len(tgs))
	for i, tg := range lbs[0].TargetGroups {
		if ok[i] {
			out[tg.ARN] = tg.Targets
		}
	}
	return out, errors.Join(errs...)
}
