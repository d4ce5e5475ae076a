package sim

import (
	"bytes"
	"net/http"
	"testing"
)

// A body over the limit is refused with 413 before it is decoded, and counts as nothing done.
func TestOversizedBodyIsRefused(t *testing.T) {
	run := startTestSim(t, Options{World: WorldConfig{Seed: 1}})
	body := bytes.Repeat([]byte("a"), maxBodyBytes+2)
	req, err := http.NewRequest(http.MethodPost, run.URL, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+AccessKeyFor(ProviderAccountID)+
		"/20250602/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d for a %d-byte body", resp.StatusCode, len(body))
	}
	if st := run.Server.Stats(); st.Total != 0 {
		t.Errorf("an oversized request reached an operation: %+v", st)
	}
}
