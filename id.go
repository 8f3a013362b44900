package citylinks

import "github.com/google/uuid"

// NewID returns a new unique id for a record that has no id of its own. Ids
// are UUIDv7 strings (RFC 9562): they sort by creation time, byte-wise, and
// are unique across processes and backends.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}
