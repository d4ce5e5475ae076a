package wizard

import (
	"strings"

	"github.com/plconsole/plconsole/ui/common"
)

// doc builds the lines of a step's text for one width: titled sections, key/value rows
// whose values wrap under themselves, paragraphs and verbatim blocks.
type doc struct {
	st    *common.Styles
	w     int
	lines []string
}

func newDoc(st *common.Styles, w int) *doc {
	return &doc{st: st, w: max(w, 20)}
}

// keyWidth is the width of a key/value row's key column.
const keyWidth = 22

func (d *doc) blank() { d.lines = append(d.lines, "") }

func (d *doc) section(name string) {
	if len(d.lines) > 0 {
		d.blank()
	}
	d.lines = append(d.lines, d.st.Title.Render(name))
}

// kv is a row: the key dim in its column, the value wrapped beside it.
func (d *doc) kv(k, v string) {
	prefix := "  " + d.st.Dim.Render(common.PadRight(k, keyWidth-3)) + " "
	if len(k) > keyWidth-3 {
		prefix = "  " + d.st.Dim.Render(k) + " "
	}
	pad := strings.Repeat(" ", keyWidth)
	for i, l := range common.WrapLines(v, max(d.w-keyWidth, 10)) {
		if i > 0 {
			prefix = pad
		}
		d.lines = append(d.lines, prefix+l)
	}
}

// para is text wrapped at indent, in style.
func (d *doc) para(indent, text string, style func(...string) string) {
	for _, l := range common.WrapLines(text, max(d.w-len(indent), 10)) {
		d.lines = append(d.lines, indent+style(l))
	}
}

// block is text shown as it is (commands, Terraform), indented; a line too long for the
// width ends in "…" (copying takes the whole text).
func (d *doc) block(text string) {
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		d.lines = append(d.lines, common.Truncate("  "+l, d.w))
	}
}

func (d *doc) add(lines ...string) { d.lines = append(d.lines, lines...) }
