//! The demo's reply templates: a few canned answers for Kontakt Linköping and HR, in the words
//! those units would use, with the placeholders filled in on each case.

use serva_domain::reply_template::TemplateInput;
use serva_store::Db;

use super::Loaded;

/// (unit code, name, text), in the order they are written.
const TEMPLATES: [(&str, &str, &str); 7] = [
    (
        "KL",
        "Tack, vi återkommer",
        "Hej {kund}!\n\nTack för att du kontaktade Kontakt Linköping. Vi har tagit emot ditt ärende {ärende} och återkommer så snart vi kan.\n\nVänliga hälsningar\n{handläggare}\nKontakt Linköping",
    ),
    (
        "KL",
        "Behöver mer information",
        "Hej {kund}!\n\nFör att kunna hjälpa dig med ärende {ärende} behöver vi veta lite mer. Kan du beskriva vad det gäller och när det hände?\n\nVänliga hälsningar\n{handläggare}\nKontakt Linköping",
    ),
    (
        "KL",
        "Ärendet är löst",
        "Hej {kund}!\n\nVi har nu hanterat ditt ärende {ärende} om {tjänst} och markerar det som löst. Hör gärna av dig igen om något inte stämmer.\n\nVänliga hälsningar\n{handläggare}\nKontakt Linköping",
    ),
    (
        "HRS",
        "Bekräftelse",
        "Hej {kund}!\n\nTack för ditt ärende {ärende} om {tjänst}. HR service handlägger det och hör av sig om vi behöver något mer.\n\nHälsningar\n{handläggare}, HR service",
    ),
    (
        "HRS",
        "Underlag saknas",
        "Hej {kund}!\n\nVi saknar underlag för att kunna gå vidare med ärende {ärende}. Skicka det som svar på det här meddelandet, så fortsätter vi direkt.\n\nHälsningar\n{handläggare}, HR service",
    ),
    (
        "HRD",
        "Tack för samtalet",
        "Hej {kund}!\n\nTack för samtalet med HR-direkt. Här är en sammanfattning av det vi kom fram till i ärende {ärende}:\n\n\n\nHälsningar\n{handläggare}, HR-direkt",
    ),
    (
        "HRD",
        "Hänvisning till chef",
        "Hej {kund}!\n\nFrågan i ärende {ärende} behöver avgöras av din närmaste chef. Prata gärna med hen först; återkom till HR-direkt om du behöver stöd.\n\nHälsningar\n{handläggare}, HR-direkt",
    ),
];

/// Writes the templates through the store, as a unit manager would.
pub(super) async fn load(db: &Db, l: &Loaded) -> anyhow::Result<()> {
    for (unit, name, body) in TEMPLATES {
        let input = TemplateInput::parse(name, body)
            .map_err(|e| anyhow::anyhow!("demo template {name}: {e:?}"))?;
        db.save_reply_template(None, serva_domain::UnitId(l.units[unit]), None, &input)
            .await?;
    }
    Ok(())
}
