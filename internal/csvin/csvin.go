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
// input, and caps the bytes of one record. It finds the end of each line
// before serving any of it, so that encoding/csv never sees (nor grows its
// buffers for) a line over the cap: such a line is held here at most once,
// in a buffer of the cap's size.
type lineReader struct {
	src    io.Reader
	srcErr error  // the error src returned; kept for every later Read
	buf    []byte // input read from src and not yet served is buf[r:w]
	r, w   int
	ends   int // line endings: undecided, lfEndings or crEndings
	max    int

	line int // lines served whole

	// The line being served.
	left   int  // its bytes not yet served; 0 between lines
	loneCR bool // it ends in a lone CR, served as LF
	blank  bool // it is only a line break

	// The record being read, since startRecord.
	recStart int // its first line (blank lines before it are skipped)
	recBytes int // its bytes, line breaks included
	recLines int // its lines served whole

	suffix  []byte        // bytes to serve before any more of the input
	skipped *LongRowError // the record was too long and was left out
	fatal   *LongRowError // the record was too long, and the input ends
}

// placeholder is what encoding/csv is given for a row that is too long
// and left out: a one-field record that Reader.Read drops.
var placeholder = []byte("-\n")

func (lr *lineReader) startRecord() {
	lr.recStart = lr.line + 1
	lr.recBytes, lr.recLines = 0, 0
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

// lineBreak finds the first line break in p, and returns where it ends (-1
// if p has none) and whether it is a lone CR that ends lines. more means
// that p ends in a CR and the byte after it (none if eof) is needed to
// tell a lone CR from CRLF. The first line break of the input settles the
// line endings.
func (lr *lineReader) lineBreak(p []byte, eof bool) (end int, loneCR, more bool) {
	var i int
	if lr.ends == lfEndings {
		i = bytes.IndexByte(p, '\n')
	} else {
		i = bytes.IndexAny(p, "\r\n")
	}
	switch {
	case i < 0:
		return -1, false, false
	case p[i] == '\n':
	case i+1 < len(p) && p[i+1] == '\n':
		i++ // CRLF
	case i+1 == len(p) && !eof:
		return -1, false, true
	default: // a lone CR
		if lr.ends == undecided {
			lr.ends = crEndings
		}
		if lr.ends == crEndings {
			return i + 1, true, false
		}
		return -1, false, false // not reached: in LF files CRs are not looked for
	}
	if lr.ends == undecided {
		lr.ends = lfEndings
	}
	return i + 1, false, false
}

// lineEnd returns the length of the line at the start of the pending
// input, its line break included, reading more input (into a buffer grown
// to the cap if need be) until it finds the break or the end of the input.
// ok is false if the line is longer than limit.
func (lr *lineReader) lineEnd(limit int) (n int, loneCR, ok bool) {
	from := 0 // the pending bytes before it hold no line break
	for {
		p := lr.buf[lr.r:lr.w]
		eof := lr.srcErr != nil
		end, loneCR, more := lr.lineBreak(p[from:], eof)
		switch {
		case end >= 0:
			return from + end, loneCR, from+end <= limit
		case len(p) > limit:
			return 0, false, false
		case eof:
			return len(p), false, true // the last line, with no line break
		case more:
			from = len(p) - 1
		default:
			from = len(p)
		}
		if lr.w-lr.r == len(lr.buf) {
			buf := make([]byte, lr.max+2) // the longest line and a byte to tell CR from CRLF
			lr.w, lr.r, lr.buf = copy(buf, p), 0, buf
		}
		lr.fill()
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
	if lr.left == 0 { // a new line
		if lr.r == lr.w && !lr.fill() {
			return 0, lr.srcErr
		}
		n, loneCR, ok := lr.lineEnd(lr.max - lr.recBytes)
		if !ok {
			return lr.tooLong(p)
		}
		line := lr.buf[lr.r : lr.r+n]
		lr.left, lr.loneCR = n, loneCR
		lr.blank = loneCR && n == 1 || string(line) == "\n" || string(line) == "\r\n"
		if !lr.blank || lr.recLines > 0 {
			lr.recBytes += n
		}
	}
	n := copy(p, lr.buf[lr.r:lr.r+lr.left])
	lr.r += n
	lr.left -= n
	if lr.left == 0 {
		if lr.loneCR {
			p[n-1] = '\n'
		}
		lr.line++
		if lr.blank && lr.recLines == 0 {
			lr.recStart = lr.line + 1 // encoding/csv skips blank lines between records
		} else {
			lr.recLines++
		}
	}
	return n, nil
}

// tooLong drops a line that would take the record past the cap, and either
// gives encoding/csv a placeholder for the record (when the line is the
// record's first, with paired quotes, so that the record ends with it: the
// Reader reports it and goes on), or ends the input.
func (lr *lineReader) tooLong(p []byte) (int, error) {
	quotes := 0
	for lr.r < lr.w || lr.fill() {
		p := lr.buf[lr.r:lr.w]
		end, loneCR, more := lr.lineBreak(p, lr.srcErr != nil)
		if more {
			end = len(p) - 1 // drop up to the CR; tell what it is once more is read
			if end == 0 {
				lr.fill()
				continue
			}
		}
		if end < 0 {
			end = len(p)
		}
		quotes += bytes.Count(p[:end], []byte{'"'})
		lr.r += end
		if !more && (loneCR || p[end-1] == '\n') {
			break
		}
	}
	lr.line++
	if lr.recLines > 0 || quotes%2 != 0 {
		lr.fatal = &LongRowError{Line: lr.recStart, Max: lr.max, Stopped: true}
		return 0, lr.fatal
	}
	lr.skipped = &LongRowError{Line: lr.recStart, Max: lr.max}
	lr.suffix = placeholder
	return lr.Read(p)
}
