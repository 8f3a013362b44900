package matching

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/citylinks/citylinks"
)

// Criterion is one of the things a host–resource pair is scored on.
type Criterion string

// The criteria, from what ICMA matched on (see Weights).
const (
	// CriterionTopicFit is how much of what the host needs the resource
	// offers, level by level.
	CriterionTopicFit Criterion = "topic-fit"
	// CriterionClimate is the similarity of climate and topography: absolute
	// latitude, elevation and being on a coast, where known.
	CriterionClimate Criterion = "climate-topography"
	// CriterionPopulation is the similarity of population size, on a log
	// scale.
	CriterionPopulation Criterion = "population"
	// CriterionTimeZone is the overlap of the two cities' working hours.
	CriterionTimeZone Criterion = "time-zone"
	// CriterionLanguage is whether the two cities share a language.
	CriterionLanguage Criterion = "language"
	// CriterionCommitment is the commitment the caller gives each side.
	CriterionCommitment Criterion = "commitment"
	// CriterionDistance is how close the two cities are.
	CriterionDistance Criterion = "distance"
)

// Criteria returns every Criterion in the order breakdowns list them.
func Criteria() []Criterion {
	return []Criterion{CriterionTopicFit, CriterionClimate, CriterionPopulation, CriterionCommitment, CriterionTimeZone, CriterionLanguage, CriterionDistance}
}

// Valid reports whether c is one of the Criteria.
func (c Criterion) Valid() bool { return slices.Contains(Criteria(), c) }

// Weights gives each criterion its weight. Only their ratios matter: a
// pair's score is the weighted mean of the similarities of the criteria that
// are known for it (see Breakdown). The zero Weights is not usable; start
// from DefaultWeights.
type Weights struct {
	TopicFit          float64 `json:"topic-fit"`
	ClimateTopography float64 `json:"climate-topography"`
	Population        float64 `json:"population"`
	Commitment        float64 `json:"commitment"`
	TimeZone          float64 `json:"time-zone"`
	Language          float64 `json:"language"`
	Distance          float64 `json:"distance"`
}

// DefaultWeights returns the default weights, which sum to 1. They follow
// how ICMA matched, in the words of its calls and announcements (each
// quoted by title below):
//
//   - TopicFit 0.35: ICMA "finds U.S. partners with matching expertise" for
//     the need a USAID mission identified (ICMA, "How CityLinks Works"); the
//     2014 ASEAN call asked for "experience with urban-ecosystem adaptation"
//     and "use of scientific models". It is the reason a pair exists, so it
//     weighs most.
//   - ClimateTopography 0.25: ASEAN pairs were chosen on "similarity of
//     topography, climate, infrastructure risk" and CAPP 2015 "paired on
//     topography, climate and infrastructure risk" (ICMA, "Announcing ASEAN
//     Cities Climate Change Partnership"; ICMA/TransformGov, "Six Cities
//     Chosen…"). Named in every selection, second only to expertise.
//   - Population 0.15: the ASEAN call named "population and geography", and
//     Columbia's account of CAPP adds population size (Columbia CCSR,
//     "CityLinks Climate Adaptation Partnership Program").
//   - Commitment 0.15: the ASEAN call asked for "commitment to host
//     exchanges" and CAPP selected on "strength of application and
//     commitment", with a governing-body letter of support (ICMA,
//     "Information for U.S. Local Governments"). It is as strong a criterion
//     as population, but only the caller can give it.
//   - TimeZone 0.04, Language 0.04, Distance 0.02: the sources do not name
//     them. Resource staff consult between trips "as needed" (ICMA, "CityLinks
//     Announces New Climate Adaptation Partnership Program"), which favours
//     overlapping working hours and a common language; CityLinks paid travel,
//     and pairs spanned the globe (Fort Lauderdale–Durban, Somerville–La
//     Ceiba), so distance only breaks near-ties.
func DefaultWeights() Weights {
	return Weights{TopicFit: 0.35, ClimateTopography: 0.25, Population: 0.15, Commitment: 0.15, TimeZone: 0.04, Language: 0.04, Distance: 0.02}
}

