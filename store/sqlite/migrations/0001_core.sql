-- Core vocabulary: cities, organizations, programs. Cities are stored
-- WITHOUT ROWID, clustered on id: keyset paging reads them in key order and
-- a bulk load updates one b-tree fewer.
CREATE TABLE cities (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    country         TEXT NOT NULL,
    admin_code      TEXT NOT NULL DEFAULT '',
    admin_name      TEXT NOT NULL DEFAULT '',
    population      INTEGER NOT NULL,
    population_year INTEGER NOT NULL DEFAULT 0,
    lat             REAL,
    lon             REAL,
    elevation       INTEGER,
    coastal         INTEGER,
    time_zone       TEXT NOT NULL DEFAULT '',
    languages       TEXT NOT NULL DEFAULT '',
    needs           TEXT NOT NULL DEFAULT '',
    offers          TEXT NOT NULL DEFAULT '',
    capacity        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX cities_country_id ON cities (country, id);

CREATE TABLE organizations (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL,
    country TEXT NOT NULL DEFAULT '',
    city_id TEXT NOT NULL DEFAULT '',
    members TEXT NOT NULL DEFAULT ''
);
CREATE INDEX organizations_kind_id ON organizations (kind, id);
CREATE INDEX organizations_country_id ON organizations (country, id);

CREATE TABLE programs (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    funder      TEXT NOT NULL DEFAULT '',
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    focus_areas TEXT NOT NULL DEFAULT '',
    challenges  TEXT NOT NULL DEFAULT '',
    sources     TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    eligibility TEXT NOT NULL DEFAULT ''
);
