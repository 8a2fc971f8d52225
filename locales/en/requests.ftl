# Requests about personal data and complaints from My dossier (POR-4), and the privacy
# officer's list.

title-request-portal = Requests and complaints
title-request-officer-list = Requests and complaints
title-request-officer = Request

request-nav = Requests
request-portal-link = File a request about your data, or a complaint

request-kind-access = Access
request-kind-copy = Copy
request-kind-rectification = Rectification
request-kind-erasure = Erasure
request-kind-restriction = Restriction of processing
request-kind-portability = Data portability
request-kind-objection = Objection
request-kind-withdrawal-of-consent = Withdraw consent
request-help-access = You want to know which data we process about you.
request-help-copy = You want a copy of your data.
request-help-rectification = You want us to correct or complete data that is wrong.
request-help-erasure = You want us to erase data that is no longer needed.
request-help-restriction = You want us not to use your data for a while.
request-help-portability = You want your data in a readable file, for yourself or another organisation.
request-help-objection = You object to the use of your data.
request-help-withdrawal-of-consent = You withdraw consent you gave earlier.

request-status-received = received
request-status-in-progress = being handled
request-status-closed = handled

request-intro = Here you file a request about your personal data, or a complaint. You get a reference at once. The privacy officer takes it up; here you see how it stands.
request-acknowledged = We have received it. Your reference is
request-acknowledged-help = Quote this reference when you contact us. You also find it in the list below.
request-mine = What you have filed
request-none = You have not filed anything yet.
request-reference = Reference
request-kind = Kind of request
request-received-on = Received on
request-status = State
request-new = File a request
request-scope = About
request-scope-all = all my data
request-scope-chosen = only these trajectories:
request-text = Explanation (optional)
request-text-help = Write here what else you want to say, for instance which data is wrong.
request-submit = File the request
request-error-kind = Choose which request you make.
request-error-trajectories = Choose "all my data", or tick at least one of your trajectories.
request-error-text = The explanation is too long: at most 5000 characters.

complaint-portal-kind = Complaint
complaint-portal-new = File a complaint
complaint-portal-intro = Are you unhappy with how we treat you or your data? Let us know. You may also always complain to the Dutch Data Protection Authority (Autoriteit Persoonsgegevens).
complaint-portal-subject = Subject
complaint-portal-text = Your complaint
complaint-portal-submit = File the complaint
complaint-portal-error-subject = Give your complaint a short subject (at most 200 characters).
complaint-portal-error-text = Describe your complaint (at most 5000 characters).

request-officer-intro = Requests and complaints clients filed in My dossier, newest first.
request-officer-none = No requests or complaints have been filed.
request-officer-back = Back to the list
request-channel = Channel
request-channel-portal = My dossier
request-client = Client
request-filed-at = filed
request-no-text = Without explanation.

# The privacy officer's handling (RTS-1..3): registration, identity, deadlines,
# extension, reaction and decision.
title-request-register = Register a request
request-register-link = Register a request received by letter, e-mail, phone or in conversation
request-register-intro = Register a request the client made by letter, e-mail, phone or in conversation. It gets a reference like a request from My dossier; the deadline runs from the day received.
request-register-submit = Register the request
request-registered = The request is registered with reference
request-registered-by = Registered by
request-client-id = Client number
request-channel-letter = Letter
request-channel-email = E-mail
request-channel-phone = Phone
request-channel-conversation = In conversation
request-scope-all-staff = all of the client's data
request-scope-chosen-staff = only these trajectories:
request-text-staff = What the client asks (optional)
request-error-client = Fill in the client's number.
request-error-kind-staff = Choose which request the client makes.
request-error-channel = Choose how the request came in: letter, e-mail, phone or conversation.
request-error-received-on = Fill in the day received (not in the future).
request-error-trajectories-staff = Choose "all data", or tick at least one of the client's trajectories.