// Of returns the weight of criterion c, or 0 for an unknown criterion.
func (w Weights) Of(c Criterion) float64 {
	if f := w.field(c); f != nil {
		return *f
	}
	return 0
}

// Set sets the weight of criterion c. It returns a
// *citylinks.ValidationError for an unknown criterion; the weight itself is
// checked by Validate.
func (w *Weights) Set(c Criterion, weight float64) error {
	f := w.field(c)
	if f == nil {
		return &citylinks.ValidationError{Field: "weights", Problem: fmt.Sprintf("%q is not a criterion", c)}
	}
	*f = weight
	return nil
}

func (w *Weights) field(c Criterion) *float64 {
	switch c {
	case CriterionTopicFit:
		return &w.TopicFit
	case CriterionClimate:
		return &w.ClimateTopography
	case CriterionPopulation:
		return &w.Population
	case CriterionCommitment:
		return &w.Commitment
	case CriterionTimeZone:
		return &w.TimeZone
	case CriterionLanguage:
		return &w.Language
	case CriterionDistance:
		return &w.Distance
	}
	return nil
}

// Validate reports a weight that is negative or not finite, or weights that
// are all zero, as a *citylinks.ValidationError.
func (w Weights) Validate() error {
	sum := 0.0
	for _, c := range Criteria() {
		x := w.Of(c)
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return &citylinks.ValidationError{Field: "weights." + string(c), Problem: fmt.Sprintf("%v is not a finite number ≥ 0", x)}
		}
		sum += x
	}
	if sum <= 0 || math.IsInf(sum, 0) {
		return &citylinks.ValidationError{Field: "weights", Problem: "at least one weight must be above 0"}
	}
	return nil
}

// Scales used by the similarities; each is the difference at which a
// similarity falls to 0. ScorePair documents them.
const (
	// latitudeScale: 45° of absolute latitude spans the tropics to the
	// mid-latitudes (Köppen zones change within it).
	latitudeScale = 45.0
	// elevationScale: 2,000 m spans coastal lowlands to highland cities such
	// as Shimla (≈2,200 m).
	elevationScale = 2000.0
	// populationDecades: a population ratio of 10^2 (100×) scores 0; 10×
	// scores 0.5.
	populationDecades = 2.0
	// workdayHours: the working day whose overlap the time-zone criterion
	// measures (9:00–17:00 local time on both sides).
	workdayHours = 8.0
	// halfEarthKm: half the Earth's circumference; antipodes score 0 on
	// distance.
	halfEarthKm = math.Pi * earthRadiusKm
	// earthRadiusKm is the mean radius of the Earth (IUGG).
	earthRadiusKm = 6371.0088
)

// Party is a city taking part in a round of matching, with what the Matcher
// knows about it beyond the city itself.
type Party struct {
	City citylinks.City
	// Organization is the party that would sign for the city (a county, a
	// composite party); nil means the city's own government.
	Organization *citylinks.Organization
	// Commitment, from 0 to 1, is the caller's judgement of the party's
	// commitment (its application, its governing body's support). Nil means
	// not given: the criterion then uses the other side's alone, or is
	// unknown.
	Commitment *float64
}

// CriterionScore is one line of a Breakdown.
type CriterionScore struct {
	Criterion Criterion
	// Known is false when the data needed is missing on either side; the
	// criterion then takes no part in the score.
	Known bool
	// Similarity, from 0 to 1, is how well the pair does on the criterion.
	Similarity float64
	// Weight is the criterion's weight.
	Weight float64
	// Points is the criterion's share of the score: Weight × Similarity
	// divided by the sum of the weights of the known criteria.
	Points float64
	// Detail says, in words, what the similarity was computed from.
	Detail string
}

// Breakdown is the score of a pair with how it was reached. Score is the
// weighted mean of the similarities of the known criteria (Gower's general
// coefficient of similarity, which leaves out what is missing: J. C. Gower,
// "A general coefficient of similarity and some of its properties",
// Biometrics 27(4), 857–871, 1971); it runs from 0 to 1 and is the sum of
// the Points of the criteria.
type Breakdown struct {
	Score    float64
	Criteria []CriterionScore
}

