// Package sqlrow is the code the SQL backends (store/sqlite and
// store/postgres) share, so that they store every record the same way and
// hold no copy of each other.
//
// Values map to columns the same way on both: lists and nested values go
// in text columns as JSON; optional values are NULL when unknown; dates
// are YYYY-MM-DD text.
//
// What both store alike is written once, over a [Conn] each backend
// implements on its pool and on a transaction, and each backend's Store
// embeds [Records]: cities, organizations and programs ([Core]); report
// indicators, frameworks, activities, observation reads, roll-ups,
// approvals and contributions ([Report]); and partnership summaries
// ([Partnerships]). A [Dialect] holds what differs in the SQL itself:
// placeholders, and the year and disaggregation expressions of a roll-up.
// What a backend does its own fastest or safest way stays in the backend:
// bulk city import, observation writes, partnership appends, and the row
// locks that serialise writers of one partnership.
package sqlrow
