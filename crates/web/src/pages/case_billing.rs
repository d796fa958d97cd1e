//! The case page's billing sections for the provider's staff: `POST /cases/{id}/time`,
//! `POST /cases/{id}/time/{entry}` (change), `POST /cases/{id}/time/{entry}/delete`, and
//! `POST /cases/{id}/subscription` ("Ändra abonnemang" on an order case).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serva_app::subscriptions::SubscriptionRefused;
use serva_app::time_entries::TimeRefused;
use serva_app::AppError;
use serva_domain::billing::hours::{parse_hours, HoursProblem};
use serva_domain::billing::money::Milli;
use serva_domain::billing::NaiveDate;
use serva_domain::case::Case;
use serva_domain::CaseId;
use serva_views::pages::case_billing::{
    subscription_section, time_section, SubscriptionForm, TimeForm,
};
use serva_views::Ctx;

use super::cases::{render_case_with, CasePageState};
use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::params::parse_id;
use crate::AppState;

fn case_id(id: &str) -> Result<CaseId, PageError> {
    parse_id(id).map(CaseId).ok_or_else(PageError::not_found)
}

fn today() -> String {
    serva_domain::time::today().format("%Y-%m-%d").to_string()
}

/// The sections for someone who works the case; `None` for everyone else.
pub(crate) async fn sections(
    st: &AppState,
    auth: &Auth,
    case: &Case,
    state: &CasePageState,
) -> Result<Option<Markup>, PageError> {
    let p = &auth.s.principal;
    if !p.can_work_case(&case.scope()) {
        return Ok(None);
    }
    let entries = st.app.case_time(p, case.id).await?;
    let mut time = state.time.clone();
    if time.day.is_empty() && time.hours.is_empty() {
        // A fresh form (today), or the entry chosen for a change as it stands.
        match time
            .editing
            .and_then(|id| entries.iter().find(|e| e.id == id))
        {
            Some(e) if !e.charged && p.user.map(|u| u.0) == Some(e.user_id) => {
                time.day = e.day.format("%Y-%m-%d").to_string();
                time.hours = e.hours.to_swedish();
                time.note = e.note.clone();
            }
            _ => {
                time.editing = None;
                time.day = today();
            }
        }
    }
    let me = p.user.map(|u| u.0);
    let subscription = match st.app.case_subscription(p, case.id).await? {
        Some(cs) => {
            let mut f = state.subscription.clone();
            if f.from.is_empty() && f.quantity.is_empty() {
                f.from = today();
            }
            let customer = case.customer_unit_name.as_deref().unwrap_or_default();
            Some(subscription_section(
                &auth.cx,
                case.id.0,
                customer,
                cs.current.as_ref(),
                serva_domain::time::today(),
                &f,
            ))
        }
        None => None,
    };
    Ok(Some(html! {
        (time_section(&auth.cx, case.id.0, &entries, me, &time))
        @if let Some(s) = subscription { (s) }
    }))
}

/// The day typed, or what is wrong with it.
fn read_day(cx: &Ctx, s: &str) -> Result<NaiveDate, String> {
    if s.trim().is_empty() {
        return Err(cx.t("Skriv dagen.", "Enter the day.").to_string());
    }
    serva_domain::time::parse_day(s).ok_or_else(|| {
        cx.t(
            "Skriv ett datum som ÅÅÅÅ-MM-DD.",
            "Enter a date as YYYY-MM-DD.",
        )
        .to_string()
    })
}

fn hours_text(cx: &Ctx, h: HoursProblem) -> String {
    if cx.t("sv", "en") == "sv" {
        h.swedish()
    } else {
        let s = h.to_string();
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str() + ".")
            .unwrap_or_default()
    }
}

