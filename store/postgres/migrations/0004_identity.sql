-- Observations and contributions keep the organization that first
-- recorded them (owner): only it, or a facilitator, may revise them.
-- Approvals keep their period's end, so that a roll-up can keep actuals by
-- whether an approved period contains them, and a write can find every
-- submitted or approved period its own period overlaps.
ALTER TABLE report_observations ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE report_approvals ADD COLUMN period_end TEXT NOT NULL DEFAULT '';
UPDATE report_approvals SET period_end = CASE
    WHEN length(period) = 4 THEN period || '-12-31'
    WHEN period LIKE '____-Q_' THEN to_char(period_start::date + interval '3 months' - interval '1 day', 'YYYY-MM-DD')
    WHEN length(period) = 7 THEN to_char(period_start::date + interval '1 month' - interval '1 day', 'YYYY-MM-DD')
    ELSE split_part(period, '/', 2) END;
CREATE INDEX report_approvals_partnership_state ON report_approvals (partnership, state);
CREATE INDEX report_observations_plan ON report_observations (partnership, kind) WHERE kind IN ('baseline', 'target');
