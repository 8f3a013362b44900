package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/cliflag"
	"github.com/citylinks/citylinks/matching"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, term.IsTerminal(int(os.Stderr.Fd()))))
}

// now is the clock that gives -as-of its default; tests set it.
var now = time.Now

// progressPairs is the number of host–partner pairs from which a progress
// bar is shown (on a terminal).
const progressPairs = 1_000_000

// pairList is a repeatable HOST=PARTNER flag.
type pairList []matching.Pair

func (l *pairList) String() string {
	var parts []string
	for _, p := range *l {
		parts = append(parts, p.HostID+"="+p.ResourceID)
	}
	return strings.Join(parts, ",")
}

func (l *pairList) Set(s string) error {
	h, p, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(h) == "" || strings.TrimSpace(p) == "" {
		return fmt.Errorf("%q is not HOST=PARTNER (two ids joined by =)", s)
	}
	*l = append(*l, matching.Pair{HostID: strings.TrimSpace(h), ResourceID: strings.TrimSpace(p)})
	return nil
}

type config struct {
	hosts, partners string
	program         string
	focus           string
	asOf            string
	format          string
	explain         bool
	must, forbid    pairList
	weights         string
	income          string
	opts            matching.Options
}

// run is the whole command; it returns the exit status: 0 done, 1 bad input
// or failure, 2 bad usage.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, isTerminal bool) int {
	fs := flag.NewFlagSet("matchmaker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.hosts, "hosts", "", "CSV `file` of host cities: id,name,country,population,latitude,longitude,elevation_m,needs[,languages,commitment,timezone,coastal,kind]")
	fs.StringVar(&c.partners, "partners", "", "CSV `file` of partner (resource) cities: the host columns with offers instead of needs, plus capacity")
	fs.StringVar(&c.program, "program", citylinks.ProgramCityLinks2011, "built-in program `id` ("+strings.Join(programIDs(), ", ")+") or a program JSON file")
	fs.StringVar(&c.focus, "focus", "", "focus-area `id` of the round, e.g. climate (default: the program's only focus area)")
	cliflag.AsOf(fs, &c.asOf, "the round's `date`, YYYY-MM-DD: eligibility lists, income groups and open partnerships are taken as of it (default today)")
	fs.StringVar(&c.income, "income", "", "CSV `file` of World Bank income groups for fiscal years after the shipped FY1989–FY2026: an iso_alpha3 column and fyYYYY columns of L, LM, UM, H or NC")
	fs.IntVar(&c.opts.TopK, "top", matching.DefaultTopK, "candidate partners kept per host, `K` best")
	fs.Float64Var(&c.opts.MinScore, "min-score", 0, "threshold `score` (0–1): pairs below it are no candidates")
	objective := fs.String("objective", string(matching.ObjectiveMaxPairs), "max-pairs (as many pairs as possible, then the best total score) or max-score (the best total score)")
	fs.IntVar(&c.opts.DefaultCapacity, "capacity", 1, "capacity of a partner whose capacity cell is empty")
	fs.Var(&c.must, "must", "a pair decided in advance, `HOST=PARTNER` by id (repeatable)")
	fs.Var(&c.forbid, "forbid", "a pair never to propose, `HOST=PARTNER` by id (repeatable)")
	fs.StringVar(&c.weights, "weights", "", "criterion weights to change, e.g. `topic-fit=0.5,distance=0` (criteria: "+criteriaList()+")")
	fs.BoolVar(&c.explain, "explain", false, "explain each pair: every criterion, and why both sides are eligible")
	fs.StringVar(&c.format, "format", "table", "output `format`: table, csv or json")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: matchmaker -hosts FILE -partners FILE [flags]\n\n"+
			"Proposes host–partner pairs from two CSV files: eligibility by the program's rules,\n"+
			"scores on ICMA's criteria, each host's best candidates, an optimal assignment within\n"+
			"capacity, and the reason for every city left unmatched.\n\nFlags:\n")
		cliflag.PrintDefaults(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	c.opts.Objective = matching.Objective(*objective)
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "matchmaker: "+format+"\n", a...)
		fmt.Fprintf(stderr, "Run matchmaker -h for help.\n")
		return 2
	}
	switch {
	case fs.NArg() > 0:
		return usage("unexpected argument %q", fs.Arg(0))
	case c.hosts == "" || c.partners == "":
		return usage("-hosts and -partners are required")
	case !slices.Contains([]string{"table", "csv", "json"}, c.format):
		return usage("-format %q is not table, csv or json", c.format)
	case c.opts.TopK < 1:
		return usage("-top %d is below 1", c.opts.TopK)
	case !c.opts.Objective.Valid():
		return usage("-objective %q is not max-pairs or max-score", *objective)
	case c.opts.DefaultCapacity < 1:
		return usage("-capacity %d is below 1", c.opts.DefaultCapacity)
	}
	if c.weights != "" {
		w, err := parseWeights(c.weights)
		if err != nil {
			return usage("-weights: %v", err)
		}
		c.opts.Weights = &w
	}
	if err := match(ctx, &c, stdout, stderr, isTerminal); err != nil {
		var ie *inputError
		if errors.As(err, &ie) {
			// FILE:LINE: reason, one bad row per line.
			fmt.Fprintln(stderr, ie.Error())
		} else {
			fmt.Fprintf(stderr, "matchmaker: %v\n", err)
		}
		return 1
	}
	return 0
}

