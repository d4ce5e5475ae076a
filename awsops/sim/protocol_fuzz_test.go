package sim

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

func TestDecodeQueryForm(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    Params
		wantErr string
	}{
		{"empty", "", Params{}, ""},
		{"simple", "Action=DescribeVpcs&Version=2016-11-15", Params{"Action": "DescribeVpcs", "Version": "2016-11-15"}, ""},
		{"escaped", "Filter.1.Name=tag%3AName&Filter.1.Value.1=a+b%2Fc", Params{"Filter.1.Name": "tag:Name", "Filter.1.Value.1": "a b/c"}, ""},
		{"no value", "DryRun", Params{"DryRun": ""}, ""},
		{"duplicate", "A=1&A=2", nil, "more than once"},
		{"bad escape", "A=%zz", nil, "not valid URL encoding"},
		{"empty name", "=x", nil, "empty name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeQueryForm([]byte(tt.body))
			if tt.wantErr != "" {
				if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.wantErr)) {
					t.Fatalf("error = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Fatalf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestParamsLists(t *testing.T) {
	p := Params{
		"VpcEndpointId.2": "vpce-b", "VpcEndpointId.1": "vpce-a", "VpcEndpointId.10": "vpce-j",
		"LoadBalancerArns.member.1": "arn1", "LoadBalancerArns.member.2": "arn2",
		"Filter.2.Name": "vpc-endpoint-state", "Filter.2.Value.1": "available",
		"Filter.1.Name": "service-id", "Filter.1.Value.2": "s2", "Filter.1.Value.1": "s1",
		"Attributes.member.1.Key": "k", "Attributes.member.1.Value": "v",
	}
	if got := p.List("VpcEndpointId"); len(got) != 3 || got[0] != "vpce-a" || got[1] != "vpce-b" || got[2] != "vpce-j" {
		t.Fatalf("List(VpcEndpointId) = %v", got)
	}
	if got := p.List("LoadBalancerArns"); len(got) != 2 || got[1] != "arn2" {
		t.Fatalf("List(LoadBalancerArns) = %v", got)
	}
	fs, err := p.Filters()
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 || fs[0].Name != "service-id" || len(fs[0].Values) != 2 || fs[0].Values[1] != "s2" || fs[1].Values[0] != "available" {
		t.Fatalf("Filters() = %+v", fs)
	}
	objs := p.Objects("Attributes")
	if len(objs) != 1 || objs[0]["Key"] != "k" || objs[0]["Value"] != "v" {
		t.Fatalf("Objects(Attributes) = %v", objs)
	}
	if _, err := (Params{"Filter.1.Value.1": "x"}).Filters(); err == nil {
		t.Fatal("a filter without a name must be refused")
	}
	if _, err := (Params{"DryRun": "yes"}).Bool("DryRun"); err == nil {
		t.Fatal("DryRun=yes must be refused")
	}
	if n, err := (Params{"MaxResults": "5"}).Int("MaxResults"); err != nil || *n != 5 {
		t.Fatalf("Int = %v, %v", n, err)
	}
}

func TestParseSigV4(t *testing.T) {
	akid, region, svc, ok := parseSigV4("AWS4-HMAC-SHA256 Credential=AKIA111122223333SIMU/20261125/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc")
	if !ok || akid != "AKIA111122223333SIMU" || region != "us-east-1" || svc != "ec2" {
		t.Fatalf("got %q %q %q %v", akid, region, svc, ok)
	}
	for _, h := range []string{"", "Bearer x", "AWS4-HMAC-SHA256 Credential=a/b/c", "AWS4-HMAC-SHA256 SignedHeaders=host"} {
		if _, _, _, ok := parseSigV4(h); ok {
			t.Fatalf("%q must not parse", h)
		}
	}
}

func FuzzDecodeQueryForm(f *testing.F) {
	for _, s := range []string{
		"Action=DescribeVpcEndpointConnections&Version=2016-11-15&MaxResults=1000&Filter.1.Name=service-id&Filter.1.Value.1=vpce-svc-0",
		"Action=DescribeLoadBalancers&LoadBalancerArns.member.1=arn%3Aaws%3Aelasticloadbalancing",
		"a=%&b", "&&&", "A=1&A=1", "%41=%42",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := decodeQueryForm(body)
		if err != nil {
			return
		}
		// Whatever decodes must be usable by the accessors without panicking.
		_ = p.List("VpcEndpointId")
		_ = p.Objects("Filter")
		_, _ = p.Filters()
		_, _ = p.Bool("DryRun")
		_, _ = p.Int("MaxResults")
	})
}

func FuzzDecodeCBORDocument(f *testing.F) {
	seed := cbor.Encode(cbor.Map{
		"StartTime": &cbor.Tag{ID: 1, Value: cbor.Float64(1.7e9)},
		"EndTime":   &cbor.Tag{ID: 1, Value: cbor.Uint(1700000600)},
		"MetricDataQueries": cbor.List{cbor.Map{
			"Id": cbor.String("m1"),
			"MetricStat": cbor.Map{
				"Metric": cbor.Map{"Namespace": cbor.String("AWS/PrivateLinkServices"), "MetricName": cbor.String("ActiveConnections"),
					"Dimensions": cbor.List{cbor.Map{"Name": cbor.String("Service Id"), "Value": cbor.String("vpce-svc-0")}}},
				"Period": cbor.Uint(60), "Stat": cbor.String("Sum"),
			},
		}},
		"MaxDatapoints": cbor.Uint(100),
		"Neg":           cbor.NegInt(5),
	})
	f.Add(seed)
	f.Add([]byte{})
	f.Add([]byte{0xa0})             // {}
	f.Add([]byte{0x80})             // []
	f.Add([]byte{0xbf, 0xff})       // indefinite {}
	f.Add([]byte{0xc1, 0x1a, 0, 0}) // truncated tag
	f.Fuzz(func(t *testing.T, body []byte) {
		doc, err := decodeCBORDocument(body)
		if err != nil {
			return
		}
		// A decoded document re-encodes through the reply encoder, and decodes again to the
		// same members: the reply path accepts what the request path yields.
		enc, err := appendCBOR(nil, map[string]any(doc))
		if err != nil {
			t.Fatalf("decoded document does not re-encode: %v", err)
		}
		again, err := decodeCBORDocument(enc)
		if err != nil {
			t.Fatalf("re-encoded document does not decode: %v", err)
		}
		for k, v := range doc {
			if (v == nil) != (again[k] == nil) {
				t.Fatalf("member %q: %v became %v", k, v, again[k])
			}
		}
		_, _, _ = docTime(doc, "StartTime")
		_, _, _ = docNum(doc, "MaxDatapoints")
	})
}

// The reply encoder's bytes decode, with smithy-go's own decoder, to the values written.
func TestAppendCBORMatchesSmithyDecoder(t *testing.T) {
	ts := time.Unix(1700000000, 250e6).UTC()
	reply := map[string]any{
		"MetricDataResults": []any{map[string]any{
			"Id": "m1", "Label": "Active", "StatusCode": "Complete",
			"Timestamps": []time.Time{ts, ts.Add(time.Minute)},
			"Values":     []float64{1.5, -2, 1e300},
		}},
		"Messages": []any{},
		"Big":      int64(1) << 40, "Neg": int64(-25), "Small": 7, "Yes": true, "Absent": nil,
		"Names": []string{"a", strings.Repeat("x", 300)},
	}
	b, err := appendCBOR(nil, reply)
	if err != nil {
		t.Fatal(err)
	}
	v, err := cbor.Decode(b)
	if err != nil {
		t.Fatalf("smithy-go cannot decode the reply: %v", err)
	}
	m := v.(cbor.Map)
	if _, ok := m["Absent"]; ok {
		t.Error("nil members must be omitted")
	}
	if n, _ := cbor.AsInt64(m["Neg"]); n != -25 {
		t.Errorf("Neg = %d", n)
	}
	if n, _ := cbor.AsInt64(m["Big"]); n != 1<<40 {
		t.Errorf("Big = %d", n)
	}
	res := m["MetricDataResults"].(cbor.List)[0].(cbor.Map)
	got, err := cbor.AsTime(res["Timestamps"].(cbor.List)[1])
	if err != nil || !got.Equal(ts.Add(time.Minute)) {
		t.Errorf("timestamp = %v, %v", got, err)
	}
	if f, _ := cbor.AsFloat64(res["Values"].(cbor.List)[2]); f != 1e300 {
		t.Errorf("value = %v", f)
	}
	if s := m["Names"].(cbor.List)[1].(cbor.String); len(s) != 300 {
		t.Errorf("long string has %d bytes", len(s))
	}
	if _, err := appendCBOR(nil, map[string]any{"x": struct{}{}}); err == nil {
		t.Error("an unsupported type must be refused")
	}
}

func TestDecodeCBORDocument(t *testing.T) {
	body := cbor.Encode(cbor.Map{
		"StartTime":     &cbor.Tag{ID: 1, Value: cbor.Float64(1700000000.5)},
		"MaxDatapoints": cbor.Uint(100),
		"Neg":           cbor.NegInt(5),
		"Ids":           cbor.List{cbor.String("a"), cbor.String("b")},
	})
	doc, err := decodeCBORDocument(body)
	if err != nil {
		t.Fatal(err)
	}
	st, ok, err := docTime(doc, "StartTime")
	if err != nil || !ok || st.UnixMilli() != 1700000000500 {
		t.Fatalf("StartTime = %v %v %v", st, ok, err)
	}
	if n, _, _ := docNum(doc, "MaxDatapoints"); n != 100 {
		t.Fatalf("MaxDatapoints = %d", n)
	}
	if n, _, _ := docNum(doc, "Neg"); n != -5 {
		t.Fatalf("Neg = %d", n)
	}
	if _, err := decodeCBORDocument([]byte{0x80}); err == nil {
		t.Fatal("a CBOR list at the top must be refused")
	}
	if _, err := decodeCBORDocument([]byte{0xff}); err == nil {
		t.Fatal("garbage must be refused")
	}
}
