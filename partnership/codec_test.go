package partnership_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

// fixtureLines reads testdata/events_v1.jsonl: events written by schema
// version 1, committed once and never regenerated, so that every later
// version of the package must still load them.
func fixtureLines(tb testing.TB) [][]byte {
	tb.Helper()
	f, err := os.Open("testdata/events_v1.jsonl")
	require.NoError(tb, err)
	defer f.Close()
	var lines [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, bytes.Clone(sc.Bytes()))
	}
	require.NoError(tb, sc.Err())
	return lines
}

func TestDecodeSchemaV1(t *testing.T) {
	streams := map[string][]partnership.Event{}
	kinds := map[partnership.EventKind]bool{}
	for i, line := range fixtureLines(t) {
		e, err := partnership.DecodeEvent(line)
		require.NoError(t, err, "line %d", i+1)
		streams[e.Partnership] = append(streams[e.Partnership], e)
		kinds[e.Kind()] = true
		if partnership.SchemaVersion == 1 {
			b, err := partnership.EncodeEvent(e)
			require.NoError(t, err)
			assert.Equal(t, string(line), string(b), "line %d re-encodes byte for byte", i+1)
		}
	}
	assert.Len(t, kinds, len(partnership.EventKinds()), "the fixture has every event kind")

	p, err := partnership.Fold(streams["CL11-SHI-BOU"])
	require.NoError(t, err)
	assert.Equal(t, partnership.StateCompleted, p.State)
	assert.Equal(t, "Shimla–Boulder climate adaptation partnership", p.Title)
	assert.Equal(t, "IN", p.HostCountry())
	assert.Equal(t, []partnership.Ratification{{Party: pt.Boulder, Body: "Boulder City Council", On: pt.D(2015, 4, 7)}}, p.Ratifications)
	require.NotNil(t, p.Agreement)
	assert.Equal(t, pt.D(2015, 4, 20), p.Agreement.On)
	assert.Len(t, p.Agreement.Signatories, 2)
	require.NotNil(t, p.WorkPlan)
	assert.Equal(t, "O1", p.WorkPlan.Objectives[0].Code, "the agreed plan is the draft")
	assert.Equal(t, pt.D(2015, 5, 1), p.Start)
	assert.Equal(t, pt.D(2016, 6, 30), p.End)
	assert.Equal(t, []partnership.Extension{{On: pt.D(2015, 12, 1), From: pt.D(2016, 3, 31), To: pt.D(2016, 6, 30), Reason: "final exchange moved to March 2016"}}, p.Extensions)
	require.Len(t, p.Exchanges, 1)
	assert.Equal(t, partnership.ToHost, p.Exchanges[0].Direction)
	assert.Equal(t, "Water resources engineer", p.Exchanges[0].Participants[0].Title)
	require.Len(t, p.Contributions, 1)
	assert.Equal(t, int64(2400), p.Contributions[0].Minutes)
	assert.Equal(t, "1500.00 USD", p.Contributions[0].InKind.String())
	assert.Equal(t, `pro-bono staff time, "quoted" <b>`, p.Contributions[0].Description)
	assert.Equal(t, pt.D(2016, 6, 1), p.ClosedOn)
	assert.Equal(t, "funder-usaid-india@example.org", streams["CL11-SHI-BOU"][2].Actor.ID)

	d, err := partnership.Fold(streams["declined"])
	require.NoError(t, err)
	assert.Equal(t, partnership.StateDeclined, d.State)
	assert.Equal(t, []string{pt.SouthFlorida, pt.FortLauderdale, pt.Broward}, d.Parties[1].OrganizationIDs())
	x, err := partnership.Fold(streams["terminated"])
	require.NoError(t, err)
	assert.Equal(t, partnership.StateTerminated, x.State)
	assert.Equal(t, "funding ended", x.Reason)
}

