package iatixsd_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/citylinks/citylinks/internal/iatixsd"
)

// TestValidateRefusesBadFile: a file out of the schema's order fails,
// one in order passes, so a test that calls Validate can fail.
func TestValidateRefusesBadFile(t *testing.T) {
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not installed")
	}
	good := filepath.Join("..", "..", "report", "render", "testdata", "iati.xml")
	iatixsd.Validate(t, good)
	bad := filepath.Join(t.TempDir(), "bad.xml")
	if err := os.WriteFile(bad, []byte(`<iati-activities version="2.03"><iati-activity><title/></iati-activity></iati-activities>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("xmllint", "--nonet", "--noout", "--schema", iatixsd.Schema(), bad).CombinedOutput(); err == nil {
		t.Fatalf("an activity without an identifier validated: %s", out)
	}
}
