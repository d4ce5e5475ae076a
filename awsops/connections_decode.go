package awsops

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

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

// withFastConnections is the per-call option that installs the decoder.
func (c *Client) withFastConnections(s *session) func(*ec2.Options) {
	return func(o *ec2.Options) {
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Deserialize.Insert(middleware.DeserializeMiddlewareFunc(fastConnectionsID,
				func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
					out, md, err := next.HandleDeserialize(ctx, in)
					if err != nil {
						return out, md, err
					}
					resp, ok := out.RawResponse.(*smithyhttp.Response)
					if !ok || resp == nil || resp.Body == nil || resp.StatusCode < 200 || resp.StatusCode >= 300 {
						return out, md, err
					}
					buf, rerr := readBody(resp)
					body := buf.Bytes()
					if rerr != nil {
						// what was read is given back with the error still to come: the SDK
						// reports the broken body as it would have
						resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{rerr}))
						return out, md, err
					}
					page, derr := decodeConnectionsPage(body, &s.strings)
					if derr != nil {
						resp.Body = io.NopCloser(bytes.NewReader(body)) // the SDK decodes it
						return out, md, err
					}
					recycleBody(buf) // nothing decoded points into it
					resp.Body = io.NopCloser(bytes.NewReader(page.stub()))
					md.Set(fastConnectionsKey{}, page.conns)
					return out, md, err
				}), "OperationDeserializer", middleware.After)
		})
	}
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
	if p.requestID != "" {
		b.WriteString("<requestId>")
		xmlEscape(&b, p.requestID)
		b.WriteString("</requestId>")
	}
	if p.nextToken != "" {
		b.WriteString("<nextToken>")
		xmlEscape(&b, p.nextToken)
		b.WriteString("</nextToken>")
	}
	b.WriteString("<vpcEndpointConnectionSet/></DescribeVpcEndpointConnectionsResponse>")
	return b.Bytes()
}

// xmlEscape writes s as XML text, byte for byte: markup characters and carriage returns
// (which an XML reader turns into line feeds) as references.
func xmlEscape(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			b.WriteByte(c)
		}
	}
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
		switch xmlField(name, connectionFields) {
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
			gateway := xmlField(name, connectionFields) == fGWLBs
			s.eachItem(empty, func(empty bool) {
				if arn := str(empty); gateway {
					gwlbs = append(gwlbs, arn)
				} else {
					c.LoadBalancers = append(c.LoadBalancers, arn)
				}
			})
		case fDNS:
			s.eachItem(empty, func(empty bool) {
				var dns []byte // the last dnsName of an entry, as the SDK keeps it
				s.each(empty, func(name []byte, empty bool) {
					if !xmlNameIs(name, "dnsName") {
						s.skip(empty)
						return
					}
					dns = s.text(empty)
				})
				if len(dns) > 0 {
					c.DNSNames = append(c.DNSNames, string(dns))
				}
			})
		case fTags:
			s.eachItem(empty, func(empty bool) {
				var key, value string
				s.each(empty, func(name []byte, empty bool) {
					switch {
					case xmlNameIs(name, "key"):
						key = str(empty)
					case xmlNameIs(name, "value"):
						value = string(s.text(empty))
					default:
						s.skip(empty)
					}
				})
				if c.Tags == nil {
					c.Tags = map[string]string{}
				}
				c.Tags[key] = value
			})
		case fPayer:
			s.eachItem(empty, func(empty bool) {
				var scope, payer string
				s.each(empty, func(name []byte, empty bool) {
					switch {
					case xmlNameIs(name, "scope"):
						scope = string(s.text(empty))
					case xmlNameIs(name, "payerResponsibilityType"):
						payer = str(empty)
					default:
						s.skip(empty)
					}
				})
				if scope == model.PayerScopeEndpoint {
					c.Payer = payer
				}
			})
		default:
			s.skip(empty)
		}
	})
	c.LoadBalancers = append(c.LoadBalancers, gwlbs...)
	return c
}

// xmlNameIs matches an element name as the SDK does (Unicode case folding); the exact
// spelling AWS sends is checked first, as it costs nothing.
func xmlNameIs(name []byte, want string) bool {
	return string(name) == want || bytes.EqualFold(name, []byte(want))
}

