# Verzoeken over persoonsgegevens en klachten vanuit Mijn dossier (POR-4), en de lijst van
# de functionaris gegevensbescherming.

title-request-portal = Verzoeken en klachten
title-request-officer-list = Verzoeken en klachten
title-request-officer = Verzoek

request-nav = Verzoeken
request-portal-link = Een verzoek over uw gegevens of een klacht indienen

request-kind-access = Inzage
request-kind-copy = Kopie
request-kind-rectification = Correctie
request-kind-erasure = Verwijdering
request-kind-restriction = Beperking van de verwerking
request-kind-portability = Overdracht van gegevens
request-kind-objection = Bezwaar
request-kind-withdrawal-of-consent = Toestemming intrekken
request-help-access = U wilt weten welke gegevens wij van u verwerken.
request-help-copy = U wilt een kopie van uw gegevens.
request-help-rectification = U wilt dat wij onjuiste gegevens verbeteren of aanvullen.
request-help-erasure = U wilt dat wij gegevens verwijderen die niet meer nodig zijn.
request-help-restriction = U wilt dat wij uw gegevens tijdelijk niet gebruiken.
request-help-portability = U wilt uw gegevens in een leesbaar bestand, voor uzelf of een andere organisatie.
request-help-objection = U maakt bezwaar tegen het gebruik van uw gegevens.
request-help-withdrawal-of-consent = U trekt een toestemming in die u eerder gaf.

request-status-received = ontvangen
request-status-in-progress = in behandeling
request-status-closed = afgehandeld

request-intro = Hier dient u een verzoek in over uw persoonsgegevens, of een klacht. U krijgt meteen een kenmerk. De functionaris gegevensbescherming neemt het in behandeling; hier ziet u hoe het ervoor staat.
request-acknowledged = Wij hebben het ontvangen. Uw kenmerk is
request-acknowledged-help = Noem dit kenmerk als u contact met ons opneemt. U vindt het ook in de lijst hieronder.
request-mine = Wat u heeft ingediend
request-none = U heeft nog niets ingediend.
request-reference = Kenmerk
request-kind = Soort verzoek
request-received-on = Ontvangen op
request-status = Stand
request-new = Een verzoek indienen
request-scope = Waarover
request-scope-all = al mijn gegevens
request-scope-chosen = alleen deze hulptrajecten:
request-text = Toelichting (niet verplicht)
request-text-help = Schrijf hier wat u verder kwijt wilt, bijvoorbeeld welke gegevens onjuist zijn.
request-submit = Verzoek indienen
request-error-kind = Kies welk verzoek u doet.
request-error-trajectories = Kies "al mijn gegevens", of vink ten minste één van uw hulptrajecten aan.
request-error-text = De toelichting is te lang: ten hoogste 5000 tekens.

complaint-portal-kind = Klacht
complaint-portal-new = Een klacht indienen
complaint-portal-intro = Bent u niet tevreden over hoe wij met u of met uw gegevens omgaan? Laat het ons weten. U mag ook altijd een klacht indienen bij de Autoriteit Persoonsgegevens.
complaint-portal-subject = Onderwerp
complaint-portal-text = Uw klacht
complaint-portal-submit = Klacht indienen
complaint-portal-error-subject = Geef uw klacht een kort onderwerp (ten hoogste 200 tekens).
complaint-portal-error-text = Beschrijf uw klacht (ten hoogste 5000 tekens).

request-officer-intro = Verzoeken en klachten die cliënten via Mijn dossier hebben ingediend, de nieuwste eerst.
request-officer-none = Er zijn geen verzoeken of klachten ingediend.
request-officer-back = Terug naar de lijst
request-channel = Kanaal
request-channel-portal = Mijn dossier
request-client = Cliënt
request-filed-at = ingediend
request-no-text = Zonder toelichting.

# De behandeling door de functionaris gegevensbescherming (RTS-1..3): registratie,
# identiteit, termijnen, verlenging, reactie en besluit.
title-request-register = Verzoek registreren
request-register-link = Een verzoek registreren dat per brief, e-mail, telefoon of in een gesprek binnenkwam
request-register-intro = Registreer hier een verzoek dat de cliënt per brief, e-mail, telefoon of in een gesprek deed. Het krijgt een kenmerk zoals een verzoek uit Mijn dossier; de termijn loopt vanaf de dag van ontvangst.
request-register-submit = Verzoek registreren
request-registered = Het verzoek is geregistreerd met kenmerk
request-registered-by = Geregistreerd door
request-client-id = Cliëntnummer
request-channel-letter = Brief
request-channel-email = E-mail
request-channel-phone = Telefoon
request-channel-conversation = In een gesprek
request-scope-all-staff = alle gegevens van de cliënt
request-scope-chosen-staff = alleen deze hulptrajecten:
request-text-staff = Wat de cliënt vraagt (niet verplicht)
request-error-client = Vul het nummer van de cliënt in.
request-error-kind-staff = Kies welk verzoek de cliënt doet.
request-error-channel = Kies hoe het verzoek binnenkwam: brief, e-mail, telefoon of gesprek.
request-error-received-on = Vul de dag van ontvangst in (niet in de toekomst).
request-error-trajectories-staff = Kies "alle gegevens", of vink ten minste één hulptraject van de cliënt aan.

