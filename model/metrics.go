package model

import "time"

// Dimension is one CloudWatch dimension name/value pair.
type Dimension struct {
	Name  string
	Value string
}

// MetricQuery asks for one statistic of one metric over the window of a MetricRequest.
type MetricQuery struct {
	ID         string // unique within a request; [a-z][a-zA-Z0-9_]*
	Namespace  string
	Metric     string
	Dimensions []Dimension
	Stat       string // Sum | Average | Maximum | Minimum | SampleCount
	Label      string
}

// MetricRequest is a batch of queries over one time window.
type MetricRequest struct {
	Start   time.Time
	End     time.Time
	Period  time.Duration // zero: chosen by ChoosePeriod
	Queries []MetricQuery
	// Now is the instant the window was computed at, which CloudWatch's retention rules are
	// applied against; zero: the time the request is sent.
	Now time.Time
}

// MetricSeries is the answer to one query: timestamps ascending.
type MetricSeries struct {
	ID         string
	Label      string
	Timestamps []time.Time
	Values     []float64
	Complete   bool // false when CloudWatch said PartialData
}

// Metric names and namespaces the console reads.
const (
	NamespacePrivateLinkServices  = "AWS/PrivateLinkServices"
	NamespacePrivateLinkEndpoints = "AWS/PrivateLinkEndpoints"
	NamespaceNetworkELB           = "AWS/NetworkELB"

	DimServiceID    = "Service Id"
	DimLBArn        = "Load Balancer Arn"
	DimAZ           = "Az"
	DimEndpointID   = "VPC Endpoint Id"
	DimLoadBalancer = "LoadBalancer"
	DimTargetGroup  = "TargetGroup"
	DimNLBAZ        = "AvailabilityZone"
)
