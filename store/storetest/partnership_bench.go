package storetest

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

// BenchmarkPartnershipLoadFold loads a 10,000-event stream from a store and
// folds it. "warm" loads through the same store each time (a SQL store then
// reads only events it has not read before); "cold", run when reopen is not
// nil, loads through a new store over the same database each time, so every
// event is read and decoded.
func BenchmarkPartnershipLoadFold(b *testing.B, newStore BenchFactory, reopen func(Store) Store) {
	s := newStore(b)
	events := pt.Stream("p", 10_000, t0)
	for i := 0; i < len(events); i += 1000 {
		if err := s.AppendPartnership(b.Context(), "p", int64(i), events[i:i+1000]); err != nil {
			b.Fatal(err)
		}
	}
	run := func(b *testing.B, store func() Store) {
		b.ReportAllocs()
		for b.Loop() {
			got, err := store().LoadPartnership(b.Context(), "p")
			if err != nil {
				b.Fatal(err)
			}
			if p, err := partnership.Fold(got); err != nil || p.Version != 10_000 {
				b.Fatal(p.Version, err)
			}
		}
	}
	b.Run("warm", func(b *testing.B) { run(b, func() Store { return s }) })
	if reopen != nil {
		b.Run("cold", func(b *testing.B) { run(b, func() Store { return reopen(s) }) })
	}
}

// BenchmarkPartnershipCommands measures commands per second end to end
// (load, fold, authorize, decide, append) through a Service, with 1 and 8
// writers, each on its own partnerships: every writer cycles over
// partnerships of its own, recording contributions, with enough
// partnerships that a stream grows by at most 16 events during the run (so
// streams hold 4 to 20 events, whatever b.N is).
func BenchmarkPartnershipCommands(b *testing.B, newStore BenchFactory) {
	for _, writers := range []int{1, 8} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s := newStore(b)
			per := max(1, b.N/writers/16+1)
			for w := range writers {
				for k := range per {
					id := fmt.Sprintf("w%d-p%05d", w, k)
					if err := s.AppendPartnership(b.Context(), id, 0, pt.Stream(id, 4, t0)); err != nil {
						b.Fatal(err)
					}
				}
			}
			svc := partnership.NewService(s, &partnership.Options{Now: (&pt.Clock{}).Now})
			coordinator := pt.Actor(pt.Boulder, citylinks.RoleCoordinator)
			var next atomic.Int64
			var failed atomic.Value
			b.ResetTimer()
			var wg sync.WaitGroup
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; ; i++ {
						n := next.Add(1)
						if n > int64(b.N) {
							return
						}
						id := fmt.Sprintf("w%d-p%05d", w, i%per)
						_, err := svc.RecordContribution(b.Context(), coordinator, id, partnership.Contribution{
							ID: fmt.Sprintf("c%d", n), Party: pt.Boulder, Person: "v", Date: pt.D(2015, 7, 1), Minutes: 60})
						if err != nil {
							failed.Store(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			if err, ok := failed.Load().(error); ok {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commands/s")
		})
	}
}

// BenchmarkLongStream measures one command (a recorded contribution, end
// to end through a Service) on a partnership whose stream already holds n
// events, for each n in CITYLINKS_STREAM_SIZES (comma-separated; default
// 1000,10000,100000), after a first command that reads the whole stream.
// A command's cost should grow with n no faster than the stream does, with
// no step at any size.
func BenchmarkLongStream(b *testing.B, newStore BenchFactory) {
	sizes := []int{1000, 10_000, 100_000}
	if env := os.Getenv("CITYLINKS_STREAM_SIZES"); env != "" {
		sizes = nil
		for _, f := range strings.Split(env, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 4 {
				b.Fatalf("CITYLINKS_STREAM_SIZES: %q is not a size of 4 or more", f)
			}
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			s := newStore(b)
			events := pt.Stream("p", n, t0)
			for i := 0; i < n; i += 5000 {
				if err := s.AppendPartnership(b.Context(), "p", int64(i), events[i:min(i+5000, n)]); err != nil {
					b.Fatal(err)
				}
			}
			svc := partnership.NewService(s, &partnership.Options{Now: (&pt.Clock{}).Now})
			coordinator := pt.Actor(pt.Boulder, citylinks.RoleCoordinator)
			k := 0
			command := func() {
				k++
				if _, err := svc.RecordContribution(b.Context(), coordinator, "p", partnership.Contribution{
					ID: fmt.Sprintf("bench-%d", k), Party: pt.Boulder, Person: "v", Date: pt.D(2015, 7, 1), Minutes: 60}); err != nil {
					b.Fatal(err)
				}
			}
			// The first command reads the whole stream; the benchmark
			// measures the ones after it.
			command()
			b.ReportAllocs()
			for b.Loop() {
				command()
			}
		})
	}
}
