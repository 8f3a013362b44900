// Package snippet is the main function of the programs under
// internal/readme, whose code is shown in README.md (see package
// readmetest): it gives the snippet a fresh directory, runs it and reports
// its error.
package snippet
