//! Fictional Dutch names and dossier texts for the demo data set. Any likeness to a real
//! person is chance: names are drawn independently and combined at random.

pub const GIVEN_FEMALE: &[&str] = &[
    "Anna", "Emma", "Sophie", "Julia", "Lotte", "Sanne", "Fleur", "Noor", "Eva", "Lisa", "Iris",
    "Fatima", "Yasmina", "Nadia", "Samira", "Marieke", "Ingrid", "Petra", "Anouk", "Femke", "Mila",
    "Zoë", "Sara", "Ayşe", "Elif", "Chantal", "Esther", "Marloes", "Joyce", "Linda",
];
pub const GIVEN_MALE: &[&str] = &[
    "Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Jesse", "Thijs", "Ruben", "Bram", "Mohamed",
    "Ahmed", "Youssef", "Mehmet", "Emre", "Kevin", "Dennis", "Jeroen", "Mark", "Bas", "Noah",
    "Luuk", "Sven", "Gijs", "Stijn", "Koen", "Tim", "Rik", "Jan", "Willem",
];
pub const PREFIXES: &[&str] = &[
    "", "", "", "", "van", "de", "van der", "van den", "ter", "van de",
];
pub const SURNAMES: &[&str] = &[
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Dijkstra",
    "Kok",
    "Verhoeven",
    "Berg",
    "Heuvel",
    "Wijk",
    "Linden",
    "Yilmaz",
    "Kaya",
    "El Amrani",
    "Bouzid",
    "Öztürk",
    "Martens",
    "Willems",
    "Claassen",
    "Goossens",
    "Hoekstra",
    "Koster",
    "Prins",
    "Timmermans",
    "Postma",
    "Leeuwen",
    "Graaf",
    "Maas",
    "Verbeek",
    "Sanders",
    "Kuipers",
    "Veenstra",
];
pub const STREETS: &[&str] = &[
    "Kerkstraat",
    "Dorpsstraat",
    "Molenweg",
    "Schoolstraat",
    "Julianastraat",
    "Beatrixlaan",
    "Lindelaan",
    "Stationsweg",
    "Parallelweg",
    "Wilhelminaplein",
    "Esdoornlaan",
    "Vlierstraat",
];

pub const GOALS: &[&str] = &[
    "Schulden in beeld brengen en een afbetalingsregeling treffen",
    "Een veilige woonplek vinden",
    "Weer naar school gaan, vier dagen per week",
    "Het contact met de kinderen op een veilige manier herstellen",
    "Zelfstandig de administratie bijhouden",
    "Een dagritme opbouwen met vaste tijden",
    "Een netwerk opbouwen van mensen bij wie ik terecht kan",
    "Een inburgeringscursus afronden",
];
pub const CONVERSATIONS: &[&str] = &[
    "Gesprek op locatie. Cliënt vertelt dat het de afgelopen week rustiger was thuis. Afgesproken dat cliënt volgende week de brieven van de gemeente meeneemt.",
    "Telefonisch contact. Cliënt heeft de afspraak bij de woningcorporatie gehad; er is nog geen aanbod. We bellen over twee weken opnieuw.",
    "Huisbezoek. De kinderen waren aanwezig en maakten een ontspannen indruk. Cliënt geeft aan behoefte te hebben aan opvoedondersteuning.",
    "Gesprek samen met de jongere. Besproken wat er op school speelt en welke hulp de jongere zelf wil. De jongere wil de ouders hier nog niet bij betrekken.",
    "Intakegesprek. Hulpvraag uitgevraagd, privacyverklaring en de privacykaart uitgereikt en toegelicht. Cliënt gaat akkoord met het plan van aanpak.",
];
pub const PLANS: &[&str] = &[
    "Plan van aanpak: 1. overzicht inkomsten en uitgaven; 2. aanmelding schuldhulpverlening; 3. evaluatie na acht weken.",
    "Hulpverleningsplan: veiligheidsafspraken vastgelegd, wekelijkse gesprekken, evaluatie na drie maanden.",
    "Veiligheidsplan: contactpersonen, vluchtroute en afspraken met school vastgelegd.",
];
pub const REFERRALS: &[&str] = &[
    "Verwijzing van de huisarts: verzoek om ondersteuning bij opvoedvragen en stress.",
    "Doorverwijzing door de school: zorgen over verzuim en terugtrekkend gedrag.",
    "Rapportage van het wijkteam met een overzicht van de eerdere hulp.",
];
pub const EMAILS: &[&str] = &[
    "Samenvatting e-mail van cliënt: afspraak verzet naar donderdag; vraagt of de brief van de belastingdienst mee moet.",
    "Samenvatting e-mail van de school: de mentor wil graag een gezamenlijk gesprek plannen.",
    "Samenvatting e-mail van de woningcorporatie: urgentieaanvraag is in behandeling genomen.",
];
pub const WORK_NOTES: &[&str] = &[
    "Voor mezelf: volgende keer vragen naar de slaap, leek erg moe.",
    "Nagaan bij collega welke cursus opvoedondersteuning nu loopt.",
    "Let op: cliënt wil niet gebeld worden op het vaste nummer.",
];
pub const NECESSITY: &[&str] = &[
    "Medicatie en gezondheid bepalen welke dagbesteding haalbaar is; nodig om het plan goed af te stemmen.",
    "Nodig voor de veiligheidsinschatting in het kader van de meldcode.",
];
