package model

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Customer is what the provider knows about one consumer account: the name people use for
// it, an optional tier (which approval rules can match on) and free-form notes. The
// accounts file holds one per account id.
type Customer struct {
	Account string // 12-digit account id
	Name    string
	Tier    string
	Notes   string
	Line    int // line of the account's entry in the accounts file (0: not from a file)
}

// Limits of a customer entry.
const (
	MaxCustomerNameLen  = 64
	MaxCustomerTierLen  = 32
	MaxCustomerNotesLen = 512
)

// ValidateCustomerName checks a customer name: 1–64 characters, no control characters, no
// leading or trailing spaces.
func ValidateCustomerName(name string) error {
	n := utf8.RuneCountInString(name)
	switch {
	case strings.TrimSpace(name) == "":
		return invalidf("customer name is empty; give 1–%d characters, e.g. \"Acme Corp (prod)\"", MaxCustomerNameLen)
	case n > MaxCustomerNameLen:
		return invalidf("customer name %s is %d characters; at most %d are allowed", quote(name), n, MaxCustomerNameLen)
	case strings.TrimSpace(name) != name:
		return invalidf("customer name %s has leading or trailing spaces", quote(name))
	case hasControl(name) || !utf8.ValidString(name):
		return invalidf("customer name %s contains control characters or invalid UTF-8", quote(name))
	}
	return nil
}

// ValidateTier checks a tier: empty, or 1–32 lowercase letters, digits, '-' and '_'
// (tiers are matched by policy rules, so they are kept to one spelling).
func ValidateTier(tier string) error {
	if tier == "" {
		return nil
	}
	if len(tier) > MaxCustomerTierLen {
		return invalidf("tier %s is %d characters; at most %d are allowed", quote(tier), len(tier), MaxCustomerTierLen)
	}
	for _, r := range tier {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return invalidf("tier %s may hold only lowercase letters, digits, - and _ (for example gold or internal)", quote(tier))
		}
	}
	return nil
}

// Validate checks one customer entry.
func (c Customer) Validate() error {
	if err := ValidateAccountID(c.Account); err != nil {
		return err
	}
	if err := ValidateCustomerName(c.Name); err != nil {
		return err
	}
	if err := ValidateTier(c.Tier); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(c.Notes); n > MaxCustomerNotesLen {
		return invalidf("notes of account %s are %d characters; at most %d are allowed", c.Account, n, MaxCustomerNotesLen)
	}
	return nil
}

// Customers is the accounts file in memory: customer names by account id. The zero value
// and a nil pointer are an empty directory; every method is safe on both.
type Customers struct {
	byID map[string]Customer
	// Source is the file it was read from ("" when none).
	Source string
}

// NewCustomers builds a directory from entries (later entries win).
func NewCustomers(source string, entries ...Customer) *Customers {
	d := &Customers{Source: source, byID: make(map[string]Customer, len(entries))}
	for _, c := range entries {
		d.byID[c.Account] = c
	}
	return d
}

// Lookup returns the customer entry of an account.
func (d *Customers) Lookup(account string) (Customer, bool) {
	if d == nil {
		return Customer{}, false
	}
	c, ok := d.byID[account]
	return c, ok
}

// Name is an account's customer name, "" when unknown.
func (d *Customers) Name(account string) string {
	c, _ := d.Lookup(account)
	return c.Name
}

// Tier is an account's tier, "" when unknown or unset.
func (d *Customers) Tier(account string) string {
	c, _ := d.Lookup(account)
	return c.Tier
}

// Label is how an account is shown where there is room for one string: "Acme Corp
// (123456789012)" when named, else the bare id. Every view that shows an account uses it
// (or Name next to the id), so a name given once shows everywhere.
func (d *Customers) Label(account string) string {
	if n := d.Name(account); n != "" {
		return n + " (" + account + ")"
	}
	return account
}

// Len is the number of named accounts.
func (d *Customers) Len() int {
	if d == nil {
		return 0
	}
	return len(d.byID)
}

// All returns every entry, by account id.
func (d *Customers) All() []Customer {
	if d == nil {
		return nil
	}
	out := make([]Customer, 0, len(d.byID))
	for _, c := range d.byID {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Account < out[j].Account })
	return out
}

// With returns a copy of the directory with one entry set (the receiver is unchanged, so a
// reader holding it never sees a half-made edit).
func (d *Customers) With(c Customer) *Customers {
	out := &Customers{byID: map[string]Customer{}}
	if d != nil {
		out.Source = d.Source
		for k, v := range d.byID {
			out.byID[k] = v
		}
	}
	out.byID[c.Account] = c
	return out
}

// AccountOfPrincipal is the account an allowed principal belongs to ("" for * and for
// principals that name no account, such as a service principal).
func AccountOfPrincipal(arn string) string {
	if accountRe.MatchString(arn) {
		return arn
	}
	a, err := ParseARN(arn)
	if err != nil || a.Service != "iam" {
		return ""
	}
	return a.Account
}