func programIDs() []string {
	var ids []string
	for _, p := range citylinks.Programs() {
		ids = append(ids, p.ID)
	}
	return ids
}

func criteriaList() string {
	var cs []string
	for _, c := range matching.Criteria() {
		cs = append(cs, string(c))
	}
	return strings.Join(cs, ", ")
}

// parseWeights reads "criterion=weight,…" over the default weights.
func parseWeights(s string) (matching.Weights, error) {
	w := matching.DefaultWeights()
	for _, part := range strings.Split(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		c := matching.Criterion(strings.TrimSpace(name))
		if !ok || !c.Valid() {
			return w, fmt.Errorf("%q is not CRITERION=WEIGHT with a criterion among %s", part, criteriaList())
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return w, fmt.Errorf("%q: %q is not a number", part, val)
		}
		if err := w.Set(c, x); err != nil {
			return w, errors.New(reason(err))
		}
	}
	if err := w.Validate(); err != nil {
		return w, errors.New(reason(err))
	}
	return w, nil
}

// loadIncome returns the shipped income table, with the years of an -income
// file added.
func loadIncome(file string) (*citylinks.IncomeTable, error) {
	if file == "" {
		return citylinks.ShippedIncome(), nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := citylinks.ShippedIncome().Clone()
	err = t.ReadCSV(f)
	var ie *citylinks.ImportError
	var re *citylinks.RowError
	switch {
	case errors.As(err, &ie):
		return nil, &inputError{File: file, Rows: ie.Rows}
	case errors.As(err, &re):
		return nil, &inputError{File: file, Rows: []*citylinks.RowError{re}}
	case err != nil:
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return t, nil
}

// loadProgram returns a built-in program by id, or reads a program JSON
// file; its income rules read the table income.
func loadProgram(ref string, income *citylinks.IncomeTable) (citylinks.Program, *matching.Eligibility, error) {
	var p citylinks.Program
	opts := &matching.EligibilityOptions{Income: income}
	if !strings.HasSuffix(strings.ToLower(ref), ".json") {
		var err error
		if p, err = citylinks.LookupProgram(ref); err != nil {
			return p, nil, fmt.Errorf("-program %q is not a built-in program (%s) or a .json file", ref, strings.Join(programIDs(), ", "))
		}
		e, err := matching.ProgramEligibility(p, opts)
		return p, e, err
	}
	f, err := os.Open(ref)
	if err != nil {
		return p, nil, err
	}
	defer f.Close()
	p, e, err := matching.LoadProgram(f, opts)
	if err != nil {
		return p, nil, fmt.Errorf("%s: %s", ref, reason(err))
	}
	return p, e, nil
}

func readFile(name string, side matching.Side) ([]matching.Party, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readParties(f, name, side)
}

func match(ctx context.Context, c *config, stdout, stderr io.Writer, isTerminal bool) error {
	income, err := loadIncome(c.income)
	if err != nil {
		return err
	}
	program, elig, err := loadProgram(c.program, income)
	if err != nil {
		return err
	}
	focus := c.focus
	if focus == "" {
		if len(program.FocusAreas) != 1 {
			return fmt.Errorf("-focus is required: program %s covers %s", program.ID, strings.Join(program.FocusAreas, ", "))
		}
		focus = program.FocusAreas[0]
	}
	if !program.Covers(focus) {
		return fmt.Errorf("-focus %q is not a focus area of program %s (%s)", focus, program.ID, strings.Join(program.FocusAreas, ", "))
	}
	asOf := citylinks.DateOf(now())
	if c.asOf != "" {
		if asOf, err = citylinks.ParseDate(c.asOf); err != nil {
			return fmt.Errorf("-as-of %q is not a date of the form YYYY-MM-DD", c.asOf)
		}
	}
	hosts, err := readFile(c.hosts, matching.SideHost)
	if err != nil {
		return err
	}
	partners, err := readFile(c.partners, matching.SideResource)
	if err != nil {
		return err
	}
	if err := checkPairs(c, hosts, partners); err != nil {
		return err
	}
	var bar *progressbar.ProgressBar
	if isTerminal && len(hosts)*len(partners) >= progressPairs {
		bar = progressbar.NewOptions(1, progressbar.OptionSetWriter(stderr), progressbar.OptionClearOnFinish(),
			progressbar.OptionShowCount(), progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond))
		var stage matching.Stage
		c.opts.Progress = func(p matching.Progress) {
			if p.Stage != stage {
				// A new bar for each stage, drawn at once; within a
				// stage, redrawn at most every 100 ms.
				stage = p.Stage
				_ = bar.Clear()
				bar.Reset()
				bar.ChangeMax(max(1, p.Total))
				bar.Describe(fmt.Sprintf("%-11s", stage))
				_ = bar.RenderBlank()
			}
			_ = bar.Set(p.Done)
		}
	}
	m, err := matching.NewMatcher(elig, &c.opts)
	if err != nil {
		return errors.New(reason(err))
	}
	res, err := m.Match(ctx, matching.Round{FocusArea: focus, AsOf: asOf, Hosts: hosts, Resources: partners, MustPair: c.must, ForbidPair: c.forbid})
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return describeMatchError(err, c)
	}
	out := output{res: res, hosts: hosts, partners: partners, explain: c.explain, objective: c.opts.Objective}
	switch c.format {
	case "json":
		err = out.json(stdout)
	case "csv":
		err = out.csv(stdout)
	default:
		err = out.table(stdout)
	}
	if err != nil || len(res.Missing) == 0 {
		return err
	}
	md := &missingDataError{missing: res.Missing, asOf: asOf, today: c.asOf == "", income: c.income}
	for _, u := range res.Unmatched {
		if u.Why == matching.WhyMissingData {
			md.cities++
		}
	}
	if len(res.Proposals) == 0 {
		return md
	}
	fmt.Fprintf(stderr, "matchmaker: warning: %s\n", md.describe())
	return nil
}

