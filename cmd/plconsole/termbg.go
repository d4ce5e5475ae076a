package main

import (
	"regexp"
	"strconv"
)

// The terminal's answer to OSC 11: "\x1b]11;rgb:RRRR/GGGG/BBBB" ended by BEL or ST, with one
// to four hex digits per channel.
var oscBackgroundRe = regexp.MustCompile(`\x1b\]11;rgb:([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})`)

// cursorPositionRe is the answer to the cursor position request that fences the query.
var cursorPositionRe = regexp.MustCompile(`\x1b\[\d+;\d+R`)

func cursorReportEnds(b []byte) bool { return cursorPositionRe.Match(b) }

// parseBackgroundReply finds the background colour in what the terminal sent and says
// whether it is dark (perceived lightness under one half).
func parseBackgroundReply(b []byte) (dark, known bool) {
	m := oscBackgroundRe.FindSubmatch(b)
	if m == nil {
		return false, false
	}
	var ch [3]float64
	for i := 0; i < 3; i++ {
		v, err := strconv.ParseUint(string(m[i+1]), 16, 32)
		if err != nil {
			return false, false
		}
		ch[i] = float64(v) / float64(uint64(1)<<(4*len(m[i+1]))-1)
	}
	// relative luminance (sRGB weights) is close enough to decide dark or light
	l := 0.2126*ch[0] + 0.7152*ch[1] + 0.0722*ch[2]
	return l < 0.5, true
}
