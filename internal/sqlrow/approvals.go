package sqlrow

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/reportstore"
	"github.com/citylinks/citylinks/report"
)

// ApprovalSelect selects approvals, in the columns ScanApproval reads.
const ApprovalSelect = `SELECT partnership, period, state, version, updated_at, updated_by, comment FROM report_approvals`

// ScanApproval reads one row of ApprovalSelect.
func ScanApproval(row Scanner) (report.Approval, error) {
	var a report.Approval
	var key, at string
	if err := row.Scan(&a.Partnership, &key, &a.State, &a.Version, &at, &a.UpdatedBy, &a.Comment); err != nil {
		return a, err
	}
	var err error
	if a.Period, err = report.ParsePeriod(key); err != nil {
		return a, err
	}
	a.UpdatedAt, err = time.Parse(time.RFC3339Nano, at)
	return a, err
}

// approvals runs q, a query of ApprovalSelect, and passes each approval
// to each.
func (s Report) approvals(ctx context.Context, op, q string, args []any, each func(report.Approval)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.Conn.Query(ctx, op, q, args, func(sc Scanner) error {
		a, err := ScanApproval(sc)
		if err == nil {
			each(a)
		}
		return err
	})
}

// GetApproval implements report.Store.
func (s Report) GetApproval(ctx context.Context, partnership string, p report.Period) (report.Approval, error) {
	if err := ctx.Err(); err != nil {
		return report.Approval{}, err
	}
	if err := p.Validate(); err != nil {
		return report.Approval{}, err
	}
	d := s.Conn.Dialect()
	var ap report.Approval
	found, err := s.Conn.QueryRow(ctx, "get approval", fmt.Sprintf("%s WHERE partnership = %s AND period = %s", ApprovalSelect, d.Placeholder(1), d.Placeholder(2)),
		[]any{partnership, p.String()}, func(sc Scanner) (err error) {
			ap, err = ScanApproval(sc)
			return err
		})
	if err == nil && !found {
		ap = report.Approval{Partnership: partnership, Period: p, State: report.StateDraft}
	}
	return ap, err
}

// ListApprovals implements report.Store.
func (s Report) ListApprovals(ctx context.Context, partnership string) ([]report.Approval, error) {
	var out []report.Approval
	err := s.approvals(ctx, "list approvals", ApprovalSelect+" WHERE partnership = "+s.Conn.Dialect().Placeholder(1)+" ORDER BY period_start, period",
		[]any{partnership}, func(a report.Approval) { out = append(out, a) })
	return out, err
}

// ListApprovedPeriods implements report.Store.
func (s Report) ListApprovedPeriods(ctx context.Context) (map[string][]report.Period, error) {
	out := map[string][]report.Period{}
	err := s.approvals(ctx, "list approved periods", ApprovalSelect+" WHERE state = 'approved'", nil,
		func(a report.Approval) { out[a.Partnership] = append(out[a.Partnership], a.Period) })
	return out, err
}

// inChunk is how many values (partnerships, contribution ids) one query
// names, well under SQLite's limit on parameters.
const inChunk = 500

