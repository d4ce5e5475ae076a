package sim

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Shared EC2 plumbing: paging, filters, tag specifications and the common errors.

// pageSpec describes how an operation pages: MaxResults bounds and the page size used when
// MaxResults is absent.
type pageSpec struct {
	op       string
	min, max int
	def      int
	clamp    bool // a MaxResults above max is served as max instead of refused
}

// page is a decoded paging request.
type page struct {
	spec   pageSpec
	limit  int
	cursor string // "" on the first page
}

// readPage validates MaxResults and NextToken for spec.
func readPage(p Params, spec pageSpec) (page, error) {
	pg := page{spec: spec, limit: spec.def}
	n, err := p.Int("MaxResults")
	if err != nil {
		return pg, err
	}
	if n != nil {
		if *n < int64(spec.min) {
			return pg, errInvalidParam("Value ( %d ) for parameter maxResults is invalid. Expecting a value greater than or equal to %d.", *n, spec.min)
		}
		pg.limit = int(min(*n, int64(spec.max)))
		if *n > int64(spec.max) && !spec.clamp {
			return pg, errInvalidParam("Value ( %d ) for parameter maxResults is invalid. Expecting a value less than or equal to %d.", *n, spec.max)
		}
	}
	if tok, ok := p.String("NextToken"); ok && tok != "" {
		cur, ok := decodeToken(spec.op, tok)
		if !ok {
			return pg, apiErr(http.StatusBadRequest, "InvalidNextToken", "The specified NextToken is not valid: %s", truncate(tok, 64))
		}
		pg.cursor = cur
	}
	return pg, nil
}

// token builds the opaque NextToken that resumes op after cursor.
func (pg page) token(cursor string) string { return encodeToken(pg.spec.op, cursor) }

func encodeToken(op, cursor string) string {
	body := op + "\x00" + cursor
	sum := crc32.ChecksumIEEE([]byte(body))
	return base64.RawURLEncoding.EncodeToString([]byte(body + "\x00" + strconv.FormatUint(uint64(sum), 36)))
}

func decodeToken(op, tok string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", false
	}
	parts := strings.Split(string(raw), "\x00")
	if len(parts) != 3 || parts[0] != op {
		return "", false
	}
	sum, err := strconv.ParseUint(parts[2], 36, 32)
	if err != nil || uint32(sum) != crc32.ChecksumIEEE([]byte(parts[0]+"\x00"+parts[1])) {
		return "", false
	}
	return parts[1], true
}

// offsetCursor reads an offset cursor ("" = 0).
func offsetCursor(cur string) (int, error) {
	if cur == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(cur)
	if err != nil || n < 0 {
		return 0, apiErr(http.StatusBadRequest, "InvalidNextToken", "The specified NextToken is not valid.")
	}
	return n, nil
}

// seqCursor reads the cursor of a listing that pages by Endpoint.Seq ("" = from the start).
func seqCursor(cur string) (uint64, error) {
	if cur == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(cur, 10, 64)
	if err != nil {
		return 0, apiErr(http.StatusBadRequest, "InvalidNextToken", "The specified NextToken is not valid.")
	}
	return n, nil
}

// pageSlice applies an offset-based page to n items: it returns the [lo, hi) window and
// the token for the next page ("" when this is the last one).
func pageSlice(pg page, n int) (lo, hi int, next string, err error) {
	lo, err = offsetCursor(pg.cursor)
	if err != nil {
		return 0, 0, "", err
	}
	if lo > n {
		lo = n
	}
	hi = lo + pg.limit
	if hi >= n {
		return lo, n, "", nil
	}
	return lo, hi, pg.token(strconv.Itoa(hi)), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// filterSet is a request's filters, checked against the names an operation supports.
type filterSet []Filter

// readFilters decodes Filter.N and rejects names the operation does not know. Names that
// start with "tag:" and the name "tag-key" are accepted when tags is true.
func readFilters(p Params, allowed []string, tags bool) (filterSet, error) {
	return readFiltersKnown(p, func(name string) bool { return containsStr(allowed, name) }, tags)
}

// readFiltersKnown is readFilters with the operation's vocabulary as a predicate.
func readFiltersKnown(p Params, known func(name string) bool, tags bool) (filterSet, error) {
	fs, err := p.Filters()
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		ok := known(f.Name)
		if tags && (f.Name == "tag-key" || (strings.HasPrefix(f.Name, "tag:") && len(f.Name) > 4)) {
			ok = true
		}
		if !ok {
			return nil, errInvalidParam("The filter '%s' is invalid", f.Name)
		}
		if len(f.Values) == 0 {
			return nil, errInvalidParam("The filter '%s' has no values: give at least one Value", f.Name)
		}
		if len(f.Values) > 200 {
			return nil, apiErr(http.StatusBadRequest, "FilterLimitExceeded", "The filter '%s' has more than 200 values", f.Name)
		}
	}
	if len(fs) > 50 {
		return nil, apiErr(http.StatusBadRequest, "FilterLimitExceeded", "The request has more than 50 filters")
	}
	return fs, nil
}

