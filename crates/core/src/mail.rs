//! Mail: notifications queued in the outbox in the same transaction as their cause, and
//! the sender that delivers them through the organisation's SMTP server (decision 0009).
//!
//! A notification holds no client data: not a name, not a reason, not an id a reader
//! could look up without signing in. What it says is that something happened, who did
//! it, when, and where in the app to look. So a mailbox that is read by more people than
//! the privacy officer, or a mail server of a third party, learns nothing about a client.
//!
//! The sender never deletes a mail. It claims a due one, sends it outside any database
//! transaction, and records the outcome: sent, or an attempt with a short error (a
//! category and an SMTP reply code, never the server's own words, which can quote an
//! address) and the next try after an exponential backoff.

use std::fmt;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use uuid::Uuid;
use zeroize::Zeroizing;
use zv_store::outbox::{MailRow, NewMail};

use crate::app::App;
use crate::error::{CoreError, CoreResult};

/// The kind of the mail that tells the privacy officer of an emergency access (ACC-5).
pub const KIND_EMERGENCY_ACCESS: &str = "emergency-access";

/// The first retry waits this long; each further one twice as long as the one before.
const FIRST_RETRY: Duration = Duration::seconds(30);
/// A mail that keeps failing is retried at least this often, for as long as it takes:
/// a queued notification must not vanish.
const LONGEST_RETRY: Duration = Duration::hours(1);
/// How long a claimed mail is left to its sender before another may try it (a sender
/// that died mid-attempt). Longer than an attempt can take.
const LEASE: Duration = Duration::minutes(5);
/// One SMTP conversation may take this long.
const SMTP_TIMEOUT: StdDuration = StdDuration::from_secs(30);
/// Mails sent in one pass at most; the rest wait for the next pass.
const BATCH: u64 = 100;

/// The language notifications are written in. The organisations work in Dutch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MailLanguage {
    #[default]
    Nl,
    En,
}

impl MailLanguage {
    /// `nl` or `en`.
    pub fn parse(code: &str) -> CoreResult<Self> {
        match code.trim() {
            "nl" => Ok(Self::Nl),
            "en" => Ok(Self::En),
            _ => Err(CoreError::invalid("mail.language", "use nl or en")),
        }
    }
}

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    #[default]
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or a test.
    None,
}

impl SmtpSecurity {
    /// `starttls`, `tls` or `none`.
    pub fn parse(code: &str) -> CoreResult<Self> {
        match code.trim() {
            "starttls" => Ok(Self::StartTls),
            "tls" => Ok(Self::Tls),
            "none" => Ok(Self::None),
            _ => Err(CoreError::invalid(
                "mail.smtp_security",
                "use starttls, tls or none",
            )),
        }
    }

    /// The word of the settings.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::StartTls => "starttls",
            Self::Tls => "tls",
            Self::None => "none",
        }
    }

    /// The port that goes with it, when none is set.
    #[must_use]
    pub const fn default_port(self) -> u16 {
        match self {
            Self::StartTls => 587,
            Self::Tls => 465,
            Self::None => 25,
        }
    }
}

/// Where and as whom mail is sent. Resolved by the CLI from the config file and `ZV_`
/// variables; the password only ever from the environment.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<Zeroizing<String>>,
    /// The sender, `noreply@example.nl` or `Zorgvuldig <noreply@example.nl>`.
    pub from: String,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .finish()
    }
}

/// A connection recipe for the SMTP server, checked once; cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer").finish_non_exhaustive()
    }
}

