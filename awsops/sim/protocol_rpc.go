package sim

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// cloudWatchTarget is CloudWatch's service shape name: the X-Amz-Target prefix of AWS JSON 1.0
// and the service segment of the RPC v2 CBOR path.
const cloudWatchTarget = "GraniteServiceVersion20100801"

// cloudWatchErrorTypes maps the Query-compatible error codes handlers use to the modeled
// error shapes CloudWatch's newer protocols name in __type. CloudWatch is awsQueryCompatible,
// so the Query code also travels in the X-Amzn-Query-Error header and the SDK reports that.
var cloudWatchErrorTypes = map[string]string{
	"InvalidParameterValue":       "InvalidParameterValueException",
	"InvalidParameterCombination": "InvalidParameterCombinationException",
	"MissingParameter":            "MissingRequiredParameterException",
	"InvalidNextToken":            "InvalidNextToken",
	"InternalServiceFault":        "InternalServiceFault",
	"LimitExceeded":               "LimitExceededException",
	"ResourceNotFound":            "ResourceNotFoundException",
	"Throttling":                  "ThrottlingException",
}

// maxDocDepth bounds nesting in CBOR and JSON inputs.
const maxDocDepth = 32

// decodeCBORDocument decodes an RPC v2 CBOR body into generic values: map[string]any,
// []any, string, []byte, int64, float64, bool, nil and time.Time (CBOR tag 1).
func decodeCBORDocument(body []byte) (map[string]any, error) {
	if len(body) == 0 {
		return map[string]any{}, nil
	}
	v, err := cbor.Decode(body)
	if err != nil {
		return nil, errSerialization("the request body is not valid CBOR: %v", err)
	}
	g, err := fromCBOR(v, 0)
	if err != nil {
		return nil, err
	}
	m, ok := g.(map[string]any)
	if !ok {
		return nil, errSerialization("the request body must be a CBOR map, not %T", g)
	}
	return m, nil
}

func fromCBOR(v cbor.Value, depth int) (any, error) {
	if depth > maxDocDepth {
		return nil, errSerialization("the request nests deeper than %d levels", maxDocDepth)
	}
	switch x := v.(type) {
	case cbor.Uint:
		if uint64(x) > math.MaxInt64 {
			return float64(x), nil
		}
		return int64(x), nil
	case cbor.NegInt:
		if x == 0 || uint64(x) > math.MaxInt64 {
			return -float64(uint64(x)), nil
		}
		return -int64(x), nil
	case cbor.Slice:
		return []byte(x), nil
	case cbor.String:
		return string(x), nil
	case cbor.List:
		out := make([]any, len(x))
		for i, e := range x {
			g, err := fromCBOR(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = g
		}
		return out, nil
	case cbor.Map:
		out := make(map[string]any, len(x))
		for k, e := range x {
			g, err := fromCBOR(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = g
		}
		return out, nil
	case *cbor.Tag:
		if x.ID == 1 {
			t, err := cbor.AsTime(x)
			if err != nil {
				return nil, errSerialization("a timestamp is not an epoch-seconds number: %v", err)
			}
			return t.UTC(), nil
		}
		return fromCBOR(x.Value, depth+1)
	case cbor.Bool:
		return bool(x), nil
	case *cbor.Nil, *cbor.Undefined, nil:
		return nil, nil
	case cbor.Float32:
		return float64(x), nil
	case cbor.Float64:
		return float64(x), nil
	}
	return nil, errSerialization("unsupported CBOR value %T", v)
}

// decodeJSONDocument decodes an AWS JSON 1.0 body. Numbers stay float64 (timestamps arrive as
// epoch seconds: use Call.Time to read them).
func decodeJSONDocument(body []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, errSerialization("the request body is not a JSON object: %v", err)
	}
	if depth := jsonDepth(m, 0); depth > maxDocDepth {
		return nil, errSerialization("the request nests deeper than %d levels", maxDocDepth)
	}
	return m, nil
}

func jsonDepth(v any, d int) int {
	max := d
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			if n := jsonDepth(e, d+1); n > max {
				max = n
			}
		}
	case []any:
		for _, e := range x {
			if n := jsonDepth(e, d+1); n > max {
				max = n
			}
		}
	}
	return max
}

