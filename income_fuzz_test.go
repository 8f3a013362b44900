package citylinks_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/citylinks/citylinks"
)

// FuzzIncomeReadCSV reads any input as an income table on top of a table
// that holds one cell, and checks the contract: an error wraps ErrInvalid
// and changes nothing; a success leaves a table that WriteCSV and ReadCSV
// carry over exactly.
func FuzzIncomeReadCSV(f *testing.F) {
	for _, s := range []string{
		"iso_alpha3,economy,fy2026,fy2027\nKEN,Kenya,LM,UM\nCHI,Channel Islands,H,..\n",
		"\ufeffiso_alpha3,fy2027\nken,\" L \"\n",
		"iso_alpha3,fy2027\nKEN,L\nKEN,LM\n",
		"iso_alpha3,fy27\nKEN,L\n",
		"iso_alpha3,fy1988\n",
		"iso_alpha3,fy2027\r\nTZA,NC\r\n",
		"iso_alpha3,fy2027\rTZA,NC\r",
		"iso_alpha3,fy2027\nKEN,\"L\n",
		"iso_alpha3,fy2027\nKEN,L,extra\n",
		"iso_alpha3,fy9999,fy1989\nXKX,H,\x00\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var tbl citylinks.IncomeTable
		if err := tbl.Set("KEN", 2026, citylinks.IncomeLowerMiddle); err != nil {
			t.Fatal(err)
		}
		before := writeIncome(t, &tbl)
		if err := tbl.ReadCSV(bytes.NewReader(in)); err != nil {
			if !errors.Is(err, citylinks.ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			if after := writeIncome(t, &tbl); after != before {
				t.Fatalf("a refused file changed the table:\n%s\n→\n%s", before, after)
			}
			return
		}
		for _, fy := range tbl.FiscalYears() {
			if fy < citylinks.FirstIncomeFiscalYear || fy > 9999 {
				t.Fatalf("table holds %d", fy)
			}
		}
		out := writeIncome(t, &tbl)
		var back citylinks.IncomeTable
		if err := back.ReadCSV(bytes.NewReader([]byte(out))); err != nil {
			t.Fatalf("ReadCSV of WriteCSV's output: %v\n%s", err, out)
		}
		if again := writeIncome(t, &back); again != out {
			t.Fatalf("round trip changed the table:\n%s\n→\n%s", out, again)
		}
	})
}

func writeIncome(t *testing.T, tbl *citylinks.IncomeTable) string {
	t.Helper()
	var b bytes.Buffer
	if err := tbl.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
