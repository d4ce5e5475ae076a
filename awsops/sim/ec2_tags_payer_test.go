package sim

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// connectionOf reads one connection through the SDK.
func (e *ec2Env) connectionOf(svcID, epID string) types.VpcEndpointConnection {
	e.t.Helper()
	out, err := e.prov.DescribeVpcEndpointConnections(context.Background(), &ec2.DescribeVpcEndpointConnectionsInput{
		Filters: []types.Filter{{Name: aws.String("service-id"), Values: []string{svcID}}}})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range out.VpcEndpointConnections {
		if aws.ToString(c.VpcEndpointId) == epID {
			return c
		}
	}
	e.t.Fatalf("connection %s not listed", epID)
	return types.VpcEndpointConnection{}
}

func tagMap(tags []types.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

// The provider tags a connection by its vpce-con id; the tags show on the connection, not on
// the consumer's endpoint, and DeleteTags removes by key or by key and value.
func TestTagConnectionsAndPrincipals(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	ctx := context.Background()
	svc := e.serviceByLabel("payments-api")
	var ep *Endpoint
	var perm, owner string
	e.read(func(w *World) {
		ep = svc.Endpoints[0]
		perm = svc.Principals[0].ID
		owner = ep.OwnerID
	})
	_, err := e.prov.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{ep.ConnectionID, perm},
		Tags: []types.Tag{{Key: aws.String("customer"), Value: aws.String("acme")}, {Key: aws.String("ticket"), Value: aws.String("OPS-1")}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := tagMap(e.connectionOf(svc.ID, ep.ID).Tags); got["customer"] != "acme" || got["ticket"] != "OPS-1" {
		t.Fatalf("connection tags %v", got)
	}
	perms, err := e.prov.DescribeVpcEndpointServicePermissions(ctx, &ec2.DescribeVpcEndpointServicePermissionsInput{ServiceId: aws.String(svc.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if got := tagMap(perms.AllowedPrincipals[0].Tags); got["customer"] != "acme" {
		t.Fatalf("principal tags %v", got)
	}
	// the consumer's own endpoint does not carry the provider's tags
	eps, err := e.client(owner).DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{ep.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tagMap(eps.VpcEndpoints[0].Tags)["customer"]; ok {
		t.Fatal("the provider's connection tag shows on the consumer's endpoint")
	}
	// DeleteTags: a value that does not match keeps the tag; a key alone removes it
	if _, err := e.prov.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{ep.ConnectionID},
		Tags: []types.Tag{{Key: aws.String("customer"), Value: aws.String("globex")}, {Key: aws.String("ticket")}}}); err != nil {
		t.Fatal(err)
	}
	if got := tagMap(e.connectionOf(svc.ID, ep.ID).Tags); got["customer"] != "acme" || got["ticket"] != "" {
		t.Fatalf("after DeleteTags %v", got)
	}
	if _, ok := tagMap(e.connectionOf(svc.ID, ep.ID).Tags)["ticket"]; ok {
		t.Fatal("ticket was not deleted")
	}
	// refusals: dry run, reserved keys, another account's connection, unknown kinds
	_, err = e.prov.CreateTags(ctx, &ec2.CreateTagsInput{DryRun: aws.Bool(true), Resources: []string{ep.ConnectionID},
		Tags: []types.Tag{{Key: aws.String("x"), Value: aws.String("y")}}})
	wantCode(t, err, "DryRunOperation")
	if _, ok := tagMap(e.connectionOf(svc.ID, ep.ID).Tags)["x"]; ok {
		t.Fatal("a dry run tagged")
	}
	_, err = e.prov.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{ep.ConnectionID}, Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}})
	wantCode(t, err, "InvalidParameterValue")
	_, err = e.client(owner).CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{ep.ConnectionID}, Tags: []types.Tag{{Key: aws.String("x"), Value: aws.String("y")}}})
	wantCode(t, err, "InvalidVpcEndpointConnectionId.NotFound")
	_, err = e.prov.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{"i-0123"}, Tags: []types.Tag{{Key: aws.String("x"), Value: aws.String("y")}}})
	wantCode(t, err, "InvalidID")
}

