package sim

import (
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CloudWatch (Smithy RPC v2 CBOR for aws-sdk-go-v2, AWS JSON 1.0 for the AWS CLI; the core
// decodes both into Call.Doc): GetMetricData and ListMetrics over the series of metrics.go.

func (s *Server) registerCloudWatch() {
	s.handle(svcCloudWatch, "GetMetricData", s.cwGetMetricData)
	s.handle(svcCloudWatch, "ListMetrics", s.cwListMetrics)
}

// CloudWatch limits.
const (
	cwMaxQueries          = 500
	cwDefaultMaxDatapoint = 100800
	cwListMetricsPage     = 500
	cwMaxDimensions       = 30
	cwMaxDimensionFilters = 10
	// cwMaxComputedDatapoints bounds the work and memory of one GetMetricData (all pages).
	cwMaxComputedDatapoints = 2_000_000
)

var (
	cwIDPattern  = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)
	cwValidUnits = map[string]bool{}
	// Namespaces the simulated region publishes, all at standard (60-second) resolution.
	cwStandardNamespaces = map[string]bool{nsPLServices: true, nsPLEndpoints: true, nsNetworkELB: true}
)

func init() {
	for _, u := range strings.Split("Seconds Microseconds Milliseconds Bytes Kilobytes Megabytes Gigabytes Terabytes Bits Kilobits Megabits Gigabits Terabits Percent Count Bytes/Second Kilobytes/Second Megabytes/Second Gigabytes/Second Terabytes/Second Bits/Second Kilobits/Second Megabits/Second Gigabits/Second Terabits/Second Count/Second None", " ") {
		cwValidUnits[u] = true
	}
}

func errCWInvalid(format string, args ...any) *APIError {
	return apiErr(http.StatusBadRequest, "InvalidParameterValue", format, args...)
}

func errCWMissing(name string) *APIError {
	return apiErr(http.StatusBadRequest, "MissingParameter", "The parameter %s is required.", name)
}

func errCWCombination(format string, args ...any) *APIError {
	return apiErr(http.StatusBadRequest, "InvalidParameterCombination", format, args...)
}

func errCWNextToken() *APIError {
	return apiErr(http.StatusBadRequest, "InvalidNextToken", "The service couldn't process your request because the NextToken is not valid.")
}

// ---- small document readers --------------------------------------------------------------------

func docString(m map[string]any, key string) (string, bool, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return "", false, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", true, errCWInvalid("The parameter %s must be a string.", key)
	}
	return s, true, nil
}

func docMap(m map[string]any, key string) (map[string]any, bool, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return nil, false, nil
	}
	x, ok := v.(map[string]any)
	if !ok {
		return nil, true, errCWInvalid("The parameter %s must be a structure.", key)
	}
	return x, true, nil
}

func docList(m map[string]any, key string) ([]any, bool, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return nil, false, nil
	}
	x, ok := v.([]any)
	if !ok {
		return nil, true, errCWInvalid("The parameter %s must be a list.", key)
	}
	return x, true, nil
}

func docBool(m map[string]any, key string) (*bool, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return nil, nil
	}
	b, ok := v.(bool)
	if !ok {
		return nil, errCWInvalid("The parameter %s must be a boolean.", key)
	}
	return &b, nil
}

// readDimensions reads a list of {Name, Value} (Value optional when filters).
func readDimensions(list []any, field string, valueRequired bool) ([]cwDimension, error) {
	out := make([]cwDimension, 0, len(list))
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, errCWInvalid("The parameter %s.member.%d must be a structure.", field, i+1)
		}
		name, _, err := docString(m, "Name")
		if err != nil {
			return nil, err
		}
		if name == "" {
			return nil, errCWMissing(fmt.Sprintf("%s.member.%d.Name", field, i+1))
		}
		if len(name) > 255 {
			return nil, errCWInvalid("The parameter %s.member.%d.Name must be at most 255 characters long.", field, i+1)
		}
		value, has, err := docString(m, "Value")
		if err != nil {
			return nil, err
		}
		if valueRequired && !has {
			return nil, errCWMissing(fmt.Sprintf("%s.member.%d.Value", field, i+1))
		}
		if len(value) > 1024 {
			return nil, errCWInvalid("The parameter %s.member.%d.Value must be at most 1024 characters long.", field, i+1)
		}
		out = append(out, cwDimension{Name: name, Value: value})
	}
	return out, nil
}

