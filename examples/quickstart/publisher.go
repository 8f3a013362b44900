package main

import "github.com/citylinks/citylinks/report"

// checkPublisher refuses a publisher identifier IATI cannot take (white
// space, / & | ?) before the quickstart writes anything.
func checkPublisher(ref string) error {
	return report.CheckIATIIdentifier("-iati-org-ref", ref)
}
