package storetest

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/store/memory"
)

// The ledger check must catch each kind of damage a crash or a race could
// do. These tests run the workload on a memory store, then show the check
// a store that lies in one way.

// written returns a memory store after setup and a short workload, and the
// ledger of what was reported.
func written(t *testing.T) (Store, *ledger) {
	t.Helper()
	ctx := context.Background()
	s := memory.New()
	l := newLedger()
	require.NoError(t, newWorkload(s, "setup", durShared(2), l).setup(ctx))
	w := newWorkload(s, "w1", durShared(2), l)
	w.reads = true
	w.run(ctx, 2, time.Now().Add(300*time.Millisecond), true)
	require.Empty(t, l.errs)
	require.NotEmpty(t, l.cmds)
	require.NotEmpty(t, l.obs)
	require.NotEmpty(t, l.approvals)
	return s, l
}

// lying is a store that changes what it returns.
type lying struct {
	Store
	load         func([]partnership.Event) []partnership.Event
	list         func([]partnership.Summary) []partnership.Summary
	observations func([]report.Observation) []report.Observation
	approvals    func([]report.Approval) []report.Approval
}

func (s lying) LoadPartnership(ctx context.Context, id string) ([]partnership.Event, error) {
	es, err := s.Store.LoadPartnership(ctx, id)
	if s.load != nil && id == "shared-00" {
		es = s.load(es)
	}
	return es, err
}

func (s lying) ListPartnerships(ctx context.Context, f partnership.Filter) (citylinks.Page[partnership.Summary], error) {
	p, err := s.Store.ListPartnerships(ctx, f)
	if s.list != nil {
		p.Items = s.list(p.Items)
	}
	return p, err
}

func (s lying) ListObservations(ctx context.Context, f report.ObservationFilter) (citylinks.Page[report.Observation], error) {
	p, err := s.Store.ListObservations(ctx, f)
	if s.observations != nil && f.After == "" {
		p.Items = s.observations(p.Items)
	}
	return p, err
}

func (s lying) ListApprovals(ctx context.Context, partnership string) ([]report.Approval, error) {
	as, err := s.Store.ListApprovals(ctx, partnership)
	if s.approvals != nil {
		as = s.approvals(as)
	}
	return as, err
}

func TestLedgerCheck(t *testing.T) {
	t.Run("Sound", func(t *testing.T) {
		s, l := written(t)
		f, errs := l.check(t.Context(), s, 0)
		assert.Empty(t, errs)
		assert.Empty(t, f.unreported)
		assert.Positive(t, f.events)
		assert.Positive(t, f.observations)
		assert.Positive(t, f.approvals)
	})

	t.Run("Unreported", func(t *testing.T) {
		// A command committed but never reported: allowed only as the
		// one in flight.
		s, l := written(t)
		w := newWorkload(s, "w2", durShared(2), io.Discard)
		k := w.worker(0)
		k.next()
		require.NoError(t, k.sharedStep(t.Context()))
		_, errs := l.check(t.Context(), s, 0)
		require.Len(t, errs, 1)
		assert.Contains(t, errs[0].Error(), "no writer reported")
		l.known = map[string]bool{}
		f, errs := l.check(t.Context(), s, 1)
		assert.Empty(t, errs)
		assert.Equal(t, []string{"w2.0.000001"}, f.unreported)
	})

	cases := map[string]struct {
		lie  lying
		want string
	}{
		"lost event": {lying{load: func(es []partnership.Event) []partnership.Event { return es[:len(es)-1] }},
			"differs from the fold"},
		"version gap": {lying{load: func(es []partnership.Event) []partnership.Event {
			return append(es[:len(es)-2:len(es)-2], es[len(es)-1])
		}}, "has version"},
		"command stored twice": {lying{load: func(es []partnership.Event) []partnership.Event {
			es[len(es)-1].Actor.ID = es[1].Actor.ID
			return es
		}}, "is stored twice"},
		"stale projection": {lying{list: func(ss []partnership.Summary) []partnership.Summary {
			ss[0].Version--
			return ss
		}}, "differs from the fold"},
		"missing projection": {lying{list: func(ss []partnership.Summary) []partnership.Summary {
			return ss[1:]
		}}, "not listed"},
		"partial batch": {lying{observations: func(os []report.Observation) []report.Observation { return os[1:] }},
			"partly stored"},
		"torn observation": {lying{observations: func(os []report.Observation) []report.Observation {
			os[0].Value += 1000
			return os
		}}, "torn"},
		"approval ahead of its history": {lying{approvals: func(as []report.Approval) []report.Approval {
			if len(as) > 0 {
				as[0].Version++
			}
			return as
		}}, "events lead to"},
	}
	for name, c := range cases {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			s, l := written(t)
			c.lie.Store = s
			_, errs := l.check(t.Context(), c.lie, 0)
			require.NotEmpty(t, errs)
			var msgs []string
			for _, err := range errs {
				msgs = append(msgs, err.Error())
			}
			assert.Contains(t, strings.Join(msgs, "\n"), c.want)
		})
	}
}

func TestParseBatchID(t *testing.T) {
	op, i, n, ok := parseBatchID("t003.0.000012-00007-of-00040")
	assert.True(t, ok)
	assert.Equal(t, "t003.0.000012", op)
	assert.Equal(t, 7, i)
	assert.Equal(t, 40, n)
	for _, bad := range []string{"", "x", "a-1-of-", "a-x-of-3", "a-3-of-3", "a-of-3"} {
		_, _, _, ok := parseBatchID(bad)
		assert.False(t, ok, bad)
	}
}
