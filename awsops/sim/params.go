package sim

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Params is a query-protocol request body (EC2 Query and AWS Query) decoded to its flat
// key/value form: "ServiceId" → "vpce-svc-…", "VpcEndpointId.1" → "vpce-…",
// "LoadBalancerArns.member.1" → "arn:…".
type Params map[string]string

// Filter is one EC2 Filter.N entry.
type Filter struct {
	Name   string
	Values []string
}

// String returns a scalar parameter and whether it was sent.
func (p Params) String(name string) (string, bool) {
	v, ok := p[name]
	return v, ok
}

// Bool parses a boolean parameter; nil when absent.
func (p Params) Bool(name string) (*bool, error) {
	v, ok := p[name]
	if !ok {
		return nil, nil
	}
	switch strings.ToLower(v) {
	case "true":
		b := true
		return &b, nil
	case "false":
		b := false
		return &b, nil
	}
	return nil, errInvalidParam("Invalid value '%s' for %s: a boolean (true or false) is required.", v, name)
}

// Int parses an integer parameter; nil when absent.
func (p Params) Int(name string) (*int64, error) {
	v, ok := p[name]
	if !ok {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, errInvalidParam("Invalid value '%s' for %s: an integer is required.", v, name)
	}
	return &n, nil
}

// List returns a list parameter in order: name.1, name.2, … (EC2 Query's flattened lists) or
// name.member.1, … (AWS Query's wrapped lists).
func (p Params) List(name string) []string {
	if out := p.indexed(name + ".member."); len(out) > 0 {
		return out
	}
	return p.indexed(name + ".")
}

func (p Params) indexed(prefix string) []string {
	type item struct {
		i int
		v string
	}
	var items []item
	for k, v := range p {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		i, err := strconv.Atoi(rest)
		if err != nil || i < 1 {
			continue
		}
		items = append(items, item{i, v})
	}
	sort.Slice(items, func(a, b int) bool { return items[a].i < items[b].i })
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.v
	}
	return out
}

// Objects returns a list of structures as sub-Params in order: name.N.Field (EC2 Query) or
// name.member.N.Field (AWS Query).
func (p Params) Objects(name string) []Params {
	if out := p.objects(name + ".member."); len(out) > 0 {
		return out
	}
	return p.objects(name + ".")
}

func (p Params) objects(prefix string) []Params {
	byIndex := map[int]Params{}
	for k, v := range p {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		idx, field, ok := strings.Cut(rest, ".")
		if !ok {
			continue
		}
		i, err := strconv.Atoi(idx)
		if err != nil || i < 1 {
			continue
		}
		sub := byIndex[i]
		if sub == nil {
			sub = Params{}
			byIndex[i] = sub
		}
		sub[field] = v
	}
	idxs := make([]int, 0, len(byIndex))
	for i := range byIndex {
		idxs = append(idxs, i)
	}
	sort.Ints(idxs)
	out := make([]Params, len(idxs))
	for j, i := range idxs {
		out[j] = byIndex[i]
	}
	return out
}

// Filters decodes EC2's Filter.N.Name / Filter.N.Value.M.
func (p Params) Filters() ([]Filter, error) {
	var out []Filter
	for _, o := range p.Objects("Filter") {
		name, ok := o["Name"]
		if !ok || name == "" {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameterValue",
				"The filter 'null' is invalid: every filter needs a Name.")
		}
		out = append(out, Filter{Name: name, Values: o.List("Value")})
	}
	return out, nil
}
