package sim

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// The AWS CLI (botocore's own ec2 query serializer and parser) against the EC2 operations.
func TestAWSCLIEC2(t *testing.T) {
	if testing.Short() {
		t.Skip("the AWS CLI start-up is slow; skipped in -short mode")
	}
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("aws CLI not on PATH")
	}
	e := newEC2Env(t, WorldConfig{Services: 4, Connections: 120, Static: true})
	payments := e.serviceByLabel("payments-api")
	var pending []string
	e.read(func(w *World) {
		for _, ep := range payments.Endpoints {
			if ep.State == EndpointPendingAcceptance && len(pending) < 2 {
				pending = append(pending, ep.ID)
			}
		}
	})
	res := runAWSCLI(t, e.run,
		[]string{"ec2", "describe-vpc-endpoint-service-configurations"},
		// The CLI pages by itself: 120 connections in pages of 25.
		[]string{"ec2", "describe-vpc-endpoint-connections", "--page-size", "25"},
		[]string{"ec2", "describe-vpc-endpoint-connections", "--filters", "Name=vpc-endpoint-state,Values=pendingAcceptance",
			"Name=service-id,Values=" + payments.ID},
		[]string{"ec2", "accept-vpc-endpoint-connections", "--service-id", payments.ID,
			"--vpc-endpoint-ids", pending[0], "vpce-00000000000000000"},
		[]string{"ec2", "reject-vpc-endpoint-connections", "--service-id", payments.ID, "--vpc-endpoint-ids", pending[1], "--dry-run"},
		[]string{"ec2", "describe-vpc-endpoint-service-configurations", "--service-ids", "vpce-svc-00000000000000000"},
	)
	decode := func(i int, v any) {
		t.Helper()
		if res[i].err != nil {
			t.Fatalf("invocation %d: %v\n%s", i, res[i].err, res[i].stderr)
		}
		if err := json.Unmarshal([]byte(res[i].stdout), v); err != nil {
			t.Fatalf("invocation %d: %v\n%s", i, err, res[i].stdout)
		}
	}
	var svcs struct {
		ServiceConfigurations []struct {
			ServiceId, ServiceState     string
			PrivateDnsNameConfiguration struct{ State string }
		}
	}
	decode(0, &svcs)
	if len(svcs.ServiceConfigurations) != 4 || svcs.ServiceConfigurations[0].ServiceState != "Available" {
		t.Fatalf("services: %+v", svcs)
	}
	var conns struct {
		VpcEndpointConnections []struct {
			VpcEndpointId, VpcEndpointState, VpcEndpointOwner, CreationTimestamp string
			DnsEntries                                                           []struct{ DnsName string }
		}
	}
	decode(1, &conns)
	if len(conns.VpcEndpointConnections) != 120 || conns.VpcEndpointConnections[0].CreationTimestamp == "" ||
		len(conns.VpcEndpointConnections[0].DnsEntries) == 0 {
		t.Fatalf("connections: %d", len(conns.VpcEndpointConnections))
	}
	decode(2, &conns)
	if len(conns.VpcEndpointConnections) < 2 || conns.VpcEndpointConnections[0].VpcEndpointState != "pendingAcceptance" {
		t.Fatalf("pending: %+v", conns)
	}
	var acc struct {
		Unsuccessful []struct {
			ResourceId string
			Error      struct{ Code, Message string }
		}
	}
	decode(3, &acc)
	if len(acc.Unsuccessful) != 1 || acc.Unsuccessful[0].Error.Code != "InvalidVpcEndpointId.NotFound" {
		t.Fatalf("accept: %+v", acc)
	}
	if res[4].err == nil || !strings.Contains(res[4].stderr, "DryRunOperation") {
		t.Fatalf("dry-run reject: %v %s", res[4].err, res[4].stderr)
	}
	if res[5].err == nil || !strings.Contains(res[5].stderr, "InvalidVpcEndpointServiceId.NotFound") {
		t.Fatalf("unknown service: %v %s", res[5].err, res[5].stderr)
	}
	// The accept went through.
	e.read(func(w *World) {
		if st := w.Endpoint(pending[0]).State; st != EndpointPending {
			t.Fatalf("accepted endpoint is %s", st)
		}
		if st := w.Endpoint(pending[1]).State; st != EndpointPendingAcceptance {
			t.Fatalf("dry-run reject changed the endpoint to %s", st)
		}
	})
}
