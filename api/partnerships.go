package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
	"github.com/citylinks/citylinks/partnership"
)

// The bodies of the partnership commands. Every On is the date the act
// happened (YYYY-MM-DD); it defaults to today.

// ProposeRequest is the body of POST /partnerships.
type ProposeRequest struct {
	ID        string              `json:"id,omitempty"`
	Title     string              `json:"title"`
	Program   string              `json:"program"`
	FocusArea string              `json:"focus_area"`
	Parties   []partnership.Party `json:"parties"`
	Start     citylinks.Date      `json:"start,omitzero"`
	End       citylinks.Date      `json:"end,omitzero"`
	Notes     string              `json:"notes,omitempty"`
	On        citylinks.Date      `json:"on,omitzero"`
}

// RatifyRequest is the body of POST /partnerships/{id}/ratify.
type RatifyRequest struct {
	Party string         `json:"party,omitempty"`
	Body  string         `json:"body"`
	On    citylinks.Date `json:"on,omitzero"`
}

// SignAgreementRequest is the body of POST /partnerships/{id}/sign-agreement.
type SignAgreementRequest struct {
	Agreement   partnership.AgreementKind `json:"agreement,omitempty"`
	Signatories []partnership.Signatory   `json:"signatories"`
	Start       citylinks.Date            `json:"start,omitzero"`
	End         citylinks.Date            `json:"end"`
	On          citylinks.Date            `json:"on,omitzero"`
}

// WorkPlanRequest is the body of POST /partnerships/{id}/draft-work-plan
// and /agree-work-plan. An agreement with an empty plan agrees the latest
// draft.
type WorkPlanRequest struct {
	Plan partnership.WorkPlan `json:"plan"`
	On   citylinks.Date       `json:"on,omitzero"`
}

// ExchangeRequest is the body of POST /partnerships/{id}/exchanges: the
// exchange, recorded or revised by its id.
type ExchangeRequest struct {
	partnership.Exchange
	On citylinks.Date `json:"on,omitzero"`
}

// ContributionRequest is the body of POST /partnerships/{id}/contributions.
type ContributionRequest struct {
	partnership.Contribution
	On citylinks.Date `json:"on,omitzero"`
}

// DateRequest is the body of start-closing, complete and resume.
type DateRequest struct {
	On citylinks.Date `json:"on,omitzero"`
}

// ReasonRequest is the body of suspend, decline and terminate.
type ReasonRequest struct {
	Reason string         `json:"reason,omitempty"`
	On     citylinks.Date `json:"on,omitzero"`
}

// ExtendRequest is the body of POST /partnerships/{id}/extend.
type ExtendRequest struct {
	End    citylinks.Date `json:"end"`
	Reason string         `json:"reason,omitempty"`
	On     citylinks.Date `json:"on,omitzero"`
}

// etag is the entity tag of a partnership version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch reads the If-Match header of a command: the version the client
// read, or partnership.AnyVersion for "*". A missing header is 428; a
// header that names no version of ours can never match, so it is 412.
func (rq *request) ifMatch() (int64, error) {
	v := strings.TrimSpace(rq.Header.Get("If-Match"))
	if v == "" {
		return 0, problemError(TypePreconditionRequired, http.StatusPreconditionRequired,
			"a command needs If-Match with the partnership's ETag, from GET of the partnership")
	}
	if v == "*" {
		return partnership.AnyVersion, nil
	}
	// One entity tag, strong (RFC 9110 §13.1.1: If-Match compares strongly).
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		if n, err := strconv.ParseInt(v[1:len(v)-1], 10, 64); err == nil && n >= 0 {
			return n, nil
		}
	}
	return 0, problemError(TypePreconditionFailed, http.StatusPreconditionFailed,
		fmt.Sprintf("If-Match %q is not a current ETag of the partnership", errtext.Clip(v)))
}

// writePartnership writes a partnership state with its ETag.
func (rq *request) writePartnership(status int, p partnership.Partnership) error {
	rq.w.Header().Set("ETag", etag(p.Version))
	return rq.writeJSON(status, partnershipOut(p))
}

func (h *Handler) listPartnerships(rq *request) error {
	limit, cursor, err := rq.page()
	if err != nil {
		return err
	}
	f := partnership.Filter{Programs: rq.list("program"), FocusAreas: rq.list("focus_area"), HostCountries: rq.list("host_country"),
		Organizations: rq.list("organization"), After: cursor, Limit: limit}
	for _, s := range rq.list("state") {
		f.States = append(f.States, partnership.State(s))
	}
	page, err := h.svc.Partnerships.List(rq.Context(), rq.actor, f)
	if err != nil {
		return err
	}
	out := List[PartnershipSummary]{Items: make([]PartnershipSummary, len(page.Items)), Next: page.Next}
	for i, s := range page.Items {
		out.Items[i] = summaryOut(s)
	}
	return rq.writeJSON(http.StatusOK, out)
}

