package sim

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Metric math, as the CloudWatch User Guide's "metric math syntax and functions" defines
// it, for what a provider's dashboard computes:
//
//	numbers, query ids, ( ), [ list ], unary -, + - * / ^
//	comparisons == != < <= > >= and AND (&&), OR (||), giving 1 or 0
//	METRICS(), METRICS("substring")
//	SUM AVG MIN MAX STDDEV DATAPOINT_COUNT: of a time series a scalar, of an array a series
//	ABS CEIL FLOOR LOG LOG10, RATE DIFF DIFF_TIME RUNNING_SUM
//	FILL(x, value | series | REPEAT | LINEAR), IF(condition, true [, false])
//	PERIOD(metric), TIME_SERIES(scalar), METRIC_COUNT(array)
//
// The other functions (SEARCH, ANOMALY_DETECTION_BAND, SORT, SLICE, …) and Metrics
// Insights queries are refused with InvalidParameterValue naming what is unsupported. An
// expression must produce one time series.
//
// Semantics follow the guide: in arithmetic, comparisons and AVG of an array, a value one
// series lacks at a timestamp counts as 0; a point that comes out non-numeric (a division
// by zero, LOG(0)) is dropped and the result says so in its Messages.

type cwExprKind int

const (
	exNum     cwExprKind = iota
	exRef                // a query id
	exKeyword            // REPEAT or LINEAR, FILL's modes
	exCall               // a function: name, args
	exBinary             // op, args[0] op args[1]
	exNeg                // -args[0]
	exList               // [args…]
	exMetrics            // METRICS(name): the MetricStat queries whose id contains name
)

type cwExpr struct {
	kind cwExprKind
	num  float64
	name string // id, keyword, function name or METRICS filter
	op   string
	args []*cwExpr
}

// cwFunctions are the supported functions with their argument counts.
var cwFunctions = map[string][2]int{
	"SUM": {1, 1}, "AVG": {1, 1}, "MIN": {1, 1}, "MAX": {1, 1}, "STDDEV": {1, 1}, "DATAPOINT_COUNT": {1, 1},
	"ABS": {1, 1}, "CEIL": {1, 1}, "FLOOR": {1, 1}, "LOG": {1, 1}, "LOG10": {1, 1},
	"RATE": {1, 1}, "DIFF": {1, 1}, "DIFF_TIME": {1, 1}, "RUNNING_SUM": {1, 1},
	"FILL": {2, 2}, "IF": {2, 3}, "PERIOD": {1, 1}, "TIME_SERIES": {1, 1}, "METRIC_COUNT": {1, 1},
}

// cwUnsupportedFunctions are CloudWatch functions the simulated region does not compute.
var cwUnsupportedFunctions = map[string]bool{
	"ANOMALY_DETECTION_BAND": true, "CONCAT": true, "DATE": true, "DAY": true, "EPOCH": true, "FIRST": true,
	"HOUR": true, "INSIGHT_RULE_METRIC": true, "LAMBDA": true, "LAST": true, "MINUTE": true, "MONTH": true,
	"REMOVE_EMPTY": true, "SEARCH": true, "SERVICE_QUOTA": true, "SLICE": true, "SORT": true, "YEAR": true,
}

func supportedFunctionList() string {
	names := make([]string, 0, len(cwFunctions)+1)
	for n := range cwFunctions {
		names = append(names, n)
	}
	names = append(names, "METRICS")
	sort.Strings(names)
	return strings.Join(names, ", ")
}

type exprParser struct {
	s   string
	pos int
}

func parseExpression(s string) (*cwExpr, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("the expression is empty")
	}
	if len(s) > 2048 {
		return nil, errors.New("the expression is longer than 2048 characters")
	}
	if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s)), "SELECT") {
		return nil, errors.New("Metrics Insights queries are not supported by the simulated region")
	}
	p := &exprParser{s: s}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos != len(p.s) {
		return nil, fmt.Errorf("unexpected %q at position %d", p.s[p.pos:], p.pos+1)
	}
	return e, nil
}

func (p *exprParser) space() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n' || p.s[p.pos] == '\r') {
		p.pos++
	}
}

