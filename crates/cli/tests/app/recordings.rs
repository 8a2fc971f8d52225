//! Recordings in a dossier (SEC-3) through HTTP on both engines: a sound recording, or an
//! image marked as a photo of people, is refused without the recorded agreement of those
//! recorded (a Dutch field error, nothing stored) and accepted with it, the agreement
//! shown with the attachment; a scanned letter (an image not marked) goes in as any
//! document; the API refuses and accepts the same way.

use zv_domain::{EntryKind, Role};
use zv_testkit::engines;
use zv_testkit::web::{Page, TestServer, WebClient};

use crate::api::{Api, make_token};
use crate::fixtures;

/// A multipart upload as the dossier's form sends it, with the recording's fields.
async fn upload(
    c: &WebClient,
    path: &str,
    csrf: &str,
    file: (&str, &str, &[u8]),
    fields: &[(&str, &str)],
) -> Page {
    let (name, media_type, bytes) = file;
    let part = reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name(name.to_owned())
        .mime_str(media_type)
        .unwrap();
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", csrf.to_owned())
        .part("file", part);
    for (k, v) in fields {
        form = form.text((*k).to_owned(), (*v).to_owned());
    }
    let r = c
        .http
        .post(format!("{}{path}", c.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    Page {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.text().await.unwrap(),
    }
}

/// Percent-encodes a header value, as `filename*` is.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

// promise: SEC-3
#[tokio::test(flavor = "multi_thread")]
async fn a_recording_of_people_goes_into_the_dossier_only_with_their_agreement() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let people = fixtures::staff(&s, &s.t.first_team(), &s.t.first_team()).await;
        let worker = people.worker.clone();
        let (_, trajectory) =
            s.t.intake(&worker, "Amal Opname", "1980-01-02", "amw")
                .await;
        let entry = fixtures::entry(
            &s,
            worker.clone(),
            trajectory,
            EntryKind::ConversationReport,
            "Gesprek".to_owned(),
            "Gesprek opgenomen met toestemming.".to_owned(),
        )
        .await;
        let c = &people.staff;
        let dossier = c.get(&format!("/trajecten/{trajectory}")).await;
        assert_eq!(dossier.status, 200, "{}", dossier.body);
        assert!(dossier.body.contains("name=\"recorded_name\""));
        let csrf = dossier.csrf();
        let path = format!("/items/{entry}/bijlagen");
        let count = || async {
            s.t.app
                .dossier(&worker, trajectory)
                .await
                .unwrap()
                .entries
                .iter()
                .map(|e| e.attachments.len())
                .sum::<usize>()
        };
        let today = s.t.clock_today().to_string();
        let audio = ("gesprek.mp3", "audio/mpeg", b"ID3-OPNAME".as_slice());

        // Sound without an agreement: refused, named in Dutch, nothing stored.
        let refused = upload(c, &path, &csrf, audio, &[]).await;
        assert_eq!(refused.status, 422, "{engine:?}: {}", refused.body);
        assert!(
            refused.body.contains("vul in wie erop staan"),
            "{}",
            refused.body
        );
        // Named, but not how they agreed, or without the day: refused too.
        let refused = upload(
            c,
            &path,
            &csrf,
            audio,
            &[("recorded_name", "Amal Opname"), ("agreed_on", &today)],
        )
        .await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("hoe die toestemming gaf"));
        let refused = upload(
            c,
            &path,
            &csrf,
            audio,
            &[("recorded_name", "Amal Opname"), ("recorded_how", "oral")],
        )
        .await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("waarop de toestemming is gegeven"));
        // A photo of people (marked) without agreement: refused.
        let photo = ("foto.jpg", "image/jpeg", b"\xff\xd8\xff-FOTO".as_slice());
        let refused = upload(c, &path, &csrf, photo, &[("recording", "people")]).await;
        assert_eq!(refused.status, 422);
        assert_eq!(count().await, 0, "{engine:?}: nothing stored");

        // With the agreement: accepted and shown with the attachment.
        let accepted = upload(
            c,
            &path,
            &csrf,
            audio,
            &[
                ("recorded_name", "Amal Opname"),
                ("recorded_how", "in_recording"),
                ("recorded_name", "Joris Hulpverlener"),
                ("recorded_how", "written"),
                ("recorded_name", ""),
                ("recorded_how", ""),
                ("agreed_on", &today),
            ],
        )
        .await;
        assert_eq!(accepted.status, 303, "{engine:?}: {}", accepted.body);
        let accepted = upload(
            c,
            &path,
            &csrf,
            photo,
            &[
                ("recording", "people"),
                ("recorded_name", "Amal Opname"),
                ("recorded_how", "oral"),
                ("agreed_on", &today),
            ],
        )
        .await;
        assert_eq!(accepted.status, 303, "{}", accepted.body);
        // A scanned letter: an image not marked as a recording needs no agreement.
        let scan = ("brief.png", "image/png", b"\x89PNG-SCAN".as_slice());
        let accepted = upload(c, &path, &csrf, scan, &[]).await;
        assert_eq!(accepted.status, 303, "{}", accepted.body);
        assert_eq!(count().await, 3);
        let page = c.get(&format!("/trajecten/{trajectory}")).await;
        assert!(
            page.body.contains(&format!(
                "Opname met toestemming van Amal Opname (in de opname zelf), Joris Hulpverlener (schriftelijk), gegeven op {today}"
            )),
            "{}",
            page.body
        );
        assert!(page.body.contains("Amal Opname (mondeling)"));
        let d = s.t.app.dossier(&worker, trajectory).await.unwrap();
        assert_eq!(d.recordings.len(), 2, "the scan has no agreement");

        // The API: the same rules, the agreement in a header (never in the URL).
        let month = (s.t.clock_today() + chrono::Duration::days(30)).to_string();
        let api = Api::new(
            &s,
            &make_token(c, "Opnames", &["read", "write"], &month).await,
        );
        let attach = |headers: Vec<(&'static str, String)>| {
            let api = &api;
            let path = format!("/entries/{entry}/attachments");
            async move {
                let mut all = vec![(
                    "content-disposition",
                    "attachment; filename*=UTF-8''video.mp4".to_owned(),
                )];
                all.extend(headers);
                api.send_with(
                    "post",
                    &path,
                    Some(("video/mp4", b"\0\0\0\x18ftypmp42VIDEO".to_vec())),
                    &all,
                )
                .await
            }
        };
        let refused = attach(vec![]).await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert!(refused.text().contains("recorded_name"));
        let agreement = encoded(&format!(
            r#"{{"agreed_on":"{today}","recorded":[{{"name":"Amal Opname","agreed":"oral"}}]}}"#
        ));
        let accepted = attach(vec![("zv-recording-agreement", agreement)]).await;
        assert_eq!(accepted.status, 201, "{}", accepted.text());
        assert_eq!(count().await, 4);
        let d = s.t.app.dossier(&worker, trajectory).await.unwrap();
        assert_eq!(d.recordings.len(), 3);
        // A colleague not on the case learns nothing.
        let (_, secret) = s.staff("buiten", Role::Caseworker, None).await;
        let outsider = s.client();
        outsider.sign_in("buiten", &secret).await;
        let page = outsider.get(&format!("/trajecten/{trajectory}")).await;
        assert_eq!(page.status, 404);
    }
}
