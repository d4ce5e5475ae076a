package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"gopkg.in/yaml.v3"

	"github.com/plconsole/plconsole/model"
)

// Output formats of `get`: a table for people; JSON, YAML and CSV for programs, with the
// field names docs/HEADLESS.md documents (and docs/schema checks).
var getFormats = []string{"table", "json", "yaml", "csv"}

// column is one field of a record in the table and CSV formats: the JSON name, and how to
// print it in one cell.
type column[T any] struct {
	name string
	cell func(T) string
}

// render writes records in a format. JSON and YAML marshal the records themselves; table and
// CSV print the columns (the table only those marked for it, in capitals).
func render[T any](w io.Writer, format string, items []T, cols []column[T], tableCols []string) error {
	if items == nil {
		items = []T{}
	}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(items)
	case "yaml":
		if len(items) == 0 {
			_, err := io.WriteString(w, "[]\n")
			return err
		}
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(items); err != nil {
			return err
		}
		return enc.Close()
	case "csv":
		cw := csv.NewWriter(w)
		head := make([]string, len(cols))
		for i, c := range cols {
			head[i] = c.name
		}
		if err := cw.Write(head); err != nil {
			return err
		}
		for _, it := range items {
			row := make([]string, len(cols))
			for i, c := range cols {
				row[i] = c.cell(it)
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}
	var shown []column[T]
	var head []string
	for _, name := range tableCols {
		for _, c := range cols {
			if c.name == name {
				shown = append(shown, c)
				head = append(head, strings.ToUpper(name))
			}
		}
	}
	tw := newTable(w, head...)
	for _, it := range items {
		row := make([]string, len(shown))
		for i, c := range shown {
			row[i] = orDash(c.cell(it))
		}
		tw.row(row...)
	}
	tw.flush()
	return nil
}

// table is an aligned text table.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer, head ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	t.row(head...)
	return t
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		cells[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(c)
	}
	fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

func (t *table) flush() { _ = t.tw.Flush() }

// joinList is a list in one CSV or table cell.
func joinList(l []string) string { return strings.Join(l, ";") }

// joinTags is a tag map in one cell: "k=v;k2=v2", keys sorted.
func joinTags(m map[string]string) string { return model.FormatTags(m, ";") }

// nonNilTags makes an absent tag map an empty object in JSON and YAML.
func nonNilTags(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// nonNil makes an absent list an empty array in JSON and YAML.
func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
