package matching

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// candidates scores every eligible host against every eligible resource
// with capacity left and keeps each host's TopK best pairs. Scores are
// computed from features prepared once per city, and only the kept pairs
// are stored: a full breakdown is built later, for proposals alone.
func (run *run) candidates(ctx context.Context) error {
	r := run.round
	idx := newTopicIndex()
	run.resF = make([]features, len(r.Resources))
	run.openPos = make([]int32, len(r.Resources))
	for i, p := range r.Resources {
		run.openPos[i] = -1
		if !run.resVerdict[i].Eligible {
			continue
		}
		run.resF[i] = newFeatures(p, idx, r.AsOf, false)
		if run.capacity[i] > 0 {
			run.openPos[i] = int32(len(run.open))
			run.open = append(run.open, int32(i))
		}
	}
	run.stats.OpenResources = len(run.open)
	run.hostF = make([]features, len(r.Hosts))
	var todo []int32 // hosts to score
	for i, p := range r.Hosts {
		if !run.hostVerdict[i].Eligible {
			continue
		}
		run.hostF[i] = newFeatures(p, idx, r.AsOf, true)
		if _, must := run.mustOf[i]; !must {
			todo = append(todo, int32(i))
		}
		// A city that is on both sides never partners with itself.
		if res, ok := run.resIdx[p.City.ID]; ok {
			run.forbid[i] = insertSorted(run.forbid[i], int32(res))
		}
	}
	run.cands = make([][]candidate, len(r.Hosts))
	run.misses = make([]hostMisses, len(r.Hosts))

	const chunk = 64
	var (
		next, stop atomic.Int64
		scored     atomic.Int64
		wg         sync.WaitGroup
		doneCh     = make(chan int, 64)
	)
	workers := min(runtime.GOMAXPROCS(0), max(1, len(todo)/chunk))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			heap := make([]candidate, 0, run.m.opts.TopK)
			for stop.Load() == 0 {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(todo) {
					return
				}
				hi := min(lo+chunk, len(todo))
				for _, h := range todo[lo:hi] {
					heap = run.scoreHost(int(h), heap[:0])
				}
				scored.Add(int64(hi-lo) * int64(len(run.open)))
				doneCh <- hi - lo
			}
		}()
	}
	go func() { wg.Wait(); close(doneCh) }()

	total := len(todo)
	step := max(1, total/200)
	done, lastReport := 0, 0
	run.report(StageScoring, 0, total)
	var err error
	for n := range doneCh {
		done += n
		if err == nil {
			if err = canceled(ctx); err != nil {
				stop.Store(1)
			}
		}
		if done-lastReport >= step && err == nil {
			lastReport = done
			run.report(StageScoring, done, total)
		}
	}
	if err != nil {
		return err
	}
	run.report(StageScoring, total, total)
	run.stats.Scored = scored.Load()
	for _, c := range run.cands {
		run.stats.Candidates += len(c)
	}
	return nil
}

func insertSorted(s []int32, x int32) []int32 {
	i, found := slices.BinarySearch(s, x)
	if found {
		return s
	}
	return slices.Insert(s, i, x)
}

// scoreHost scores host h against the open resources and stores its best
// candidates, using heap as scratch space; it returns the scratch space.
func (run *run) scoreHost(h int, heap []candidate) []candidate {
	hf := &run.hostF[h]
	forbid := run.forbid[h]
	minScore := run.m.opts.MinScore
	k := run.m.opts.TopK
	w := &run.m.weights
	ms := hostMisses{bestBelow: -1, bestBelowRes: -1}
	var sim [numCriteria]float64
	var known [numCriteria]bool
	for _, res := range run.open {
		rf := &run.resF[res]
		if hf.needSum > 0 && topicCovered(hf, rf) == 0 {
			ms.noTopic++
			continue
		}
		if len(forbid) > 0 {
			if _, ok := slices.BinarySearch(forbid, res); ok {
				ms.forbidden++
				continue
			}
		}
		cheapSimilarities(hf, rf, &sim, &known)
		if known[iDistance] {
			// With the list full, a pair that cannot beat its worst
			// entry even at distance similarity 1 is not worth the arc
			// cosine. Rounding is monotone, so the bound computed this
			// way is never below the pair's real score.
			if len(heap) == k && combine(&sim, &known, w) <= heap[0].score {
				continue
			}
			sim[iDistance] = distanceSimilarity(hf, rf)
		}
		s := combine(&sim, &known, w)
		if s < minScore {
			ms.below++
			if s > ms.bestBelow {
				ms.bestBelow, ms.bestBelowRes = s, res
			}
			continue
		}
		c := candidate{res: res, score: s}
		if len(heap) < k {
			heap = append(heap, c)
			siftUp(heap, len(heap)-1)
		} else if worse(heap[0], c) {
			heap[0] = c
			siftDown(heap, 0)
		}
	}
	if len(heap) > 0 {
		out := slices.Clone(heap)
		slices.SortFunc(out, func(a, b candidate) int {
			switch {
			case worse(b, a):
				return -1
			case worse(a, b):
				return 1
			}
			return 0
		})
		run.cands[h] = out
	}
	run.misses[h] = ms
	return heap
}

// worse orders candidates: a lower score is worse, and on equal scores the
// later resource in the round is worse, so that results are deterministic.
func worse(a, b candidate) bool {
	return a.score < b.score || (a.score == b.score && a.res > b.res)
}

// siftUp and siftDown keep heap a min-heap under worse: the worst kept
// candidate is at the root.
func siftUp(heap []candidate, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !worse(heap[i], heap[p]) {
			return
		}
		heap[i], heap[p] = heap[p], heap[i]
		i = p
	}
}

func siftDown(heap []candidate, i int) {
	n := len(heap)
	for {
		l, m := 2*i+1, i
		if l < n && worse(heap[l], heap[m]) {
			m = l
		}
		if r := l + 1; r < n && worse(heap[r], heap[m]) {
			m = r
		}
		if m == i {
			return
		}
		heap[i], heap[m] = heap[m], heap[i]
		i = m
	}
}
