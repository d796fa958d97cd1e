//! The import page: upload a file, see every error or how many rows went in.

use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serva_app::ImportRefused;
use serva_views::pages::imports::{imports_page, ImportOutcome};

use crate::auth::Auth;
use crate::error::{ApiError, PageError};
use crate::AppState;

fn allowed(auth: &Auth) -> Result<(), PageError> {
    if auth.s.principal.may_import_any() {
        Ok(())
    } else {
        Err(PageError::not_found())
    }
}

pub async fn form(auth: Auth) -> Result<Response, PageError> {
    allowed(&auth)?;
    Ok(imports_page(&auth.cx, serva_domain::import::KINDS, None).into_response())
}

pub async fn upload(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    allowed(&auth)?;
    if !crate::forms::same_origin(&headers) {
        return Err(PageError::forbidden());
    }
    let (mut csrf, mut kind, mut file) = (String::new(), String::new(), Vec::new());
    let bad = |_| {
        PageError::new(
            StatusCode::BAD_REQUEST,
            auth.cx.t(
                "Formuläret kunde inte läsas.",
                "The form could not be read.",
            ),
        )
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "_csrf" => csrf = field.text().await.map_err(bad)?,
            "kind" => kind = field.text().await.map_err(bad)?,
            "file" => file = field.bytes().await.map_err(bad)?.to_vec(),
            _ => {}
        }
    }
    let expected = auth.s.csrf.as_deref().unwrap_or("");
    if expected.is_empty() || !serva_store::secrets::constant_time_eq(&csrf, expected) {
        return Err(PageError::new(
            StatusCode::FORBIDDEN,
            auth.cx.t(
                "Formuläret hade gått ut. Ladda om sidan.",
                "The form had expired. Reload the page.",
            ),
        ));
    }
    let (status, outcome_rows, errors) = match st.app.import(&auth.s.principal, &kind, &file).await
    {
        Ok(s) => (StatusCode::OK, Some((s.kind, s.rows)), vec![]),
        Err(ImportRefused::Rejected(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            errors
                .into_iter()
                .map(|e| (e.line, e.column, e.message))
                .collect(),
        ),
        Err(ImportRefused::Failed(e)) => {
            let e = ApiError::from(e);
            if !e.status.is_client_error() {
                return Err(PageError::new(e.status, ""));
            }
            (e.status, None, vec![(0, None, e.message)])
        }
    };
    let outcome = ImportOutcome {
        rows: outcome_rows,
        errors: &errors,
    };
    Ok((
        status,
        imports_page(&auth.cx, serva_domain::import::KINDS, Some(&outcome)),
    )
        .into_response())
}
