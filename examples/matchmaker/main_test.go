package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCmd runs the command with args and returns its exit status, stdout and
// stderr.
func runCmd(t *testing.T, terminal bool, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, &stdout, &stderr, terminal)
	return code, stdout.String(), stderr.String()
}

var baseArgs = []string{"-hosts", "testdata/hosts.csv", "-partners", "testdata/partners.csv", "-focus", "climate", "-as-of", "2015-03-23"}

func args(extra ...string) []string { return append(append([]string{}, baseArgs...), extra...) }

func TestTable(t *testing.T) {
	code, out, errOut := runCmd(t, false, args()...)
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut, "no progress bar when stderr is not a terminal")
	lines := strings.Split(out, "\n")
	assert.Regexp(t, `^HOST +PARTNER +SCORE +TOPIC +CLIMATE +POP +COMMIT +TZ +LANG +DIST$`, lines[0])
	assert.Regexp(t, `^Shimla \[1256237\] +Boulder \[5574991\] +0\.\d{3} +1\.00 `, lines[1])
	for _, want := range []string{
		"Dar es Salaam [160263]  Durban [1007311]",
		"host     Brisbane [2174003]           ineligible    the World Bank classified Australia as high income in FY15",
		"host     Kabul [1138958]              no-candidate  none of the 8 eligible resources with capacity left is a candidate: 8 offer none of the topics it needs (urban-agriculture)",
		"partner  ICLEI Africa [iclei-africa]  ineligible    ICLEI Africa is an NGO, not a local government",
		"partner  Catawba County [4470778]     no-candidate",
		"6 pairs, total score ",
	} {
		assert.Contains(t, out, want)
	}
}

// jsonOut is the documented -format json shape.
type jsonOut struct {
	Pairs []struct {
		Host, Partner string
		Score         float64
		Breakdown     map[string]struct {
			Similarity *float64
			Weight     float64
			Points     float64
			Detail     string
		}
		Explanation []string
	}
	Unmatched []struct {
		ID, Side, Why string
		Reasons       []string
	}
	TotalScore float64 `json:"total_score"`
}

func TestJSON(t *testing.T) {
	code, out, errOut := runCmd(t, false, args("-format", "json", "-explain")...)
	require.Equal(t, 0, code, errOut)
	var res jsonOut
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	assert.ElementsMatch(t, []string{"pairs", "unmatched", "total_score", "goal"}, keys(raw))
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res.Pairs, 6)
	sum := 0.0
	for _, p := range res.Pairs {
		sum += p.Score
		assert.NotEmpty(t, p.Host)
		assert.NotEmpty(t, p.Partner)
		assert.Len(t, p.Breakdown, 7)
		points := 0.0
		for c, b := range p.Breakdown {
			points += b.Points
			assert.NotEmpty(t, b.Detail, c)
		}
		assert.InDelta(t, p.Score, points, 1e-9, "points add up to the score")
		assert.NotEmpty(t, p.Explanation)
	}
	assert.InDelta(t, sum, res.TotalScore, 1e-9)
	sides := map[string]int{}
	for _, u := range res.Unmatched {
		sides[u.Side]++
		assert.NotEmpty(t, u.Reasons)
	}
	assert.Equal(t, map[string]int{"host": 2, "partner": 4}, sides)
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestCSV(t *testing.T) {
	code, out, errOut := runCmd(t, false, args("-format", "csv")...)
	require.Equal(t, 0, code, errOut)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"host_id", "host_name", "partner_id", "partner_name", "score", "topic-fit", "climate-topography", "population", "commitment", "time-zone", "language", "distance", "status", "reasons"}, rows[0])
	require.Len(t, rows, 1+6+6)
	assert.Equal(t, "proposed", rows[1][12])
	assert.Equal(t, []string{"", "", "iclei-africa", "ICLEI Africa"}, rows[12][:4])
	assert.Equal(t, "unmatched partner: ineligible", rows[12][12])
}

