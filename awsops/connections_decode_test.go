package awsops

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/model"
)

// The decoder of DescribeVpcEndpointConnections answers gives what the SDK's decoding gives,
// page by page, on the demo world — tags with markup characters, a payer set per endpoint,
// several pages — and the fast path is the one taken.
func TestFastConnectionsDecodeMatchesTheSDK(t *testing.T) {
	run := startSim(t, sim.WorldConfig{Seed: 1})
	c := newClient(t, run, providerAccount)
	ctx := ctxT(t)
	conns, err := c.ListConnections(ctx, "")
	if err != nil || len(conns) < 20 {
		t.Fatalf("%d connections, %v", len(conns), err)
	}
	var target model.Connection
	for _, cn := range conns {
		if cn.State == model.StateAvailable {
			target = cn
			break
		}
	}
	if _, err := c.SetConnectionPayer(ctx, target.ServiceID, []string{target.EndpointID}, model.PayerServiceAccount); err != nil {
		t.Fatal(err)
	}
	if err := c.TagResources(ctx, []string{target.ConnectionID}, map[string]string{"note": `a<b & "c" 'd' é ]]>`}, nil); err != nil {
		t.Fatal(err)
	}

	s := c.session()
	read := func(fast bool) (out []model.Connection, fastPages, pages int) {
		p := ec2.NewDescribeVpcEndpointConnectionsPaginator(s.ec2, &ec2.DescribeVpcEndpointConnectionsInput{MaxResults: aws.Int32(7)})
		var opts []func(*ec2.Options)
		if fast {
			opts = append(opts, withFastConnections(&s.strings))
		}
		for p.HasMorePages() {
			page, err := p.NextPage(ctx, opts...)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if got, ok := fastConnections(page.ResultMetadata); ok {
				fastPages++
				out = append(out, got...)
				continue
			}
			for _, vc := range page.VpcEndpointConnections {
				out = append(out, s.strings.connection(connectionFromSDK(vc)))
			}
		}
		return out, fastPages, pages
	}
	want, slow, pages := read(false)
	got, fastPages, _ := read(true)
	if slow != 0 || fastPages != pages || pages < 3 {
		t.Fatalf("%d pages, %d decoded by the fast path (the SDK's read: %d)", pages, fastPages, slow)
	}
	if !reflect.DeepEqual(got, want) {
		for i := range min(len(got), len(want)) {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("connection %d:\nfast %#v\nsdk  %#v", i, got[i], want[i])
			}
		}
		t.Fatalf("%d connections by the fast path, %d by the SDK", len(got), len(want))
	}
	var tagged, paid bool
	for _, cn := range got {
		if cn.EndpointID == target.EndpointID {
			tagged = cn.Tags["note"] == `a<b & "c" 'd' é ]]>`
			paid = cn.Payer == model.PayerServiceAccount
		}
	}
	if !tagged || !paid {
		t.Errorf("the tagged, provider-paid connection: tag %v, payer %v", tagged, paid)
	}
}

// A page the decoder does not understand goes to the SDK, and a page it decodes but whose
// answer is not a success is never touched: the answers below are what an SDK-only client
// would make of them.
func TestFastConnectionsDecodeLeavesOtherAnswersToTheSDK(t *testing.T) {
	body := `<?xml version="1.0"?><DescribeVpcEndpointConnectionsResponse><vpcEndpointConnectionSet><item>` +
		`<vpcEndpointId>vpce-1</vpcEndpointId><vpcEndpointState>available</vpcEndpointState></item>` + // no service id
		`</vpcEndpointConnectionSet></DescribeVpcEndpointConnectionsResponse>`
	if _, err := decodeConnectionsPage([]byte(body), &interner{}); err == nil {
		t.Fatal("a connection without a service id decoded")
	}
	got, fast := sdkAndFast(t, []byte(body))
	if fast || len(got) != 1 || got[0].EndpointID != "vpce-1" || got[0].State != model.StateAvailable {
		t.Errorf("fast %v, %#v", fast, got)
	}
}

