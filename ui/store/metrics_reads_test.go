package store

import (
	"context"
	"errors"

	"github.com/plconsole/plconsole/model"
)

// The store tests' backend has no CloudWatch: the fleet read fails, and the badges are the
// configuration's alone.
func (b *reads) GetMetrics(context.Context, model.MetricRequest) ([]model.MetricSeries, error) {
	b.count("GetMetrics")
	return nil, errors.New("no CloudWatch in the store tests")
}

func (b *reads) AvailabilityZones(context.Context) ([]model.AvailabilityZone, error) {
	b.count("AvailabilityZones")
	return nil, nil
}