// Criterion returns the line of criterion c, and whether there is one.
func (b Breakdown) Criterion(c Criterion) (CriterionScore, bool) {
	for _, cs := range b.Criteria {
		if cs.Criterion == c {
			return cs, true
		}
	}
	return CriterionScore{}, false
}

// ScorePair scores a host against a resource with the given weights (nil
// means DefaultWeights); asOf fixes the UTC offsets of the time zones (their
// daylight-saving time). It returns an error only for invalid weights.
//
// The similarities, each from 0 to 1:
//
//   - topic fit: the share of the host's need levels that the resource's
//     offers cover, Σ min(offer, need) / Σ need over the host's needs (an
//     advanced offer covers an intermediate need in full; a basic offer
//     covers a third of an advanced need). Unknown if the host lists no need.
//   - climate and topography: the mean of what is known of 1 − Δ|latitude|
//     / 45° (the tropics to the mid-latitudes), 1 − Δelevation / 2,000 m
//     (coastal lowlands to highland cities such as Shimla), and 1 if both
//     or neither are on a coast (0 otherwise).
//   - population: 1 − |log10(host / resource)| / 2, so a population 10
//     times the other's scores 0.5 and 100 times scores 0.
//   - time zone: the hours both cities' 9-to-5 working days overlap, / 8,
//     from their IANA time zones (read from the system's time-zone
//     database, as package time does); a city without a usable time zone
//     gets one estimated from its longitude.
//   - language: 1 if the cities share a language (by primary subtag: "pt-BR"
//     and "pt" match), else 0.
//   - commitment: the mean of the commitments given.
//   - distance: 1 − great-circle distance / half the Earth's circumference
//     (about 20,015 km), so antipodes score 0.
//
// Values below 0 are clipped to 0.
func ScorePair(host, resource Party, asOf citylinks.Date, w *Weights) (Breakdown, error) {
	wt := DefaultWeights()
	if w != nil {
		wt = *w
	}
	if err := wt.Validate(); err != nil {
		return Breakdown{}, err
	}
	topics := newTopicIndex()
	h := newFeatures(host, topics, asOf, true)
	r := newFeatures(resource, topics, asOf, false)
	return explain(&h, &r, newScoreWeights(wt), host, resource), nil
}

// scoreWeights are Weights as an array in Criteria order.
type scoreWeights [numCriteria]float64

const numCriteria = 7

const (
	iTopic = iota
	iClimate
	iPopulation
	iCommitment
	iTimeZone
	iLanguage
	iDistance
)

func newScoreWeights(w Weights) scoreWeights {
	var sw scoreWeights
	for i, c := range Criteria() {
		sw[i] = w.Of(c)
	}
	return sw
}

// features are the facts of one city that scoring uses, prepared once per
// city so that scoring a pair does little work.
type features struct {
	needs   []topicLevel // host side, sorted by topic
	needSum int
	offers  []topicLevel // resource side, sorted by topic

	hasLoc                         bool
	absLat                         float64
	sinLat, cosLat, sinLon, cosLon float64

	hasElev bool
	elev    float64
	coastal int8 // -1 unknown, 0 no, 1 yes

	hasPop bool
	logPop float64

	hasTZ       bool
	tzEstimated bool
	utcMinutes  int

	langs []int32 // primary language subtags, as sorted ids

	hasCommit bool
	commit    float64
}

type topicLevel struct {
	topic int32
	level int8
}

// topicIndex numbers topics and language subtags so that features compare
// integers.
type topicIndex struct {
	topics map[string]int32
	langs  map[string]int32
}

func newTopicIndex() *topicIndex {
	return &topicIndex{topics: map[string]int32{}, langs: map[string]int32{}}
}

func intern(m map[string]int32, s string) int32 {
	if id, ok := m[s]; ok {
		return id
	}
	id := int32(len(m))
	m[s] = id
	return id
}