// toJSON converts a handler's reply to what encoding/json writes in AWS JSON 1.0: timestamps
// as epoch seconds.
func toJSON(v any) any {
	switch x := v.(type) {
	case time.Time:
		return float64(x.UnixMilli()) / 1e3
	case []time.Time:
		out := make([]float64, len(x))
		for i, t := range x {
			out[i] = float64(t.UnixMilli()) / 1e3
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toJSON(e)
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toJSON(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if e == nil {
				continue
			}
			out[k] = toJSON(e)
		}
		return out
	}
	return v
}

func errSerialization(format string, args ...any) *APIError {
	return apiErr(http.StatusBadRequest, "SerializationException", format, args...)
}

func writeRPCResult(w http.ResponseWriter, c *Call, out any) {
	if out == nil {
		out = map[string]any{}
	}
	h := w.Header()
	h.Set("X-Amzn-Requestid", c.RequestID)
	var body []byte
	if c.protocol == protoCBOR {
		var err error
		body, err = appendCBOR(make([]byte, 0, 4096), out)
		if err != nil {
			writeRPCError(w, c, internalEncodeErr(err))
			return
		}
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
		h.Set("Content-Type", "application/cbor")
	} else {
		var err error
		body, err = json.Marshal(toJSON(out))
		if err != nil {
			writeRPCError(w, c, internalEncodeErr(err))
			return
		}
		h.Set("Content-Type", "application/x-amz-json-1.0")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func writeRPCError(w http.ResponseWriter, c *Call, e *APIError) {
	typ := cloudWatchErrorTypes[e.Code]
	if typ == "" {
		typ = e.Code
	}
	fault := "Sender"
	if e.Status >= 500 {
		fault = "Receiver"
	}
	h := w.Header()
	h.Set("X-Amzn-Requestid", c.RequestID)
	h.Set("X-Amzn-Query-Error", e.Code+";"+fault)
	var body []byte
	if c.protocol == protoCBOR {
		body = cbor.Encode(cbor.Map{
			"__type":  cbor.String("com.amazonaws.cloudwatch#" + typ),
			"message": cbor.String(e.Message),
		})
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
		h.Set("Content-Type", "application/cbor")
	} else {
		body, _ = json.Marshal(map[string]string{"__type": "com.amazonaws.cloudwatch#" + typ, "message": e.Message})
		h.Set("Content-Type", "application/x-amz-json-1.0")
		h.Set("X-Amzn-Errortype", typ)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}

// writeResult and writeError dispatch on the call's protocol.
func (s *Server) writeResult(w http.ResponseWriter, c *Call, out any) {
	switch c.protocol {
	case protoCBOR, protoJSON:
		writeRPCResult(w, c, out)
	default:
		writeQueryResult(w, c, out)
	}
}

func (s *Server) writeError(w http.ResponseWriter, c *Call, err error) {
	e, ok := err.(*APIError)
	if !ok {
		e = apiErr(http.StatusInternalServerError, "InternalError", "%v", err)
		if c.Service == svcCloudWatch {
			e.Code = "InternalServiceFault"
		}
	}
	switch c.protocol {
	case protoCBOR, protoJSON:
		writeRPCError(w, c, e)
	default:
		writeQueryError(w, c, e)
	}
}

// Doc accessors for CloudWatch handlers.

// Str returns a string member of the input document.
func (c *Call) Str(key string) (string, bool) {
	s, ok := c.Doc[key].(string)
	return s, ok
}

// Time returns a timestamp member: CBOR tag 1 arrives as time.Time, JSON as epoch seconds.
func (c *Call) Time(key string) (time.Time, bool, error) {
	return docTime(c.Doc, key)
}

func docTime(doc map[string]any, key string) (time.Time, bool, error) {
	v, ok := doc[key]
	if !ok || v == nil {
		return time.Time{}, false, nil
	}
	switch x := v.(type) {
	case time.Time:
		return x, true, nil
	case float64:
		sec, frac := math.Modf(x)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true, nil
	case int64:
		return time.Unix(x, 0).UTC(), true, nil
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t, true, nil
		}
	}
	return time.Time{}, true, errInvalidParam("The parameter %s must be a timestamp.", key)
}

// Num returns a numeric member as int64 (CBOR ints, JSON numbers).
func (c *Call) Num(key string) (int64, bool, error) {
	return docNum(c.Doc, key)
}

func docNum(doc map[string]any, key string) (int64, bool, error) {
	v, ok := doc[key]
	if !ok || v == nil {
		return 0, false, nil
	}
	switch x := v.(type) {
	case int64:
		return x, true, nil
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return 0, true, errInvalidParam("The parameter %s must be an integer.", key)
		}
		return int64(x), true, nil
	}
	return 0, true, errInvalidParam("The parameter %s must be an integer.", key)
}

// sortedKeys is used where a deterministic order of map keys matters.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
