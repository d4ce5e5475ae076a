package common

import (
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/model"
)

// Truncate cuts s (which may hold escape sequences) to width cells, ending in "…".
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// TruncateWords shortens s to width at a space when one is near the end, so a message does
// not end in half a word or half an id.
func TruncateWords(s string, width int) string {
	if width <= 0 || ansi.StringWidth(s) <= width {
		return Truncate(s, width)
	}
	cut := ansi.Truncate(s, width-1, "")
	if i := strings.LastIndexByte(cut, ' '); i >= width/2 {
		return strings.TrimRight(cut[:i], " ,:;(") + " …"
	}
	return Truncate(s, width)
}

// WrapLines wraps s to width at spaces only, so ids like vpce-0a95… and ARNs stay whole
// and copyable; a word wider than the line is cut with an ellipsis. Leading indentation is
// kept on the first line and repeated on the ones after it.
func WrapLines(s string, width int) []string {
	if width <= 0 {
		return nil
	}
	if ansi.StringWidth(s) <= width {
		return []string{s}
	}
	trimmed := strings.TrimLeft(s, " ")
	indent := s[:len(s)-len(trimmed)]
	if len(indent) > width/2 {
		indent = ""
	}
	var out []string
	line, lineW := indent, len(indent)
	empty := true
	gap := 0 // spaces before the next word; runs of spaces inside a line are kept
	for _, w := range strings.Split(trimmed, " ") {
		if w == "" {
			gap++
			continue
		}
		sep := gap + 1
		gap = 0
		ww := ansi.StringWidth(w)
		if !empty && lineW+sep+ww > width {
			out = append(out, line)
			line, lineW, empty = indent, len(indent), true
		}
		if !empty {
			line += strings.Repeat(" ", sep)
			lineW += sep
		}
		if lineW+ww > width {
			w = ansi.Truncate(w, width-lineW, "…")
			ww = ansi.StringWidth(w)
		}
		line += w
		lineW += ww
		empty = false
	}
	if !empty || len(out) == 0 {
		out = append(out, line)
	}
	return out
}

// PadRight pads s with spaces to w cells.
func PadRight(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// FitLine cuts a line to the width; lines that already fit pass through untouched.
func FitLine(l string, w int) string {
	if len(l) <= w {
		return l
	}
	if ansi.StringWidth(l) <= w {
		return l
	}
	return ansi.Truncate(l, w, "")
}

// Thousands formats a count with thousands separators: 49966 → "49,966".
func Thousands(n int) string {
	s := Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Itoa formats an int without strconv's allocation for small values on hot paths.
func Itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// Plural is "1 word" or "n words".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return Itoa(n) + " " + word + "s"
}

// HumanAge renders a duration the k9s way: 45s, 12m, 3h, 5d.
func HumanAge(now, then time.Time) string {
	if then.IsZero() {
		return "-"
	}
	d := now.Sub(then)
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return Itoa(int(d/time.Hour)) + "h"
	default:
		return Itoa(int(d/(24*time.Hour))) + "d"
	}
}

// OrDash is s, or "-" when empty.
func OrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// YesNo is "yes" or "no".
func YesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// OnOff is "on" or "off".
func OnOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// Capitalize upper-cases the first letter.
func Capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Bullet lists items as "  • item", at most max of them and a "… and N more" line.
func Bullet(items []string, max int) []string {
	var out []string
	for i, s := range items {
		if i == max {
			out = append(out, "  … and "+Itoa(len(items)-max)+" more")
			break
		}
		out = append(out, "  • "+s)
	}
	return out
}

// CountList renders "a (3), b (1)" with the largest first, at most max entries.
func CountList(c map[string]int, max int) string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if c[keys[i]] != c[keys[j]] {
			return c[keys[i]] > c[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var parts []string
	for i, k := range keys {
		if i == max {
			parts = append(parts, "+"+Itoa(len(keys)-max)+" more")
			break
		}
		parts = append(parts, k+" ("+Itoa(c[k])+")")
	}
	return strings.Join(parts, ", ")
}

// SplitList splits user input on commas, spaces and semicolons.
func SplitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
}

// StyleCodes splits a style into the escape sequences before and after its text, so a row
// can be coloured by string concatenation instead of a lipgloss render per cell.
func StyleCodes(st lipgloss.Style) [2]string {
	const probe = "\u2063"
	out := st.Render(probe)
	i := strings.Index(out, probe)
	if i < 0 {
		return [2]string{}
	}
	return [2]string{out[:i], out[i+len(probe):]}
}

// EmptyText is what an empty list says: why nothing was loaded, that it is loading, that the
// filter hides everything, or that there is nothing (none).
func EmptyText(loaded bool, err error, filter, what, none string) string {
	switch {
	case !loaded && err != nil:
		return "could not load the " + what + ": " + err.Error()
	case !loaded:
		return "loading…"
	case filter != "":
		return "nothing matches the filter"
	}
	return none
}

// FieldSep joins a row's fields into one haystack without letting a query match across
// two fields.
const FieldSep = "\x1f"

// Haystack is the text a row's filter searches.
func Haystack(fields ...string) string { return strings.Join(fields, FieldSep) }

// Filter is a compiled "/" query (model.Matcher: case-insensitive substring, a leading "!"
// inverts).
type Filter struct{ m model.Matcher }

// CompileFilter compiles a query once; match every row with it.
func CompileFilter(q string) Filter { return Filter{model.NewMatcher(q)} }

// Match reports whether a haystack passes the filter.
func (f Filter) Match(hay string) bool { return f.m.Match(hay) }

// MatchLower is Match for a haystack already lower-cased with strings.ToLower (cheaper: no
// case folding per row).
func (f Filter) MatchLower(hay string) bool { return f.m.MatchLower(hay) }
