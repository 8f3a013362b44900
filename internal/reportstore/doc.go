// Package reportstore holds the parts of the report.Store contract that the
// module's backends share but a user of package report never calls: the
// reference roll-up every backend must match ([AggregateCells], with
// [CompareCells] and [IsApproved]), and the check of contributions against
// their stored versions ([CheckContributions]). The memory backend
// aggregates with it; storetest compares every backend's roll-ups with it.
package reportstore
