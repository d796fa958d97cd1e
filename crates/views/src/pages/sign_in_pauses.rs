//! Administration: password sign-ins that are paused after too many attempts, and lifting them.

use maud::{html, Markup};
use serva_domain::login_throttle::Subject;

use crate::layout::{notice, page};
use crate::widgets::time;
use crate::Ctx;

/// One paused counter as the page shows it.
pub struct PauseRow {
    pub subject: Subject,
    pub attempts: u32,
    /// Milliseconds since the epoch.
    pub paused_until_ms: i64,
}

pub fn sign_in_pauses_page(cx: &Ctx, rows: &[PauseRow], ok: Option<&str>) -> Markup {
    page(
        cx,
        cx.t("Spärrade inloggningar", "Paused sign-ins"),
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            p { (cx.t(
                "Efter för många felaktiga lösenord pausas inloggning med lösenord: för kontot från en adress efter 5 försök, för kontot från alla adresser efter 20 och för en adress efter 100 försök inom 15 minuter. Pausen börjar på en minut och fördubblas upp till en timme. Inloggning via single sign-on påverkas aldrig. Häv en spärr när personen har visat vem den är på annat sätt.",
                "After too many wrong passwords, password sign-in is paused: for the account from one address after 5 attempts, for the account from all addresses after 20, and for one address after 100 attempts within 15 minutes. The pause starts at one minute and doubles up to an hour. Single sign-on is never affected. Lift a pause once the person has proved who they are another way.",
            )) }
            @if rows.is_empty() {
                p role="status" { (cx.t("Inga inloggningar är spärrade just nu.", "No sign-ins are paused right now.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Spärrar", "Pauses")) {
                    table {
                        caption.visually-hidden { (cx.t("Spärrade inloggningar", "Paused sign-ins")) }
                        thead { tr {
                            th scope="col" { (cx.t("Konto", "Account")) }
                            th scope="col" { (cx.t("Från adress", "From address")) }
                            th scope="col" { (cx.t("Försök", "Attempts")) }
                            th scope="col" { (cx.t("Spärrad till", "Paused until")) }
                            th scope="col" { (cx.t("Åtgärd", "Action")) }
                        } }
                        tbody {
                            @for r in rows {
                                tr {
                                    th scope="row" {
                                        @match r.subject.username() {
                                            Some(u) => (u),
                                            None => (cx.t("(alla konton)", "(every account)")),
                                        }
                                    }
                                    td {
                                        @match r.subject.address() {
                                            Some(ip) => (ip.to_string()),
                                            None => (cx.t("(alla adresser)", "(every address)")),
                                        }
                                    }
                                    td { (r.attempts) }
                                    td { (time(r.paused_until_ms)) }
                                    td {
                                        form method="post" action="/admin/sign-in-pauses" {
                                            (cx.csrf_field())
                                            input type="hidden" name="subject" value=(r.subject.key());
                                            @let what = match r.subject.username() {
                                                Some(u) => format!("{} {u}", cx.t("Häv spärren för", "Lift the pause of")),
                                                None => format!("{} {}", cx.t("Häv spärren för", "Lift the pause of"), r.subject.key()),
                                            };
                                            button type="submit" aria-label=(what) { (cx.t("Häv", "Lift")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