request-queue = Openstaande verzoeken
request-queue-none = Er staan geen verzoeken open.
request-all = Alle verzoeken en klachten
request-next-deadline = Eerstvolgende termijn
request-days = Dagen
request-due-today = vandaag
request-days-left = nog { $days } dagen
request-days-late = { $days } dagen te laat
request-flag-due-soon = binnen een week
request-flag-overdue = te laat
request-escalated-notice = Over de termijn: dit verzoek moet nu worden afgehandeld.
request-escalated-since = gemeld op
request-reacted = gereageerd
request-extended = verlengd

request-deadlines = Termijnen
request-respond-by = Reageren uiterlijk
request-complete-by = Afhandelen uiterlijk
request-reacted-on = Gereageerd op
request-reaction = Eerste reactie aan de cliënt
request-reaction-submit = Reactie vastleggen
request-extension = Verlenging
request-extension-help = Een verlenging met redenen moet de cliënt uiterlijk weten op
request-extension-reasons = Waarom de termijn wordt verlengd (de cliënt krijgt deze redenen)
request-extension-submit = Verlenging vastleggen
request-extended-on = Verlengd op
request-copy-link = Het inzage- of kopiedossier samenstellen

request-identity = Identiteit
request-identity-yes = vastgesteld
request-identity-no = nog niet vastgesteld
request-identity-none = De identiteit van de verzoeker is nog niet vastgesteld. Een verzoek wordt pas toegewezen als dat is gebeurd.
request-identity-method = Hoe is de identiteit vastgesteld?
request-identity-on = Op welke dag
request-identity-note = Toelichting, bijvoorbeeld wie het bevestigde (geen documentnummer)
request-identity-submit = Identiteit vastleggen
request-identity-portal-second-factor = Aangemeld in Mijn dossier met de tweede stap
request-identity-in-person = Persoonlijk gezien, identiteitsbewijs getoond (niet gekopieerd)
request-identity-known-caseworker = Bevestigd door de hulpverlener die de cliënt kent
request-identity-letter-callback = Per brief, bevestigd door terugbellen op het bekende nummer
request-by-portal = Mijn dossier
request-no-id-copy = Wij bewaren nooit een kopie van een identiteitsbewijs. Laat de cliënt het bewijs persoonlijk tonen.
request-error-id-copy = Een kopie van een identiteitsbewijs nemen wij niet aan en bewaren wij niet; er is niets opgeslagen. Laat de cliënt het identiteitsbewijs persoonlijk tonen, of stel de identiteit op een andere manier vast (bijvoorbeeld door de hulpverlener die de cliënt kent, of door terug te bellen). Vraag de cliënt nooit een kopie te sturen. Is er toch een kopie binnengekomen, vernietig die dan en bewaar haar niet.
request-error-method = Kies hoe de identiteit is vastgesteld.
request-error-day = Vul een dag in tussen de dag van ontvangst en vandaag.
request-error-note = De toelichting is te kort (minstens 10 tekens) of te lang (ten hoogste 5000 tekens).
request-error-reasons = Schrijf de redenen op: minstens 10 en ten hoogste 5000 tekens.
request-error-outcome = Kies het besluit: toegewezen, gedeeltelijk toegewezen of afgewezen.
request-error-identity-first = Het verzoek kan pas worden toegewezen als de identiteit van de verzoeker is vastgesteld. Leg eerst vast hoe de identiteit is vastgesteld.
request-error-extension-not-allowed = Het beleid van de organisatie staat geen verlenging van de termijn toe.
request-error-extension-twice = De termijn is al verlengd; dat kan maar één keer.
request-error-extension-too-late = Een verlenging moet binnen de eerste termijn na ontvangst worden gemeld; die is voorbij.
request-error-closed = Dit verzoek is al afgehandeld.

request-outcome = Besluit
request-outcome-granted = Toegewezen
request-outcome-partly-granted = Gedeeltelijk toegewezen
request-outcome-refused = Afgewezen
request-outcome-reasons = Redenen (verplicht bij afwijzen of gedeeltelijk toewijzen; de cliënt krijgt ze)
request-answer-sent-on = Antwoord verstuurd op
request-outcome-submit = Besluit vastleggen en afsluiten

request-portal-progress = Termijn en besluit
request-portal-respond-by = Wij reageren uiterlijk op
request-portal-complete-by = Wij handelen het af uiterlijk op
request-portal-extended = De termijn is verlengd op
request-portal-answer-sent = antwoord verstuurd op
request-portal-complain = Bent u het er niet mee eens? U kunt een klacht indienen bij de Autoriteit Persoonsgegevens of naar de rechter stappen.

# Ouders met gezag en wettelijk vertegenwoordigers dienen in voor een cliënt (RTS-1,
# MIN-1..4); de cliënt ziet het zonder naam.
request-for-client = Voor wie dient u het in?
request-for-self = Voor mijzelf
request-error-for-client = Kies voor wie u dit indient.
request-for-others = Wat u voor een ander heeft ingediend
request-related-intro = Als ouder met gezag of wettelijk vertegenwoordiger dient u hier een verzoek of klacht in voor wie u in Mijn dossier meeleest, voor zover de regels dat vandaag toestaan. Het antwoord komt bij u; de besluitbrief kunt u openen zolang u het dossier mag inzien.
request-related-none = U kunt op dit moment voor niemand een verzoek of klacht indienen. Neem contact op met de functionaris gegevensbescherming van de organisatie als u denkt dat dit niet klopt.
request-filed-by-related = ingediend door uw ouder/vertegenwoordiger
request-filed-by = Ingediend door
request-filed-by-client = de cliënt zelf
request-error-filed-by = Kies een ouder of vertegenwoordiger die voor deze cliënt meeleest in Mijn dossier.
