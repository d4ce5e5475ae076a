package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/plconsole/plconsole/model"
)

// The accounts file and the policy file live next to the config file and are TOML. Every
// problem in them is reported as file:line and one sentence (model.FileError).
//
// accounts.toml — customer names by account id:
//
//	[accounts.123456789012]
//	name = "Acme Corp (prod)"
//	tier = "gold"                 # optional; policy rules match on it
//	notes = "contract 4411, ops@acme.example"
//
// policy.toml — approval rules, tried in order (see docs/POLICY.md):
//
//	[[rule]]
//	name = "gold customers"
//	tiers = ["gold"]
//	allowed_principal = true
//	max_endpoints_per_account = 3
//	decision = "accept"

const (
	accountsFileName = "accounts.toml"
	policyFileName   = "policy.toml"
)

// configDir is the directory of the config file, the accounts file and the policy file.
func configDir() string { return filepath.Dir(defaultConfigPath()) }

// readUserFile reads a file the user may have; a missing default file is not an error (ok
// false), a missing file the user named is.
func readUserFile(path string, explicit bool, what string) (data []byte, ok bool, err error) {
	if path == "" {
		return nil, false, nil
	}
	data, err = os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !explicit {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("reading %s %s: %w", what, path, err)
	}
	return data, true, nil
}

var tomlLineRe = regexp.MustCompile(`^toml: line (\d+)(?: \(last key "([^"]*)"\))?: (.*)$`)

// tomlError turns the TOML library's error into file:line and its message.
func tomlError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &model.FileError{Source: path, Line: pe.Position.Line, Msg: "not valid TOML: " + pe.Message}
	}
	if m := tomlLineRe.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		msg := m[3]
		if m[2] != "" {
			msg = m[2] + ": " + msg
		}
		return &model.FileError{Source: path, Line: line, Msg: msg}
	}
	return &model.FileError{Source: path, Msg: strings.TrimPrefix(err.Error(), "toml: ")}
}

// keyLine is the first line at or after from (1-based) that sets key ("key =" or "key.x =");
// 0 when none.
func keyLine(lines []string, from int, key string) int {
	re := regexp.MustCompile(`^\s*"?` + regexp.QuoteMeta(key) + `"?\s*(=|\.)`)
	for i := max(from-1, 0); i < len(lines); i++ {
		if re.MatchString(lines[i]) {
			return i + 1
		}
	}
	return 0
}

// ---- accounts ------------------------------------------------------------------------------

type accountEntry struct {
	Name  string `toml:"name"`
	Tier  string `toml:"tier"`
	Notes string `toml:"notes"`
}

type accountsFile struct {
	Accounts map[string]accountEntry `toml:"accounts"`
}

// accountHeaderRe finds the line that opens an account's entry: [accounts.<id>].
func accountHeaderRe(id string) *regexp.Regexp {
	return regexp.MustCompile(`^\s*\[\s*accounts\s*\.\s*"?` + regexp.QuoteMeta(id) + `"?\s*\]`)
}

// accountLine is the line of an account's entry: its table header, or a line naming the id.
func accountLine(lines []string, id string) int {
	re := accountHeaderRe(id)
	for i, l := range lines {
		if re.MatchString(l) {
			return i + 1
		}
	}
	return keyLine(lines, 1, id)
}

// parseAccounts reads an accounts file's text.
func parseAccounts(path string, data []byte) (*model.Customers, error) {
	var f accountsFile
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return nil, tomlError(path, err)
	}
	lines := strings.Split(string(data), "\n")
	if undec := md.Undecoded(); len(undec) > 0 {
		k := undec[0]
		line := 0
		if len(k) >= 3 {
			line = keyLine(lines, accountLine(lines, k[1]), k[len(k)-1])
		} else {
			line = keyLine(lines, 1, k[len(k)-1])
		}
		return nil, &model.FileError{Source: path, Line: line,
			Msg: fmt.Sprintf("unknown setting %q; an account has name, tier and notes, under [accounts.<12-digit id>]", k.String())}
	}
	ids := make([]string, 0, len(f.Accounts))
	for id := range f.Accounts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var entries []model.Customer
	for _, id := range ids {
		e := f.Accounts[id]
		c := model.Customer{Account: id, Name: e.Name, Tier: e.Tier, Notes: e.Notes, Line: accountLine(lines, id)}
		if err := c.Validate(); err != nil {
			return nil, &model.FileError{Source: path, Line: c.Line,
				Msg: fmt.Sprintf("account %s: %s", id, strings.TrimPrefix(err.Error(), model.ErrInvalid.Error()+": "))}
		}
		entries = append(entries, c)
	}
	return model.NewCustomers(path, entries...), nil
}

// loadAccounts reads the accounts file; without one the directory is empty (and :name
// creates the file at path).
func loadAccounts(path string, explicit bool) (*model.Customers, error) {
	data, ok, err := readUserFile(path, explicit, "accounts file")
	if err != nil || !ok {
		return model.NewCustomers(path), err
	}
	return parseAccounts(path, data)
}

