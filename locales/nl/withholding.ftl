# Achterhouden van delen van het dossier voor de cliënt (POR-2) en de beoordeling door de
# functionaris gegevensbescherming.

title-withhold-entry = Achterhouden voor de cliënt
title-withhold-review-list = Achtergehouden delen beoordelen
title-withhold-review = Achtergehouden deel beoordelen

withhold-nav = Achterhouden
withhold-link = Achterhouden voor cliënt

withhold-ground-others-data = gegevens over anderen, zoals gezinsleden
withhold-ground-protection-of-others = bescherming van anderen
withhold-ground-prevention-of-crime = voorkomen van strafbare feiten
withhold-marker-others-data = [weggelaten: gegevens over anderen]
withhold-marker-protection-of-others = [weggelaten: ter bescherming van anderen]
withhold-marker-prevention-of-crime = [weggelaten: ter voorkoming van strafbare feiten]
withhold-notice-others-data = Dit onderdeel van uw dossier kunt u hier niet lezen, omdat het gegevens over anderen bevat.
withhold-notice-protection-of-others = Dit onderdeel van uw dossier kunt u hier niet lezen, ter bescherming van anderen.
withhold-notice-prevention-of-crime = Dit onderdeel van uw dossier kunt u hier niet lezen, om strafbare feiten te voorkomen.

withhold-scope-entry = het hele item
withhold-scope-passage = een passage
withhold-badge = Achtergehouden voor cliënt
withhold-hide-fact-short = ook het feit verborgen
withhold-not-reviewed = nog niet beoordeeld door de FG
withhold-passage-lost = passage niet meer gevonden: cliënt ziet het hele item niet
withhold-passage-lost-help = Deze passage staat niet meer letterlijk in de tekst van het item. Daarom ziet de cliënt het hele item niet. Hef dit achterhouden op en markeer de passage opnieuw als dat de bedoeling is.

withhold-intro = U kunt een item of een passage daaruit achterhouden voor de cliënt in Mijn dossier, op een van de wettelijke gronden. De cliënt ziet dan op die plek welke grond geldt, tenzij u vastlegt dat ook dat gevaar oplevert. De functionaris gegevensbescherming beoordeelt elk achterhouden.
withhold-list = Wat wordt achtergehouden
withhold-none = Niets van dit item wordt achtergehouden.
withhold-ground = Grond
withhold-explanation = Toelichting
withhold-explanation-help = Alleen voor medewerkers en de functionaris gegevensbescherming; de cliënt ziet dit nooit. Ten minste 10 tekens.
withhold-review = Beoordeling
withhold-lifted = Opgeheven
withhold-lift-reason = Reden van opheffen
withhold-lift = Opheffen
withhold-new = Iets achterhouden
withhold-what = Wat
withhold-passage = Passage
withhold-passage-help = Kopieer de passage letterlijk uit de tekst hierboven. Overal waar die in dit item staat, ziet de cliënt in plaats daarvan de grond.
withhold-choose-ground = Kies een grond
withhold-hide-fact = Ook het feit van achterhouden verbergen
withhold-hide-fact-help = Alleen als zelfs het weten dat er iets is achtergehouden iemand in gevaar brengt. De cliënt ziet dan niets, ook geen melding.
withhold-submit = Achterhouden

withhold-error-passage = Markeer bij "een passage" ten minste 3 tekens uit de tekst van het item.
withhold-error-passage-not-found = Deze passage staat niet letterlijk in de tekst van het item. Kopieer hem precies, met dezelfde hoofdletters en leestekens.
withhold-error-scope = Kies of u het hele item of een passage achterhoudt.
withhold-error-ground = Kies de grond waarop u achterhoudt.
withhold-error-explanation = Licht in ten minste 10 tekens toe waarom u achterhoudt.
withhold-error-reason = Geef in ten minste 10 tekens de reden van opheffen.
withhold-error-outcome = Kies of u het eens bent of vraagt om op te heffen.
withhold-error-note = Licht in ten minste 10 tekens toe waarom het achterhouden moet worden opgeheven.
withhold-error-conflict = Dit is intussen al opgeheven of beoordeeld. Bekijk de actuele stand.

withhold-review-intro = Achtergehouden delen die u nog niet heeft beoordeeld, en delen waarvan u heeft gevraagd ze op te heffen die nog gelden.
withhold-review-none = Er is niets te beoordelen.
withhold-date = Datum
withhold-by = Door
withhold-client = Cliënt
withhold-trajectory = traject
withhold-state = Stand
withhold-yes = ja
withhold-no = nee
withhold-review-open = Beoordelen
withhold-review-back = Terug naar de lijst
withhold-review-record = Beoordeling vastleggen
withhold-review-outcome = Uw oordeel
withhold-review-agree = eens
withhold-review-ask-to-lift = gevraagd op te heffen
withhold-review-note = Notitie
withhold-review-note-help = Verplicht als u vraagt op te heffen (ten minste 10 tekens). De hulpverlener ziet deze notitie; de cliënt niet.
withhold-review-submit = Beoordeling vastleggen
