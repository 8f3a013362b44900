package cliflag

import (
	"flag"
)

// AsOfName is the name of the as-of flag in every example program.
const AsOfName = "as-of"

// legacyAsOf is the flag's older spelling, still accepted and not shown.
const legacyAsOf = "asof"

// alias is the flag.Value of a hidden alias: it sets the flag it stands
// for, and PrintDefaults leaves it out.
type alias struct{ flag.Value }

// AsOf defines -as-of on fs as a string flag stored in p, with the given
// usage, and -asof as a hidden alias for it (the name two of the examples
// used before the programs agreed on one), so that scripts written for
// either keep working.
func AsOf(fs *flag.FlagSet, p *string, usage string) {
	fs.StringVar(p, AsOfName, "", usage)
	Alias(fs, legacyAsOf, AsOfName)
}

// Alias defines name on fs as a hidden alias of the flag target, which must
// already be defined: setting either sets the same value.
func Alias(fs *flag.FlagSet, name, target string) {
	f := fs.Lookup(target)
	if f == nil {
		panic("cliflag: alias " + name + " of undefined flag " + target)
	}
	fs.Var(alias{f.Value}, name, "alias of -"+target)
}

// IsBoolFlag makes an alias of a boolean flag a boolean flag too, so that
// "-alias" alone sets it.
func (a alias) IsBoolFlag() bool {
	b, ok := a.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// PrintDefaults prints the defaults of fs's flags to fs.Output() as
// fs.PrintDefaults does, leaving out the hidden aliases.
func PrintDefaults(fs *flag.FlagSet) {
	shown := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	shown.SetOutput(fs.Output())
	fs.VisitAll(func(f *flag.Flag) {
		if _, hidden := f.Value.(alias); hidden {
			return
		}
		shown.Var(f.Value, f.Name, f.Usage)
		shown.Lookup(f.Name).DefValue = f.DefValue
	})
	shown.PrintDefaults()
}
