package citylinks

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/citylinks/citylinks/internal/errtext"
)

// ImportOptions control ImportCities. The zero value (or nil) means
// all-or-nothing, no replacing, batches of DefaultImportBatch and no
// progress reports.
type ImportOptions struct {
	// SkipInvalid stores the good rows and reports the bad ones in
	// ImportResult.Skipped. By default one bad row stores nothing and the
	// import returns an *ImportError listing the bad rows (the first
	// MaxRowErrors, and how many more).
	SkipInvalid bool
	// Replace overwrites cities whose id is already stored. By default an
	// existing id is a bad row that wraps ErrConflict.
	Replace bool
	// BatchSize is how many rows are written at a time. Defaults to
	// DefaultImportBatch.
	BatchSize int
	// Progress, if set, is called after each batch with the number of rows
	// read so far.
	Progress func(rowsRead int)
}

// DefaultImportBatch is the default ImportOptions.BatchSize.
const DefaultImportBatch = 2000

// ImportResult says what an import did.
type ImportResult struct {
	Imported int         // rows stored
	Skipped  []*RowError // the first MaxRowErrors bad rows skipped (SkipInvalid only)
	// MoreSkipped counts the bad rows skipped after those in Skipped.
	MoreSkipped int
}

// CityBatchWriter is what a storage backend gives RunCityImport: a way to
// write one batch of valid cities inside the import's transaction.
type CityBatchWriter interface {
	// WriteCities stores the cities and reports, for each, whether it was
	// stored. A city is not stored when its id already exists and replace is
	// false. Any error aborts the import.
	WriteCities(ctx context.Context, cities []City, replace bool) (stored []bool, err error)
}

// CityBatchWriterFunc adapts a function to CityBatchWriter.
type CityBatchWriterFunc func(ctx context.Context, cities []City, replace bool) ([]bool, error)

// WriteCities calls f.
func (f CityBatchWriterFunc) WriteCities(ctx context.Context, cities []City, replace bool) ([]bool, error) {
	return f(ctx, cities, replace)
}

// RunCityImport drives an import for a storage backend, which wraps it in one
// transaction: it reads src, validates every city, writes the valid ones in
// batches through w, and collects bad rows. Row errors from src should be
// *RowError values carrying the line; cities rejected by the backend as
// duplicates are reported with their id.
//
// It returns a nil error when the backend should commit. In all-or-nothing
// mode it keeps reading after the first bad row (to report them, the first
// MaxRowErrors in full and the rest as a count) but stops writing, and
// returns an *ImportError: the backend must roll back. A
// fatal error from src (one that is not a *RowError), from w or from ctx is
// returned as is, and the backend must roll back.
func RunCityImport(ctx context.Context, src iter.Seq2[City, error], opts *ImportOptions, w CityBatchWriter) (ImportResult, error) {
	var o ImportOptions
	if opts != nil {
		o = *opts
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultImportBatch
	}
	var (
		res   ImportResult
		bad   RowErrors
		batch = make([]City, 0, o.BatchSize)
		read  int
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if bad.Len() == 0 || o.SkipInvalid {
			stored, err := w.WriteCities(ctx, batch, o.Replace)
			if err != nil {
				return err
			}
			for i, ok := range stored {
				if ok {
					res.Imported++
				} else {
					bad.Add(&RowError{Err: fmt.Errorf("city %q: id already exists: %w", errtext.Clip(batch[i].ID), ErrConflict)})
				}
			}
		}
		batch = batch[:0]
		if o.Progress != nil {
			o.Progress(read)
		}
		return nil
	}
	for c, err := range src {
		read++
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) {
				return ImportResult{}, err
			}
			bad.Add(re)
			continue
		}
		if err := c.Validate(); err != nil {
			bad.Add(&RowError{Line: 0, Err: fmt.Errorf("city %q: %w", errtext.Clip(c.ID), err)})
			continue
		}
		batch = append(batch, c)
		if len(batch) == o.BatchSize {
			if err := flush(); err != nil {
				return ImportResult{}, err
			}
		}
	}
	if err := flush(); err != nil {
		return ImportResult{}, err
	}
	if !o.SkipInvalid {
		if err := bad.Err(); err != nil {
			return ImportResult{}, err
		}
	}
	res.Skipped, res.MoreSkipped = bad.Rows(), bad.More()
	return res, nil
}