func TestMustAndForbid(t *testing.T) {
	code, out, errOut := runCmd(t, false, args("-must", "3608248=4951257", "-forbid", "1256237=5574991")...)
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `La Ceiba \[3608248\] +Somerville \[4951257\] .*\(must-pair\)`, out)
	assert.NotRegexp(t, `Shimla \[1256237\] +Boulder`, out)

	// A must-pair needs no topic in common: Kabul needs what nobody offers.
	code, out, errOut = runCmd(t, false, args("-must", "1138958=4470778")...)
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `Kabul \[1138958\] +Catawba County \[4470778\] +0\.\d{3} +0\.00 .*\(must-pair\)`, out)
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	badProgram := filepath.Join(dir, "p.json")
	require.NoError(t, os.WriteFile(badProgram, []byte(`{"id": "p", "name": "P", "start": "2015-01-01", "focus_areas": ["climate"], "eligibility": {"every_focus_area": {"host": {"designation": "ftf-2099"}}}}`), 0o644))
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"BadRows", []string{"-hosts", "testdata/bad_hosts.csv", "-partners", "testdata/partners.csv", "-focus", "climate", "-as-of", "2015-03-23"}, 1,
			"testdata/bad_hosts.csv:3: country: \"XX\" is not a country code or name that citylinks knows\n" +
				"testdata/bad_hosts.csv:4: population: \"many\" is not a whole number\n" +
				"testdata/bad_hosts.csv:5: latitude: 95 is outside -90..90\n" +
				"testdata/bad_hosts.csv:6: needs[0].level: \"9\" is not 1, 2, 3, basic, intermediate or advanced\n" +
				"testdata/bad_hosts.csv:7: id: \"1\" is already used on line 2\n" +
				"testdata/bad_hosts.csv:8: row: extraneous or missing \" in quoted-field (a quote that is not closed?)\n"},
		{"MissingFile", args("-hosts", "testdata/nope.csv"), 1, "matchmaker: open testdata/nope.csv: no such file or directory\n"},
		{"NoHosts", []string{"-partners", "x.csv"}, 2, "matchmaker: -hosts and -partners are required\n"},
		{"BadFormat", args("-format", "xml"), 2, "matchmaker: -format \"xml\" is not table, csv or json\n"},
		{"BadTop", args("-top", "0"), 2, "matchmaker: -top 0 is below 1\n"},
		{"BadGoal", args("-goal", "fun"), 2, "matchmaker: -goal \"fun\" is not max-pairs or max-score\n"},
		{"BadGoalOldName", args("-objective", "fun"), 2, "matchmaker: -goal \"fun\" is not max-pairs or max-score\n"},
		{"BadWeights", args("-weights", "beauty=1"), 2, "matchmaker: -weights: \"beauty=1\" is not CRITERION=WEIGHT"},
		{"ZeroWeights", args("-weights", "topic-fit=0,climate-topography=0,population=0,commitment=0,time-zone=0,language=0,distance=0"), 2, "matchmaker: -weights: weights: at least one weight must be above 0\n"},
		{"BadPair", args("-must", "1256237"), 2, "invalid value \"1256237\" for flag -must: \"1256237\" is not HOST=PARTNER"},
		{"UnknownHost", args("-must", "nope=5574991"), 1, "matchmaker: -must nope=5574991: no host has id \"nope\" in testdata/hosts.csv\n"},
		{"UnknownPartner", args("-forbid", "1256237=nope"), 1, "matchmaker: -forbid 1256237=nope: no partner has id \"nope\" in testdata/partners.csv\n"},
		{"IneligibleMust", args("-must", "2174003=5574991"), 1, "matchmaker: -must 2174003=5574991: Brisbane (Australia) is not eligible: the World Bank classified Australia as high income in FY15"},
		{"UnknownProgram", args("-program", "citylinks-1999"), 1, "matchmaker: -program \"citylinks-1999\" is not a built-in program"},
		{"BadProgramFile", args("-program", badProgram), 1, "p.json: $.eligibility.every_focus_area.host.designation: \"ftf-2099\" is not a known designation"},
		{"BadFocus", args("-focus", "tourism"), 1, "matchmaker: -focus \"tourism\" is not a focus area of program citylinks-2011"},
		{"FocusNeeded", []string{"-hosts", "testdata/hosts.csv", "-partners", "testdata/partners.csv"}, 1, "matchmaker: -focus is required: program citylinks-2011 covers climate, food-security, water-sanitation, basic-services\n"},
		{"BadDate", args("-as-of", "2015-02-30"), 1, "matchmaker: -as-of \"2015-02-30\" is not a date of the form YYYY-MM-DD\n"},
		{"Argument", args("extra"), 2, "matchmaker: unexpected argument \"extra\""},
		{"UnknownFlag", args("-colour"), 2, "flag provided but not defined: -colour"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, false, tc.args...)
			assert.Equal(t, tc.code, code, errOut)
			assert.Empty(t, out)
			if strings.HasSuffix(tc.want, "\n") {
				assert.True(t, strings.HasPrefix(errOut, tc.want), "stderr:\n%s\nwant:\n%s", errOut, tc.want)
			} else {
				assert.Contains(t, errOut, tc.want)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	code, out, errOut := runCmd(t, false, "-h")
	assert.Equal(t, 0, code)
	assert.Empty(t, out)
	for _, want := range []string{"Usage: matchmaker -hosts FILE -partners FILE", "-explain", "-format format", "-program id", "citylinks-2011", "-top K", "-as-of date"} {
		assert.Contains(t, errOut, want)
	}
	assert.NotContains(t, errOut, "-asof", "the old spelling works but is not advertised")
}

