use super::*;
use crate::CaseId;

fn facts() -> CaseFacts {
    CaseFacts {
        number: CaseNumber {
            year: 2026,
            id: CaseId(265_828),
        },
        subject: "Lön saknas\r\nBcc: evil@example.com".into(),
        service_name: "Lön".into(),
        unit_name: "Lönecenter".into(),
    }
}

fn to(lang: MailLang) -> Recipient {
    Recipient {
        address: "anna@example.se".into(),
        name: Some("Anna Berg".into()),
        lang,
        link: "https://serva.example/follow/abc".into(),
    }
}

fn from() -> Sender {
    Sender {
        name: Some("Lönecenter".into()),
        address: "lon@vss.example".into(),
    }
}

#[test]
fn which_change_sends_which_mail() {
    use CaseChangeForMail::*;
    use CaseStatus::*;
    assert_eq!(
        mail_for(Created {
            resolved_at_once: false
        }),
        Some(MailKind::Received)
    );
    assert_eq!(
        mail_for(Created {
            resolved_at_once: true
        }),
        Some(MailKind::Survey),
        "resolved while the person was there: only the survey (when the case is asked)"
    );
    let msg = |internal, from_provider| {
        mail_for(Message {
            internal,
            from_provider,
        })
    };
    assert_eq!(msg(false, true), Some(MailKind::Reply));
    assert_eq!(msg(true, true), None, "internal notes never leave");
    assert_eq!(msg(false, false), None, "the customer's own words");
    let st = |from, to| mail_for(Status { from, to });
    assert_eq!(st(Open, Resolved), Some(MailKind::Resolved));
    assert_eq!(st(WaitingCustomer, Closed), Some(MailKind::Resolved));
    assert_eq!(st(New, Closed), Some(MailKind::Resolved));
    assert_eq!(st(Resolved, Closed), None, "the survey link went once");
    assert_eq!(st(Open, WaitingCustomer), None);
    assert_eq!(st(Closed, Open), None);
}

#[test]
fn received_in_swedish_and_english() {
    let m = compose(
        MailKind::Received,
        &facts(),
        to(MailLang::Sv),
        from(),
        None,
        None,
    );
    assert_eq!(
        m.subject,
        "[Ärende 2026-0265828] Vi har tagit emot ditt ärende: Lön saknas Bcc: evil@example.com"
    );
    assert!(!m.subject.contains('\n') && !m.subject.contains('\r'));
    assert!(m.body.starts_with("Hej Anna Berg,\n"));
    assert!(m.body.contains("nummer 2026-0265828"));
    assert!(m.body.contains("https://serva.example/follow/abc"));
    assert!(m.body.contains("Tjänst: Lön"));
    assert!(m.auto_submitted);
    let m = compose(
        MailKind::Received,
        &facts(),
        to(MailLang::En),
        from(),
        None,
        None,
    );
    assert!(m
        .subject
        .starts_with("[Case 2026-0265828] We have received your case:"));
    assert!(m.body.contains("Kind regards\nLönecenter"));
}

#[test]
fn reply_carries_the_text_and_is_not_automatic() {
    let m = compose(
        MailKind::Reply,
        &facts(),
        to(MailLang::Sv),
        from(),
        Some("  Vi har rättat lönen.\nDen kommer på fredag. "),
        None,
    );
    assert!(m.subject.starts_with("[Ärende 2026-0265828] Lön saknas"));
    assert!(m
        .body
        .contains("\n\nVi har rättat lönen.\nDen kommer på fredag.\n\n"));
    assert!(!m.auto_submitted);
    let resolved = compose(
        MailKind::Resolved,
        &facts(),
        to(MailLang::Sv),
        from(),
        None,
        None,
    );
    assert!(resolved.body.contains("är löst"));
    assert!(resolved.body.contains("https://serva.example/follow/abc"));
    assert!(!resolved.body.contains("enkät") && !resolved.body.contains("Berätta gärna"));
    assert!(resolved.auto_submitted);
}

