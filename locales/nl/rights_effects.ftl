# Wat een toegekend verzoek doet: rectificatie (RTS-5), beperking (RTS-7), bezwaar (RTS-9)
# en intrekken van toestemming (RTS-10).

frozen-banner-restriction = Verwerking beperkt sinds { $date }: dit traject is bevroren. Het dossier blijft leesbaar, maar wordt niet gewijzigd, gedeeld of geëxporteerd tot de beperking is opgeheven.
frozen-banner-objection = Bezwaar gehonoreerd op { $date }: de verwerking van dit traject is gestopt. Het dossier blijft leesbaar, maar wordt niet gewijzigd, gedeeld of geëxporteerd.
frozen-banner-consent-withdrawn = Toestemming ingetrokken op { $date }: de verwerking die daarop rustte is gestopt. Het dossier blijft leesbaar, maar wordt niet gewijzigd, gedeeld of geëxporteerd.
error-frozen-title = Dit traject is bevroren
error-frozen = Dit traject is bevroren (beperking van de verwerking, gehonoreerd bezwaar of ingetrokken toestemming). Er wordt niets gewijzigd, toegevoegd, afgesloten, toegewezen of geëxporteerd tot de bevriezing is opgeheven. Er is niets opgeslagen.

title-rights-effects = Rechten van de cliënt: correcties en bevriezingen
rights-link = Correcties en bevriezingen (rechten van de cliënt)
rights-back-client = Terug naar de cliënt
rights-trajectories = Trajecten
rights-legal-basis = Grondslag
rights-not-frozen = niet bevroren

rights-rectify = Gegevens corrigeren (rectificatie)
rights-rectify-intro = Corrigeer een feitelijk gegeven. De oude waarde blijft versleuteld bewaard in de geschiedenis, met wie, wanneer en waarom.
rights-field = Gegeven
rights-field-name = Naam
rights-field-address = Adres
rights-field-birth-date = Geboortedatum
rights-field-child-birth-date = Geboortedatum van een kind
rights-value = Juiste waarde
rights-value-help = Een geboortedatum als JJJJ-MM-DD.
rights-reason = Reden
rights-request = Verzoek (kenmerk-id, optioneel)
rights-rectify-submit = Correctie vastleggen
rights-history = Geschiedenis van correcties
rights-history-none = Er zijn geen correcties vastgelegd.
rights-old = Oud
rights-new = Nieuw
rights-withheld = (afgeschermd adres)
rights-recipients = Eerdere ontvangers van de onjuiste gegevens
rights-recipients-none-recorded = Het systeem legt nog geen verstrekkingen aan derden vast. Er zijn dus geen ontvangers bekend die over de correctie moeten worden geïnformeerd; ga na of gegevens buiten het systeem zijn gedeeld.

rights-stops = Bevriezingen
rights-stops-none = Er is geen verwerking bevroren.
rights-kind-restriction = Beperking
rights-kind-objection = Bezwaar gehonoreerd
rights-kind-consent-withdrawn = Toestemming ingetrokken
rights-ground = Grond
rights-ground-contested-accuracy = Juistheid betwist
rights-ground-unlawful-processing = Onrechtmatige verwerking
rights-ground-legal-claims = Rechtsvordering
rights-ground-pending-objection = Bezwaar in behandeling
rights-choose = Kies…
rights-in-force = van kracht
rights-lifted = opgeheven
rights-notice = Cliënt geïnformeerd
rights-notice-none = De cliënt is nog niet geïnformeerd; opheffen kan pas daarna.
rights-notice-on = Datum van informeren
rights-notice-how = Hoe
rights-how-letter = Brief
rights-how-email = E-mail
rights-how-phone = Telefoon
rights-how-in-person = Persoonlijk
rights-how-portal = Mijn dossier
rights-notice-submit = Informeren vastleggen
rights-lift-reason = Reden van opheffen
rights-lift-submit = Opheffen

rights-restrict = Verwerking beperken
rights-restrict-intro = Bevries één of alle trajecten op een grond uit artikel 18 AVG. Alleen bewaren is dan toegestaan; de medewerkers op de zaak kunnen het dossier lezen.
rights-restrict-all = Alle trajecten
rights-restrict-submit = Bevriezen

rights-objection = Bezwaar beoordelen
rights-objection-intro = Alleen tegen verwerking op grond van een publieke taak of een gerechtvaardigd belang. Leg de afweging vast.
rights-trajectory = Traject
rights-situation = Bijzondere situatie van de cliënt
rights-grounds = Gronden van de organisatie
rights-outcome = Uitkomst
rights-outcome-upheld = Gehonoreerd: verwerking stopt
rights-outcome-rejected = Afgewezen: dwingende gronden
rights-objection-submit = Afweging vastleggen
rights-objections = Beslissingen op bezwaar

rights-withdraw = Toestemming ingetrokken
rights-withdraw-intro = Alles wat op toestemming rust stopt direct: trajecten met toestemming als grondslag worden bevroren en de toestemming die de jongere aan ouders gaf, eindigt.
rights-withdrawn-on = Ingetrokken op
rights-withdraw-submit = Intrekking vastleggen
rights-withdrawals = Intrekkingen van toestemming
rights-withdrawal-frozen = { $count } traject(en) bevroren
rights-withdrawal-ended = { $count } toestemming(en) voor ouders beëindigd

rights-error-value = Vul een geldige waarde in (een geboortedatum als JJJJ-MM-DD, niet in de toekomst), anders dan de huidige.
rights-error-field = Kies naam, adres of geboortedatum.
rights-error-reason = Schrijf een reden van ten minste 10 tekens.
rights-error-request = Dit verzoek hoort niet bij deze cliënt.
rights-error-ground = Kies een grond.
rights-error-trajectories = Kies trajecten van deze cliënt.
rights-error-trajectory = Bezwaar kan alleen tegen verwerking op grond van een publieke taak of een gerechtvaardigd belang; dit traject rust op een andere grondslag.
rights-error-situation = Beschrijf de situatie van de cliënt in ten minste 10 tekens.
rights-error-grounds = Beschrijf de gronden van de organisatie in ten minste 10 tekens.
rights-error-outcome = Kies een uitkomst.
rights-error-withdrawn-on = Vul een datum in die niet in de toekomst ligt.
rights-error-notice-on = Vul een datum in, niet in de toekomst en niet vóór de bevriezing.
rights-error-how = Kies hoe de cliënt is geïnformeerd.
rights-error-notice-first = Informeer de cliënt eerst en leg dat vast; pas daarna kan de bevriezing worden opgeheven.
rights-error-conflict = Dit kan niet meer: de bevriezing is al opgeheven.
