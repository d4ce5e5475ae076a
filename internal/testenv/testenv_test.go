package testenv

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/adrg/xdg"
)

// Setup points the xdg package's directories, not only the environment, into Dir, so a
// test that writes to the default state directory never writes to the user's.
func TestSetupMovesXDGDirectories(t *testing.T) {
	// Cleanups run last first: the variables are put back as they were, then xdg rereads them.
	t.Cleanup(xdg.Reload)
	t.Setenv("XDG_STATE_HOME", os.Getenv("XDG_STATE_HOME"))
	t.Setenv("XDG_CONFIG_HOME", os.Getenv("XDG_CONFIG_HOME"))
	t.Setenv("AWS_PROFILE", "someone-elses")
	env, err := Setup("testenv-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if want := filepath.Join(env.Dir, "state"); xdg.StateHome != want {
		t.Errorf("xdg.StateHome = %s, want %s", xdg.StateHome, want)
	}
	if want := filepath.Join(env.Dir, "config"); xdg.ConfigHome != want {
		t.Errorf("xdg.ConfigHome = %s, want %s", xdg.ConfigHome, want)
	}
	if v, ok := os.LookupEnv("AWS_PROFILE"); ok {
		t.Errorf("AWS_PROFILE is still %q", v)
	}
}
