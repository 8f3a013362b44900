package partnership_test

import (
	"testing"
	"time"

	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

// BenchmarkFold folds a 10,000-event stream already in memory.
func BenchmarkFold(b *testing.B) {
	events := pt.Stream("p", 10_000, time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC))
	b.ReportAllocs()
	for b.Loop() {
		p, err := partnership.Fold(events)
		if err != nil || p.Version != 10_000 {
			b.Fatal(p.Version, err)
		}
	}
}

// BenchmarkDecodeFold decodes a 10,000-event stream from its JSON with one
// Decoder, as a store loads it, and folds it.
func BenchmarkDecodeFold(b *testing.B) {
	events := pt.Stream("p", 10_000, time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC))
	enc := make([][]byte, len(events))
	size := 0
	for i, e := range events {
		var err error
		if enc[i], err = partnership.EncodeEvent(e); err != nil {
			b.Fatal(err)
		}
		size += len(enc[i])
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		out := make([]partnership.Event, len(enc))
		var dec partnership.Decoder
		for i, raw := range enc {
			e, err := dec.Decode(raw)
			if err != nil {
				b.Fatal(err)
			}
			out[i] = e
		}
		if _, err := partnership.Fold(out); err != nil {
			b.Fatal(err)
		}
	}
}
