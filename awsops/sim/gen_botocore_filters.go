//go:build ignore

// gen_botocore_filters extracts, from the EC2 API model botocore ships, the filter names
// documented for every EC2 operation the simulated region serves that takes Filters, and
// writes them to testdata/botocore_filters.json for TestBotocoreDocumentedFilters.
//
// botocore documents the filters only in the HTML of each operation's Filters member
// ("<li> <p> <code>vpc-id</code> - …"), and a reference sometimes names aliases there
// ("You can also use <code>cidr</code> or <code>cidrBlock</code> as the filter names").
// Both are extracted. Run from awsops/sim (go generate does) where botocore is installed:
//
//	go generate ./awsops/sim          # finds botocore through python3
//	BOTOCORE_DATA=/path/to/botocore/data go generate ./awsops/sim
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/plconsole/plconsole/awsops/sim"
)

const output = "testdata/botocore_filters.json"

var (
	// An item of the Filters member's list starts with the filter's name in <code>.
	filterItem = regexp.MustCompile(`<li>\s*<p>\s*<code>([^<]+)</code>([^<]*)`)
	// "You can also use <code>a</code> [or <code>b</code>] as the filter name(s)".
	aliasSentence = regexp.MustCompile(`You can also use (.*?) as the filter names?`)
	codeSpan      = regexp.MustCompile(`<code>([^<]+)</code>`)
)

type model struct {
	Metadata struct {
		APIVersion string `json:"apiVersion"`
	} `json:"metadata"`
	Operations map[string]struct {
		Input struct {
			Shape string `json:"shape"`
		} `json:"input"`
	} `json:"operations"`
	Shapes map[string]struct {
		Members map[string]struct {
			Documentation string `json:"documentation"`
		} `json:"members"`
	} `json:"shapes"`
}

// file is the checked-in extract.
type file struct {
	Source     string              `json:"source"`
	Operations map[string][]string `json:"operations"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen_botocore_filters:", err)
		os.Exit(1)
	}
}

func run() error {
	dataDir, version, err := botocoreData()
	if err != nil {
		return err
	}
	m, err := readModel(filepath.Join(dataDir, "ec2"))
	if err != nil {
		return err
	}
	out := file{
		Source:     fmt.Sprintf("botocore %s, ec2 %s", version, m.Metadata.APIVersion),
		Operations: map[string][]string{},
	}
	for _, op := range filteredOperations() {
		o, ok := m.Operations[op]
		if !ok {
			return fmt.Errorf("botocore's ec2 model has no operation %s", op)
		}
		doc := m.Shapes[o.Input.Shape].Members["Filters"].Documentation
		names := filterNames(doc)
		if len(names) == 0 {
			return fmt.Errorf("%s: no filter names found in its Filters documentation", op)
		}
		out.Operations[op] = names
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(output), 0o755); err != nil {
		return err
	}
	return os.WriteFile(output, append(b, '\n'), 0o644)
}

// filteredOperations are the EC2 operations the simulated region serves whose input (in
// the SDK the region is tested with) has a Filters member.
func filteredOperations() []string {
	client := reflect.TypeOf(&ec2.Client{})
	var out []string
	for _, op := range sim.New(sim.Options{}).Operations()["ec2"] {
		m, ok := client.MethodByName(op)
		if !ok || m.Type.NumIn() < 3 {
			continue
		}
		if _, has := m.Type.In(2).Elem().FieldByName("Filters"); has {
			out = append(out, op)
		}
	}
	sort.Strings(out)
	return out
}

// filterNames reads the documented names and aliases, "tag:<key>" for the tag filter.
func filterNames(doc string) []string {
	seen := map[string]bool{}
	for _, item := range strings.Split(doc, "<li>")[1:] {
		m := filterItem.FindStringSubmatch("<li>" + item)
		if m == nil {
			continue
		}
		name := html.UnescapeString(strings.TrimSpace(m[1]))
		if name == "tag" || strings.HasPrefix(name, "tag:") || strings.HasPrefix(html.UnescapeString(m[2]), ":<key>") {
			name = "tag:<key>"
		}
		seen[name] = true
		if a := aliasSentence.FindStringSubmatch(item); a != nil {
			for _, c := range codeSpan.FindAllStringSubmatch(a[1], -1) {
				seen[html.UnescapeString(c[1])] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// botocoreData finds botocore's data directory: $BOTOCORE_DATA, or the one of the botocore
// python3 imports.
func botocoreData() (dir, version string, err error) {
	if d := os.Getenv("BOTOCORE_DATA"); d != "" {
		return d, "(BOTOCORE_DATA)", nil
	}
	py, err := exec.Command("python3", "-c",
		"import botocore, os; print(os.path.dirname(botocore.__file__)); print(botocore.__version__)").Output()
	if err != nil {
		return "", "", fmt.Errorf("botocore not found (install the AWS CLI or set BOTOCORE_DATA): %w", err)
	}
	lines := strings.Fields(string(py))
	if len(lines) != 2 {
		return "", "", fmt.Errorf("unexpected answer from python3: %q", py)
	}
	return filepath.Join(lines[0], "data"), lines[1], nil
}

// readModel reads the newest API version of a service's model (service-2.json, gzipped in
// recent botocore releases).
func readModel(serviceDir string) (*model, error) {
	versions, err := filepath.Glob(filepath.Join(serviceDir, "*", "service-2.json*"))
	if err != nil || len(versions) == 0 {
		return nil, fmt.Errorf("no service-2.json under %s", serviceDir)
	}
	sort.Strings(versions)
	path := versions[len(versions)-1]
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		if raw, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}
	var m model
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}
