package awsops

import (
	"errors"
	"testing"

	"github.com/plconsole/plconsole/model"
)

func connectionByID(t *testing.T, c *Client, serviceID, endpointID string) model.Connection {
	t.Helper()
	conns, err := c.ListConnections(ctxT(t), serviceID)
	if err != nil {
		t.Fatal(err)
	}
	for _, cn := range conns {
		if cn.EndpointID == endpointID {
			return cn
		}
	}
	t.Fatalf("connection %s not found", endpointID)
	return model.Connection{}
}

// Tagging a connection by its vpce-con id, then removing a key; per-endpoint payer; both
// audited, the reason the context carries written into the audit line.
func TestTagConnectionsAndSetConnectionPayer(t *testing.T) {
	run := startSim(t, testWorld(3, 40))
	c := newClient(t, run, providerAccount)
	svc := findService(t, c, "payments-api")
	avail := connectionsIn(t, c, svc.ID, model.StateAvailable)
	if len(avail) < 2 {
		t.Fatal("payments-api needs two available connections")
	}
	conn := connectionByID(t, c, svc.ID, avail[0])
	if conn.Payer != "" {
		t.Fatalf("payer %q before any was set", conn.Payer)
	}
	ctx := model.WithAuditReason(ctxT(t), "ticket OPS-7")
	if err := c.TagResources(ctx, []string{conn.ConnectionID}, map[string]string{"customer": "acme", "ticket": "OPS-7"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.TagResources(ctxT(t), []string{conn.ConnectionID}, nil, []string{"ticket"}); err != nil {
		t.Fatal(err)
	}
	got := connectionByID(t, c, svc.ID, avail[0])
	if got.Tags["customer"] != "acme" || got.Tags["ticket"] != "" || len(got.Tags) != len(conn.Tags)+1 {
		t.Fatalf("tags %v (before %v)", got.Tags, conn.Tags)
	}

	res, err := c.SetConnectionPayer(ctx, svc.ID, []string{avail[0], avail[1], "vpce-0123456789abcdef0"}, model.PayerServiceAccount)
	if err == nil || len(res) != 3 || !res[0].OK || !res[1].OK || res[2].OK || res[2].Code != "InvalidVpcEndpointId.NotFound" {
		t.Fatalf("results %+v, err %v", res, err)
	}
	if p := connectionByID(t, c, svc.ID, avail[1]).Payer; p != model.PayerServiceAccount {
		t.Fatalf("payer %q", p)
	}
	audit := readAudit(t, c)
	if len(audit) != 3 {
		t.Fatalf("%d audit lines, want 3", len(audit))
	}
	if a := audit[0]; a.Operation != "ec2:CreateTags" || a.Reason != "ticket OPS-7" || a.Result != AuditOK || a.Targets[0] != conn.ConnectionID {
		t.Fatalf("create tags audit %+v", a)
	}
	if a := audit[1]; a.Operation != "ec2:DeleteTags" || a.Reason != "" {
		t.Fatalf("delete tags audit %+v", a)
	}
	if a := audit[2]; a.Operation != "ec2:ModifyVpcEndpointPayerResponsibility" || a.Result != AuditPartial ||
		len(a.Succeeded) != 2 || len(a.Failed) != 1 || a.Reason != "ticket OPS-7" {
		t.Fatalf("payer audit %+v", a)
	}
}

// Read-only refuses both before any request; dry-run sends one request and changes nothing.
func TestTagAndPayerGuards(t *testing.T) {
	run := startSim(t, testWorld(3, 40))
	c := newClient(t, run, providerAccount, func(cfg *Config) { cfg.ReadOnly = true })
	svc := findService(t, c, "payments-api")
	avail := connectionsIn(t, c, svc.ID, model.StateAvailable)
	conn := connectionByID(t, c, svc.ID, avail[0])
	run.Server.ResetStats()
	if err := c.TagResources(ctxT(t), []string{conn.ConnectionID}, map[string]string{"a": "b"}, nil); !errors.Is(err, model.ErrReadOnly) {
		t.Fatalf("read-only tag: %v", err)
	}
	if _, err := c.SetConnectionPayer(ctxT(t), svc.ID, avail[:2], model.PayerServiceAccount); !errors.Is(err, model.ErrReadOnly) {
		t.Fatalf("read-only payer: %v", err)
	}
	if n := totalRequests(run); n != 0 {
		t.Fatalf("read-only sent %d requests", n)
	}

	d := newClient(t, run, providerAccount, func(cfg *Config) { cfg.DryRun = true })
	run.Server.ResetStats()
	res, err := d.SetConnectionPayer(ctxT(t), svc.ID, avail[:2], model.PayerServiceAccount)
	var dry *model.DryRunResult
	if !errors.As(err, &dry) || !dry.WouldSucceed || res != nil {
		t.Fatalf("dry run: %v %v", res, err)
	}
	if n := requests(run, "ec2", "ModifyVpcEndpointPayerResponsibility"); n != 1 {
		t.Fatalf("dry run sent %d requests, want 1", n)
	}
	if p := connectionByID(t, c, svc.ID, avail[0]).Payer; p != "" {
		t.Fatalf("dry run set the payer to %q", p)
	}
}
