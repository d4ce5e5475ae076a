package sim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestDescribeServiceConfigurationsPagesAndFilters(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Services: 12, Connections: 60, Static: true})
	var ids []string
	pager := ec2.NewDescribeVpcEndpointServiceConfigurationsPaginator(e.prov,
		&ec2.DescribeVpcEndpointServiceConfigurationsInput{MaxResults: aws.Int32(5)})
	pages := 0
	for pager.HasMorePages() {
		out, err := pager.NextPage(ec2ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, s := range out.ServiceConfigurations {
			ids = append(ids, aws.ToString(s.ServiceId))
		}
	}
	if len(ids) != 12 || pages != 3 {
		t.Fatalf("got %d services in %d pages, want 12 in 3", len(ids), pages)
	}
	if !slices.IsSorted(ids) {
		t.Fatalf("services not in id order: %v", ids)
	}

	payments := e.serviceByLabel("payments-api")
	out, err := e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{
		Filters: []types.Filter{{Name: aws.String("tag:Name"), Values: []string{"payments-*"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ServiceConfigurations) != 1 {
		t.Fatalf("tag filter: %d services", len(out.ServiceConfigurations))
	}
	sc := out.ServiceConfigurations[0]
	if aws.ToString(sc.ServiceId) != payments.ID || !aws.ToBool(sc.AcceptanceRequired) ||
		sc.ServiceState != types.ServiceStateAvailable || len(sc.NetworkLoadBalancerArns) != 1 ||
		len(sc.AvailabilityZones) != 3 || len(sc.AvailabilityZoneIds) != 3 || sc.ServiceType[0].ServiceType != types.ServiceTypeInterface {
		t.Fatalf("payments-api = %+v", sc)
	}
	if aws.ToString(sc.PrivateDnsName) != "api.payments.example.com" || sc.PrivateDnsNameConfiguration == nil ||
		sc.PrivateDnsNameConfiguration.State != types.DnsNameStateVerified ||
		!strings.HasPrefix(aws.ToString(sc.PrivateDnsNameConfiguration.Value), "vpce:") ||
		aws.ToString(sc.PrivateDnsNameConfiguration.Type) != "TXT" {
		t.Fatalf("private DNS = %+v", sc.PrivateDnsNameConfiguration)
	}
	if len(sc.SupportedRegions) != 2 || sc.PayerResponsibility != types.PayerResponsibilityServiceOwner {
		t.Fatalf("regions %+v payer %q", sc.SupportedRegions, sc.PayerResponsibility)
	}

	for _, f := range []types.Filter{
		{Name: aws.String("service-id"), Values: []string{payments.ID}},
		{Name: aws.String("service-name"), Values: []string{payments.Name}},
		{Name: aws.String("tag-key"), Values: []string{"team"}},
		{Name: aws.String("service-state"), Values: []string{"Available"}},
		{Name: aws.String("supported-ip-address-types"), Values: []string{"ipv4"}},
	} {
		out, err := e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{Filters: []types.Filter{f}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.ServiceConfigurations) == 0 {
			t.Fatalf("filter %s matched nothing", *f.Name)
		}
	}
	_, err = e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{
		Filters: []types.Filter{{Name: aws.String("colour"), Values: []string{"blue"}}}})
	wantCode(t, err, "InvalidParameterValue")
	_, err = e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{MaxResults: aws.Int32(4)})
	wantCode(t, err, "InvalidParameterValue")
	_, err = e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{NextToken: aws.String("bm9wZQ")})
	wantCode(t, err, "InvalidNextToken")
	_, err = e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{"vpce-svc-0123456789abcdef0"}})
	wantCode(t, err, "InvalidVpcEndpointServiceId.NotFound")
	// To a consumer the provider's service does not exist; listing shows it nothing.
	cons := e.client(e.consumer(nil).ID)
	_, err = cons.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{payments.ID}})
	wantCode(t, err, "InvalidVpcEndpointServiceId.NotFound")
	mine, err := cons.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{})
	if err != nil || len(mine.ServiceConfigurations) != 0 {
		t.Fatalf("consumer's own services: %v %v", mine, err)
	}
	_, err = e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
}

