// Package memory is an in-memory storage backend for citylinks: the
// zero-dependency choice for tests and small tools. The zero value of Store
// is ready to use and safe for concurrent use. Nothing is persisted.
package memory
