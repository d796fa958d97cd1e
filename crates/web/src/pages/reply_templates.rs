//! A unit's reply templates: list, write, change and delete (its managers and administrators).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::AppError;
use serva_domain::reply_template::TemplateInput;
use serva_views::pages::reply_templates::{
    delete_page, template_form, templates_page, TemplateForm,
};

use super::parse_id;
use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

fn template_id(id: &str) -> Result<i64, PageError> {
    parse_id(id).ok_or_else(PageError::not_found)
}

pub async fn list(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let cx = &auth.cx;
    let (unit, list) = st.app.unit_templates(&auth.s.principal, &code).await?;
    let ok = match q.get("ok").map(String::as_str) {
        Some("saved") => Some(cx.t("Mallen är sparad.", "The template has been saved.")),
        Some("deleted") => Some(cx.t("Mallen är borttagen.", "The template has been deleted.")),
        _ => None,
    };
    Ok(templates_page(cx, &unit, &list, ok).into_response())
}

pub async fn new_form(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let (unit, _) = st.app.unit_templates(&auth.s.principal, &code).await?;
    Ok(template_form(&auth.cx, &unit, None, &TemplateForm::default()).into_response())
}

pub async fn edit_form(
    State(st): State<AppState>,
    auth: Auth,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (unit, t) = st
        .app
        .unit_template(&auth.s.principal, &code, template_id(&id)?)
        .await?;
    let f = TemplateForm {
        name: t.name,
        body: t.body,
        ..TemplateForm::default()
    };
    Ok(template_form(&auth.cx, &unit, Some(t.id), &f).into_response())
}

pub async fn create(
    State(st): State<AppState>,
    Path(code): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    save(st, code, None, f).await
}

pub async fn update(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    f: FormPost,
) -> Result<Response, PageError> {
    let id = template_id(&id)?;
    save(st, code, Some(id), f).await
}

/// Saves the form, or shows it again as typed with each problem beside its field.
async fn save(
    st: AppState,
    code: String,
    id: Option<i64>,
    f: FormPost,
) -> Result<Response, PageError> {
    let p = &f.auth.s.principal;
    let cx = &f.auth.cx;
    let (unit, _) = st.app.unit_templates(p, &code).await?;
    let mut form = TemplateForm {
        name: f.get("name").to_string(),
        body: f.get("body").to_string(),
        ..TemplateForm::default()
    };
    let input = match TemplateInput::parse(&form.name, &form.body) {
        Ok(i) => i,
        Err(problems) => {
            form.problems = problems;
            let page = template_form(cx, &unit, id, &form);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match st.app.save_template(p, &code, id, &input).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/units/{}/templates?ok=saved", unit.code)).into_response())
        }
        Err(AppError::Refused(r)) => {
            form.error = Some(serva_views::widgets::refusal(cx, r));
            let page = template_form(cx, &unit, id, &form);
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn confirm_delete(
    State(st): State<AppState>,
    auth: Auth,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (unit, t) = st
        .app
        .unit_template(&auth.s.principal, &code, template_id(&id)?)
        .await?;
    Ok(delete_page(&auth.cx, &unit, &t).into_response())
}

pub async fn delete(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    f: FormPost,
) -> Result<Response, PageError> {
    let id = template_id(&id)?;
    st.app
        .delete_template(&f.auth.s.principal, &code, id)
        .await?;
    Ok(Redirect::to(&format!("/units/{code}/templates?ok=deleted")).into_response())
}
