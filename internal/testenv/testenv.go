// Package testenv makes a test binary's AWS configuration hermetic: no user config or
// credentials files, no instance metadata service, no profile, region, endpoint, keys or CA
// bundle inherited from the machine, and private state and config directories (the audit
// log's default home, plconsole's config file). Test binaries call Setup from TestMain before any test runs; nothing
// outside tests imports it.
package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/adrg/xdg"
)

// inherited is every environment variable through which the machine's AWS setup would
// reach the SDK's configuration loading.
var inherited = []string{
	"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_STS",
	"AWS_CA_BUNDLE", "AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS",
}

// Env is the hermetic environment of one test binary.
type Env struct {
	// Dir is a temporary directory the binary may use; Close removes it. The state
	// directory ($XDG_STATE_HOME) is Dir/state, the config directory ($XDG_CONFIG_HOME)
	// Dir/config.
	Dir string
}

// Setup creates the temporary directory (named after prefix) and sets the process
// environment: the AWS variables the machine may have set are unset, as are the extra ones
// named (e.g. NO_COLOR), AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name an empty
// file, AWS_EC2_METADATA_DISABLED is true, XDG_STATE_HOME is Dir/state and XDG_CONFIG_HOME
// is Dir/config.
func Setup(prefix string, unsetAlso ...string) (*Env, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, fmt.Errorf("test environment: %w", err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("test environment: %w", err)
	}
	for _, k := range append(append([]string{}, inherited...), unsetAlso...) {
		os.Unsetenv(k)
	}
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":             empty,
		"AWS_SHARED_CREDENTIALS_FILE": empty,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"XDG_STATE_HOME":              filepath.Join(dir, "state"),
		"XDG_CONFIG_HOME":             filepath.Join(dir, "config"),
	} {
		if err := os.Setenv(k, v); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("test environment: %w", err)
		}
	}
	// The xdg package resolved its directories from the environment when the binary
	// started, before Setup ran; without a reload, xdg.StateHome would still be the user's.
	xdg.Reload()
	return &Env{Dir: dir}, nil
}

// Close removes the temporary directory.
func (e *Env) Close() error { return os.RemoveAll(e.Dir) }

// Main is the whole TestMain of a test binary that needs nothing but the hermetic
// environment: Setup (prefix and unsetAlso as there), the tests, Close, and the tests' exit
// status.
func Main(m *testing.M, prefix string, unsetAlso ...string) {
	env, err := Setup(prefix, unsetAlso...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := m.Run()
	env.Close()
	os.Exit(code)
}
