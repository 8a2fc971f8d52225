# Audit-log retention on the privacy officer's audit screen (ACC-7, decision 0028).
audit-retention-none = Er zijn nog geen gebeurtenissen verwijderd. Bewaartermijn van het auditlog:
audit-retention-removed-before = Gebeurtenissen van vóór { $date } zijn verwijderd
audit-retention-under-term = onder de bewaartermijn van
audit-retention-proof = ; een ondertekend controlepunt bewijst dat de rest van het log compleet is.
audit-term-year = { $count } jaar
audit-term-years = { $count } jaar
audit-term-month = { $count } maand
audit-term-months = { $count } maanden
audit-term-week = { $count } week
audit-term-weeks = { $count } weken
audit-term-day = { $count } dag
audit-term-days = { $count } dagen
audit-term-and = en
