//! Survey pages (docs/surveys.md): the survey a link opens (no sign-in), the answer on the
//! follow page and the requester's case page, the agent's "Skicka enkät", and a unit's figures
//! with its settings.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::AppError;
use serva_domain::case::Channel;
use serva_domain::survey::{
    BadAnswer, BadPeriod, BadSettings, Dimension, Period, RawAnswer, Scale, SurveySettings,
    SurveyStatus, Via,
};
use serva_domain::CaseId;
use serva_views::pages::surveys::{
    sent_survey_page, survey_link_page, survey_thanks_page, survey_unknown_page, unit_surveys_page,
    UnitSurveysView,
};
use serva_views::Ctx;

use super::parse_id;
use crate::auth::{Auth, MaybeAuth};
use crate::error::PageError;
use crate::forms::{parse_body, same_origin, FormPost};
use crate::AppState;

/// The answer in a posted form: `answer`, the dimensions by name, `comment`. A value that is
/// not a whole number is off every scale, and said so by the check.
pub(crate) fn raw_answer(fields: &HashMap<String, String>) -> RawAnswer {
    let number = |k: &str| {
        fields
            .get(k)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(|v| v.parse::<i64>().unwrap_or(i64::MIN))
    };
    RawAnswer {
        answer: number("answer"),
        dimensions: Dimension::ALL.map(|d| number(d.as_str())),
        comment: fields.get("comment").cloned(),
    }
}

/// What is wrong with an answer, in the person's language.
pub(crate) fn answer_problem(cx: &Ctx, e: &BadAnswer) -> String {
    match e {
        BadAnswer::Missing => cx
            .t(
                "Välj hur nöjd du är med hjälpen du fick.",
                "Choose how satisfied you are with the help you got.",
            )
            .into(),
        BadAnswer::OffScale(_, lo, hi) => match cx.lang {
            serva_views::Lang::Sv => format!("Välj ett av svaren {lo}–{hi}."),
            serva_views::Lang::En => format!("Choose one of the answers {lo}–{hi}."),
        },
        BadAnswer::CommentTooLong => cx
            .t(
                "Kommentaren är för lång (högst 2 000 tecken).",
                "The comment is too long (at most 2,000 characters).",
            )
            .into(),
    }
}

/// The survey's pages must not send their address (the token) to any other site. `same-origin`,
/// not `no-referrer`: under `no-referrer` a browser sends `Origin: null` with the page's own
/// form, which the same-origin check then refuses (as on the follow page).
fn token_page(mut resp: Response) -> Response {
    resp.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    resp
}

fn cross_site(cx: &Ctx) -> PageError {
    PageError::new(
        StatusCode::FORBIDDEN,
        cx.t(
            "Formuläret kom från en annan webbplats.",
            "The form came from another site.",
        ),
    )
}

