package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/citylinks/citylinks/internal/readme/readmetest"
)

func TestMain(m *testing.M) { readmetest.Main(m, main) }

// TestREADME runs the snippet: Cusco is paired with Fort Collins,
// Valparaíso is ineligible, closing a proposed partnership is refused, the
// partnership becomes active with its work plan, and the approved quarter
// is in the report.
func TestREADME(t *testing.T) {
	assert.Equal(t, "Cusco – Fort Collins: score 0.936\n"+
		"Valparaíso ineligible [the World Bank classified Chile as high income in FY15 (the rule asks for low income, lower-middle income or upper-middle income)]\n"+
		"true partnership: cannot start closing: the partnership is proposed, not active\n"+
		"active\n"+
		"2015-Q2 approved\n", readmetest.Check(t))
}
