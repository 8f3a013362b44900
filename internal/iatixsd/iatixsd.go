package iatixsd

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Schema returns the path of the IATI 2.03 activity schema.
func Schema() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "2.03", "iati-activities-schema.xsd")
}

// Validate fails t unless file validates against the schema. It skips t
// when xmllint is not installed (apt-get install libxml2-utils).
func Validate(t testing.TB, file string) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("skipping XSD validation: xmllint not installed (apt-get install libxml2-utils)")
	}
	out, err := exec.Command("xmllint", "--nonet", "--noout", "--schema", Schema(), file).CombinedOutput()
	if err != nil {
		t.Fatalf("%s does not validate against the IATI 2.03 schema: %v\n%s", file, err, out)
	}
}