// TestAsOfOldSpelling: -asof, the flag's name before the examples agreed on
// -as-of, still runs the same round.
func TestAsOfOldSpelling(t *testing.T) {
	args := func(flag string) []string {
		return []string{"-hosts", "testdata/hosts.csv", "-partners", "testdata/partners.csv", "-focus", "climate", flag, "2015-03-23", "-format", "csv"}
	}
	code, want, errOut := runCmd(t, false, args("-as-of")...)
	require.Equal(t, 0, code, errOut)
	code, got, errOut := runCmd(t, false, args("-asof")...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, want, got)
}

func TestProgramFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "capp.json")
	require.NoError(t, os.WriteFile(p, []byte(`{"id": "capp-2015", "name": "CAPP 2015", "start": "2015-01-06", "focus_areas": ["climate"],
	  "eligibility": {"every_focus_area": {"host": {"m49_region": ["Asia"]}}}}`), 0o644))
	code, out, errOut := runCmd(t, false, "-hosts", "testdata/hosts.csv", "-partners", "testdata/partners.csv", "-program", p, "-as-of", "2015-03-23", "-format", "json")
	require.Equal(t, 0, code, errOut)
	var res jsonOut
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	hosts := map[string]bool{}
	for _, p := range res.Pairs {
		hosts[p.Host] = true
	}
	assert.Equal(t, map[string]bool{"1256237": true, "1627896": true, "1153669": true}, hosts, "only the Asian hosts (Shimla, Semarang, Chiang Rai; Kabul needs what nobody offers)")
}

// TestProgressBar runs a round of over a million pairs: with a terminal, a
// progress bar goes to stderr; without one, stderr stays empty.
func TestProgressBar(t *testing.T) {
	if testing.Short() {
		t.Skip("writes two large CSV files")
	}
	dir := t.TempDir()
	var h, p strings.Builder
	h.WriteString("id,name,country,population,latitude,longitude,elevation_m,needs\n")
	p.WriteString("id,name,country,population,latitude,longitude,elevation_m,offers,capacity\n")
	for i := range 1000 {
		fmt.Fprintf(&h, "h%d,Host %d,KE,%d,%.3f,%.3f,%d,stormwater:%d\n", i, i, 20000+i*37, math.Mod(float64(i)*0.37, 60)-30, math.Mod(float64(i)*7.1, 360)-180, i%2000, 1+i%3)
		fmt.Fprintf(&p, "p%d,Partner %d,US,%d,%.3f,%.3f,%d,stormwater:%d,2\n", i, i, 50000+i*91, math.Mod(float64(i)*0.53, 40)+10, math.Mod(float64(i)*3.3, 100)-160, i%1500, 1+i%3)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "h.csv"), []byte(h.String()), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.csv"), []byte(p.String()), 0o644))
	a := []string{"-hosts", filepath.Join(dir, "h.csv"), "-partners", filepath.Join(dir, "p.csv"), "-focus", "climate", "-as-of", "2015-03-23", "-top", "5", "-format", "csv"}
	code, out, errOut := runCmd(t, true, a...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "scoring", "the bar names the stage")
	assert.Contains(t, errOut, "/1000", "the bar shows the count of hosts")
	code, out2, errOut := runCmd(t, false, a...)
	require.Equal(t, 0, code)
	assert.Empty(t, errOut)
	assert.Equal(t, out, out2, "the bar changes nothing on stdout")
}
