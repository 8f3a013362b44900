-- Package report: indicators, activities (the partnerships reported on),
-- observations, approvals with their history, contributions. Documents
-- that are read whole are stored as JSON (doc); columns that queries filter
-- or group by are stored beside them. Observations carry no foreign keys:
-- per-row reference triggers tripled the cost of a COPY (measured: 72k
-- against 232k rows/s), so the store checks that every partnership and
-- indicator of a batch exists inside the write transaction instead, with
-- the partnerships' rows share-locked (nothing deletes activities or
-- indicators).
CREATE TABLE report_indicators (
    code        TEXT COLLATE "C" PRIMARY KEY,
    aggregation TEXT NOT NULL,
    doc         TEXT NOT NULL
);

CREATE TABLE report_activities (
    id         TEXT COLLATE "C" PRIMARY KEY,
    program    TEXT NOT NULL,
    focus_area TEXT NOT NULL,
    country    TEXT NOT NULL,
    doc        TEXT NOT NULL
);

CREATE TABLE report_observations (
    id           TEXT COLLATE "C" PRIMARY KEY,
    partnership  TEXT COLLATE "C" NOT NULL,
    indicator    TEXT COLLATE "C" NOT NULL,
    kind         TEXT NOT NULL,
    period       TEXT COLLATE "C" NOT NULL,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    year         INTEGER NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    disagg       TEXT NOT NULL DEFAULT '{}',
    disagg_keys  TEXT NOT NULL DEFAULT '',
    comment      TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    reporter     TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_observations_partnership ON report_observations (partnership, id);

CREATE TABLE report_approvals (
    partnership  TEXT COLLATE "C" NOT NULL REFERENCES report_activities (id),
    period       TEXT COLLATE "C" NOT NULL,
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
    partnership TEXT COLLATE "C" NOT NULL,
    period      TEXT COLLATE "C" NOT NULL,
    seq         BIGINT NOT NULL,
    doc         TEXT NOT NULL,
    PRIMARY KEY (partnership, period, seq)
);

CREATE TABLE report_contributions (
    id          TEXT COLLATE "C" PRIMARY KEY,
    partnership TEXT COLLATE "C" NOT NULL REFERENCES report_activities (id),
    doc         TEXT NOT NULL
);
CREATE INDEX report_contributions_partnership ON report_contributions (partnership, id);
