package awsops

import (
	"context"
	"errors"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plconsole/plconsole/model"
)

type requestCounterKey struct{}

// Refresh reads everything the console shows in one go: every endpoint service, every
// connection of every service, and, when asked, the load balancers behind the services (with
// target health) and a batch of metric queries. Services, connections and metrics are read
// concurrently; load balancers follow the services.
//
// Cost, in API calls, for N services, M connections, T target groups behind the services' L
// load balancers (G target groups in the account) and Q metric queries:
//
//	⌈N/1000⌉ DescribeVpcEndpointServiceConfigurations
//	+ ⌈M/1000⌉ DescribeVpcEndpointConnections
//	+ T DescribeTargetHealth
//	+ ⌈Q/500⌉ GetMetricData (when each batch's datapoints fit one response)
//	+ the fixed few: ⌈L/20⌉ DescribeLoadBalancers + ⌈G/400⌉ DescribeTargetGroups
//	  (2 for a console with ≤20 load balancers and ≤400 target groups).
//
// The first refresh of a session also reads each load balancer's listeners and attributes
// and each target group's attributes (2L + T more), and the zones of the I instance targets
// (⌈I/1000⌉ DescribeInstances: ELB names the zone of IP targets only); later refreshes reuse
// them until the profile or region changes, asking only about instances not seen before.
// With SkipTargetHealth the T DescribeTargetHealth are left out. PendingOnly reads only the
// ⌈P/1000⌉ pages of the P connections waiting for acceptance (the vpc-endpoint-state filter),
// ConnectionsOf only the connections of the services named (the service-id filter, ⌈S/200⌉
// listings); both read nothing else.
// Starting a session (New, SwitchProfile, SwitchRegion) costs a fixed two more, once:
// GetCallerIdentity and the region probe's DescribeAvailabilityZones (client.go).
// ListLoadBalancers shares that cache, so whichever reads a load balancer first pays for its
// listeners and attributes. On a partial failure the snapshot holds what was read and the
// error says what was not: errors.Join of one error per failed call, a *model.AWSError naming
// its operation (a cancelled call's wraps context.Canceled instead), so a caller can tell
// which part of the snapshot is missing. The same errors are in snap.Errors, one per part, so
// a caller need not know which operation belongs to which part.
func (c *Client) Refresh(ctx context.Context, req model.RefreshRequest) (model.Snapshot, error) {
	s := c.session()
	var n atomic.Int64
	ctx = context.WithValue(ctx, requestCounterKey{}, &n)
	snap := model.Snapshot{Identity: s.identity, Taken: time.Now()}
	if req.PendingOnly || len(req.ConnectionsOf) > 0 {
		var err error
		if req.PendingOnly {
			snap.Connections, err = c.listPendingConnections(ctx, s)
		} else {
			snap.Connections, err = c.listServicesConnections(ctx, s, req.ConnectionsOf)
		}
		snap.Requests = int(n.Load())
		snap.Errors.Connections = err
		return snap, err
	}

	var (
		wg                      sync.WaitGroup
		svcErr, connErr, metErr error
		services                []model.EndpointService
		connections             []model.Connection
		metrics                 []model.MetricSeries
		lbs                     []model.LoadBalancer
		lbErr                   error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		services, svcErr = c.listServices(ctx, s)
		if svcErr != nil || !req.LoadBalancers {
			return
		}
		var arns []string
		for _, svc := range services {
			arns = append(arns, svc.NetworkLoadBalancers...)
			arns = append(arns, svc.GatewayLoadBalancers...)
		}
		sort.Strings(arns)
		if len(arns) > 0 {
			lbs, lbErr = c.loadBalancers(ctx, s, arns, !req.SkipTargetHealth)
		}
	}()
	go func() {
		defer wg.Done()
		connections, connErr = c.listConnections(ctx, s, "")
	}()
	if req.Metrics != nil && len(req.Metrics.Queries) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			metrics, metErr = c.getMetrics(ctx, s, *req.Metrics)
		}()
	}
	wg.Wait()
	snap.Services, snap.Connections, snap.LoadBalancers, snap.Metrics = services, connections, lbs, metrics
	snap.Requests = int(n.Load())
	snap.Errors = model.RefreshErrors{Services: svcErr, Connections: connErr, LoadBalancers: lbErr, Metrics: metErr}
	if svcErr != nil && req.LoadBalancers {
		// the load balancers are found through the services: none could be read either
		snap.Errors.LoadBalancers = svcErr
	}
	return snap, errors.Join(svcErr, connErr, lbErr, metErr)
}

// countRequest adds one to the refresh's request counter, when the call is part of one.
func countRequest(ctx context.Context) {
	if n, ok := ctx.Value(requestCounterKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}
