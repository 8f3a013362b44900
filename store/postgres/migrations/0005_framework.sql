-- Results frameworks (package report): a tree of levels for a program or a
-- partnership, with its tier template and the indicators placed at its
-- levels, read whole, so stored as JSON (doc).
CREATE TABLE report_frameworks (
    id  TEXT COLLATE "C" PRIMARY KEY,
    doc TEXT NOT NULL
);