func newFeatures(p Party, idx *topicIndex, asOf citylinks.Date, host bool) features {
	c := &p.City
	var f features
	profile := c.Offers
	if host {
		profile = c.Needs
	}
	tl := make([]topicLevel, 0, len(profile))
	for _, t := range profile {
		tl = append(tl, topicLevel{intern(idx.topics, t.Topic), int8(t.Level)})
		if host {
			f.needSum += int(t.Level)
		}
	}
	slices.SortFunc(tl, func(a, b topicLevel) int { return int(a.topic - b.topic) })
	if host {
		f.needs = tl
	} else {
		f.offers = tl
	}
	if c.Location != nil {
		f.hasLoc = true
		f.absLat = math.Abs(c.Location.Lat)
		lat, lon := c.Location.Lat*math.Pi/180, c.Location.Lon*math.Pi/180
		f.sinLat, f.cosLat = math.Sincos(lat)
		f.sinLon, f.cosLon = math.Sincos(lon)
	}
	if c.Elevation != nil {
		f.hasElev, f.elev = true, float64(*c.Elevation)
	}
	f.coastal = -1
	if c.Coastal != nil {
		f.coastal = 0
		if *c.Coastal {
			f.coastal = 1
		}
	}
	if c.Population > 0 {
		f.hasPop, f.logPop = true, math.Log10(float64(c.Population))
	}
	if off, ok := utcOffsetMinutes(c.TimeZone, asOf); ok {
		f.hasTZ, f.utcMinutes = true, off
	} else if c.Location != nil {
		// Solar time, to the nearest half hour.
		f.hasTZ, f.tzEstimated, f.utcMinutes = true, true, int(math.Round(c.Location.Lon/7.5))*30
	}
	for _, l := range c.Languages {
		primary, _, _ := strings.Cut(strings.ToLower(l), "-")
		f.langs = append(f.langs, intern(idx.langs, primary))
	}
	slices.Sort(f.langs)
	f.langs = slices.Compact(f.langs)
	if p.Commitment != nil && !math.IsNaN(*p.Commitment) {
		f.hasCommit, f.commit = true, clamp01(*p.Commitment)
	}
	return f
}

// tzCache maps an IANA name to its *time.Location, or nil when it cannot be
// loaded.
var tzCache sync.Map

// utcOffsetMinutes returns the UTC offset of the named zone at noon UTC on
// asOf (1 January 2015 when asOf is zero).
func utcOffsetMinutes(name string, asOf citylinks.Date) (int, bool) {
	if name == "" || name == "Local" {
		return 0, false
	}
	v, ok := tzCache.Load(name)
	if !ok {
		loc, err := time.LoadLocation(name)
		if err != nil {
			loc = nil
		}
		v, _ = tzCache.LoadOrStore(name, loc)
	}
	loc, _ := v.(*time.Location)
	if loc == nil {
		return 0, false
	}
	if asOf.IsZero() || !asOf.Valid() {
		asOf = citylinks.Date{Year: 2015, Month: time.January, Day: 1}
	}
	_, off := asOf.Time().Add(12 * time.Hour).In(loc).Zone()
	return off / 60, true
}

func clamp01(x float64) float64 { return max(0, min(1, x)) }

// similarities computes the similarity of each criterion for a pair, with
// known[i] false where data is missing. Scoring and explaining share it, so
// a proposal's breakdown always adds up to the score it was chosen on.
func similarities(h, r *features, sim *[numCriteria]float64, known *[numCriteria]bool) {
	cheapSimilarities(h, r, sim, known)
	if known[iDistance] {
		sim[iDistance] = distanceSimilarity(h, r)
	}
}