// values returns the values of the named filter, or nil when it is absent.
func (fs filterSet) values(name string) []string {
	for _, f := range fs {
		if f.Name == name {
			return f.Values
		}
	}
	return nil
}

// match reports whether every filter accepts the object, using get to read the object's
// values for a filter name. get may return several values (any match suffices).
func (fs filterSet) match(get func(name string) []string, tags []Tag) bool {
	for _, f := range fs {
		switch {
		case f.Name == "tag-key":
			if !anyTag(tags, func(t Tag) bool { return globAny(f.Values, t.Key) }) {
				return false
			}
		case strings.HasPrefix(f.Name, "tag:"):
			key := f.Name[4:]
			if !anyTag(tags, func(t Tag) bool { return t.Key == key && globAny(f.Values, t.Value) }) {
				return false
			}
		default:
			matched := false
			for _, v := range get(f.Name) {
				if globAny(f.Values, v) {
					matched = true
					break
				}
			}
			if !matched {
				return false
			}
		}
	}
	return true
}

func anyTag(tags []Tag, ok func(Tag) bool) bool {
	for _, t := range tags {
		if ok(t) {
			return true
		}
	}
	return false
}

func globAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if glob(p, s) {
			return true
		}
	}
	return false
}

// glob matches EC2 filter wildcards: * any run, ? one character. Matching is case-sensitive
// as in EC2.
func glob(pattern, s string) bool {
	if !strings.ContainsAny(pattern, "*?") {
		return pattern == s
	}
	px, sx := 0, 0
	nextPx, nextSx := 0, 0
	for px < len(pattern) || sx < len(s) {
		if px < len(pattern) {
			switch c := pattern[px]; c {
			case '*':
				nextPx, nextSx = px, sx+1
				px++
				continue
			case '?':
				if sx < len(s) {
					px++
					sx++
					continue
				}
			default:
				if sx < len(s) && s[sx] == c {
					px++
					sx++
					continue
				}
			}
		}
		if 0 < nextSx && nextSx <= len(s) {
			px, sx = nextPx, nextSx
			continue
		}
		return false
	}
	return true
}

// readTagSpecs reads TagSpecification.N for resourceType ("vpc-endpoint-service",
// "vpc-endpoint", …).
func readTagSpecs(p Params, resourceType string) ([]Tag, error) {
	var tags []Tag
	for _, spec := range p.Objects("TagSpecification") {
		rt := spec["ResourceType"]
		if rt == "" {
			return nil, errMissingParam("TagSpecification.ResourceType")
		}
		if rt != resourceType {
			return nil, errInvalidParam("'%s' is not a valid taggable resource type for this operation.", rt)
		}
		for _, t := range spec.Objects("Tag") {
			k := t["Key"]
			if e := checkTag(k, t["Value"]); e != nil {
				return nil, e
			}
			for i := range tags {
				if tags[i].Key == k {
					return nil, errInvalidParam("Duplicate tag key '%s' specified.", k)
				}
			}
			tags = append(tags, Tag{Key: k, Value: t["Value"]})
		}
	}
	if len(tags) > 50 {
		return nil, apiErr(http.StatusBadRequest, "TagLimitExceeded", "The maximum number of tags per resource (50) is exceeded.")
	}
	return tags, nil
}

// checkTag refuses a tag EC2 refuses: an empty key, a key over 128 or a value over 256
// characters, a key in the reserved aws: namespace.
func checkTag(k, v string) *APIError {
	if k == "" {
		return apiErr(http.StatusBadRequest, "InvalidParameterValue", "Tag keys cannot be empty.")
	}
	if len(k) > 128 || len(v) > 256 {
		return errInvalidParam("Tag key must be at most 128 and value at most 256 characters.")
	}
	if strings.HasPrefix(strings.ToLower(k), "aws:") {
		return apiErr(http.StatusBadRequest, "InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use")
	}
	return nil
}

// eachItem applies act to every distinct id of a batch call; failures are reported per item
// in Unsuccessful, as AWS does, and never fail the call.
func eachItem(ids []string, act func(id string) *APIError) *unsuccessfulResponse {
	out := &unsuccessfulResponse{}
	for _, id := range dedupe(ids) {
		if e := act(id); e != nil {
			out.fail(id, e)
		}
	}
	return out
}

