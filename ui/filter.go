package ui

import (
	"strings"

	"github.com/plconsole/plconsole/model"
)

// fieldSep joins a row's fields into one haystack without letting a query match across
// two fields.
const fieldSep = "\x1f"

func haystack(fields ...string) string { return strings.Join(fields, fieldSep) }

// compiledFilter is a parsed "/" filter (model.Matcher: case-insensitive substring, a
// leading "!" inverts).
type compiledFilter struct{ m model.Matcher }

func compileFilter(q string) compiledFilter { return compiledFilter{model.NewMatcher(q)} }

func (f compiledFilter) match(hay string) bool { return f.m.Match(hay) }
