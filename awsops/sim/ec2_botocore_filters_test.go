package sim

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// botocoreFilters is testdata/botocore_filters.json, extracted from botocore's EC2 model
// by gen_botocore_filters.go (go generate ./awsops/sim re-extracts it).
type botocoreFilters struct {
	Source     string              `json:"source"`
	Operations map[string][]string `json:"operations"`
}

func readBotocoreFilters(t *testing.T) botocoreFilters {
	t.Helper()
	raw, err := os.ReadFile("testdata/botocore_filters.json")
	if err != nil {
		t.Fatal(err)
	}
	var bf botocoreFilters
	if err := json.Unmarshal(raw, &bf); err != nil {
		t.Fatal(err)
	}
	return bf
}

// noMatch is a filter value no object of the world has.
const noMatch = "sim-no-object-has-this-value"

// Every filter botocore documents for an operation the simulated region serves is
// accepted, and applied: with a value nothing has it leaves an otherwise non-empty
// listing empty (a filter the region ignored would leave it whole).
func TestBotocoreDocumentedFilters(t *testing.T) {
	bf := readBotocoreFilters(t)
	e := newEC2Env(t, WorldConfig{Static: true})
	payments := e.serviceByLabel("payments-api")
	var consumerID string
	e.read(func(w *World) {
		for _, ep := range payments.Endpoints {
			if ep.Region == w.Region && ep.Active() {
				consumerID = ep.OwnerID
				return
			}
		}
	})
	cons := e.client(consumerID)

	// Each lister returns how many objects a request with these filters lists.
	listers := map[string]func(fs []types.Filter) (int, error){
		"DescribeVpcEndpointServiceConfigurations": func(fs []types.Filter) (int, error) {
			out, err := e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{Filters: fs})
			return lenOr(out, func() int { return len(out.ServiceConfigurations) }), err
		},
		"DescribeVpcEndpointServicePermissions": func(fs []types.Filter) (int, error) {
			out, err := e.prov.DescribeVpcEndpointServicePermissions(ec2ctx, &ec2.DescribeVpcEndpointServicePermissionsInput{
				ServiceId: aws.String(payments.ID), Filters: fs})
			return lenOr(out, func() int { return len(out.AllowedPrincipals) }), err
		},
		"DescribeVpcEndpointConnections": func(fs []types.Filter) (int, error) {
			out, err := e.prov.DescribeVpcEndpointConnections(ec2ctx, &ec2.DescribeVpcEndpointConnectionsInput{Filters: fs})
			return lenOr(out, func() int { return len(out.VpcEndpointConnections) }), err
		},
		"DescribeVpcEndpointConnectionNotifications": func(fs []types.Filter) (int, error) {
			out, err := e.prov.DescribeVpcEndpointConnectionNotifications(ec2ctx, &ec2.DescribeVpcEndpointConnectionNotificationsInput{Filters: fs})
			return lenOr(out, func() int { return len(out.ConnectionNotificationSet) }), err
		},
		"DescribeVpcEndpointServices": func(fs []types.Filter) (int, error) {
			out, err := cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{Filters: fs})
			return lenOr(out, func() int { return len(out.ServiceDetails) }), err
		},
		"DescribeVpcEndpoints": func(fs []types.Filter) (int, error) {
			out, err := cons.DescribeVpcEndpoints(ec2ctx, &ec2.DescribeVpcEndpointsInput{Filters: fs})
			return lenOr(out, func() int { return len(out.VpcEndpoints) }), err
		},
		"DescribeVpcs": func(fs []types.Filter) (int, error) {
			out, err := e.prov.DescribeVpcs(ec2ctx, &ec2.DescribeVpcsInput{Filters: fs})
			return lenOr(out, func() int { return len(out.Vpcs) }), err
		},
		"DescribeSubnets": func(fs []types.Filter) (int, error) {
			out, err := e.prov.DescribeSubnets(ec2ctx, &ec2.DescribeSubnetsInput{Filters: fs})
			return lenOr(out, func() int { return len(out.Subnets) }), err
		},
		"DescribeAvailabilityZones": func(fs []types.Filter) (int, error) {
			out, err := e.prov.DescribeAvailabilityZones(ec2ctx, &ec2.DescribeAvailabilityZonesInput{Filters: fs})
			return lenOr(out, func() int { return len(out.AvailabilityZones) }), err
		},
		"DescribeSecurityGroups": func(fs []types.Filter) (int, error) {
			out, err := e.prov.DescribeSecurityGroups(ec2ctx, &ec2.DescribeSecurityGroupsInput{Filters: fs})
			return lenOr(out, func() int { return len(out.SecurityGroups) }), err
		},
		"DescribeInstances": func(fs []types.Filter) (int, error) {
			out, err := e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{Filters: fs})
			return lenOr(out, func() int { return len(out.Reservations) }), err
		},
	}

	// The extract covers every filtered operation the region serves, and the test every one.
	var filtered []string
	client := reflect.TypeOf(&ec2.Client{})
	for _, op := range e.run.Server.Operations()["ec2"] {
		if m, ok := client.MethodByName(op); ok {
			if _, has := m.Type.In(2).Elem().FieldByName("Filters"); has {
				filtered = append(filtered, op)
			}
		}
	}
	sort.Strings(filtered)
	for _, op := range filtered {
		if bf.Operations[op] == nil {
			t.Errorf("%s takes Filters but testdata/botocore_filters.json has none for it: run go generate ./awsops/sim", op)
		}
		if listers[op] == nil {
			t.Errorf("%s takes Filters but this test cannot list it", op)
		}
	}

	for op, names := range bf.Operations {
		list := listers[op]
		if list == nil {
			continue
		}
		all, err := list(nil)
		if err != nil || all == 0 {
			t.Fatalf("%s without filters: %d objects, %v; the test needs some to filter", op, all, err)
		}
		for _, name := range names {
			if name == "tag:<key>" {
				name = "tag:Name"
			}
			n, err := list([]types.Filter{{Name: aws.String(name), Values: []string{noMatch}}})
			if err != nil {
				t.Errorf("%s refuses the documented filter %s: %v", op, name, err)
				continue
			}
			if n != 0 {
				t.Errorf("%s ignores the filter %s: %d of %d objects match %q", op, name, n, all, noMatch)
			}
		}
	}
	// A name no reference documents is still refused.
	if _, err := listers["DescribeSubnets"]([]types.Filter{{Name: aws.String("colour"), Values: []string{"blue"}}}); apiCode(err) != "InvalidParameterValue" {
		t.Errorf("an undocumented filter: %v", err)
	}
	if !strings.HasPrefix(bf.Source, "botocore ") {
		t.Errorf("source %q does not say which botocore it came from", bf.Source)
	}
}

// lenOr is n() when out is not nil (a failed call has no output).
func lenOr[T any](out *T, n func() int) int {
	if out == nil {
		return 0
	}
	return n()
}
