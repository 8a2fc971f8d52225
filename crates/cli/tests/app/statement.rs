//! The privacy statement and card generated from the policy (TRN-2, ORG-3): the public
//! pages, their PDFs and `zorgvuldig policy render` contain every term, deadline and
//! contact of the organisations' original statements, in Dutch, and in English on
//! request; an organisation without a card has none.

use zv_domain::Role;
use zv_testkit::engines;
use zv_testkit::web::TestServer;

use crate::api::{Api, conforms, make_token};
use crate::cli::{text, zv};
use crate::fixtures::pdf_text;

/// The visible text of a page: tags dropped, entities the templates write undone.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What Blijf Groep's statement says, each as the generated statement words it: the
/// original's words in the comment.
const BLIJF: &[&str] = &[
    // "Cliënten: 15 jaar ... Het jongste kind is nog geen 18: ... tot het kind 18 is"
    "Opvang: 15 jaar na het einde van de hulp",
    "niet eerder dan wanneer het jongste kind 18 jaar is",
    // "Camerabeelden: maximaal 4 weken of zoveel langer als ... nader onderzoek"
    "Camerabeelden: 4 weken na de opname",
    // "Financiële gegevens: 7 jaar (=wettelijke termijn)"
    "Financiële gegevens: 7 jaar",
    // "Medewerker gegevens: 7 jaar na uitdiensttreding ... 5 jaar (b.v. paspoort/id)"
    "Medewerkergegevens: 7 jaar na uitdiensttreding",
    "identiteitsbewijzen van medewerkers: 5 jaar",
    // "Sollicitant gegevens: max. 2 maanden ... of max. 1 tot 3 jaar ... (na expliciete
    // goedkeuring)"
    "Sollicitanten: 2 maanden",
    "met schriftelijke toestemming langer, van 1 jaar tot 3 jaar",
    // "uiterlijk binnen één maand na het ontvangen van uw verzoek"
    "Wij reageren binnen 1 maand",
    // "met nog eens twee maanden verlengen ... binnen één maand, na ontvangst ..."
    "met 2 maanden verlengen",
    "binnen 1 maand na ontvangst weten",
    // "ook een kind van 12 jaar en ouder", "tot zij de leeftijd van 16 jaar hebben bereikt"
    "12 jaar of ouder",
    "tot het 16 jaar is",
    // Complaints and the Autoriteit Persoonsgegevens.
    "mondeling of schriftelijk (per brief of e-mail)",
    "klacht@blijfgroep.nl",
    "Autoriteit Persoonsgegevens",
    "088 - 1805 250 (maandag t/m vrijdag; 9.00 tot 17.00 uur)",
    "Postbus 93374, 2509 AJ DEN HAAG",
    "https://autoriteitpersoonsgegevens.nl",
    // "Voor hulp, advies en informatie belt u: 088 234 24 50"; "In geval van nood: Bel 112"
    "088 234 24 50",
    "bel 112",
    "privacy@blijfgroep.nl",
    "https://www.blijfgroep.nl/privacy",
    // "Wij geven geen gegevens aan ... buiten": research institutes anonymised only.
    "Onderzoeksinstituut: alleen geanonimiseerde gegevens",
];