// ModifyVpcEndpointPayerResponsibility sets one connection's payer; the connection then
// reports it, and the member is absent on connections nobody set.
func TestModifyEndpointPayerResponsibility(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	ctx := context.Background()
	svc := e.serviceByLabel("payments-api")
	var live, gone, other *Endpoint
	e.read(func(w *World) {
		for _, ep := range svc.Endpoints {
			switch {
			case ep.State == EndpointAvailable && live == nil:
				live = ep
			case ep.State == EndpointAvailable:
				other = ep
			case (ep.State == EndpointDeleted || ep.State == EndpointRejected) && gone == nil:
				gone = ep
			}
		}
	})
	if live == nil || gone == nil || other == nil {
		t.Fatal("the world lacks the connections this test needs")
	}
	out, err := e.prov.ModifyVpcEndpointPayerResponsibility(ctx, &ec2.ModifyVpcEndpointPayerResponsibilityInput{
		VpcEndpointId: aws.String(live.ID), ServiceId: aws.String(svc.ID),
		PayerResponsibility: types.PayerResponsibilityTypeVpcEndpointServiceAccount, Scope: types.PayerResponsibilityScopeVpcEndpointCharges})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.VpcEndpointId) != live.ID || len(out.PayerResponsibilities) != 1 ||
		out.PayerResponsibilities[0].PayerResponsibilityType != types.PayerResponsibilityTypeVpcEndpointServiceAccount {
		t.Fatalf("reply %+v", out)
	}
	c := e.connectionOf(svc.ID, live.ID)
	if len(c.PayerResponsibilities) != 1 || c.PayerResponsibilities[0].Scope != types.PayerResponsibilityScopeVpcEndpointCharges {
		t.Fatalf("connection payer %+v", c.PayerResponsibilities)
	}
	if p := e.connectionOf(svc.ID, other.ID).PayerResponsibilities; len(p) != 0 {
		t.Fatalf("a connection nobody set reports %+v", p)
	}
	call := func(in *ec2.ModifyVpcEndpointPayerResponsibilityInput) error {
		if in.PayerResponsibility == "" {
			in.PayerResponsibility = types.PayerResponsibilityTypeVpcEndpointAccount
		}
		if in.Scope == "" {
			in.Scope = types.PayerResponsibilityScopeVpcEndpointCharges
		}
		_, err := e.prov.ModifyVpcEndpointPayerResponsibility(ctx, in)
		return err
	}
	wantCode(t, call(&ec2.ModifyVpcEndpointPayerResponsibilityInput{VpcEndpointId: aws.String(gone.ID)}), "IncorrectState")
	wantCode(t, call(&ec2.ModifyVpcEndpointPayerResponsibilityInput{VpcEndpointId: aws.String(live.ID), PayerResponsibility: "someone"}), "InvalidParameterValue")
	wantCode(t, call(&ec2.ModifyVpcEndpointPayerResponsibilityInput{VpcEndpointId: aws.String(live.ID), Scope: types.PayerResponsibilityScopeResourceGatewayCharges}), "InvalidParameterValue")
	wantCode(t, call(&ec2.ModifyVpcEndpointPayerResponsibilityInput{VpcEndpointId: aws.String("vpce-0123456789abcdef0")}), "InvalidVpcEndpointId.NotFound")
	wantCode(t, call(&ec2.ModifyVpcEndpointPayerResponsibilityInput{VpcEndpointId: aws.String(live.ID), DryRun: aws.Bool(true)}), "DryRunOperation")
	if p := e.connectionOf(svc.ID, live.ID).PayerResponsibilities[0].PayerResponsibilityType; p != types.PayerResponsibilityTypeVpcEndpointServiceAccount {
		t.Fatalf("a refused or dry-run call changed the payer to %s", p)
	}
	// the consumer cannot set it: the endpoint is not a connection of its services
	_, err = e.client(live.OwnerID).ModifyVpcEndpointPayerResponsibility(ctx, &ec2.ModifyVpcEndpointPayerResponsibilityInput{
		VpcEndpointId: aws.String(live.ID), PayerResponsibility: types.PayerResponsibilityTypeVpcEndpointAccount,
		Scope: types.PayerResponsibilityScopeVpcEndpointCharges})
	wantCode(t, err, "InvalidVpcEndpointId.NotFound")
}