/// `GET /survey/{token}`: the survey, or a clear page for an answered, closed or unknown one.
pub async fn link(
    State(st): State<AppState>,
    auth: MaybeAuth,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let cx = &auth.cx;
    match st.app.survey_by_link(&token).await {
        Ok(s) => Ok(token_page(
            survey_link_page(cx, &token, &s, None).into_response(),
        )),
        Err(AppError::NotFound(_)) => Ok(token_page(
            (StatusCode::NOT_FOUND, survey_unknown_page(cx)).into_response(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// `POST /survey/{token}`: the answer, once.
pub async fn answer_link(
    State(st): State<AppState>,
    auth: MaybeAuth,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let cx = &auth.cx;
    if !same_origin(&headers) {
        return Err(cross_site(cx));
    }
    let fields = parse_body(body).await?;
    let s = match st.app.survey_by_link(&token).await {
        Ok(s) => s,
        Err(AppError::NotFound(_)) => {
            return Ok(token_page(
                (StatusCode::NOT_FOUND, survey_unknown_page(cx)).into_response(),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    // Answered or closed: the same clear page, with the status that says so.
    let refused = match s.status {
        SurveyStatus::Answered => Some(StatusCode::CONFLICT),
        SurveyStatus::Expired => Some(StatusCode::GONE),
        SurveyStatus::Open { .. } => None,
    };
    if let Some(status) = refused {
        return Ok(token_page(
            (status, survey_link_page(cx, &token, &s, None)).into_response(),
        ));
    }
    let raw = raw_answer(&fields);
    if let Err(e) = raw.check(s.scale) {
        let msg = answer_problem(cx, &e);
        return Ok(token_page(
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                survey_link_page(cx, &token, &s, Some(&msg)),
            )
                .into_response(),
        ));
    }
    match st.app.answer_by_link(&token, &raw).await {
        Ok(_) => Ok(token_page(survey_thanks_page(cx).into_response())),
        // Someone answered (another tab) or it closed in between: say so as above.
        Err(AppError::Conflict(_)) | Err(AppError::Invalid(_)) => {
            let s = st.app.survey_by_link(&token).await?;
            let status = match s.status {
                SurveyStatus::Expired => StatusCode::GONE,
                _ => StatusCode::CONFLICT,
            };
            Ok(token_page(
                (status, survey_link_page(cx, &token, &s, None)).into_response(),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /follow/{token}/survey`: the citizen answers on the follow page.
pub async fn answer_follow(
    State(st): State<AppState>,
    auth: MaybeAuth,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let cx = &auth.cx;
    if !same_origin(&headers) {
        return Err(cross_site(cx));
    }
    let fields = parse_body(body).await?;
    let shown = st.app.follow_survey(&token).await?;
    let Some(shown) = shown else {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            cx.t(
                "Det här ärendet har ingen enkät att besvara.",
                "This case has no survey to answer.",
            ),
        ));
    };
    let raw = raw_answer(&fields);
    if let Err(e) = raw.check(shown.scale) {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            answer_problem(cx, &e),
        ));
    }
    st.app.answer_on_follow(&token, &raw).await?;
    Ok(token_page(
        Redirect::to(&format!("/follow/{token}?ok=survey")).into_response(),
    ))
}

fn case_id(id: &str) -> Result<CaseId, PageError> {
    parse_id(id).map(CaseId).ok_or_else(PageError::not_found)
}

/// `POST /cases/{id}/survey`: the signed-in requester answers on the case page.
pub async fn answer_case(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cid = case_id(&id)?;
    let p = &f.auth.s.principal;
    let case = st.app.visible_case(p, cid).await?;
    if case.requester_id.is_none() || case.requester_id != p.user {
        return Err(PageError::forbidden());
    }
    let panel = st.app.survey_panel(p, &case, Some(Via::Page)).await?;
    let Some(scale) = panel.answer_on else {
        return Err(if panel.answered {
            PageError::new(
                StatusCode::CONFLICT,
                f.auth.cx.t(
                    "Enkäten är redan besvarad.",
                    "The survey has been answered already.",
                ),
            )
        } else {
            PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                f.auth.cx.t(
                    "Det finns ingen öppen enkät för ärendet.",
                    "There is no open survey for this case.",
                ),
            )
        });
    };
    let raw = raw_answer(&f.fields);
    if let Err(e) = raw.check(scale) {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            answer_problem(&f.auth.cx, &e),
        ));
    }
    st.app.answer_survey(p, cid, &raw, Via::Page).await?;
    Ok(Redirect::to(&format!("/cases/{}?ok=survey", cid.0)).into_response())
}

/// `POST /cases/{id}/survey/send`: an agent sends the survey's link.
pub async fn send(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cid = case_id(&id)?;
    let p = &f.auth.s.principal;
    let case = st.app.case_to_work(p, cid).await?;
    let sent = st.app.send_survey_link(p, cid).await?;
    Ok(token_page(
        sent_survey_page(&f.auth.cx, &case, &sent).into_response(),
    ))
}

fn period_problem(cx: &Ctx, e: &BadPeriod) -> String {
    match e {
        BadPeriod::NotADate(_) => cx
            .t("Ange datum som ÅÅÅÅ-MM-DD.", "Give dates as YYYY-MM-DD.")
            .into(),
        BadPeriod::Backwards => cx
            .t(
                "Från-datumet måste vara före till-datumet.",
                "The from date must be before the to date.",
            )
            .into(),
        BadPeriod::TooLong => cx
            .t(
                "Välj en period på högst tre år.",
                "Choose a period of at most three years.",
            )
            .into(),
    }
}

/// `GET /units/{code}/surveys?from=&to=`.
pub async fn figures(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let cx = &auth.cx;
    let today = serva_domain::time::to_local(serva_domain::time::now_ms()).date();
    let (period, error) = match Period::parse(
        q.get("from").map(String::as_str),
        q.get("to").map(String::as_str),
        today,
    ) {
        Ok(p) => (p, None),
        Err(e) => (
            Period::parse(None, None, today).expect("this year so far is a period"),
            Some(period_problem(cx, &e)),
        ),
    };
    let us = st
        .app
        .unit_surveys(&auth.s.principal, &code, period)
        .await?;
    let ok = (q.get("ok").map(String::as_str) == Some("settings")).then(|| {
        cx.t(
            "Inställningarna är sparade.",
            "The settings have been saved.",
        )
    });
    let page = unit_surveys_page(
        cx,
        &UnitSurveysView {
            unit: &us.unit,
            period: us.period,
            figures: &us.figures,
            settings: &us.settings,
            can_set: us.can_set,
            ok,
            error: error.as_deref(),
        },
    );
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page).into_response())
}

fn settings_problem(cx: &Ctx, e: &BadSettings) -> String {
    match e {
        BadSettings::ReminderDays => cx
            .t(
                "Påminnelsen ska gå efter 0–60 dagar (0 = ingen påminnelse).",
                "The reminder goes after 0–60 days (0 = no reminder).",
            )
            .into(),
        BadSettings::ValidDays => cx
            .t(
                "Enkäten ska vara öppen 1–365 dagar.",
                "The survey is open for 1–365 days.",
            )
            .into(),
        BadSettings::ReminderAfterClose => cx
            .t(
                "Påminnelsen måste gå innan enkäten stänger.",
                "The reminder must go before the survey closes.",
            )
            .into(),
        BadSettings::MinGroup => cx
            .t(
                "Minsta grupp ska vara 1–100 svar.",
                "The smallest group is 1–100 answers.",
            )
            .into(),
        BadSettings::Sampling(_) => cx
            .t(
                "Urvalet per kanal ska vara 0 (ingen), 1 (alla) eller 2–1000 (1 av så många).",
                "The sample per channel is 0 (none), 1 (all) or 2–1000 (one in so many).",
            )
            .into(),
    }
}

/// `POST /units/{code}/surveys/settings`.
pub async fn save_settings(
    State(st): State<AppState>,
    Path(code): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cx = &f.auth.cx;
    let p = &f.auth.s.principal;
    let unreadable = || {
        PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            cx.t(
                "Fyll i alla fält med hela tal.",
                "Fill in every field with whole numbers.",
            ),
        )
    };
    let number = |k: &str| f.get(k).trim().parse::<i64>().map_err(|_| unreadable());
    let mut s = SurveySettings {
        scale: Scale::parse(f.get("scale")).ok_or_else(|| {
            PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                cx.t("Välj en skala.", "Choose a scale."),
            )
        })?,
        reminder_days: number("reminder_days")?,
        valid_days: number("valid_days")?,
        min_group: number("min_group")?,
        ..SurveySettings::default()
    };
    for c in Channel::ALL {
        s.set_sample_every(c, number(&format!("sample_{}", c.as_str()))?);
    }
    if let Err(e) = s.check() {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            settings_problem(cx, &e),
        ));
    }
    let unit = st.app.set_survey_settings(p, &code, &s).await?;
    Ok(Redirect::to(&format!("/units/{}/surveys?ok=settings", unit.code)).into_response())
}
