//! Form posts from pages: parsed, size-limited, and checked against the session's CSRF token
//! and the request's origin before any handler sees them.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::auth::Auth;
use crate::error::PageError;

/// The fields of a posted form by a signed-in person, CSRF-checked.
pub struct FormPost {
    pub auth: Auth,
    /// Each field's last value.
    pub fields: HashMap<String, String>,
    /// Every field in the order sent, repeated names included (a list of checkboxes).
    pub pairs: Vec<(String, String)>,
}

impl FormPost {
    /// Every value sent under `key`, in order.
    /// The answer to a form whose fields do not read as the page wrote them (400).
    pub fn unreadable(&self) -> PageError {
        PageError::new(
            StatusCode::BAD_REQUEST,
            self.auth.cx.t(
                "Formuläret kunde inte läsas.",
                "The form could not be read.",
            ),
        )
    }

    /// The ids of the cases ticked in a list (`key` repeated, one per checkbox).
    pub fn case_ids(&self, key: &str) -> Result<Vec<serva_domain::CaseId>, PageError> {
        self.all(key)
            .into_iter()
            .map(|c| {
                crate::params::parse_id(c.trim())
                    .map(serva_domain::CaseId)
                    .ok_or_else(|| self.unreadable())
            })
            .collect()
    }

    pub fn all(&self, key: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn get(&self, key: &str) -> &str {
        self.fields.get(key).map(String::as_str).unwrap_or("")
    }
    pub fn opt(&self, key: &str) -> Option<&str> {
        self.fields
            .get(key)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }
}

/// Refuses a cross-site post: when the browser says where it came from, it must be us.
pub fn same_origin(req_headers: &axum::http::HeaderMap) -> bool {
    let Some(origin) = req_headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    let Some(host) = req_headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest == host)
}

/// Parses an `application/x-www-form-urlencoded` body into a map (last value wins).
pub async fn parse_body(body: Bytes) -> Result<HashMap<String, String>, PageError> {
    Ok(parse_pairs(&body)?.into_iter().collect())
}

/// Parses an `application/x-www-form-urlencoded` body into its fields in order.
fn parse_pairs(body: &[u8]) -> Result<Vec<(String, String)>, PageError> {
    serde_urlencoded::from_bytes(body)
        .map_err(|_| PageError::new(StatusCode::BAD_REQUEST, "The form could not be read."))
}

impl<S: Send + Sync> FromRequest<S> for FormPost {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let auth =
            <Auth as axum::extract::FromRequestParts<S>>::from_request_parts(&mut parts, state)
                .await?;
        if !same_origin(&parts.headers) {
            return Err(PageError::new(
                StatusCode::FORBIDDEN,
                auth.cx.t(
                    "Formuläret kom från en annan webbplats.",
                    "The form came from another site.",
                ),
            )
            .into_response());
        }
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            let status = e.status();
            PageError::new(
                status,
                if status == StatusCode::PAYLOAD_TOO_LARGE {
                    ""
                } else {
                    "The form could not be read."
                },
            )
            .into_response()
        })?;
        let pairs = parse_pairs(&bytes).map_err(IntoResponse::into_response)?;
        let fields: HashMap<String, String> = pairs.iter().cloned().collect();
        let sent = fields.get("_csrf").map(String::as_str).unwrap_or("");
        let expected = auth.s.csrf.as_deref().unwrap_or("");
        if expected.is_empty() || !serva_store::secrets::constant_time_eq(sent, expected) {
            return Err(PageError::new(
                StatusCode::FORBIDDEN,
                auth.cx.t(
                    "Formuläret hade gått ut. Ladda om sidan och försök igen.",
                    "The form had expired. Reload the page and try again.",
                ),
            )
            .into_response());
        }
        Ok(FormPost {
            auth,
            fields,
            pairs,
        })
    }
}
