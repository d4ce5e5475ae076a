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

// Metric math, minimally: enough for the sums and averages a console draws. Supported:
//
//	numbers, query ids, ( ), unary -, + - * /
//	SUM, AVG, MIN, MAX over [id, id, …], METRICS() or METRICS("substring"), or one series
//
// An expression must produce one time series. Anything else (Metrics Insights SELECT,
// other functions) is rejected with InvalidParameterValue naming what is unsupported.

type cwExprKind int

const (
	exNum cwExprKind = iota
	exRef
	exFunc
	exBinary
	exNeg
	exList    // [a, b, …]
	exMetrics // METRICS() / METRICS("x")
)

type cwExpr struct {
	kind   cwExprKind
	num    float64
	ref    string
	fn     string
	args   []*cwExpr
	op     byte
	l, r   *cwExpr
	filter string
}

var cwExprFuncs = map[string]bool{"SUM": true, "AVG": true, "MIN": true, "MAX": true}

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
	e, err := p.expr()
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
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n') {
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

func (p *exprParser) expr() (*cwExpr, error) {
	l, err := p.term()
	if err != nil {
		return nil, err
	}
	for {
		c := p.peek()
		if c != '+' && c != '-' {
			return l, nil
		}
		p.pos++
		r, err := p.term()
		if err != nil {
			return nil, err
		}
		l = &cwExpr{kind: exBinary, op: c, l: l, r: r}
	}
}

func (p *exprParser) term() (*cwExpr, error) {
	l, err := p.factor()
	if err != nil {
		return nil, err
	}
	for {
		c := p.peek()
		if c != '*' && c != '/' {
			return l, nil
		}
		p.pos++
		r, err := p.factor()
		if err != nil {
			return nil, err
		}
		l = &cwExpr{kind: exBinary, op: c, l: l, r: r}
	}
}