request-queue = Open requests
request-queue-none = No requests are open.
request-all = All requests and complaints
request-next-deadline = Next deadline
request-days = Days
request-due-today = today
request-days-left = { $days } days left
request-days-late = { $days } days late
request-flag-due-soon = within a week
request-flag-overdue = overdue
request-escalated-notice = Overdue: this request must be handled now.
request-escalated-since = reported on
request-reacted = reacted
request-extended = extended

request-deadlines = Deadlines
request-respond-by = React by
request-complete-by = Complete by
request-reacted-on = Reacted on
request-reaction = First reaction to the client
request-reaction-submit = Record the reaction
request-extension = Extension
request-extension-help = An extension with reasons must reach the client by
request-extension-reasons = Why the deadline is extended (the client receives these reasons)
request-extension-submit = Record the extension
request-extended-on = Extended on
request-copy-link = Assemble the access or copy file

request-identity = Identity
request-identity-yes = established
request-identity-no = not yet established
request-identity-none = The requester's identity has not been established yet. A request is granted only once it has.
request-identity-method = How was identity established?
request-identity-on = On which day
request-identity-note = Note, for instance who confirmed it (no document number)
request-identity-submit = Record identity
request-identity-portal-second-factor = Signed in to My dossier with the second factor
request-identity-in-person = Seen in person, identity document shown (not copied)
request-identity-known-caseworker = Confirmed by the caseworker who knows the client
request-identity-letter-callback = By letter, confirmed by calling back the known number
request-by-portal = My dossier
request-no-id-copy = We never keep a copy of an identity document. Have the client show the document in person.
request-error-id-copy = We do not accept or keep a copy of an identity document; nothing was stored. Have the client show the identity document in person, or establish identity another way (for instance through the caseworker who knows the client, or by calling back). Never ask the client to send a copy. If a copy was received anyway, destroy it and do not keep it.
request-error-method = Choose how identity was established.
request-error-day = Fill in a day between the day received and today.
request-error-note = The note is too short (at least 10 characters) or too long (at most 5000 characters).
request-error-reasons = Write down the reasons: at least 10 and at most 5000 characters.
request-error-outcome = Choose the decision: granted, partly granted or refused.
request-error-identity-first = The request can be granted only once the requester's identity is established. Record first how identity was established.
request-error-extension-not-allowed = The organisation's policy allows no extension of the deadline.
request-error-extension-twice = The deadline was extended already; that can be done once.
request-error-extension-too-late = An extension must be announced within the first term after receipt; that has passed.
request-error-closed = This request has been handled already.

request-outcome = Decision
request-outcome-granted = Granted
request-outcome-partly-granted = Partly granted
request-outcome-refused = Refused
request-outcome-reasons = Reasons (required when refusing or granting in part; the client receives them)
request-answer-sent-on = Answer sent on
request-outcome-submit = Record the decision and close

request-portal-progress = Deadline and decision
request-portal-respond-by = We react by
request-portal-complete-by = We complete it by
request-portal-extended = The deadline was extended on
request-portal-answer-sent = answer sent on
request-portal-complain = Do you disagree? You can complain to the Dutch Data Protection Authority (Autoriteit Persoonsgegevens) or go to court.

# Parents with authority and legal representatives file for a client (RTS-1, MIN-1..4);
# the client sees it without a name.
request-for-client = For whom do you file it?
request-for-self = For myself
request-error-for-client = Choose for whom you file this.
request-for-others = What you filed for someone else
request-related-intro = As a parent with authority or a legal representative you file a request or complaint here for someone whose dossier you read in the portal, as far as the rules allow today. The answer comes to you; you can open the decision letter as long as you may read the dossier.
request-related-none = At the moment you cannot file a request or complaint for anyone. Please contact the organisation's privacy officer if you think this is wrong.
request-filed-by-related = filed by your parent/representative
request-filed-by = Filed by
request-filed-by-client = the client themselves
request-error-filed-by = Choose a parent or representative who reads this client's dossier in the portal.