// saveCustomer writes one account's name into the accounts file, keeping everything else in
// it (comments, order, other settings): the account's name line is replaced, or added under
// its table, or a new table is appended. The result is parsed before it replaces the file,
// which is swapped in whole.
func saveCustomer(path string, c model.Customer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	data, _, err := readUserFile(path, false, "accounts file")
	if err != nil {
		return err
	}
	text := string(data)
	if _, err := parseAccounts(path, data); len(data) > 0 && err != nil {
		return fmt.Errorf("the accounts file has a problem to fix by hand first: %w", err)
	}
	nameLine := "name = " + strconv.Quote(c.Name)
	lines := strings.Split(text, "\n")
	header := accountHeaderRe(c.Account)
	start := -1
	for i, l := range lines {
		if header.MatchString(l) {
			start = i
			break
		}
	}
	switch {
	case start >= 0:
		end := len(lines)
		for i := start + 1; i < len(lines); i++ {
			if strings.HasPrefix(strings.TrimSpace(lines[i]), "[") {
				end = i
				break
			}
		}
		replaced := false
		nameRe := regexp.MustCompile(`^(\s*)name\s*=`)
		for i := start + 1; i < end; i++ {
			if m := nameRe.FindStringSubmatch(lines[i]); m != nil {
				lines[i] = m[1] + nameLine
				replaced = true
				break
			}
		}
		if !replaced {
			lines = append(lines[:start+1], append([]string{nameLine}, lines[start+1:]...)...)
		}
		text = strings.Join(lines, "\n")
	default:
		if text != "" && !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		if text != "" {
			text += "\n"
		}
		text += "[accounts." + c.Account + "]\n" + nameLine + "\n"
		if c.Tier != "" {
			text += "tier = " + strconv.Quote(c.Tier) + "\n"
		}
	}
	if _, err := parseAccounts(path, []byte(text)); err != nil {
		return fmt.Errorf("the edited accounts file would not be valid: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("saving the accounts file: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".accounts-*.toml")
	if err != nil {
		return fmt.Errorf("saving the accounts file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(text); err != nil {
		tmp.Close()
		return fmt.Errorf("saving the accounts file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving the accounts file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("saving the accounts file: %w", err)
	}
	return nil
}

// ---- policy --------------------------------------------------------------------------------

type policyRuleEntry struct {
	Name                   string   `toml:"name"`
	Decision               string   `toml:"decision"`
	Accounts               []string `toml:"accounts"`
	Tiers                  []string `toml:"tiers"`
	Services               []string `toml:"services"`
	Regions                []string `toml:"regions"`
	IPAddressTypes         []string `toml:"ip_address_types"`
	AllowedPrincipal       *bool    `toml:"allowed_principal"`
	MaxEndpointsPerAccount int      `toml:"max_endpoints_per_account"`
}

type policyFile struct {
	Rules []policyRuleEntry `toml:"rule"`
}

var policyKeys = []string{model.PolicyKeyName, model.PolicyKeyDecision, model.PolicyKeyAccounts, model.PolicyKeyTiers,
	model.PolicyKeyServices, model.PolicyKeyRegions, model.PolicyKeyIPTypes, model.PolicyKeyPrincipal, model.PolicyKeyLimit}

var ruleHeaderRe = regexp.MustCompile(`^\s*\[\[\s*rule\s*\]\]`)

// parsePolicy reads a policy file's text and checks every rule.
func parsePolicy(path string, data []byte) (*model.Policy, error) {
	var f policyFile
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return nil, tomlError(path, err)
	}
	lines := strings.Split(string(data), "\n")
	var headers []int
	for i, l := range lines {
		if ruleHeaderRe.MatchString(l) {
			headers = append(headers, i+1)
		}
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		k := undec[0]
		return nil, &model.FileError{Source: path, Line: keyLine(lines, 1, k[len(k)-1]),
			Msg: fmt.Sprintf("unknown setting %q; a [[rule]] has %s", k.String(), strings.Join(policyKeys, ", "))}
	}
	if len(f.Rules) == 0 {
		return nil, &model.FileError{Source: path, Msg: "has no [[rule]]; a policy needs at least one rule"}
	}
	p := &model.Policy{Source: path}
	for i, e := range f.Rules {
		r := model.PolicyRule{
			Name: e.Name, Decision: model.Decision(e.Decision), Accounts: e.Accounts, Tiers: e.Tiers,
			Services: e.Services, Regions: e.Regions, IPAddressTypes: e.IPAddressTypes,
			AllowedPrincipal: e.AllowedPrincipal, MaxEndpointsPerAccount: e.MaxEndpointsPerAccount,
			Lines: map[string]int{},
		}
		if len(headers) == len(f.Rules) {
			r.Line = headers[i]
			next := len(lines) + 1
			if i+1 < len(headers) {
				next = headers[i+1]
			}
			for _, k := range policyKeys {
				if l := keyLine(lines, r.Line, k); l > 0 && l < next {
					r.Lines[k] = l
				}
			}
		}
		p.Rules = append(p.Rules, r)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// loadPolicy reads the policy file (nil without one, unless the user named it).
func loadPolicy(path string, explicit bool) (*model.Policy, error) {
	data, ok, err := readUserFile(path, explicit, "policy file")
	if err != nil || !ok {
		return nil, err
	}
	return parsePolicy(path, data)
}