// ---- GetMetricData -----------------------------------------------------------------------------

// cwQuery is one decoded MetricDataQuery.
type cwQuery struct {
	id         string
	field      string // "MetricDataQueries.member.N"
	label      string
	returnData bool
	// MetricStat
	stat      bool
	namespace string
	metric    string
	dims      dimMap
	period    int64 // the MetricStat's, or the Expression query's own Period (0: none)
	statistic cwStatistic
	unit      string
	account   string // MetricDataQuery.AccountId ("" = the caller)
	// Expression
	expr *cwExpr
	// results
	arithmeticError bool        // an expression dropped non-numeric points
	ts              []time.Time // ascending
	vals            []float64
	done            bool
}

func (s *Server) cwGetMetricData(c *Call) (any, error) {
	queries, start, end, err := parseGetMetricData(c.Doc)
	if err != nil {
		return nil, err
	}
	scanBy := "TimestampDescending"
	if v, has, err := docString(c.Doc, "ScanBy"); err != nil {
		return nil, err
	} else if has {
		if v != "TimestampDescending" && v != "TimestampAscending" {
			return nil, errCWInvalid("The parameter ScanBy must be one of TimestampDescending, TimestampAscending; got '%s'.", v)
		}
		scanBy = v
	}
	maxPoints := int64(cwDefaultMaxDatapoint)
	if n, has, err := c.Num("MaxDatapoints"); err != nil {
		return nil, err
	} else if has {
		if n < 1 {
			return nil, errCWInvalid("The parameter MaxDatapoints must be greater than 0.")
		}
		maxPoints = n
	}
	// The fingerprint binds a NextToken to its request; computed only when paging.
	fingerprint := func() uint64 { return cwFingerprint(c.Doc, start, end, scanBy) }
	cursor := 0
	if tok, has, err := docString(c.Doc, "NextToken"); err != nil {
		return nil, err
	} else if has && tok != "" {
		n, ok := decodeCWToken("gmd", tok, fingerprint())
		if !ok {
			return nil, errCWNextToken()
		}
		cursor = n
	}

	now := c.Now
	if now.IsZero() {
		now = s.clock.Now()
	}
	from := roundStart(start, now)
	var maxPeriod int64 = 60
	var potential int64
	for _, q := range queries {
		if q.stat {
			maxPeriod = max(maxPeriod, q.period)
			potential += (end.Unix()-from.Unix())/q.period + 1
		}
	}
	if potential > cwMaxComputedDatapoints {
		return nil, errCWInvalid("The request spans about %d datapoints; the simulated region computes at most %d per request (about 20 pages of 100,800). Narrow the time range, raise the period or split the queries.", potential, cwMaxComputedDatapoints)
	}
	s.world.mu.RLock()
	steps := buildTimeline(from.Unix(), end.Unix()+maxPeriod, now)
	ev := newMetricsEval(s.world, c.Account, steps)
	evaluateMetricQueries(ev, queries, from, end)
	s.world.mu.RUnlock()

	if err := evaluateExpressions(queries, from, end); err != nil {
		return nil, err
	}

	// Page over the flattened (query, datapoint) sequence.
	var total int
	for _, q := range queries {
		if q.returnData {
			total += len(q.ts)
		}
	}
	if cursor > total {
		return nil, errCWNextToken()
	}
	lo, hi := cursor, min(total, cursor+int(min(maxPoints, int64(math.MaxInt32))))
	results := make([]any, 0, len(queries))
	pos := 0
	for _, q := range queries {
		if !q.returnData {
			continue
		}
		n := len(q.ts)
		a, b := max(lo-pos, 0), min(hi-pos, n)
		if a > b {
			a, b = 0, 0
		}
		var ts []time.Time
		var vals []float64
		if scanBy == "TimestampAscending" {
			ts, vals = q.ts[a:b], q.vals[a:b]
		} else {
			ts, vals = make([]time.Time, 0, b-a), make([]float64, 0, b-a)
			for k := a; k < b; k++ {
				ts = append(ts, q.ts[n-1-k])
				vals = append(vals, q.vals[n-1-k])
			}
		}
		status := "Complete"
		if pos+n > hi {
			status = "PartialData"
		}
		// Messages is always present, as in CloudWatch's replies, empty unless something
		// about the result needs saying.
		messages := []any{}
		if q.arithmeticError {
			messages = append(messages, map[string]any{"Code": "ArithmeticError",
				"Value": "One or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)"})
		}
		r := map[string]any{
			"Id":         q.id,
			"Label":      q.label,
			"Timestamps": ts,
			"Values":     vals,
			"StatusCode": status,
			"Messages":   messages,
		}
		results = append(results, r)
		pos += n
	}
	out := map[string]any{"MetricDataResults": results, "Messages": []any{}}
	if hi < total {
		out["NextToken"] = encodeCWToken("gmd", hi, fingerprint())
	}
	return out, nil
}

