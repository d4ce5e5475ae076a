package ui

import (
	"context"
	"errors"

	"github.com/plconsole/plconsole/model"
)

// errNoMetrics is the in-memory backend's answer to metric reads: it has no CloudWatch, and
// a screen test that needs metrics runs against the simulated region.
var errNoMetrics = errors.New("the in-memory test backend has no CloudWatch metrics")

func (b *fakeBackend) GetMetrics(context.Context, model.MetricRequest) ([]model.MetricSeries, error) {
	b.mu.Lock()
	b.countRead("GetMetrics")
	b.mu.Unlock()
	return nil, errNoMetrics
}

func (b *fakeBackend) AvailabilityZones(context.Context) ([]model.AvailabilityZone, error) {
	return []model.AvailabilityZone{{Name: "us-east-1a", ID: "use1-az1"}, {Name: "us-east-1b", ID: "use1-az2"}, {Name: "us-east-1c", ID: "use1-az4"}}, nil
}

func (b *trackedBackend) GetMetrics(ctx context.Context, req model.MetricRequest) ([]model.MetricSeries, error) {
	defer b.busy()()
	return b.Backend.GetMetrics(ctx, req)
}
