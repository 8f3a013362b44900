package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/citylinks/citylinks/internal/csvcell"

	"github.com/citylinks/citylinks/matching"
)

// output writes a result in one of the formats.
type output struct {
	res             *matching.Result
	hosts, partners []matching.Party
	explain         bool
	goal            matching.Goal
}

// side names a side as the command's input does: host or partner.
func side(s matching.Side) string {
	if s == matching.SideResource {
		return "partner"
	}
	return "host"
}

type jsonCriterion struct {
	Similarity *float64 `json:"similarity"` // null when not known
	Weight     float64  `json:"weight"`
	Points     float64  `json:"points"`
	Detail     string   `json:"detail,omitempty"`
}

type jsonPair struct {
	Host        string                   `json:"host"`
	Partner     string                   `json:"partner"`
	Score       float64                  `json:"score"`
	Breakdown   map[string]jsonCriterion `json:"breakdown"`
	Rank        int                      `json:"rank"`
	Forced      bool                     `json:"forced,omitempty"`
	Explanation []string                 `json:"explanation,omitempty"`
}

type jsonUnmatched struct {
	ID      string   `json:"id"`
	Side    string   `json:"side"`
	Why     string   `json:"why"`
	Reasons []string `json:"reasons"`
	Missing []string `json:"missing,omitempty"` // for why "missing-data": the data the rules lacked
}

type jsonResult struct {
	Pairs      []jsonPair      `json:"pairs"`
	Unmatched  []jsonUnmatched `json:"unmatched"`
	TotalScore float64         `json:"total_score"`
	Goal       string          `json:"goal"`
}

