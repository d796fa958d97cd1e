//! Page handlers, one module per area.

mod account;
mod admin;
mod admin_tokens;
pub(crate) mod attachments;
mod billing;
mod billing_corrections;
mod billing_result;
mod calendars;
mod case_billing;
mod cases;
mod catalogue;
mod citizens;
mod dashboard;
mod followup;
mod followup_rows;
mod handoff;
mod help;
mod imports;
mod list_export;
mod login;
mod mail_in;
mod my_work;
mod outbox;
mod overview;
mod phone;
mod portal;
mod price_simulator;
mod prices;
mod queues;
mod registration;
mod reply_templates;
pub(crate) mod reports;
mod sessions;
mod showback;
mod sign_in_pauses;
mod sso;
mod subscriptions;
pub(crate) mod surveys;

use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(login::home))
        .route("/login", get(login::login_form).post(login::login))
        .route("/login/sso", get(sso::start))
        .route("/login/sso/callback", get(sso::callback))
        .route("/logout", post(login::logout))
        .route("/lang", get(login::switch_lang))
        .route("/portal", get(portal::catalogue))
        .route("/portal/services/{code}", get(portal::service))
        .route("/portal/services/{code}/order", post(portal::order))
        .route("/work", get(my_work::page))
        .route("/cases", get(cases::my_cases))
        .route("/cases/{id}", get(cases::view))
        .route("/cases/{id}/messages", post(cases::add_message))
        .route("/cases/{id}/status", post(cases::set_status))
        .route("/cases/{id}/assign", post(cases::assign))
        .route("/cases/{id}/work", post(cases::work))
        .route("/cases/{id}/reopen", post(cases::reopen))
        .route("/cases/{id}/time", post(case_billing::add_time))
        .route("/cases/{id}/time/{entry}", post(case_billing::change_time))
        .route(
            "/cases/{id}/time/{entry}/delete",
            post(case_billing::delete_time),
        )
        .route(
            "/cases/{id}/subscription",
            post(case_billing::change_subscription),
        )
        .route(
            "/units/{code}/templates",
            get(reply_templates::list).post(reply_templates::create),
        )
        .route(
            "/units/{code}/templates/new",
            get(reply_templates::new_form),
        )
        .route(
            "/units/{code}/templates/{id}",
            post(reply_templates::update),
        )
        .route(
            "/units/{code}/templates/{id}/edit",
            get(reply_templates::edit_form),
        )
        .route(
            "/units/{code}/templates/{id}/delete",
            get(reply_templates::confirm_delete).post(reply_templates::delete),
        )
        .route("/cases/{id}/survey", post(surveys::answer_case))
        .route("/cases/{id}/survey/send", post(surveys::send))
        .route(
            "/cases/{id}/attachments",
            post(attachments::upload).layer(axum::extract::DefaultBodyLimit::max(
                attachments::UPLOAD_LIMIT,
            )),
        )
        .route("/cases/{id}/attachments/{file}", get(attachments::download))
        .route("/queues", get(queues::overview))
        .route("/queues/{code}", get(queues::queue))
        .route("/queues/{code}/export", get(list_export::queue))
        .route("/cases/export", get(list_export::my_cases))
        .route("/contacts/new", get(registration::contact_form))
        .route("/contacts", post(registration::register_contact))
        .route("/catalogue", get(catalogue::manage).post(catalogue::create))
        .route("/catalogue/new", get(catalogue::new_form))
        .route("/catalogue/{code}/edit", get(catalogue::edit_form))
        .route("/catalogue/{code}", post(catalogue::update))
        .route("/imports", get(imports::form).post(imports::upload))
        .route("/billing", get(billing::page))
        .route("/billing/lock", post(billing::lock))
        .route("/billing/export", get(billing::export))
        .route(
            "/billing/lines/{id}/correct",
            get(billing_corrections::form).post(billing_corrections::correct),
        )
        .route("/portal/charges", get(showback::page))
        .route("/portal/charges/lines", get(showback::lines))
        .route("/billing/result", get(billing_result::page))
        .route("/billing/prices", get(prices::list))
        .route("/billing/prices/export", get(prices::export))
        .route(
            "/billing/prices/drafts",
            get(prices::drafts).post(prices::create_draft),
        )
        .route("/billing/prices/drafts/{id}", get(prices::draft))
        .route("/billing/prices/drafts/{id}/rows", post(prices::save_rows))
        .route("/billing/prices/drafts/{id}/publish", post(prices::publish))
        .route(
            "/billing/prices/drafts/{id}/export",
            get(prices::export_draft),
        )
        .route(
            "/billing/prices/{code}",
            get(prices::history).post(prices::change),
        )
        .route("/billing/simulator", get(price_simulator::page))
        .route("/billing/simulator/save", post(price_simulator::save))
        .route(
            "/billing/subscriptions",
            get(subscriptions::page).post(subscriptions::change),
        )
        .route("/followup", get(followup::page))
        .route("/followup/budget", get(followup::budget))
        .route(
            "/followup/forecasts",
            get(followup::forecasts).post(followup::save_forecast),
        )
        .route("/followup/investments", get(followup::investments))
        .route("/followup/goals", get(followup::goals))
        .route("/followup/staff", get(followup::staff))
        .route("/followup/assignments", get(followup::assignments))
        .route("/followup/control", get(followup::control))
        .route(
            "/followup/carry-over",
            get(followup_rows::carry_over_form).post(followup_rows::carry_over),
        )
        .route("/followup/rows/{kind}", post(followup_rows::save))
        .route("/followup/rows/{kind}/new", get(followup_rows::new))
        .route("/followup/rows/{kind}/edit", get(followup_rows::edit))
        .route(
            "/followup/rows/{kind}/delete",
            get(followup_rows::confirm_delete).post(followup_rows::delete),
        )
        .route("/followup/goals/{id}", post(followup::assess_goal))
        .route("/followup/assignments/{id}", post(followup::set_assignment))
        .route("/followup/controls/{id}", post(followup::set_control))
        .route(
            "/followup/indicators",
            get(followup::indicators).post(followup::set_indicator_value),
        )
        .route("/followup/events", post(followup::add_event))
        .route(
            "/followup/events/{id}/delete",
            get(followup::confirm_delete_event).post(followup::delete_event),
        )
        .route(
            "/followup/texts",
            get(followup::texts).post(followup::new_text),
        )
        .route(
            "/followup/texts/{id}",
            get(followup::text).post(followup::save_text),
        )
        .route(
            "/followup/texts/{id}/status",
            post(followup::set_text_status),
        )
        .route("/reports", get(reports::index))
        .route("/reports/interim", get(reports::interim))
        .route("/reports/interim/approve", post(reports::approve))
        .route("/admin", get(admin::index))
        .route("/admin/units", get(admin::units).post(admin::create_unit))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route(
            "/admin/users/{id}",
            get(admin::user).post(admin::update_user),
        )
        .route("/admin/users/{id}/grants", post(admin::add_grant))
        .route("/admin/users/{id}/grants/remove", post(admin::remove_grant))
        .route("/admin/users/{id}/password", post(admin::set_password))
        .route("/admin/units/{code}/edit", get(admin::edit_unit))
        .route("/admin/units/{code}", post(admin::update_unit))
        .route("/admin/tokens", get(admin_tokens::list))
        .route("/admin/tokens/{id}/revoke", post(admin_tokens::revoke))
        .route("/admin/audit", get(admin::audit))
        .route("/admin/mail", get(mail_in::page))
        .route("/admin/mail/{code}", post(mail_in::save))
        .route(
            "/admin/sign-in-pauses",
            get(sign_in_pauses::list).post(sign_in_pauses::lift),
        )
        .route("/admin/outbox", get(outbox::list))
        .route("/admin/outbox/{id}", get(outbox::show))
        .route("/admin/outbox/{id}/send-again", post(outbox::send_again))
        .route("/admin/calendars", get(calendars::list))
        .route(
            "/admin/calendars/{code}",
            get(calendars::show).post(calendars::save_week),
        )
        .route("/admin/calendars/{code}/days", post(calendars::add_day))
        .route(
            "/admin/calendars/{code}/days/{day}/delete",
            post(calendars::remove_day),
        )
        .route("/admin/queues", get(admin::queues))
        .route("/admin/queues/{code}", post(admin::set_queue))
        .route("/account", get(account::page))
        .route("/account/locale", post(account::set_locale))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/account/sessions", get(sessions::page))
        .route("/account/sessions/end-all", post(sessions::end_all))
        .route("/account/sessions/{handle}/end", post(sessions::end_one))
        .route("/queues/{code}/phone", get(phone::service_level))
        .route("/cases/{id}/handoff", post(handoff::hand_off))
        .route("/cases/{id}/handback", post(handoff::hand_back))
        .route("/kontakt", get(citizens::form).post(citizens::send))
        .route("/follow/{token}", get(citizens::follow))
        .route("/follow/{token}/reply", post(citizens::reply))
        .route("/follow/{token}/survey", post(surveys::answer_follow))
        .route(
            "/survey/{token}",
            get(surveys::link).post(surveys::answer_link),
        )
        .route("/units/{code}/surveys", get(surveys::figures))
        .route(
            "/units/{code}/surveys/settings",
            post(surveys::save_settings),
        )
        .route("/overview", get(overview::choices))
        .route("/units/{code}/overview", get(overview::unit))
        .route("/units/{code}/dashboard", get(dashboard::unit))
        .route("/units/{code}/overview/reassign", post(overview::reassign))
        .route("/queues/{code}/bulk", post(queues::bulk))
        .route("/help/keys", get(help::keys))
        .route("/static/keys.js", get(help::keys_js))
        .route("/customers/{code}/overview", get(overview::customer))
}

pub(crate) use crate::params::parse_id;

/// A redirect target that stays on this site: a path on it, written in visible ASCII only.
///
/// Browsers drop tabs and line breaks from a URL and read a backslash as `/`, so
/// `/<TAB>/evil.example` or `/<backslash>evil.example` would leave the site; a line break would also split the header. Our own
/// links percent-encode everything else, so refusing all but visible ASCII loses nothing.
pub(crate) fn safe_next(next: &str) -> &str {
    let on_site = next.starts_with('/')
        && !next.starts_with("//")
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if on_site {
        next
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        for ok in ["/", "/cases?page=2", "/cases/2026-0000001#m3", "/s%C3%B6k"] {
            assert_eq!(safe_next(ok), ok);
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/ /evil.example",
            "/x\\y",
            "https://evil.example",
            "evil.example",
            "",
            "/\u{0}",
            "/ä",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }
}
