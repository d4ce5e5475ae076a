package sim

import "strings"

// STS (AWS Query): GetCallerIdentity, so a client learns which simulated account its
// access key selected.

func (s *Server) registerSTS() {
	s.handle(svcSTS, "GetCallerIdentity", s.stsGetCallerIdentity)
}

type stsGetCallerIdentityResult struct {
	Arn     string `xml:"Arn"`
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
}

func (s *Server) stsGetCallerIdentity(c *Call) (any, error) {
	s.world.mu.RLock()
	defer s.world.mu.RUnlock()
	a := c.Account
	if a == nil {
		a = s.world.Provider
	}
	arn, uid := a.CallerARN, a.CallerUserID
	if arn == "" {
		arn = "arn:aws:iam::" + a.ID + ":user/sim-" + a.Name
	}
	if uid == "" {
		uid = callerUserID(arn)
	}
	return stsGetCallerIdentityResult{Arn: arn, UserID: uid, Account: a.ID}, nil
}

// callerUserID derives the unique id AWS reports next to an ARN: AIDA… for an IAM user,
// AROA…:<session> for an assumed role.
func callerUserID(arn string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	h := fnv64(arn)
	var b [17]byte
	for i := range b {
		b[i] = alphabet[h%32]
		h /= 32
		if h == 0 {
			h = fnv64(arn + string(rune('a'+i)))
		}
	}
	if i := strings.Index(arn, ":assumed-role/"); i >= 0 {
		rest := arn[i+len(":assumed-role/"):]
		session := rest[strings.IndexByte(rest, '/')+1:]
		return "AROA" + string(b[:]) + ":" + session
	}
	return "AIDA" + string(b[:])
}
