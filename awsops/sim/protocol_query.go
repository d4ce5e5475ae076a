package sim

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
)

type protocol int

const (
	protoEC2   protocol = iota // EC2 Query: form POST, XML reply without a Result wrapper
	protoQuery                 // AWS Query (ELBv2, STS): form POST, XML reply with <ActionResult>
	protoCBOR                  // Smithy RPC v2 CBOR (CloudWatch, aws-sdk-go-v2)
	protoJSON                  // AWS JSON 1.0 (CloudWatch, the AWS CLI)
)

const ec2XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/"

// queryXMLNS is the document namespace each AWS Query service answers with.
var queryXMLNS = map[string]string{
	svcELB: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
	svcSTS: "https://sts.amazonaws.com/doc/2011-06-15/",
}

// maxQueryParams bounds how many parameters one form may carry.
const maxQueryParams = 20000

// decodeQueryForm parses an application/x-www-form-urlencoded query-protocol body into Params.
// A key sent twice is an error: AWS's query protocols never repeat a key.
func decodeQueryForm(body []byte) (Params, error) {
	p := Params{}
	for len(body) > 0 {
		var pair []byte
		if i := bytes.IndexByte(body, '&'); i >= 0 {
			pair, body = body[:i], body[i+1:]
		} else {
			pair, body = body, nil
		}
		if len(pair) == 0 {
			continue
		}
		k, v, _ := bytes.Cut(pair, []byte{'='})
		key, err := url.QueryUnescape(string(k))
		if err != nil {
			return nil, errMalformedQuery("a parameter name is not valid URL encoding: " + err.Error())
		}
		val, err := url.QueryUnescape(string(v))
		if err != nil {
			return nil, errMalformedQuery("the value of " + key + " is not valid URL encoding: " + err.Error())
		}
		if key == "" {
			return nil, errMalformedQuery("a parameter has an empty name")
		}
		if _, dup := p[key]; dup {
			return nil, errMalformedQuery("the parameter " + key + " is given more than once")
		}
		if len(p) >= maxQueryParams {
			return nil, errMalformedQuery("the request has more than " + strconv.Itoa(maxQueryParams) + " parameters")
		}
		p[key] = val
	}
	return p, nil
}

func errMalformedQuery(why string) *APIError {
	return apiErr(http.StatusBadRequest, "MalformedQueryString", "The request body is not a valid query string: %s.", why)
}

// writeQueryResult renders an EC2 Query or AWS Query success reply around the handler's struct.
func writeQueryResult(w http.ResponseWriter, c *Call, out any) {
	var buf bytes.Buffer
	if raw, ok := out.(rawXML); ok {
		buf.Grow(len(raw) + 512) // a 1000-item page is ~1 MB: size the envelope once
	}
	buf.WriteString(xml.Header)
	if c.protocol == protoEC2 {
		buf.WriteString("<" + c.Action + `Response xmlns="` + ec2XMLNS + `">`)
		buf.WriteString("<requestId>" + c.RequestID + "</requestId>")
		if err := encodeInner(&buf, out); err != nil {
			writeQueryError(w, c, internalEncodeErr(err))
			return
		}
		buf.WriteString("</" + c.Action + "Response>")
	} else {
		buf.WriteString("<" + c.Action + `Response xmlns="` + queryXMLNS[c.Service] + `">`)
		buf.WriteString("<" + c.Action + "Result>")
		if err := encodeInner(&buf, out); err != nil {
			writeQueryError(w, c, internalEncodeErr(err))
			return
		}
		buf.WriteString("</" + c.Action + "Result>")
		buf.WriteString("<ResponseMetadata><RequestId>" + c.RequestID + "</RequestId></ResponseMetadata>")
		buf.WriteString("</" + c.Action + "Response>")
	}
	writeXMLReply(w, c, http.StatusOK, &buf)
}

// writeXMLReply sends a rendered Query reply (success or error) with its headers.
func writeXMLReply(w http.ResponseWriter, c *Call, status int, buf *bytes.Buffer) {
	h := w.Header()
	h.Set("Content-Type", "text/xml;charset=UTF-8")
	h.Set("X-Amzn-Requestid", c.RequestID)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// encodeInner writes the children of out's element (out's own element is dropped): the
// handlers describe only what goes inside the envelope.
func encodeInner(buf *bytes.Buffer, out any) error {
	if out == nil {
		return nil
	}
	if raw, ok := out.(rawXML); ok {
		buf.Write(raw)
		return nil
	}
	var inner bytes.Buffer
	enc := xml.NewEncoder(&inner)
	if err := enc.EncodeElement(out, xml.StartElement{Name: xml.Name{Local: "x"}}); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	b := inner.Bytes()
	// Strip "<x>" … "</x>" (or a self-closed "<x></x>").
	b = bytes.TrimPrefix(b, []byte("<x>"))
	b = bytes.TrimSuffix(b, []byte("</x>"))
	buf.Write(b)
	return nil
}

// rawXML lets a hot-path handler hand over children it encoded itself.
type rawXML []byte

func internalEncodeErr(err error) *APIError {
	return apiErr(http.StatusInternalServerError, "InternalError", "encoding the reply failed: %v", err)
}

// writeQueryError renders an error in EC2's or AWS Query's shape.
func writeQueryError(w http.ResponseWriter, c *Call, e *APIError) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if c.protocol == protoEC2 {
		buf.WriteString("<Response><Errors><Error><Code>")
		xml.EscapeText(&buf, []byte(e.Code))
		buf.WriteString("</Code><Message>")
		xml.EscapeText(&buf, []byte(e.Message))
		buf.WriteString("</Message></Error></Errors><RequestID>" + c.RequestID + "</RequestID></Response>")
	} else {
		kind := "Sender"
		if e.Status >= 500 {
			kind = "Receiver"
		}
		buf.WriteString(`<ErrorResponse xmlns="` + queryXMLNS[c.Service] + `"><Error><Type>` + kind + "</Type><Code>")
		xml.EscapeText(&buf, []byte(e.Code))
		buf.WriteString("</Code><Message>")
		xml.EscapeText(&buf, []byte(e.Message))
		buf.WriteString("</Message></Error><RequestId>" + c.RequestID + "</RequestId></ErrorResponse>")
	}
	writeXMLReply(w, c, e.Status, &buf)
}
