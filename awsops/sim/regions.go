package sim

// commercialRegions are the Regions of the aws partition with the names AWS gives them
// (botocore's partitions.json). A service's supported Regions must be Regions of its own
// partition, and AZ group long names ("US East (N. Virginia) 1") are built from these.
var commercialRegions = map[string]string{
	"af-south-1":     "Africa (Cape Town)",
	"ap-east-1":      "Asia Pacific (Hong Kong)",
	"ap-east-2":      "Asia Pacific (Taipei)",
	"ap-northeast-1": "Asia Pacific (Tokyo)",
	"ap-northeast-2": "Asia Pacific (Seoul)",
	"ap-northeast-3": "Asia Pacific (Osaka)",
	"ap-south-1":     "Asia Pacific (Mumbai)",
	"ap-south-2":     "Asia Pacific (Hyderabad)",
	"ap-southeast-1": "Asia Pacific (Singapore)",
	"ap-southeast-2": "Asia Pacific (Sydney)",
	"ap-southeast-3": "Asia Pacific (Jakarta)",
	"ap-southeast-4": "Asia Pacific (Melbourne)",
	"ap-southeast-5": "Asia Pacific (Malaysia)",
	"ap-southeast-6": "Asia Pacific (New Zealand)",
	"ap-southeast-7": "Asia Pacific (Thailand)",
	"ca-central-1":   "Canada (Central)",
	"ca-west-1":      "Canada West (Calgary)",
	"eu-central-1":   "Europe (Frankfurt)",
	"eu-central-2":   "Europe (Zurich)",
	"eu-north-1":     "Europe (Stockholm)",
	"eu-south-1":     "Europe (Milan)",
	"eu-south-2":     "Europe (Spain)",
	"eu-west-1":      "Europe (Ireland)",
	"eu-west-2":      "Europe (London)",
	"eu-west-3":      "Europe (Paris)",
	"il-central-1":   "Israel (Tel Aviv)",
	"me-central-1":   "Middle East (UAE)",
	"me-south-1":     "Middle East (Bahrain)",
	"mx-central-1":   "Mexico (Central)",
	"sa-east-1":      "South America (Sao Paulo)",
	"us-east-1":      "US East (N. Virginia)",
	"us-east-2":      "US East (Ohio)",
	"us-west-1":      "US West (N. California)",
	"us-west-2":      "US West (Oregon)",
}

// knownRegion says whether region is a Region a service in home can name: one of the
// commercial Regions when home is one. Outside the commercial partition (a world started
// for another partition) the simulated region knows no list and accepts any well-formed
// name.
func knownRegion(home, region string) bool {
	if _, commercial := commercialRegions[home]; !commercial {
		return regionPattern.MatchString(region)
	}
	_, ok := commercialRegions[region]
	return ok
}

// zoneGroupLongName is the long name of a Region's first zone group, as
// DescribeAvailabilityZones gives it ("US East (N. Virginia) 1").
func zoneGroupLongName(region string) string {
	if name, ok := commercialRegions[region]; ok {
		return name + " 1"
	}
	return region + " 1"
}
