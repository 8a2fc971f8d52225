# Withholding parts of the dossier from the client (POR-2) and the privacy officer's
# review.

title-withhold-entry = Withhold from the client
title-withhold-review-list = Review withheld parts
title-withhold-review = Review a withheld part

withhold-nav = Withheld
withhold-link = Withhold from client

withhold-ground-others-data = data about others, such as family members
withhold-ground-protection-of-others = protection of others
withhold-ground-prevention-of-crime = prevention of crimes
withhold-marker-others-data = [withheld: data about others]
withhold-marker-protection-of-others = [withheld: to protect others]
withhold-marker-prevention-of-crime = [withheld: to prevent crimes]
withhold-notice-others-data = You cannot read this part of your dossier here, because it contains data about others.
withhold-notice-protection-of-others = You cannot read this part of your dossier here, to protect others.
withhold-notice-prevention-of-crime = You cannot read this part of your dossier here, to prevent crimes.

withhold-scope-entry = the whole entry
withhold-scope-passage = a passage
withhold-badge = Withheld from client
withhold-hide-fact-short = the fact hidden too
withhold-not-reviewed = not yet reviewed by the privacy officer
withhold-passage-lost = passage no longer found: the client does not see the entry
withhold-passage-lost-help = This passage no longer occurs word for word in the entry's text, so the client does not see the entry at all. Lift this withholding and mark the passage again if that is what you mean.

withhold-intro = You can withhold an entry, or a passage of it, from the client in My dossier on one of the grounds the law allows. The client then sees which ground applies in its place, unless you record that even that would endanger someone. The privacy officer reviews every withholding.
withhold-list = What is withheld
withhold-none = Nothing of this entry is withheld.
withhold-ground = Ground
withhold-explanation = Explanation
withhold-explanation-help = For staff and the privacy officer only; the client never sees it. At least 10 characters.
withhold-review = Review
withhold-lifted = Lifted
withhold-lift-reason = Reason for lifting
withhold-lift = Lift
withhold-new = Withhold something
withhold-what = What
withhold-passage = Passage
withhold-passage-help = Copy the passage word for word from the text above. Wherever it occurs in this entry, the client sees the ground instead.
withhold-choose-ground = Choose a ground
withhold-hide-fact = Hide the fact of withholding too
withhold-hide-fact-help = Only where even knowing that something was withheld would endanger someone. The client then sees nothing, not even a notice.
withhold-submit = Withhold

withhold-error-passage = For "a passage", mark at least 3 characters from the entry's text.
withhold-error-passage-not-found = This passage does not occur word for word in the entry's text. Copy it exactly, with the same capitals and punctuation.
withhold-error-scope = Choose whether you withhold the whole entry or a passage.
withhold-error-ground = Choose the ground you withhold on.
withhold-error-explanation = Explain in at least 10 characters why you withhold this.
withhold-error-reason = Give the reason for lifting in at least 10 characters.
withhold-error-outcome = Choose whether you agree or ask for it to be lifted.
withhold-error-note = Explain in at least 10 characters why the withholding should be lifted.
withhold-error-conflict = This has been lifted or reviewed in the meantime. Look at the current state.

withhold-review-intro = Withheld parts you have not reviewed yet, and parts you asked to be lifted that still apply.
withhold-review-none = There is nothing to review.
withhold-date = Date
withhold-by = By
withhold-client = Client
withhold-trajectory = trajectory
withhold-state = State
withhold-yes = yes
withhold-no = no
withhold-review-open = Review
withhold-review-back = Back to the list
withhold-review-record = Record the review
withhold-review-outcome = Your finding
withhold-review-agree = agree
withhold-review-ask-to-lift = asked to lift
withhold-review-note = Note
withhold-review-note-help = Required when you ask for it to be lifted (at least 10 characters). The caseworker sees this note; the client does not.
withhold-review-submit = Record the review
