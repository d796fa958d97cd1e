//! Demo cases of the newer channels, made through the same use cases as the live server: a
//! few citizens' contact forms with follow links (printed, since only their hashes are kept),
//! a case handed off to another unit, and one handed off and back.

use anyhow::Context;
use serva_app::{App, CitizenContact};
use serva_domain::access::Principal;
use serva_store::Db;

struct DemoCitizen {
    name: &'static str,
    email: &'static str,
    phone: &'static str,
    subject: &'static str,
    message: &'static str,
    department: &'static str,
}

const CITIZENS: &[DemoCitizen] = &[
    DemoCitizen {
        name: "Karin Lindqvist",
        email: "karin.lindqvist@example.se",
        phone: "",
        subject: "Bygglov för altan",
        message: "Hej! Behöver jag bygglov för en altan på 22 kvadratmeter som ligger 1,2 meter över marken?",
        department: "MSF",
    },
    DemoCitizen {
        name: "Ahmed Nasser",
        email: "",
        phone: "070-123 45 67",
        subject: "Plats i förskola från januari",
        message: "Vi flyttar till Ekholmen i december. Hur söker vi förskoleplats till vår dotter som fyller tre år?",
        department: "UF",
    },
    DemoCitizen {
        name: "",
        email: "villa.berga@example.org",
        phone: "",
        subject: "Gamla ritningar till vårt hus",
        message: "Vi vill ta del av de ursprungliga bygglovsritningarna till vårt hus i Berga, byggt 1962.",
        department: "",
    },
];

/// Loads the demo's citizen cases and hand-offs; prints the follow links.
pub async fn load(db: &Db, citizen_service: &str) -> anyhow::Result<()> {
    let app = App::new(db.clone());
    let mut cases = Vec::new();
    println!("Citizens' follow links (open without signing in):");
    for c in CITIZENS {
        let r = app
            .citizen_contact(
                citizen_service,
                &CitizenContact {
                    name: c.name.into(),
                    email: c.email.into(),
                    phone: c.phone.into(),
                    subject: c.subject.into(),
                    message: c.message.into(),
                    department: c.department.into(),
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo citizen case {:?}: {e:?}", c.subject))?;
        println!("  {}  /follow/{}", r.case.number(), r.follow_token);
        cases.push(r.case);
    }
    let system = Principal::system();
    // Old drawings are the city archive's errand.
    app.hand_off(
        &system,
        cases[2].id,
        "AR-UTLAN",
        "Begäran om bygglovsritningar från 1962 via kontaktformuläret; lämnas till Stadsarkivet.",
    )
    .await
    .context("demo hand-off")?;
    // The pre-school question went to HR by mistake and came back.
    app.hand_off(
        &system,
        cases[1].id,
        "HR-ANST",
        "Gäller förskoleplats, lämnas till HR enligt rutin för personalfrågor?",
    )
    .await
    .context("demo hand-off")?;
    app.hand_back(
        &system,
        cases[1].id,
        "Fel mottagare: förskoleplatser sköts av Kontakt Linköping och utbildningsförvaltningen, inte HR.",
    )
    .await
    .context("demo hand-back")?;
    Ok(())
}
