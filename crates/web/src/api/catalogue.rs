//! The catalogue, the organisation and the caller, read through the API.

use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;
use serva_app::{AppError, CatalogueQuery};
use serva_domain::catalogue::{FieldKind, FormField, PriceModel, Service};
use serva_domain::org::{Unit, UnitKind};
use serva_domain::token::TokenScope;
use utoipa::ToSchema;

use super::errors::{ApiErrorBody, Forbidden, ListErrors, ReadErrors, Unauthorized};
use super::json::ApiQuery;
use crate::auth::{scope, ApiAuth};
use crate::error::ApiError;
use crate::AppState;

/// The caller: who they are and what they may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// The language the person chose (`sv` or `en`); null follows the browser.
    #[schema(required = true)]
    pub locale: Option<String>,
    /// The unit the person belongs to: what they order for as staff.
    #[schema(required = true)]
    pub home_unit_id: Option<i64>,
    pub admin: bool,
    pub controller: bool,
    /// The units whose cases the person works, by id.
    pub works_units: Vec<i64>,
    /// Whether the person may order services.
    pub can_order: bool,
    /// What the caller's API token may do; null when reading with a browser session.
    #[schema(required = true)]
    pub scopes: Option<Vec<TokenScope>>,
}

/// The caller.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    operation_id = "me",
    tag = "catalogue",
    security(("bearer" = ["read"])),
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    )
)]
pub async fn me(ApiAuth(s, _): ApiAuth<scope::Read>) -> Json<Me> {
    let p = &s.principal;
    let mut works: Vec<i64> = p.works.iter().map(|u| u.0).collect();
    works.sort_unstable();
    Json(Me {
        id: s.user.id.0,
        username: s.user.username.clone(),
        display_name: s.user.display_name.clone(),
        locale: s.user.locale.clone(),
        home_unit_id: s.user.home_unit_id.map(|u| u.0),
        admin: p.admin,
        controller: p.controller,
        works_units: works,
        can_order: p.ordering_as().is_some(),
        scopes: s.scopes.map(|sc| sc.iter().collect()),
    })
}

/// An organisational unit.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Unit)]
pub struct UnitJson {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    #[schema(required = true)]
    pub parent_id: Option<i64>,
    /// The unit's code in the ledger (ansvar).
    #[schema(required = true)]
    pub erp_code: Option<String>,
    #[schema(format = Date, required = true)]
    pub valid_from: Option<String>,
    #[schema(format = Date, required = true)]
    pub valid_to: Option<String>,
    /// The unit this one continues.
    #[schema(required = true)]
    pub predecessor_id: Option<i64>,
}

impl From<Unit> for UnitJson {
    fn from(u: Unit) -> Self {
        UnitJson {
            id: u.id.0,
            code: u.code,
            name: u.name,
            kind: u.kind,
            parent_id: u.parent_id.map(|p| p.0),
            erp_code: u.erp_code,
            valid_from: u.valid_from,
            valid_to: u.valid_to,
            predecessor_id: u.predecessor_id.map(|p| p.0),
        }
    }
}

/// The organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitList {
    pub units: Vec<UnitJson>,
}

/// The organisation: every unit.
#[utoipa::path(
    get,
    path = "/api/v1/units",
    operation_id = "listUnits",
    tag = "catalogue",
    security(("bearer" = ["read"])),
    responses(
        (status = 200, description = "The units", body = UnitList),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    )
)]
pub async fn units(
    State(st): State<AppState>,
    _auth: ApiAuth<scope::Read>,
) -> Result<Json<UnitList>, ApiError> {
    let units = st.app.units().await?;
    Ok(Json(UnitList {
        units: units.into_iter().map(UnitJson::from).collect(),
    }))
}

