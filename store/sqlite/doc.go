// Package sqlite is the embedded SQLite storage backend for citylinks, on
// modernc.org/sqlite (pure Go, no cgo). It is the default for the examples:
// one file on disk, nothing to install.
//
// Open a database with Open, which sets WAL journaling, foreign keys, a busy
// timeout and synchronous=FULL on every pooled connection, then wrap it with
// New and run Migrate once:
//
//	db, err := sqlite.Open("citylinks.db")
//	…
//	s := sqlite.New(db)
//	if err := s.Migrate(ctx); err != nil { … }
package sqlite
