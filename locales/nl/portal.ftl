# Het cliëntportaal "Mijn dossier" (POR-1) en de portaaltoegang op de cliëntpagina.

portal-brand = Mijn dossier
title-portal-sign-in = Aanmelden bij Mijn dossier
title-portal-redeem = Uw uitnodiging gebruiken
title-portal-second-factor = Tweede stap: code
title-portal-enrol = Tweestapsverificatie instellen
title-portal-recovery-codes = Uw herstelcodes
title-portal-home = Mijn dossier
title-portal-dossier = Dossier

portal-first-time = Voor het eerst hier?
portal-use-invitation = Gebruik de uitnodigingscode van uw hulpverlener.
portal-have-account = Heeft u al een account? Meld u aan.
portal-redeem-intro = Uw hulpverlener heeft u een uitnodigingscode gegeven. Vul die hieronder in en kies een gebruikersnaam en een wachtwoord. Daarna stelt u tweestapsverificatie in met een app op uw telefoon.
portal-invitation-code = Uitnodigingscode
portal-choose-username = Kies een gebruikersnaam
portal-username-help = 3 tot 64 tekens: kleine letters, cijfers, punt, streepje of liggend streepje. Uw naam is niet nodig.
portal-choose-password = Kies een wachtwoord
portal-password-help = Ten minste { $count } tekens. Een zin van een paar woorden onthoudt u makkelijk.
portal-repeat-password = Herhaal het wachtwoord
portal-code-unknown = Deze uitnodigingscode kennen we niet. Controleer of u hem goed heeft overgenomen.
portal-code-used = Deze uitnodigingscode is al gebruikt. Meld u aan met uw gebruikersnaam, of vraag uw hulpverlener om een nieuwe code.
portal-code-expired = Deze uitnodigingscode is verlopen. Vraag uw hulpverlener om een nieuwe code.
portal-username-rules = Kies een gebruikersnaam van 3 tot 64 tekens (kleine letters, cijfers, punt, streepje of liggend streepje) die nog niet in gebruik is.
portal-password-short = Het wachtwoord is te kort: kies er een van ten minste { $count } tekens.
portal-password-mismatch = De twee wachtwoorden zijn niet gelijk.
portal-enrol-intro = Scan deze QR-code met een authenticator-app op uw telefoon en vul daarna de code in die de app toont. Daarna vraagt Mijn dossier bij elke aanmelding om zo'n code, naast uw wachtwoord.
portal-to-dossier = Naar mijn dossier

portal-home-intro = Hier leest u uw dossier: per hulptraject uw doelen en de voortgang, verslagen van gesprekken, plannen en documenten, rapporten van anderen en samenvattingen van e-mails.
portal-no-trajectories = Er staan nog geen hulptrajecten in uw dossier.
portal-all-trajectories = Alle hulptrajecten

portal-staff-heading = Mijn dossier (cliëntportaal)
portal-staff-help = Met een uitnodigingscode maakt de cliënt een eigen account voor Mijn dossier. Geef de code persoonlijk of via het geregistreerde e-mailadres. Werkaantekeningen zijn daar nooit te zien.
portal-state-none = Deze cliënt heeft geen toegang tot Mijn dossier.
portal-state-invited = Uitgenodigd; de code is geldig tot { $date }.
portal-state-account = Heeft een account voor Mijn dossier sinds { $date }.
portal-state-not-enrolled = (tweestapsverificatie nog niet ingesteld)
portal-invite = Uitnodigingscode maken
portal-revoke = Toegang intrekken
portal-code-issued-title = Uitnodigingscode
portal-code-issued = Geef deze code aan de cliënt. Hij wordt niet nog eens getoond en werkt één keer. Een nieuwe code vervangt een eerdere die nog niet gebruikt is.
portal-code-valid-until = Geldig tot { $date }.
portal-invite-adults-only = Mijn dossier is voorlopig alleen voor volwassen cliënten; voor minderjarigen volgen de regels voor ouders en gezag.
portal-invite-has-account = Deze cliënt heeft al een account. Trek de toegang eerst in als er een nieuwe code nodig is.
portal-nothing-to-revoke = Deze cliënt heeft geen account en geen openstaande uitnodiging.
