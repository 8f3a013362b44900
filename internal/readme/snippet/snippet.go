package snippet

import (
	"context"
	"fmt"
	"io"
	"os"
)

// Main runs a README snippet, run, with a fresh temporary directory that it
// removes afterwards, and exits with status 1 after printing the error to
// stderr if run fails.
func Main(run func(ctx context.Context, dir string) error) {
	if err := Run(context.Background(), os.Stderr, run); err != nil {
		os.Exit(1)
	}
}

// Run runs run with a fresh temporary directory, removed afterwards, and
// writes its error, if any, to w as "error: …".
func Run(ctx context.Context, w io.Writer, run func(ctx context.Context, dir string) error) error {
	dir, err := os.MkdirTemp("", "citylinks-readme-")
	if err == nil {
		err = run(ctx, dir)
		if rmErr := os.RemoveAll(dir); err == nil {
			err = rmErr
		}
	}
	if err != nil {
		fmt.Fprintf(w, "error: %v\n", err)
	}
	return err
}