func (h *Handler) getPartnership(rq *request) error {
	p, err := h.svc.Partnerships.Get(rq.Context(), rq.actor, rq.PathValue("id"))
	if err != nil {
		return err
	}
	if inm := strings.TrimSpace(rq.Header.Get("If-None-Match")); inm == "*" || inm != "" && strings.Contains(inm, etag(p.Version)) {
		rq.w.Header().Set("ETag", etag(p.Version))
		rq.w.WriteHeader(http.StatusNotModified)
		return nil
	}
	return rq.writePartnership(http.StatusOK, p)
}

func (h *Handler) history(rq *request) error {
	limit, cursor, err := rq.page()
	if err != nil {
		return err
	}
	after := int64(0)
	if cursor != "" {
		if after, err = strconv.ParseInt(cursor, 10, 64); err != nil || after < 0 {
			return &citylinks.ValidationError{Field: "cursor", Problem: fmt.Sprintf("%q is not a version", errtext.Clip(cursor))}
		}
	}
	events, err := h.svc.Partnerships.History(rq.Context(), rq.actor, rq.PathValue("id"))
	if err != nil {
		return err
	}
	out := List[Event]{Items: []Event{}}
	for _, e := range events {
		if e.Version <= after {
			continue
		}
		if len(out.Items) == limit {
			out.Next = strconv.FormatInt(e.Version-1, 10)
			break
		}
		b, err := partnership.EncodeEvent(e)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, b)
	}
	return rq.writeJSON(http.StatusOK, out)
}

// asOf serves the state as of the end of a calendar date (?date=), or as
// recorded at an instant (?at=, RFC 3339).
func (h *Handler) asOf(rq *request) error {
	q := rq.URL.Query()
	id := rq.PathValue("id")
	switch d, at := q.Get("date"), q.Get("at"); {
	case d != "" && at != "":
		return &citylinks.ValidationError{Field: "at", Problem: "give date or at, not both"}
	case d != "":
		day, err := rq.date("date")
		if err != nil {
			return err
		}
		p, err := h.svc.Partnerships.AsOf(rq.Context(), rq.actor, id, day)
		if err != nil {
			return err
		}
		return rq.writeJSON(http.StatusOK, partnershipOut(p))
	case at != "":
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return &citylinks.ValidationError{Field: "at", Problem: fmt.Sprintf("%q is not an RFC 3339 instant", errtext.Clip(at))}
		}
		p, err := h.svc.Partnerships.Recorded(rq.Context(), rq.actor, id, t)
		if err != nil {
			return err
		}
		return rq.writeJSON(http.StatusOK, partnershipOut(p))
	}
	return &citylinks.ValidationError{Field: "date", Problem: "is required (or at)"}
}

func (h *Handler) propose(rq *request) error {
	var b ProposeRequest
	if err := rq.decode(&b); err != nil {
		return err
	}
	c := partnership.Propose{ID: b.ID, Title: b.Title, Program: b.Program, FocusArea: b.FocusArea, Parties: b.Parties,
		Start: b.Start, End: b.End, Notes: b.Notes, On: b.On}
	p, err := h.svc.Partnerships.Execute(rq.Context(), rq.actor, b.ID, c)
	if err = h.followUp(rq, err); err != nil {
		return err
	}
	rq.w.Header().Set("Location", "partnerships/"+url.PathEscape(p.ID))
	return rq.writePartnership(http.StatusCreated, p)
}

// command returns the endpoint of one partnership command: it reads the
// body into a B, makes the command and runs it at the If-Match version.
func command[B any](h *Handler, make func(B) partnership.Command) endpoint {
	return func(rq *request) error {
		version, err := rq.ifMatch()
		if err != nil {
			return err
		}
		var b B
		if err := rq.decode(&b); err != nil {
			return err
		}
		p, err := h.svc.Partnerships.ExecuteAt(rq.Context(), rq.actor, rq.PathValue("id"), version, make(b))
		if err = h.followUp(rq, err); err != nil {
			return err
		}
		return rq.writePartnership(http.StatusOK, p)
	}
}

