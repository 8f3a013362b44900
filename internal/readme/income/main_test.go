package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/citylinks/citylinks/internal/readme/readmetest"
)

func TestMain(m *testing.M) { readmetest.Main(m, main) }

func TestREADME(t *testing.T) {
	assert.Equal(t, "false [no World Bank income classification for FY27 (the income table ends at FY26)]\n"+
		"true the World Bank classified Kenya as lower-middle income in FY27\n", readmetest.Check(t))
}
