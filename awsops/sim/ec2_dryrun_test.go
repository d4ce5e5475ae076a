package sim

import (
	"net/url"
	"strings"
	"testing"
)

// TestEveryEC2OperationHonoursDryRun sends each registered EC2 operation a valid request with
// DryRun=true: every one answers DryRunOperation (HTTP 412) and changes nothing.
func TestEveryEC2OperationHonoursDryRun(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	payments := e.serviceByLabel("payments-api")
	search := e.serviceByLabel("search-gateway")
	consumer := e.consumer(search)
	vpcID, subnets, _ := e.subnetsFor(consumer, search)
	var pendingEP, ownEP, nfn, conn string
	e.read(func(w *World) {
		for _, ep := range payments.Endpoints {
			if ep.State == EndpointPendingAcceptance {
				pendingEP, conn = ep.ID, ep.ConnectionID
			}
		}
		for _, ep := range consumer.Endpoints {
			if ep.Region == w.Region && ep.State == EndpointAvailable {
				ownEP = ep.ID
			}
		}
		nfn = payments.Notifications[0].ID
	})
	if ownEP == "" {
		t.Fatal("the consumer has no available endpoint")
	}
	q := url.QueryEscape
	prov, cons := ProviderAccountID, consumer.ID
	cases := map[string]struct{ account, form string }{
		"DescribeVpcEndpointServiceConfigurations":      {prov, ""},
		"CreateVpcEndpointServiceConfiguration":         {prov, "NetworkLoadBalancerArn.1=" + q(e.spareLB(LBTypeNetwork))},
		"ModifyVpcEndpointServiceConfiguration":         {prov, "ServiceId=" + payments.ID + "&AcceptanceRequired=false"},
		"DeleteVpcEndpointServiceConfigurations":        {prov, "ServiceId.1=" + search.ID},
		"DescribeVpcEndpointServicePermissions":         {prov, "ServiceId=" + payments.ID},
		"ModifyVpcEndpointServicePermissions":           {prov, "ServiceId=" + payments.ID + "&AddAllowedPrincipals.1=" + q("*")},
		"StartVpcEndpointServicePrivateDnsVerification": {prov, "ServiceId=" + e.serviceByLabel("ledger-ingest").ID},
		"ModifyVpcEndpointServicePayerResponsibility":   {prov, "ServiceId=" + payments.ID + "&PayerResponsibility=ServiceOwner"},
		"DescribeVpcEndpointConnections":                {prov, ""},
		"AcceptVpcEndpointConnections":                  {prov, "ServiceId=" + payments.ID + "&VpcEndpointId.1=" + pendingEP},
		"RejectVpcEndpointConnections":                  {prov, "ServiceId=" + payments.ID + "&VpcEndpointId.1=" + pendingEP},
		"CreateVpcEndpointConnectionNotification": {prov, "ServiceId=" + search.ID + "&ConnectionNotificationArn=" +
			q("arn:aws:sns:us-east-1:111122223333:t") + "&ConnectionEvents.1=Accept"},
		"DescribeVpcEndpointConnectionNotifications": {prov, ""},
		"ModifyVpcEndpointConnectionNotification":    {prov, "ConnectionNotificationId=" + nfn + "&ConnectionEvents.1=Accept"},
		"DeleteVpcEndpointConnectionNotifications":   {prov, "ConnectionNotificationId.1=" + nfn},
		"DescribeVpcEndpointServices":                {cons, ""},
		"CreateVpcEndpoint": {cons, "VpcEndpointType=Interface&VpcId=" + vpcID + "&ServiceName=" + q(search.Name) +
			"&SubnetId.1=" + subnets[0]},
		"DescribeVpcEndpoints":      {cons, ""},
		"DeleteVpcEndpoints":        {cons, "VpcEndpointId.1=" + ownEP},
		"DescribeVpcs":              {cons, ""},
		"DescribeSubnets":           {cons, ""},
		"DescribeAvailabilityZones": {cons, ""},
		"DescribeSecurityGroups":    {cons, ""},
		"DescribeInstances":         {prov, ""},
		"ModifyVpcEndpointPayerResponsibility": {prov, "VpcEndpointId=" + pendingEP +
			"&PayerResponsibility=vpc-endpoint-service-account&Scope=vpc-endpoint-charges"},
		"CreateTags": {prov, "ResourceId.1=" + conn + "&Tag.1.Key=k&Tag.1.Value=v"},
		"DeleteTags": {prov, "ResourceId.1=" + conn},
	}
	snapshot := func() string {
		var b strings.Builder
		e.read(func(w *World) {
			for _, s := range w.ServiceList {
				b.WriteString(s.ID + s.State + s.PrivateDNSState + strings.Join(s.NLBARNs, ",") +
					boolStr(s.AcceptanceRequired) + ";")
				for _, p := range s.Principals {
					b.WriteString(p.ARN + ",")
				}
			}
			for _, ep := range w.EndpointList {
				b.WriteString(ep.ID + ep.State + ep.Payer + ";")
				for _, t := range ep.ConnTags {
					b.WriteString(t.Key + "=" + t.Value + ",")
				}
			}
			for id, n := range w.Notifications {
				b.WriteString(id + strings.Join(n.Events, ",") + ";")
			}
		})
		return b.String()
	}
	before := snapshot()
	for _, op := range e.run.Server.Operations()[svcEC2] {
		tc, ok := cases[op]
		if !ok {
			t.Errorf("%s has no DryRun case", op)
			continue
		}
		form := "DryRun=true"
		if tc.form != "" {
			form += "&" + tc.form
		}
		status, body := e.raw(tc.account, op, form)
		if status != 412 || !strings.Contains(body, "<Code>DryRunOperation</Code>") {
			t.Errorf("%s: status %d %s", op, status, body)
		}
	}
	if after := snapshot(); after != before {
		t.Fatal("a DryRun request changed the world")
	}
}

func boolStr(b bool) string {
	if b {
		return "t"
	}
	return "f"
}

// TestConsumerCannotRunProviderOperations: another account's service is off limits, and
// answers as one that does not exist.
func TestConsumerCannotRunProviderOperations(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	payments := e.serviceByLabel("payments-api")
	cons := e.consumer(payments).ID
	for op, form := range map[string]string{
		"ModifyVpcEndpointServiceConfiguration":         "AcceptanceRequired=false",
		"DescribeVpcEndpointServicePermissions":         "",
		"ModifyVpcEndpointServicePermissions":           "AddAllowedPrincipals.1=" + url.QueryEscape("*"),
		"StartVpcEndpointServicePrivateDnsVerification": "",
		"ModifyVpcEndpointServicePayerResponsibility":   "PayerResponsibility=ServiceOwner",
		"AcceptVpcEndpointConnections":                  "VpcEndpointId.1=vpce-00000000000000001",
		"RejectVpcEndpointConnections":                  "VpcEndpointId.1=vpce-00000000000000001",
	} {
		f := "ServiceId=" + payments.ID
		if form != "" {
			f += "&" + form
		}
		e.wantRawCode(cons, op, f, "InvalidVpcEndpointServiceId.NotFound")
	}
	status, body := e.raw(cons, "DeleteVpcEndpointServiceConfigurations", "ServiceId.1="+payments.ID)
	if status != 200 || !strings.Contains(body, "<code>InvalidVpcEndpointService.NotFound</code>") {
		t.Fatalf("delete: %d %s", status, body)
	}
}
