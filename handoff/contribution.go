package handoff

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
)

// Contributions returns partnership p's contributions as package report's
// contributions, in p's order: the same party, date, hours (from minutes)
// and in-kind value, with the id [ContributionID] gives, so that the same
// partnership contribution always maps to the same report row and a
// correction in the partnership replaces that row.
func Contributions(p partnership.Partnership) []report.Contribution {
	out := make([]report.Contribution, 0, len(p.Contributions))
	for _, c := range p.Contributions {
		out = append(out, report.Contribution{
			ID: ContributionID(p.ID, c.ID), Partnership: p.ID, Organization: c.Party,
			Date: c.Date, Hours: c.Hours(), InKind: c.InKind, Description: clip(c.Description),
		})
	}
	return out
}

// ContributionID returns the id of the report contribution that mirrors
// contribution id of partnership pid: "pid/id", or, when pid contains a
// slash or the two are too long together for an id (citylinks.MaxIDLen),
// "contribution-" and the SHA-256 of both in hex. Report contribution ids
// are unique across partnerships, and no two pairs give the same id: the
// first form always contains a slash, the second never does, and a
// partnership id in the first form has no slash, so the first slash ends
// it.
func ContributionID(pid, id string) string {
	if !strings.Contains(pid, "/") && len(pid)+1+len(id) <= citylinks.MaxIDLen {
		return pid + "/" + id
	}
	// Ids hold no control characters, so NUL separates the two.
	sum := sha256.Sum256([]byte(pid + "\x00" + id))
	return "contribution-" + hex.EncodeToString(sum[:])
}
