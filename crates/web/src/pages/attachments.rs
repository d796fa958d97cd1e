//! Files on a case page: attaching one (a multipart form that works without JavaScript) and
//! downloading one — always as a download, never shown inline, so no file can run as a page.

use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serva_domain::attachment::{check, content_disposition, Attachment, BadAttachment, MAX_BYTES};
use serva_domain::{AttachmentId, CaseId};
use serva_views::Ctx;

use super::parse_id;
use crate::auth::Auth;
use crate::error::PageError;
use crate::AppState;

/// The body a form with the largest file may have: the file and the form's other fields.
pub const UPLOAD_LIMIT: usize = MAX_BYTES + 64 * 1024;

fn ids(case: &str, file: Option<&str>) -> Result<(CaseId, Option<AttachmentId>), PageError> {
    let case = parse_id(case)
        .map(CaseId)
        .ok_or_else(PageError::not_found)?;
    let file = match file {
        Some(f) => Some(
            parse_id(f)
                .map(AttachmentId)
                .ok_or_else(PageError::not_found)?,
        ),
        None => None,
    };
    Ok((case, file))
}

/// What is wrong with a file, in the person's language.
fn problem(cx: &Ctx, e: &BadAttachment) -> String {
    match e {
        BadAttachment::Empty => cx.t("Filen är tom.", "The file is empty.").into(),
        BadAttachment::TooLarge(_) => cx
            .t(
                "Filen är för stor: högst 25 MB.",
                "The file is too large: at most 25 MB.",
            )
            .into(),
        BadAttachment::NoName => cx.t("Filen saknar namn.", "The file has no name.").into(),
        BadAttachment::Kind(k) => format!(
            "{} ({k}). {}",
            cx.t(
                "Den filtypen tas inte emot",
                "That type of file is not accepted"
            ),
            cx.t(
                "Skicka PDF, bilder, Office-dokument, text eller CSV.",
                "Send PDF, images, office documents, text or CSV."
            )
        ),
        BadAttachment::Mismatch(name) => format!(
            "{} {name}.",
            cx.t(
                "Innehållet stämmer inte med filtypen i namnet",
                "The content does not match the type in the name"
            )
        ),
    }
}

pub async fn upload(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let (case, _) = ids(&id, None)?;
    if !crate::forms::same_origin(&headers) {
        return Err(PageError::forbidden());
    }
    let unreadable = |_| {
        PageError::new(
            StatusCode::BAD_REQUEST,
            auth.cx.t(
                "Formuläret kunde inte läsas (är filen större än 25 MB?).",
                "The form could not be read (is the file larger than 25 MB?).",
            ),
        )
    };
    let (mut csrf, mut name, mut bytes) = (String::new(), String::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name().unwrap_or("") {
            "_csrf" => csrf = field.text().await.map_err(unreadable)?,
            "file" => {
                name = field.file_name().unwrap_or("").to_string();
                bytes = field.bytes().await.map_err(unreadable)?.to_vec();
            }
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
    // Said in the person's language; the store applies the same check.
    if let Err(e) = check(&name, &bytes) {
        let msg = problem(&auth.cx, &e);
        let page = super::cases::render_case(&st, &auth, case, None, Some(&msg)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    st.app
        .attach(&auth.s.principal, case, None, &name, &bytes)
        .await?;
    Ok(Redirect::to(&format!("/cases/{}?ok=attached", case.0)).into_response())
}

pub async fn download(
    State(st): State<AppState>,
    auth: Auth,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (case, file) = ids(&id, Some(&file))?;
    let (a, bytes) = st
        .app
        .attachment_download(&auth.s.principal, case, file.expect("a file id"))
        .await?;
    Ok(file_response(&a, bytes))
}

/// A file as a download: its checked type, `attachment` disposition, no sniffing, and a
/// sandbox in case a browser opens it anyway.
pub fn file_response(a: &Attachment, bytes: Vec<u8>) -> Response {
    let mut r = Body::from(bytes).into_response();
    let h = r.headers_mut();
    let set = |v: &str| {
        HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static("application/octet-stream"))
    };
    h.insert(header::CONTENT_TYPE, set(&a.content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&content_disposition(&a.filename))
            .unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    r
}
