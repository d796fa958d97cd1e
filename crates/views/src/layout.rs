//! The page frame: language, navigation, skip link, landmarks.

use maud::{html, Markup, PreEscaped, DOCTYPE};

/// The language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sv" | "sv-se" => Some(Lang::Sv),
            "en" | "en-gb" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }
    /// The first language of an Accept-Language header we speak; Swedish otherwise.
    pub fn from_accept_language(h: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in h.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("sv") => Lang::Sv,
                Some("en") => Lang::En,
                _ => continue,
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::Sv, |(_, l)| l)
    }
}

/// What the navigation shows: decided by the web layer from the person's grants.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub display_name: String,
    pub can_order: bool,
    pub is_agent: bool,
    pub is_admin: bool,
    pub is_customer_manager: bool,
    pub manages_catalogue: bool,
    /// Manages a provider unit or oversees a customer department: the manager's overview.
    pub sees_overview: bool,
    pub reads_reports: bool,
    pub imports: bool,
    /// Billing: controllers and administrators; unit managers see their units' part.
    pub bills: bool,
}

/// Everything a page needs besides its own data.
#[derive(Debug, Clone, Default)]
pub struct Ctx {
    pub lang: Lang,
    pub nav: Option<Nav>,
    pub csrf: Option<String>,
    /// The path of the page, for the current-page marker and the language switch.
    pub path: String,
}

impl Ctx {
    /// The text in the page's language.
    pub fn t<'a>(&self, sv: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }

    /// A count with its noun in singular or plural: `1 tjänst`, `16 015 tjänster`.
    pub fn count(&self, n: i64, sv: (&str, &str), en: (&str, &str)) -> String {
        let (one, many) = match self.lang {
            Lang::Sv => sv,
            Lang::En => en,
        };
        format!(
            "{} {}",
            serva_domain::format::int(n),
            if n == 1 { one } else { many }
        )
    }

    /// The hidden CSRF field every form that changes something carries.
    pub fn csrf_field(&self) -> Markup {
        html! { @if let Some(t) = &self.csrf { input type="hidden" name="_csrf" value=(t); } }
    }
}

pub const CSS: &str = include_str!("serva.css");

/// A whole page: `title` for the tab and the heading, `body` inside `<main>`.
pub fn page(cx: &Ctx, title: &str, body: Markup) -> Markup {
    let other = match cx.lang {
        Lang::Sv => ("en", "English"),
        Lang::En => ("sv", "Svenska"),
    };
    html! {
        (DOCTYPE)
        html lang=(cx.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Serva" }
                link rel="stylesheet" href="/static/serva.css";
            }
            body {
                a.skip href="#main" { (cx.t("Hoppa till innehållet", "Skip to content")) }
                header.top {
                    a.brand href="/" { "Serva" }
                    @if let Some(nav) = &cx.nav {
                        nav aria-label=(cx.t("Huvudmeny", "Main menu")) {
                            ul {
                                @if nav.is_agent {
                                    (nav_link(cx, "/work", cx.t("Mitt arbete", "My work")))
                                }
                                @if nav.can_order { (nav_link(cx, "/portal", cx.t("Beställ", "Order"))) }
                                (nav_link(cx, "/cases", cx.t("Mina ärenden", "My cases")))
                                @if nav.is_agent {
                                    (nav_link(cx, "/queues", cx.t("Köer", "Queues")))
                                    (nav_link(cx, "/contacts/new", cx.t("Registrera kontakt", "Register contact")))
                                }
                                @if nav.sees_overview {
                                    (nav_link(cx, "/overview", cx.t("Översikt", "Overview")))
                                }
                                @if nav.manages_catalogue {
                                    (nav_link(cx, "/catalogue", cx.t("Tjänster", "Services")))
                                }
                                @if nav.reads_reports {
                                    (nav_link(cx, "/followup", cx.t("Uppföljning", "Follow-up")))
                                    (nav_link(cx, "/reports", cx.t("Rapporter", "Reports")))
                                }
                                @if nav.bills {
                                    (nav_link(cx, "/billing", cx.t("Debitering", "Billing")))
                                }
                                @if nav.bills || nav.manages_catalogue {
                                    (nav_link(cx, "/billing/subscriptions", cx.t("Abonnemang", "Subscriptions")))
                                }
                                @if nav.imports {
                                    (nav_link(cx, "/imports", cx.t("Importera", "Import")))
                                }
                                @if nav.is_admin {
                                    (nav_link(cx, "/admin", cx.t("Administration", "Administration")))
                                }
                                (nav_link(cx, "/account", cx.t("Mitt konto", "My account")))
                            }
                        }
                        form.logout method="post" action="/logout" {
                            (cx.csrf_field())
                            span.who { (nav.display_name) }
                            button type="submit" { (cx.t("Logga ut", "Log out")) }
                        }
                    } @else {
                        form method="get" action="/lang" {
                            input type="hidden" name="to" value=(other.0);
                            input type="hidden" name="back" value=(cx.path);
                            button type="submit" lang=(other.0) { (other.1) }
                        }
                    }
                }
                main #main tabindex="-1" {
                    h1 { (title) }
                    (body)
                }
                footer {
                    p { (cx.t("Serva – verksamhetsstöd och service", "Serva – shared services")) }
                }
            }
        }
    }
}

