package awsops

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/plconsole/plconsole/model"
)

// everyWrite calls each write of the Client once with plausible arguments.
func everyWrite(c *Client, svc model.EndpointService, pending []string, spareNLB string) map[string]func(ctx context.Context) error {
	return map[string]func(ctx context.Context) error{
		"AcceptConnections": func(ctx context.Context) error {
			_, err := c.AcceptConnections(ctx, svc.ID, pending[:1])
			return err
		},
		"RejectConnections": func(ctx context.Context) error {
			_, err := c.RejectConnections(ctx, svc.ID, pending[:1])
			return err
		},
		"CreateService": func(ctx context.Context) error {
			_, err := c.CreateService(ctx, model.CreateServiceInput{NetworkLoadBalancerARNs: []string{spareNLB}, AcceptanceRequired: true})
			return err
		},
		"ModifyService": func(ctx context.Context) error {
			no := false
			return c.ModifyService(ctx, model.ModifyServiceInput{ServiceID: svc.ID, AcceptanceRequired: &no})
		},
		"AddPrincipals": func(ctx context.Context) error {
			return c.AddPrincipals(ctx, svc.ID, []string{"arn:aws:iam::444455556666:root"})
		},
		"RemovePrincipals": func(ctx context.Context) error {
			return c.RemovePrincipals(ctx, svc.ID, []string{"arn:aws:iam::444455556666:root"})
		},
		"StartDNSVerification": func(ctx context.Context) error {
			return c.StartDNSVerification(ctx, svc.ID)
		},
		"SetPayerResponsibility": func(ctx context.Context) error {
			return c.SetPayerResponsibility(ctx, svc.ID, model.PayerServiceOwner)
		},
		"CreateNotification": func(ctx context.Context) error {
			_, err := c.CreateNotification(ctx, svc.ID, "arn:aws:sns:us-east-1:111122223333:t", []model.NotificationEvent{model.EventAccept})
			return err
		},
		"DeleteNotifications": func(ctx context.Context) error {
			ids := []string{"vpce-nfn-0123456789abcdef0"}
			if len(svc.Notifications) > 0 {
				ids = []string{svc.Notifications[0].ID}
			}
			_, err := c.DeleteNotifications(ctx, ids)
			return err
		},
		"CreateEndpoint": func(ctx context.Context) error {
			_, err := c.CreateEndpoint(ctx, model.CreateEndpointInput{ServiceName: svc.Name, VpcID: "vpc-0123456789abcdef0", SubnetIDs: []string{"subnet-0123456789abcdef0"}})
			return err
		},
		"DeleteEndpoints": func(ctx context.Context) error {
			_, err := c.DeleteEndpoints(ctx, pending[:1])
			return err
		},
		"DeleteService": func(ctx context.Context) error {
			return c.DeleteService(ctx, svc.ID)
		},
	}
}

