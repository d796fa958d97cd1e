//! `GET/POST /billing/lines/{id}/correct`: correcting a locked charge line (a new quantity, 0
//! cancels it, and a reason), charged in the next run locked for a later month. The billing
//! page's sections of lines and corrections are built here too.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serva_app::{AppError, CorrectionRefused};
use serva_store::billing_corrections::StoredLine;
use serva_views::pages::billing_lines::{
    correct_page, corrections_section, lines_section, CorrectionForm, CorrectionView, LineView,
};

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::params::parse_id;
use crate::AppState;

fn view(l: &StoredLine) -> LineView<'_> {
    LineView {
        id: l.id,
        line: &l.line,
        correction: l.correction.as_ref().map(|c| CorrectionView {
            quantity: c.quantity,
            reason: &c.reason,
            charged_in: c.charged_in.as_deref(),
        }),
    }
}

/// The billing page's sections below the totals: the month's corrections, and a locked run's
/// lines of the customer and service chosen in the table (`sel`), with "Korrigera" for those
/// who correct. One row's lines at a time, so a large run's page stays small.
pub(super) async fn sections(
    st: &AppState,
    auth: &Auth,
    month: &str,
    locked: bool,
    sel: Option<(&str, &str)>,
) -> Result<Markup, PageError> {
    let p = &auth.s.principal;
    let cx = &auth.cx;
    let corrections = st.app.month_correction_lines(p, month).await?;
    let lines = match (locked, sel) {
        (true, Some((customer, service))) => {
            st.app.run_lines_for(p, month, customer, service).await?
        }
        _ => Vec::new(),
    };
    let views: Vec<LineView> = lines.iter().map(view).collect();
    Ok(html! {
        (corrections_section(cx, &corrections))
        @if locked {
            @match sel {
                Some(_) => { (lines_section(cx, &views, p.can_bill())) }
                None => {
                    p.hint { (cx.t(
                        "Välj en tjänst i tabellen för att se dess debiteringsrader och korrigera dem.",
                        "Choose a service in the table to see its charge lines and correct them."
                    )) }
                }
            }
        }
    })
}

fn line_id(id: &str) -> Result<i64, PageError> {
    parse_id(id).ok_or_else(PageError::not_found)
}

pub async fn form(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let line = st.app.charge_line(&auth.s.principal, line_id(&id)?).await?;
    let f = CorrectionForm {
        quantity: "",
        reason: "",
        quantity_error: None,
        reason_error: None,
        error: line.correction.as_ref().map(|_| {
            auth.cx.t(
                "Raden är redan rättad; en rad rättas en gång.",
                "The line is corrected already; a line is corrected once.",
            )
        }),
    };
    Ok(correct_page(&auth.cx, &line.month, &view(&line), &f).into_response())
}

pub async fn correct(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let id = line_id(&id)?;
    let p = &f.auth.s.principal;
    let cx = &f.auth.cx;
    let (quantity, reason) = (f.get("quantity"), f.get("reason"));
    let refused = match st.app.correct_charge_line(p, id, quantity, reason).await {
        Ok(line) => {
            let v = &line.line.volume;
            return Ok(Redirect::to(&format!(
                "/billing?month={}&customer={}&service={}&corrected={}#rader",
                line.month,
                urlencoding::encode(&v.customer),
                urlencoding::encode(&v.service),
                line.id
            ))
            .into_response());
        }
        Err(r) => r,
    };
    let line = st.app.charge_line(p, id).await?;
    let (status, form) = match refused {
        CorrectionRefused::Input(problems) => {
            let of = |field: &str| {
                problems
                    .iter()
                    .find(|pr| pr.field() == field)
                    .map(|pr| cx.t(pr.message().0, pr.message().1))
            };
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                CorrectionForm {
                    quantity,
                    reason,
                    quantity_error: of("quantity"),
                    reason_error: of("reason"),
                    error: Some(cx.t(
                        "Rättelsen är inte sparad: se fälten nedan.",
                        "The correction is not saved: see the fields below.",
                    )),
                },
            )
        }
        CorrectionRefused::App(AppError::Conflict(_)) => (
            StatusCode::CONFLICT,
            CorrectionForm {
                quantity,
                reason,
                quantity_error: None,
                reason_error: None,
                error: Some(cx.t(
                    "Raden är redan rättad; en rad rättas en gång. Inget är sparat.",
                    "The line is corrected already; a line is corrected once. Nothing was saved.",
                )),
            },
        ),
        CorrectionRefused::App(AppError::Invalid(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            CorrectionForm {
                quantity,
                reason,
                quantity_error: None,
                reason_error: None,
                error: Some(cx.t(
                    "Raden är själv en rättelse och rättas inte igen. Inget är sparat.",
                    "The line is a correction itself and is not corrected again. Nothing was saved.",
                )),
            },
        ),
        CorrectionRefused::App(e) => return Err(e.into()),
    };
    Ok((status, correct_page(cx, &line.month, &view(&line), &form)).into_response())
}