/// A service of the catalogue with its order form.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Service)]
pub struct ServiceJson {
    pub id: i64,
    /// The providing unit.
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    #[schema(example = "LK-KONTO")]
    pub code: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub price_model: PriceModel,
    /// The price in öre (1/100 krona).
    pub price_ore: i64,
    /// Target for the first reply, in minutes of the providing unit's working time.
    #[schema(required = true)]
    pub first_response_minutes: Option<i64>,
    /// Target for the next reply after the customer writes, in minutes of working time.
    #[schema(required = true)]
    pub next_response_minutes: Option<i64>,
    /// Target for resolving, in minutes of working time; paused while the case waits.
    #[schema(required = true)]
    pub resolution_minutes: Option<i64>,
    /// The order form.
    pub form: Vec<FormFieldJson>,
    /// Open for orders.
    pub active: bool,
}

/// One field of a service's order form.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = FormField)]
pub struct FormFieldJson {
    /// The key the answer is given under in a new case's `fields`.
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    /// The allowed answers of a choice field, in order; absent for other kinds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
}

impl From<FormField> for FormFieldJson {
    fn from(f: FormField) -> Self {
        FormFieldJson {
            key: f.key,
            label: f.label,
            kind: f.kind,
            required: f.required,
            choices: f.choices,
        }
    }
}

impl From<Service> for ServiceJson {
    fn from(s: Service) -> Self {
        ServiceJson {
            id: s.id.0,
            unit_id: s.unit_id.0,
            unit_code: s.unit_code,
            unit_name: s.unit_name,
            code: s.code,
            name: s.name,
            description: s.description,
            category: s.category,
            price_model: s.price_model,
            price_ore: s.price_ore,
            first_response_minutes: s.first_response_minutes,
            next_response_minutes: s.next_response_minutes,
            resolution_minutes: s.resolution_minutes,
            form: s.form.into_iter().map(FormFieldJson::from).collect(),
            active: s.active,
        }
    }
}

/// Services open for orders.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceList {
    pub services: Vec<ServiceJson>,
}

/// The service catalogue: services open for orders.
#[utoipa::path(
    get,
    path = "/api/v1/services",
    operation_id = "listServices",
    tag = "catalogue",
    security(("bearer" = ["read"])),
    params(
        ("q" = Option<String>, Query, description = "Free text"),
        ("category" = Option<String>, Query, description = "A category's name"),
        ("unit" = Option<String>, Query, description = "A provider unit's code; an unknown one is refused (422)"),
    ),
    responses(
        (status = 200, description = "The services", body = ServiceList),
        ListErrors,
    )
)]
pub async fn services(
    State(st): State<AppState>,
    _auth: ApiAuth<scope::Read>,
    ApiQuery(q): ApiQuery,
) -> Result<Json<ServiceList>, ApiError> {
    for k in q.keys() {
        if !matches!(k.as_str(), "q" | "category" | "unit") {
            return Err(ApiError::bad_request(format!(
                "unknown query parameter {k:?}; use q, category or unit"
            )));
        }
    }
    if let Some(code) = q.get("unit") {
        // An unknown unit is the caller's mistake here, not an empty list.
        match st.app.unit_by_code(code).await {
            Ok(_) => {}
            Err(AppError::NotFound(_)) => {
                return Err(ApiError::invalid(format!("unknown unit {code:?}")))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let query = CatalogueQuery {
        text: q.get("q").cloned().unwrap_or_default(),
        category: q.get("category").cloned(),
        unit: q.get("unit").cloned(),
    };
    let list = st.app.open_services(&query).await?;
    Ok(Json(ServiceList {
        services: list.into_iter().map(ServiceJson::from).collect(),
    }))
}

/// One service open for orders, with its order form.
#[utoipa::path(
    get,
    path = "/api/v1/services/{code}",
    operation_id = "getService",
    tag = "catalogue",
    security(("bearer" = ["read"])),
    params(("code" = String, Path, description = "The service's code", example = "LK-KONTO")),
    responses(
        (status = 200, description = "The service", body = ServiceJson),
        ReadErrors,
        (status = 422, description = "`invalid`: the code cannot be stored text (it holds a \
            NUL character)", body = ApiErrorBody),
    )
)]
pub async fn service(
    State(st): State<AppState>,
    _auth: ApiAuth<scope::Read>,
    Path(code): Path<String>,
) -> Result<Json<ServiceJson>, ApiError> {
    let s = st.app.open_service(&code).await?;
    Ok(Json(ServiceJson::from(s)))
}
