# The client portal: who looked at my file (POR-3), help and safety (POR-5) and the
# privacy statement (ORG-3), on the staff's side too.

## Who looked at my file (POR-3)

portal-log-title = Who looked at my file
portal-log-title-linked = Who looked at this file
portal-log-nav = Who looked at my file
portal-log-home-link = See who looked at your file, and when.
portal-log-intro = Here you see who looked at or changed your data, when, what happened and why that person had access. Every time someone opens your file, it is recorded; this overview comes from that log.
portal-log-from = From
portal-log-to = Up to and including
portal-log-include-own = Also show what I did in My file myself
portal-log-filter = Show
portal-log-none = There is nothing in the overview yet.
portal-log-none-in-period = Nobody looked at or changed your data in this period.
portal-log-when = When
portal-log-who = Who
portal-log-what = What
portal-log-ground = Why
portal-log-emergency = Emergency access
portal-log-refused = refused
portal-log-failed = failed
portal-log-rules = rule
portal-log-older = Older events
portal-log-explained = For a staff member you see the name and the function, or only the function where the organisation does not show the name. A staff member uses emergency access only in an emergency; the data protection officer is told at once. Staff members' work notes are not part of your file and are not listed here.
portal-log-error-from = From: enter a valid date (yyyy-mm-dd), or leave it empty.
portal-log-error-to = Up to and including: enter a valid date (yyyy-mm-dd), or leave it empty.
portal-log-error-order = Up to and including: this date lies before the date at From.
portal-log-on-behalf = (standing in for your caseworker)

portal-log-who-you = You
portal-log-who-sign-in-attempt = A sign-in attempt on your account
portal-log-who-representative = A parent or representative through My file
portal-log-who-system = The system (automatic)
portal-log-who-staff = A staff member

portal-log-action-create = Added
portal-log-action-read = Viewed
portal-log-action-update = Changed
portal-log-action-delete = Removed
portal-log-action-print-copy = Downloaded or printed
portal-log-action-export = Exported
portal-log-action-search = Searched
portal-log-action-emergency-access = Opened emergency access
portal-log-action-sign-in = Signed in
portal-log-action-sign-out = Signed out

portal-log-object-client-profile = your personal details
portal-log-object-bsn = your citizen service number (BSN)
portal-log-object-related-person = details of your family or others involved
portal-log-object-trajectory = your file (a trajectory of help)
portal-log-object-entry = a part of your file
portal-log-object-goal-progress = the progress of a goal
portal-log-object-attachment = an attachment in your file
portal-log-object-services-overview = which help you receive (without the content)
portal-log-object-complaint = a complaint
portal-log-object-access-grant = a temporary access to your file
portal-log-object-portal-account = your account for My file
portal-log-object-audit-log = this overview
portal-log-object-destruction = destroying data
portal-log-object-statement-receipt = which privacy statement you were given
portal-log-object-rights-request = a request about your data
portal-log-object-address = your address
portal-log-object-mandate = what your representative may act in
portal-log-object-youth-consent = your consent for a parent to read
portal-log-object-other = other data

portal-log-ground-care = Works on your help (your caseworker)
portal-log-ground-rights-request = Handling your request
portal-log-ground-complaint = Handling a complaint
portal-log-ground-quality-review = Quality review
portal-log-ground-emergency = Emergency
portal-log-ground-substitution = Standing in while your caseworker is away
portal-log-ground-administration = Running the system
portal-log-ground-retention = Retention term
portal-log-ground-statistics = Anonymous statistics (only an age band and gender were derived)
portal-log-ground-own-access = Your own access
portal-log-ground-representative = Access by a parent or representative
portal-log-ground-demo = Demonstration data

## Help and safety (POR-5)

portal-help-label = Help and emergency numbers
portal-help-phone = Need help? Call
portal-help-emergency = In an emergency: call
portal-help-chat = Chat with us
portal-help-website = Website
portal-help-quick-exit = Leave quickly
portal-help-quick-exit-hint = or press Esc twice. Then close the tab as well.
portal-help-neutral-title = New tab
portal-help-neutral-body = New tab

## The privacy statement (ORG-3)

statement-footer = Privacy statement, version { $version }.
statement-portal-read = Read the privacy statement
statement-portal-mine = Which version was I given?
statement-portal-nav = Privacy statement
statement-portal-home-link = See which privacy statement you were given.
statement-portal-title = Privacy statement
statement-portal-current = The privacy statement in force is version { $version }.
statement-portal-card = The privacy card is a short summary of the privacy statement.
statement-portal-given-heading = What you were given
statement-portal-none = It has not been recorded yet which privacy statement you were given. Ask your caseworker.
statement-portal-earlier = Would you like to read the text of an earlier version you were given? Ask the data protection officer:
statement-given-on = Given on
statement-version = Version
statement-what = What
statement-current = in force
statement-what-statement = privacy statement
statement-what-card = privacy card

statement-staff-heading = Privacy statement
statement-staff-none = Not yet recorded which privacy statement the client was given.
statement-recorded-at = Recorded
statement-record = Record what the client was given
statement-intake-legend = Privacy statement
statement-intake-help = Record what the client was given at intake. Untick what was not handed over.
statement-given-label = The client was given the privacy statement (version { $version })
statement-card-given-label = The client was given the privacy card
statement-error-nothing-given = Tick what the client was given: the privacy statement, the privacy card or both.
statement-error-no-card = This organisation hands out no privacy card.
statement-error-date = Enter a valid date (yyyy-mm-dd).
statement-error-future = This date lies in the future.
portal-log-who-client = The client, through My file
minors-access-log-link = Who looked at this file