func guardFixture(t *testing.T, mode func(*Config)) (*Client, model.EndpointService, []string, string, func() int64) {
	run := startSim(t, testWorld(3, 40))
	setup := newClient(t, run, providerAccount)
	svc := findService(t, setup, "payments-api")
	svc, err := setup.ServiceDetail(ctxT(t), svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	pending := connectionsIn(t, setup, svc.ID, model.StatePendingAcceptance)
	lbs, err := setup.ListLoadBalancers(ctxT(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	var spare string
	for _, lb := range lbs {
		if lb.Name == "orders-nlb" {
			spare = lb.ARN
		}
	}
	c := newClient(t, run, providerAccount, mode)
	run.Server.ResetStats()
	return c, svc, pending, spare, func() int64 { return totalRequests(run) }
}

// Read-only: every write fails with ErrReadOnly and not one request reaches the region.
func TestReadOnlySendsNothing(t *testing.T) {
	c, svc, pending, spare, total := guardFixture(t, func(cfg *Config) { cfg.ReadOnly = true })
	if c.Mode() != model.ModeReadOnly {
		t.Errorf("mode = %s", c.Mode())
	}
	writes := everyWrite(c, svc, pending, spare)
	for name, w := range writes {
		err := w(ctxT(t))
		if !errors.Is(err, model.ErrReadOnly) {
			t.Errorf("%s in read-only mode: err = %v, want ErrReadOnly", name, err)
		}
	}
	if n := total(); n != 0 {
		t.Errorf("read-only writes sent %d requests, want 0", n)
	}
	if len(c.APICalls()) != 2 { // New's GetCallerIdentity and DescribeAvailabilityZones
		t.Errorf("API-call log = %+v", c.APICalls())
	}
	audit := readAudit(t, c)
	if len(audit) != len(writes) {
		t.Errorf("%d audit lines for %d refused writes", len(audit), len(writes))
	}
	for _, a := range audit {
		if a.Result != AuditRefused || a.Mode != string(model.ModeReadOnly) {
			t.Errorf("audit = %+v", a)
		}
	}
	// Reads still work.
	if _, err := c.ListServices(ctxT(t)); err != nil {
		t.Errorf("read in read-only mode: %v", err)
	}
}

// The middleware is the second guard: even an SDK write call that bypassed the Client's
// methods is refused before serialisation.
func TestReadOnlyMiddlewareRefusesWrites(t *testing.T) {
	c, svc, pending, _, total := guardFixture(t, func(cfg *Config) { cfg.ReadOnly = true })
	s := c.session()
	_, err := s.ec2.AcceptVpcEndpointConnections(ctxT(t), &ec2.AcceptVpcEndpointConnectionsInput{
		ServiceId: aws.String(svc.ID), VpcEndpointIds: pending[:1],
	})
	if !errors.Is(err, model.ErrReadOnly) {
		t.Fatalf("err = %v, want ErrReadOnly", err)
	}
	if n := total(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// Dry-run: every write is sent with DryRun=true, AWS's DryRunOperation becomes "would
// succeed", and nothing changes.
func TestDryRunChangesNothing(t *testing.T) {
	c, svc, pending, spare, _ := guardFixture(t, func(cfg *Config) { cfg.DryRun = true })
	if c.Mode() != model.ModeDryRun {
		t.Errorf("mode = %s", c.Mode())
	}
	writes := everyWrite(c, svc, pending, spare)
	// Dry runs whose verdict depends on more than permissions (AWS may validate the
	// arguments too): any verdict is fine, as long as it is a dry-run verdict.
	anyVerdict := map[string]bool{
		"CreateEndpoint":       true, // the provider has no such VPC
		"DeleteEndpoints":      true, // the provider does not own the consumer's endpoint
		"StartDNSVerification": true, // payments-api's name is already verified
	}
	for name, w := range writes {
		err := w(ctxT(t))
		var dr *model.DryRunResult
		switch {
		case name == "DeleteService":
			if !errors.Is(err, model.ErrServiceHasConnections) {
				t.Errorf("%s: err = %v, want the client-side refusal", name, err)
			}
		case anyVerdict[name]:
			if !errors.As(err, &dr) {
				t.Errorf("%s: err = %v, want a dry-run verdict", name, err)
			}
		default:
			if !errors.As(err, &dr) || !dr.WouldSucceed {
				t.Errorf("%s: err = %v, want a dry-run that would succeed", name, err)
			}
		}
	}
	if st := connectionsIn(t, c, svc.ID, model.StatePendingAcceptance); len(st) != len(pending) {
		t.Errorf("dry run changed connections: %d pending, was %d", len(st), len(pending))
	}
	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(svcs) != 3 {
		t.Errorf("dry run created a service: %d services", len(svcs))
	}
	for _, a := range readAudit(t, c) {
		if a.Mode != string(model.ModeDryRun) {
			t.Errorf("audit = %+v", a)
		}
	}
}
