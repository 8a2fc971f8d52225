# Audit-log retention on the privacy officer's audit screen (ACC-7, decision 0028).
audit-retention-none = No events have been removed yet. Retention term of the audit log:
audit-retention-removed-before = Events from before { $date } were removed
audit-retention-under-term = under the retention term of
audit-retention-proof = ; a signed checkpoint proves the rest of the log complete.
audit-term-year = { $count } year
audit-term-years = { $count } years
audit-term-month = { $count } month
audit-term-months = { $count } months
audit-term-week = { $count } week
audit-term-weeks = { $count } weeks
audit-term-day = { $count } day
audit-term-days = { $count } days
audit-term-and = and
