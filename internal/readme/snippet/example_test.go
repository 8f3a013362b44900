package snippet_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/citylinks/citylinks/internal/readme/snippet"
)

func ExampleRun() {
	var kept string
	err := snippet.Run(context.Background(), os.Stdout, func(ctx context.Context, dir string) error {
		kept = dir
		if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hi"), 0o644); err != nil {
			return err
		}
		return errors.New("the snippet failed")
	})
	_, statErr := os.Stat(kept)
	fmt.Println(err != nil, os.IsNotExist(statErr))
	// Output:
	// error: the snippet failed
	// true true
}