impl Mailer {
    /// Checks the settings (the sender address, the TLS parameters); connects nothing.
    pub fn new(settings: &SmtpSettings) -> CoreResult<Self> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|_| CoreError::invalid("mail.from", "not an e-mail address"))?;
        if settings.host.trim().is_empty() {
            return Err(CoreError::invalid(
                "mail.smtp_host",
                "the field is required",
            ));
        }
        let host = settings.host.trim();
        let builder = match settings.security {
            SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .map_err(|_| CoreError::invalid("mail.smtp_host", "cannot set up TLS"))?,
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                .map_err(|_| CoreError::invalid("mail.smtp_host", "cannot set up TLS"))?,
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        };
        let mut builder = builder.port(settings.port).timeout(Some(SMTP_TIMEOUT));
        if let Some(user) = settings.username.as_ref().filter(|u| !u.is_empty()) {
            let password = settings
                .password
                .as_ref()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default();
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }

    /// Sends one mail; the error is short and names no address or content.
    async fn deliver(&self, mail: &MailRow) -> Result<(), String> {
        let to: Address = mail
            .recipient
            .parse()
            .map_err(|_| "the recipient is not an e-mail address".to_owned())?;
        // The outbox id as the Message-ID, so a mail that was delivered but not recorded
        // (a crash in between) and is sent again can be recognised as the same message.
        let message_id = format!("<{}@{}>", mail.id, self.from.email.domain());
        let message = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(mail.subject.clone())
            .message_id(Some(message_id))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|_| "the message could not be built".to_owned())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| smtp_problem(&e))
    }
}

/// What went wrong, in words that hold nothing the server said.
fn smtp_problem(e: &lettre::transport::smtp::Error) -> String {
    if let Some(code) = e.status() {
        if e.is_permanent() {
            return format!("refused by the server ({code})");
        }
        return format!("deferred by the server ({code})");
    }
    if e.is_timeout() {
        "the server did not answer in time".to_owned()
    } else if e.is_tls() {
        "TLS failed".to_owned()
    } else if e.is_response() {
        "the server's answer was not understood".to_owned()
    } else if e.is_client() {
        "the mail client failed".to_owned()
    } else {
        "no connection to the server".to_owned()
    }
}

/// The wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, ... at most 1 h.
#[must_use]
pub fn retry_delay(attempts: u32) -> Duration {
    let doublings = attempts.saturating_sub(1).min(16);
    FIRST_RETRY
        .checked_mul(1 << doublings)
        .map_or(LONGEST_RETRY, |d| d.min(LONGEST_RETRY))
}

/// What one pass of the sender did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendReport {
    pub sent: u64,
    pub failed: u64,
    /// Mails still waiting after the pass (failed ones and ones not yet due).
    pub unsent: u64,
}

/// A mail waiting to be sent, without its recipient or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    pub id: Uuid,
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
}

/// The notice of an emergency access (ACC-5): who, when, how long, and where to review
/// it. Deliberately without the client, the trajectory and the stated reason.
pub(crate) struct EmergencyNotice<'a> {
    pub organisation: &'a str,
    pub opened_by: &'a str,
    pub opened_at: DateTime<Utc>,
    pub hours: u32,
    pub review_url: &'a str,
}

impl EmergencyNotice<'_> {
    /// The subject and plain-text body.
    pub(crate) fn render(&self, language: MailLanguage) -> (String, String) {
        let at = self
            .opened_at
            .with_timezone(&chrono_tz::Europe::Amsterdam)
            .format("%d-%m-%Y %H:%M");
        let by = one_line(self.opened_by);
        let organisation = one_line(self.organisation);
        let (hours, review_url) = (self.hours, self.review_url);
        match language {
            MailLanguage::Nl => (
                format!("Noodtoegang geopend ({organisation})"),
                format!(
                    "Er is noodtoegang tot een dossier geopend.\n\
                     \n\
                     Door:  {by}\n\
                     Op:    {at} (Nederlandse tijd)\n\
                     Duur:  {hours} uur\n\
                     \n\
                     Beoordeel deze noodtoegang in Zorgvuldig: {review_url}\n\
                     \n\
                     Dit bericht noemt met opzet geen cliënt en geen reden; die leest u na het\n\
                     aanmelden. Dit is een automatisch bericht van Zorgvuldig.\n"
                ),
            ),
            MailLanguage::En => (
                format!("Emergency access opened ({organisation})"),
                format!(
                    "Emergency access to a dossier was opened.\n\
                     \n\
                     By:        {by}\n\
                     At:        {at} (Netherlands time)\n\
                     Duration:  {hours} {unit}\n\
                     \n\
                     Review this emergency access in Zorgvuldig: {review_url}\n\
                     \n\
                     This message deliberately names no client and no reason; read them after\n\
                     signing in. This is an automatic message from Zorgvuldig.\n",
                    unit = if hours == 1 { "hour" } else { "hours" }
                ),
            ),
        }
    }
}

