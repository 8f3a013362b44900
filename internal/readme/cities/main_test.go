package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/citylinks/citylinks/internal/readme/readmetest"
)

func TestMain(m *testing.M) { readmetest.Main(m, main) }

// TestREADME runs the snippet: the shipped cities of over a million people
// in the 20 Feed the Future focus countries, in id order.
func TestREADME(t *testing.T) {
	assert.Equal(t, ""+
		"Matola MZ\n"+
		"Maputo MZ\n"+
		"Comilla BD\n"+
		"Rangpur BD\n"+
		"Dhaka BD\n"+
		"Gazipur BD\n"+
		"Chattogram BD\n"+
		"Kathmandu NP\n"+
		"Khulna BD\n"+
		"Mwanza TZ\n"+
		"Dar es Salaam TZ\n"+
		"Phnom Penh KH\n"+
		"Nairobi KE\n"+
		"Mombasa KE\n"+
		"Kakamega KE\n"+
		"Kigali RW\n"+
		"Touba SN\n"+
		"Dakar SN\n"+
		"Monrovia LR\n"+
		"Kumasi GH\n"+
		"Accra GH\n"+
		"Kampala UG\n"+
		"Bamako ML\n"+
		"Addis Ababa ET\n"+
		"Port-au-Prince HT\n"+
		"Lusaka ZM\n"+
		"Lilongwe MW\n"+
		"", readmetest.Check(t))
}
