//! The demo's mail: a few mails to the units' mailboxes taken in through the same use case as
//! the SMTP listener, so the demo has e-mail cases with contacts, a reply threaded into its
//! case, and an auto-reply and a bounce in the intake log. Fixed content, the same every time.

use anyhow::Context;
use serva_app::mail_in::Envelope;
use serva_app::App;
use serva_domain::access::Principal;
use serva_domain::mail::MailChannel;
use serva_store::Db;

/// (sender name, address, mailbox, subject, text)
const MAILS: &[(&str, &str, &str, &str, &str)] = &[
    ("Åsa Öberg", "asa.oberg@example.org", "kontakt@linkoping.example", "Fråga om parkeringstillstånd", "Hej!\nHur ansöker jag om parkeringstillstånd för rörelsehindrade?\nMvh Åsa"),
    ("Johan Lindqvist", "johan.lindqvist@example.org", "kontakt@linkoping.example", "Trasig gatubelysning på Drottninggatan", "Hej,\nTre lyktstolpar vid Drottninggatan 12 är släckta sedan en vecka.\nJohan"),
    ("Fatima Hassan", "fatima.hassan@example.org", "kontakt@linkoping.example", "Plats i förskola till hösten", "Hej!\nVi flyttar till Linköping i augusti. Hur ställer vi vår dotter i kö till förskola?\nFatima"),
    ("Per Sandberg", "per.sandberg@example.com", "ekonomiservice@linkoping.example", "Faktura 2026-118 saknar referens", "Hej,\nFakturan saknar er referens, vem ska den till?\nPer, Sandbergs Bygg AB"),
    ("Lena Ek", "lena.ek@example.org", "kontakt@linkoping.example", "Buller från byggarbetsplats", "Hej,\nDet borras från kl. 06 varje morgon på Storgatan. Vem kan jag vända mig till?\nLena"),
];

fn raw(
    name: &str,
    from: &str,
    to: &str,
    subject: &str,
    text: &str,
    extra: &str,
    id: usize,
) -> Vec<u8> {
    // Encoded words keep the Swedish names and subjects within 7-bit headers, as mail
    // programs send them.
    let word = |s: &str| {
        use base64::Engine as _;
        format!(
            "=?utf-8?b?{}?=",
            base64::engine::general_purpose::STANDARD.encode(s)
        )
    };
    format!(
        "From: {} <{from}>\r\nTo: {to}\r\nSubject: {}\r\nMessage-ID: <demo-{id}@example.org>\r\n{extra}\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
        word(name),
        word(subject),
        text.replace('\n', "\r\n")
    )
    .into_bytes()
}

/// Takes the demo's mail in (once, after the demo's first load).
pub async fn load(db: &Db) -> anyhow::Result<()> {
    let app = App::new(db.clone());
    let kl = db.unit_by_code("KL").await?.id;
    let fraga = db.service_by_code("KL-FRAGA").await?.id;
    app.save_mail_settings(&Principal::system(), kl, Some(fraga), None)
        .await
        .context("choosing Kontakt Linköping's mail service")?;
    let mut first = None;
    for (i, (name, from, to, subject, text)) in MAILS.iter().enumerate() {
        let unit = db.unit_by_mail_address(to).await?;
        let env = Envelope {
            channel: MailChannel::Smtp,
            mail_from: (*from).into(),
            rcpt_to: (*to).into(),
            unit,
        };
        let r = app
            .receive_mail(&env, &raw(name, from, to, subject, text, "", i))
            .await
            .map_err(anyhow::Error::from)
            .with_context(|| format!("demo mail {i}"))?;
        first = first.or(r.case);
    }
    let (name, from, to, ..) = MAILS[0];
    let env = Envelope {
        channel: MailChannel::Smtp,
        mail_from: from.into(),
        rcpt_to: to.into(),
        unit: kl,
    };
    if let Some(case) = first {
        let subject = format!(
            "SV: Fråga om parkeringstillstånd [Ärende {}]",
            case.number()
        );
        let text = "Tack! Jag har skickat in ansökan nu.\n\nDen 2 mars skrev Kontakt Linköping:\n> Ansök via e-tjänsten.";
        app.receive_mail(&env, &raw(name, from, to, &subject, text, "", 100))
            .await
            .map_err(anyhow::Error::from)?;
    }
    let auto = raw(
        "Per Sandberg",
        "per.sandberg@example.com",
        to,
        "Automatiskt svar: Semester",
        "Jag är på semester till 14 april.",
        "Auto-Submitted: auto-replied\r\n",
        101,
    );
    app.receive_mail(&env, &auto)
        .await
        .map_err(anyhow::Error::from)?;
    let bounce_env = Envelope {
        mail_from: String::new(),
        ..env.clone()
    };
    let bounce = raw(
        "Mail Delivery System",
        "mailer-daemon@mx.example.org",
        to,
        "Undelivered Mail Returned to Sender",
        "The mail could not be delivered.",
        "",
        102,
    );
    app.receive_mail(&bounce_env, &bounce)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(())
}
