//! Price lists: `GET /billing/prices?day=&year=&unit=` (and `/export?format=csv|xlsx`),
//! `GET|POST /billing/prices/{service}` (history, "Ändra pris från och med"),
//! `GET|POST /billing/prices/drafts`, `GET /billing/prices/drafts/{id}` with `POST …/rows`,
//! `POST …/publish` and `GET …/export`. Access is decided in the app (`prices`).

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::AppError;
use serva_domain::billing::price_draft::PriceListRow;
use serva_domain::billing::price_list::PriceProblem;
use serva_domain::catalogue::PriceModel;
use serva_domain::format::parse_kronor;
use serva_domain::time::{parse_day, today};
use serva_report::price_sheet::{draft_rows, price_rows, PRICE_HEADINGS};
use serva_report::sheet::{csv, xlsx, Sheet};
use serva_views::pages::prices::{
    draft_page, drafts_page, history_page, kr_input, prices_page, DraftForm, DraftPage, PriceForm,
    PricesView,
};

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

fn bad_day(auth: &Auth) -> PageError {
    PageError::new(
        StatusCode::BAD_REQUEST,
        auth.cx.t(
            "Skriv dagen som ÅÅÅÅ-MM-DD.",
            "Write the day as YYYY-MM-DD.",
        ),
    )
}

/// This year, in Stockholm.
pub fn this_year() -> i32 {
    today()
        .format("%Y")
        .to_string()
        .parse()
        .expect("a year has digits")
}

