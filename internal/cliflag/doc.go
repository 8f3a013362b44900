// Package cliflag holds the command-line flags the example programs share,
// so that one concept has one flag name in all of them: [AsOf] defines
// -as-of (with -asof, the older spelling, as a hidden alias), and
// [PrintDefaults] prints a flag set's help without its hidden aliases.
package cliflag
