package csvin

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// LongRowError reports a row longer than a Reader's limit. Only the first
// Max bytes of it were held in memory; the rest was read and dropped.
type LongRowError struct {
	Line int // the line the row starts on
	Max  int // the limit, in bytes, line breaks included
	// Stopped means reading cannot go on after the row: it spans several
	// lines (a quoted line break) or its quotes do not pair up, so where it
	// ends cannot be known without holding it. A one-line row with paired
	// quotes is skipped instead, and Read goes on with the next row.
	Stopped bool
}

// Problem describes the row's problem, without its line.
func (e *LongRowError) Problem() string {
	s := fmt.Sprintf("is longer than %d bytes, the most one row may have", e.Max)
	if e.Stopped {
		return s + "; it spans several lines or has a quote that is never closed, so the rows after it cannot be read: close the quote, or split the text"
	}
	return s + ": split the text, or look for a missing line break"
}

// Error implements error.
func (e *LongRowError) Error() string { return fmt.Sprintf("line %d: row %s", e.Line, e.Problem()) }

// Reader reads records from CSV input (RFC 4180, ',' between fields) with a
// cap on the length of one row. Rows may have any number of fields; the
// record slice Read returns is reused by the next Read.
type Reader struct {
	lr    *lineReader
	cr    *csv.Reader
	fatal error
}

// NewReader returns a Reader of r whose rows may be at most limit bytes
// long, line breaks included (a limit under 64 is taken as 64).
func NewReader(r io.Reader, limit int) *Reader {
	lr := &lineReader{src: r, buf: make([]byte, 64<<10), max: max(limit, 64)}
	cr := csv.NewReader(lr)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &Reader{lr: lr, cr: cr}
}

// Read returns the next record, or io.EOF after the last. A bad row is a
// *csv.ParseError (unpaired quotes) or a *LongRowError without Stopped:
// Read can be called again for the next row. Any other error (a
// *LongRowError with Stopped, or an error of the underlying reader) ends the
// input: every later Read returns it again.
func (r *Reader) Read() ([]string, error) {
	if r.fatal != nil {
		return nil, r.fatal
	}
	r.lr.startRecord()
	rec, err := r.cr.Read()
	switch {
	case r.lr.fatal != nil:
		r.fatal = r.lr.fatal
		return nil, r.fatal
	case r.lr.skipped != nil:
		return nil, r.lr.skipped
	case err == nil || err == io.EOF:
		return rec, err
	}
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		r.fatal = err
	}
	return nil, err
}

// Line returns the line on which the last record read starts.
func (r *Reader) Line() int { return r.lr.recStart }

// Header reads the first record as the column names, with a byte-order
// mark before the first one removed. It refuses a name that holds a line
// break, which only a mis-quoted header or mixed line endings give (and
// under which the rows could not be found). Empty input gives io.EOF; the
// errors of other problems name no line, so the caller can say "line 1".
func (r *Reader) Header() ([]string, error) {
	rec, err := r.Read()
	if err != nil {
		var le *LongRowError
		if errors.As(err, &le) {
			return nil, errors.New("the header row " + le.Problem())
		}
		return nil, err
	}
	names := make([]string, len(rec))
	for i, h := range rec {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		if strings.ContainsAny(h, "\r\n") {
			return nil, fmt.Errorf("column name %q holds a line break: quote the header cells correctly and use one kind of line ending (LF, CRLF or CR) in the whole file", cut(h))
		}
		names[i] = h
	}
	return names, nil
}