async fn again(
    st: &AppState,
    auth: &Auth,
    cid: CaseId,
    state: CasePageState,
) -> Result<Response, PageError> {
    let msg = auth.cx.t(
        "Inget är sparat. Rätta felen nedan.",
        "Nothing has been saved. Correct the errors below.",
    );
    let page = render_case_with(st, auth, cid, None, Some(msg), &state).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn save_time(
    st: &AppState,
    cid: CaseId,
    entry: Option<i64>,
    f: &FormPost,
) -> Result<Response, PageError> {
    let cx = &f.auth.cx;
    let p = &f.auth.s.principal;
    // Only the provider's staff get this far; anyone else is refused as the case page is.
    st.app.case_to_work(p, cid).await?;
    let mut form = TimeForm {
        editing: entry,
        day: f.get("day").trim().to_string(),
        hours: f.get("hours").trim().to_string(),
        note: f.get("note").trim().to_string(),
        ..TimeForm::default()
    };
    let day = read_day(cx, &form.day).map_err(|e| form.day_error = Some(e));
    let hours = parse_hours(&form.hours).map_err(|e| form.hours_error = Some(hours_text(cx, e)));
    let (Ok(day), Ok(hours)) = (day, hours) else {
        return again(st, &f.auth, cid, state_with_time(form)).await;
    };
    let done = match entry {
        None => st
            .app
            .record_time(p, cid, day, hours, &form.note)
            .await
            .map(|_| ()),
        Some(id) => st.app.change_time(p, cid, id, day, hours, &form.note).await,
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{}?ok=time#time", cid.0)).into_response()),
        Err(TimeRefused::Hours(h)) => {
            form.hours_error = Some(hours_text(cx, h));
            again(st, &f.auth, cid, state_with_time(form)).await
        }
        Err(TimeRefused::NoteTooLong) => {
            form.note_error = Some(
                cx.t(
                    "Anteckningen är för lång (högst 500 tecken).",
                    "The note is too long (at most 500 characters).",
                )
                .to_string(),
            );
            again(st, &f.auth, cid, state_with_time(form)).await
        }
        Err(TimeRefused::MonthLocked(m)) => {
            form.day_error = Some(format!(
                "{} {m} {}",
                cx.t("Debiteringen för", "The billing run of"),
                cx.t(
                    "är låst; välj en senare dag.",
                    "is locked; choose a later day."
                )
            ));
            again(st, &f.auth, cid, state_with_time(form)).await
        }
        Err(TimeRefused::Other(AppError::Conflict(_))) => Err(PageError::new(
            StatusCode::CONFLICT,
            cx.t(
                "Tiden är debiterad i en låst debitering och kan inte ändras.",
                "The time is charged in a locked billing run and cannot change.",
            ),
        )),
        Err(TimeRefused::Other(e)) => Err(e.into()),
    }
}

fn state_with_time(time: TimeForm) -> CasePageState {
    CasePageState {
        time,
        ..CasePageState::default()
    }
}

pub async fn add_time(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    save_time(&st, case_id(&id)?, None, &f).await
}

pub async fn change_time(
    State(st): State<AppState>,
    Path((id, entry)): Path<(String, String)>,
    f: FormPost,
) -> Result<Response, PageError> {
    let entry = parse_id(&entry).ok_or_else(PageError::not_found)?;
    save_time(&st, case_id(&id)?, Some(entry), &f).await
}

pub async fn delete_time(
    State(st): State<AppState>,
    Path((id, entry)): Path<(String, String)>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cid = case_id(&id)?;
    let entry = parse_id(&entry).ok_or_else(PageError::not_found)?;
    match st.app.delete_time(&f.auth.s.principal, cid, entry).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/cases/{}?ok=time_deleted#time", cid.0)).into_response())
        }
        Err(AppError::Conflict(_)) => Err(PageError::new(
            StatusCode::CONFLICT,
            f.auth.cx.t(
                "Tiden är debiterad i en låst debitering och kan inte tas bort.",
                "The time is charged in a locked billing run and cannot be deleted.",
            ),
        )),
        Err(e) => Err(e.into()),
    }
}

/// "Ändra abonnemang" from an order case.
pub async fn change_subscription(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cid = case_id(&id)?;
    let cx = &f.auth.cx;
    let p = &f.auth.s.principal;
    st.app.case_to_work(p, cid).await?;
    let mut form = SubscriptionForm {
        quantity: f.get("quantity").trim().to_string(),
        from: f.get("from").trim().to_string(),
        ..SubscriptionForm::default()
    };
    let from = read_day(cx, &form.from).map_err(|e| form.from_error = Some(e));
    let quantity = read_quantity(cx, &form.quantity).map_err(|e| form.quantity_error = Some(e));
    let state = |form| CasePageState {
        subscription: form,
        ..CasePageState::default()
    };
    let (Ok(from), Ok(quantity)) = (from, quantity) else {
        return again(&st, &f.auth, cid, state(form)).await;
    };
    match st
        .app
        .change_subscription_from_case(p, cid, from, quantity)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/cases/{}?ok=subscription#subscription", cid.0)).into_response(),
        ),
        Err(SubscriptionRefused::Problem(pr)) => {
            let text = if cx.t("sv", "en") == "sv" {
                pr.swedish()
            } else {
                pr.to_string()
            };
            match pr {
                serva_domain::billing::subscription::SubscriptionProblem::BeforeCurrent(_) => {
                    form.from_error = Some(text)
                }
                _ => form.quantity_error = Some(text),
            }
            again(&st, &f.auth, cid, state(form)).await
        }
        Err(SubscriptionRefused::MonthLocked(m)) => {
            form.from_error = Some(locked_text(cx, &m));
            again(&st, &f.auth, cid, state(form)).await
        }
        Err(SubscriptionRefused::Other(e)) => Err(e.into()),
    }
}

pub(crate) fn locked_text(cx: &Ctx, month: &str) -> String {
    format!(
        "{} {month} {}",
        cx.t("Debiteringen för", "The billing run of"),
        cx.t(
            "är låst; ändringen måste gälla från en senare månad.",
            "is locked; the change must start in a later month."
        )
    )
}

/// A quantity typed as a whole number (0 ends a subscription).
pub(crate) fn read_quantity(cx: &Ctx, s: &str) -> Result<Milli, String> {
    if s.trim().is_empty() {
        return Err(cx.t("Skriv antalet.", "Enter the quantity.").to_string());
    }
    Milli::parse(s).ok_or_else(|| {
        cx.t(
            "Skriv antalet som ett heltal, t.ex. 12.",
            "Enter the quantity as a whole number, e.g. 12.",
        )
        .to_string()
    })
}
