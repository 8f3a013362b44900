-- Package report: indicators, activities (the partnerships reported on),
-- observations, approvals with their history, contributions. Documents
-- that are read whole are stored as JSON (doc); columns that queries filter
-- or group by are stored beside them.
CREATE TABLE report_indicators (
    code        TEXT PRIMARY KEY,
    aggregation TEXT NOT NULL,
    doc         TEXT NOT NULL
);

CREATE TABLE report_activities (
    id         TEXT PRIMARY KEY,
    program    TEXT NOT NULL,
    focus_area TEXT NOT NULL,
    country    TEXT NOT NULL,
    doc        TEXT NOT NULL
);

CREATE TABLE report_observations (
    id           TEXT PRIMARY KEY,
    partnership  TEXT NOT NULL REFERENCES report_activities (id),
    indicator    TEXT NOT NULL REFERENCES report_indicators (code),
    kind         TEXT NOT NULL,
    period       TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    year         INTEGER NOT NULL,
    value        REAL NOT NULL,
    disagg       TEXT NOT NULL DEFAULT '{}',
    disagg_keys  TEXT NOT NULL DEFAULT '',
    comment      TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    reporter     TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_observations_partnership ON report_observations (partnership, id);

CREATE TABLE report_approvals (
    partnership  TEXT NOT NULL REFERENCES report_activities (id),
    period       TEXT NOT NULL,
    period_start TEXT NOT NULL,
    state        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (partnership, period)
);
CREATE INDEX report_approvals_state ON report_approvals (state, partnership);

CREATE TABLE report_approval_events (
    partnership TEXT NOT NULL,
    period      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    doc         TEXT NOT NULL,
    PRIMARY KEY (partnership, period, seq)
);

CREATE TABLE report_contributions (
    id          TEXT PRIMARY KEY,
    partnership TEXT NOT NULL REFERENCES report_activities (id),
    doc         TEXT NOT NULL
);
CREATE INDEX report_contributions_partnership ON report_contributions (partnership, id);
