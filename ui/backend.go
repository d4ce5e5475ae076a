// Package ui is plconsole's terminal console: a Bubble Tea program that browses endpoint
// services and consumer connections and acts on them. It talks to AWS only through the
// Backend interface below, in model types; awsops.Client satisfies it.
package ui

import (
	"context"

	"github.com/plconsole/plconsole/model"
)

// Backend is everything the console asks of AWS. The signatures match awsops.Client's so the
// real client (against AWS or the simulated region) is passed in without an adapter. Every
// call is made from a tea.Cmd, never from Update or View.
type Backend interface {
	Identity() model.Identity
	Mode() model.Mode
	SwitchProfile(ctx context.Context, profile string) error
	SwitchRegion(ctx context.Context, region string) error

	// Refresh is the periodic refresh: every service, every connection and (when asked) the
	// load balancers behind the services with target health, in as few calls as AWS allows.
	// On a partial failure the snapshot holds what was read; each error names its operation.
	Refresh(ctx context.Context, req model.RefreshRequest) (model.Snapshot, error)
	ListServices(ctx context.Context) ([]model.EndpointService, error)
	ServiceDetail(ctx context.Context, serviceID string) (model.EndpointService, error)
	// ListPrincipals reads one service's allowed principals (the health badges need them).
	ListPrincipals(ctx context.Context, serviceID string) ([]model.Principal, error)
	ListConnections(ctx context.Context, serviceID string) ([]model.Connection, error)
	ListLoadBalancers(ctx context.Context, arns []string) ([]model.LoadBalancer, error)

	AcceptConnections(ctx context.Context, serviceID string, endpointIDs []string) ([]model.ItemResult, error)
	RejectConnections(ctx context.Context, serviceID string, endpointIDs []string) ([]model.ItemResult, error)
	AddPrincipals(ctx context.Context, serviceID string, arns []string) error
	RemovePrincipals(ctx context.Context, serviceID string, arns []string) error
	StartDNSVerification(ctx context.Context, serviceID string) error
	SetPayerResponsibility(ctx context.Context, serviceID string, p model.PayerResponsibility) error
	CreateNotification(ctx context.Context, serviceID, topicARN string, events []model.NotificationEvent) (model.Notification, error)
	DeleteNotifications(ctx context.Context, ids []string) ([]model.ItemResult, error)
	DeleteService(ctx context.Context, serviceID string) error

	APICalls() []model.APICall
}
