package sim

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/plconsole/plconsole/model"
)

// The provider sees a consumer's zones only in its zonal DNS names, and those carry the zone
// names of the consumer's account: mapped through the consumer's own zone ids they give the
// zones of the endpoint's interfaces, while the provider's name for the same string may be
// another physical zone.
func TestZonalDNSNamesCarryTheOwnersZoneNames(t *testing.T) {
	run := startReadSim(t, WorldConfig{Services: 6, Connections: 120})
	ctx := context.Background()
	prov := ec2.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))
	var conns []ec2VpcConn
	p := ec2.NewDescribeVpcEndpointConnectionsPaginator(prov, &ec2.DescribeVpcEndpointConnectionsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.VpcEndpointConnections {
			var names []string
			for _, d := range c.DnsEntries {
				names = append(names, aws.ToString(d.DnsName))
			}
			conns = append(conns, ec2VpcConn{id: aws.ToString(c.VpcEndpointId), owner: aws.ToString(c.VpcEndpointOwner), state: string(c.VpcEndpointState), names: names})
		}
	}
	zoneMaps := map[string]model.ZoneIndex{}
	zonesOf := func(account string) model.ZoneIndex {
		if ix, ok := zoneMaps[account]; ok {
			return ix
		}
		out, err := ec2.NewFromConfig(testAWSConfig(run, account, 1)).DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
		if err != nil {
			t.Fatal(err)
		}
		var zs []model.AvailabilityZone
		for _, z := range out.AvailabilityZones {
			zs = append(zs, model.AvailabilityZone{Name: aws.ToString(z.ZoneName), ID: aws.ToString(z.ZoneId)})
		}
		zoneMaps[account] = model.NewZoneIndex(zs)
		return zoneMaps[account]
	}
	provZones := zonesOf(ProviderAccountID)
	w := run.Server.World()
	checked, differ, crossRegion := 0, 0, 0
	for _, c := range conns {
		if c.state != EndpointAvailable {
			continue
		}
		w.mu.RLock()
		ep := w.Endpoint(c.id)
		var wantIDs []string
		for _, n := range ep.ENIs {
			wantIDs = append(wantIDs, n.AZID)
		}
		region, svcRegion := ep.Region, w.Region
		w.mu.RUnlock()
		for _, n := range c.names {
			if strings.HasPrefix(n, c.id) && !strings.HasSuffix(n, "."+svcRegion+".vpce.amazonaws.com") {
				t.Errorf("%s: %s is not under the service's Region %s", c.id, n, svcRegion)
			}
		}
		if region != svcRegion {
			crossRegion++
			continue
		}
		conn := model.Connection{EndpointID: c.id, OwnerAccount: c.owner, DNSNames: c.names}
		zs := model.EndpointZones(conn, map[string]model.ZoneIndex{c.owner: zonesOf(c.owner)})
		if len(zs) != len(wantIDs) {
			t.Fatalf("%s: zones %v from %v, want %d interfaces", c.id, zs, c.names, len(wantIDs))
		}
		for i, z := range zs {
			if z.ID != wantIDs[i] {
				t.Errorf("%s: zone %s maps to %s in the owner's account, want the interface's %s", c.id, z.Zone, z.ID, wantIDs[i])
			}
			if provID, _ := provZones.ID(z.Zone); provID != z.ID {
				differ++
			}
		}
		checked++
	}
	if checked < 20 || differ == 0 || crossRegion == 0 {
		t.Fatalf("checked %d endpoints, %d zone names that the provider maps elsewhere, %d cross-Region: the test proves too little", checked, differ, crossRegion)
	}
}

type ec2VpcConn struct {
	id, owner, state string
	names            []string
}

