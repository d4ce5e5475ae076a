package sim

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// Another account's service answers exactly like one that does not exist, in the single
// calls and in the batch delete, so code written against the simulated region handles
// the NotFound AWS sends and never a 403 it would not.
func TestAnotherAccountsServiceIsNotFound(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	payments := e.serviceByLabel("payments-api")
	cons := e.client(e.consumer(payments).ID)

	_, err := cons.DescribeVpcEndpointServicePermissions(ec2ctx, &ec2.DescribeVpcEndpointServicePermissionsInput{
		ServiceId: aws.String(payments.ID)})
	wantCode(t, err, "InvalidVpcEndpointServiceId.NotFound")
	_, err = cons.DescribeVpcEndpointServicePermissions(ec2ctx, &ec2.DescribeVpcEndpointServicePermissionsInput{
		ServiceId: aws.String("vpce-svc-0123456789abcdef0")})
	wantCode(t, err, "InvalidVpcEndpointServiceId.NotFound")

	out, err := cons.DeleteVpcEndpointServiceConfigurations(ec2ctx, &ec2.DeleteVpcEndpointServiceConfigurationsInput{
		ServiceIds: []string{payments.ID, "vpce-svc-0123456789abcdef0"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Unsuccessful) != 2 {
		t.Fatalf("unsuccessful = %+v", out.Unsuccessful)
	}
	for _, u := range out.Unsuccessful {
		if code := aws.ToString(u.Error.Code); code != "InvalidVpcEndpointService.NotFound" {
			t.Errorf("%s: code %s, want InvalidVpcEndpointService.NotFound", aws.ToString(u.ResourceId), code)
		}
	}
	e.read(func(w *World) {
		if payments.State != ServiceAvailable {
			t.Fatalf("a consumer's delete changed the service to %s", payments.State)
		}
	})
}
