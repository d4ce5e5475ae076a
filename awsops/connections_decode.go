package awsops

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go/middleware"
	smithytime "github.com/aws/smithy-go/time"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/plconsole/plconsole/model"
)

// The inventory tier reads every connection of the session: on a fleet of 50,000 that is
// about 50 pages of DescribeVpcEndpointConnections, 100 MB of XML. The SDK decodes it token by
// token through encoding/xml into its own structures (10 million allocations, 4 CPU-seconds
// on the machine docs/PERFORMANCE.md names), which are then copied into model.Connection and
// dropped. The decoder here reads a page's body once, straight into model.Connection, taking
// the fields the console uses and skipping the rest: the same answer for a tenth of the work.
//
// It runs as a deserialize middleware below the SDK's own (closer to the wire): a successful
// answer it decodes is handed up in the call's metadata, and the SDK is given a body that
// holds only the page's token and request id, so its paginator and logging work as before.
// An answer it does not understand (or an error status) is left exactly as it came, and the
// SDK's decoding is used: the fast path can make a read faster, never wrong.

// fastConnectionsID names the middleware.
const fastConnectionsID = "plconsole.FastConnectionsDecoder"

// fastConnectionsKey is the metadata key of a decoded page ([]model.Connection).
type fastConnectionsKey struct{}

// withFastConnections is the per-call option that installs the decoder; repeated strings are
// interned into in.
func withFastConnections(in *interner) func(*ec2.Options) {
	mw := middleware.DeserializeMiddlewareFunc(fastConnectionsID,
		func(ctx context.Context, input middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			return decodeConnectionsAnswer(ctx, input, next, in)
		})
	return func(o *ec2.Options) {
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Deserialize.Insert(mw, "OperationDeserializer", middleware.After)
		})
	}
}

// decodeConnectionsAnswer is the middleware: it decodes a successful answer, hands the
// connections up in the metadata and gives the SDK the stub; anything else it leaves as it
// came.
func decodeConnectionsAnswer(ctx context.Context, input middleware.DeserializeInput, next middleware.DeserializeHandler, in *interner) (middleware.DeserializeOutput, middleware.Metadata, error) {
	out, md, err := next.HandleDeserialize(ctx, input)
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if err != nil || !ok || resp == nil || resp.Body == nil || resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return out, md, err
	}
	buf, rerr := readBody(resp)
	body := buf.Bytes()
	if rerr != nil {
		// what was read is given back with the error still to come: the SDK reports the
		// broken body as it would have
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{rerr}))
		return out, md, nil
	}
	page, derr := decodeConnectionsPage(body, in)
	if derr != nil {
		resp.Body = io.NopCloser(bytes.NewReader(body)) // the SDK decodes it
		return out, md, nil
	}
	recycleBody(buf) // nothing decoded points into it
	resp.Body = io.NopCloser(bytes.NewReader(page.stub()))
	md.Set(fastConnectionsKey{}, page.conns)
	return out, md, nil
}

// fastConnections returns the page the decoder read, if it did.
func fastConnections(md middleware.Metadata) ([]model.Connection, bool) {
	conns, ok := md.Get(fastConnectionsKey{}).([]model.Connection)
	return conns, ok
}

// bodies holds read buffers for the pages of a read: an inventory is 50 pages of ~2 MB,
// read one after the other, and one buffer serves them all.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// readBody reads a whole answer into a buffer from bodies, grown once when its length is
// known. A page handed to the SDK keeps its buffer; a decoded one gives it back
// (recycleBody).
func readBody(resp *smithyhttp.Response) (*bytes.Buffer, error) {
	defer resp.Body.Close()
	b := bodies.Get().(*bytes.Buffer)
	b.Reset()
	if n := resp.ContentLength; n > 0 && n < 1<<30 {
		b.Grow(int(n) + bytes.MinRead)
	}
	_, err := b.ReadFrom(resp.Body)
	return b, err
}