func TestDecodeErrors(t *testing.T) {
	good := string(fixtureLines(t)[0])
	edit := func(old, new string) string {
		require.Contains(t, good, old)
		return strings.Replace(good, old, new, 1)
	}
	cases := []struct {
		name, in, path, problem string
	}{
		{"not JSON", `{"schema":`, "$", "cannot parse"},
		{"not an object", `[1]`, "$", "must be an object, not an array"},
		{"no schema", edit(`"schema":1,`, ``), "$.schema", "is required"},
		{"newer schema", edit(`"schema":1`, `"schema":2`), "$.schema", "newer than this package reads"},
		{"schema as string", edit(`"schema":1`, `"schema":"1"`), "$.schema", "must be an integer, not a string"},
		{"unknown kind", edit(`"kind":"proposed"`, `"kind":"approved"`), "$.kind", "not an event kind"},
		{"unknown field", edit(`"schema":1,`, `"schema":1,"extra":true,`), "$.extra", "unknown field"},
		{"duplicate key", edit(`"schema":1,`, `"schema":1,"schema":1,`), "$.schema", "appears twice"},
		{"case matters", edit(`"title"`, `"Title"`), "$.data.Title", "unknown field"},
		{"bad date", edit(`"on":"2015-03-23"`, `"on":"2015-02-30"`), "$.on", "not a date"},
		{"bad instant", edit(`"at":"2016-06-30T12:00:00.000001Z"`, `"at":"yesterday"`), "$.at", "not an RFC 3339 instant"},
		{"bad role", edit(`"role":"host"`, `"role":"guest"`), "$.data.parties[0].role", "not a party role"},
		{"bad country", edit(`"country":"IN"`, `"country":"XX"`), "$.data.parties[0].country", "not a known ISO"},
		{"null", edit(`"notes":"CAPP 2015 round 1"`, `"notes":null`), "$.data.notes", "must be a string, not null"},
		{"no host", edit(`"role":"host"`, `"role":"supporting"`), "$.data.parties", "at least one host"},
		{"bad actor role", edit(`"roles":["facilitator"]`, `"roles":["boss"]`), "$.actor.roles", "not a role"},
		{"version zero", edit(`"version":1`, `"version":0`), "$.version", "not a version"},
		{"huge version", edit(`"version":1`, `"version":1e99`), "$.version", "not an integer in range"},
		{"bad UTF-8", edit(`"title":"Shimla`, "\"title\":\"\xffShimla"), "$", "not valid UTF-8"},
		{"NUL", edit(`"title":"Shimla`, `"title":"\u0000Shimla`), "$.data.title", "NUL"},
		{"trailing data", good + "{}", "$", "unexpected tail"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := partnership.DecodeEvent([]byte(c.in))
			var de *partnership.DecodeError
			require.ErrorAs(t, err, &de)
			assert.ErrorIs(t, err, citylinks.ErrInvalid)
			assert.Equal(t, c.path, de.Path)
			assert.Contains(t, de.Problem, c.problem)
		})
	}
}

// checkDecode asserts the decoder's property: what decodes re-encodes, and
// decodes again to the same event and the same bytes; what does not decode
// is a *DecodeError with a JSON path.
func checkDecode(t *testing.T, in []byte) {
	e, err := partnership.DecodeEvent(in)
	if err != nil {
		var de *partnership.DecodeError
		if !errors.As(err, &de) || !strings.HasPrefix(de.Path, "$") || de.Problem == "" {
			t.Fatalf("DecodeEvent(%q) = %v; want a *DecodeError with a path", in, err)
		}
		return
	}
	enc, err := partnership.EncodeEvent(e)
	if err != nil {
		t.Fatalf("EncodeEvent(DecodeEvent(%q)) = %v", in, err)
	}
	e2, err := partnership.DecodeEvent(enc)
	if err != nil {
		t.Fatalf("DecodeEvent(%s) = %v; the encoder wrote what the decoder refuses", enc, err)
	}
	if d := cmp.Diff(e, e2); d != "" {
		t.Fatalf("round trip of %q changed the event (-first +second):\n%s", in, d)
	}
	enc2, err := partnership.EncodeEvent(e2)
	if err != nil || !bytes.Equal(enc, enc2) {
		t.Fatalf("encoding is not stable: %s vs %s (%v)", enc, enc2, err)
	}
}

func FuzzDecodeEvent(f *testing.F) {
	for _, line := range fixtureLines(f) {
		f.Add(line)
	}
	f.Fuzz(checkDecode)
}

// TestStreamRoundTrip encodes and decodes a long generated stream.
func TestStreamRoundTrip(t *testing.T) {
	for _, e := range pt.Stream("s", 50, pt.D(2016, 1, 1).Time()) {
		b, err := partnership.EncodeEvent(e)
		require.NoError(t, err)
		got, err := partnership.DecodeEvent(b)
		require.NoError(t, err)
		assert.Empty(t, cmp.Diff(e, got))
		checkDecode(t, b)
	}
}

func TestEncodeRefusesInvalid(t *testing.T) {
	e := pt.Stream("s", 1, pt.D(2016, 1, 1).Time())[0]
	e.Data.(*partnership.Proposed).Parties = nil
	_, err := partnership.EncodeEvent(e)
	var ve *citylinks.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "data.parties", ve.Field)
}
