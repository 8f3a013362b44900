package matching_test

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching"
)

// truth is a rule's outcome in three-valued (Kleene) logic: a rule that
// lacks data is neither true nor false.
type truth int

const (
	isFalse truth = iota
	isTrue
	isUnknown
)

func truthOf(v matching.Verdict) truth {
	switch {
	case v.Undecided():
		return isUnknown
	case v.Eligible:
		return isTrue
	}
	return isFalse
}

// ruleTree is a random rule with the truth it must have and the missing
// data its unknown leaves carry.
type ruleTree struct {
	rule    matching.Rule
	want    truth
	missing []matching.MissingData
	text    string
}

func leaf(t *rapid.T, n int) ruleTree {
	kind := truth(rapid.IntRange(0, 2).Draw(t, "leaf"))
	reason := fmt.Sprintf("leaf %d", n)
	v := matching.Verdict{Eligible: kind == isTrue, Reasons: []string{reason}}
	var missing []matching.MissingData
	if kind == isUnknown {
		// Few distinct years, so that the same one is often missed twice.
		fy := citylinks.FiscalYear(2027 + rapid.IntRange(0, 2).Draw(t, "fy"))
		missing = []matching.MissingData{{FiscalYear: fy, First: 1989, Last: 2026}}
		v.Missing = missing
	}
	return ruleTree{matching.RuleFunc(func(matching.Subject) matching.Verdict { return v }), kind, missing, reason}
}

func drawTree(t *rapid.T, depth int, n *int) ruleTree {
	*n++
	if depth == 0 || rapid.IntRange(0, 3).Draw(t, "leaf?") == 0 {
		return leaf(t, *n)
	}
	switch rapid.IntRange(0, 2).Draw(t, "op") {
	case 0:
		sub := drawTree(t, depth-1, n)
		w := sub.want
		if w != isUnknown {
			w = 1 - w
		}
		return ruleTree{matching.Not(sub.rule), w, sub.missing, "not(" + sub.text + ")"}
	default:
		all := rapid.Bool().Draw(t, "all")
		k := rapid.IntRange(2, 4).Draw(t, "arity")
		var rules []matching.Rule
		var subs []ruleTree
		for range k {
			s := drawTree(t, depth-1, n)
			subs = append(subs, s)
			rules = append(rules, s.rule)
		}
		// Kleene: All is the minimum with false < unknown < true, Any the
		// maximum.
		rank := map[truth]int{isFalse: 0, isUnknown: 1, isTrue: 2}
		want := subs[0].want
		for _, s := range subs[1:] {
			if all == (rank[s.want] < rank[want]) {
				want = s.want
			}
		}
		var missing []matching.MissingData
		for _, s := range subs {
			missing = append(missing, s.missing...)
		}
		if all {
			return ruleTree{matching.All(rules...), want, missing, fmt.Sprintf("all%d", k)}
		}
		return ruleTree{matching.Any(rules...), want, missing, fmt.Sprintf("any%d", k)}
	}
}

// TestCombinatorsThreeValued checks All, Any and Not against Kleene's
// three-valued logic: an undecided rule decides nothing unless the others
// decide without it, Not keeps it undecided, a decided verdict has nothing
// missing, and an undecided one names only data its rules missed, once each.
func TestCombinatorsThreeValued(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := 0
		tree := drawTree(t, 3, &n)
		v := tree.rule.Check(subjectIn("Nairobi", "KE", 2_750_547))
		if got := truthOf(v); got != tree.want {
			t.Fatalf("%s: truth %d, want %d (%+v)", tree.text, got, tree.want, v)
		}
		if v.Eligible && len(v.Missing) > 0 {
			t.Fatalf("eligible with missing data: %+v", v)
		}
		for i, m := range v.Missing {
			if !slices.Contains(tree.missing, m) {
				t.Fatalf("missing %v that no leaf missed", m)
			}
			if slices.Contains(v.Missing[:i], m) {
				t.Fatalf("missing %v twice", m)
			}
		}
		if tree.want == isUnknown && len(v.Reasons) == 0 {
			t.Fatalf("undecided with no reason")
		}
	})
}
