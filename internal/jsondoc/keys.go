package jsondoc

import "slices"

// Keys returns the object's keys in document order, without marking them
// read.
func (o *Object) Keys() []string { return slices.Clone(o.o.keys) }
