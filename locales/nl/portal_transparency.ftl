# Het cliëntportaal: wie keek in mijn dossier (POR-3), hulp en veiligheid (POR-5) en de
# privacyverklaring (ORG-3), ook aan de kant van de medewerker.

## Wie keek in mijn dossier (POR-3)

portal-log-title = Wie keek in mijn dossier
portal-log-title-linked = Wie keek in dit dossier
portal-log-nav = Wie keek in mijn dossier
portal-log-home-link = Bekijk wie uw dossier heeft ingezien, en wanneer.
portal-log-intro = Hier ziet u wie uw gegevens heeft bekeken of gewijzigd, wanneer, wat er gebeurde en waarom die persoon toegang had. Elke keer dat iemand uw dossier opent, wordt dat vastgelegd; dit overzicht komt uit dat logboek.
portal-log-from = Vanaf
portal-log-to = Tot en met
portal-log-include-own = Ook laten zien wat ik zelf in Mijn dossier deed
portal-log-filter = Toon
portal-log-none = Er staat nog niets in het overzicht.
portal-log-none-in-period = In deze periode heeft niemand uw gegevens bekeken of gewijzigd.
portal-log-when = Wanneer
portal-log-who = Wie
portal-log-what = Wat
portal-log-ground = Waarom
portal-log-emergency = Noodtoegang
portal-log-refused = geweigerd
portal-log-failed = mislukt
portal-log-rules = regel
portal-log-older = Oudere gebeurtenissen
portal-log-explained = Bij een medewerker ziet u de naam en de functie, of alleen de functie als de organisatie de naam niet toont. Noodtoegang gebruikt een medewerker alleen in een noodsituatie; de functionaris gegevensbescherming krijgt er direct bericht van. Werkaantekeningen van medewerkers horen niet bij uw dossier en staan hier niet.
portal-log-error-from = Vanaf: vul een geldige datum in (jjjj-mm-dd), of laat het veld leeg.
portal-log-error-to = Tot en met: vul een geldige datum in (jjjj-mm-dd), of laat het veld leeg.
portal-log-error-order = Tot en met: deze datum ligt voor de datum bij Vanaf.
portal-log-on-behalf = (als vervanger van uw hulpverlener)

portal-log-who-you = U zelf
portal-log-who-sign-in-attempt = Een aanmeldpoging op uw account
portal-log-who-representative = Een ouder of vertegenwoordiger via Mijn dossier
portal-log-who-system = Het systeem (automatisch)
portal-log-who-staff = Een medewerker

portal-log-action-create = Toegevoegd
portal-log-action-read = Ingezien
portal-log-action-update = Gewijzigd
portal-log-action-delete = Verwijderd
portal-log-action-print-copy = Gedownload of afgedrukt
portal-log-action-export = Geëxporteerd
portal-log-action-search = Gezocht
portal-log-action-emergency-access = Noodtoegang geopend
portal-log-action-sign-in = Aangemeld
portal-log-action-sign-out = Afgemeld

portal-log-object-client-profile = uw persoonsgegevens
portal-log-object-bsn = uw burgerservicenummer (BSN)
portal-log-object-related-person = gegevens van uw familie of andere betrokkenen
portal-log-object-trajectory = uw dossier (een hulptraject)
portal-log-object-entry = een onderdeel van uw dossier
portal-log-object-goal-progress = de voortgang van een doel
portal-log-object-attachment = een bijlage in uw dossier
portal-log-object-services-overview = welke hulp u krijgt (zonder de inhoud)
portal-log-object-complaint = een klacht
portal-log-object-access-grant = een tijdelijke toegang tot uw dossier
portal-log-object-portal-account = uw account voor Mijn dossier
portal-log-object-audit-log = dit overzicht
portal-log-object-destruction = het vernietigen van gegevens
portal-log-object-statement-receipt = welke privacyverklaring u kreeg
portal-log-object-rights-request = een verzoek over uw gegevens
portal-log-object-address = uw adres
portal-log-object-mandate = de taken van uw vertegenwoordiger
portal-log-object-youth-consent = uw toestemming voor inzage door een ouder
portal-log-object-other = andere gegevens

portal-log-ground-care = Werkt aan uw hulp (uw hulpverlener)
portal-log-ground-rights-request = Behandeling van uw verzoek
portal-log-ground-complaint = Behandeling van een klacht
portal-log-ground-quality-review = Kwaliteitsonderzoek
portal-log-ground-emergency = Noodsituatie
portal-log-ground-substitution = Vervanging bij afwezigheid van uw hulpverlener
portal-log-ground-administration = Beheer van het systeem
portal-log-ground-retention = Bewaartermijn
portal-log-ground-statistics = Anonieme statistiek (alleen een leeftijdsgroep en geslacht afgeleid)
portal-log-ground-own-access = Uw eigen inzage
portal-log-ground-representative = Inzage door een ouder of vertegenwoordiger
portal-log-ground-demo = Demonstratiegegevens

## Hulp en veiligheid (POR-5)

portal-help-label = Hulp en noodnummers
portal-help-phone = Hulp nodig? Bel
portal-help-emergency = In nood: bel
portal-help-chat = Chat met ons
portal-help-website = Website
portal-help-quick-exit = Snel weg
portal-help-quick-exit-hint = of druk twee keer op Esc. Sluit daarna ook het tabblad.
portal-help-neutral-title = Nieuw tabblad
portal-help-neutral-body = Nieuw tabblad

## De privacyverklaring (ORG-3)

statement-footer = Privacyverklaring, versie { $version }.
statement-portal-read = Lees de privacyverklaring
statement-portal-mine = Welke versie kreeg ik?
statement-portal-nav = Privacyverklaring
statement-portal-home-link = Bekijk welke privacyverklaring u heeft gekregen.
statement-portal-title = Privacyverklaring
statement-portal-current = De privacyverklaring die nu geldt, is versie { $version }.
statement-portal-card = De privacykaart is een korte samenvatting van de privacyverklaring.
statement-portal-given-heading = Wat u heeft gekregen
statement-portal-none = Er is nog niet vastgelegd welke privacyverklaring u heeft gekregen. Vraag ernaar bij uw hulpverlener.
statement-portal-earlier = Wilt u de tekst lezen van een eerdere versie die u kreeg? Vraag die op bij de functionaris gegevensbescherming:
statement-given-on = Gegeven op
statement-version = Versie
statement-what = Wat
statement-current = geldt nu
statement-what-statement = privacyverklaring
statement-what-card = privacykaart

statement-staff-heading = Privacyverklaring
statement-staff-none = Nog niet vastgelegd welke privacyverklaring de cliënt heeft gekregen.
statement-recorded-at = Vastgelegd
statement-record = Vastleggen wat de cliënt kreeg
statement-intake-legend = Privacyverklaring
statement-intake-help = Leg vast wat de cliënt bij de intake heeft gekregen. Haal weg wat niet is meegegeven.
statement-given-label = De cliënt heeft de privacyverklaring gekregen (versie { $version })
statement-card-given-label = De cliënt heeft de privacykaart gekregen
statement-error-nothing-given = Vink aan wat de cliënt heeft gekregen: de privacyverklaring, de privacykaart of allebei.
statement-error-no-card = Deze organisatie geeft geen privacykaart mee.
statement-error-date = Vul een geldige datum in (jjjj-mm-dd).
statement-error-future = Deze datum ligt in de toekomst.
portal-log-who-client = De cliënt zelf, via Mijn dossier
minors-access-log-link = Wie keek in dit dossier
