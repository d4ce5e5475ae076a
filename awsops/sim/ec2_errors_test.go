package sim

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
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

// An allowed principal that is not a principal ARN is AWS's InvalidPrincipal, whatever is
// wrong with it (Terraform meets it with the STS session ARN GetCallerIdentity returns).
func TestInvalidPrincipal(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	ledger := e.serviceByLabel("ledger-ingest")
	for _, bad := range []string{
		"not-an-arn",
		"123456789012",
		"arn:aws:iam::123456789012:role/path/to/role",
		"arn:aws:sts::123456789012:assumed-role/admin/session",
		"arn:aws:iam::12345:root",
	} {
		_, err := e.prov.ModifyVpcEndpointServicePermissions(ec2ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{
			ServiceId: aws.String(ledger.ID), AddAllowedPrincipals: []string{bad}})
		wantCode(t, err, "InvalidPrincipal")
		if !strings.Contains(err.Error(), "Invalid Principal: '"+bad+"'") {
			t.Errorf("message for %s: %v", bad, err)
		}
	}
}

// An id that cannot be of the kind asked for is refused with the kind's .Malformed code
// of the EC2 error list, before any lookup; in a batch, per item.
func TestMalformedIDs(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	payments := e.serviceByLabel("payments-api")
	cons := e.client(e.consumer(payments).ID)
	const badSvc, badEP = "svc-123", "vpce-xyz"

	_, err := e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{badSvc}})
	wantCode(t, err, "InvalidVpcEndpointServiceId.Malformed")
	_, err = e.prov.ModifyVpcEndpointServiceConfiguration(ec2ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{
		ServiceId: aws.String("vpce-svc-12"), AcceptanceRequired: aws.Bool(true)})
	wantCode(t, err, "InvalidVpcEndpointServiceId.Malformed")
	_, err = e.prov.AcceptVpcEndpointConnections(ec2ctx, &ec2.AcceptVpcEndpointConnectionsInput{
		ServiceId: aws.String(badSvc), VpcEndpointIds: []string{"vpce-0123456789abcdef0"}})
	wantCode(t, err, "InvalidVpcEndpointServiceId.Malformed")
	_, err = e.prov.CreateVpcEndpointConnectionNotification(ec2ctx, &ec2.CreateVpcEndpointConnectionNotificationInput{
		VpcEndpointId: aws.String(badEP), ConnectionEvents: []string{"Accept"},
		ConnectionNotificationArn: aws.String("arn:aws:sns:us-east-1:111122223333:topic")})
	wantCode(t, err, "InvalidVpcEndpointId.Malformed")

	acc, err := e.prov.AcceptVpcEndpointConnections(ec2ctx, &ec2.AcceptVpcEndpointConnectionsInput{
		ServiceId: aws.String(payments.ID), VpcEndpointIds: []string{badEP}})
	if err != nil || len(acc.Unsuccessful) != 1 || aws.ToString(acc.Unsuccessful[0].Error.Code) != "InvalidVpcEndpointId.Malformed" {
		t.Fatalf("accept of a malformed id: %+v %v", acc, err)
	}
	del, err := e.prov.DeleteVpcEndpointServiceConfigurations(ec2ctx, &ec2.DeleteVpcEndpointServiceConfigurationsInput{ServiceIds: []string{badSvc}})
	if err != nil || len(del.Unsuccessful) != 1 || aws.ToString(del.Unsuccessful[0].Error.Code) != "InvalidVpcEndpointServiceId.Malformed" {
		t.Fatalf("delete of a malformed id: %+v %v", del, err)
	}
	_, err = cons.DescribeVpcEndpoints(ec2ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{badEP}})
	wantCode(t, err, "InvalidVpcEndpointId.Malformed")
	gone, err := cons.DeleteVpcEndpoints(ec2ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{badEP}})
	if err != nil || len(gone.Unsuccessful) != 1 || aws.ToString(gone.Unsuccessful[0].Error.Code) != "InvalidVpcEndpointId.Malformed" {
		t.Fatalf("delete of a malformed endpoint id: %+v %v", gone, err)
	}

	vpcID, in, _ := e.subnetsFor(e.consumer(payments), payments)
	create := func(mod func(*ec2.CreateVpcEndpointInput)) error {
		input := &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpcID), ServiceName: aws.String(payments.Name),
			VpcEndpointType: types.VpcEndpointTypeInterface, SubnetIds: in[:1]}
		mod(input)
		_, err := cons.CreateVpcEndpoint(ec2ctx, input)
		return err
	}
	wantCode(t, create(func(i *ec2.CreateVpcEndpointInput) { i.VpcId = aws.String("my-vpc") }), "InvalidVpcID.Malformed")
	wantCode(t, create(func(i *ec2.CreateVpcEndpointInput) { i.SubnetIds = []string{"subnet-1"} }), "InvalidSubnetID.Malformed")
	err = create(func(i *ec2.CreateVpcEndpointInput) { i.SecurityGroupIds = []string{"web"} })
	wantCode(t, err, "InvalidGroupId.Malformed")
	if !strings.Contains(err.Error(), `Invalid id: "web" (expecting "sg-...")`) {
		t.Errorf("message: %v", err)
	}
	_, err = e.prov.DescribeVpcs(ec2ctx, &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-12"}})
	wantCode(t, err, "InvalidVpcID.Malformed")
	_, err = e.prov.DescribeSubnets(ec2ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet"}})
	wantCode(t, err, "InvalidSubnetID.Malformed")
	_, err = e.prov.DescribeSecurityGroups(ec2ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-zz"}})
	wantCode(t, err, "InvalidGroupId.Malformed")
}

// An endpoint policy must be a JSON document: anything else is InvalidPolicyDocument with
// where the syntax broke; a valid one is kept and described back.
func TestEndpointPolicyDocument(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	search := e.serviceByLabel("search-gateway") // acceptance not required
	consumer := e.consumer(search)
	cons := e.client(consumer.ID)
	vpcID, in, _ := e.subnetsFor(consumer, search)
	input := func(policy string) *ec2.CreateVpcEndpointInput {
		return &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpcID), ServiceName: aws.String(search.Name),
			VpcEndpointType: types.VpcEndpointTypeInterface, SubnetIds: in[:1], PolicyDocument: aws.String(policy)}
	}
	_, err := cons.CreateVpcEndpoint(ec2ctx, input("{\"Statement\": [\n  {\"Effect\": Allow}]}"))
	wantCode(t, err, "InvalidPolicyDocument")
	if !strings.Contains(err.Error(), "Syntax error at position (2,14)") {
		t.Errorf("message: %v", err)
	}
	_, err = cons.CreateVpcEndpoint(ec2ctx, input("allow everything"))
	wantCode(t, err, "InvalidPolicyDocument")

	const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
	made, err := cons.CreateVpcEndpoint(ec2ctx, input(policy))
	if err != nil {
		t.Fatal(err)
	}
	got, err := cons.DescribeVpcEndpoints(ec2ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{aws.ToString(made.VpcEndpoint.VpcEndpointId)}})
	if err != nil || aws.ToString(got.VpcEndpoints[0].PolicyDocument) != policy {
		t.Fatalf("policy described back: %+v %v", got, err)
	}
}

// A service can be offered only in Regions that exist in its partition.
func TestUnknownSupportedRegionRefused(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	payments := e.serviceByLabel("payments-api")
	for _, region := range []string{"us-fake-9", "xx-east-1", "Moon"} {
		_, err := e.prov.ModifyVpcEndpointServiceConfiguration(ec2ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{
			ServiceId: aws.String(payments.ID), AddSupportedRegions: []string{region}})
		wantCode(t, err, "InvalidParameterValue")
		_, err = e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
			NetworkLoadBalancerArns: []string{e.spareLB(LBTypeNetwork)}, SupportedRegions: []string{region}})
		wantCode(t, err, "InvalidParameterValue")
	}
	if _, err := e.prov.ModifyVpcEndpointServiceConfiguration(ec2ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{
		ServiceId: aws.String(payments.ID), AddSupportedRegions: []string{"eu-central-2"}}); err != nil {
		t.Fatalf("a real Region: %v", err)
	}
}
