//go:build unix

package main

import (
	"os"
	"time"

	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"
)

// backgroundQueryBudget is how long start-up waits for the terminal to say its background
// colour. A terminal that answers does so in milliseconds; one that answers nothing must not
// hold the console back (the colour library alone would wait five seconds).
const backgroundQueryBudget = 250 * time.Millisecond

// terminalBackground asks the terminal on f for its background colour (OSC 11, fenced by a
// cursor position request every terminal answers) and reports whether it is dark. known is
// false when the terminal did not answer within the budget, or f is not a terminal.
func terminalBackground(f *os.File) (dark, known bool) {
	fd := int(f.Fd())
	if !term.IsTerminal(f.Fd()) {
		return false, false
	}
	state, err := term.MakeRaw(f.Fd())
	if err != nil {
		return false, false
	}
	defer term.Restore(f.Fd(), state) //nolint:errcheck // best effort: the program sets its own mode next
	if _, err := f.WriteString("\x1b]11;?\x07\x1b[6n"); err != nil {
		return false, false
	}
	return readBackgroundReply(fd, backgroundQueryBudget)
}

// readBackgroundReply reads the terminal's answers until the cursor position report (which
// ends them) or the budget runs out, never blocking past it.
func readBackgroundReply(fd int, budget time.Duration) (dark, known bool) {
	deadline := time.Now().Add(budget)
	var reply []byte
	buf := make([]byte, 256)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return parseBackgroundReply(reply)
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left/time.Millisecond)+1)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			return parseBackgroundReply(reply)
		}
		m, err := unix.Read(fd, buf)
		if err != nil || m <= 0 {
			return parseBackgroundReply(reply)
		}
		reply = append(reply, buf[:m]...)
		if cursorReportEnds(reply) {
			return parseBackgroundReply(reply)
		}
	}
}