// xmlField is the index of name in names (xmlNameIs), or -1.
func xmlField(name []byte, names []string) int {
	for i, n := range names {
		if string(name) == n {
			return i
		}
	}
	for i, n := range names {
		if bytes.EqualFold(name, []byte(n)) {
			return i
		}
	}
	return -1
}

// xmlScan reads a well-formed XML document element by element, without building tokens:
// names and text are slices of the document (text is copied only when it holds entity
// references). It reads what AWS's query protocols send (elements, text, character and
// entity references, CDATA, comments, processing instructions, attributes to skip) and fails
// on anything else; the first failure sticks and ends every loop.
type xmlScan struct {
	b   []byte
	i   int
	err error
	// open holds the names (as written, prefix included) of the elements open around s.i:
	// an end tag must close the innermost, and a document that ends with one open is
	// truncated, never a shorter answer
	open [][]byte
}

// maxXMLDepth bounds how deep elements nest (an answer nests five deep; the walk recurses).
const maxXMLDepth = 64

func (s *xmlScan) fail(why string) {
	if s.err == nil {
		s.err = fmt.Errorf("XML at byte %d: %s", s.i, why)
	}
}

// child moves to the next child element of the element being read, skipping text, comments
// and processing instructions, and returns its local name (the prefix dropped) and whether it
// is self-closing. At the element's end tag it consumes the tag and returns ok false.
func (s *xmlScan) child() (name []byte, empty, ok bool) {
	for s.err == nil {
		j := bytes.IndexByte(s.b[s.i:], '<')
		if j < 0 {
			switch {
			case len(s.open) > 0:
				s.fail("the document ends inside <" + string(s.open[len(s.open)-1]) + ">")
			case len(bytes.TrimSpace(s.b[s.i:])) > 0:
				s.fail("text outside an element")
			}
			s.i = len(s.b)
			return nil, false, false
		}
		if j > 0 && !s.validText(s.b[s.i:s.i+j]) { // text between elements is skipped, not unchecked
			return nil, false, false
		}
		s.i += j
		rest := s.b[s.i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			if k := bytes.Index(rest[4:], []byte("--")); k >= 0 && !bytes.HasPrefix(rest[4+k:], []byte("-->")) {
				s.fail(`"--" inside a comment`)
			}
			s.skipPast(len("<!--"), "-->")
		case bytes.HasPrefix(rest, []byte("<?")):
			s.procInst()
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			s.skipPast(len("<![CDATA["), "]]>")
		case len(rest) > 1 && rest[1] == '/':
			s.endTag()
			return nil, false, false
		case len(rest) > 1 && rest[1] == '!':
			s.fail("declarations are not expected")
		default:
			return s.startTag()
		}
	}
	return nil, false, false
}

// validText checks text the walk skips: the characters XML allows, and references it knows.
func (s *xmlScan) validText(t []byte) bool {
	if bytes.Contains(t, []byte("]]>")) {
		s.fail("]]> outside CDATA")
		return false
	}
	if bytes.IndexByte(t, '&') >= 0 {
		var scratch []byte
		for k := 0; k < len(t); {
			a := bytes.IndexByte(t[k:], '&')
			if a < 0 {
				break
			}
			end := bytes.IndexByte(t[k+a:], ';')
			if end < 0 || end > 12 {
				s.fail("a malformed reference")
				return false
			}
			ch, ok := xmlReference(scratch[:0], string(t[k+a+1:k+a+end]))
			if !ok || !xmlChars(ch) {
				s.fail("an unknown reference, or one to a character XML does not allow")
				return false
			}
			k += a + end + 1
		}
	}
	if !xmlChars(t) {
		s.fail("a character XML does not allow")
		return false
	}
	return true
}

// procInst reads a processing instruction at s.i. The XML declaration must say what
// encoding/xml reads without help: version 1.0, UTF-8.
func (s *xmlScan) procInst() {
	j := bytes.Index(s.b[s.i+2:], []byte("?>"))
	if j < 0 {
		s.fail("unterminated <?")
		s.i = len(s.b)
		return
	}
	body := s.b[s.i+2 : s.i+2+j]
	s.i += 2 + j + 2
	target, k := xmlName(body, 0)
	if target == nil || k < len(body) && !isXMLSpace(body[k]) {
		s.fail("a processing instruction without a target")
		return
	}
	content := body[k:]
	if string(target) != "xml" {
		return
	}
	for _, p := range [][2]string{{"version", "1.0"}, {"encoding", "utf-8"}} {
		if v, ok := piParam(string(content), p[0]); ok && !strings.EqualFold(v, p[1]) {
			s.fail("an XML declaration with " + p[0] + " " + v)
			return
		}
	}
}

