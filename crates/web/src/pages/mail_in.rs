//! Administration of e-mail in: each unit's mail service and IMAP mailbox, and the intake log.
//! Administrators only; to anyone else the page does not exist.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::AppError;
use serva_domain::mail::{ImapMailbox, ImapTls, Outcome, PasswordSource};
use serva_domain::ServiceId;
use serva_store::catalogue::ServiceFilter;
use serva_views::pages::mail_in::{mail_in_page, UnitMail};

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

async fn render(
    st: &AppState,
    auth: &Auth,
    filter: Option<Outcome>,
    ok: Option<&str>,
    error: Option<(&str, &str)>,
) -> Result<maud::Markup, PageError> {
    let p = &auth.s.principal;
    let settings = st.app.mail_settings(p).await?;
    let mut services = Vec::new();
    let mut effective = Vec::new();
    for s in &settings {
        let list = st
            .app
            .db()
            .services(&ServiceFilter {
                unit: Some(s.unit_id),
                ..ServiceFilter::default()
            })
            .await
            .map_err(AppError::from)?
            .into_iter()
            .filter(|svc| svc.unit_id == s.unit_id)
            .collect::<Vec<_>>();
        services.push(list);
        effective.push(st.app.mail_service_of(s.unit_id).await?);
    }
    let units: Vec<UnitMail> = settings
        .iter()
        .zip(&services)
        .zip(&effective)
        .map(|((settings, services), effective)| UnitMail {
            settings,
            services,
            effective: effective.as_ref(),
        })
        .collect();
    let log = st.app.mail_log(p, filter).await?;
    Ok(mail_in_page(&auth.cx, &units, &log, filter, ok, error))
}

pub async fn page(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    if !auth.s.principal.administers() {
        return Err(PageError::not_found());
    }
    let filter = q.get("outcome").and_then(|o| Outcome::parse(o));
    let ok = q.contains_key("saved").then(|| {
        auth.cx
            .t("Inställningarna är sparade.", "The settings are saved.")
    });
    Ok(render(&st, &auth, filter, ok, None).await?.into_response())
}

/// Reads the form: the chosen service and, when fetching is ticked, the IMAP mailbox.
fn read_form(f: &FormPost) -> Result<(Option<ServiceId>, Option<ImapMailbox>), String> {
    let cx = &f.auth.cx;
    let service = match f.opt("service") {
        None => None,
        Some(s) => {
            Some(ServiceId(s.parse().map_err(|_| {
                cx.t("Okänd tjänst.", "Unknown service.").to_string()
            })?))
        }
    };
    if f.opt("imap").is_none() {
        return Ok((service, None));
    }
    let tls = ImapTls::parse(f.get("tls")).ok_or_else(|| {
        cx.t("Välj kryptering.", "Choose the encryption.")
            .to_string()
    })?;
    let port = match f.opt("port") {
        None => tls.default_port(),
        Some(p) => p.parse::<u16>().ok().filter(|&p| p > 0).ok_or_else(|| {
            cx.t(
                "Porten är ett tal 1–65535.",
                "The port is a number 1–65535.",
            )
            .to_string()
        })?,
    };
    let host = f.get("host").trim();
    let user = f.get("user").trim();
    let folder = f.opt("folder").unwrap_or("INBOX");
    if host.is_empty() || user.is_empty() {
        return Err(cx
            .t(
                "Ange server och användare för IMAP.",
                "Give the IMAP server and user.",
            )
            .to_string());
    }
    let password =
        PasswordSource::new(f.get("password_from"), f.get("password_source")).map_err(|e| {
            match cx.lang {
                serva_views::Lang::Sv => format!(
                    "Lösenordskällan är namnet på en miljövariabel (A–Z, 0–9, _) eller en absolut sökväg till en fil – aldrig lösenordet självt. ({e})"
                ),
                serva_views::Lang::En => format!(
                    "The password source is an environment variable's name (A–Z, 0–9, _) or an absolute file path – never the password itself. ({e})"
                ),
            }
        })?;
    Ok((
        service,
        Some(ImapMailbox {
            host: host.to_string(),
            port,
            tls,
            user: user.to_string(),
            folder: folder.to_string(),
            password,
        }),
    ))
}

pub async fn save(
    State(st): State<AppState>,
    Path(code): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    if !f.auth.s.principal.administers() {
        return Err(PageError::not_found());
    }
    let unit = st.app.unit_by_code(&code).await?;
    let result = match read_form(&f) {
        Ok((service, imap)) => st
            .app
            .save_mail_settings(&f.auth.s.principal, unit.id, service, imap.as_ref())
            .await
            .map_err(|e| match e {
                AppError::Invalid(m) | AppError::BadRequest(m) => Ok(m),
                AppError::NotFound(what) => Ok(format!("{what} not found")),
                other => Err(other),
            }),
        Err(m) => Err(Ok(m)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/admin/mail?saved=1").into_response()),
        Err(Ok(m)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&st, &f.auth, None, None, Some((&code, &m))).await?,
        )
            .into_response()),
        Err(Err(e)) => Err(e.into()),
    }
}
