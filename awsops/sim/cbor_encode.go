package sim

import (
	"fmt"
	"math"
	"time"
)

// appendCBOR encodes a handler's generic reply as CBOR straight into dst. Going through
// smithy-go's cbor.Value tree boxes every float and timestamp (a 500-query GetMetricData
// reply is ~100,000 of each); writing bytes directly keeps the reply path allocation-light.
// Absent (nil) map members are omitted, as AWS omits unset members; timestamps are tag 1
// (epoch seconds) with a float64 carrying milliseconds, as Smithy RPC v2 CBOR specifies.
func appendCBOR(dst []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, 0xf6), nil
	case string:
		dst = appendCBORHead(dst, 3, uint64(len(x)))
		return append(dst, x...), nil
	case bool:
		if x {
			return append(dst, 0xf5), nil
		}
		return append(dst, 0xf4), nil
	case int:
		return appendCBORInt(dst, int64(x)), nil
	case int32:
		return appendCBORInt(dst, int64(x)), nil
	case int64:
		return appendCBORInt(dst, x), nil
	case float64:
		return appendCBORFloat(dst, x), nil
	case []byte:
		dst = appendCBORHead(dst, 2, uint64(len(x)))
		return append(dst, x...), nil
	case time.Time:
		return appendCBORTime(dst, x), nil
	case []string:
		dst = appendCBORHead(dst, 4, uint64(len(x)))
		for _, s := range x {
			dst = appendCBORHead(dst, 3, uint64(len(s)))
			dst = append(dst, s...)
		}
		return dst, nil
	case []float64:
		dst = appendCBORHead(dst, 4, uint64(len(x)))
		for _, f := range x {
			dst = appendCBORFloat(dst, f)
		}
		return dst, nil
	case []time.Time:
		dst = appendCBORHead(dst, 4, uint64(len(x)))
		for _, t := range x {
			dst = appendCBORTime(dst, t)
		}
		return dst, nil
	case []any:
		dst = appendCBORHead(dst, 4, uint64(len(x)))
		for _, e := range x {
			var err error
			if dst, err = appendCBOR(dst, e); err != nil {
				return nil, err
			}
		}
		return dst, nil
	case []map[string]any:
		dst = appendCBORHead(dst, 4, uint64(len(x)))
		for _, e := range x {
			var err error
			if dst, err = appendCBOR(dst, e); err != nil {
				return nil, err
			}
		}
		return dst, nil
	case map[string]any:
		n := 0
		for _, e := range x {
			if e != nil {
				n++
			}
		}
		dst = appendCBORHead(dst, 5, uint64(n))
		for _, k := range sortedKeys(x) {
			e := x[k]
			if e == nil {
				continue
			}
			dst = appendCBORHead(dst, 3, uint64(len(k)))
			dst = append(dst, k...)
			var err error
			if dst, err = appendCBOR(dst, e); err != nil {
				return nil, err
			}
		}
		return dst, nil
	}
	return nil, fmt.Errorf("sim: cannot encode %T as CBOR", v)
}

// appendCBORHead writes a major type with its argument in the shortest form.
func appendCBORHead(dst []byte, major byte, n uint64) []byte {
	m := major << 5
	switch {
	case n < 24:
		return append(dst, m|byte(n))
	case n <= math.MaxUint8:
		return append(dst, m|24, byte(n))
	case n <= math.MaxUint16:
		return append(dst, m|25, byte(n>>8), byte(n))
	case n <= math.MaxUint32:
		return append(dst, m|26, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(dst, m|27, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32),
		byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

func appendCBORInt(dst []byte, n int64) []byte {
	if n < 0 {
		return appendCBORHead(dst, 1, uint64(-(n + 1)))
	}
	return appendCBORHead(dst, 0, uint64(n))
}

func appendCBORFloat(dst []byte, f float64) []byte {
	b := math.Float64bits(f)
	return append(dst, 0xfb, byte(b>>56), byte(b>>48), byte(b>>40), byte(b>>32),
		byte(b>>24), byte(b>>16), byte(b>>8), byte(b))
}

func appendCBORTime(dst []byte, t time.Time) []byte {
	return appendCBORFloat(append(dst, 0xc1), float64(t.UnixMilli())/1e3)
}
