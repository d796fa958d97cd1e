//! Demo chats: a few ended conversations with their transcripts (each a case of channel chat)
//! and one citizen still waiting in Kontaktcenter's chat queue. Written through the same use
//! cases as a real chat, after the bulk load, so sequence numbers, case messages and queue
//! waits are what a real chat leaves behind.

use anyhow::Context;
use serva_app::chat::{ChatParty, VisitorChat};
use serva_app::App;
use serva_store::Db;

/// (service, citizen's name, e-mail, the lines in turn, customer first; whether the agent
/// resolves the case when ending).
const ENDED: &[(&str, &str, &str, &[&str], bool)] = &[
    (
        "KL-FRAGA",
        "Sara Lindqvist",
        "sara.lindqvist@example.se",
        &[
            "Hej! Vilka tider har återvinningscentralen öppet i helgen?",
            "Hej Sara! Gärstad återvinningscentral har öppet 9–16 på lördag och söndag.",
            "Tack, då åker jag dit på lördag.",
            "Varsågod, ha en fin helg!",
        ],
        true,
    ),
    (
        "KL-FRAGA",
        "Omar Haddad",
        "",
        &[
            "Jag har fått en faktura för bygglov som jag inte känner igen.",
            "Hej Omar, jag ser att fakturan gäller ditt bygglov för carporten. Vill du att handläggaren ringer dig?",
            "Ja tack, gärna efter klockan 15.",
            "Jag har skickat en begäran om återuppringning. Ärendet ligger kvar tills hen har ringt.",
        ],
        false,
    ),
];

/// Loads the demo chats; `agent` answers them.
pub async fn load(db: &Db, agent: &str) -> anyhow::Result<()> {
    let app = App::new(db.clone());
    let user = db
        .user_by_username(agent)
        .await
        .with_context(|| format!("the demo agent {agent}"))?;
    let principal = db
        .principal(&user)
        .await
        .context("the demo agent's grants")?;
    for (service, name, email, lines, resolve) in ENDED {
        let opened = app
            .open_visitor_chat(&VisitorChat {
                service: service.to_string(),
                name: name.to_string(),
                email: email.to_string(),
                body: lines[0].to_string(),
            })
            .await
            .with_context(|| format!("opening the demo chat of {name}"))?;
        let id = opened.chat.id;
        app.take_chat(&principal, id).await?;
        for (i, line) in lines.iter().enumerate().skip(1) {
            let who = if i % 2 == 1 {
                ChatParty::Person(&principal)
            } else {
                ChatParty::Visitor(&opened.token)
            };
            app.post_chat(who, id, &format!("demo-{i}"), line)
                .await?
                .map_err(|e| anyhow::anyhow!("demo chat line {i}: {e}"))?;
        }
        app.end_chat(ChatParty::Person(&principal), id, *resolve)
            .await?;
    }
    app.open_visitor_chat(&VisitorChat {
        service: "KL-FRAGA".into(),
        name: "Lena Berg".into(),
        email: String::new(),
        body: "Hej, hur ansöker jag om parkeringstillstånd för rörelsehindrade?".into(),
    })
    .await
    .context("opening the waiting demo chat")?;
    Ok(())
}
