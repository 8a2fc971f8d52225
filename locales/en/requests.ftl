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
request-not-own = With this account you cannot yet file requests or complaints for someone else. Please contact the organisation's privacy officer for that.
