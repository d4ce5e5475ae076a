package awsops

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/plconsole/plconsole/model"
)

// The IAM policies grant exactly the operations in the table: reads in readonly.json, reads
// and writes in operator.json (plus ec2:CreateTags, which AWS checks when a create call
// carries TagSpecifications, and vpce:AllowMultiRegion, which it checks when a service is
// offered to other Regions).
func TestIAMPoliciesListExactlyTheOperations(t *testing.T) {
	for _, tc := range []struct {
		file     string
		readOnly bool
		extra    []string
	}{
		{"readonly.json", true, nil},
		{"operator.json", false, append(append([]string{}, taggingOnCreate...), multiRegionPermission...)},
	} {
		got, err := policyActions(filepath.Join("..", "docs", "iam", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for _, a := range append(IAMActions(tc.readOnly), tc.extra...) {
			want[a] = true
		}
		for a := range want {
			if !got[a] {
				t.Errorf("%s lacks %s, which awsops calls", tc.file, a)
			}
		}
		for a := range got {
			if !want[a] {
				t.Errorf("%s grants %s, which awsops never calls", tc.file, a)
			}
		}
	}
	ro, _ := policyActions(filepath.Join("..", "docs", "iam", "readonly.json"))
	for _, o := range operations {
		if o.Write && ro[o.IAMAction()] {
			t.Errorf("readonly.json grants the write %s", o.IAMAction())
		}
	}
}

// Every SDK operation the code calls — directly on a client or through a paginator — is in
// the operation table (and so, by the test above, in the policies).
func TestEveryOperationInTheCodeIsInTheTable(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	clientService := map[string]string{"ec2": svcEC2, "elb": svcELB, "cw": svcCloudWatch, "sts": svcSTS}
	pkgService := map[string]string{"ec2": svcEC2, "elb": svcELB, "cloudwatch": svcCloudWatch, "sts": svcSTS}
	found := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch x := sel.X.(type) {
			case *ast.SelectorExpr: // s.ec2.Operation(...)
				if svc, ok := clientService[x.Sel.Name]; ok {
					found[svc+"/"+sel.Sel.Name] = true
				}
			case *ast.Ident: // ec2.NewOperationPaginator(...)
				if svc, ok := pkgService[x.Name]; ok && strings.HasPrefix(sel.Sel.Name, "New") && strings.HasSuffix(sel.Sel.Name, "Paginator") {
					found[svc+"/"+strings.TrimSuffix(strings.TrimPrefix(sel.Sel.Name, "New"), "Paginator")] = true
				}
			}
			return true
		})
	}
	if len(found) < 10 {
		t.Fatalf("found only %d operations in the code; the scan is broken", len(found))
	}
	var keys []string
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		svc, name, _ := strings.Cut(k, "/")
		if _, ok := knownOperation(svc, name); !ok {
			t.Errorf("the code calls %s:%s, which is not in the operation table (operations.go) nor the IAM policies", iamPrefix[svc], name)
		}
	}
	for _, o := range operations {
		if !found[o.Service+"/"+o.Name] {
			t.Errorf("the operation table lists %s, which the code never calls", o.IAMAction())
		}
	}
}

// ui and model stay free of SDK service packages: only awsops talks to AWS.
func TestUIAndModelDoNotImportSDKServices(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "../ui/...", "../model/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "github.com/aws/aws-sdk-go-v2/service/") {
			t.Errorf("ui or model depends on %s", line)
		}
	}
}

func TestSentences(t *testing.T) {
	for _, tc := range []struct {
		code, msg string
		want      string
	}{
		{"RequestLimitExceeded", "Request limit exceeded.", "throttling"},
		{"Throttling", "Rate exceeded", "throttling"},
		{"UnauthorizedOperation", "You are not authorized to perform this operation. User: arn:aws:iam::1:user/x is not authorized to perform: ec2:AcceptVpcEndpointConnections on resource", "missing permission ec2:AcceptVpcEndpointConnections"},
		{"AccessDenied", "no", "missing permission ec2:AcceptVpcEndpointConnections"},
		{"InvalidVpcEndpointServiceId.NotFound", "The service ID 'vpce-svc-1' does not exist", "the endpoint service not found"},
		{"IncorrectState", "The endpoint is not pending acceptance.", "not possible in the resource's current state"},
		{"InvalidParameterValue", "bad value.", "AWS rejected the request"},
		{"InternalError", "boom", "internal error"},
		{"SomethingElse", "odd", "AcceptVpcEndpointConnections failed: odd."},
	} {
		got := sentenceFor("AcceptVpcEndpointConnections", tc.code, tc.msg, false)
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q does not say %q", tc.code, got, tc.want)
		}
		if strings.Count(got, ". ") > 1 || !strings.HasSuffix(got, ".") {
			t.Errorf("%s: %q is not one sentence", tc.code, got)
		}
	}
}

// In dry-run mode AWS's verdicts become *model.DryRunResult.
func TestDryRunVerdicts(t *testing.T) {
	c := &Client{cfg: Config{DryRun: true}}
	err := c.writeError("AcceptVpcEndpointConnections", &smithy.GenericAPIError{Code: "DryRunOperation", Message: "Request would have succeeded, but DryRun flag is set."})
	var dr *model.DryRunResult
	if !errors.As(err, &dr) || !dr.WouldSucceed {
		t.Fatalf("DryRunOperation: got %v", err)
	}
	err = c.writeError("CreateVpcEndpoint", &smithy.GenericAPIError{Code: "UnauthorizedOperation", Message: "You are not authorized to perform this operation."})
	if !errors.As(err, &dr) || dr.WouldSucceed || dr.Missing != "ec2:CreateVpcEndpoint" {
		t.Fatalf("UnauthorizedOperation: got %#v", err)
	}
	if !strings.Contains(err.Error(), "missing permission ec2:CreateVpcEndpoint") {
		t.Errorf("message %q does not name the permission", err)
	}
}