/// What LEVgroep's statement says, as the generated statement words it.
const LEV: &[&str] = &[
    // §9 "Algemeen Maatschappelijk Werk: 2 jaar. Bij huiselijk geweld: 15 jaar."
    "Algemeen maatschappelijk werk: 2 jaar",
    "Algemeen maatschappelijk werk, bij huiselijk geweld: 15 jaar",
    // "Jeugdhulp: 20 jaar of langer, afhankelijk van wat nodig is."
    "Jeugdhulp: 20 jaar",
    "langer alleen met een vastgelegde reden",
    // "Groepsactiviteiten, cursussen of workshops: 2 jaar."
    "Groepsactiviteiten, cursussen en workshops: 2 jaar",
    // "Maatschappelijke begeleiding voor vluchtelingen: 5 jaar."
    "Maatschappelijke begeleiding vluchtelingen: 5 jaar",
    // §8 "Wij reageren binnen twee weken. Binnen vier weken voeren we je verzoek uit."
    "Wij reageren binnen 2 weken en voeren uw verzoek uit binnen 4 weken",
    // §10 "We delen jouw gegevens niet met landen buiten de Europese Unie."
    "buiten de Europese Economische Ruimte",
    // §11 the privacy officer and the Autoriteit Persoonsgegevens.
    "L.R. Juchter van Bergen Quast",
    "fg@levgroep.nl",
    "autoriteitpersoonsgegevens.nl",
    // §12 "De meest recente versie staat altijd op onze website: www.levgroep.nl/privacyverklaring."
    "levgroep.nl/privacyverklaring",
    // §5 "Kinderen onder de 12 jaar", "Jongeren van 12-16 jaar"
    "12 jaar of ouder",
    "tot het 16 jaar is",
    // §6 photos only with written consent.
    "Foto's en video's bij activiteiten (toestemming)",
];

// promise: TRN-2
// promise: ORG-3
#[tokio::test(flavor = "multi_thread")]
async fn the_public_statement_holds_every_term_deadline_and_contact_of_the_original() {
    for engine in engines() {
        for (org, expected) in [("blijfgroep", BLIJF), ("levgroep", LEV)] {
            let s = TestServer::start(engine, org).await;
            let visitor = s.client();
            let page = visitor.get("/privacyverklaring").await;
            assert_eq!(page.status, 200, "{engine:?} {org}: {}", page.body);
            let words = visible(&page.body);
            for phrase in expected {
                assert!(
                    words.contains(phrase),
                    "{org}: `{phrase}` is missing:\n{words}"
                );
            }
            let policy = s.t.app.policy().clone();
            for p in policy.purposes() {
                assert!(words.contains(&p.name_nl), "{org}: purpose {}", p.code);
            }
            // The same in English on request, and as a PDF.
            let english = visible(&visitor.get("/privacyverklaring?taal=en").await.body);
            assert!(english.contains("Privacy statement"), "{english}");
            assert!(english.contains("How long do we keep your data?"));
            assert!(english.contains(&policy.privacy_officer().email));
            let pdf = s
                .client()
                .http
                .get(format!("{}/privacyverklaring.pdf?taal=nl", s.client().base))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            assert!(pdf.starts_with(b"%PDF"));
            let pdf = pdf_text(&pdf);
            assert!(pdf.contains(&policy.privacy_officer().email), "{pdf}");

            // The card: Blijf Groep hands one to every client; LEVgroep has none.
            let card = visitor.get("/privacykaart").await;
            if policy.organisation().privacy_card {
                assert_eq!(card.status, 200);
                let card = visible(&card.body);
                assert!(card.contains("Privacykaart"));
                for phrase in ["Opvang: 15 jaar", "klacht@blijfgroep.nl", "088 234 24 50"] {
                    assert!(card.contains(phrase), "card: `{phrase}` missing: {card}");
                }
            } else {
                assert_eq!(card.status, 404);
                assert_eq!(visitor.get("/privacykaart.pdf").await.status, 404);
            }
        }
    }
}

// promise: TRN-2
#[test]
fn policy_render_prints_the_statement_and_the_card_as_html_and_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let html = zv(&["policy", "render"], dir.path(), "");
    assert!(html.status.success(), "{}", text(&html));
    let words = visible(&String::from_utf8_lossy(&html.stdout));
    for phrase in BLIJF {
        assert!(words.contains(phrase), "`{phrase}` is missing");
    }
    let out = dir.path().join("kaart.pdf");
    let pdf = zv(
        &[
            "policy",
            "render",
            "--card",
            "--lang",
            "en",
            "--format",
            "pdf",
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
        "",
    );
    assert!(pdf.status.success(), "{}", text(&pdf));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert!(pdf_text(&bytes).contains("Privacy card"));
    let bad = zv(&["policy", "render", "--lang", "fr"], dir.path(), "");
    assert!(!bad.status.success());
    assert!(text(&bad).contains("choose nl or en"), "{}", text(&bad));
}

