package awsops

import (
	"bufio"
	"os"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
)

// Profiles lists the profile names in the shared config and credentials files
// (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE honoured), sorted, without duplicates.
// Missing or unreadable files contribute nothing.
func Profiles() []string {
	cfgFile := os.Getenv("AWS_CONFIG_FILE")
	if cfgFile == "" {
		cfgFile = config.DefaultSharedConfigFilename()
	}
	credFile := os.Getenv("AWS_SHARED_CREDENTIALS_FILE")
	if credFile == "" {
		credFile = config.DefaultSharedCredentialsFilename()
	}
	seen := map[string]bool{}
	readSections(cfgFile, true, seen)
	readSections(credFile, false, seen)
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// readSections adds the profile sections of one INI file: in the config file they are
// "[default]" and "[profile name]" ("[sso-session x]" and "[services x]" are not profiles);
// in the credentials file every section is a profile.
func readSections(path string, isConfig bool, seen map[string]bool) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "[") || !strings.HasSuffix(line, "]") {
			continue
		}
		name := strings.TrimSpace(line[1 : len(line)-1])
		if isConfig {
			switch {
			case name == "default":
			case strings.HasPrefix(name, "profile ") || strings.HasPrefix(name, "profile\t"):
				name = strings.TrimSpace(name[len("profile"):])
			default:
				continue
			}
		}
		if name != "" {
			seen[name] = true
		}
	}
}
