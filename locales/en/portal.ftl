# The client portal "My dossier" (POR-1) and portal access on the client page.

portal-brand = My dossier
title-portal-sign-in = Sign in to My dossier
title-portal-redeem = Use your invitation
title-portal-second-factor = Second step: code
title-portal-enrol = Set up two-step verification
title-portal-recovery-codes = Your recovery codes
title-portal-home = My dossier
title-portal-dossier = Dossier

portal-first-time = Here for the first time?
portal-use-invitation = Use the invitation code your caseworker gave you.
portal-have-account = Already have an account? Sign in.
portal-redeem-intro = Your caseworker gave you an invitation code. Enter it below and choose a username and a password. Then you set up two-step verification with an app on your phone.
portal-invitation-code = Invitation code
portal-choose-username = Choose a username
portal-username-help = 3 to 64 characters: lower-case letters, digits, full stop, hyphen or underscore. Your name is not needed.
portal-choose-password = Choose a password
portal-password-help = At least { $count } characters. A sentence of a few words is easy to remember.
portal-repeat-password = Repeat the password
portal-code-unknown = We do not know this invitation code. Check that you copied it correctly.
portal-code-used = This invitation code has been used already. Sign in with your username, or ask your caseworker for a new code.
portal-code-expired = This invitation code has expired. Ask your caseworker for a new code.
portal-username-rules = Choose a username of 3 to 64 characters (lower-case letters, digits, full stop, hyphen or underscore) that is not taken.
portal-password-short = The password is too short: choose one of at least { $count } characters.
portal-password-mismatch = The two passwords are not the same.
portal-enrol-intro = Scan this QR code with an authenticator app on your phone, then enter the code the app shows. From then on My dossier asks for such a code at every sign-in, besides your password.
portal-to-dossier = To my dossier

portal-home-intro = Here you read your dossier: for each service your goals and their progress, reports of conversations, plans and documents, reports from others and summaries of e-mails.
portal-no-trajectories = Your dossier holds no services yet.
portal-all-trajectories = All services

portal-staff-heading = My dossier (client portal)
portal-staff-help = With an invitation code the client makes their own account for My dossier. Hand the code over in person or send it to the registered e-mail address. Work notes are never shown there.
portal-state-none = This client has no access to My dossier.
portal-state-invited = Invited; the code is valid until { $date }.
portal-state-account = Has an account for My dossier since { $date }.
portal-state-not-enrolled = (two-step verification not set up yet)
portal-invite = Make an invitation code
portal-revoke = Revoke access
portal-code-issued-title = Invitation code
portal-code-issued = Give this code to the client. It is not shown again and works once. A new code replaces an earlier one that was not used.
portal-code-valid-until = Valid until { $date }.
portal-invite-adults-only = My dossier is for adult clients for now; for minors the rules for parents and authority will follow.
portal-invite-has-account = This client has an account already. Revoke access first if a new code is needed.
portal-nothing-to-revoke = This client has no account and no open invitation.
