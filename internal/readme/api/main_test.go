package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/citylinks/citylinks/internal/readme/readmetest"
)

func TestMain(m *testing.M) { readmetest.Main(m, main) }

// TestREADME runs the snippet: a proposal, a command at its version, and a
// command at a stale version refused with 412.
func TestREADME(t *testing.T) {
	assert.Equal(t, ""+
		"201 Created \"1\"\n"+
		"200 OK \"2\"\n"+
		"412 Precondition Failed urn:citylinks:problem:precondition-failed current version 2\n"+
		"", readmetest.Check(t))
}