func (p *exprParser) factor() (*cwExpr, error) {
	c := p.peek()
	switch {
	case c == 0:
		return nil, errors.New("the expression ends too early")
	case c == '-':
		p.pos++
		f, err := p.factor()
		if err != nil {
			return nil, err
		}
		return &cwExpr{kind: exNeg, l: f}, nil
	case c == '(':
		p.pos++
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		return e, p.expect(')')
	case c == '[':
		p.pos++
		var items []*cwExpr
		for {
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			items = append(items, e)
			if p.peek() == ',' {
				p.pos++
				continue
			}
			break
		}
		return &cwExpr{kind: exList, args: items}, p.expect(']')
	case c >= '0' && c <= '9' || c == '.':
		start := p.pos
		for p.pos < len(p.s) && (p.s[p.pos] >= '0' && p.s[p.pos] <= '9' || p.s[p.pos] == '.' || p.s[p.pos] == 'e' || p.s[p.pos] == 'E') {
			p.pos++
		}
		v, err := strconv.ParseFloat(p.s[start:p.pos], 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", p.s[start:p.pos])
		}
		return &cwExpr{kind: exNum, num: v}, nil
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
		start := p.pos
		for p.pos < len(p.s) && (p.s[p.pos] >= 'a' && p.s[p.pos] <= 'z' || p.s[p.pos] >= 'A' && p.s[p.pos] <= 'Z' || p.s[p.pos] >= '0' && p.s[p.pos] <= '9' || p.s[p.pos] == '_') {
			p.pos++
		}
		word := p.s[start:p.pos]
		if p.peek() != '(' {
			if !cwIDPattern.MatchString(word) {
				return nil, fmt.Errorf("unknown name %q", word)
			}
			return &cwExpr{kind: exRef, ref: word}, nil
		}
		p.pos++
		upper := strings.ToUpper(word)
		if upper == "METRICS" {
			e := &cwExpr{kind: exMetrics}
			if p.peek() == '"' || p.peek() == '\'' {
				q := p.s[p.pos]
				p.pos++
				end := strings.IndexByte(p.s[p.pos:], q)
				if end < 0 {
					return nil, errors.New("unterminated string in METRICS()")
				}
				e.filter = p.s[p.pos : p.pos+end]
				p.pos += end + 1
			}
			return e, p.expect(')')
		}
		if !cwExprFuncs[upper] {
			return nil, fmt.Errorf("the function %s is not supported by the simulated region (supported: SUM, AVG, MIN, MAX, METRICS)", word)
		}
		arg, err := p.expr()
		if err != nil {
			return nil, err
		}
		return &cwExpr{kind: exFunc, fn: upper, args: []*cwExpr{arg}}, p.expect(')')
	}
	return nil, fmt.Errorf("unexpected %q at position %d", string(c), p.pos+1)
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
		if e == nil {
			return nil
		}
		switch e.kind {
		case exRef:
			target := byID[e.ref]
			if target == nil {
				return errCWInvalid("Error in expression of %s: Unrecognized metric id '%s'.", owner.field, e.ref)
			}
			if path[e.ref] {
				return errCWInvalid("Error in expression of %s: circular reference through '%s'.", owner.field, e.ref)
			}
			if target.expr != nil {
				path[e.ref] = true
				err := check(target.expr, owner, path)
				delete(path, e.ref)
				return err
			}
		case exFunc, exList:
			for _, a := range e.args {
				if err := check(a, owner, path); err != nil {
					return err
				}
			}
		case exBinary:
			if err := check(e.l, owner, path); err != nil {
				return err
			}
			return check(e.r, owner, path)
		case exNeg:
			return check(e.l, owner, path)
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

// cwSeries is a time series; cwValue a scalar or a list of series.
type cwSeries struct {
	ts   []time.Time
	vals []float64
}

type cwValue struct {
	scalar  bool
	x       float64
	list    []cwSeries
	dropped bool // points were dropped as non-numeric (division by zero)
}

func evaluateExpressions(queries []*cwQuery) error {
	byID := map[string]*cwQuery{}
	for _, q := range queries {
		byID[q.id] = q
	}
	var evalQuery func(q *cwQuery) error
	var eval func(e *cwExpr, owner *cwQuery) (cwValue, error)
	evalQuery = func(q *cwQuery) error {
		if q.done {
			return nil
		}
		v, err := eval(q.expr, q)
		if err != nil {
			return err
		}
		switch {
		case v.scalar:
			return errCWInvalid("Error in expression of %s: the expression is a constant; it must produce a time series.", q.field)
		case len(v.list) != 1:
			return errCWInvalid("Error in expression of %s: the expression produces %d time series; the simulated region supports expressions that produce one.", q.field, len(v.list))
		}
		q.ts, q.vals, q.done = v.list[0].ts, v.list[0].vals, true
		q.arithmeticError = v.dropped
		return nil
	}
	eval = func(e *cwExpr, owner *cwQuery) (cwValue, error) {
		switch e.kind {
		case exNum:
			return cwValue{scalar: true, x: e.num}, nil
		case exRef:
			t := byID[e.ref]
			if err := evalQuery(t); err != nil {
				return cwValue{}, err
			}
			return cwValue{list: []cwSeries{{t.ts, t.vals}}, dropped: t.arithmeticError}, nil
		case exMetrics:
			var out cwValue
			for _, q := range queries {
				if q.stat && strings.Contains(q.id, e.filter) {
					out.list = append(out.list, cwSeries{q.ts, q.vals})
				}
			}
			return out, nil
		case exList:
			var out cwValue
			for _, a := range e.args {
				v, err := eval(a, owner)
				if err != nil {
					return cwValue{}, err
				}
				if v.scalar {
					return cwValue{}, errCWInvalid("Error in expression of %s: a list may only contain time series.", owner.field)
				}
				out.list = append(out.list, v.list...)
				out.dropped = out.dropped || v.dropped
			}
			return out, nil
		case exNeg:
			v, err := eval(e.l, owner)
			if err != nil {
				return cwValue{}, err
			}
			return binary('*', v, cwValue{scalar: true, x: -1}, owner)
		case exBinary:
			l, err := eval(e.l, owner)
			if err != nil {
				return cwValue{}, err
			}
			r, err := eval(e.r, owner)
			if err != nil {
				return cwValue{}, err
			}
			return binary(e.op, l, r, owner)
		case exFunc:
			v, err := eval(e.args[0], owner)
			if err != nil {
				return cwValue{}, err
			}
			if v.scalar {
				return v, nil
			}
			return cwValue{list: []cwSeries{reduceSeries(e.fn, v.list)}, dropped: v.dropped}, nil
		}
		return cwValue{}, errCWInvalid("Error in expression of %s: unsupported expression.", owner.field)
	}
	for _, q := range queries {
		if q.expr != nil {
			if err := evalQuery(q); err != nil {
				return err
			}
		}
	}
	return nil
}

// reduceSeries folds several series into one, timestamp by timestamp, over the values present.
func reduceSeries(fn string, list []cwSeries) cwSeries {
	type acc struct {
		sum, mn, mx float64
		n           int
	}
	byTime := map[int64]*acc{}
	for _, s := range list {
		for i, t := range s.ts {
			v := s.vals[i]
			a := byTime[t.Unix()]
			if a == nil {
				a = &acc{mn: v, mx: v}
				byTime[t.Unix()] = a
			}
			a.sum += v
			a.mn, a.mx = min(a.mn, v), max(a.mx, v)
			a.n++
		}
	}
	keys := make([]int64, 0, len(byTime))
	for k := range byTime {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	out := cwSeries{ts: make([]time.Time, len(keys)), vals: make([]float64, len(keys))}
	for i, k := range keys {
		a := byTime[k]
		out.ts[i] = time.Unix(k, 0).UTC()
		switch fn {
		case "SUM":
			out.vals[i] = a.sum
		case "AVG":
			out.vals[i] = a.sum / float64(a.n)
		case "MIN":
			out.vals[i] = a.mn
		case "MAX":
			out.vals[i] = a.mx
		}
	}
	return out
}

func applyOp(op byte, a, b float64) float64 {
	switch op {
	case '+':
		return a + b
	case '-':
		return a - b
	case '*':
		return a * b
	}
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// binary applies op between scalars and single series (series × series: common timestamps).
// Points that come out as NaN (division by zero) are dropped, as CloudWatch drops them.
func binary(op byte, l, r cwValue, owner *cwQuery) (cwValue, error) {
	if l.scalar && r.scalar {
		return cwValue{scalar: true, x: applyOp(op, l.x, r.x)}, nil
	}
	if (!l.scalar && len(l.list) != 1) || (!r.scalar && len(r.list) != 1) {
		return cwValue{}, errCWInvalid("Error in expression of %s: arithmetic on a list of time series is not supported by the simulated region; wrap the list in SUM, AVG, MIN or MAX.", owner.field)
	}
	var out cwSeries
	dropped := l.dropped || r.dropped
	add := func(t time.Time, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			dropped = true
			return
		}
		out.ts = append(out.ts, t)
		out.vals = append(out.vals, v)
	}
	switch {
	case l.scalar:
		s := r.list[0]
		for i, t := range s.ts {
			add(t, applyOp(op, l.x, s.vals[i]))
		}
	case r.scalar:
		s := l.list[0]
		for i, t := range s.ts {
			add(t, applyOp(op, s.vals[i], r.x))
		}
	default:
		a, b := l.list[0], r.list[0]
		i, j := 0, 0
		for i < len(a.ts) && j < len(b.ts) {
			switch {
			case a.ts[i].Before(b.ts[j]):
				i++
			case b.ts[j].Before(a.ts[i]):
				j++
			default:
				add(a.ts[i], applyOp(op, a.vals[i], b.vals[j]))
				i++
				j++
			}
		}
	}
	if out.ts == nil {
		out.ts, out.vals = []time.Time{}, []float64{}
	}
	return cwValue{list: []cwSeries{out}, dropped: dropped}, nil
}
