// Package iatixsd validates IATI activity files against the IATI 2.03
// activity schema, which it ships (see 2.03/SOURCE.md for its source and
// licence), with xmllint, for the module's tests. The schema checks element
// order, cardinality and lexical forms; codes and the IATI rulesets are
// render.CheckIATI's job.
package iatixsd