// missingDataError is the failure of a round in which data the rules need
// is missing and no pair is possible.
type missingDataError struct {
	missing []matching.MissingData
	cities  int // cities left undecided
	asOf    citylinks.Date
	today   bool   // -as-of was not given
	income  string // the -income file, if any
}

func (e *missingDataError) Error() string {
	return "no pair is possible: " + e.describe()
}

// describe says how many cities could not be judged, what is missing, and
// how to supply it.
func (e *missingDataError) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the eligibility rules could not judge %d %s for lack of data (missing-data):", e.cities, plural(e.cities, "city", "cities"))
	var names, columns []string
	earlier := ""
	for _, m := range e.missing {
		fmt.Fprintf(&b, "\n  %s", m)
		names = append(names, m.FiscalYear.String())
		columns = append(columns, fmt.Sprintf("fy%04d", int(m.FiscalYear)))
		if m.FiscalYear != citylinks.FiscalYearOf(e.asOf) {
			b.WriteString(", a fiscal year the program's rules name")
			continue
		}
		if e.today {
			fmt.Fprintf(&b, ", the fiscal year of today, %s (-as-of's default)", e.asOf)
		} else {
			fmt.Fprintf(&b, ", the fiscal year of -as-of %s", e.asOf)
		}
		if m.Last != 0 && m.FiscalYear > m.Last {
			earlier = citylinks.Date{Year: int(m.Last), Month: time.June, Day: 30}.String()
		}
	}
	b.WriteString("\nTo fix it, ")
	if earlier != "" {
		fmt.Fprintf(&b, "run the round as of %s or earlier (-as-of %s), or ", earlier, earlier)
	}
	from := "with -income FILE"
	if e.income != "" {
		from = "in the -income file " + e.income + ", which lacks them"
	}
	fmt.Fprintf(&b, "supply the World Bank's income groups for %s %s: a CSV with an iso_alpha3 column and %s %s of L, LM, UM, H or NC (the shape of dataset/wb_income_history.csv).",
		strings.Join(names, ", "), from, plural(len(columns), "a column", "columns"), strings.Join(columns, ", "))
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// checkPairs reports -must and -forbid pairs that name unknown cities.
func checkPairs(c *config, hosts, partners []matching.Party) error {
	has := func(ps []matching.Party, id string) bool {
		return slices.ContainsFunc(ps, func(p matching.Party) bool { return p.City.ID == id })
	}
	for _, l := range []struct {
		flag  string
		pairs pairList
	}{{"-must", c.must}, {"-forbid", c.forbid}} {
		for _, p := range l.pairs {
			if !has(hosts, p.HostID) {
				return fmt.Errorf("%s %s=%s: no host has id %q in %s", l.flag, p.HostID, p.ResourceID, p.HostID, c.hosts)
			}
			if !has(partners, p.ResourceID) {
				return fmt.Errorf("%s %s=%s: no partner has id %q in %s", l.flag, p.HostID, p.ResourceID, p.ResourceID, c.partners)
			}
		}
	}
	return nil
}

// describeMatchError names the flag behind a must-pair error.
func describeMatchError(err error, c *config) error {
	var ve *citylinks.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	var i int
	if _, scanErr := fmt.Sscanf(ve.Field, "must_pair[%d]", &i); scanErr == nil && i < len(c.must) {
		return fmt.Errorf("-must %s=%s: %s", c.must[i].HostID, c.must[i].ResourceID, ve.Problem)
	}
	return errors.New(reason(err))
}
