// Package postgrestest gives tests a PostgreSQL store in a schema of their
// own. It reads the server URL from CITYLINKS_TEST_POSTGRES_URL and skips
// the test, saying how to set it, when that is unset.
package postgrestest