func TestCreateServiceConfiguration(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	nlb := e.spareLB(LBTypeNetwork)
	in := &ec2.CreateVpcEndpointServiceConfigurationInput{
		NetworkLoadBalancerArns: []string{nlb},
		AcceptanceRequired:      aws.Bool(true),
		PrivateDnsName:          aws.String("orders.example.org"),
		ClientToken:             aws.String("create-orders-1"),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVpcEndpointService,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("orders")}}}},
	}
	// DryRun validates and creates nothing.
	dry := *in
	dry.DryRun = aws.Bool(true)
	_, err := e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &dry)
	wantCode(t, err, "DryRunOperation")
	n := 0
	e.read(func(w *World) { n = len(w.ServiceList) })
	if n != 3 {
		t.Fatalf("dry run created a service: %d services", n)
	}

	out, err := e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	sc := out.ServiceConfiguration
	id := aws.ToString(sc.ServiceId)
	if sc.ServiceState != types.ServiceStatePending || aws.ToString(out.ClientToken) != "create-orders-1" ||
		!strings.HasPrefix(id, "vpce-svc-") || aws.ToString(sc.ServiceName) != "com.amazonaws.vpce.us-east-1."+id ||
		len(sc.AvailabilityZones) != 3 || aws.ToString(sc.Tags[0].Value) != "orders" ||
		sc.PrivateDnsNameConfiguration.State != types.DnsNameStatePendingVerification {
		t.Fatalf("created = %+v", sc)
	}
	// Replaying the token returns the same service; changing a parameter is a mismatch.
	again, err := e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, in)
	if err != nil || aws.ToString(again.ServiceConfiguration.ServiceId) != id {
		t.Fatalf("replay: %v %v", again, err)
	}
	changed := *in
	changed.AcceptanceRequired = aws.Bool(false)
	_, err = e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &changed)
	wantCode(t, err, "IdempotentParameterMismatch")
	// The NLB now serves a service: a second service on it is refused.
	_, err = e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{nlb}})
	wantCode(t, err, "InvalidParameter")

	e.advance(ServiceCreateDelay)
	desc, err := e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{id}})
	if err != nil || desc.ServiceConfigurations[0].ServiceState != types.ServiceStateAvailable {
		t.Fatalf("after %v: %+v %v", ServiceCreateDelay, desc, err)
	}

	for _, tc := range []struct {
		name string
		in   ec2.CreateVpcEndpointServiceConfigurationInput
		code string
	}{
		{"no load balancer", ec2.CreateVpcEndpointServiceConfigurationInput{}, "MissingParameter"},
		{"malformed", ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{"arn:aws:nope"}}, "InvalidNetworkLoadBalancerArn.Malformed"},
		{"missing", ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{
			"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/ghost/0123456789abcdef"}}, "InvalidNetworkLoadBalancerArn.NotFound"},
		{"alb", ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{e.spareLB(LBTypeApplication)}}, "InvalidParameter"},
		{"gwlb as nlb", ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{e.spareLB(LBTypeGateway)}}, "InvalidParameter"},
		{"both kinds", ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{nlb},
			GatewayLoadBalancerArns: []string{e.spareLB(LBTypeGateway)}}, "InvalidParameterCombination"},
		{"bad dns", ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{nlb},
			PrivateDnsName: aws.String("Bad_Name.example.com")}, "InvalidParameterValue"},
		{"bad ip type", ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{nlb},
			SupportedIpAddressTypes: []string{"ipv5"}}, "InvalidParameterValue"},
		{"bad tag type", ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{nlb},
			TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVpc,
				Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}}}}, "InvalidParameterValue"},
	} {
		_, err := e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &tc.in)
		if apiCode(err) != tc.code {
			t.Errorf("%s: err %v, want %s", tc.name, err, tc.code)
		}
	}

	// A Gateway Load Balancer service.
	gw, err := e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
		GatewayLoadBalancerArns: []string{e.spareLB(LBTypeGateway)}})
	if err != nil || gw.ServiceConfiguration.ServiceType[0].ServiceType != types.ServiceTypeGatewayLoadBalancer ||
		len(gw.ServiceConfiguration.GatewayLoadBalancerArns) != 1 {
		t.Fatalf("gwlb service: %+v %v", gw, err)
	}
}

