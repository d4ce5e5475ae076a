package sim

// The documented filter names of every filtered EC2 operation, from botocore's API model
// (see gen_botocore_filters.go): TestBotocoreDocumentedFilters walks them.
//go:generate go run gen_botocore_filters.go

import "strconv"

// filterFields is the filter vocabulary of one EC2 listing of T: every filter name the
// operation's reference documents (and the aliases it names), each with the function that
// reads an object's values for it. A filter matches an object when any of its values
// matches any of the object's (EC2's * and ? wildcards apply), so a field the object does
// not have — a public IP of a private instance — reads as no values and matches nothing,
// as in AWS. tags, when set, reads the object's tags for tag:<key> and tag-key.
type filterFields[T any] struct {
	fields map[string]func(T) []string
	tags   func(T) []Tag
}

// read decodes the request's filters, refusing a name outside the vocabulary.
func (ff filterFields[T]) read(p Params) (filterSet, error) {
	return readFiltersKnown(p, func(name string) bool { _, ok := ff.fields[name]; return ok }, ff.tags != nil)
}

// match reports whether x passes every filter of fs (read by ff.read).
func (ff filterFields[T]) match(fs filterSet, x T) bool {
	if len(fs) == 0 {
		return true
	}
	var tags []Tag
	if ff.tags != nil {
		tags = ff.tags(x)
	}
	return fs.match(func(name string) []string { return ff.fields[name](x) }, tags)
}

// Small readers for the field tables.

func one(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func boolValue(b bool) []string { return []string{strconv.FormatBool(b)} }

func intValue(n int) []string { return []string{strconv.Itoa(n)} }

// none is the reader of a documented field the simulated region's objects never have.
func none[T any](T) []string { return nil }

// constant is the reader of a field every object of the region has with the same value.
func constant[T any](v string) func(T) []string {
	return func(T) []string { return []string{v} }
}