fn nav_link(cx: &Ctx, href: &str, label: &str) -> Markup {
    html! {
        li { a href=(href) aria-current=[is_current(&cx.path, href).then_some("page")] { (label) } }
    }
}

/// Whether the page at `path` is the one the menu item `href` leads to, or a page below it.
/// "Mina ärenden" is its list only: a case's page is reached from queues, overviews and
/// searches too, so it marks no menu item. "Översikt" leads to a unit's or a department's
/// overview.
fn is_current(path: &str, href: &str) -> bool {
    match href {
        "/cases" => path == href,
        "/overview" => {
            path == href
                || ((path.starts_with("/units/") || path.starts_with("/customers/"))
                    && path.ends_with("/overview"))
        }
        _ => path == href || path.starts_with(&format!("{href}/")),
    }
}

/// A notice at the top of a page: `ok` in green, otherwise an error, announced to screen readers.
pub fn notice(ok: bool, text: &str) -> Markup {
    html! {
        @if ok {
            p.notice.ok role="status" { (text) }
        } @else {
            div.notice.error role="alert" { (PreEscaped("")) (text) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_menu_item_is_current_and_only_for_its_own_pages() {
        let items = [
            "/work",
            "/portal",
            "/cases",
            "/queues",
            "/contacts/new",
            "/overview",
            "/followup",
            "/admin",
            "/account",
        ];
        let current = |path: &str| -> Vec<&str> {
            items
                .iter()
                .copied()
                .filter(|h| is_current(path, h))
                .collect()
        };
        assert_eq!(current("/cases"), ["/cases"]);
        assert!(current("/cases/17").is_empty(), "a case marks no item");
        assert_eq!(current("/work"), ["/work"]);
        assert_eq!(current("/queues/LKDATA"), ["/queues"]);
        assert_eq!(current("/units/LKDATA/overview"), ["/overview"]);
        assert_eq!(current("/customers/UF/overview"), ["/overview"]);
        assert!(current("/units/LKDATA/surveys").is_empty());
        assert_eq!(current("/admin/users/3"), ["/admin"]);
        assert_eq!(current("/account/sessions"), ["/account"]);
        assert!(current("/portalen").is_empty());
    }

    #[test]
    fn accept_language_picks_best_supported() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,sv;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,sv;q=0.5,en;q=0.4"),
            Lang::Sv
        );
        assert_eq!(Lang::from_accept_language("fr"), Lang::Sv);
        assert_eq!(Lang::from_accept_language(""), Lang::Sv);
    }
}
