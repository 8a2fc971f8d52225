# Parents, guardians and legal representatives in My dossier (MIN-1..4), and the
# confidential address.

## Staff: on the client page
minors-staff-heading = My dossier for parents and representatives
minors-staff-help = A parent with authority or a guardian reads a minor's dossier as the law allows; a curator or mentor of an adult reads within the recorded mandate. What someone may see is decided again at every visit, with the age on that day.
minors-band-under-own-access = The client is under 12: parents with authority read the dossier; the client gets no account of their own yet.
minors-band-consultative = The client is 12 to 16: own access; parents with authority read along, unless you record for a parent that the child's interest opposes it.
minors-band-independent = The client is 16 or 17: parents read only with the young person's recorded consent, which the young person gives and withdraws in My dossier.
minors-band-adult = The client is an adult: only a legal representative (curator, mentor) reads, within the mandate.
minors-state-account = Has an account for My dossier since { $date }.
minors-state-invited = Invited; the code is valid until { $date }.
minors-state-none = No access to My dossier.
minors-invite = Invite to My dossier
minors-code-issued = Hand this code to this person in person. The code is shown only once.
minors-invite-under-12 = A child under 12 gets no account of its own; the parents with authority read the dossier.
minors-invite-parent-of-adult = A parent's authority ends when the child turns 18; invite a legal representative if there is one.
minors-invite-representative-of-minor = A legal representative (curator, mentor) acts for an adult client; for a minor the parents with authority or the guardian read.
minors-invite-other-relation = Only a parent with authority, a guardian or a legal representative can read the dossier.
minors-invite-has-account = This person has an account for this client already. Revoke the access first to invite again.
minors-blocked = Access blocked.
minors-blocked-since = Since { $date }
minors-block-reason = Reason
minors-block-record = Block this parent's access
minors-block-help = Record why the child's interest opposes this parent's access. The reason is kept encrypted; the data protection officer can review it. The block takes effect at once, from 12 to 16.
minors-block-lift = Lift the block
minors-block-reason-required = Enter the reason.
minors-block-reason-long = The reason may have at most { $count } characters.
minors-block-only-parents = Only the access of a parent with authority or a guardian can be blocked.
minors-block-exists = This parent's access is blocked already.
minors-block-none = This parent's access is not blocked.
minors-consent-since = The young person gave consent on { $date }.
minors-mandate = Mandate
minors-mandate-none = No mandate recorded yet; this representative sees nothing of the dossier.
minors-mandate-record = Record the mandate
minors-mandate-scope = Covers
minors-mandate-whole = The whole dossier
minors-mandate-some = Only these trajectories
minors-mandate-until = until and including { $date }
minors-mandate-ends-on-label = Valid until and including
minors-mandate-ends-on = Enter an end date from today on.
minors-mandate-trajectories = Choose the whole dossier, or at least one trajectory of this client.
minors-mandate-only-representatives = A mandate belongs to a legal representative.
minors-address-withheld = Only visible to the workers assigned to this client.

## The data protection officer
minors-review-nav = Parent blocks
minors-title-review = Blocks of parents' access
minors-review-help = Every block with its reason, lifted ones too. Reading the reasons is recorded per client in the audit log.
minors-review-none = No blocks have been recorded.
minors-review-client = Client (id)
minors-review-person = Related person (id)
minors-review-recorded = Recorded
minors-review-lifted = Lifted
minors-review-in-force = In force

## My dossier: parents and representatives
minors-linked-heading = Dossiers you read
minors-relation-parent = as parent or guardian
minors-relation-representative = as legal representative
minors-relation-other = without a right to read
minors-not-now = You cannot see this dossier at the moment. Any questions? Contact the caseworker.
minors-title-dossier = Dossier
minors-dossier-help = You see what the rules let you see today. As a parent you only see what was recorded from the day your authority began.
minors-own-record-link = What this dossier holds about you
minors-title-record = What this dossier holds about you
minors-own-record-help = This is what the organisation recorded about you in this dossier. You may always see it.
minors-back-dossier = Back to the dossier
minors-back-home = Back to My dossier
minors-link-home = Enter another invitation code
minors-title-link = Enter an invitation code
minors-link-help = Did a caseworker give you a new invitation code, for a second child for instance? Enter it here; you keep using the same account.
minors-link-submit = Add the code
minors-code-linked = You read this dossier with this account already.

## My dossier: the client themselves
minors-own-profile-link = My details
minors-title-own-profile = My details
minors-consent-link = Consent for parents
minors-title-consent = Consent for parents
minors-consent-help = You are 16 or older. Your parents can see your dossier only if you consent. You give that consent per parent and can withdraw it at any moment; it takes effect at once.
minors-consent-not-yet = Until you are 16 your parents with authority read your dossier, in consultation with you. From 16 you decide that yourself, here.
minors-consent-adult = You are an adult. Your parents cannot see your dossier.
minors-consent-no-parents = No parents with authority are recorded.
minors-consent-none = No consent.
minors-consent-given-since = Consent given on { $date }.
minors-consent-give = Give consent
minors-consent-withdraw = Withdraw consent
minors-consent-unchanged = That was so already; nothing changed.
