package contest

// EntryStatuses lists the valid entry statuses (eligibility), eligible
// first.
var EntryStatuses = []string{EntryEligible, EntryDisqualified, EntryWithdrew}
