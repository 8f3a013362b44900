package report

// Internals the external tests exercise directly.
var (
	Next            = next
	ApprovalStateOf = approvalStateOf
)
