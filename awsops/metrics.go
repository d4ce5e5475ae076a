package awsops

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/plconsole/plconsole/model"
)

// GetMetrics runs metric queries through GetMetricData: ≤500 queries per call (one call per
// batch unless CloudWatch pages a batch with NextToken), with the Period from the request or
// chosen by CloudWatch's retention rules for the window. Series come back in query order.
func (c *Client) GetMetrics(ctx context.Context, req model.MetricRequest) ([]model.MetricSeries, error) {
	return c.getMetrics(ctx, c.session(), req)
}

func (c *Client) getMetrics(ctx context.Context, s *session, req model.MetricRequest) ([]model.MetricSeries, error) {
	const op = "GetMetricData"
	if len(req.Queries) == 0 {
		return nil, nil
	}
	now := req.Now
	if now.IsZero() {
		now = time.Now()
	}
	if err := model.ValidateMetricRequest(req, now); err != nil {
		return nil, fmt.Errorf("metrics request not sent: %w", err)
	}
	period := req.Period
	if period == 0 {
		period = model.ChoosePeriod(req.Start, req.End, now, 0)
	}
	start, end := req.Start.UTC().Truncate(time.Second), req.End.UTC().Truncate(time.Second)

	batches := model.BatchQueries(req.Queries, model.MaxQueriesPerCall)
	series := make([][]model.MetricSeries, len(batches))
	errs := make([]error, len(batches))
	forEach(ctx, c.concurrency(), len(batches), func(b int) {
		series[b], errs[b] = c.metricBatch(ctx, s, batches[b], start, end, period)
	})
	if err := ctx.Err(); err != nil {
		return nil, c.mapError(op, err)
	}
	var out []model.MetricSeries
	for _, ss := range series {
		out = append(out, ss...)
	}
	return out, errors.Join(errs...)
}

// metricBatch runs one GetMetricData request of ≤500 queries, following NextToken and
// stitching each query's pages together.
func (c *Client) metricBatch(ctx context.Context, s *session, qs []model.MetricQuery, start, end time.Time, period time.Duration) ([]model.MetricSeries, error) {
	in := &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(start),
		EndTime:   aws.Time(end),
		ScanBy:    cwtypes.ScanByTimestampAscending,
	}
	byID := make(map[string]*model.MetricSeries, len(qs))
	out := make([]model.MetricSeries, len(qs))
	for i, q := range qs {
		dims := make([]cwtypes.Dimension, len(q.Dimensions))
		for j, d := range q.Dimensions {
			dims[j] = cwtypes.Dimension{Name: aws.String(d.Name), Value: aws.String(d.Value)}
		}
		mq := cwtypes.MetricDataQuery{
			Id: aws.String(q.ID),
			MetricStat: &cwtypes.MetricStat{
				Metric: &cwtypes.Metric{Namespace: aws.String(q.Namespace), MetricName: aws.String(q.Metric), Dimensions: dims},
				Period: aws.Int32(int32(period / time.Second)),
				Stat:   aws.String(q.Stat),
			},
			ReturnData: aws.Bool(true),
		}
		if q.Label != "" {
			mq.Label = aws.String(q.Label)
		}
		in.MetricDataQueries = append(in.MetricDataQueries, mq)
		out[i] = model.MetricSeries{ID: q.ID, Label: q.Label, Complete: true}
		byID[q.ID] = &out[i]
	}
	p := cloudwatch.NewGetMetricDataPaginator(s.cw, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.mapError("GetMetricData", err)
		}
		for _, r := range page.MetricDataResults {
			ms := byID[aws.ToString(r.Id)]
			if ms == nil {
				continue
			}
			if ms.Label == "" {
				ms.Label = aws.ToString(r.Label)
			}
			n := min(len(r.Timestamps), len(r.Values))
			ms.Timestamps = append(ms.Timestamps, r.Timestamps[:n]...)
			ms.Values = append(ms.Values, r.Values[:n]...)
			// PartialData on one page is completed by a later page with the rest, whose
			// status then says Complete: the last status seen is the series' status.
			ms.Complete = r.StatusCode == cwtypes.StatusCodeComplete || r.StatusCode == ""
		}
	}
	for i := range out {
		sortSeries(&out[i])
	}
	shareTimestamps(out)
	return out, nil
}

// shareTimestamps gives series with the same timestamps one copy of them. A fleet read is
// thousands of series over one window and period, nearly all with a point at every period:
// kept apart, their timestamps were 22 MB of the console's heap on the fleet world (a
// time.Time holds a pointer, so the collector scans every one). The shared slices are capped,
// so that appending to one series' timestamps copies instead of writing into another's.
func shareTimestamps(series []model.MetricSeries) {
	var shared [][]time.Time // the distinct timestamp lists met so far, a few at most
	for i := range series {
		ts := series[i].Timestamps
		if len(ts) == 0 {
			continue
		}
		found := false
		for _, s := range shared {
			if slices.Equal(s, ts) {
				series[i].Timestamps, found = s, true
				break
			}
		}
		if !found {
			series[i].Timestamps = ts[:len(ts):len(ts)]
			if len(shared) < 8 {
				shared = append(shared, series[i].Timestamps)
			}
		}
	}
}

// sortSeries orders a series' points by time (CloudWatch already does with ScanBy, but pages
// are stitched together here).
func sortSeries(ms *model.MetricSeries) {
	if sort.SliceIsSorted(ms.Timestamps, func(i, j int) bool { return ms.Timestamps[i].Before(ms.Timestamps[j]) }) {
		return
	}
	idx := make([]int, len(ms.Timestamps))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ms.Timestamps[idx[a]].Before(ms.Timestamps[idx[b]]) })
	ts := make([]time.Time, len(idx))
	vs := make([]float64, len(idx))
	for i, k := range idx {
		ts[i], vs[i] = ms.Timestamps[k], ms.Values[k]
	}
	ms.Timestamps, ms.Values = ts, vs
}