// ListFrozenPeriods implements report.Store.
func (s Report) ListFrozenPeriods(ctx context.Context, partnerships []string) (map[string][]report.Approval, error) {
	out := map[string][]report.Approval{}
	for start := 0; start < len(partnerships); start += inChunk {
		a := &args{d: s.Conn.Dialect()}
		in := a.in("partnership", partnerships[start:min(start+inChunk, len(partnerships))])
		err := s.approvals(ctx, "list frozen periods", ApprovalSelect+" WHERE state IN ('submitted', 'approved') AND "+in+" ORDER BY partnership, period",
			a.vals, func(a report.Approval) { out[a.Partnership] = append(out[a.Partnership], a) })
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ApprovalHistory implements report.Store.
func (s Report) ApprovalHistory(ctx context.Context, partnership string, p report.Period) ([]report.ApprovalEvent, error) {
	d := s.Conn.Dialect()
	return ListDocs[report.ApprovalEvent](ctx, s.Conn, "approval history",
		fmt.Sprintf("SELECT doc FROM report_approval_events WHERE partnership = %s AND period = %s ORDER BY seq", d.Placeholder(1), d.Placeholder(2)), partnership, p.String())
}

// ListContributions implements report.Store.
func (s Report) ListContributions(ctx context.Context, partnership string) ([]report.Contribution, error) {
	if partnership == "" {
		return ListDocs[report.Contribution](ctx, s.Conn, "list contributions", `SELECT doc FROM report_contributions ORDER BY id`)
	}
	return ListDocs[report.Contribution](ctx, s.Conn, "list contributions",
		"SELECT doc FROM report_contributions WHERE partnership = "+s.Conn.Dialect().Placeholder(1)+" ORDER BY id", partnership)
}

// Transition applies ev, in a transaction in which the backend has locked
// the partnership against other transitions and observation writes: it
// checks that the stored approval is at version ev.Seq-1 in state ev.From
// (an error wrapping citylinks.ErrConflict otherwise), stores the new
// approval and appends ev to its history.
func (s Report) Transition(ctx context.Context, ev report.ApprovalEvent) (report.Approval, error) {
	if err := ev.Validate(); err != nil {
		return report.Approval{}, err
	}
	cur, err := s.GetApproval(ctx, ev.Partnership, ev.Period)
	if err != nil {
		return report.Approval{}, err
	}
	if cur.Version != ev.Seq-1 || cur.State != ev.From {
		return report.Approval{}, fmt.Errorf("approval %s %s is %s at version %d, not %s at %d: %w",
			ev.Partnership, ev.Period, cur.State, cur.Version, ev.From, ev.Seq-1, citylinks.ErrConflict)
	}
	next := cur.Apply(ev)
	d := s.Conn.Dialect()
	if _, err := s.Conn.Exec(ctx, "transition approval", `INSERT INTO report_approvals (partnership, period, period_start, state, version, updated_at, updated_by, comment, period_end)
		VALUES (`+Placeholders(9, 1, d.Dollar)+`) ON CONFLICT (partnership, period) DO UPDATE SET state = excluded.state, version = excluded.version,
		updated_at = excluded.updated_at, updated_by = excluded.updated_by, comment = excluded.comment`,
		next.Partnership, next.Period.String(), next.Period.Start.String(), string(next.State), next.Version,
		next.UpdatedAt.UTC().Format(time.RFC3339Nano), next.UpdatedBy, next.Comment, next.Period.End.String()); err != nil {
		return report.Approval{}, err
	}
	doc, _ := json.Marshal(ev)
	_, err = s.Conn.Exec(ctx, "transition approval", `INSERT INTO report_approval_events (partnership, period, seq, doc) VALUES (`+Placeholders(4, 1, d.Dollar)+`)`,
		ev.Partnership, ev.Period.String(), ev.Seq, string(doc))
	return next, err
}

// WriteContributions stores cs, in a transaction in which the backend has
// locked their partnerships and checked that each is stored: a stored id
// keeps its partnership and owner (reportstore.CheckContributions).
func (s Report) WriteContributions(ctx context.Context, cs []report.Contribution) error {
	ids := make([]string, 0, len(cs))
	seen := map[string]bool{}
	for _, c := range cs {
		if !seen[c.ID] {
			seen[c.ID] = true
			ids = append(ids, c.ID)
		}
	}
	old := map[string]report.Contribution{}
	d := s.Conn.Dialect()
	for start := 0; start < len(ids); start += inChunk {
		q, a := d.ContributionOwners(ids[start:min(start+inChunk, len(ids))])
		stored, err := ListDocs[report.Contribution](ctx, s.Conn, "record contributions", q, a...)
		if err != nil {
			return err
		}
		for _, c := range stored {
			old[c.ID] = c
		}
	}
	if err := reportstore.CheckContributions(cs, old); err != nil {
		return err
	}
	for _, c := range cs {
		doc, _ := json.Marshal(c)
		if _, err := s.Conn.Exec(ctx, "record contributions", `INSERT INTO report_contributions (id, partnership, doc) VALUES (`+Placeholders(3, 1, d.Dollar)+`)
			ON CONFLICT (id) DO UPDATE SET partnership = excluded.partnership, doc = excluded.doc`, c.ID, c.Partnership, string(doc)); err != nil {
			return err
		}
	}
	return nil
}