// roundStart rounds StartTime down as CloudWatch does: to the minute within 15 days, to
// 5 minutes within 63 days, to the hour beyond.
func roundStart(t, now time.Time) time.Time {
	age := now.Sub(t)
	switch {
	case age > retention5Min:
		return t.Truncate(time.Hour)
	case age > retention1Min:
		return t.Truncate(5 * time.Minute)
	}
	return t.Truncate(time.Minute)
}

func parseGetMetricData(doc map[string]any) ([]*cwQuery, time.Time, time.Time, error) {
	var zero time.Time
	list, has, err := docList(doc, "MetricDataQueries")
	if err != nil {
		return nil, zero, zero, err
	}
	if !has {
		return nil, zero, zero, errCWMissing("MetricDataQueries")
	}
	if len(list) == 0 {
		return nil, zero, zero, errCWInvalid("The parameter MetricDataQueries must contain at least one query.")
	}
	if len(list) > cwMaxQueries {
		return nil, zero, zero, errCWInvalid("The collection MetricDataQueries must not have a size greater than %d.", cwMaxQueries)
	}
	start, hasStart, err := docTime(doc, "StartTime")
	if err != nil {
		return nil, zero, zero, err
	}
	if !hasStart {
		return nil, zero, zero, errCWMissing("StartTime")
	}
	end, hasEnd, err := docTime(doc, "EndTime")
	if err != nil {
		return nil, zero, zero, err
	}
	if !hasEnd {
		return nil, zero, zero, errCWMissing("EndTime")
	}
	if !start.Before(end) {
		return nil, zero, zero, errCWInvalid("The parameter StartTime must be less than the parameter EndTime.")
	}
	queries := make([]*cwQuery, 0, len(list))
	ids := map[string]int{}
	for i, e := range list {
		field := "MetricDataQueries.member." + strconv.Itoa(i+1)
		m, ok := e.(map[string]any)
		if !ok {
			return nil, zero, zero, errCWInvalid("The parameter %s must be a structure.", field)
		}
		q, err := parseQuery(m, field)
		if err != nil {
			return nil, zero, zero, err
		}
		if prev, dup := ids[q.id]; dup {
			return nil, zero, zero, errCWInvalid("The value %s for parameter %s.Id is duplicated (also used by MetricDataQueries.member.%d).", q.id, field, prev)
		}
		ids[q.id] = i + 1
		queries = append(queries, q)
	}
	returning := 0
	for _, q := range queries {
		if q.returnData {
			returning++
		}
	}
	if returning == 0 {
		return nil, zero, zero, errCWInvalid("At least one MetricDataQuery must have ReturnData set to true (the default).")
	}
	if err := bindExpressions(queries); err != nil {
		return nil, zero, zero, err
	}
	return queries, start, end, nil
}