/// A name on one line: a line break in a header or a field would change the mail's shape.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl App {
    /// The address of a page of the app: absolute when the base URL is configured, else
    /// the path alone (the reader knows where the app is).
    pub(crate) fn app_url(&self, path: &str) -> String {
        match self.settings.base_url.as_deref().map(str::trim) {
            Some(base) if !base.is_empty() => format!("{}{path}", base.trim_end_matches('/')),
            _ => path.to_owned(),
        }
    }

    /// Queues the emergency-access notice to the privacy officer (ACC-5) in the
    /// transaction that opens the access: both commit, or neither.
    pub(crate) async fn queue_emergency_notice(
        &self,
        tx: &zv_store::Tx,
        opened_by: &str,
        opened_at: DateTime<Utc>,
        hours: u32,
    ) -> CoreResult<()> {
        let review_url = self.app_url("/toegang");
        let (subject, body) = EmergencyNotice {
            organisation: &self.policy.organisation().name,
            opened_by,
            opened_at,
            hours,
            review_url: &review_url,
        }
        .render(self.settings.mail_language);
        zv_store::outbox::enqueue(
            tx,
            &NewMail {
                id: Uuid::now_v7(),
                recipient: self.policy.privacy_officer().email.clone(),
                subject,
                body,
                kind: KIND_EMERGENCY_ACCESS.to_owned(),
                created_at: opened_at,
            },
        )
        .await?;
        Ok(())
    }

    /// One pass of the sender: every due mail is tried once. Safe to run from several
    /// processes at once (each mail is claimed first) and to interrupt.
    pub async fn send_due_mail(&self, mailer: &Mailer) -> CoreResult<SendReport> {
        let tx = self.store.read_tx().await?;
        let due = zv_store::outbox::due(&tx, self.now(), BATCH).await?;
        tx.commit().await?;
        let mut report = SendReport::default();
        for id in due {
            let now = self.now();
            let tx = self.store.begin().await?;
            let claimed = zv_store::outbox::claim(&tx, id, now, now + LEASE).await?;
            tx.commit().await?;
            let Some(mail) = claimed else {
                continue;
            };
            // No transaction is open while the server is talked to: a slow server must
            // not hold the database's write lock.
            let outcome = mailer.deliver(&mail).await;
            let tx = self.store.begin().await?;
            match outcome {
                Ok(()) => {
                    zv_store::outbox::mark_sent(&tx, id, self.now()).await?;
                    report.sent += 1;
                }
                Err(problem) => {
                    let next = self.now() + retry_delay(mail.attempts);
                    zv_store::outbox::record_failure(&tx, id, &problem, next).await?;
                    tracing::warn!(
                        mail.id = %id,
                        mail.kind = %mail.kind,
                        mail.attempts = mail.attempts,
                        error = %problem,
                        "mail not delivered; it stays queued"
                    );
                    report.failed += 1;
                }
            }
            tx.commit().await?;
        }
        report.unsent = self.unsent_mail_count().await?;
        Ok(report)
    }

    /// How many mails wait to be sent.
    pub async fn unsent_mail_count(&self) -> CoreResult<u64> {
        let tx = self.store.read_tx().await?;
        let n = zv_store::outbox::count_unsent(&tx).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The mails waiting to be sent, oldest first, without recipient or text (for the
    /// operator: what is stuck, and why).
    pub async fn unsent_mail(&self) -> CoreResult<Vec<QueuedMail>> {
        let tx = self.store.read_tx().await?;
        let rows = zv_store::outbox::unsent(&tx, 1_000).await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|m| QueuedMail {
                id: m.id,
                kind: m.kind,
                created_at: m.created_at,
                attempts: m.attempts,
                last_error: m.last_error,
                next_attempt_at: m.next_attempt_at,
            })
            .collect())
    }

    /// The sender as a background job of `serve`: a pass every `every`, for as long as
    /// the server runs. A failing pass (the database away) is logged once until one
    /// succeeds again; the mails wait in the outbox meanwhile.
    pub async fn run_mail_sender(self, mailer: Mailer, every: StdDuration) {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failing = false;
        loop {
            interval.tick().await;
            match self.send_due_mail(&mailer).await {
                Ok(report) => {
                    failing = false;
                    if report.sent > 0 {
                        tracing::info!(mail.sent = report.sent, "mail sent");
                    }
                }
                Err(e) => {
                    if !failing {
                        tracing::error!(error = %e, "the mail sender failed; mails stay queued");
                    }
                    failing = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_delay(1), Duration::seconds(30));
        assert_eq!(retry_delay(2), Duration::seconds(60));
        assert_eq!(retry_delay(5), Duration::minutes(8));
        assert_eq!(retry_delay(8), Duration::hours(1));
        assert_eq!(retry_delay(u32::MAX), Duration::hours(1));
    }

    #[test]
    fn the_notice_names_who_when_and_where_and_nothing_else() {
        let notice = EmergencyNotice {
            organisation: "LEVgroep",
            opened_by: "Jan\r\nBcc: x@example.org",
            opened_at: chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 7, 1, 22, 5, 0).unwrap(),
            hours: 1,
            review_url: "https://dossier.example.nl/toegang",
        };
        let (subject, body) = notice.render(MailLanguage::Nl);
        assert_eq!(subject, "Noodtoegang geopend (LEVgroep)");
        assert!(body.contains("Door:  Jan  Bcc: x@example.org\n"), "{body}");
        assert!(body.contains("02-07-2026 00:05"), "summer time: {body}");
        assert!(body.contains("1 uur"));
        assert!(body.contains("https://dossier.example.nl/toegang"));
        let (subject, body) = notice.render(MailLanguage::En);
        assert_eq!(subject, "Emergency access opened (LEVgroep)");
        assert!(body.contains("Duration:  1 hour\n"), "{body}");
    }

    #[test]
    fn a_mailer_is_set_up_for_each_security_without_connecting() {
        for security in [
            SmtpSecurity::StartTls,
            SmtpSecurity::Tls,
            SmtpSecurity::None,
        ] {
            let settings = SmtpSettings {
                host: "smtp.example.nl".into(),
                port: security.default_port(),
                security,
                username: Some("zorgvuldig".into()),
                password: Some(Zeroizing::new("geheim".into())),
                from: "Zorgvuldig <noreply@example.nl>".into(),
            };
            assert!(Mailer::new(&settings).is_ok(), "{security:?}");
            assert!(!format!("{settings:?}").contains("geheim"));
            let bad = SmtpSettings {
                from: "not an address".into(),
                ..settings
            };
            assert!(Mailer::new(&bad).is_err());
        }
    }

    #[test]
    fn settings_words_parse() {
        assert_eq!(SmtpSecurity::parse("none").unwrap(), SmtpSecurity::None);
        assert_eq!(SmtpSecurity::StartTls.default_port(), 587);
        for word in ["starttls", "tls", "none"] {
            assert_eq!(SmtpSecurity::parse(word).unwrap().as_str(), word);
        }
        assert!(SmtpSecurity::parse("ssl").is_err());
        assert_eq!(MailLanguage::parse("en").unwrap(), MailLanguage::En);
        assert!(MailLanguage::parse("de").is_err());
    }
}
