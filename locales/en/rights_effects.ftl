# What a granted request does: rectification (RTS-5), restriction (RTS-7), objection
# (RTS-9) and withdrawal of consent (RTS-10).

frozen-banner-restriction = Processing restricted since { $date }: this trajectory is frozen. The dossier stays readable but is not changed, shared or exported until the restriction is lifted.
frozen-banner-objection = Objection upheld on { $date }: processing of this trajectory has stopped. The dossier stays readable but is not changed, shared or exported.
frozen-banner-consent-withdrawn = Consent withdrawn on { $date }: the processing that rested on it has stopped. The dossier stays readable but is not changed, shared or exported.
error-frozen-title = This trajectory is frozen
error-frozen = This trajectory is frozen (restriction of processing, upheld objection or withdrawn consent). Nothing is changed, added, closed, assigned or exported until the freeze is lifted. Nothing was saved.

title-rights-effects = Client's rights: corrections and freezes
rights-link = Corrections and freezes (client's rights)
rights-back-client = Back to the client
rights-trajectories = Trajectories
rights-legal-basis = Legal basis
rights-not-frozen = not frozen

rights-rectify = Correct data (rectification)
rights-rectify-intro = Correct a factual item. The old value is kept encrypted in the history, with who, when and why.
rights-field = Item
rights-field-name = Name
rights-field-address = Address
rights-field-birth-date = Birth date
rights-field-child-birth-date = A child's birth date
rights-value = Correct value
rights-value-help = A birth date as YYYY-MM-DD.
rights-reason = Reason
rights-request = Request (id, optional)
rights-rectify-submit = Record the correction
rights-history = History of corrections
rights-history-none = No corrections are recorded.
rights-old = Old
rights-new = New
rights-withheld = (confidential address)
rights-recipients = Earlier recipients of the wrong data
rights-recipients-none-recorded = The system does not record disclosures to third parties yet. So no recipients are known who must be told of the correction; check whether data was shared outside the system.

rights-stops = Freezes
rights-stops-none = No processing is frozen.
rights-kind-restriction = Restriction
rights-kind-objection = Objection upheld
rights-kind-consent-withdrawn = Consent withdrawn
rights-ground = Ground
rights-ground-contested-accuracy = Accuracy contested
rights-ground-unlawful-processing = Unlawful processing
rights-ground-legal-claims = Legal claims
rights-ground-pending-objection = Objection pending
rights-choose = Choose…
rights-in-force = in force
rights-lifted = lifted
rights-notice = Client told
rights-notice-none = The client has not been told yet; lifting is possible only after that.
rights-notice-on = Date told
rights-notice-how = How
rights-how-letter = Letter
rights-how-email = E-mail
rights-how-phone = Phone
rights-how-in-person = In person
rights-how-portal = My dossier
rights-notice-submit = Record the notice
rights-lift-reason = Reason for lifting
rights-lift-submit = Lift

rights-restrict = Restrict processing
rights-restrict-intro = Freeze one or all trajectories on a ground of article 18 GDPR. Only storage is then allowed; the workers on the case can read the dossier.
rights-restrict-all = All trajectories
rights-restrict-submit = Freeze

rights-objection = Decide an objection
rights-objection-intro = Only against processing on public task or legitimate interest. Record the balancing.
rights-trajectory = Trajectory
rights-situation = The client's particular situation
rights-grounds = The organisation's grounds
rights-outcome = Outcome
rights-outcome-upheld = Upheld: processing stops
rights-outcome-rejected = Rejected: compelling grounds
rights-objection-submit = Record the balancing
rights-objections = Decisions on objections

rights-withdraw = Consent withdrawn
rights-withdraw-intro = Everything that rests on consent stops at once: trajectories with consent as legal basis are frozen and the consent the young person gave parents ends.
rights-withdrawn-on = Withdrawn on
rights-withdraw-submit = Record the withdrawal
rights-withdrawals = Withdrawals of consent
rights-withdrawal-frozen = { $count } trajectory(ies) frozen
rights-withdrawal-ended = { $count } parents' consent(s) ended

rights-error-value = Enter a valid value (a birth date as YYYY-MM-DD, not in the future), other than the current one.
rights-error-field = Choose name, address or birth date.
rights-error-reason = Write a reason of at least 10 characters.
rights-error-request = This request is not one of this client's.
rights-error-ground = Choose a ground.
rights-error-trajectories = Choose trajectories of this client.
rights-error-trajectory = An objection is possible only against processing on public task or legitimate interest; this trajectory rests on another legal basis.
rights-error-situation = Describe the client's situation in at least 10 characters.
rights-error-grounds = Describe the organisation's grounds in at least 10 characters.
rights-error-outcome = Choose an outcome.
rights-error-withdrawn-on = Enter a date that is not in the future.
rights-error-notice-on = Enter a date, not in the future and not before the freeze.
rights-error-how = Choose how the client was told.
rights-error-notice-first = Tell the client first and record it; only then can the freeze be lifted.
rights-error-conflict = This is no longer possible: the freeze is lifted already.
