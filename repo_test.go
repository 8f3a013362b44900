package citylinks_test

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestRepositoryHoldsNoBuildOutput: no file git tracks is a compiled
// program (ELF, Mach-O or PE) or larger than 8 MiB, so that a binary left
// by go build (once a 27 MB office, before it a 25 MB quickstart) cannot
// land again. It runs in a git checkout and skips elsewhere.
func TestRepositoryHoldsNoBuildOutput(t *testing.T) {
	out, err := exec.Command("git", "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("not a git checkout (%v)", err)
	}
	magic := [][]byte{{0x7f, 'E', 'L', 'F'}, {0xcf, 0xfa, 0xed, 0xfe}, {0xfe, 0xed, 0xfa, 0xcf}, {'M', 'Z'}}
	const maxSize = 8 << 20
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if name == "" {
			continue
		}
		fi, err := os.Stat(name)
		if err != nil {
			continue // deleted in the working tree
		}
		if fi.Size() > maxSize {
			t.Errorf("%s is %d MB: the repository holds source and the shipped data, not build output", name, fi.Size()>>20)
		}
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 4)
		n, _ := f.Read(head)
		f.Close()
		for _, m := range magic {
			if n >= len(m) && bytes.Equal(head[:len(m)], m) {
				t.Errorf("%s is a compiled program; remove it (git rm --cached) and let .gitignore keep it out", name)
			}
		}
	}
}