// cheapSimilarities is similarities without the distance, whose similarity
// it sets to 1 where known: an upper bound that spares the arc cosine for
// pairs that cannot make a host's candidate list.
func cheapSimilarities(h, r *features, sim *[numCriteria]float64, known *[numCriteria]bool) {
	// Topic fit: merge the sorted need and offer lists.
	if h.needSum > 0 {
		known[iTopic] = true
		sim[iTopic] = float64(topicCovered(h, r)) / float64(h.needSum)
	} else {
		known[iTopic] = false
	}
	// Climate and topography.
	n, s := 0, 0.0
	if h.hasLoc && r.hasLoc {
		n, s = n+1, s+clamp01(1-math.Abs(h.absLat-r.absLat)/latitudeScale)
	}
	if h.hasElev && r.hasElev {
		n, s = n+1, s+clamp01(1-math.Abs(h.elev-r.elev)/elevationScale)
	}
	if h.coastal >= 0 && r.coastal >= 0 {
		n++
		if h.coastal == r.coastal {
			s++
		}
	}
	known[iClimate] = n > 0
	if n > 0 {
		sim[iClimate] = s / float64(n)
	}
	known[iPopulation] = h.hasPop && r.hasPop
	if known[iPopulation] {
		sim[iPopulation] = clamp01(1 - math.Abs(h.logPop-r.logPop)/populationDecades)
	}
	switch {
	case h.hasCommit && r.hasCommit:
		known[iCommitment], sim[iCommitment] = true, (h.commit+r.commit)/2
	case h.hasCommit:
		known[iCommitment], sim[iCommitment] = true, h.commit
	case r.hasCommit:
		known[iCommitment], sim[iCommitment] = true, r.commit
	default:
		known[iCommitment] = false
	}
	known[iTimeZone] = h.hasTZ && r.hasTZ
	if known[iTimeZone] {
		sim[iTimeZone] = workdayOverlap(h.utcMinutes, r.utcMinutes) / workdayHours
	}
	known[iLanguage] = len(h.langs) > 0 && len(r.langs) > 0
	if known[iLanguage] {
		sim[iLanguage] = 0
		if sharesAny(h.langs, r.langs) {
			sim[iLanguage] = 1
		}
	}
	known[iDistance] = h.hasLoc && r.hasLoc
	sim[iDistance] = 1
}

func distanceSimilarity(h, r *features) float64 {
	return clamp01(1 - distanceKm(h, r)/halfEarthKm)
}

// topicCovered returns Σ min(offer, need) over the host's needs, merging
// the two sorted lists.
func topicCovered(h, r *features) int {
	covered, j := 0, 0
	for _, n := range h.needs {
		for j < len(r.offers) && r.offers[j].topic < n.topic {
			j++
		}
		if j < len(r.offers) && r.offers[j].topic == n.topic {
			covered += int(min(n.level, r.offers[j].level))
		}
	}
	return covered
}

