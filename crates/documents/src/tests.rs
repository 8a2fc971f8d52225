#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn organisation() -> CopyOrganisation {
    CopyOrganisation {
        name: "LEVgroep".to_owned(),
        legal_name: "Stichting LEVgroep".to_owned(),
        address: "Molenstraat 1, Helmond".to_owned(),
        website: "https://www.levgroep.nl".to_owned(),
        privacy_officer: Contact {
            name: "F. G. Bescherming".to_owned(),
            email: "privacy@levgroep.nl".to_owned(),
            phone: None,
        },
        complaints: "klachten@levgroep.nl".to_owned(),
    }
}

fn authority() -> Authority {
    Authority {
        name: "Autoriteit Persoonsgegevens".to_owned(),
        website: "https://autoriteitpersoonsgegevens.nl".to_owned(),
        phone: "088 - 1805 250".to_owned(),
        postal_address: "Postbus 93374, 2509 AJ Den Haag".to_owned(),
    }
}

fn copy() -> AccessCopy {
    AccessCopy {
        schema: ACCESS_COPY_SCHEMA.to_owned(),
        organisation: organisation(),
        request: CopyRequest {
            reference: "VZ-2026-000001".to_owned(),
            kind: "copy".to_owned(),
            received_on: "2026-03-02".to_owned(),
            prepared_on: "2026-03-10".to_owned(),
            copy_number: 1,
        },
        subject: Subject {
            id: "c1".to_owned(),
            name: "Amal Haddad".to_owned(),
            birth_date: "1984-05-06".to_owned(),
            address: None,
            bsn: Some("*****2782".to_owned()),
            fields: vec![],
        },
        trajectories: vec![CopyTrajectory {
            id: "t1".to_owned(),
            service: "amw".to_owned(),
            service_name: "Algemeen maatschappelijk werk".to_owned(),
            team: "AMW Helmond".to_owned(),
            opened_on: "2026-01-05".to_owned(),
            closed_on: None,
            entries: vec![CopyEntry {
                id: "e1".to_owned(),
                kind: "conversation_report".to_owned(),
                created_at: "2026-02-01T10:00:00Z".to_owned(),
                author: "Hulpverlener".to_owned(),
                // Typst markup in dossier text must come out as text.
                title: "Gesprek #set page(width: 1cm) *niet vet*".to_owned(),
                body: "INHOUD-MARKER-7K en [weggelaten: others_data] verder $x$ <a> @b".to_owned(),
                special_category: None,
                necessity: None,
                progress: None,
                progress_updates: vec![],
                attachments: vec![CopyAttachment {
                    id: "a1".to_owned(),
                    file_name: "verwijzing.pdf".to_owned(),
                    content_type: "application/pdf".to_owned(),
                    size_bytes: 1234,
                    file: "bijlagen/a1-verwijzing.pdf".to_owned(),
                }],
            }],
            work_notes: vec![ReleasedNote {
                id: "n1".to_owned(),
                author: "Hulpverlener".to_owned(),
                created_at: "2026-02-02T10:00:00Z".to_owned(),
                body: "NOTITIE-VRIJGEGEVEN-2M".to_owned(),
            }],
        }],
        withheld: vec![WithheldPart {
            trajectory: "Algemeen maatschappelijk werk".to_owned(),
            entry: "e1".to_owned(),
            scope: "passage".to_owned(),
            ground: "others_data".to_owned(),
        }],
        processing: vec![Processing {
            trajectory: "t1".to_owned(),
            purpose: "Algemeen maatschappelijk werk".to_owned(),
            legal_basis: "public_task".to_owned(),
            retention: "2 jaar na het afsluiten van de hulp".to_owned(),
            retention_note: None,
        }],
        recipients: vec![],
        other_records: vec![OtherRecord {
            register: "consent".into(),
            on: "2026-01-05".into(),
            text: "Toestemming voor de nieuwsbrief, schriftelijk gegeven door u; van kracht."
                .into(),
        }],
        sources: vec!["Uzelf".to_owned()],
        rights: vec!["Recht op inzage".to_owned()],
        supervisory_authority: authority(),
    }
}

