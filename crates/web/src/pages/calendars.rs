//! Administration of business calendars (`/admin/calendars`): opening hours per weekday,
//! holidays, the warning share and a unit's own days. Administrators only.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::AppError;
use serva_domain::calendar::{
    parse_clock, parse_date, BadHours, CalendarSettings, Hours, SpecialDay,
};
use serva_store::sla::Recomputed;
use serva_views::pages::calendars::{calendar_page, calendars_page, WeekInput, WEEKDAYS};
use serva_views::Ctx;

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

/// A calendar mistake in the person's language.
fn bad_hours(cx: &Ctx, e: &BadHours) -> String {
    match e {
        BadHours::Time(t) => match cx.lang {
            serva_views::Lang::Sv => format!("Skriv tiden som TT:MM, till exempel 08:00: {t:?}."),
            serva_views::Lang::En => format!("Write the time as HH:MM, for example 08:00: {t:?}."),
        },
        BadHours::Order => cx
            .t(
                "Stängningstiden måste vara efter öppningstiden.",
                "The closing time must be after the opening time.",
            )
            .to_string(),
        BadHours::NeverOpen => cx
            .t(
                "Enheten måste ha öppet minst en dag i veckan.",
                "The unit must be open at least one day a week.",
            )
            .to_string(),
        BadHours::WarnPercent => cx
            .t(
                "Varningen ska ges vid 1–99 procent av tiden.",
                "The warning must come at 1–99 percent of the time.",
            )
            .to_string(),
        BadHours::TooManyDays => cx
            .t(
                "Enheten har redan så många egna dagar som går.",
                "The unit already has as many own days as it can.",
            )
            .to_string(),
        BadHours::Date(d) => match cx.lang {
            serva_views::Lang::Sv => format!("Skriv datumet som ÅÅÅÅ-MM-DD: {d:?}."),
            serva_views::Lang::En => format!("Write the date as YYYY-MM-DD: {d:?}."),
        },
        BadHours::Note => cx
            .t(
                "Anteckningen får vara högst 100 tecken.",
                "The note can be at most 100 characters.",
            )
            .to_string(),
    }
}

/// Optional hours from two fields: both empty is none.
fn hours_of(open: &str, close: &str) -> Result<Option<Hours>, BadHours> {
    match (open.trim(), close.trim()) {
        ("", "") => Ok(None),
        (o, c) => Hours::new(parse_clock(o)?, parse_clock(c)?).map(Some),
    }
}

/// The week form, read strictly.
fn week_of(f: &FormPost) -> (WeekInput, Result<CalendarSettings, BadHours>) {
    let mut input = WeekInput {
        public_holidays: f.get("public_holidays") == "true",
        warn_percent: f.get("warn_percent").trim().to_string(),
        ..WeekInput::default()
    };
    let mut week = [None; 7];
    let mut problem = None;
    for (i, (key, _, _)) in WEEKDAYS.iter().enumerate() {
        let (o, c) = (
            f.get(&format!("{key}_open")),
            f.get(&format!("{key}_close")),
        );
        input.days[i] = (o.trim().to_string(), c.trim().to_string());
        match hours_of(o, c) {
            Ok(h) => week[i] = h,
            Err(e) => {
                problem.get_or_insert(e);
            }
        }
    }
    let warn = input
        .warn_percent
        .parse::<u8>()
        .map_err(|_| BadHours::WarnPercent);
    let result = match (problem, warn) {
        (Some(e), _) | (None, Err(e)) => Err(e),
        (None, Ok(warn_percent)) => {
            let s = CalendarSettings {
                week,
                public_holidays: input.public_holidays,
                warn_percent,
                special_days: Vec::new(),
            };
            s.check().map(|()| s)
        }
    };
    (input, result)
}

