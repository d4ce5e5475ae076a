package sim

import (
	"slices"
	"testing"
	"time"
)

func TestWorldAccountForAccessKey(t *testing.T) {
	w := NewWorld(WorldConfig{Seed: 1})
	c := w.AccountList[2]
	if got := w.AccountForAccessKey("AKIA" + c.ID + "SIMU"); got != c {
		t.Errorf("consumer key → %s", got.Name)
	}
	if got := w.AccountForAccessKey("AKIA111122223333SIMU"); got != w.Provider {
		t.Errorf("provider key → %s", got.Name)
	}
	if got := w.AccountForAccessKey("AKIAEXAMPLE"); got != w.Provider {
		t.Errorf("unknown key → %s", got.Name)
	}
}

func TestWorldAZMapping(t *testing.T) {
	w := NewWorld(WorldConfig{Seed: 1, Consumers: 8})
	seen := map[string]bool{}
	for _, a := range w.AccountList {
		azs := w.AZsFor(a)
		if len(azs) != 6 || azs[0].Name != "us-east-1a" || azs[5].Name != "us-east-1f" {
			t.Fatalf("%s zones %v", a.Name, azs)
		}
		ids := []string{}
		for _, z := range azs {
			ids = append(ids, z.ID)
			if w.AZName(a, w.AZID(a, z.Name)) != z.Name {
				t.Errorf("round trip %v", z)
			}
		}
		sorted := slices.Clone(ids)
		slices.Sort(sorted)
		if !slices.Equal(sorted, []string{"use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"}) {
			t.Errorf("%s ids %v", a.Name, ids)
		}
		seen[ids[0]+ids[1]+ids[2]] = true
	}
	if len(seen) < 3 {
		t.Error("accounts share the same AZ name → id mapping")
	}
	if p := AZIDPrefix("ap-southeast-2"); p != "apse2" {
		t.Error(p)
	}
	if p := AZIDPrefix("eu-central-1"); p != "euc1" {
		t.Error(p)
	}
}

func TestWorldTXTRecords(t *testing.T) {
	w := NewWorld(WorldConfig{Seed: 1, Static: true})
	n := len(w.TXTRecords())
	w.PublishTXT("_abc.API.example.com.", `"vpce:abc"`)
	w.PublishTXT("_abc.api.example.com", "vpce:abc")
	if v := w.LookupTXT("_abc.api.example.com"); len(v) != 1 || v[0] != "vpce:abc" {
		t.Fatalf("lookup %v", v)
	}
	w.PublishTXT("_abc.api.example.com", "other")
	w.RemoveTXT("_abc.api.example.com", "vpce:abc")
	if v := w.LookupTXT("_abc.api.example.com"); len(v) != 1 || v[0] != "other" {
		t.Fatalf("after remove %v", v)
	}
	w.RemoveTXT("_abc.api.example.com", "")
	if len(w.TXTRecords()) != n {
		t.Fatal("record not removed")
	}
}

func TestWorldManualClock(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewManualClock(t0)
	if !c.Now().Equal(t0) || !c.Advance(time.Minute).Equal(t0.Add(time.Minute)) {
		t.Fatal("advance")
	}
	c.Set(t0)
	if !c.Now().Equal(t0) {
		t.Fatal("set")
	}
	var _ Clock = RealClock{}
	var _ Clock = c
}

func TestWorldPagination(t *testing.T) {
	w := NewWorld(WorldConfig{Seed: 1, Services: 10, Connections: 500, Static: true})
	// Walk EndpointList in pages of 37 using Seq tokens while new endpoints are appended.
	var got []*Endpoint
	next := uint64(0)
	for page := 0; ; page++ {
		i := SeekEndpoints(w.EndpointList, next)
		end := min(i+37, len(w.EndpointList))
		got = append(got, w.EndpointList[i:end]...)
		if end == len(w.EndpointList) {
			break
		}
		next = w.EndpointList[end].Seq
	}
	if len(got) != 500 {
		t.Fatalf("paged %d endpoints", len(got))
	}
	s := w.ServiceList[3]
	if SeekServices(w.ServiceList, s.ID) != 3 || SeekServices(w.ServiceList, s.ID+"0") != 4 {
		t.Fatal("SeekServices")
	}
}

func TestWorldEndpointViews(t *testing.T) {
	w := NewWorld(WorldConfig{Seed: 1})
	pay := svcNamed(t, w, "payments-api")
	for _, e := range pay.Endpoints {
		if e.State != EndpointAvailable {
			continue
		}
		d := e.DNSEntries()
		if d[0].DNSName != e.ID+"-"+e.DNSToken+"."+pay.ID+"."+e.Region+".vpce.amazonaws.com" {
			t.Fatalf("DNS %v", d)
		}
		if e.PrivateDNSEnabled && d[len(d)-1].DNSName != pay.PrivateDNSName {
			t.Fatalf("private DNS entry missing: %v", d)
		}
		from, to := e.AvailableInterval()
		if from.IsZero() || !to.IsZero() || !e.AvailableAt(w.Now) {
			t.Fatalf("interval %s %s", from, to)
		}
	}
	lb := w.LoadBalancer(pay.NLBARNs[0])
	if len(lb.Attributes()) == 0 || len(lb.TargetGroups[0].Attributes()) == 0 || len(lb.Listeners) != 1 {
		t.Fatal("attributes / listeners")
	}
	unused := false
	for _, tt := range lb.TargetGroups[0].Targets {
		if tt.State == TargetUnused && tt.Reason == ReasonNotInUse && tt.Description() != "" {
			unused = true
		}
	}
	if !unused {
		t.Error("payments target group has no unused target")
	}
}