func cut(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// Line endings.
const (
	undecided = iota
	lfEndings
	crEndings // old Mac files: a lone CR ends a line
)

// lineReader is what encoding/csv reads from: it serves the input at most
// up to the end of one line per Read, so that the csv.Reader's buffer never
// holds bytes past the line it is working on, and the counts kept here are
// exact at every record boundary. It turns lone CRs into LFs in CR-only
// input, and caps the bytes of one record.
type lineReader struct {
	src    io.Reader
	srcErr error  // the error src returned; kept for every later Read
	buf    []byte // input read from src and not yet served is buf[r:w]
	r, w   int
	ends   int // line endings: undecided, lfEndings or crEndings
	max    int

	line int // line breaks served so far

	// The record being read, since startRecord.
	recStart  int  // its first line (blank lines before it are skipped)
	recBytes  int  // its bytes served so far
	recLines  int  // its lines served whole
	quotes    int  // its quote characters served
	lineLen   int  // bytes of the current line served so far
	lineFirst byte // the first byte of the current line
	suffix    []byte
	skipped   *LongRowError // the record was too long and was cut short
	fatal     *LongRowError // the record was too long, and the input ends
	suffixBuf [2]byte
}

func (lr *lineReader) startRecord() {
	lr.recStart = lr.line + 1
	lr.recBytes, lr.recLines, lr.quotes = 0, 0, 0
	lr.skipped = nil
}

// fill reads more input after the pending bytes. It returns false when src
// has nothing more to give.
func (lr *lineReader) fill() bool {
	if lr.srcErr != nil {
		return false
	}
	if lr.r > 0 {
		lr.w = copy(lr.buf, lr.buf[lr.r:lr.w])
		lr.r = 0
	}
	for range 100 {
		n, err := lr.src.Read(lr.buf[lr.w:])
		lr.w += n
		if err != nil {
			lr.srcErr = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	lr.srcErr = io.ErrNoProgress
	return false
}

// piece returns how many pending bytes make up the next piece of the
// current line (up to and including its line break, if pending holds it),
// and whether the piece ends with a lone CR that is a line break. It needs
// one byte after a CR to tell a lone CR from CRLF, and reads it.
func (lr *lineReader) piece() (n int, loneCR bool) {
	for {
		p := lr.buf[lr.r:lr.w]
		var i int
		if lr.ends == lfEndings {
			i = bytes.IndexByte(p, '\n')
		} else {
			i = bytes.IndexAny(p, "\r\n")
		}
		switch {
		case i < 0:
			return len(p), false
		case p[i] == '\n':
			if lr.ends == undecided {
				lr.ends = lfEndings
			}
			return i + 1, false
		case i+1 < len(p):
			if p[i+1] == '\n' {
				if lr.ends == undecided {
					lr.ends = lfEndings
				}
				return i + 2, false
			}
			if lr.ends == undecided {
				lr.ends = crEndings
			}
			return i + 1, lr.ends == crEndings
		case i > 0:
			return i, false // serve up to the CR; decide on it next time
		case !lr.fill():
			// A CR at the very end of the input.
			if lr.ends == undecided {
				lr.ends = crEndings
			}
			return 1, lr.ends == crEndings
		}
	}
}

// Read implements io.Reader for encoding/csv.
func (lr *lineReader) Read(p []byte) (int, error) {
	if lr.fatal != nil {
		return 0, lr.fatal
	}
	if len(lr.suffix) > 0 {
		n := copy(p, lr.suffix)
		lr.suffix = lr.suffix[n:]
		return n, nil
	}
	if lr.r == lr.w && !lr.fill() {
		return 0, lr.srcErr
	}
	n, loneCR := lr.piece()
	if lr.recBytes+n > lr.max {
		return lr.tooLong(p)
	}
	whole := n <= len(p) // the whole piece fits in p
	n = min(n, len(p))
	copy(p, lr.buf[lr.r:lr.r+n])
	lr.r += n
	lr.recBytes += n
	lr.quotes += bytes.Count(p[:n], []byte{'"'})
	if lr.lineLen == 0 {
		lr.lineFirst = p[0]
	}
	lr.lineLen += n
	if whole && (p[n-1] == '\n' || loneCR) {
		if loneCR {
			p[n-1] = '\n'
		}
		lr.endLine()
	}
	return n, nil
}

// endLine counts a line served whole. A blank line before a record's
// first is not part of it (encoding/csv skips it).
func (lr *lineReader) endLine() {
	blank := lr.lineLen == 1 || lr.lineLen == 2 && lr.lineFirst == '\r'
	lr.line++
	if blank && lr.recLines == 0 {
		lr.recStart = lr.line + 1
		lr.recBytes, lr.quotes = 0, 0
	} else {
		lr.recLines++
	}
	lr.lineLen = 0
}

// tooLong serves what of the record fits under the cap, drops the rest of
// its line, and either ends the line there so that encoding/csv ends the
// record (a one-line record with paired quotes: the Reader reports it and
// goes on), or ends the input.
func (lr *lineReader) tooLong(p []byte) (int, error) {
	keep := min(lr.max-lr.recBytes, len(p))
	copy(p, lr.buf[lr.r:lr.r+keep])
	lr.r += keep
	lr.quotes += bytes.Count(p[:keep], []byte{'"'})
	cutQuotes := lr.quotes
	// Drop the rest of the line, counting its quotes.
	for {
		if lr.r == lr.w && !lr.fill() {
			break
		}
		n, loneCR := lr.piece()
		chunk := lr.buf[lr.r : lr.r+n]
		lr.quotes += bytes.Count(chunk, []byte{'"'})
		lr.r += n
		if end := chunk[n-1]; end == '\n' || loneCR {
			break
		}
	}
	lr.line++
	lr.lineLen = 0
	if lr.recLines > 0 || lr.quotes%2 != 0 {
		lr.fatal = &LongRowError{Line: lr.recStart, Max: lr.max, Stopped: true}
		return 0, lr.fatal
	}
	lr.skipped = &LongRowError{Line: lr.recStart, Max: lr.max}
	// Close a quoted field the cut left open, then end the line: with the
	// quotes paired up to the cut, encoding/csv ends the record there.
	lr.suffix = lr.suffixBuf[:0]
	if cutQuotes%2 != 0 {
		lr.suffix = append(lr.suffix, '"')
	}
	lr.suffix = append(lr.suffix, '\n')
	return keep, nil
}