fn saved(cx: &Ctx, done: &Recomputed) -> String {
    match cx.lang {
        serva_views::Lang::Sv => format!(
            "Sparat. {} öppna ärenden fick nya förfallotider.",
            serva_domain::format::int(done.cases as i64)
        ),
        serva_views::Lang::En => format!(
            "Saved. {} open cases got new due times.",
            serva_domain::format::int(done.cases as i64)
        ),
    }
}

pub async fn list(State(st): State<AppState>, auth: Auth) -> Result<Response, PageError> {
    let units = st.app.calendars(&auth.s.principal).await?;
    Ok(calendars_page(&auth.cx, &units).into_response())
}

async fn render(
    st: &AppState,
    auth: &Auth,
    code: &str,
    status: StatusCode,
    week: Option<WeekInput>,
    ok: Option<&str>,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let (unit, s) = st.app.calendar(&auth.s.principal, code).await?;
    let week = week.unwrap_or_else(|| WeekInput::of(&s));
    let today = serva_domain::time::to_local(serva_domain::time::now_ms()).date();
    Ok((
        status,
        calendar_page(&auth.cx, &unit, &s, &week, today, ok, error),
    )
        .into_response())
}

pub async fn show(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    // The count of cases recomputed travels in the redirect, so a reload says it again
    // without recomputing.
    let ok = q.get("ok").map(|n| {
        let done = Recomputed {
            cases: n.parse().unwrap_or(0),
            new_breaches: Vec::new(),
        };
        saved(&auth.cx, &done)
    });
    render(&st, &auth, &code, StatusCode::OK, None, ok.as_deref(), None).await
}

fn done_redirect(code: &str, done: &Recomputed) -> Response {
    Redirect::to(&format!("/admin/calendars/{code}?ok={}", done.cases)).into_response()
}

/// An application refusal as a message on the form; anything else is an error.
fn refused(cx: &Ctx, e: AppError) -> Result<String, PageError> {
    match e {
        AppError::Invalid(m) | AppError::BadRequest(m) | AppError::Conflict(m) => Ok(m),
        AppError::Refused(r) => Ok(serva_views::widgets::refusal(cx, r)),
        other => Err(other.into()),
    }
}

pub async fn save_week(
    State(st): State<AppState>,
    Path(code): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cx = &f.auth.cx;
    let (input, result) = week_of(&f);
    let message = match result {
        Ok(s) => match st
            .app
            .save_calendar_week(&f.auth.s.principal, &code, &s)
            .await
        {
            Ok(done) => return Ok(done_redirect(&code, &done)),
            Err(e) => refused(cx, e)?,
        },
        Err(e) => {
            // Only someone who may see the calendar learns what was wrong with the form.
            st.app.calendar(&f.auth.s.principal, &code).await?;
            bad_hours(cx, &e)
        }
    };
    render(
        &st,
        &f.auth,
        &code,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some(input),
        None,
        Some(&message),
    )
    .await
}

pub async fn add_day(
    State(st): State<AppState>,
    Path(code): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cx = &f.auth.cx;
    let day = parse_date(f.get("day")).and_then(|date| {
        let hours = hours_of(f.get("open"), f.get("close"))?;
        SpecialDay::new(date, hours, f.get("note"))
    });
    let message = match day {
        Ok(d) => match st
            .app
            .set_calendar_day(&f.auth.s.principal, &code, &d)
            .await
        {
            Ok(done) => return Ok(done_redirect(&code, &done)),
            Err(e) => refused(cx, e)?,
        },
        Err(e) => {
            st.app.calendar(&f.auth.s.principal, &code).await?;
            bad_hours(cx, &e)
        }
    };
    render(
        &st,
        &f.auth,
        &code,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        None,
        Some(&message),
    )
    .await
}

pub async fn remove_day(
    State(st): State<AppState>,
    Path((code, day)): Path<(String, String)>,
    f: FormPost,
) -> Result<Response, PageError> {
    let date = parse_date(&day).map_err(|_| PageError::not_found())?;
    let done = st
        .app
        .remove_calendar_day(&f.auth.s.principal, &code, date)
        .await?;
    Ok(done_redirect(&code, &done))
}
