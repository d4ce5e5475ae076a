package awsops

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xmlScan is the XML reading under the connections decoder (connections_decode.go). It is
// as strict as encoding/xml, which the SDK reads with, wherever the two could disagree: a
// page the scan reads, the SDK would read the same way.

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
		if _, ok := s.content(s.b[s.i : s.i+j]); !ok { // text between elements is skipped, not unchecked
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
	raw, k := xmlName(s.b, s.i+1)
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

// pair reads the element just opened as two text fields named a and b (other children are
// skipped; a field not there is nil, a repeated one keeps its last value, as the SDK does).
func (s *xmlScan) pair(empty bool, a, b string) (va, vb []byte) {
	s.each(empty, func(name []byte, empty bool) {
		switch {
		case xmlNameIs(name, a):
			va = s.text(empty)
		case xmlNameIs(name, b):
			vb = s.text(empty)
		default:
			s.skip(empty)
		}
	})
	return va, vb
}

// skip consumes the element just opened, whatever it holds.
func (s *xmlScan) skip(empty bool) {
	s.each(empty, func(_ []byte, empty bool) { s.skip(empty) })
}

// text reads the text of the element just opened and consumes its end tag: nil for an
// empty element. It takes what AWS sends in a value, plain text with character and entity
// references; anything else (a child element, CDATA, a comment, a carriage return, which XML
// readers turn into a line feed) is a failure, and the page goes to the SDK. The result may
// share the document's memory: copy it to keep it.
func (s *xmlScan) text(empty bool) []byte {
	if empty {
		return nil
	}
	j := bytes.IndexByte(s.b[s.i:], '<')
	if j < 0 {
		s.fail("an element that does not end")
		s.i = len(s.b)
		return nil
	}
	raw := s.b[s.i : s.i+j]
	s.i += j
	switch {
	case !bytes.HasPrefix(s.b[s.i:], []byte("</")):
		s.fail("markup where text was expected")
	case bytes.IndexByte(raw, '\r') >= 0:
		s.fail("a carriage return in a value")
	}
	text, ok := s.content(raw)
	if !ok {
		return nil
	}
	s.endTag()
	if s.err != nil {
		return nil
	}
	return text
}

// content checks text the walk reads or skips, as an XML reader would: no ]]>, references it
// knows, characters XML allows. It returns the text with its references decoded.
func (s *xmlScan) content(raw []byte) ([]byte, bool) {
	if s.err != nil {
		return nil, false
	}
	if bytes.Contains(raw, []byte("]]>")) {
		s.fail("]]> outside CDATA")
		return nil, false
	}
	text := raw
	if bytes.IndexByte(raw, '&') >= 0 {
		text = make([]byte, 0, len(raw))
		for rest := raw; ; {
			a := bytes.IndexByte(rest, '&')
			if a < 0 {
				text = append(text, rest...)
				break
			}
			text = append(text, rest[:a]...)
			end := bytes.IndexByte(rest[a:], ';')
			var ok bool
			if end > 0 && end <= 12 {
				text, ok = xmlReference(text, string(rest[a+1:a+end]))
			}
			if !ok {
				s.fail("a malformed or unknown reference")
				return nil, false
			}
			rest = rest[a+end+1:]
		}
	}
	if !xmlChars(text) {
		s.fail("a character XML does not allow")
		return nil, false
	}
	return text, true
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