// promise: TRN-2
// promise: ORG-3
#[tokio::test(flavor = "multi_thread")]
async fn publishing_freezes_a_version_earlier_ones_stay_readable_and_two_compare() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let team = s.t.first_team();
        let (officer, officer_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (_, worker_secret) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
        let fg = s.client();
        fg.sign_in("fg.privacy", &officer_secret).await;
        let worker = s.client();
        worker.sign_in("hulpverlener", &worker_secret).await;
        let visitor = s.client();

        // Before anything is published the public page shows the generated statement.
        let versions = visitor.get("/privacyverklaring/versies").await;
        assert_eq!(versions.status, 200);
        assert!(versions.body.contains("id=\"none\""));

        // Only the privacy officer publishes; a caseworker neither sees nor posts the form.
        assert_eq!(worker.get("/privacy/verklaring").await.status, 404);
        let page = fg.get("/privacy/verklaring").await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            page.body.contains("value=\"2024\""),
            "the policy's version is proposed"
        );
        let refused = worker
            .post(
                "/privacy/verklaring",
                &[
                    ("csrf", worker.get("/").await.csrf().as_str()),
                    ("label", "x"),
                ],
            )
            .await;
        assert!(
            refused.status == 404 || refused.status == 403,
            "{}",
            refused.status
        );
        assert!(s.t.app.statement_versions().await.unwrap().is_empty());

        // A nameless version is refused in Dutch, next to the field; nothing is stored.
        let empty = fg
            .post(
                "/privacy/verklaring",
                &[("csrf", page.csrf().as_str()), ("label", " ")],
            )
            .await;
        assert_eq!(empty.status, 422);
        assert!(
            empty.body.contains("Geef de versie een naam"),
            "{}",
            empty.body
        );
        assert!(s.t.app.statement_versions().await.unwrap().is_empty());

        let first = fg
            .post(
                "/privacy/verklaring",
                &[("csrf", page.csrf().as_str()), ("label", "2024")],
            )
            .await;
        assert_eq!(first.status, 303, "{}", first.body);
        assert_eq!(first.location(), Some("/privacyverklaring/versies/1"));
        let again = fg
            .post(
                "/privacy/verklaring",
                &[("csrf", page.csrf().as_str()), ("label", "2025")],
            )
            .await;
        assert_eq!(again.status, 422);
        assert!(
            again.body.contains("Er is niets gewijzigd"),
            "{}",
            again.body
        );

        // A second version with a changed term (as after a change of the policy).
        let v1 = s.t.app.statement_version(1).await.unwrap();
        let mut changed = v1.documents.clone();
        for section in &mut changed.statement_nl.sections {
            for item in &mut section.items {
                *item = item.replace("Opvang: 15 jaar", "Opvang: 10 jaar");
            }
        }
        assert_eq!(
            s.t.app
                .publish_statement(&officer, "2025", &changed)
                .await
                .unwrap(),
            2
        );
        // The public page shows the newest frozen version, not the live policy.
        let public = visible(&visitor.get("/privacyverklaring?taal=nl").await.body);
        assert!(public.contains("Opvang: 10 jaar"), "{public}");
        assert!(public.contains("Versie 2 (2025)"));
        // The first stays readable as it was.
        let old = visible(
            &visitor
                .get("/privacyverklaring/versies/1?taal=nl")
                .await
                .body,
        );
        assert!(old.contains("Opvang: 15 jaar") && old.contains("Versie 1 (2024)"));
        assert_eq!(
            visitor.get("/privacyverklaring/versies/9").await.status,
            404
        );
        assert_eq!(
            visitor.get("/privacyverklaring/versies/x").await.status,
            404
        );
        let pdf = s
            .client()
            .http
            .get(format!(
                "{}/privacyverklaring/versies/1/pdf",
                s.client().base
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.status(), 200);
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));

        // The comparison names exactly the changed line, both ways round.
        let diff = visitor
            .get("/privacyverklaring/verschil?van=1&tot=2&taal=nl")
            .await;
        assert_eq!(diff.status, 200, "{}", diff.body);
        assert!(diff.body.contains("2 gewijzigde regels"), "{}", diff.body);
        assert!(diff.body.contains("<del>− • Opvang: 15 jaar"));
        assert!(diff.body.contains("<ins>+ • Opvang: 10 jaar"));
        let draft = visitor
            .get("/privacyverklaring/verschil?van=1&tot=concept&taal=nl")
            .await;
        assert!(draft.body.contains("0 gewijzigde regels"), "{}", draft.body);

        // Publishing the policy as it is now again is a change against version 2, but a
        // name is used once.
        let reused = fg
            .post(
                "/privacy/verklaring",
                &[("csrf", page.csrf().as_str()), ("label", "2024")],
            )
            .await;
        assert_eq!(reused.status, 422);
        assert!(reused.body.contains("al een versie met deze naam"));
        let third = fg
            .post(
                "/privacy/verklaring",
                &[("csrf", page.csrf().as_str()), ("label", "januari 2027")],
            )
            .await;
        assert_eq!(third.status, 303, "{}", third.body);
        let list = visitor.get("/privacyverklaring/versies").await;
        assert_eq!(list.body.matches("/privacyverklaring/versies/").count(), 3);

        // The API: public reading by the document's schemas, publishing by the officer.
        let public = Api::anonymous(&s);
        let doc = public.get("/openapi.json").await.json;
        let listed = public.get("/statements").await;
        conforms(&doc, "get", "/statements", &listed);
        assert_eq!(listed.json.as_array().unwrap().len(), 3);
        let one = public.get("/statement?number=1").await;
        conforms(&doc, "get", "/statement", &one);
        assert_eq!(one.json["label"], "2024");
        assert!(
            one.json["card_nl"]["title"]
                .as_str()
                .unwrap()
                .contains("Privacykaart")
        );
        let compared = public.get("/statements/diff?from=1&to=2").await;
        conforms(&doc, "get", "/statements/diff", &compared);
        let changed: Vec<_> = compared.json["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["change"] != "same")
            .collect();
        assert_eq!(changed.len(), 2, "{changed:?}");
        assert_eq!(
            public.get("/statements/diff?from=1&to=zes").await.status,
            422
        );
        assert_eq!(public.get("/statement?number=0").await.status, 422);
        assert_eq!(public.get("/statement?number=44").await.status, 404);
        let month = (s.t.clock_today() + chrono::Duration::days(30)).to_string();
        let officer_token = make_token(&fg, "Publiceren", &["write"], &month).await;
        let worker_token = make_token(&worker, "Schrijven", &["write"], &month).await;
        let by_worker = Api::new(&s, &worker_token)
            .post(
                "/statements",
                &serde_json::json!({"label": "door hulpverlener"}),
            )
            .await;
        assert!(
            by_worker.status == 404 || by_worker.status == 403,
            "{}",
            by_worker.text()
        );
        let officer_api = Api::new(&s, &officer_token);
        let unchanged = officer_api
            .post("/statements", &serde_json::json!({"label": "nog een"}))
            .await;
        assert_eq!(unchanged.status, 422, "{}", unchanged.text());
        conforms(&doc, "post", "/statements", &unchanged);
        let extra = officer_api
            .post(
                "/statements",
                &serde_json::json!({"label": "x", "text": "eigen tekst"}),
            )
            .await;
        assert_eq!(extra.status, 422);
        assert_eq!(s.t.app.statement_versions().await.unwrap().len(), 3);
    }
}