// piParam finds name="value" (or 'value') in a processing instruction's content.
func piParam(content, name string) (string, bool) {
	for {
		i := strings.Index(content, name)
		if i < 0 {
			return "", false
		}
		rest := strings.TrimLeft(content[i+len(name):], " \t\r\n")
		content = content[i+len(name):]
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t\r\n")
		if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
			return "", true // present but not quoted: not what the reader accepts either
		}
		v, _, ok := strings.Cut(rest[1:], rest[:1])
		if !ok {
			return "", true
		}
		return v, true
	}
}

// endTag reads the end tag at s.i, which must close the innermost open element.
func (s *xmlScan) endTag() {
	j := bytes.IndexByte(s.b[s.i:], '>')
	if j < 0 {
		s.fail("an end tag that does not end")
		s.i = len(s.b)
		return
	}
	name := bytes.TrimRight(s.b[s.i+2:s.i+j], " \t\r\n")
	if len(s.open) == 0 || !bytes.Equal(name, s.open[len(s.open)-1]) {
		s.fail("</" + string(name) + "> closes no open element")
		return
	}
	s.open = s.open[:len(s.open)-1]
	s.i += j + 1
}

// startTag reads the start tag at s.i: an ASCII name, then attributes (skipped) each
// name="value" or name='value' without '<' or '&' in the value, as an XML reader requires.
func (s *xmlScan) startTag() (name []byte, empty, ok bool) {
	k := s.i + 1
	raw, k := xmlName(s.b, k)
	if raw == nil {
		s.fail("an element without a valid name")
		return nil, false, false
	}
	name = raw
	// the local name, as encoding/xml splits a name: one colon with something on both sides
	if c := bytes.IndexByte(name, ':'); c > 0 && c < len(name)-1 && bytes.Count(name, []byte(":")) == 1 {
		name = name[c+1:]
	}
	for s.err == nil {
		sp := k
		for k < len(s.b) && isXMLSpace(s.b[k]) {
			k++
		}
		switch {
		case k >= len(s.b):
			s.fail("a start tag that does not end")
		case s.b[k] == '>' || (s.b[k] == '/' && k+1 < len(s.b) && s.b[k+1] == '>'):
			empty = s.b[k] == '/'
			s.i = k + 1
			if empty {
				s.i++
			} else {
				if len(s.open) == maxXMLDepth {
					s.fail("elements nested too deep")
					return nil, false, false
				}
				s.open = append(s.open, raw)
			}
			return name, empty, true
		case sp == k:
			s.fail("attributes must be separated by spaces")
		default:
			var attr []byte
			if attr, k = xmlName(s.b, k); attr == nil {
				s.fail("an attribute without a valid name")
				break
			}
			for k < len(s.b) && isXMLSpace(s.b[k]) {
				k++
			}
			if k >= len(s.b) || s.b[k] != '=' {
				s.fail("an attribute without a value")
				break
			}
			for k++; k < len(s.b) && isXMLSpace(s.b[k]); k++ {
			}
			if k >= len(s.b) || (s.b[k] != '"' && s.b[k] != '\'') {
				s.fail("an attribute value without quotes")
				break
			}
			end := bytes.IndexByte(s.b[k+1:], s.b[k])
			if end < 0 || bytes.ContainsAny(s.b[k+1:k+1+end], "<&") || !xmlChars(s.b[k+1:k+1+end]) {
				s.fail("an attribute value XML does not allow")
				break
			}
			k += end + 2
		}
	}
	return nil, false, false
}

// xmlName reads an ASCII XML name at b[k:], returning it and where it ends (nil: none). A
// name with other characters is refused: AWS sends none, and the SDK then decides.
func xmlName(b []byte, k int) ([]byte, int) {
	start := k
	for k < len(b) {
		c := b[k]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':'
		if !letter && (k == start || !(c >= '0' && c <= '9' || c == '-' || c == '.')) {
			break
		}
		k++
	}
	if k == start || k < len(b) && b[k] >= utf8.RuneSelf || bytes.Count(b[start:k], []byte(":")) > 1 {
		return nil, k // encoding/xml refuses a name with two colons
	}
	return b[start:k], k
}

