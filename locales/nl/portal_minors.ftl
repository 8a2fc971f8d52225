# Ouders, voogden en wettelijk vertegenwoordigers in Mijn dossier (MIN-1..4), en het
# geheime adres.

## Medewerkers: op de cliëntpagina
minors-staff-heading = Mijn dossier voor ouders en vertegenwoordigers
minors-staff-help = Een ouder met gezag of voogd leest mee met het dossier van een minderjarige zoals de wet het toestaat; een curator of mentor van een volwassene leest binnen het vastgelegde mandaat. Wat iemand mag zien, wordt bij elk bezoek opnieuw bepaald, met de leeftijd van die dag.
minors-band-under-own-access = De cliënt is jonger dan 12: ouders met gezag lezen het dossier; de cliënt krijgt nog geen eigen account.
minors-band-consultative = De cliënt is 12 tot 16: eigen toegang; ouders met gezag lezen mee, tenzij u per ouder vastlegt dat het belang van het kind zich daartegen verzet.
minors-band-independent = De cliënt is 16 of 17: ouders lezen alleen mee met vastgelegde toestemming van de jongere, die de jongere zelf in Mijn dossier geeft en intrekt.
minors-band-adult = De cliënt is volwassen: alleen een wettelijk vertegenwoordiger (curator, mentor) leest mee, binnen het mandaat.
minors-state-account = Heeft een account voor Mijn dossier sinds { $date }.
minors-state-invited = Uitgenodigd; de code is geldig tot { $date }.
minors-state-none = Geen toegang tot Mijn dossier.
minors-invite = Uitnodigen voor Mijn dossier
minors-code-issued = Geef deze code persoonlijk aan deze persoon. De code wordt maar één keer getoond.
minors-invite-under-12 = Een kind jonger dan 12 krijgt geen eigen account; de ouders met gezag lezen het dossier.
minors-invite-parent-of-adult = Het gezag van een ouder eindigt als het kind 18 wordt; nodig een wettelijk vertegenwoordiger uit als die er is.
minors-invite-representative-of-minor = Een wettelijk vertegenwoordiger (curator, mentor) treedt op voor een volwassen cliënt; voor een minderjarige lezen de ouders met gezag of de voogd.
minors-invite-other-relation = Alleen een ouder met gezag, een voogd of een wettelijk vertegenwoordiger kan meelezen.
minors-invite-has-account = Deze persoon heeft al een account voor deze cliënt. Trek de toegang eerst in om opnieuw uit te nodigen.
minors-blocked = Inzage geblokkeerd.
minors-blocked-since = Sinds { $date }
minors-block-reason = Reden
minors-block-record = Inzage voor deze ouder blokkeren
minors-block-help = Leg vast waarom het belang van het kind zich verzet tegen inzage door deze ouder. De reden wordt versleuteld bewaard; de functionaris gegevensbescherming kan hem beoordelen. De blokkade geldt direct, van 12 tot 16 jaar.
minors-block-lift = Blokkade opheffen
minors-block-reason-required = Vul de reden in.
minors-block-reason-long = De reden mag hoogstens { $count } tekens hebben.
minors-block-only-parents = Alleen de inzage van een ouder met gezag of een voogd kan worden geblokkeerd.
minors-block-exists = De inzage van deze ouder is al geblokkeerd.
minors-block-none = De inzage van deze ouder is niet geblokkeerd.
minors-consent-since = De jongere heeft toestemming gegeven op { $date }.
minors-mandate = Mandaat
minors-mandate-none = Nog geen mandaat vastgelegd; deze vertegenwoordiger ziet niets van het dossier.
minors-mandate-record = Mandaat vastleggen
minors-mandate-scope = Waarvoor
minors-mandate-whole = Het hele dossier
minors-mandate-some = Alleen deze trajecten
minors-mandate-until = tot en met { $date }
minors-mandate-ends-on-label = Geldig tot en met
minors-mandate-ends-on = Vul een einddatum in vanaf vandaag.
minors-mandate-trajectories = Kies het hele dossier, of ten minste één traject van deze cliënt.
minors-mandate-only-representatives = Een mandaat hoort bij een wettelijk vertegenwoordiger.
minors-address-withheld = Alleen zichtbaar voor de hulpverleners die aan deze cliënt zijn toegewezen.

## De functionaris gegevensbescherming
minors-review-nav = Blokkades ouders
minors-title-review = Blokkades van inzage door ouders
minors-review-help = Elke blokkade met haar reden, ook opgeheven blokkades. Het lezen van de redenen wordt per cliënt vastgelegd in de auditlog.
minors-review-none = Er zijn geen blokkades vastgelegd.
minors-review-client = Cliënt (id)
minors-review-person = Betrokkene (id)
minors-review-recorded = Vastgelegd
minors-review-lifted = Opgeheven
minors-review-in-force = Van kracht

## Mijn dossier: ouders en vertegenwoordigers
minors-linked-heading = Dossiers waarin u meeleest
minors-relation-parent = als ouder of voogd
minors-relation-representative = als wettelijk vertegenwoordiger
minors-relation-other = zonder leesrecht
minors-not-now = U kunt dit dossier op dit moment niet inzien. Heeft u vragen? Neem contact op met de hulpverlener.
minors-title-dossier = Dossier
minors-dossier-help = U ziet wat de regels u vandaag laten zien. Als ouder ziet u alleen wat is vastgelegd vanaf de dag dat uw gezag begon.
minors-own-record-link = Wat er over u in dit dossier staat
minors-title-record = Wat er over u in dit dossier staat
minors-own-record-help = Dit zijn de gegevens die de organisatie over u heeft vastgelegd in dit dossier. Deze gegevens mag u altijd inzien.
minors-back-dossier = Terug naar het dossier
minors-back-home = Terug naar Mijn dossier
minors-link-home = Nog een uitnodigingscode invoeren
minors-title-link = Uitnodigingscode invoeren
minors-link-help = Heeft u van een hulpverlener een nieuwe uitnodigingscode gekregen, bijvoorbeeld voor een tweede kind? Vul hem hier in; u blijft hetzelfde account gebruiken.
minors-link-submit = Code toevoegen
minors-code-linked = U leest dit dossier al mee met dit account.

## Mijn dossier: de cliënt zelf
minors-own-profile-link = Mijn gegevens
minors-title-own-profile = Mijn gegevens
minors-consent-link = Toestemming voor ouders
minors-title-consent = Toestemming voor ouders
minors-consent-help = U bent 16 of ouder. Uw ouders kunnen uw dossier alleen inzien als u daar toestemming voor geeft. U kunt die toestemming per ouder geven en op elk moment weer intrekken; dat geldt meteen.
minors-consent-not-yet = Tot uw 16e lezen uw ouders met gezag mee met uw dossier, in overleg met u. Vanaf uw 16e beslist u dat zelf, hier.
minors-consent-adult = U bent volwassen. Uw ouders kunnen uw dossier niet inzien.
minors-consent-no-parents = Er zijn geen ouders met gezag vastgelegd.
minors-consent-none = Geen toestemming.
minors-consent-given-since = Toestemming gegeven op { $date }.
minors-consent-give = Toestemming geven
minors-consent-withdraw = Toestemming intrekken
minors-consent-unchanged = Dit was al zo; er is niets veranderd.