// commands lists the partnership commands after propose, with their
// bodies: the route is POST /partnerships/{id}/ACTION, except for the
// records, which are POST to their collections.
func (h *Handler) commands() []route {
	cmd := func(a partnership.Action, summary string, body any, e endpoint) route {
		return route{method: http.MethodPost, path: "/partnerships/{id}/" + string(a), tag: "partnerships", summary: summary,
			body: body, out: Partnership{}, status: http.StatusOK, etag: true, ifMatch: true, e: e}
	}
	return []route{
		cmd(partnership.ActionRatify, "Record a resource party's governing-body approval", RatifyRequest{},
			command(h, func(b RatifyRequest) partnership.Command { return partnership.Ratify(b) })),
		cmd(partnership.ActionSignAgreement, "Record the signed agreement: the partnership is agreed", SignAgreementRequest{},
			command(h, func(b SignAgreementRequest) partnership.Command { return partnership.SignAgreement(b) })),
		cmd(partnership.ActionDraftWorkPlan, "Record a draft work plan", WorkPlanRequest{},
			command(h, func(b WorkPlanRequest) partnership.Command { return partnership.DraftWorkPlan(b) })),
		cmd(partnership.ActionAgreeWorkPlan, "Record the agreed work plan: an agreed partnership becomes active", WorkPlanRequest{},
			command(h, func(b WorkPlanRequest) partnership.Command { return partnership.AgreeWorkPlan(b) })),
		cmd(partnership.ActionStartClosing, "Start closing an active partnership whose final exchange is done", DateRequest{},
			command(h, func(b DateRequest) partnership.Command { return partnership.StartClosing(b) })),
		cmd(partnership.ActionComplete, "Complete a closing partnership whose final results are approved", DateRequest{},
			command(h, func(b DateRequest) partnership.Command { return partnership.Complete(b) })),
		cmd(partnership.ActionSuspend, "Suspend an open partnership", ReasonRequest{},
			command(h, func(b ReasonRequest) partnership.Command { return partnership.Suspend(b) })),
		cmd(partnership.ActionResume, "Resume a suspended partnership", DateRequest{},
			command(h, func(b DateRequest) partnership.Command { return partnership.Resume(b) })),
		cmd(partnership.ActionExtend, "Move the planned end to a later date", ExtendRequest{},
			command(h, func(b ExtendRequest) partnership.Command { return partnership.Extend(b) })),
		cmd(partnership.ActionDecline, "Decline a proposal", ReasonRequest{},
			command(h, func(b ReasonRequest) partnership.Command { return partnership.Decline(b) })),
		cmd(partnership.ActionTerminate, "End an open partnership early, for a reason", ReasonRequest{},
			command(h, func(b ReasonRequest) partnership.Command { return partnership.Terminate(b) })),
		{method: http.MethodPost, path: "/partnerships/{id}/exchanges", tag: "partnerships", summary: "Record or revise an exchange visit (by its id)",
			body: ExchangeRequest{}, out: Partnership{}, status: http.StatusOK, etag: true, ifMatch: true,
			e: command(h, func(b ExchangeRequest) partnership.Command {
				return partnership.RecordExchange{Exchange: b.Exchange, On: b.On}
			})},
		{method: http.MethodPost, path: "/partnerships/{id}/contributions", tag: "partnerships", summary: "Record or correct volunteer time or in-kind value (by its id)",
			body: ContributionRequest{}, out: Partnership{}, status: http.StatusOK, etag: true, ifMatch: true,
			e: command(h, func(b ContributionRequest) partnership.Command {
				return partnership.RecordContribution{Contribution: b.Contribution, On: b.On}
			})},
	}
}

// records returns the endpoint of a list of a partnership's records (its
// exchanges or contributions), in the order they were first recorded,
// with the partnership's ETag.
func records[T any](h *Handler, of func(Partnership) []T) endpoint {
	return func(rq *request) error {
		limit, cursor, err := rq.page()
		if err != nil {
			return err
		}
		p, err := h.svc.Partnerships.Get(rq.Context(), rq.actor, rq.PathValue("id"))
		if err != nil {
			return err
		}
		out, err := offsetPage(of(partnershipOut(p)), limit, cursor)
		if err != nil {
			return err
		}
		rq.w.Header().Set("ETag", etag(p.Version))
		return rq.writeJSON(http.StatusOK, out)
	}
}

// followUp lets a command through whose events are stored but whose
// follow-up (partnership.Options.AfterAppend, such as the handoff to
// reporting) failed: the command succeeded and retrying it changes
// nothing, so the client gets the new state, and the failure is logged for
// the operator, who repairs it (handoff's Syncer.Sync).
func (h *Handler) followUp(rq *request, err error) error {
	var fe *partnership.FollowUpError
	if errors.As(err, &fe) {
		h.opts.Logger.Error("api: a command was stored but its follow-up failed", "partnership", fe.Partnership, "action", string(fe.Action), "version", fe.Version, "error", fe.Err.Error())
		return nil
	}
	return err
}