// json writes {"pairs":[…],"unmatched":[…],"total_score":F}. A pair's
// breakdown maps each criterion to its similarity (null when the data is
// missing), weight and points; the points add up to the score.
func (o output) json(w io.Writer) error {
	out := jsonResult{Pairs: []jsonPair{}, Unmatched: []jsonUnmatched{}, TotalScore: o.res.Total, Goal: string(o.goal)}
	for _, p := range o.res.Proposals {
		jp := jsonPair{Host: p.HostID, Partner: p.ResourceID, Score: p.Score, Rank: p.Rank, Forced: p.Forced, Breakdown: map[string]jsonCriterion{}}
		for _, cs := range p.Breakdown.Criteria {
			jc := jsonCriterion{Weight: cs.Weight, Points: cs.Points}
			if cs.Known {
				s := cs.Similarity
				jc.Similarity = &s
			}
			if o.explain {
				jc.Detail = cs.Detail
			}
			jp.Breakdown[string(cs.Criterion)] = jc
		}
		if o.explain {
			jp.Explanation = p.Explain()
		}
		out.Pairs = append(out.Pairs, jp)
	}
	for _, u := range o.res.Unmatched {
		ju := jsonUnmatched{ID: u.ID, Side: side(u.Side), Why: string(u.Why), Reasons: u.Reasons}
		for _, m := range u.Missing {
			ju.Missing = append(ju.Missing, m.String())
		}
		out.Unmatched = append(out.Unmatched, ju)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// csv writes one row per proposal and one per unmatched city: host_id,
// host_name, partner_id, partner_name, score, a similarity column per
// criterion (empty when not known), status ("proposed" or why the city is
// unmatched) and reasons (the explanation with -explain).
func (o output) csv(w io.Writer) error {
	cw := csv.NewWriter(w)
	header := []string{"host_id", "host_name", "partner_id", "partner_name", "score"}
	for _, c := range matching.Criteria() {
		header = append(header, string(c))
	}
	header = append(header, "status", "reasons")
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, p := range o.res.Proposals {
		row := []string{csvcell.Neutralise(p.HostID), csvcell.Neutralise(p.HostName), csvcell.Neutralise(p.ResourceID), csvcell.Neutralise(p.ResourceName), fmtScore(p.Score)}
		for _, cs := range p.Breakdown.Criteria {
			if cs.Known {
				row = append(row, fmtScore(cs.Similarity))
			} else {
				row = append(row, "")
			}
		}
		reasons := ""
		if o.explain {
			reasons = strings.Join(trimLines(p.Explain()[1:]), " | ")
		}
		status := "proposed"
		if p.Forced {
			status = "proposed (must-pair)"
		}
		row = append(row, status, csvcell.Neutralise(reasons))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	for _, u := range o.res.Unmatched {
		row := make([]string, len(header))
		if u.Side == matching.SideHost {
			row[0], row[1] = csvcell.Neutralise(u.ID), csvcell.Neutralise(u.Name)
		} else {
			row[2], row[3] = csvcell.Neutralise(u.ID), csvcell.Neutralise(u.Name)
		}
		row[len(row)-2] = "unmatched " + side(u.Side) + ": " + string(u.Why)
		row[len(row)-1] = csvcell.Neutralise(strings.Join(u.Reasons, " | "))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func fmtScore(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }

func trimLines(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimSpace(l)
	}
	return out
}

// short names of the criteria for the table's header.
var shortName = map[matching.Criterion]string{
	matching.CriterionTopicFit:   "TOPIC",
	matching.CriterionClimate:    "CLIMATE",
	matching.CriterionPopulation: "POP",
	matching.CriterionCommitment: "COMMIT",
	matching.CriterionTimeZone:   "TZ",
	matching.CriterionLanguage:   "LANG",
	matching.CriterionDistance:   "DIST",
}

// The table cuts names and ids longer than tableNameMax characters, and
// explanation and reason lines longer than tableLineMax, with "…", so that
// one very long name does not widen every row; csv and json keep them whole.
const (
	tableNameMax = 60
	tableLineMax = 240
)

// tableLabel is a city's label in the table: "name [id]", cut and made
// terminal-safe.
func tableLabel(id, name string) string {
	return terminalSafe(label(cut(id, tableNameMax), cut(name, tableNameMax)))
}

// terminalSafe returns s as the table shows it on a terminal: control
// characters (which could clear the screen, move the cursor or retitle the
// window), line and paragraph separators (which would break the table) and
// bidirectional formatting characters (which could reorder what is shown)
// are written as Go escapes such as \x1b and \u202e; everything else,
// right-to-left scripts and combining marks included, is unchanged.
func terminalSafe(s string) string {
	if strings.IndexFunc(s, unsafeOnTerminal) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeOnTerminal(r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unsafeOnTerminal(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)
}

// table writes the pairs with the similarity of each criterion ("-" when
// not known), with -explain the explanation of each pair, then the
// unmatched cities with their reasons, then the total. Names and reasons
// are cut to length and go through terminalSafe.
func (o output) table(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "HOST\tPARTNER\tSCORE")
	for _, c := range matching.Criteria() {
		fmt.Fprint(tw, "\t"+shortName[c])
	}
	fmt.Fprintln(tw)
	for _, p := range o.res.Proposals {
		fmt.Fprintf(tw, "%s\t%s\t%.3f", tableLabel(p.HostID, p.HostName), tableLabel(p.ResourceID, p.ResourceName), p.Score)
		for _, cs := range p.Breakdown.Criteria {
			if cs.Known {
				fmt.Fprintf(tw, "\t%.2f", cs.Similarity)
			} else {
				fmt.Fprint(tw, "\t-")
			}
		}
		if p.Forced {
			fmt.Fprint(tw, "\t(must-pair)")
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if o.explain && len(o.res.Proposals) > 0 {
		fmt.Fprintln(w, "\nWhy these pairs:")
		for _, p := range o.res.Proposals {
			for _, l := range p.Explain() {
				fmt.Fprintln(w, "  "+terminalSafe(cut(l, tableLineMax)))
			}
		}
	}
	if len(o.res.Unmatched) > 0 {
		fmt.Fprintf(w, "\nUnmatched (%d):\n", len(o.res.Unmatched))
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, u := range o.res.Unmatched {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", side(u.Side), tableLabel(u.ID, u.Name), u.Why, terminalSafe(cut(strings.Join(u.Reasons, "; "), tableLineMax)))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\n%d pairs, total score %.3f (%s); similarities from 0 to 1, \"-\" where the data is missing.\n", len(o.res.Proposals), o.res.Total, o.goal)
	return nil
}

func label(id, name string) string {
	if name == "" || name == id {
		return id
	}
	return name + " [" + id + "]"
}