func (p *exprParser) peek() byte {
	p.space()
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *exprParser) expect(c byte) error {
	if p.peek() != c {
		if p.pos >= len(p.s) {
			return fmt.Errorf("expected %q at the end of the expression", c)
		}
		return fmt.Errorf("expected %q at position %d", c, p.pos+1)
	}
	p.pos++
	return nil
}

// accept consumes the first of ops found next ("AND" only as a whole word) and returns it.
func (p *exprParser) accept(ops ...string) string {
	p.space()
	for _, op := range ops {
		if !strings.HasPrefix(p.s[p.pos:], op) {
			continue
		}
		end := p.pos + len(op)
		if isWordByte(op[0]) && end < len(p.s) && isWordByte(p.s[end]) {
			continue
		}
		p.pos = end
		return op
	}
	return ""
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// binaryLevel parses operands joined by the operators of one precedence level.
func (p *exprParser) binaryLevel(next func() (*cwExpr, error), canonical map[string]string, ops ...string) (*cwExpr, error) {
	l, err := next()
	if err != nil {
		return nil, err
	}
	for {
		op := p.accept(ops...)
		if op == "" {
			return l, nil
		}
		r, err := next()
		if err != nil {
			return nil, err
		}
		if c, ok := canonical[op]; ok {
			op = c
		}
		l = &cwExpr{kind: exBinary, op: op, args: []*cwExpr{l, r}}
	}
}

var logicalSpelling = map[string]string{"||": "OR", "&&": "AND"}

func (p *exprParser) or() (*cwExpr, error) {
	return p.binaryLevel(p.and, logicalSpelling, "OR", "||")
}

func (p *exprParser) and() (*cwExpr, error) {
	return p.binaryLevel(p.comparison, logicalSpelling, "AND", "&&")
}

func (p *exprParser) comparison() (*cwExpr, error) {
	return p.binaryLevel(p.additive, nil, "==", "!=", "<=", ">=", "<", ">")
}

func (p *exprParser) additive() (*cwExpr, error) {
	return p.binaryLevel(p.multiplicative, nil, "+", "-")
}

func (p *exprParser) multiplicative() (*cwExpr, error) {
	return p.binaryLevel(p.unary, nil, "*", "/")
}

func (p *exprParser) unary() (*cwExpr, error) {
	if p.peek() == '-' {
		p.pos++
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &cwExpr{kind: exNeg, args: []*cwExpr{x}}, nil
	}
	return p.power()
}

// power is right-associative: 2^3^2 = 2^9.
func (p *exprParser) power() (*cwExpr, error) {
	base, err := p.primary()
	if err != nil {
		return nil, err
	}
	if p.peek() != '^' {
		return base, nil
	}
	p.pos++
	exp, err := p.unary()
	if err != nil {
		return nil, err
	}
	return &cwExpr{kind: exBinary, op: "^", args: []*cwExpr{base, exp}}, nil
}

func (p *exprParser) primary() (*cwExpr, error) {
	c := p.peek()
	switch {
	case c == 0:
		return nil, errors.New("the expression ends too early")
	case c == '(':
		p.pos++
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		return e, p.expect(')')
	case c == '[':
		p.pos++
		items, err := p.arguments(']')
		if err != nil {
			return nil, err
		}
		return &cwExpr{kind: exList, args: items}, nil
	case c >= '0' && c <= '9' || c == '.':
		start := p.pos
		for p.pos < len(p.s) && (p.s[p.pos] >= '0' && p.s[p.pos] <= '9' || p.s[p.pos] == '.' ||
			(p.s[p.pos] == 'e' || p.s[p.pos] == 'E') && p.pos+1 < len(p.s) && (p.s[p.pos+1] >= '0' && p.s[p.pos+1] <= '9' || p.s[p.pos+1] == '-')) {
			if p.s[p.pos] == 'e' || p.s[p.pos] == 'E' {
				p.pos++ // the exponent's sign or first digit
			}
			p.pos++
		}
		v, err := strconv.ParseFloat(p.s[start:p.pos], 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", p.s[start:p.pos])
		}
		return &cwExpr{kind: exNum, num: v}, nil
	case isWordByte(c):
		start := p.pos
		for p.pos < len(p.s) && isWordByte(p.s[p.pos]) {
			p.pos++
		}
		word := p.s[start:p.pos]
		if p.peek() != '(' {
			switch {
			case word == "REPEAT" || word == "LINEAR":
				return &cwExpr{kind: exKeyword, name: word}, nil
			case !cwIDPattern.MatchString(word):
				return nil, fmt.Errorf("unknown name %q (query ids start with a lowercase letter)", word)
			}
			return &cwExpr{kind: exRef, name: word}, nil
		}
		p.pos++
		return p.call(word)
	}
	return nil, fmt.Errorf("unexpected %q at position %d", string(c), p.pos+1)
}

// call parses a function's arguments, after its "(".
func (p *exprParser) call(name string) (*cwExpr, error) {
	if name == "METRICS" {
		e := &cwExpr{kind: exMetrics}
		if q := p.peek(); q == '"' || q == '\'' {
			p.pos++
			end := strings.IndexByte(p.s[p.pos:], q)
			if end < 0 {
				return nil, errors.New("unterminated string in METRICS()")
			}
			e.name = p.s[p.pos : p.pos+end]
			p.pos += end + 1
		}
		return e, p.expect(')')
	}
	arity, ok := cwFunctions[name]
	switch {
	case ok:
	case cwUnsupportedFunctions[name]:
		return nil, fmt.Errorf("the function %s is not supported by the simulated region (supported: %s)", name, supportedFunctionList())
	case strings.ToUpper(name) != name:
		return nil, fmt.Errorf("%s: functions are written in uppercase", name)
	default:
		return nil, fmt.Errorf("unknown function %s", name)
	}
	args, err := p.arguments(')')
	if err != nil {
		return nil, err
	}
	if len(args) < arity[0] || len(args) > arity[1] {
		return nil, fmt.Errorf("%s takes %s, not %d", name, arityText(arity), len(args))
	}
	return &cwExpr{kind: exCall, name: name, args: args}, nil
}

func arityText(a [2]int) string {
	if a[0] == a[1] {
		if a[0] == 1 {
			return "one argument"
		}
		return strconv.Itoa(a[0]) + " arguments"
	}
	return fmt.Sprintf("%d or %d arguments", a[0], a[1])
}

// arguments parses a comma-separated list up to close.
func (p *exprParser) arguments(close byte) ([]*cwExpr, error) {
	var items []*cwExpr
	for {
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		items = append(items, e)
		if p.peek() == ',' {
			p.pos++
			continue
		}
		return items, p.expect(close)
	}
}

// bindExpressions checks that every id an expression names exists and that expressions do
// not refer to themselves, directly or not.
func bindExpressions(queries []*cwQuery) error {
	byID := map[string]*cwQuery{}
	for _, q := range queries {
		byID[q.id] = q
	}
	var check func(e *cwExpr, owner *cwQuery, path map[string]bool) error
	check = func(e *cwExpr, owner *cwQuery, path map[string]bool) error {
		if e.kind == exRef {
			target := byID[e.name]
			if target == nil {
				return errCWInvalid("Error in expression of %s: Unrecognized metric id '%s'.", owner.field, e.name)
			}
			if path[e.name] {
				return errCWInvalid("Error in expression of %s: circular reference through '%s'.", owner.field, e.name)
			}
			if target.expr != nil {
				path[e.name] = true
				err := check(target.expr, owner, path)
				delete(path, e.name)
				return err
			}
		}
		for _, a := range e.args {
			if err := check(a, owner, path); err != nil {
				return err
			}
		}
		return nil
	}
	for _, q := range queries {
		if q.expr != nil {
			if err := check(q.expr, q, map[string]bool{q.id: true}); err != nil {
				return err
			}
		}
	}
	return nil
}

// cwSeries is a time series, ascending; period is the spacing of its datapoints (0 when
// unknown).
type cwSeries struct {
	ts     []time.Time
	vals   []float64
	period int64
}

type valueKind int

const (
	vScalar valueKind = iota
	vSeries           // list holds exactly one series
	vArray            // list holds any number
	vKeyword
)

// cwValue is what an expression evaluates to.
type cwValue struct {
	kind    valueKind
	x       float64
	list    []cwSeries
	word    string
	dropped bool // points were dropped as non-numeric
}

func scalarValue(x float64) cwValue { return cwValue{kind: vScalar, x: x} }

func seriesValue(s cwSeries, dropped bool) cwValue {
	return cwValue{kind: vSeries, list: []cwSeries{s}, dropped: dropped}
}

// exprEval evaluates the expressions of one GetMetricData request over [from, end).
type exprEval struct {
	byID          map[string]*cwQuery
	queries       []*cwQuery
	from, end     time.Time
	defaultPeriod int64 // the longest MetricStat period of the request (60 when none)
}

func evaluateExpressions(queries []*cwQuery, from, end time.Time) error {
	ev := &exprEval{byID: map[string]*cwQuery{}, queries: queries, from: from, end: end, defaultPeriod: 60}
	for _, q := range queries {
		ev.byID[q.id] = q
		if q.stat {
			ev.defaultPeriod = max(ev.defaultPeriod, q.period)
		}
	}
	for _, q := range queries {
		if q.expr != nil {
			if err := ev.query(q); err != nil {
				return err
			}
		}
	}
	return nil
}

// query evaluates an expression query once and keeps its series.
func (ev *exprEval) query(q *cwQuery) error {
	if q.done {
		return nil
	}
	v, err := ev.eval(q.expr, q)
	if err != nil {
		return err
	}
	switch {
	case v.kind == vScalar:
		return errCWInvalid("Error in expression of %s: the expression is a constant; it must produce a time series.", q.field)
	case v.kind == vKeyword:
		return errCWInvalid("Error in expression of %s: %s is only an argument of FILL.", q.field, v.word)
	case len(v.list) != 1:
		return errCWInvalid("Error in expression of %s: the expression produces %d time series; the simulated region supports expressions that produce one.", q.field, len(v.list))
	}
	s := v.list[0]
	q.ts, q.vals, q.done, q.arithmeticError = s.ts, s.vals, true, v.dropped
	if s.period > 0 && q.period == 0 {
		q.period = s.period
	}
	return nil
}

func (ev *exprEval) fail(owner *cwQuery, format string, args ...any) (cwValue, error) {
	return cwValue{}, errCWInvalid("Error in expression of %s: %s", owner.field, fmt.Sprintf(format, args...))
}

func (ev *exprEval) eval(e *cwExpr, owner *cwQuery) (cwValue, error) {
	switch e.kind {
	case exNum:
		return scalarValue(e.num), nil
	case exKeyword:
		return cwValue{kind: vKeyword, word: e.name}, nil
	case exRef:
		t := ev.byID[e.name]
		if err := ev.query(t); err != nil {
			return cwValue{}, err
		}
		return seriesValue(cwSeries{t.ts, t.vals, t.period}, t.arithmeticError), nil
	case exMetrics:
		out := cwValue{kind: vArray, list: []cwSeries{}}
		for _, q := range ev.queries {
			if q.stat && strings.Contains(q.id, e.name) {
				out.list = append(out.list, cwSeries{q.ts, q.vals, q.period})
			}
		}
		return out, nil
	case exList:
		out := cwValue{kind: vArray}
		for _, a := range e.args {
			v, err := ev.eval(a, owner)
			if err != nil {
				return cwValue{}, err
			}
			if v.kind == vScalar || v.kind == vKeyword {
				return ev.fail(owner, "a list may only contain time series.")
			}
			out.list = append(out.list, v.list...)
			out.dropped = out.dropped || v.dropped
		}
		return out, nil
	case exNeg:
		v, err := ev.eval(e.args[0], owner)
		if err != nil {
			return cwValue{}, err
		}
		return ev.binary("*", v, scalarValue(-1), owner)
	case exBinary:
		l, err := ev.eval(e.args[0], owner)
		if err != nil {
			return cwValue{}, err
		}
		r, err := ev.eval(e.args[1], owner)
		if err != nil {
			return cwValue{}, err
		}
		return ev.binary(e.op, l, r, owner)
	case exCall:
		return ev.call(e, owner)
	}
	return ev.fail(owner, "unsupported expression.")
}

// ---- operators ------------------------------------------------------------------------------

func applyOp(op string, a, b float64) float64 {
	truth := func(x bool) float64 {
		if x {
			return 1
		}
		return 0
	}
	switch op {
	case "+":
		return a + b
	case "-":
		return a - b
	case "*":
		return a * b
	case "/":
		if b == 0 {
			return math.NaN() // dropped, as CloudWatch drops a division by zero
		}
		return a / b
	case "^":
		return math.Pow(a, b)
	case "==":
		return truth(a == b)
	case "!=":
		return truth(a != b)
	case "<":
		return truth(a < b)
	case "<=":
		return truth(a <= b)
	case ">":
		return truth(a > b)
	case ">=":
		return truth(a >= b)
	case "AND":
		return truth(a != 0 && b != 0)
	case "OR":
		return truth(a != 0 || b != 0)
	}
	return math.NaN()
}

// binary applies op between scalars, series and arrays of series (element by element).
// Two series combine over the union of their timestamps, a missing value counting as 0.
func (ev *exprEval) binary(op string, l, r cwValue, owner *cwQuery) (cwValue, error) {
	if l.kind == vKeyword || r.kind == vKeyword {
		return ev.fail(owner, "REPEAT and LINEAR are only arguments of FILL.")
	}
	if l.kind == vScalar && r.kind == vScalar {
		return scalarValue(applyOp(op, l.x, r.x)), nil
	}
	if l.kind == vArray && r.kind == vArray {
		return ev.fail(owner, "%s between two arrays of time series is not supported; reduce one with SUM, AVG, MIN or MAX.", op)
	}
	dropped := l.dropped || r.dropped
	pair := func(a, b cwValue, i int) cwSeries {
		var s cwSeries
		switch {
		case a.kind == vScalar:
			s = mapSeries(b.list[i], func(x float64) float64 { return applyOp(op, a.x, x) })
		case b.kind == vScalar:
			s = mapSeries(a.list[i], func(x float64) float64 { return applyOp(op, x, b.x) })
		default:
			ai, bi := i, i
			if a.kind == vSeries {
				ai = 0
			}
			if b.kind == vSeries {
				bi = 0
			}
			s = unionSeries(a.list[ai], b.list[bi], func(x, y float64) float64 { return applyOp(op, x, y) })
		}
		var d bool
		s, d = dropNonNumeric(s)
		dropped = dropped || d
		return s
	}
	n, kind := 1, vSeries
	if l.kind == vArray || r.kind == vArray {
		kind = vArray
		n = max(len(l.list)*boolInt(l.kind == vArray), len(r.list)*boolInt(r.kind == vArray))
	}
	out := cwValue{kind: kind, list: make([]cwSeries, n)}
	for i := range n {
		out.list[i] = pair(l, r, i)
	}
	out.dropped = dropped
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func mapSeries(s cwSeries, f func(float64) float64) cwSeries {
	out := cwSeries{ts: s.ts, vals: make([]float64, len(s.vals)), period: s.period}
	for i, v := range s.vals {
		out.vals[i] = f(v)
	}
	return out
}

// unionSeries combines two series timestamp by timestamp; the side without a value at a
// timestamp gives 0.
func unionSeries(a, b cwSeries, f func(x, y float64) float64) cwSeries {
	out := cwSeries{period: max(a.period, b.period)}
	i, j := 0, 0
	for i < len(a.ts) || j < len(b.ts) {
		switch {
		case j == len(b.ts) || i < len(a.ts) && a.ts[i].Before(b.ts[j]):
			out.ts, out.vals = append(out.ts, a.ts[i]), append(out.vals, f(a.vals[i], 0))
			i++
		case i == len(a.ts) || b.ts[j].Before(a.ts[i]):
			out.ts, out.vals = append(out.ts, b.ts[j]), append(out.vals, f(0, b.vals[j]))
			j++
		default:
			out.ts, out.vals = append(out.ts, a.ts[i]), append(out.vals, f(a.vals[i], b.vals[j]))
			i++
			j++
		}
	}
	return out
}

// dropNonNumeric removes NaN and infinite points, reporting whether any were.
func dropNonNumeric(s cwSeries) (cwSeries, bool) {
	out := cwSeries{ts: make([]time.Time, 0, len(s.ts)), vals: make([]float64, 0, len(s.vals)), period: s.period}
	for i, v := range s.vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		out.ts, out.vals = append(out.ts, s.ts[i]), append(out.vals, v)
	}
	return out, len(out.vals) != len(s.vals)
}

// ---- functions ------------------------------------------------------------------------------

func (ev *exprEval) call(e *cwExpr, owner *cwQuery) (cwValue, error) {
	if e.name == "PERIOD" {
		ref := e.args[0]
		if ref.kind != exRef || !ev.byID[ref.name].stat {
			return ev.fail(owner, "PERIOD takes the id of a metric, not an expression.")
		}
		return scalarValue(float64(ev.byID[ref.name].period)), nil
	}
	args := make([]cwValue, len(e.args))
	for i, a := range e.args {
		v, err := ev.eval(a, owner)
		if err != nil {
			return cwValue{}, err
		}
		args[i] = v
	}
	x := args[0]
	switch e.name {
	case "SUM", "AVG", "MIN", "MAX", "STDDEV", "DATAPOINT_COUNT":
		return ev.reduce(e.name, x, owner)
	case "ABS", "CEIL", "FLOOR", "LOG", "LOG10":
		f := map[string]func(float64) float64{"ABS": math.Abs, "CEIL": math.Ceil, "FLOOR": math.Floor, "LOG": math.Log, "LOG10": math.Log10}[e.name]
		if x.kind == vScalar {
			return scalarValue(f(x.x)), nil
		}
		return ev.eachSeries(x, owner, e.name, func(s cwSeries) cwSeries { return mapSeries(s, f) })
	case "RATE", "DIFF", "DIFF_TIME", "RUNNING_SUM":
		return ev.eachSeries(x, owner, e.name, func(s cwSeries) cwSeries { return stepSeries(e.name, s) })
	case "FILL":
		return ev.fill(x, args[1], owner)
	case "IF":
		return ev.ifExpr(args, owner)
	case "TIME_SERIES":
		if x.kind != vScalar {
			return ev.fail(owner, "TIME_SERIES takes a scalar.")
		}
		period := cmpOrInt(owner.period, ev.defaultPeriod)
		grid := ev.grid(period)
		s := cwSeries{ts: grid, vals: make([]float64, len(grid)), period: period}
		for i := range s.vals {
			s.vals[i] = x.x
		}
		s, d := dropNonNumeric(s)
		return seriesValue(s, d), nil
	case "METRIC_COUNT":
		if x.kind != vArray {
			return ev.fail(owner, "METRIC_COUNT takes an array of time series.")
		}
		return scalarValue(float64(len(x.list))), nil
	}
	return ev.fail(owner, "the function %s is not supported by the simulated region.", e.name)
}

func cmpOrInt(a, b int64) int64 {
	if a != 0 {
		return a
	}
	return b
}

// eachSeries applies f to a series, or to each series of an array.
func (ev *exprEval) eachSeries(x cwValue, owner *cwQuery, fn string, f func(cwSeries) cwSeries) (cwValue, error) {
	if x.kind != vSeries && x.kind != vArray {
		return ev.fail(owner, "%s takes a time series or an array of time series.", fn)
	}
	out := cwValue{kind: x.kind, list: make([]cwSeries, len(x.list)), dropped: x.dropped}
	for i, s := range x.list {
		var d bool
		out.list[i], d = dropNonNumeric(f(s))
		out.dropped = out.dropped || d
	}
	return out, nil
}

// stepSeries computes RATE, DIFF, DIFF_TIME (each point against the one before it; the
// first point has none and is left out) and RUNNING_SUM.
func stepSeries(fn string, s cwSeries) cwSeries {
	out := cwSeries{period: s.period, ts: []time.Time{}, vals: []float64{}}
	var running float64
	for i, v := range s.vals {
		if fn == "RUNNING_SUM" {
			running += v
			out.ts, out.vals = append(out.ts, s.ts[i]), append(out.vals, running)
			continue
		}
		if i == 0 {
			continue
		}
		dt := s.ts[i].Sub(s.ts[i-1]).Seconds()
		var y float64
		switch fn {
		case "RATE":
			y = (v - s.vals[i-1]) / dt
		case "DIFF":
			y = v - s.vals[i-1]
		case "DIFF_TIME":
			y = dt
		}
		out.ts, out.vals = append(out.ts, s.ts[i]), append(out.vals, y)
	}
	return out
}

// reduce is SUM, AVG, MIN, MAX, STDDEV and DATAPOINT_COUNT: over the points of one series
// a scalar; across an array, timestamp by timestamp, a series (AVG counts a series without
// a value at a timestamp as 0, as the guide says; the others use the values present).
func (ev *exprEval) reduce(fn string, x cwValue, owner *cwQuery) (cwValue, error) {
	switch x.kind {
	case vScalar:
		if fn == "DATAPOINT_COUNT" {
			return scalarValue(1), nil
		}
		if fn == "STDDEV" {
			return scalarValue(0), nil
		}
		return x, nil
	case vSeries:
		return scalarValue(reduceValues(fn, x.list[0].vals, len(x.list[0].vals))), nil
	case vArray:
		byTime := map[int64][]float64{}
		var period int64
		for _, s := range x.list {
			period = max(period, s.period)
			for i, t := range s.ts {
				byTime[t.Unix()] = append(byTime[t.Unix()], s.vals[i])
			}
		}
		keys := make([]int64, 0, len(byTime))
		for k := range byTime {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
		out := cwSeries{ts: make([]time.Time, len(keys)), vals: make([]float64, len(keys)), period: period}
		for i, k := range keys {
			out.ts[i] = time.Unix(k, 0).UTC()
			out.vals[i] = reduceValues(fn, byTime[k], len(x.list))
		}
		out, d := dropNonNumeric(out)
		return seriesValue(out, x.dropped || d), nil
	}
	return ev.fail(owner, "%s takes a time series or an array of time series.", fn)
}

// reduceValues folds values; width is how many values AVG divides by (missing ones are 0).
func reduceValues(fn string, vals []float64, width int) float64 {
	if len(vals) == 0 {
		if fn == "SUM" || fn == "DATAPOINT_COUNT" {
			return 0
		}
		return math.NaN()
	}
	var sum float64
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		sum += v
		mn, mx = min(mn, v), max(mx, v)
	}
	switch fn {
	case "SUM":
		return sum
	case "AVG":
		return sum / float64(width)
	case "MIN":
		return mn
	case "MAX":
		return mx
	case "DATAPOINT_COUNT":
		return float64(len(vals))
	}
	mean := sum / float64(len(vals)) // STDDEV: of the population of values
	var sq float64
	for _, v := range vals {
		sq += (v - mean) * (v - mean)
	}
	return math.Sqrt(sq / float64(len(vals)))
}

// grid is the request's timestamps at this period: from, from+period, … before end.
func (ev *exprEval) grid(period int64) []time.Time {
	if period <= 0 {
		period = 60
	}
	var out []time.Time
	for t := ev.from; t.Before(ev.end); t = t.Add(time.Duration(period) * time.Second) {
		out = append(out, t)
	}
	return out
}

// fill is FILL(x, filler): every timestamp of the request's grid (at the series' period)
// that has no value gets one — a scalar, the filler series' value there, the last value
// before it (REPEAT) or the straight line between the values around the gap (LINEAR). A
// gap REPEAT or LINEAR has nothing to fill from (before the first value; after the last,
// for LINEAR) stays empty.
func (ev *exprEval) fill(x, filler cwValue, owner *cwQuery) (cwValue, error) {
	switch {
	case x.kind != vSeries && x.kind != vArray:
		return ev.fail(owner, "FILL fills a time series or an array of time series.")
	case filler.kind == vArray:
		return ev.fail(owner, "FILL takes a scalar, a time series, REPEAT or LINEAR as its filler.")
	}
	return ev.eachSeries(x, owner, "FILL", func(s cwSeries) cwSeries {
		have := make(map[int64]float64, len(s.ts))
		for i, t := range s.ts {
			have[t.Unix()] = s.vals[i]
		}
		var fillerAt map[int64]float64
		if filler.kind == vSeries {
			fillerAt = make(map[int64]float64, len(filler.list[0].ts))
			for i, t := range filler.list[0].ts {
				fillerAt[t.Unix()] = filler.list[0].vals[i]
			}
		}
		grid := ev.grid(cmpOrInt(s.period, ev.defaultPeriod))
		keys := make(map[int64]bool, len(grid)+len(s.ts))
		for _, t := range grid {
			keys[t.Unix()] = true
		}
		for _, t := range s.ts {
			keys[t.Unix()] = true
		}
		all := make([]int64, 0, len(keys))
		for k := range keys {
			all = append(all, k)
		}
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		out := cwSeries{period: s.period}
		for i, k := range all {
			v, ok := have[k]
			if !ok {
				v, ok = fillValue(filler, fillerAt, all, have, i)
			}
			if ok {
				out.ts, out.vals = append(out.ts, time.Unix(k, 0).UTC()), append(out.vals, v)
			}
		}
		return out
	})
}

// fillValue is the filler of the gap at all[i].
func fillValue(filler cwValue, fillerAt map[int64]float64, all []int64, have map[int64]float64, i int) (float64, bool) {
	switch {
	case filler.kind == vScalar:
		return filler.x, true
	case filler.kind == vSeries:
		v, ok := fillerAt[all[i]]
		return v, ok
	}
	prev := -1
	for j := i - 1; j >= 0; j-- {
		if _, ok := have[all[j]]; ok {
			prev = j
			break
		}
	}
	if prev < 0 {
		return 0, false
	}
	if filler.word == "REPEAT" {
		return have[all[prev]], true
	}
	for j := i + 1; j < len(all); j++ {
		if next, ok := have[all[j]]; ok {
			p := have[all[prev]]
			frac := float64(all[i]-all[prev]) / float64(all[j]-all[prev])
			return p + (next-p)*frac, true
		}
	}
	return 0, false
}

// ifExpr is IF(condition, trueValue [, falseValue]) as the guide's "Using IF expressions"
// defines it. A scalar condition picks one side whole (an empty series when false without
// a falseValue). A series condition gives a point at each of its timestamps: trueValue's
// value there when the condition is non-zero (0 when trueValue is a series without one),
// otherwise falseValue's (no point when it is a series without one, or absent).
func (ev *exprEval) ifExpr(args []cwValue, owner *cwQuery) (cwValue, error) {
	cond, yes := args[0], args[1]
	no, hasNo := cwValue{}, len(args) == 3
	if hasNo {
		no = args[2]
	}
	for _, a := range args {
		if a.kind == vArray || a.kind == vKeyword {
			return ev.fail(owner, "IF takes scalars and single time series, not arrays.")
		}
	}
	if cond.kind == vScalar {
		switch {
		case cond.x != 0:
			return yes, nil
		case hasNo:
			return no, nil
		}
		return seriesValue(cwSeries{ts: []time.Time{}, vals: []float64{}}, false), nil
	}
	at := func(v cwValue) map[int64]float64 {
		if v.kind != vSeries {
			return nil
		}
		m := make(map[int64]float64, len(v.list[0].ts))
		for i, t := range v.list[0].ts {
			m[t.Unix()] = v.list[0].vals[i]
		}
		return m
	}
	yesAt, noAt := at(yes), at(no)
	c := cond.list[0]
	out := cwSeries{period: c.period, ts: []time.Time{}, vals: []float64{}}
	for i, t := range c.ts {
		var v float64
		ok := true
		switch {
		case c.vals[i] != 0 && yes.kind == vScalar:
			v = yes.x
		case c.vals[i] != 0:
			v = yesAt[t.Unix()] // 0 when the true series has no value here
		case !hasNo:
			ok = false
		case no.kind == vScalar:
			v = no.x
		default:
			v, ok = noAt[t.Unix()]
		}
		if ok {
			out.ts, out.vals = append(out.ts, t), append(out.vals, v)
		}
	}
	out, d := dropNonNumeric(out)
	return seriesValue(out, cond.dropped || yes.dropped || no.dropped || d), nil
}
