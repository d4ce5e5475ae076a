package common

import (
	"fmt"

	"github.com/plconsole/plconsole/model"
)

// CrossZoneText says a target group's cross-zone setting as a person reads it: "on", "off",
// or the load balancer's "on (from the LB)"; on is what it resolves to.
func CrossZoneText(lb model.LoadBalancer, tg model.TargetGroup) (text string, on bool) {
	on = tg.CrossZoneOn(lb)
	if tg.CrossZoneFromLB() {
		return OnOff(on) + " (from the LB)", on
	}
	return OnOff(on), on
}

// HealthyText is "h/n healthy": red with none healthy, amber with some, green with all.
func HealthyText(st *Styles, healthy, total int) string {
	txt := fmt.Sprintf("%d/%d healthy", healthy, total)
	switch {
	case healthy == 0:
		return st.Bad.Render(txt)
	case healthy < total:
		return st.Warn.Render(txt)
	}
	return st.OK.Render(txt)
}