// FuzzDecodeConnectionsPage holds the decoder to the SDK's decoding: on any body, it does
// not panic, and a page it decodes the SDK decodes too, into the same connections and the
// same token. (A body it refuses goes to the SDK, whatever the SDK makes of it.)
func FuzzDecodeConnectionsPage(f *testing.F) {
	for _, seed := range []string{
		connectionsPageSeed,
		`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + connectionsPageSeed,
		strings.ReplaceAll(connectionsPageSeed, "<item>", "<ec2:item xmlns:ec2=\"x\">"),
		`<DescribeVpcEndpointConnectionsResponse/>`,
		`<DescribeVpcEndpointConnectionsResponse><!-- c --><nextToken>a&amp;b&#x41;&#66;</nextToken></DescribeVpcEndpointConnectionsResponse>`,
		`<DescribeVpcEndpointConnectionsResponse><vpcEndpointConnectionSet><item><serviceId>vpce-svc-1</serviceId><vpcEndpointId><![CDATA[x]]></vpcEndpointId></item></vpcEndpointConnectionSet></DescribeVpcEndpointConnectionsResponse>`,
		`<DescribeVpcEndpointConnectionsResponse><VPCENDPOINTCONNECTIONSET><ITEM><SERVICEID>s</SERVICEID><VpcEndpointID>e</VpcEndpointID></ITEM></VPCENDPOINTCONNECTIONSET></DescribeVpcEndpointConnectionsResponse>`,
		`<Response><Errors><Error><Code>X</Code></Error></Errors></Response>`,
		`<a b="/>">`,
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		page, err := decodeConnectionsPage(body, &interner{})
		if err != nil {
			return
		}
		want, token, serr := sdkDecode(t, body)
		if serr != nil {
			t.Fatalf("the decoder read a page the SDK refuses (%v): %d connections, token %q", serr, len(page.conns), page.nextToken)
		}
		if got := page.conns; (len(got) > 0 || len(want) > 0) && !reflect.DeepEqual(got, want) {
			t.Fatalf("fast:\n%#v\nsdk:\n%#v", got, want)
		}
		if page.nextToken != token {
			t.Fatalf("token %q, the SDK's %q", page.nextToken, token)
		}
		// and through the stub the SDK is given in its place
		got, fast := sdkAndFast(t, body)
		if !fast || (len(got) > 0 || len(want) > 0) && !reflect.DeepEqual(got, want) {
			t.Fatalf("through the middleware (fast %v): %#v", fast, got)
		}
	})
}

const connectionsPageSeed = `<DescribeVpcEndpointConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>
  <vpcEndpointConnectionSet>
    <item>
      <serviceId>vpce-svc-0123456789abcdef0</serviceId>
      <vpcEndpointId>vpce-0a1b2c3d4e5f60718</vpcEndpointId>
      <vpcEndpointOwner>111122223333</vpcEndpointOwner>
      <vpcEndpointState>pendingAcceptance</vpcEndpointState>
      <creationTimestamp>2026-11-30T08:15:02.000Z</creationTimestamp>
      <dnsEntrySet>
        <item><dnsName>vpce-0a1b2c3d4e5f60718-abcd.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com</dnsName><hostedZoneId>Z7HUB22UULQXV</hostedZoneId></item>
        <item><dnsName>vpce-0a1b2c3d4e5f60718-abcd-us-east-1a.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com</dnsName><hostedZoneId>Z7HUB22UULQXV</hostedZoneId></item>
      </dnsEntrySet>
      <gatewayLoadBalancerArnSet/>
      <networkLoadBalancerArnSet><item>arn:aws:elasticloadbalancing:us-east-1:444455556666:loadbalancer/net/payments/50dc6c495c0c9188</item></networkLoadBalancerArnSet>
      <ipAddressType>ipv4</ipAddressType>
      <vpcEndpointConnectionId>vpce-con-0123456789abcdef0</vpcEndpointConnectionId>
      <vpcEndpointRegion>us-east-1</vpcEndpointRegion>
      <tagSet><item><key>Name</key><value>a &lt;b&gt; &amp; &quot;c&quot;</value></item><item><key>team</key><value/></item></tagSet>
      <payerResponsibilitySet><item><scope>vpc-endpoint-charges</scope><payerResponsibilityType>ServiceOwner</payerResponsibilityType></item></payerResponsibilitySet>
    </item>
  </vpcEndpointConnectionSet>
  <nextToken>eyJ2IjoxfQ==</nextToken>
</DescribeVpcEndpointConnectionsResponse>`