// search-gateway's consumer surge (from 40 minutes before the start) drives the targets past
// 95% of the port limit: PortAllocationErrorCount rises then, not before, and only on that
// load balancer; the zones add up to the load balancer.
func TestPortAllocationErrorsWhenTargetsNearThePortLimit(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	c := cloudwatch.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))
	surgeFrom := elbTestStart.Add(-40 * time.Minute).Truncate(time.Minute)
	w := run.Server.World()
	w.mu.RLock()
	var queries []cwtypes.MetricDataQuery
	var hot string
	var zones []string
	for i, lb := range w.LoadBalancerList {
		if lb.Type != LBTypeNetwork {
			continue
		}
		id := "lb" + string(rune('a'+i))
		queries = append(queries, cwQ(id, nsNetworkELB, "PortAllocationErrorCount", "Sum", 60, dimLoadBalancer, lbDimensionValue(lb.ARN)))
		if svc := w.Service(lb.ServiceID); svc != nil && svc.NameTag() == "search-gateway" {
			hot = id
			for z, zone := range lb.Zones {
				zones = append(zones, zone.AZ)
				queries = append(queries, cwQ(id+"z"+string(rune('0'+z)), nsNetworkELB, "PortAllocationErrorCount", "Sum", 60,
					dimLoadBalancer, lbDimensionValue(lb.ARN), dimAZ, zone.AZ))
			}
		}
	}
	w.mu.RUnlock()
	if hot == "" || len(zones) == 0 {
		t.Fatal("search-gateway's NLB not found")
	}
	res := getAll(t, c, &cloudwatch.GetMetricDataInput{
		MetricDataQueries: queries,
		StartTime:         aws.Time(elbTestStart.Add(-2 * time.Hour).Truncate(time.Minute)),
		EndTime:           aws.Time(elbTestStart.Truncate(time.Minute)),
		ScanBy:            cwtypes.ScanByTimestampAscending,
	})
	var before, during float64
	for i, ts := range res[hot].Timestamps {
		if ts.Before(surgeFrom) {
			before += res[hot].Values[i]
		} else {
			during += res[hot].Values[i]
		}
	}
	if before != 0 || during == 0 {
		t.Fatalf("search-gateway: %v port allocation errors before the surge, %v during it", before, during)
	}
	var zoneSum float64
	for id, r := range res {
		switch {
		case strings.HasPrefix(id, hot+"z"):
			zoneSum += sum(r.Values)
		case id != hot && sum(r.Values) != 0:
			t.Errorf("%s: %v port allocation errors on a load balancer without a surge", id, sum(r.Values))
		}
	}
	if zoneSum != during {
		t.Errorf("zones add up to %v, the load balancer says %v", zoneSum, during)
	}
}

// payments-api's busiest settled consumer went silent 25 minutes before the start: its
// bytes stop then, while its connection stays available and it still counts as an endpoint.
func TestSilentConsumerStaysAvailable(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	svc := worldService(t, run, "payments-api")
	w := run.Server.World()
	w.mu.RLock()
	var silent *Endpoint
	for _, ep := range svc.Endpoints {
		if ep.Traffic.SilentFrom != 0 {
			silent = ep
		}
	}
	w.mu.RUnlock()
	if silent == nil {
		t.Fatal("no silent consumer in payments-api")
	}
	out, err := ec2.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1)).DescribeVpcEndpointConnections(context.Background(),
		&ec2.DescribeVpcEndpointConnectionsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-endpoint-id"), Values: []string{silent.ID}}}})
	if err != nil || len(out.VpcEndpointConnections) != 1 || out.VpcEndpointConnections[0].VpcEndpointState != "available" {
		t.Fatalf("the silent consumer's connection: %+v, %v", out, err)
	}
	c := cloudwatch.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))
	res := getAll(t, c, &cloudwatch.GetMetricDataInput{
		MetricDataQueries: []cwtypes.MetricDataQuery{cwQ("b", nsPLServices, "BytesProcessed", "Sum", 60, dimServiceID, svc.ID, dimEndpointID, silent.ID)},
		StartTime:         aws.Time(elbTestStart.Add(-time.Hour).Truncate(time.Minute)),
		EndTime:           aws.Time(elbTestStart.Truncate(time.Minute)),
	})
	quiet := elbTestStart.Add(-25 * time.Minute).Truncate(time.Minute)
	var before, after float64
	for i, ts := range res["b"].Timestamps {
		if ts.Before(quiet) {
			before += res["b"].Values[i]
		} else {
			after += res["b"].Values[i]
		}
	}
	if before == 0 || after != 0 {
		t.Fatalf("bytes before going silent %v, after %v", before, after)
	}
}