// recycleBody gives a buffer back to bodies, unless it grew too large to keep around.
func recycleBody(b *bytes.Buffer) {
	if b.Cap() <= 16<<20 {
		bodies.Put(b)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// connectionsPage is one DescribeVpcEndpointConnections answer.
type connectionsPage struct {
	conns     []model.Connection
	nextToken string
	requestID string
}

// stub is the body the SDK decodes in place of the page: its token and request id only.
func (p connectionsPage) stub() []byte {
	var b bytes.Buffer
	b.WriteString("<DescribeVpcEndpointConnectionsResponse>")
	for _, f := range [][2]string{{"requestId", p.requestID}, {"nextToken", p.nextToken}} {
		if f[1] != "" {
			b.WriteString("<" + f[0] + ">")
			xml.EscapeText(&b, []byte(f[1])) // the decoder took valid UTF-8 only
			b.WriteString("</" + f[0] + ">")
		}
	}
	b.WriteString("<vpcEndpointConnectionSet/></DescribeVpcEndpointConnectionsResponse>")
	return b.Bytes()
}

// decodeConnectionsPage reads a DescribeVpcEndpointConnections answer into connections, as
// connectionFromSDK would from the SDK's decoding (element names are matched as the SDK
// matches them, without regard to case). Repeated strings are interned as they are read. A
// document of another shape, or a connection without its service or endpoint id, is an
// error: the caller then leaves the page to the SDK.
func decodeConnectionsPage(body []byte, in *interner) (connectionsPage, error) {
	// sized by a count of the endpoint ids (a hint: the decoding decides)
	p := connectionsPage{conns: make([]model.Connection, 0, bytes.Count(body, []byte("<vpcEndpointId>")))}
	s := &xmlScan{b: body}
	root, empty, ok := s.child()
	if s.err != nil {
		return p, s.err
	}
	if !ok || !xmlNameIs(root, "DescribeVpcEndpointConnectionsResponse") {
		return p, fmt.Errorf("not a DescribeVpcEndpointConnections answer (root %q)", root)
	}
	s.each(empty, func(name []byte, empty bool) {
		switch {
		case xmlNameIs(name, "requestId"):
			p.requestID = string(s.text(empty))
		case xmlNameIs(name, "nextToken"):
			p.nextToken = string(s.text(empty))
		case xmlNameIs(name, "vpcEndpointConnectionSet"):
			s.eachItem(empty, func(empty bool) { p.conns = append(p.conns, s.connection(empty, in)) })
		default:
			s.skip(empty)
		}
	})
	if s.err == nil {
		if _, _, more := s.child(); more {
			s.fail("content after the root element")
		}
	}
	if s.err != nil {
		return connectionsPage{}, s.err
	}
	for _, c := range p.conns {
		if c.ServiceID == "" || c.EndpointID == "" {
			return connectionsPage{}, errors.New("a connection without its service or endpoint id")
		}
	}
	return p, nil
}

// the fields of a connection the console reads, by their element names
const (
	fServiceID = iota
	fEndpointID
	fConnectionID
	fOwner
	fState
	fRegion
	fIPType
	fCreated
	fNLBs
	fGWLBs
	fDNS
	fTags
	fPayer
)

var connectionFields = []string{
	fServiceID: "serviceId", fEndpointID: "vpcEndpointId", fConnectionID: "vpcEndpointConnectionId",
	fOwner: "vpcEndpointOwner", fState: "vpcEndpointState", fRegion: "vpcEndpointRegion",
	fIPType: "ipAddressType", fCreated: "creationTimestamp", fNLBs: "networkLoadBalancerArnSet",
	fGWLBs: "gatewayLoadBalancerArnSet", fDNS: "dnsEntrySet", fTags: "tagSet", fPayer: "payerResponsibilitySet",
}

// connection reads one vpcEndpointConnectionSet item.
func (s *xmlScan) connection(empty bool, in *interner) model.Connection {
	var c model.Connection
	var gwlbs []string // after the network load balancers, as connectionFromSDK orders them
	str := func(empty bool) string { return in.bytes(s.text(empty)) }
	s.each(empty, func(name []byte, empty bool) {
		switch field := xmlField(name, connectionFields); field {
		case fServiceID:
			c.ServiceID = str(empty)
		case fEndpointID:
			c.EndpointID = string(s.text(empty))
		case fConnectionID:
			c.ConnectionID = string(s.text(empty))
		case fOwner:
			c.OwnerAccount = str(empty)
		case fState:
			st, _ := model.ParseConnectionState(str(empty))
			c.State = model.ConnectionState(in.str(string(st)))
		case fRegion:
			c.Region = str(empty)
		case fIPType:
			c.IPAddressType = str(empty)
		case fCreated:
			t, err := smithytime.ParseDateTime(string(s.text(empty)))
			if err != nil {
				s.fail("creationTimestamp: " + err.Error()) // an empty one too: the SDK decides
			}
			c.Created = t
		case fNLBs, fGWLBs:
			s.eachItem(empty, func(empty bool) {
				if arn := str(empty); field == fGWLBs {
					gwlbs = append(gwlbs, arn)
				} else {
					c.LoadBalancers = append(c.LoadBalancers, arn)
				}
			})
		case fDNS:
			s.eachItem(empty, func(empty bool) {
				if dns, _ := s.pair(empty, "dnsName", "hostedZoneId"); len(dns) > 0 {
					c.DNSNames = append(c.DNSNames, string(dns))
				}
			})
		case fTags:
			s.eachItem(empty, func(empty bool) {
				key, value := s.pair(empty, "key", "value")
				if c.Tags == nil {
					c.Tags = map[string]string{}
				}
				c.Tags[in.bytes(key)] = string(value)
			})
		case fPayer:
			s.eachItem(empty, func(empty bool) {
				if scope, payer := s.pair(empty, "scope", "payerResponsibilityType"); string(scope) == model.PayerScopeEndpoint {
					c.Payer = in.bytes(payer)
				}
			})
		default:
			s.skip(empty)
		}
	})
	c.LoadBalancers = append(c.LoadBalancers, gwlbs...)
	return c
}