func parseQuery(m map[string]any, field string) (*cwQuery, error) {
	q := &cwQuery{field: field, returnData: true}
	id, _, err := docString(m, "Id")
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, errCWMissing(field + ".Id")
	}
	if len(id) > 255 || !cwIDPattern.MatchString(id) {
		return nil, errCWInvalid("The value %s for parameter %s.Id is not valid: it must start with a lowercase letter and contain only letters, digits and underscores.", id, field)
	}
	q.id = id
	if q.label, _, err = docString(m, "Label"); err != nil {
		return nil, err
	}
	if q.account, _, err = docString(m, "AccountId"); err != nil {
		return nil, err
	}
	if rd, err := docBool(m, "ReturnData"); err != nil {
		return nil, err
	} else if rd != nil {
		q.returnData = *rd
	}
	ms, hasStat, err := docMap(m, "MetricStat")
	if err != nil {
		return nil, err
	}
	exprText, hasExpr, err := docString(m, "Expression")
	if err != nil {
		return nil, err
	}
	if hasStat == hasExpr {
		return nil, errCWCombination("Exactly one of %s.MetricStat and %s.Expression must be specified.", field, field)
	}
	queryPeriod, hasQueryPeriod, err := docNum(m, "Period")
	if err != nil {
		return nil, err
	}
	if hasExpr {
		if hasQueryPeriod {
			if err := checkPeriod(queryPeriod, field+".Period", ""); err != nil {
				return nil, err
			}
			q.period = queryPeriod
		}
		e, err := parseExpression(exprText)
		if err != nil {
			return nil, errCWInvalid("Error in expression '%s' (%s.Expression): %v", exprText, field, err)
		}
		q.expr = e
		if q.label == "" {
			q.label = id
		}
		return q, nil
	}
	if hasQueryPeriod {
		return nil, errCWCombination("%s.Period can only be given with an Expression; a MetricStat carries its own Period.", field)
	}
	q.stat = true
	metric, has, err := docMap(ms, "Metric")
	if err != nil {
		return nil, err
	}
	if !has {
		return nil, errCWMissing(field + ".MetricStat.Metric")
	}
	if q.namespace, _, err = docString(metric, "Namespace"); err != nil {
		return nil, err
	}
	if q.metric, _, err = docString(metric, "MetricName"); err != nil {
		return nil, err
	}
	if q.namespace == "" {
		return nil, errCWMissing(field + ".MetricStat.Metric.Namespace")
	}
	if q.metric == "" {
		return nil, errCWMissing(field + ".MetricStat.Metric.MetricName")
	}
	dl, _, err := docList(metric, "Dimensions")
	if err != nil {
		return nil, err
	}
	if len(dl) > cwMaxDimensions {
		return nil, errCWInvalid("The collection %s.MetricStat.Metric.Dimensions must not have a size greater than %d.", field, cwMaxDimensions)
	}
	dims, err := readDimensions(dl, field+".MetricStat.Metric.Dimensions", true)
	if err != nil {
		return nil, err
	}
	q.dims = dimMap{}
	for _, d := range dims {
		if _, dup := q.dims[d.Name]; dup {
			return nil, errCWInvalid("The dimension %s is given more than once in %s.MetricStat.Metric.Dimensions.", d.Name, field)
		}
		q.dims[d.Name] = d.Value
	}
	period, hasPeriod, err := docNum(ms, "Period")
	if err != nil {
		return nil, err
	}
	if !hasPeriod {
		return nil, errCWMissing(field + ".MetricStat.Period")
	}
	if err := checkPeriod(period, field+".MetricStat.Period", q.namespace); err != nil {
		return nil, err
	}
	q.period = period
	statName, _, err := docString(ms, "Stat")
	if err != nil {
		return nil, err
	}
	if statName == "" {
		return nil, errCWMissing(field + ".MetricStat.Stat")
	}
	if q.statistic, err = parseStatistic(statName); err != nil {
		return nil, errCWInvalid("The value %s for parameter %s.MetricStat.Stat is not valid: %v.", statName, field, err)
	}
	if q.unit, _, err = docString(ms, "Unit"); err != nil {
		return nil, err
	}
	if q.unit != "" && !cwValidUnits[q.unit] {
		return nil, errCWInvalid("The value %s for parameter %s.MetricStat.Unit is not a CloudWatch unit.", q.unit, field)
	}
	if q.label == "" {
		q.label = q.metric
	}
	return q, nil
}

// checkPeriod applies CloudWatch's period rules: a positive multiple of 60, or 1, 5, 10, 30
// for high-resolution metrics — which the namespaces of the simulated region are not.
func checkPeriod(p int64, field, namespace string) error {
	if p < 1 {
		return errCWInvalid("The parameter %s must be greater than 0.", field)
	}
	switch p {
	case 1, 5, 10, 30:
		if cwStandardNamespaces[namespace] {
			return errCWInvalid("The parameter %s is %d seconds, a high-resolution period; %s publishes standard-resolution data, so the period must be a multiple of 60.", field, p, namespace)
		}
		return nil
	}
	if p%60 != 0 {
		return errCWInvalid("The parameter %s must be a multiple of 60 (or 1, 5, 10 or 30 for high-resolution metrics); got %d.", field, p)
	}
	return nil
}

