package store

import (
	"context"

	"github.com/plconsole/plconsole/model"
)

// Backend is everything the console asks of AWS, in model types. awsops.Client satisfies it
// (against AWS or the simulated region) without an adapter. Every call is made from a
// tea.Cmd, never from Update or View.
type Backend interface {
	// Identity is the session the backend acts in now; Mode is its badge.
	Identity() model.Identity
	Mode() model.Mode
	// SwitchProfile and SwitchRegion replace the session and return the identity of the one
	// installed. Overlapping switches run in the order asked; one that a later switch of its
	// kind replaced fails with model.ErrSwitchSuperseded.
	SwitchProfile(ctx context.Context, profile string) (model.Identity, error)
	SwitchRegion(ctx context.Context, region string) (model.Identity, error)

	// Refresh reads every service, every connection and (when asked) the load balancers
	// behind the services with target health, in as few calls as AWS allows. On a partial
	// failure the snapshot holds what was read and snap.Errors says, per part, what was not.
	Refresh(ctx context.Context, req model.RefreshRequest) (model.Snapshot, error)
	// ServiceDetail reads one service with its allowed principals and notifications.
	ServiceDetail(ctx context.Context, serviceID string) (model.EndpointService, error)
	// ListPrincipals reads one service's allowed principals (the health badges need them).
	ListPrincipals(ctx context.Context, serviceID string) ([]model.Principal, error)
	// ListLoadBalancers reads the given load balancers with target health.
	ListLoadBalancers(ctx context.Context, arns []string) ([]model.LoadBalancer, error)

	// GetMetrics runs metric queries (GetMetricData, ≤500 queries a call) in query order.
	GetMetrics(ctx context.Context, req model.MetricRequest) ([]model.MetricSeries, error)
	// AvailabilityZones is the session's zones, names and ids.
	AvailabilityZones(ctx context.Context) ([]model.AvailabilityZone, error)

	AcceptConnections(ctx context.Context, serviceID string, endpointIDs []string) ([]model.ItemResult, error)
	RejectConnections(ctx context.Context, serviceID string, endpointIDs []string) ([]model.ItemResult, error)
	AddPrincipals(ctx context.Context, serviceID string, arns []string) error
	RemovePrincipals(ctx context.Context, serviceID string, arns []string) error
	StartDNSVerification(ctx context.Context, serviceID string) error
	SetPayerResponsibility(ctx context.Context, serviceID string, p model.PayerResponsibility) error
	CreateNotification(ctx context.Context, serviceID, topicARN string, events []model.NotificationEvent) (model.Notification, error)
	DeleteNotifications(ctx context.Context, ids []string) ([]model.ItemResult, error)
	DeleteService(ctx context.Context, serviceID string) error
	// TagResources sets and removes tags on connections (vpce-con-…) and other resources.
	TagResources(ctx context.Context, ids []string, set map[string]string, remove []string) error
	// SetConnectionPayer sets who pays for each endpoint's charges (model.PayerEndpointAccount
	// or model.PayerServiceAccount), one result per endpoint.
	SetConnectionPayer(ctx context.Context, serviceID string, endpointIDs []string, payer string) ([]model.ItemResult, error)

	// APICalls is the in-memory API-call log, oldest first.
	APICalls() []model.APICall
}