/// A file to download.
pub fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A sheet as CSV or XLSX.
pub fn sheet_file(sheet: &Sheet, format: &str, stem: &str) -> Result<Response, PageError> {
    match format {
        "csv" => Ok(download(
            csv(sheet),
            "text/csv; charset=utf-8",
            &format!("{stem}.csv"),
        )),
        "xlsx" => Ok(download(
            xlsx(sheet).map_err(|e| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("{stem}.xlsx"),
        )),
        _ => Err(PageError::new(
            StatusCode::BAD_REQUEST,
            "format must be csv or xlsx",
        )),
    }
}

/// The units whose services this person prices: (code, name).
async fn units_of(st: &AppState, auth: &Auth) -> Result<Vec<(String, String)>, PageError> {
    Ok(st
        .app
        .simulator_units(&auth.s.principal)
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect())
}

pub async fn list(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    // The day asked for: `day`, or 1 January of `year` (today in this year), or today.
    let year = q.get("year").map(|y| y.trim()).filter(|y| !y.is_empty());
    let day = match (
        q.get("day").map(|d| d.trim()).filter(|d| !d.is_empty()),
        year,
    ) {
        (Some(d), _) => parse_day(d),
        (None, None) => Some(today()),
        (None, Some(y)) => match y.parse::<i32>() {
            Ok(y) if y == this_year() => Some(today()),
            Ok(y) => parse_day(&format!("{y:04}-01-01")),
            Err(_) => None,
        },
    }
    .ok_or_else(|| bad_day(&auth))?;
    let unit = q.get("unit").map(|u| u.trim()).unwrap_or("");
    let priced = st
        .app
        .prices_on(&auth.s.principal, day, (!unit.is_empty()).then_some(unit))
        .await?;
    let rows: Vec<_> = priced
        .iter()
        .map(|p| (&p.service, p.price.as_ref()))
        .collect();
    if let Some(format) = q.get("format") {
        let cells = price_rows(&rows);
        let sheet = Sheet {
            name: "Prislista",
            headings: PRICE_HEADINGS,
            rows: &cells,
        };
        return sheet_file(&sheet, format, &format!("prislista-{day}"));
    }
    let units = units_of(&st, &auth).await?;
    let day = day.format("%Y-%m-%d").to_string();
    Ok(prices_page(
        &auth.cx,
        &PricesView {
            day: &day,
            unit,
            units: &units,
            rows: &rows,
        },
    )
    .into_response())
}

pub async fn export(
    st: State<AppState>,
    auth: Auth,
    Query(mut q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    q.entry("format".into()).or_insert_with(|| "csv".into());
    list(st, auth, Query(q)).await
}

async fn render_history(
    st: &AppState,
    auth: &Auth,
    code: &str,
    f: &PriceForm,
    ok: Option<&str>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let h = st.app.price_history(&auth.s.principal, code).await?;
    let mut f_filled;
    let f = if f.price.is_empty() && f.model.is_empty() && f.errors.is_empty() {
        f_filled = PriceForm::default();
        if let Some(e) = &h.today {
            f_filled.model = e.model.as_str().into();
        } else {
            f_filled.model = h.service.price_model.as_str().into();
        }
        &f_filled
    } else {
        f
    };
    Ok((
        status,
        history_page(&auth.cx, &h.service, h.today.as_ref(), &h.entries, f, ok),
    )
        .into_response())
}

pub async fn history(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let ok = q
        .contains_key("saved")
        .then(|| auth.cx.t("Priset är sparat.", "The price is saved."));
    render_history(&st, &auth, &code, &PriceForm::default(), ok, StatusCode::OK).await
}

/// A price problem said beside its field.
fn problem_field(auth: &Auth, p: &PriceProblem) -> (&'static str, String) {
    let cx = &auth.cx;
    match p {
        PriceProblem::Overlap { day, .. } => (
            "from",
            format!(
                "{} {day}. {}",
                cx.t("Två priser skulle gälla", "Two prices would apply on"),
                cx.t(
                    "Ett pris som redan börjar den dagen ändras inte; välj en annan dag.",
                    "A price that already starts that day is not changed; choose another day."
                )
            ),
        ),
        PriceProblem::NegativePrice { .. } => (
            "price",
            cx.t(
                "Priset kan inte vara negativt.",
                "The price cannot be negative.",
            )
            .into(),
        ),
        PriceProblem::EndsBeforeItStarts { .. } => (
            "from",
            cx.t(
                "Priset slutar innan det börjar.",
                "The price ends before it starts.",
            )
            .into(),
        ),
    }
}

pub async fn change(
    State(st): State<AppState>,
    Path(code): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let auth = &f.auth;
    let cx = &auth.cx;
    let mut form = PriceForm {
        price: f.get("price").trim().into(),
        model: f.get("model").trim().into(),
        from: f.get("from").trim().into(),
        errors: HashMap::new(),
    };
    let price = parse_kronor(&form.price);
    let model = PriceModel::parse(&form.model);
    let from = parse_day(&form.from);
    if price.is_none() {
        form.errors.insert(
            "price",
            cx.t(
                "Skriv priset i kronor, till exempel 450 eller 1 234,50.",
                "Write the price in kronor, for example 450 or 1 234.50.",
            )
            .into(),
        );
    }
    if model.is_none() {
        form.errors.insert(
            "model",
            cx.t("Välj en prismodell.", "Choose a price model.").into(),
        );
    }
    if from.is_none() {
        form.errors.insert(
            "from",
            cx.t(
                "Skriv dagen som ÅÅÅÅ-MM-DD.",
                "Write the day as YYYY-MM-DD.",
            )
            .into(),
        );
    }
    if let (Some(price), Some(model), Some(from)) = (price, model, from) {
        match st
            .app
            .change_price(&auth.s.principal, &code, model, price, from)
            .await?
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!("/billing/prices/{code}?saved=1")).into_response())
            }
            Err(problems) => {
                for p in &problems {
                    let (k, m) = problem_field(auth, p);
                    form.errors.entry(k).or_insert(m);
                }
            }
        }
    }
    render_history(
        &st,
        auth,
        &code,
        &form,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn render_drafts(
    st: &AppState,
    auth: &Auth,
    f: &DraftForm,
    status: StatusCode,
) -> Result<Response, PageError> {
    let lists = st.app.price_lists(&auth.s.principal).await?;
    let units = units_of(st, auth).await?;
    let mut f_filled;
    let f = if f.year.is_empty() && f.errors.is_empty() {
        f_filled = DraftForm::default();
        f_filled.year = (this_year() + 1).to_string();
        &f_filled
    } else {
        f
    };
    Ok((
        status,
        drafts_page(&auth.cx, &lists, &units, auth.s.principal.can_bill(), f),
    )
        .into_response())
}

pub async fn drafts(State(st): State<AppState>, auth: Auth) -> Result<Response, PageError> {
    render_drafts(&st, &auth, &DraftForm::default(), StatusCode::OK).await
}

pub async fn create_draft(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let auth = &f.auth;
    let cx = &auth.cx;
    let mut form = DraftForm {
        year: f.get("year").trim().into(),
        from: f.get("from").trim().into(),
        unit: f.get("unit").trim().into(),
        errors: HashMap::new(),
    };
    let year = form
        .year
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        form.errors.insert(
            "year",
            cx.t(
                "Skriv året med fyra siffror, t.ex. 2027.",
                "Write the year with four digits, e.g. 2027.",
            )
            .into(),
        );
    }
    let from = match form.from.as_str() {
        "" => Ok(None),
        d => parse_day(d).map(Some).ok_or(()),
    };
    if from.is_err() {
        form.errors.insert(
            "from",
            cx.t(
                "Skriv dagen som ÅÅÅÅ-MM-DD.",
                "Write the day as YYYY-MM-DD.",
            )
            .into(),
        );
    }
    if let (Some(year), Ok(from)) = (year, from) {
        let unit = (!form.unit.is_empty()).then_some(form.unit.as_str());
        match st
            .app
            .create_price_draft(&auth.s.principal, year, from, unit)
            .await
        {
            Ok(id) => {
                return Ok(Redirect::to(&format!("/billing/prices/drafts/{id}")).into_response())
            }
            Err(AppError::Invalid(_)) => {
                form.errors.insert(
                    "from",
                    cx.t(
                        "Första dagen måste ligga i det året.",
                        "The first day must be in that year.",
                    )
                    .into(),
                );
            }
            Err(AppError::Forbidden(_)) => {
                form.errors.insert(
                    "unit",
                    cx.t("Välj en av dina enheter.", "Choose one of your units.")
                        .into(),
                );
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_drafts(&st, auth, &form, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// A draft's page, with what was posted and its errors.
async fn render_draft(
    st: &AppState,
    auth: &Auth,
    id: i64,
    (posted, errors): (&HashMap<String, String>, &HashMap<String, String>),
    ok: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let d = st.app.price_draft(&auth.s.principal, id).await?;
    let unit_names: HashMap<String, String> = st
        .app
        .units()
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    let page = draft_page(
        &auth.cx,
        &DraftPage {
            head: &d.head,
            rows: &d.rows,
            comparison: &d.comparison,
            customers: &d.customers,
            names: &d.names,
            unit_names: &unit_names,
            posted,
            errors,
        },
        ok,
        error,
    );
    Ok((status, page).into_response())
}

fn draft_id(s: &str) -> Result<i64, PageError> {
    crate::params::parse_id(s).ok_or_else(PageError::not_found)
}

pub async fn draft(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id = draft_id(&id)?;
    let ok = if q.contains_key("published") {
        Some(
            auth.cx
                .t("Prislistan är publicerad.", "The price list is published."),
        )
    } else {
        q.contains_key("saved")
            .then(|| auth.cx.t("Priserna är sparade.", "The prices are saved."))
    };
    let none = HashMap::new();
    render_draft(&st, &auth, id, (&none, &none), ok, None, StatusCode::OK).await
}

pub async fn save_rows(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let id = draft_id(&id)?;
    let auth = &f.auth;
    let cx = &auth.cx;
    let d = st.app.price_draft(&auth.s.principal, id).await?;
    let mut rows = Vec::new();
    let mut posted = HashMap::new();
    let mut errors = HashMap::new();
    for r in &d.rows {
        let (pk, mk) = (
            format!("price_{}", r.service),
            format!("model_{}", r.service),
        );
        let text = f
            .opt(&pk)
            .map(str::to_string)
            .unwrap_or_else(|| kr_input(r.price_ore));
        let model = f.opt(&mk).map_or(Some(r.model), PriceModel::parse);
        posted.insert(pk.clone(), text.clone());
        posted.insert(mk, model.unwrap_or(r.model).as_str().to_string());
        match (parse_kronor(&text), model) {
            (Some(p), _) if p < 0 => {
                errors.insert(
                    pk,
                    cx.t(
                        "Priset kan inte vara negativt.",
                        "The price cannot be negative.",
                    )
                    .to_string(),
                );
            }
            (Some(price_ore), Some(model)) => rows.push(PriceListRow {
                service: r.service.clone(),
                model,
                price_ore,
            }),
            _ => {
                errors.insert(
                    pk,
                    cx.t(
                        "Skriv priset i kronor, till exempel 450 eller 1 234,50.",
                        "Write the price in kronor, for example 450 or 1 234.50.",
                    )
                    .to_string(),
                );
            }
        }
    }
    if errors.is_empty() {
        match st
            .app
            .set_price_draft_rows(&auth.s.principal, id, &rows)
            .await
        {
            Ok(()) => {
                return Ok(
                    Redirect::to(&format!("/billing/prices/drafts/{id}?saved=1")).into_response(),
                )
            }
            Err(AppError::Conflict(_)) => {
                let m = cx.t(
                    "Prislistan är publicerad och kan inte ändras.",
                    "The price list is published and cannot change.",
                );
                let none = HashMap::new();
                return render_draft(
                    &st,
                    auth,
                    id,
                    (&none, &none),
                    None,
                    Some(m),
                    StatusCode::CONFLICT,
                )
                .await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_draft(
        &st,
        auth,
        id,
        (&posted, &errors),
        None,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn publish(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let id = draft_id(&id)?;
    let auth = &f.auth;
    let cx = &auth.cx;
    let message = match st.app.publish_price_draft(&auth.s.principal, id).await {
        Ok(Ok(())) => {
            return Ok(
                Redirect::to(&format!("/billing/prices/drafts/{id}?published=1")).into_response(),
            )
        }
        Ok(Err(problems)) => {
            let list: Vec<String> = problems
                .iter()
                .map(|p| match p {
                    PriceProblem::Overlap { service, day } => format!(
                        "{service}: {} {day}",
                        cx.t("ett pris börjar redan", "a price already starts on")
                    ),
                    other => other.to_string(),
                })
                .collect();
            format!(
                "{} {}. {}",
                cx.t(
                    "Prislistan publicerades inte:",
                    "The price list was not published:"
                ),
                list.join("; "),
                cx.t("Inget sparades.", "Nothing was saved.")
            )
        }
        Err(AppError::Conflict(_)) => cx
            .t(
                "Prislistan är redan publicerad.",
                "The price list is published already.",
            )
            .to_string(),
        Err(e) => return Err(e.into()),
    };
    let none = HashMap::new();
    render_draft(
        &st,
        auth,
        id,
        (&none, &none),
        None,
        Some(&message),
        StatusCode::CONFLICT,
    )
    .await
}

pub async fn export_draft(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id = draft_id(&id)?;
    let d = st.app.price_draft(&auth.s.principal, id).await?;
    let services: BTreeMap<String, (String, String)> = st
        .app
        .prices_on(&auth.s.principal, today(), None)
        .await?
        .into_iter()
        .map(|p| (p.service.code, (p.service.name, p.service.unit_name)))
        .collect();
    let from = d.head.valid_from.format("%Y-%m-%d").to_string();
    let cells = draft_rows(&d.rows, &from, |code| services.get(code).cloned());
    let sheet = Sheet {
        name: "Prislista",
        headings: PRICE_HEADINGS,
        rows: &cells,
    };
    let format = q.get("format").map(String::as_str).unwrap_or("csv");
    sheet_file(&sheet, format, &format!("prislista-utkast-{id}"))
}