// skipPast moves past the first end found after the from bytes that open what is skipped.
func (s *xmlScan) skipPast(from int, end string) {
	j := bytes.Index(s.b[s.i+from:], []byte(end))
	if j < 0 {
		s.fail("unterminated " + string(s.b[s.i:min(s.i+9, len(s.b))]))
		s.i = len(s.b)
		return
	}
	s.i += from + j + len(end)
}

// each calls f for every child element of the element just opened (empty: self-closing),
// and consumes its end tag. f must consume the child (text, skip or each).
func (s *xmlScan) each(empty bool, f func(name []byte, empty bool)) {
	if empty {
		return
	}
	for s.err == nil {
		name, e, ok := s.child()
		if !ok {
			return
		}
		f(name, e)
	}
}

// eachItem calls f for every item element of the set just opened (other children are
// skipped); f must consume the item.
func (s *xmlScan) eachItem(empty bool, f func(empty bool)) {
	s.each(empty, func(name []byte, empty bool) {
		if !xmlNameIs(name, "item") {
			s.skip(empty)
			return
		}
		f(empty)
	})
}

// skip consumes the element just opened, whatever it holds.
func (s *xmlScan) skip(empty bool) {
	s.each(empty, func(_ []byte, empty bool) { s.skip(empty) })
}

// text reads the text of the element just opened and consumes its end tag: nil for an
// empty element. It takes what AWS sends in a value, plain text with character and entity
// references; anything else (a child element, CDATA, a comment, a carriage return, which XML
// readers normalise) is a failure, and the page goes to the SDK. The result may share the
// document's memory: copy it to keep it.
func (s *xmlScan) text(empty bool) []byte {
	if empty {
		return nil
	}
	start := s.i
	var out []byte // nil while the text is one plain run of the document
	for s.err == nil {
		j := bytes.IndexAny(s.b[s.i:], "<&\r")
		if j < 0 {
			s.fail("an element that does not end")
			return nil
		}
		if out != nil {
			out = append(out, s.b[s.i:s.i+j]...)
		}
		s.i += j
		rest := s.b[s.i:]
		switch {
		case rest[0] == '&':
			if out == nil {
				out = append(make([]byte, 0, s.i-start+16), s.b[start:s.i]...)
			}
			out = s.entity(out)
		case len(rest) > 1 && rest[0] == '<' && rest[1] == '/':
			text := s.b[start:s.i]
			if bytes.Contains(text, []byte("]]>")) {
				s.fail("]]> outside CDATA")
				return nil
			}
			s.endTag()
			if out != nil {
				text = out
			}
			if !xmlChars(text) {
				s.fail("a character XML does not allow")
				return nil
			}
			if text == nil {
				text = []byte{}
			}
			return text
		default:
			s.fail("markup where text was expected")
		}
	}
	return nil
}

// entity decodes the character or entity reference at s.i onto out.
func (s *xmlScan) entity(out []byte) []byte {
	end := bytes.IndexByte(s.b[s.i:], ';')
	if end < 0 || end > 12 {
		s.fail("a malformed reference")
		return out
	}
	ref := string(s.b[s.i+1 : s.i+end])
	s.i += end + 1
	out, ok := xmlReference(out, ref)
	if !ok {
		s.fail("an unknown reference &" + ref + ";")
	}
	return out
}

// xmlReference appends what a reference (the text between & and ;) stands for.
func xmlReference(out []byte, ref string) ([]byte, bool) {
	switch ref {
	case "lt":
		return append(out, '<'), true
	case "gt":
		return append(out, '>'), true
	case "amp":
		return append(out, '&'), true
	case "quot":
		return append(out, '"'), true
	case "apos":
		return append(out, '\''), true
	}
	if len(ref) > 1 && ref[0] == '#' {
		var n uint64
		var err error
		if ref[1] == 'x' {
			n, err = strconv.ParseUint(ref[2:], 16, 32)
		} else {
			n, err = strconv.ParseUint(ref[1:], 10, 32)
		}
		if err == nil && utf8.ValidRune(rune(n)) {
			return utf8.AppendRune(out, rune(n)), true
		}
	}
	return out, false
}

// xmlChars says whether text holds only characters XML allows in content, in valid UTF-8
// (encoding/xml refuses the others, so the SDK would).
func xmlChars(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || r >= 0xFFFE && r <= 0xFFFF || r >= 0xD800 && r <= 0xDFFF {
			return false
		}
		i += n
	}
	return true
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
