//! The error body of the API as a type, and the error responses the document refers to.
//!
//! [`ApiError`] answers with an [`ApiErrorBody`], the same type the OpenAPI document describes.

use serde::Serialize;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::ToSchema;

use crate::error::ApiError;

/// `{"error": {"code", "message", "details"?}}`: what every refusal of the API answers.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

/// What went wrong, for programs (`code`) and for people (`message`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorDetail {
    /// A stable code: `malformed_json`, `bad_request`, `unauthorized`, `token_expired`,
    /// `forbidden`, `missing_scope`, `not_found`, `method_not_allowed`, `conflict`,
    /// `too_large`, `unsupported_media_type`, `invalid`, `invalid_body`, `unknown_service`,
    /// `import_rejected`, `invalid_call`, `unavailable`, `internal`.
    #[schema(example = "invalid")]
    pub code: String,
    /// What was wrong, in English.
    pub message: String,
    /// More about it where there is more: `fields` (the order form's answers that were
    /// refused), `errors` (an import file's errors by line and column) or `scope` (the
    /// scope a token lacks).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub details: Option<serde_json::Value>,
}

impl From<&ApiError> for ApiErrorBody {
    fn from(e: &ApiError) -> Self {
        ApiErrorBody {
            error: ApiErrorDetail {
                code: e.code.to_string(),
                message: e.message.clone(),
                details: e.details.clone(),
            },
        }
    }
}

/// An error response of the document: a `$ref` to the `Error` schema with a description.
fn error_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Error")))
                .build(),
        )
        .build()
        .into()
}

/// Declares the reusable error responses (`#/components/responses/…`) that handlers list in
/// their `#[utoipa::path(responses(...))]`.
macro_rules! error_responses {
    ($($(#[$doc:meta])* $name:ident => $description:literal,)*) => {$(
        $(#[$doc])*
        pub enum $name {}

        impl<'s> utoipa::ToResponse<'s> for $name {
            fn response() -> (&'s str, RefOr<Response>) {
                (stringify!($name), error_response($description))
            }
        }
    )*};
}

error_responses! {
    /// 400.
    BadRequest => "The request could not be read: `malformed_json` (the body is not JSON), \
        `bad_request` (an unknown or unreadable query parameter, a path segment that is not UTF-8).",
    /// 401.
    Unauthorized => "`unauthorized`: no API token, or one that is invalid or revoked; \
        `token_expired`: the token has expired.",
    /// 403.
    Forbidden => "`forbidden`: the caller may not do this (or writes with a browser session \
        instead of an API token); `missing_scope`: the token lacks the scope the operation \
        needs (named in the message and in `details.scope`).",
    /// 404.
    NotFound => "`not_found`: it does not exist, or the caller may not see it.",
    /// 409.
    Conflict => "`conflict`: it was changed by someone else meanwhile, or was done already.",
    /// 413.
    TooLarge => "`too_large`: the body is larger than the server accepts (256 KiB by default).",
    /// 415.
    UnsupportedMediaType => "`unsupported_media_type`: the body is not sent as \
        `Content-Type: application/json`.",
    /// 422.
    Unprocessable => "The body was read but is refused: `invalid_body` (fields missing, \
        unknown or of the wrong type) or `invalid` (a value the rules refuse).",
    /// 503.
    Unavailable => "`unavailable`: the server is shutting down; try again.",
}

/// Declares sets of error responses that operations share, listed in a handler's
/// `#[utoipa::path(responses(...))]` beside its own success response.
macro_rules! error_sets {
    ($($(#[$doc:meta])* $name:ident => [$($status:literal $response:ident),*],)*) => {$(
        $(#[$doc])*
        pub enum $name {}

        impl utoipa::IntoResponses for $name {
            fn responses() -> std::collections::BTreeMap<String, RefOr<Response>> {
                [$(($status.to_string(), RefOr::Ref(Ref::from_response_name(stringify!($response))))),*]
                    .into()
            }
        }
    )*};
}

error_sets! {
    /// Reading one thing by a path or query: bad parameters, no token (or a token without
    /// the scope), not found.
    ReadErrors => [400 BadRequest, 401 Unauthorized, 403 Forbidden, 404 NotFound],
    /// Listing with filters: bad parameters, no token (or a token without the scope), a
    /// filter the rules refuse.
    ListErrors => [400 BadRequest, 401 Unauthorized, 403 Forbidden, 422 Unprocessable],
    /// Creating a case from a JSON body.
    CreateErrors => [400 BadRequest, 401 Unauthorized, 403 Forbidden, 413 TooLarge,
        415 UnsupportedMediaType, 503 Unavailable],
    /// Posting a JSON body about something that exists.
    PostErrors => [400 BadRequest, 401 Unauthorized, 403 Forbidden, 404 NotFound, 413 TooLarge,
        415 UnsupportedMediaType, 422 Unprocessable],
    /// Changing something that someone else may have changed first.
    ChangeErrors => [400 BadRequest, 401 Unauthorized, 403 Forbidden, 404 NotFound, 409 Conflict,
        413 TooLarge, 415 UnsupportedMediaType, 422 Unprocessable],
    /// Sending a file to import.
    ImportErrors => [400 BadRequest, 401 Unauthorized, 403 Forbidden, 404 NotFound, 413 TooLarge],
}