#[test]
fn survey_links_and_their_last_day() {
    let link = SurveyLink {
        url: "https://serva.example/survey/xyz".into(),
        // Midnight starting 1 July 2026 in Stockholm: the survey's last day is 30 June.
        expires_at: 1_782_856_800_000,
    };
    let resolved = compose(
        MailKind::Resolved,
        &facts(),
        to(MailLang::Sv),
        from(),
        None,
        Some(&link),
    );
    assert!(resolved.body.contains("https://serva.example/survey/xyz"));
    assert!(resolved.body.contains("https://serva.example/follow/abc"));
    assert!(
        resolved.body.contains("till och med 2026-06-30"),
        "{}",
        resolved.body
    );
    let survey = compose(
        MailKind::Survey,
        &facts(),
        to(MailLang::Sv),
        from(),
        None,
        Some(&link),
    );
    assert_eq!(
        survey.subject,
        "[Ärende 2026-0265828] Vad tyckte du om hjälpen du fick?"
    );
    assert!(survey
        .body
        .contains("Tack för att du kontaktade Lönecenter"));
    assert!(survey.body.contains("https://serva.example/survey/xyz"));
    assert!(survey.auto_submitted);
    let reminder = compose(
        MailKind::SurveyReminder,
        &facts(),
        to(MailLang::En),
        from(),
        None,
        Some(&link),
    );
    assert!(reminder
        .subject
        .starts_with("[Case 2026-0265828] Reminder:"));
    assert!(reminder.body.contains("the only reminder"));
    assert!(reminder.body.contains("until 2026-06-30"));
}

#[test]
fn greeting_without_a_name() {
    let mut r = to(MailLang::Sv);
    r.name = None;
    let m = compose(MailKind::Resolved, &facts(), r, from(), None, None);
    assert!(m.body.starts_with("Hej!\n"));
}

#[test]
fn locales() {
    assert_eq!(MailLang::of_locale(Some("en")), MailLang::En);
    assert_eq!(MailLang::of_locale(Some("en-GB")), MailLang::En);
    assert_eq!(MailLang::of_locale(Some("sv")), MailLang::Sv);
    assert_eq!(MailLang::of_locale(None), MailLang::Sv);
    assert_eq!(MailLang::of_locale(Some("english")), MailLang::Sv);
}

#[test]
fn message_ids_use_the_senders_domain() {
    let id = message_id([0xab; 16], "lon@vss.example");
    assert_eq!(id, format!("<serva.{}@vss.example>", "ab".repeat(16)));
    assert_eq!(
        message_id([0; 16], "no-at-sign"),
        format!("<serva.{}@serva.invalid>", "00".repeat(16))
    );
}

#[test]
fn addresses() {
    assert!(is_mail_address("anna.berg@kommun.se"));
    assert!(is_mail_address("serva@localhost"));
    assert!(!is_mail_address("anna"));
    assert!(!is_mail_address("@kommun.se"));
    assert!(!is_mail_address("anna@"));
    assert!(!is_mail_address("anna berg@kommun.se"));
    assert!(!is_mail_address("a@b@kommun.se"));
    assert!(!is_mail_address("anna@kommun"));
    assert!(!is_mail_address("<anna@kommun.se>"));
    assert!(!is_mail_address("anna@kommun.se\r\nBcc: x@y.se"));
}

#[test]
fn retries_back_off_and_give_up() {
    let p = RetryPolicy::default();
    assert_eq!(p.after_failure(1, false, 0), AfterFailure::RetryAt(30_000));
    assert_eq!(p.after_failure(2, false, 0), AfterFailure::RetryAt(60_000));
    assert_eq!(
        p.after_failure(8, false, 0),
        AfterFailure::RetryAt(3_600_000)
    );
    assert_eq!(
        p.after_failure(9, false, 10),
        AfterFailure::RetryAt(3_600_010)
    );
    assert_eq!(p.after_failure(10, false, 0), AfterFailure::GiveUp);
    assert_eq!(p.after_failure(1, true, 0), AfterFailure::GiveUp);
    let huge = RetryPolicy {
        max_attempts: u32::MAX,
        ..p
    };
    assert_eq!(
        huge.after_failure(1_000, false, 0),
        AfterFailure::RetryAt(3_600_000)
    );
}

#[test]
fn headers_as_read() {
    let m = OutboxMail {
        id: 1,
        case_id: Some(CaseId(5)),
        case_number: None,
        kind: MailKind::Received,
        message_id: "<serva.1@vss.example>".into(),
        from_name: Some("Lönecenter \"VSS\"".into()),
        from_address: "lon@vss.example".into(),
        to_name: None,
        to_address: "anna@example.se".into(),
        subject: "[Ärende 2026-0000005] x".into(),
        body: "b".into(),
        in_reply_to: Some("<in@mail.example>".into()),
        references: Some("<in@mail.example>".into()),
        auto_submitted: true,
        status: OutboxStatus::Pending,
        attempts: 0,
        next_attempt_at: 0,
        last_error: None,
        created_at: 0,
        sent_at: None,
    };
    let h = m.headers();
    assert!(h.contains(&("From", "\"Lönecenter 'VSS'\" <lon@vss.example>".into())));
    assert!(h.contains(&("To", "anna@example.se".into())));
    assert!(h.contains(&("Auto-Submitted", "auto-generated".into())));
    assert!(h.contains(&("In-Reply-To", "<in@mail.example>".into())));
}
