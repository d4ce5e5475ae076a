package awsopstest_test

import (
	"testing"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/awsopstest"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/internal/testenv"
	"github.com/plconsole/plconsole/model"
)

func TestMain(m *testing.M) { testenv.Main(m, "awsopstest-test-") }

// The client acts as the region's provider with the demo's identity, in the mode asked for.
func TestProviderInEachMode(t *testing.T) {
	r := simtest.Start(t, sim.WorldConfig{Seed: 3, Static: true})
	for _, mode := range []model.Mode{model.ModeDemo, model.ModeReadOnly, model.ModeDryRun} {
		c := awsopstest.Provider(t, r, mode)
		if c.Mode() != mode {
			t.Errorf("asked for %s, got %s", mode, c.Mode())
		}
		if id := c.Identity(); id.Account != r.Provider || id.Profile != "demo" || id.Region != r.Name || id.Endpoint != r.URL {
			t.Errorf("%s: identity %+v", mode, id)
		}
	}
}
