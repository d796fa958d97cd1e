//! The person's own sessions: where they are signed in, and signing out elsewhere or
//! everywhere.

use maud::{html, Markup};
use serva_domain::session::{short_user_agent, SessionInfo};

use crate::layout::{notice, page};
use crate::widgets::time;
use crate::Ctx;

/// What the sessions page shows.
pub struct SessionsView<'a> {
    pub sessions: &'a [SessionInfo],
    /// The handle of the session the page is shown in.
    pub current: &'a str,
    /// Minutes without a request after which a session ends.
    pub idle_minutes: u64,
    pub ok: Option<&'a str>,
}

pub fn sessions_page(cx: &Ctx, v: &SessionsView<'_>) -> Markup {
    let idle = v.idle_minutes;
    page(
        cx,
        cx.t("Dina inloggningar", "Your sessions"),
        html! {
            @if let Some(m) = v.ok { (notice(true, m)) }
            p {
                @match cx.lang {
                    crate::Lang::Sv => { "En inloggning avslutas efter " (idle) " minuter utan aktivitet, och senast 8 timmar efter att du loggade in." }
                    crate::Lang::En => { "A session ends after " (idle) " minutes without activity, and at the latest 8 hours after you signed in." }
                }
            }
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Där du är inloggad", "Where you are signed in")) {
                table {
                    caption { (cx.t("Där du är inloggad", "Where you are signed in")) }
                    thead { tr {
                        th scope="col" { (cx.t("Webbläsare", "Browser")) }
                        th scope="col" { (cx.t("IP-adress", "IP address")) }
                        th scope="col" { (cx.t("Inloggad", "Signed in")) }
                        th scope="col" { (cx.t("Senast aktiv", "Last active")) }
                        th scope="col" { span.visually-hidden { (cx.t("Åtgärd", "Action")) } }
                    } }
                    tbody {
                        @for s in v.sessions {
                            @let browser = s.user_agent.as_deref().map(short_user_agent).filter(|b| !b.is_empty())
                                .unwrap_or_else(|| cx.t("Okänd webbläsare", "Unknown browser").to_string());
                            tr {
                                th scope="row" {
                                    (browser)
                                    @if s.handle == v.current { " " strong { "(" (cx.t("den här inloggningen", "this session")) ")" } }
                                }
                                td { (s.ip.as_deref().unwrap_or("–")) }
                                td { (time(s.created_at)) }
                                td { (time(s.last_seen_at)) }
                                td {
                                    @if s.handle != v.current {
                                        form.inline method="post" action={"/account/sessions/" (s.handle) "/end"} {
                                            (cx.csrf_field())
                                            button.secondary type="submit" { (cx.t("Logga ut", "Sign out")) span.visually-hidden { " " (browser) " " (crate::widgets::time(s.created_at)) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (cx.t("Logga ut överallt", "Sign out everywhere")) }
            p { (cx.t("Avslutar alla dina inloggningar, även den här: du behöver logga in igen, på alla enheter. Dina API-nycklar påverkas inte; återkalla dem på ", "Ends all your sessions, this one too: you will need to sign in again, on every device. Your API tokens are not affected; revoke them on ")) a href="/account#tokens" { (cx.t("Mitt konto", "My account")) } "." }
            form method="post" action="/account/sessions/end-all" {
                (cx.csrf_field())
                button type="submit" { (cx.t("Logga ut överallt", "Sign out everywhere")) }
            }
        },
    )
}
