//go:build unix

package main

import (
	"os"
	"testing"
	"time"
)

func TestParseBackgroundReply(t *testing.T) {
	for _, tc := range []struct {
		reply       string
		dark, known bool
	}{
		{"\x1b]11;rgb:0000/0000/0000\x07\x1b[12;1R", true, true},
		{"\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[1;1R", false, true},
		{"\x1b]11;rgb:1a/1b/26\x07", true, true},
		{"\x1b[3;4R", false, false}, // answered the fence only: no background colour
		{"", false, false},
	} {
		dark, known := parseBackgroundReply([]byte(tc.reply))
		if dark != tc.dark || known != tc.known {
			t.Errorf("%q: dark %v known %v", tc.reply, dark, known)
		}
	}
}

// A terminal that answers nothing costs the budget at most, and is "unknown"; one that
// answers is read.
func TestBackgroundReplyIsReadWithinTheBudget(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if _, known := readBackgroundReply(int(r.Fd()), 50*time.Millisecond); known {
		t.Fatal("silence is not an answer")
	}
	if _, err := w.WriteString("\x1b]11;rgb:ffff/ffff/ffff\x07\x1b[5;1R"); err != nil {
		t.Fatal(err)
	}
	if dark, known := readBackgroundReply(int(r.Fd()), time.Second); !known || dark {
		t.Fatalf("a white background: dark %v known %v", dark, known)
	}
}
