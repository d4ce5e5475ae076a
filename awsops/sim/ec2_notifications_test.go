package sim

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestConnectionNotifications(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	search := e.serviceByLabel("search-gateway")
	topic := "arn:aws:sns:us-east-1:111122223333:search-connections"
	in := &ec2.CreateVpcEndpointConnectionNotificationInput{
		ServiceId: aws.String(search.ID), ConnectionNotificationArn: aws.String(topic),
		ConnectionEvents: []string{"Accept", "Reject"}, ClientToken: aws.String("nfn-1"),
	}
	dry := *in
	dry.DryRun = aws.Bool(true)
	_, err := e.prov.CreateVpcEndpointConnectionNotification(ec2ctx, &dry)
	wantCode(t, err, "DryRunOperation")
	out, err := e.prov.CreateVpcEndpointConnectionNotification(ec2ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	n := out.ConnectionNotification
	id := aws.ToString(n.ConnectionNotificationId)
	if aws.ToString(n.ServiceId) != search.ID || aws.ToString(n.ConnectionNotificationArn) != topic ||
		n.ConnectionNotificationState != types.ConnectionNotificationStateEnabled ||
		n.ConnectionNotificationType != types.ConnectionNotificationTypeTopic || len(n.ConnectionEvents) != 2 ||
		aws.ToString(out.ClientToken) != "nfn-1" {
		t.Fatalf("created %+v", n)
	}
	again, err := e.prov.CreateVpcEndpointConnectionNotification(ec2ctx, in)
	if err != nil || aws.ToString(again.ConnectionNotification.ConnectionNotificationId) != id {
		t.Fatalf("replay: %v %v", again, err)
	}
	in.ConnectionEvents = []string{"Connect"}
	_, err = e.prov.CreateVpcEndpointConnectionNotification(ec2ctx, in)
	wantCode(t, err, "IdempotentParameterMismatch")

	for _, tc := range []struct {
		name string
		in   ec2.CreateVpcEndpointConnectionNotificationInput
		code string
	}{
		{"bad event", ec2.CreateVpcEndpointConnectionNotificationInput{ServiceId: aws.String(search.ID),
			ConnectionNotificationArn: aws.String(topic), ConnectionEvents: []string{"Explode"}}, "InvalidParameterValue"},
		{"bad topic", ec2.CreateVpcEndpointConnectionNotificationInput{ServiceId: aws.String(search.ID),
			ConnectionNotificationArn: aws.String("arn:aws:sqs:us-east-1:111122223333:q"), ConnectionEvents: []string{"Accept"}}, "InvalidParameterValue"},
		{"no target", ec2.CreateVpcEndpointConnectionNotificationInput{
			ConnectionNotificationArn: aws.String(topic), ConnectionEvents: []string{"Accept"}}, "MissingParameter"},
		{"unknown service", ec2.CreateVpcEndpointConnectionNotificationInput{ServiceId: aws.String("vpce-svc-00000000000000009"),
			ConnectionNotificationArn: aws.String(topic), ConnectionEvents: []string{"Accept"}}, "InvalidVpcEndpointServiceId.NotFound"},
		{"unknown endpoint", ec2.CreateVpcEndpointConnectionNotificationInput{VpcEndpointId: aws.String("vpce-00000000000000009"),
			ConnectionNotificationArn: aws.String(topic), ConnectionEvents: []string{"Accept"}}, "InvalidVpcEndpointId.NotFound"},
	} {
		_, err := e.prov.CreateVpcEndpointConnectionNotification(ec2ctx, &tc.in)
		if apiCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}

	// Describe: by id, by filter, all of the caller's (the scenario has one on payments-api).
	one, err := e.prov.DescribeVpcEndpointConnectionNotifications(ec2ctx, &ec2.DescribeVpcEndpointConnectionNotificationsInput{ConnectionNotificationId: aws.String(id)})
	if err != nil || len(one.ConnectionNotificationSet) != 1 {
		t.Fatalf("by id: %v %v", one, err)
	}
	all, err := e.prov.DescribeVpcEndpointConnectionNotifications(ec2ctx, &ec2.DescribeVpcEndpointConnectionNotificationsInput{})
	if err != nil || len(all.ConnectionNotificationSet) != 2 {
		t.Fatalf("all: %d %v", len(all.ConnectionNotificationSet), err)
	}
	page, err := e.prov.DescribeVpcEndpointConnectionNotifications(ec2ctx, &ec2.DescribeVpcEndpointConnectionNotificationsInput{MaxResults: aws.Int32(1)})
	if err != nil || len(page.ConnectionNotificationSet) != 1 || page.NextToken == nil {
		t.Fatalf("page: %v %v", page, err)
	}
	bySvc, err := e.prov.DescribeVpcEndpointConnectionNotifications(ec2ctx, &ec2.DescribeVpcEndpointConnectionNotificationsInput{
		Filters: []types.Filter{{Name: aws.String("service-id"), Values: []string{search.ID}}}})
	if err != nil || len(bySvc.ConnectionNotificationSet) != 1 {
		t.Fatalf("service-id filter: %v %v", bySvc, err)
	}
	_, err = e.prov.DescribeVpcEndpointConnectionNotifications(ec2ctx, &ec2.DescribeVpcEndpointConnectionNotificationsInput{ConnectionNotificationId: aws.String("vpce-nfn-00000000000000000")})
	wantCode(t, err, "InvalidConnectionNotification")
	consumer := e.client(e.consumer(nil).ID)
	theirs, err := consumer.DescribeVpcEndpointConnectionNotifications(ec2ctx, &ec2.DescribeVpcEndpointConnectionNotificationsInput{})
	if err != nil || len(theirs.ConnectionNotificationSet) != 0 {
		t.Fatalf("a consumer sees the provider's notifications: %v %v", theirs, err)
	}

	// Modify.
	mod, err := e.prov.ModifyVpcEndpointConnectionNotification(ec2ctx, &ec2.ModifyVpcEndpointConnectionNotificationInput{
		ConnectionNotificationId: aws.String(id), ConnectionEvents: []string{"Accept", "Connect", "Delete", "Reject"}})
	if err != nil || !aws.ToBool(mod.ReturnValue) {
		t.Fatalf("modify: %v %v", mod, err)
	}
	one, _ = e.prov.DescribeVpcEndpointConnectionNotifications(ec2ctx, &ec2.DescribeVpcEndpointConnectionNotificationsInput{ConnectionNotificationId: aws.String(id)})
	if len(one.ConnectionNotificationSet[0].ConnectionEvents) != 4 {
		t.Fatalf("after modify: %+v", one.ConnectionNotificationSet[0])
	}
	_, err = consumer.ModifyVpcEndpointConnectionNotification(ec2ctx, &ec2.ModifyVpcEndpointConnectionNotificationInput{
		ConnectionNotificationId: aws.String(id), ConnectionEvents: []string{"Accept"}})
	wantCode(t, err, "InvalidConnectionNotification")

	// Delete, with a per-item failure.
	_, err = e.prov.DeleteVpcEndpointConnectionNotifications(ec2ctx, &ec2.DeleteVpcEndpointConnectionNotificationsInput{
		ConnectionNotificationIds: []string{id}, DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
	del, err := e.prov.DeleteVpcEndpointConnectionNotifications(ec2ctx, &ec2.DeleteVpcEndpointConnectionNotificationsInput{
		ConnectionNotificationIds: []string{id, "vpce-nfn-00000000000000000"}})
	if err != nil || len(del.Unsuccessful) != 1 || aws.ToString(del.Unsuccessful[0].Error.Code) != "InvalidConnectionNotification" {
		t.Fatalf("delete: %+v %v", del, err)
	}
	_, err = e.prov.DescribeVpcEndpointConnectionNotifications(ec2ctx, &ec2.DescribeVpcEndpointConnectionNotificationsInput{ConnectionNotificationId: aws.String(id)})
	wantCode(t, err, "InvalidConnectionNotification")
	e.wantRawCode(ProviderAccountID, "DeleteVpcEndpointConnectionNotifications", "", "MissingParameter")

	// A consumer can watch its own endpoint.
	acct := e.consumer(search)
	cons := e.client(acct.ID)
	vpcID, in2, _ := e.subnetsFor(acct, search)
	ep, err := cons.CreateVpcEndpoint(ec2ctx, &ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface,
		VpcId: aws.String(vpcID), ServiceName: aws.String(search.Name), SubnetIds: in2[:1]})
	if err != nil {
		t.Fatal(err)
	}
	epn, err := cons.CreateVpcEndpointConnectionNotification(ec2ctx, &ec2.CreateVpcEndpointConnectionNotificationInput{
		VpcEndpointId: ep.VpcEndpoint.VpcEndpointId, ConnectionNotificationArn: aws.String("arn:aws:sns:us-east-1:" + acct.ID + ":mine"),
		ConnectionEvents: []string{"Accept"}})
	if err != nil || aws.ToString(epn.ConnectionNotification.VpcEndpointId) != aws.ToString(ep.VpcEndpoint.VpcEndpointId) {
		t.Fatalf("endpoint notification: %v %v", epn, err)
	}
}