// evaluateMetricQueries fills ts/vals of every MetricStat query. Queries are processed
// grouped by service so that one service's traffic is aggregated once.
func evaluateMetricQueries(ev *metricsEval, queries []*cwQuery, from, end time.Time) {
	order := make([]*cwQuery, 0, len(queries))
	for _, q := range queries {
		if q.stat {
			order = append(order, q)
		}
	}
	groupKey := func(q *cwQuery) string {
		if v := q.dims[dimServiceID]; v != "" {
			return v
		}
		if v := q.dims[dimLoadBalancer]; v != "" {
			if lb := ev.ownLB(v); lb != nil {
				return lb.ServiceID
			}
		}
		return ""
	}
	sort.SliceStable(order, func(i, j int) bool { return groupKey(order[i]) < groupKey(order[j]) })
	buf := make([]float64, len(ev.steps))
	for _, q := range order {
		unit, found := ev.series(q.namespace, q.metric, q.dims, buf)
		q.done = true
		if !found || (q.unit != "" && q.unit != unit) || (q.account != "" && q.account != ev.acct.ID) {
			q.ts, q.vals = []time.Time{}, []float64{}
			continue
		}
		q.ts, q.vals = aggregate(ev.steps, buf, from, end, q.period, q.statistic)
	}
}

// aggregate turns per-step samples into one datapoint per period bucket that has data.
// Buckets start at from + k·period and are kept while they start before end.
func aggregate(steps []mstep, vals []float64, from, end time.Time, period int64, stat cwStatistic) ([]time.Time, []float64) {
	f, e := from.Unix(), end.Unix()
	if period < 60 || e <= f {
		return []time.Time{}, []float64{}
	}
	n := (e-f+period-1)/period + 1
	ts := make([]time.Time, 0, n)
	out := make([]float64, 0, n)
	var samples []float64
	i := sort.Search(len(steps), func(i int) bool { return steps[i].start >= f })
	for i < len(steps) {
		// The bucket holding the next stored sample: empty buckets are skipped in one step.
		b := f + (steps[i].start-f)/period*period
		if b >= e {
			break
		}
		bEnd := b + period
		var sum, cnt float64
		mn, mx := math.Inf(1), math.Inf(-1)
		samples = samples[:0]
		for ; i < len(steps) && steps[i].start < bEnd; i++ {
			st := steps[i]
			v := vals[i]
			if math.IsNaN(v) || (period%(st.width*60)) != 0 {
				continue // no data, or stored at a resolution this period cannot show
			}
			w := float64(st.width)
			sum += v * w
			cnt += w
			mn, mx = min(mn, v), max(mx, v)
			if stat.needsSamples() {
				for k := int64(0); k < st.width; k++ {
					samples = append(samples, v)
				}
			}
		}
		if cnt == 0 {
			continue
		}
		var v float64
		switch stat.kind {
		case statSum:
			v = sum
		case statAverage:
			v = sum / cnt
		case statMinimum:
			v = mn
		case statMaximum:
			v = mx
		case statSampleCount:
			v = cnt
		default:
			sort.Float64s(samples)
			var ok bool
			if v, ok = stat.ofSamples(samples); !ok {
				continue
			}
		}
		ts = append(ts, time.Unix(b, 0).UTC())
		out = append(out, v)
	}
	return ts, out
}

// ---- tokens ----------------------------------------------------------------------------------

func cwFingerprint(doc map[string]any, start, end time.Time, scanBy string) uint64 {
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%d|%s|", start.UnixNano(), end.UnixNano(), scanBy)
	writeCanonical(&b, doc["MetricDataQueries"])
	return fnv64(b.String())
}