// sdkDecode is the SDK's reading of a DescribeVpcEndpointConnections body (as
// connectionFromSDK converts it), served by a transport that answers 200 with the body: the
// oracle the decoder is held to. err says why the SDK refuses the body.
func sdkDecode(t *testing.T, body []byte) (conns []model.Connection, token string, err error) {
	t.Helper()
	out, err := cannedEC2(body).DescribeVpcEndpointConnections(context.Background(), &ec2.DescribeVpcEndpointConnectionsInput{})
	if err != nil {
		return nil, "", err
	}
	in := &interner{}
	for _, vc := range out.VpcEndpointConnections {
		conns = append(conns, in.connection(connectionFromSDK(vc)))
	}
	return conns, aws.ToString(out.NextToken), nil
}

// sdkAndFast reads a body through an SDK client with the decoder installed: the connections,
// and whether the decoder read them.
func sdkAndFast(t *testing.T, body []byte) ([]model.Connection, bool) {
	t.Helper()
	in := &interner{}
	out, err := cannedEC2(body).DescribeVpcEndpointConnections(context.Background(), &ec2.DescribeVpcEndpointConnectionsInput{}, withFastConnections(in))
	if err != nil {
		t.Fatal(err)
	}
	if conns, ok := fastConnections(out.ResultMetadata); ok {
		return conns, true
	}
	var conns []model.Connection
	for _, vc := range out.VpcEndpointConnections {
		conns = append(conns, in.connection(connectionFromSDK(vc)))
	}
	return conns, false
}

func cannedEC2(body []byte) *ec2.Client {
	return ec2.New(ec2.Options{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		HTTPClient:  cannedHTTP(body),
		Retryer:     aws.NopRetryer{},
	})
}

// cannedHTTP answers every request with 200 and the same body.
type cannedHTTP []byte

func (b cannedHTTP) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{"Content-Type": {"text/xml"}},
		Body: io.NopCloser(bytes.NewReader(b)), ContentLength: int64(len(b)), Request: r}, nil
}

// A page cut short anywhere, or with an end tag that closes the wrong element, is refused
// (and so goes to the SDK, which reports it), never read as a shorter page: the store would
// take the connections it lacks for deleted.
func TestDecoderRefusesTruncatedAndMisnestedPages(t *testing.T) {
	doc := strings.TrimSpace(connectionsPageSeed)
	if _, err := decodeConnectionsPage([]byte(doc), &interner{}); err != nil {
		t.Fatalf("the whole page: %v", err)
	}
	for n := range len(doc) {
		if page, err := decodeConnectionsPage([]byte(doc[:n]), &interner{}); err == nil {
			t.Fatalf("cut after %d of %d bytes, read as %d connections (token %q)", n, len(doc), len(page.conns), page.nextToken)
		}
	}
	misnested := strings.Replace(doc, "</dnsEntrySet>", "</tagSet>", 1)
	if _, err := decodeConnectionsPage([]byte(misnested), &interner{}); err == nil {
		t.Fatal("an end tag closing the wrong element was accepted")
	}
}

// What the SDK keeps where a page is odd, the decoder keeps too: the last dnsName of an
// entry, a token holding a carriage return (through the stub the SDK reads in its place).
func TestDecoderKeepsWhatTheSDKKeeps(t *testing.T) {
	body := []byte(`<DescribeVpcEndpointConnectionsResponse><vpcEndpointConnectionSet><item>` +
		`<serviceId>vpce-svc-1</serviceId><vpcEndpointId>vpce-1</vpcEndpointId>` +
		`<dnsEntrySet><item><dnsName>first</dnsName><dnsName>second</dnsName></item></dnsEntrySet>` +
		`</item></vpcEndpointConnectionSet><nextToken>a&#xD;b&#9;c</nextToken></DescribeVpcEndpointConnectionsResponse>`)
	want, token, err := sdkDecode(t, body)
	if err != nil {
		t.Fatal(err)
	}
	page, err := decodeConnectionsPage(body, &interner{})
	if err != nil || !reflect.DeepEqual(page.conns, want) || page.nextToken != token || token != "a\rb\tc" {
		t.Fatalf("decoder %#v %q %v; SDK %#v %q", page.conns, page.nextToken, err, want, token)
	}
	out, err := cannedEC2(page.stub()).DescribeVpcEndpointConnections(context.Background(), &ec2.DescribeVpcEndpointConnectionsInput{})
	if err != nil || aws.ToString(out.NextToken) != token {
		t.Fatalf("the stub's token: %q, %v", aws.ToString(out.NextToken), err)
	}
}
