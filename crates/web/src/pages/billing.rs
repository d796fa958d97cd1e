//! `GET /billing?month=YYYY-MM`, `POST /billing/lock`, `GET /billing/export?month=&format=`:
//! a month's run for controllers and administrators; to anyone else the pages do not exist.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::AppError;
use serva_report::billing_sheet::{line_rows, LINE_HEADINGS};
use serva_report::sheet::{csv, xlsx, Sheet};
use serva_views::pages::billing::{billing_page, BillingView};

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

fn allowed(auth: &Auth) -> Result<(), PageError> {
    let p = &auth.s.principal;
    // Unit managers see their units' part; the app layer keeps the rest from them.
    if p.can_bill() || !p.manages.is_empty() {
        Ok(())
    } else {
        Err(PageError::not_found())
    }
}

/// The month asked for, or the last whole month.
fn month_of(q: &HashMap<String, String>) -> String {
    q.get("month")
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| serva_domain::billing::previous_month(serva_domain::time::today()))
}

async fn render(
    st: &AppState,
    auth: &Auth,
    month: &str,
    status: StatusCode,
    ok: Option<&str>,
    error: Option<&str>,
    sel: Option<(&str, &str)>,
) -> Result<Response, PageError> {
    let (pv, part) = match st.app.billing_preview_for(&auth.s.principal, month).await {
        Ok(pv) => pv,
        Err(AppError::Invalid(_)) => {
            return Err(PageError::new(
                StatusCode::BAD_REQUEST,
                auth.cx.t(
                    "Skriv månaden som ÅÅÅÅ-MM, t.ex. 2019-08.",
                    "Write the month as YYYY-MM, e.g. 2019-08.",
                ),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    let names: HashMap<String, String> = st
        .app
        .units()
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    let view = BillingView {
        month,
        rows: &pv.rows,
        unpriced: &pv.unpriced,
        lines: pv.lines,
        total_ore: pv.total_ore,
        locked: pv
            .locked
            .as_ref()
            .map(|r| (r.locked_at, r.locked_by.as_deref())),
        names: &names,
        all: part.is_all(),
        more: super::billing_corrections::sections(st, auth, month, pv.locked.is_some(), sel)
            .await?,
    };
    Ok((status, billing_page(&auth.cx, &view, ok, error)).into_response())
}

pub async fn page(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    allowed(&auth)?;
    let ok = q.contains_key("locked").then(|| {
        auth.cx
            .t("Debiteringen är låst.", "The billing run is locked.")
    });
    let ok = ok.or_else(|| {
        q.contains_key("corrected").then(|| {
            auth.cx.t(
                "Rättelsen är sparad. Den kommer med i nästa debitering som låses.",
                "The correction is saved. It goes into the next run that is locked.",
            )
        })
    });
    let sel = match (q.get("customer"), q.get("service")) {
        (Some(c), Some(s)) => Some((c.trim(), s.trim())),
        _ => None,
    };
    render(&st, &auth, &month_of(&q), StatusCode::OK, ok, None, sel).await
}

pub async fn lock(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    allowed(&f.auth)?;
    let month = f.get("month").trim().to_string();
    match st.app.lock_billing_run(&f.auth.s.principal, &month).await {
        Ok(run) => {
            Ok(Redirect::to(&format!("/billing?month={}&locked=1", run.month)).into_response())
        }
        Err(AppError::Conflict(m) | AppError::Invalid(m)) => {
            render(
                &st,
                &f.auth,
                &month,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(&m),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn export(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    allowed(&auth)?;
    let month = month_of(&q);
    let p = &auth.s.principal;
    let format = q.get("format").map(String::as_str).unwrap_or("sie");
    let (bytes, content_type, ext) = match format {
        "sie" => (
            st.app.billing_sie(p, &month).await?,
            "text/plain; charset=IBM437",
            "se",
        ),
        "csv" | "xlsx" => {
            let lines = st.app.run_part_lines(p, &month).await?;
            let rows = line_rows(&lines);
            let sheet = Sheet {
                name: "Debiteringsrader",
                headings: LINE_HEADINGS,
                rows: &rows,
            };
            if format == "csv" {
                (csv(&sheet), "text/csv; charset=utf-8", "csv")
            } else {
                (
                    xlsx(&sheet)
                        .map_err(|e| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, &e))?,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "xlsx",
                )
            }
        }
        _ => {
            return Err(PageError::new(
                StatusCode::BAD_REQUEST,
                "format must be sie, csv or xlsx",
            ))
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"debitering-{month}.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