func writeCanonical(b *strings.Builder, v any) {
	switch x := v.(type) {
	case map[string]any:
		b.WriteByte('{')
		for _, k := range sortedKeys(x) {
			b.WriteString(strconv.Quote(k))
			b.WriteByte(':')
			writeCanonical(b, x[k])
			b.WriteByte(',')
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for _, e := range x {
			writeCanonical(b, e)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case string:
		b.WriteString(strconv.Quote(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	default:
		fmt.Fprint(b, x)
	}
}

func encodeCWToken(kind string, offset int, fingerprint uint64) string {
	raw := kind + ":" + strconv.Itoa(offset) + ":" + strconv.FormatUint(fingerprint, 36)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeCWToken(kind, tok string, fingerprint uint64) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 3 || parts[0] != kind || parts[2] != strconv.FormatUint(fingerprint, 36) {
		return 0, false
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// ---- ListMetrics -------------------------------------------------------------------------------

func (s *Server) cwListMetrics(c *Call) (any, error) {
	ns, _, err := docString(c.Doc, "Namespace")
	if err != nil {
		return nil, err
	}
	name, _, err := docString(c.Doc, "MetricName")
	if err != nil {
		return nil, err
	}
	dl, _, err := docList(c.Doc, "Dimensions")
	if err != nil {
		return nil, err
	}
	if len(dl) > cwMaxDimensionFilters {
		return nil, errCWInvalid("The collection Dimensions must not have a size greater than %d.", cwMaxDimensionFilters)
	}
	filters, err := readDimensions(dl, "Dimensions", false)
	if err != nil {
		return nil, err
	}
	filterHasValue := make([]bool, len(filters))
	for i, e := range dl {
		if m, ok := e.(map[string]any); ok {
			_, filterHasValue[i] = m["Value"]
		}
	}
	now := c.Now
	if now.IsZero() {
		now = s.clock.Now()
	}
	since := now.Add(-14 * 24 * time.Hour)
	recently, has, err := docString(c.Doc, "RecentlyActive")
	if err != nil {
		return nil, err
	}
	if has {
		if recently != "PT3H" {
			return nil, errCWInvalid("The parameter RecentlyActive must be PT3H; got '%s'.", recently)
		}
		since = now.Add(-3 * time.Hour)
	}
	linked, err := docBool(c.Doc, "IncludeLinkedAccounts")
	if err != nil {
		return nil, err
	}
	owning, _, err := docString(c.Doc, "OwningAccount")
	if err != nil {
		return nil, err
	}
	var fp strings.Builder
	fmt.Fprintf(&fp, "%s|%s|%s|%s|", ns, name, recently, owning)
	for i, f := range filters {
		fmt.Fprintf(&fp, "%q=%q/%v,", f.Name, f.Value, filterHasValue[i])
	}
	fingerprint := fnv64(fp.String())
	offset := 0
	if tok, has, err := docString(c.Doc, "NextToken"); err != nil {
		return nil, err
	} else if has && tok != "" {
		n, ok := decodeCWToken("lm", tok, fingerprint)
		if !ok {
			return nil, errCWNextToken()
		}
		offset = n
	}

	metrics := make([]any, 0, 64)
	next := ""
	s.world.mu.RLock()
	acct := c.Account
	if owning != "" && owning != acct.ID {
		acct = nil // only the caller's own metrics exist in the simulated region
	}
	if acct != nil {
		seen := 0
		eachMetric(s.world, acct, ns, since, func(m catalogMetric) bool {
			if name != "" && m.Name != name {
				return true
			}
			for i, f := range filters {
				ok := false
				for _, d := range m.Dims {
					if d.Name == f.Name && (!filterHasValue[i] || d.Value == f.Value) {
						ok = true
						break
					}
				}
				if !ok {
					return true
				}
			}
			seen++
			if seen <= offset {
				return true
			}
			if len(metrics) == cwListMetricsPage {
				next = encodeCWToken("lm", offset+cwListMetricsPage, fingerprint)
				return false
			}
			dims := make([]any, len(m.Dims))
			for i, d := range m.Dims {
				dims[i] = map[string]any{"Name": d.Name, "Value": d.Value}
			}
			metrics = append(metrics, map[string]any{"Namespace": m.Namespace, "MetricName": m.Name, "Dimensions": dims})
			return true
		})
	}
	s.world.mu.RUnlock()

	out := map[string]any{"Metrics": metrics}
	if linked != nil && *linked && acct != nil {
		owners := make([]string, len(metrics))
		for i := range owners {
			owners[i] = acct.ID
		}
		out["OwningAccounts"] = owners
	}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}