func TestModifyServiceConfiguration(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	search := e.serviceByLabel("search-gateway")
	spare := e.spareLB(LBTypeNetwork)
	_, err := e.prov.ModifyVpcEndpointServiceConfiguration(ec2ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{
		ServiceId: aws.String(search.ID), DryRun: aws.Bool(true), AcceptanceRequired: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
	out, err := e.prov.ModifyVpcEndpointServiceConfiguration(ec2ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{
		ServiceId:                  aws.String(search.ID),
		AcceptanceRequired:         aws.Bool(true),
		AddNetworkLoadBalancerArns: []string{spare},
		PrivateDnsName:             aws.String("search.example.io"),
		AddSupportedRegions:        []string{"eu-west-1"},
	})
	if err != nil || !aws.ToBool(out.Return) {
		t.Fatalf("modify: %v %v", out, err)
	}
	desc, err := e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{search.ID}})
	if err != nil {
		t.Fatal(err)
	}
	sc := desc.ServiceConfigurations[0]
	if !aws.ToBool(sc.AcceptanceRequired) || len(sc.NetworkLoadBalancerArns) != 2 || aws.ToString(sc.PrivateDnsName) != "search.example.io" ||
		len(sc.SupportedRegions) != 2 || len(sc.AvailabilityZones) < 3 {
		t.Fatalf("after modify: %+v", sc)
	}
	// Removing a load balancer while connections are active is refused.
	_, err = e.prov.ModifyVpcEndpointServiceConfiguration(ec2ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{
		ServiceId: aws.String(search.ID), RemoveNetworkLoadBalancerArns: []string{spare}})
	wantCode(t, err, "ExistingVpcEndpointConnections")
	_, err = e.prov.ModifyVpcEndpointServiceConfiguration(ec2ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{
		ServiceId: aws.String(search.ID), RemovePrivateDnsName: aws.Bool(true), PrivateDnsName: aws.String("x.example.com")})
	wantCode(t, err, "InvalidParameterCombination")
	_, err = e.prov.ModifyVpcEndpointServiceConfiguration(ec2ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{
		ServiceId: aws.String(search.ID), RemoveSupportedIpAddressTypes: []string{"ipv4"}})
	wantCode(t, err, "InvalidParameter")
	_, err = e.prov.ModifyVpcEndpointServiceConfiguration(ec2ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{ServiceId: aws.String("vpce-svc-00000000000000000")})
	wantCode(t, err, "InvalidVpcEndpointServiceId.NotFound")
	e.wantRawCode(ProviderAccountID, "ModifyVpcEndpointServiceConfiguration", "", "MissingParameter")
	cons := e.client(e.consumer(nil).ID)
	_, err = cons.ModifyVpcEndpointServiceConfiguration(ec2ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{
		ServiceId: aws.String(search.ID), AcceptanceRequired: aws.Bool(false)})
	wantCode(t, err, "InvalidVpcEndpointServiceId.NotFound")
	// RemovePrivateDnsName clears the name.
	if _, err := e.prov.ModifyVpcEndpointServiceConfiguration(ec2ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{
		ServiceId: aws.String(search.ID), RemovePrivateDnsName: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	desc, _ = e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{search.ID}})
	if desc.ServiceConfigurations[0].PrivateDnsName != nil {
		t.Fatalf("private DNS name still %q", *desc.ServiceConfigurations[0].PrivateDnsName)
	}
}

func TestDeleteServiceConfigurations(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	payments := e.serviceByLabel("payments-api")
	created, err := e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
		NetworkLoadBalancerArns: []string{e.spareLB(LBTypeNetwork)}})
	if err != nil {
		t.Fatal(err)
	}
	fresh := aws.ToString(created.ServiceConfiguration.ServiceId)
	_, err = e.prov.DeleteVpcEndpointServiceConfigurations(ec2ctx, &ec2.DeleteVpcEndpointServiceConfigurationsInput{ServiceIds: []string{fresh}, DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
	e.wantRawCode(ProviderAccountID, "DeleteVpcEndpointServiceConfigurations", "", "MissingParameter")

	out, err := e.prov.DeleteVpcEndpointServiceConfigurations(ec2ctx, &ec2.DeleteVpcEndpointServiceConfigurationsInput{
		ServiceIds: []string{fresh, payments.ID, "vpce-svc-0000000000000000f"}})
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, u := range out.Unsuccessful {
		codes[aws.ToString(u.ResourceId)] = aws.ToString(u.Error.Code)
	}
	if len(codes) != 2 || codes[payments.ID] != "ExistingVpcEndpointConnections" ||
		codes["vpce-svc-0000000000000000f"] != "InvalidVpcEndpointService.NotFound" {
		t.Fatalf("unsuccessful = %v", codes)
	}
	_, err = e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{fresh}})
	wantCode(t, err, "InvalidVpcEndpointServiceId.NotFound")

	// Once every active connection is rejected, the service can go.
	var active []string
	e.read(func(w *World) {
		for _, ep := range payments.Endpoints {
			if ep.Active() {
				active = append(active, ep.ID)
			}
		}
	})
	rej, err := e.prov.RejectVpcEndpointConnections(ec2ctx, &ec2.RejectVpcEndpointConnectionsInput{ServiceId: aws.String(payments.ID), VpcEndpointIds: active})
	if err != nil || len(rej.Unsuccessful) != 0 {
		t.Fatalf("reject all: %+v %v", rej, err)
	}
	out, err = e.prov.DeleteVpcEndpointServiceConfigurations(ec2ctx, &ec2.DeleteVpcEndpointServiceConfigurationsInput{ServiceIds: []string{payments.ID}})
	if err != nil || len(out.Unsuccessful) != 0 {
		t.Fatalf("delete after rejecting: %+v %v", out, err)
	}
}

