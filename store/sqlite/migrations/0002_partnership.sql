-- Partnerships: the event streams (the record) and a projection of each
-- partnership's summary for List, written in the same transaction as the
-- events. The primary key (partnership_id, version) is what makes a second
-- writer with the same expected version fail, whatever the isolation.
CREATE TABLE partnerships (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    program        TEXT NOT NULL,
    focus_area     TEXT NOT NULL,
    host_country   TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL,
    suspended_from TEXT NOT NULL DEFAULT '',
    start_date     TEXT NOT NULL DEFAULT '',
    end_date       TEXT NOT NULL DEFAULT '',
    parties        TEXT NOT NULL,
    version        INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX partnerships_state_id ON partnerships (state, id);
CREATE INDEX partnerships_program_id ON partnerships (program, id);
CREATE INDEX partnerships_host_country_id ON partnerships (host_country, id);

CREATE TABLE partnership_events (
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    version        INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    on_date        TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    actor          TEXT NOT NULL,
    data           TEXT NOT NULL,
    PRIMARY KEY (partnership_id, version)
) WITHOUT ROWID;

-- The organizations of each partnership's parties, members of composite
-- parties included, for List's organization filter.
CREATE TABLE partnership_orgs (
    org_id         TEXT NOT NULL,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    PRIMARY KEY (org_id, partnership_id)
) WITHOUT ROWID;