// deleteEach serves the EC2 batch deletes: the ids in the required list parameter, DryRun
// answered before any lookup, then del for each id under the world's write lock.
func (s *Server) deleteEach(c *Call, param string, del func(w *World, id string) *APIError) (any, error) {
	ids, err := requireList(c.Params, param)
	if err != nil {
		return nil, err
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	w := s.world
	w.mu.Lock()
	defer w.mu.Unlock()
	return eachItem(ids, func(id string) *APIError { return del(w, id) }), nil
}

// firstErr returns the first refusal of checks that have already run (nil when all passed).
func firstErr(checks ...*APIError) *APIError {
	for _, e := range checks {
		if e != nil {
			return e
		}
	}
	return nil
}

// requireString returns a required scalar parameter.
func requireString(p Params, name string) (string, error) {
	v, ok := p.String(name)
	if !ok || v == "" {
		return "", errMissingParam(name)
	}
	return v, nil
}

// requireList returns a required list parameter.
func requireList(p Params, name string) ([]string, error) {
	v := p.List(name)
	if len(v) == 0 {
		return nil, errMissingParam(name)
	}
	return v, nil
}

// clientToken validates an optional ClientToken (≤ 64 ASCII characters).
func clientToken(p Params) (string, error) {
	tok, _ := p.String("ClientToken")
	if len(tok) > 64 {
		return "", apiErr(http.StatusBadRequest, "InvalidClientToken", "The client token must be at most 64 characters long.")
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < 0x20 || tok[i] > 0x7e {
			return "", apiErr(http.StatusBadRequest, "InvalidClientToken", "The client token must be printable ASCII.")
		}
	}
	return tok, nil
}

// requestFingerprint identifies a create request's parameters (ClientToken and DryRun left
// out). AWS binds a ClientToken to the request that first used it: a retry with the same token
// and the same parameters gets the original resource back, whatever happened to it since; a
// retry with other parameters is IdempotentParameterMismatch. Handlers pass the parameters as
// they decoded them: a string, a bool, a *bool (nil = absent), a list ([]string, compared as a
// set) or tags ([]Tag, compared as a set).
func requestFingerprint(params ...any) string {
	h := sha256.New()
	for _, p := range params {
		var vals []string
		switch v := p.(type) {
		case string:
			vals = []string{v}
		case bool:
			vals = []string{strconv.FormatBool(v)}
		case *bool:
			if v != nil {
				vals = []string{strconv.FormatBool(*v)}
			}
		case []string:
			vals = slices.Clone(v)
			slices.Sort(vals)
		case []Tag:
			for _, t := range v {
				vals = append(vals, t.Key+"\x00"+t.Value)
			}
			slices.Sort(vals)
		default:
			vals = []string{fmt.Sprint(v)}
		}
		// Length-prefixed, so no two different requests encode alike.
		fmt.Fprintf(h, "%d;", len(vals))
		for _, s := range vals {
			fmt.Fprintf(h, "%d:%s", len(s), s)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// checkReplay refuses a create whose ClientToken names an earlier request with another
// fingerprint; a true replay under DryRun is still only a dry run.
func checkReplay(c *Call, original, fingerprint string) *APIError {
	if original != fingerprint {
		return errIdempotentMismatch()
	}
	if c.DryRun {
		return errDryRun()
	}
	return nil
}

func errIdempotentMismatch() *APIError {
	return apiErr(http.StatusBadRequest, "IdempotentParameterMismatch",
		"The client token you have provided is associated with a resource that has different parameters. Use a new client token.")
}

func errServiceNotFound(id string) *APIError {
	return apiErr(http.StatusBadRequest, "InvalidVpcEndpointServiceId.NotFound",
		"The VpcEndpointService Id '%s' does not exist", id)
}

func errEndpointIDNotFound(id string) *APIError {
	return apiErr(http.StatusBadRequest, "InvalidVpcEndpointId.NotFound",
		"The VpcEndpoint Id '%s' does not exist", id)
}

// boolParam reads an optional boolean, returning def when absent.
func boolParam(p Params, name string, def bool) (bool, error) {
	b, err := p.Bool(name)
	if err != nil {
		return false, err
	}
	if b == nil {
		return def, nil
	}
	return *b, nil
}

// containsStr reports whether list holds s.
func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// dedupe returns list without repeats, keeping the first occurrence.
func dedupe(list []string) []string {
	out := list[:0:0]
	for _, v := range list {
		if !containsStr(out, v) {
			out = append(out, v)
		}
	}
	return out
}