func TestServicePermissions(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	ledger := e.serviceByLabel("ledger-ingest")
	var before int
	e.read(func(w *World) { before = len(ledger.Principals) })
	add := []string{"arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:role/reader", "*"}
	for i := 0; i < 8; i++ {
		add = append(add, fmt.Sprintf("arn:aws:iam::20000000001%d:root", i))
	}
	_, err := e.prov.ModifyVpcEndpointServicePermissions(ec2ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{
		ServiceId: aws.String(ledger.ID), AddAllowedPrincipals: add, DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
	out, err := e.prov.ModifyVpcEndpointServicePermissions(ec2ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{
		ServiceId: aws.String(ledger.ID), AddAllowedPrincipals: add})
	if err != nil || !aws.ToBool(out.ReturnValue) || len(out.AddedPrincipals) != len(add) {
		t.Fatalf("add: %+v %v", out, err)
	}
	if out.AddedPrincipals[2].PrincipalType != types.PrincipalTypeAll || out.AddedPrincipals[1].PrincipalType != types.PrincipalTypeRole ||
		!strings.HasPrefix(aws.ToString(out.AddedPrincipals[0].ServicePermissionId), "vpce-svc-perm-") {
		t.Fatalf("added = %+v", out.AddedPrincipals)
	}
	// Pages of 5.
	var got []types.AllowedPrincipal
	pager := ec2.NewDescribeVpcEndpointServicePermissionsPaginator(e.prov, &ec2.DescribeVpcEndpointServicePermissionsInput{
		ServiceId: aws.String(ledger.ID), MaxResults: aws.Int32(5)})
	for pager.HasMorePages() {
		page, err := pager.NextPage(ec2ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page.AllowedPrincipals...)
	}
	if len(got) != before+len(add) {
		t.Fatalf("listed %d principals, want %d", len(got), before+len(add))
	}
	filtered, err := e.prov.DescribeVpcEndpointServicePermissions(ec2ctx, &ec2.DescribeVpcEndpointServicePermissionsInput{
		ServiceId: aws.String(ledger.ID), Filters: []types.Filter{{Name: aws.String("principal-type"), Values: []string{"All"}}}})
	if err != nil || len(filtered.AllowedPrincipals) != 1 || aws.ToString(filtered.AllowedPrincipals[0].Principal) != "*" {
		t.Fatalf("principal-type filter: %+v %v", filtered, err)
	}
	rm, err := e.prov.ModifyVpcEndpointServicePermissions(ec2ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{
		ServiceId: aws.String(ledger.ID), RemoveAllowedPrincipals: []string{"*"}})
	if err != nil || !aws.ToBool(rm.ReturnValue) {
		t.Fatalf("remove: %v", err)
	}
	// In EC2 filters "*" is a wildcard, so look for the entry itself.
	filtered, _ = e.prov.DescribeVpcEndpointServicePermissions(ec2ctx, &ec2.DescribeVpcEndpointServicePermissionsInput{
		ServiceId: aws.String(ledger.ID), Filters: []types.Filter{{Name: aws.String("principal-type"), Values: []string{"All"}}}})
	if len(filtered.AllowedPrincipals) != 0 {
		t.Fatalf("* still allowed")
	}
	for _, bad := range []string{"arn:aws:iam::123456789012:role/path/to/role", "123456789012", "not-an-arn"} {
		_, err = e.prov.ModifyVpcEndpointServicePermissions(ec2ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{
			ServiceId: aws.String(ledger.ID), AddAllowedPrincipals: []string{bad}})
		wantCode(t, err, "InvalidPrincipal")
	}
	e.wantRawCode(ProviderAccountID, "DescribeVpcEndpointServicePermissions", "", "MissingParameter")
	_, err = e.prov.DescribeVpcEndpointServicePermissions(ec2ctx, &ec2.DescribeVpcEndpointServicePermissionsInput{
		ServiceId: aws.String(ledger.ID), MaxResults: aws.Int32(2)})
	wantCode(t, err, "InvalidParameterValue")
	cons := e.client(e.consumer(nil).ID)
	_, err = cons.DescribeVpcEndpointServicePermissions(ec2ctx, &ec2.DescribeVpcEndpointServicePermissionsInput{ServiceId: aws.String(ledger.ID)})
	wantCode(t, err, "InvalidVpcEndpointServiceId.NotFound")
}

func TestPrivateDNSVerificationBothWays(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	ledger := e.serviceByLabel("ledger-ingest")
	var recName, recValue string
	e.read(func(w *World) { recName, recValue = ledger.TXTRecordName(), ledger.TXTValue() })
	state := func() types.DnsNameState {
		t.Helper()
		out, err := e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{ledger.ID}})
		if err != nil {
			t.Fatal(err)
		}
		return out.ServiceConfigurations[0].PrivateDnsNameConfiguration.State
	}
	_, err := e.prov.StartVpcEndpointServicePrivateDnsVerification(ec2ctx, &ec2.StartVpcEndpointServicePrivateDnsVerificationInput{
		ServiceId: aws.String(ledger.ID), DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")

	// No TXT record published: verification fails.
	if _, err := e.prov.StartVpcEndpointServicePrivateDnsVerification(ec2ctx, &ec2.StartVpcEndpointServicePrivateDnsVerificationInput{ServiceId: aws.String(ledger.ID)}); err != nil {
		t.Fatal(err)
	}
	if s := state(); s != types.DnsNameStatePendingVerification {
		t.Fatalf("right after start: %s", s)
	}
	e.advance(DNSVerifyDelay)
	if s := state(); s != types.DnsNameStateFailed {
		t.Fatalf("without the record: %s, want failed", s)
	}

	// Publish the record (as the operator would at their DNS provider) and retry.
	req, _ := http.NewRequest(http.MethodPut, e.run.URL+"/_sim/dns",
		strings.NewReader(`{"name":"`+recName+`","value":"`+recValue+`"}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("publish TXT: %v %v", resp, err)
	}
	resp.Body.Close()
	if _, err := e.prov.StartVpcEndpointServicePrivateDnsVerification(ec2ctx, &ec2.StartVpcEndpointServicePrivateDnsVerificationInput{ServiceId: aws.String(ledger.ID)}); err != nil {
		t.Fatal(err)
	}
	e.advance(DNSVerifyDelay)
	if s := state(); s != types.DnsNameStateVerified {
		t.Fatalf("with the record: %s, want verified", s)
	}
	// Verified names cannot be re-verified; services without a name cannot be verified.
	_, err = e.prov.StartVpcEndpointServicePrivateDnsVerification(ec2ctx, &ec2.StartVpcEndpointServicePrivateDnsVerificationInput{ServiceId: aws.String(ledger.ID)})
	wantCode(t, err, "InvalidParameter")
	search := e.serviceByLabel("search-gateway")
	_, err = e.prov.StartVpcEndpointServicePrivateDnsVerification(ec2ctx, &ec2.StartVpcEndpointServicePrivateDnsVerificationInput{ServiceId: aws.String(search.ID)})
	wantCode(t, err, "InvalidParameter")
	e.wantRawCode(ProviderAccountID, "StartVpcEndpointServicePrivateDnsVerification", "", "MissingParameter")
}

func TestPayerResponsibility(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	svc := e.serviceByLabel("search-gateway")
	out, err := e.prov.ModifyVpcEndpointServicePayerResponsibility(ec2ctx, &ec2.ModifyVpcEndpointServicePayerResponsibilityInput{
		ServiceId: aws.String(svc.ID), PayerResponsibility: types.PayerResponsibilityServiceOwner})
	if err != nil || !aws.ToBool(out.ReturnValue) {
		t.Fatalf("%v %v", out, err)
	}
	_, err = e.prov.ModifyVpcEndpointServicePayerResponsibility(ec2ctx, &ec2.ModifyVpcEndpointServicePayerResponsibilityInput{
		ServiceId: aws.String(svc.ID), PayerResponsibility: "EndpointOwner"})
	wantCode(t, err, "InvalidParameterValue")
	_, err = e.prov.ModifyVpcEndpointServicePayerResponsibility(ec2ctx, &ec2.ModifyVpcEndpointServicePayerResponsibilityInput{
		ServiceId: aws.String(svc.ID), PayerResponsibility: types.PayerResponsibilityServiceOwner, DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
	e.wantRawCode(ProviderAccountID, "ModifyVpcEndpointServicePayerResponsibility", "ServiceId="+svc.ID, "MissingParameter")
}