fn text_of(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("the PDF's text");
    // Line breaks and hyphenation may fall anywhere; compare on words.
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_access_copy_renders_its_data_as_text_never_as_markup() {
    let pdfs = render_access_copy(&copy()).unwrap();
    assert_eq!(pdfs.len(), 1, "a small dossier is one file");
    let (name, pdf) = &pdfs[0];
    assert_eq!(name, "kopie.pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = text_of(pdf);
    for shown in [
        "Inzage in uw gegevens",
        "VZ-2026-000001",
        "Amal Haddad",
        "INHOUD-MARKER-7K",
        "#set page(width: 1cm)",
        "*niet vet*",
        "NOTITIE-VRIJGEGEVEN-2M",
        "verwijzing.pdf",
        "gegevens over anderen",
        "Autoriteit Persoonsgegevens",
        "niet opgenomen in deze kopie",
        "kosteloos",
    ] {
        assert!(text.contains(shown), "{shown} in {text}");
    }
}

#[test]
fn the_json_copy_names_its_schema_and_round_trips() {
    let json = access_copy_json(&copy()).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(value["schema"], ACCESS_COPY_SCHEMA);
    let back: AccessCopy = serde_json::from_slice(&json).unwrap();
    assert_eq!(back.trajectories[0].entries[0].id, "e1");
}

fn letter() -> DecisionLetter {
    DecisionLetter {
        organisation: organisation(),
        recipient_name: "Amal Haddad".to_owned(),
        recipient_address: None,
        on_behalf_of: None,
        date: "2026-03-10".to_owned(),
        reference: "VZ-2026-000001".to_owned(),
        request_kind: "erasure".to_owned(),
        received_on: "2026-03-02".to_owned(),
        outcome: Outcome::PartiallyGranted,
        reasons: vec!["REDEN-BEWAARPLICHT-4Q".to_owned()],
        supervisory_authority: authority(),
    }
}

#[test]
fn a_decision_letter_states_the_outcome_reasons_and_the_way_to_the_authority_and_court() {
    let nl = text_of(&render_decision_letter(&letter(), Language::Nl).unwrap());
    for shown in [
        "Besluit op uw verzoek",
        "VZ-2026-000001",
        "gedeeltelijk toegewezen",
        "REDEN-BEWAARPLICHT-4Q",
        "Autoriteit Persoonsgegevens",
        "naar de rechter",
        "om verwijdering van uw gegevens",
    ] {
        assert!(nl.contains(shown), "{shown} in {nl}");
    }
    let en = text_of(&render_decision_letter(&letter(), Language::En).unwrap());
    for shown in [
        "Decision on your request",
        "granted your request in part",
        "REDEN-BEWAARPLICHT-4Q",
        "Autoriteit Persoonsgegevens",
        "go to court",
    ] {
        assert!(en.contains(shown), "{shown} in {en}");
    }
}

#[test]
fn a_letter_to_a_parent_names_the_client_it_was_filed_for() {
    let mut to_parent = letter();
    to_parent.recipient_name = "OUDER-NAAM-7K".to_owned();
    to_parent.on_behalf_of = Some("KIND-NAAM-7K".to_owned());
    let nl = text_of(&render_decision_letter(&to_parent, Language::Nl).unwrap());
    assert!(nl.contains("Geachte OUDER-NAAM-7K"), "{nl}");
    assert!(nl.contains("Namens KIND-NAAM-7K"), "{nl}");
    let en = text_of(&render_decision_letter(&to_parent, Language::En).unwrap());
    assert!(en.contains("On behalf of KIND-NAAM-7K"), "{en}");
    let own = text_of(&render_decision_letter(&letter(), Language::Nl).unwrap());
    assert!(!own.contains("Namens"), "{own}");
}

#[test]
fn a_bundle_holds_each_file_under_its_name() {
    let zip = bundle(&[
        ("kopie.pdf".to_owned(), b"%PDF-1.7".as_slice()),
        ("kopie.json".to_owned(), b"{\"schema\":1}".as_slice()),
    ])
    .unwrap();
    assert!(zip.starts_with(b"PK"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    assert_eq!(archive.len(), 2);
    let mut json = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("kopie.json").unwrap(), &mut json).unwrap();
    assert_eq!(json, "{\"schema\":1}");
}

#[test]
fn a_streamed_bundle_holds_the_same_json_as_the_json_file() {
    let c = copy();
    let mut w = BundleWriter::new();
    w.add_with("kopie.json", false, |zip| write_access_copy_json(&c, zip))
        .unwrap();
    render_access_copy_each(&c, |name, pdf| w.add(name, &pdf)).unwrap();
    let zip = w.finish().unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut json = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name("kopie.json").unwrap(), &mut json).unwrap();
    assert_eq!(json, access_copy_json(&c).unwrap());
    let mut pdf = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name("kopie.pdf").unwrap(), &mut pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}

#[test]
fn file_names_in_a_bundle_stay_inside_it() {
    assert_eq!(safe_file_name("../../etc/passwd"), "_.._etc_passwd");
    assert_eq!(safe_file_name("  "), "bestand");
    assert_eq!(safe_file_name("brief.pdf"), "brief.pdf");
}

/// A copy of `n` entries of about a kilobyte each, every one with its own marker.
fn large_copy(n: usize) -> AccessCopy {
    let mut c = copy();
    let template = c.trajectories[0].entries[0].clone();
    let mut second = c.trajectories[0].clone();
    second.id = "t2".to_owned();
    second.service_name = "Jeugdhulp".to_owned();
    second.work_notes.clear();
    let entry = |i: usize| CopyEntry {
        id: format!("e{i}"),
        title: format!("Gesprek {i}"),
        body: format!("ITEM-{i:03}-MARK {}", "Vervolgafspraak. ".repeat(60)),
        attachments: vec![],
        ..template.clone()
    };
    c.trajectories[0].entries = (0..n / 2).map(entry).collect();
    second.entries = (n / 2..n).map(entry).collect();
    c.trajectories.push(second);
    c
}

#[test]
fn a_large_dossier_is_split_in_parts_that_hold_every_entry_once_in_order() {
    let c = large_copy(24);
    let plan = plan_volumes(&c, 5_000);
    assert!(plan.len() > 2, "{plan:?}");
    // Every entry is in exactly one part, in reading order; a trajectory that goes on
    // into a next part is marked as continued there, its work notes come with its end.
    let mut seen = Vec::new();
    for pieces in &plan {
        assert!(!pieces.is_empty());
        for p in pieces {
            seen.extend(p.entries.clone().map(|e| (p.trajectory, e)));
        }
    }
    let expected: Vec<(usize, usize)> = (0..2).flat_map(|t| (0..12).map(move |e| (t, e))).collect();
    assert_eq!(seen, expected);
    assert!(plan[1].iter().any(|p| p.continued));
    let notes: Vec<&Piece> = plan.iter().flatten().filter(|p| p.notes).collect();
    assert_eq!(notes.len(), 2, "once per trajectory");
    assert_eq!(notes[0].entries.end, 12);
    // An entry larger than the whole budget still gets a part.
    assert_eq!(plan_volumes(&c, 10).len(), 24);
    assert_eq!(plan_volumes(&copy(), VOLUME_TEXT_BUDGET).len(), 1);
}

#[test]
fn the_parts_of_a_large_copy_open_with_the_person_and_close_with_the_rights() {
    let c = large_copy(12);
    let mut parts = Vec::new();
    render_access_copy_in_parts(&c, 5_000, |name, pdf| {
        parts.push((name.to_owned(), pdf));
        Ok(())
    })
    .unwrap();
    let n = parts.len();
    assert!(n >= 2, "{n} parts");
    let names: Vec<&str> = parts.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names[0], "kopie-deel-01.pdf");
    let texts: Vec<String> = parts.iter().map(|(_, pdf)| text_of(pdf)).collect();
    assert!(texts[0].contains("Amal Haddad"));
    assert!(texts[0].contains(&format!("uit {n} delen")), "{}", texts[0]);
    assert!(!texts[0].contains("Uw rechten"));
    assert!(texts[n - 1].contains("Uw rechten"));
    assert!(texts[n - 1].contains("Autoriteit Persoonsgegevens"));
    assert!(!texts[n - 1].contains("Amal Haddad"));
    assert!(texts[1].contains("(vervolg)"));
    assert!(texts[1].contains(&format!("deel 2 van {n}")));
    for i in 0..12 {
        let marker = format!("ITEM-{i:03}-MARK");
        let found = texts.iter().filter(|t| t.contains(&marker)).count();
        assert_eq!(found, 1, "{marker} in exactly one part");
    }
}
