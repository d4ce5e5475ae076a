package model

import (
	"errors"
	"time"
)

// ErrServiceHasConnections is returned (wrapped, with the counts) when deleting an endpoint
// service that still has pending or available connections; nothing was sent to AWS.
var ErrServiceHasConnections = errors.New("the endpoint service still has pending or available connections; reject them first")

// RefreshRequest says what a full refresh reads besides services and connections.
type RefreshRequest struct {
	// LoadBalancers: also read the NLBs/GWLBs behind the services, with target health.
	LoadBalancers bool
	// Metrics: also run these metric queries (nil: none).
	Metrics *MetricRequest
	// SkipTargetHealth reads the load balancers and their target groups without
	// DescribeTargetHealth (one call per target group): the fleet's badges take target
	// health from CloudWatch between reads, and only the service on screen needs the
	// per-target states at full rate.
	SkipTargetHealth bool

	// PendingOnly reads only the connections waiting for acceptance, with the server-side
	// filter vpc-endpoint-state=pendingAcceptance (one page for up to 1000 requests), and
	// nothing else: the cheap read a console makes every tick.
	PendingOnly bool
	// ConnectionsOf reads only the connections of these services (the service-id filter),
	// in every state, and nothing else: how a connection that left pendingAcceptance is
	// read again without listing the whole inventory.
	ConnectionsOf []string
}

// Snapshot is everything one full refresh read, at one moment, for one identity.
type Snapshot struct {
	Identity      Identity
	Taken         time.Time
	Services      []EndpointService // without principals and notifications
	Connections   []Connection      // every service, every state
	LoadBalancers []LoadBalancer
	Metrics       []MetricSeries
	Requests      int // API calls the refresh made: every page counts, retries of one call do not
	// Errors says, per part, why that part could not be read; a part whose error is nil was
	// read whole. Callers look here rather than at operation names inside an error.
	Errors RefreshErrors
}

// RefreshErrors is a refresh's failure per part of the snapshot. A part that failed is
// empty in the snapshot (nil slice), not partially filled.
type RefreshErrors struct {
	Services      error
	Connections   error
	LoadBalancers error // the load balancers, their listeners, target groups or target health
	Metrics       error
}

// Err joins the parts' errors (nil when every part was read).
func (e RefreshErrors) Err() error {
	return errors.Join(e.Services, e.Connections, e.LoadBalancers, e.Metrics)
}
