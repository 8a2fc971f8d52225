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
request-not-own = Met dit account dient u nog geen verzoeken of klachten in voor een ander. Neem daarvoor contact op met de functionaris gegevensbescherming van de organisatie.