// combine returns the weighted mean of the known similarities.
func combine(sim *[numCriteria]float64, known *[numCriteria]bool, w *scoreWeights) float64 {
	num, den := 0.0, 0.0
	for i := range numCriteria {
		if known[i] {
			num += w[i] * sim[i]
			den += w[i]
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// workdayOverlap returns how many hours two 9-to-5 working days overlap when
// their UTC offsets are a and b minutes.
func workdayOverlap(a, b int) float64 {
	d := (a - b) % (24 * 60)
	if d < 0 {
		d = -d
	}
	if d > 12*60 {
		d = 24*60 - d
	}
	return max(0, workdayHours-float64(d)/60)
}

func sharesAny(a, b []int32) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			return true
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return false
}

// distanceKm is the great-circle distance by the spherical law of cosines.
func distanceKm(h, r *features) float64 {
	cosDLon := h.cosLon*r.cosLon + h.sinLon*r.sinLon
	c := h.sinLat*r.sinLat + h.cosLat*r.cosLat*cosDLon
	return earthRadiusKm * math.Acos(max(-1, min(1, c)))
}

// explain builds the Breakdown of a pair, with details in words.
func explain(h, r *features, w scoreWeights, host, resource Party) Breakdown {
	var sim [numCriteria]float64
	var known [numCriteria]bool
	similarities(h, r, &sim, &known)
	b := Breakdown{Score: combine(&sim, &known, &w)}
	den := 0.0
	for i := range numCriteria {
		if known[i] {
			den += w[i]
		}
	}
	hc, rc := &host.City, &resource.City
	for i, c := range Criteria() {
		cs := CriterionScore{Criterion: c, Known: known[i], Weight: w[i]}
		if known[i] {
			cs.Similarity = sim[i]
			if den > 0 {
				cs.Points = w[i] * sim[i] / den
			}
		}
		cs.Detail = detail(c, h, r, hc, rc, host, resource)
		b.Criteria = append(b.Criteria, cs)
	}
	return b
}

func detail(c Criterion, h, r *features, hc, rc *citylinks.City, host, resource Party) string {
	switch c {
	case CriterionTopicFit:
		if len(hc.Needs) == 0 {
			return hc.Name + " lists no needs"
		}
		var parts []string
		for _, n := range hc.Needs {
			o := rc.Offer(n.Topic)
			switch {
			case o == 0:
				parts = append(parts, fmt.Sprintf("%s (needed at %s) is not offered", n.Topic, n.Level))
			case o >= n.Level:
				parts = append(parts, fmt.Sprintf("%s needed at %s, offered at %s", n.Topic, n.Level, o))
			default:
				parts = append(parts, fmt.Sprintf("%s needed at %s, offered only at %s", n.Topic, n.Level, o))
			}
		}
		return strings.Join(parts, "; ")
	case CriterionClimate:
		var parts []string
		if h.hasLoc && r.hasLoc {
			parts = append(parts, fmt.Sprintf("latitude %.1f° vs %.1f° from the equator", h.absLat, r.absLat))
		} else {
			parts = append(parts, "latitude unknown")
		}
		if h.hasElev && r.hasElev {
			parts = append(parts, fmt.Sprintf("elevation %.0f m vs %.0f m", h.elev, r.elev))
		} else {
			parts = append(parts, "elevation unknown")
		}
		if h.coastal >= 0 && r.coastal >= 0 {
			parts = append(parts, fmt.Sprintf("coastal: %s vs %s", yesNo(h.coastal == 1), yesNo(r.coastal == 1)))
		} else {
			parts = append(parts, "coast unknown")
		}
		return strings.Join(parts, "; ")
	case CriterionPopulation:
		if !h.hasPop || !r.hasPop {
			return "population unknown"
		}
		ratio := math.Pow(10, math.Abs(h.logPop-r.logPop))
		return fmt.Sprintf("%s vs %s people (%.1f×)", groupDigits(hc.Population), groupDigits(rc.Population), ratio)
	case CriterionCommitment:
		return fmt.Sprintf("host %s, resource %s", commitText(host.Commitment), commitText(resource.Commitment))
	case CriterionTimeZone:
		if !h.hasTZ || !r.hasTZ {
			return "time zone unknown"
		}
		text := fmt.Sprintf("%s vs %s: %.1f h of the working day overlap", tzText(h, hc), tzText(r, rc), workdayOverlap(h.utcMinutes, r.utcMinutes))
		return text
	case CriterionLanguage:
		if len(h.langs) == 0 || len(r.langs) == 0 {
			return "languages unknown"
		}
		if sharesAny(h.langs, r.langs) {
			return fmt.Sprintf("a shared language (%s; %s)", strings.Join(hc.Languages, ", "), strings.Join(rc.Languages, ", "))
		}
		return fmt.Sprintf("no shared language (%s; %s)", strings.Join(hc.Languages, ", "), strings.Join(rc.Languages, ", "))
	case CriterionDistance:
		if !h.hasLoc || !r.hasLoc {
			return "location unknown"
		}
		return fmt.Sprintf("%s km apart", groupDigits(int64(math.Round(distanceKm(h, r)))))
	}
	return ""
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func commitText(c *float64) string {
	if c == nil || math.IsNaN(*c) {
		return "not given"
	}
	return fmt.Sprintf("%.2f", clamp01(*c))
}

func tzText(f *features, c *citylinks.City) string {
	sign, m := "+", f.utcMinutes
	if m < 0 {
		sign, m = "−", -m
	}
	off := fmt.Sprintf("UTC%s%d", sign, m/60)
	if m%60 != 0 {
		off += fmt.Sprintf(":%02d", m%60)
	}
	if f.tzEstimated {
		return off + " (estimated from longitude)"
	}
	return off + " (" + c.TimeZone + ")"
}
