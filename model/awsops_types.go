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
}
