package store

import (
	"context"

	"github.com/plconsole/plconsole/model"
)

// Provisioner is what creating, changing and safely deleting endpoint services needs
// besides Backend: the setup wizard, the settings editor and the safe delete ask for it.
// awsops.Client satisfies it; a backend that does not cannot run them (the console says so).
type Provisioner interface {
	Backend
	CreateService(ctx context.Context, in model.CreateServiceInput) (model.EndpointService, error)
	ModifyService(ctx context.Context, in model.ModifyServiceInput) error
	// ListConnections reads one service's connections now (the store's may be a refresh old).
	ListConnections(ctx context.Context, serviceID string) ([]model.Connection, error)
}

// Provisioner is the session's backend when it can create and change services.
func (s *Store) Provisioner() (Provisioner, bool) {
	p, ok := s.backend.(Provisioner)
	return p, ok
}

// Consumer is a session as a consumer account: the wizard's test consumer creates an
// interface endpoint with it, watches it and deletes it. awsops.Client satisfies it.
type Consumer interface {
	Identity() model.Identity
	ListVpcs(ctx context.Context) ([]model.Vpc, error)
	ListSubnets(ctx context.Context, vpcID string) ([]model.Subnet, error)
	ListSecurityGroups(ctx context.Context, vpcID string) ([]model.SecurityGroup, error)
	CreateEndpoint(ctx context.Context, in model.CreateEndpointInput) (model.Endpoint, error)
	Endpoint(ctx context.Context, id string) (model.Endpoint, error)
	DeleteEndpoints(ctx context.Context, ids []string) ([]model.ItemResult, error)
	Close() error
}

// ConsumerOpener opens a consumer session: by shared-config profile against AWS, or, in the
// simulated region, as one of its consumer accounts.
type ConsumerOpener func(ctx context.Context, profile string) (Consumer, error)
