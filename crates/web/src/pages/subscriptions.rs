//! `GET /billing/subscriptions` (filters `customer`, `service`, `provider`; `subscription` for
//! one's history) and `POST /billing/subscriptions` (start, change or end one): controllers,
//! administrators, and unit managers for their own units' services.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::subscriptions::{sees_subscriptions, SubscriptionRefused};
use serva_domain::billing::subscription::SubscriptionProblem;
use serva_domain::org::UnitKind;
use serva_store::subscriptions::SubscriptionFilter;
use serva_views::pages::subscriptions::{subscriptions_page, ChangeForm, SubscriptionsView};

use super::case_billing::{locked_text, read_quantity};
use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

async fn render(
    st: &AppState,
    auth: &Auth,
    q: &HashMap<String, String>,
    form: &ChangeForm,
    status: StatusCode,
    ok: Option<&str>,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let p = &auth.s.principal;
    if !sees_subscriptions(p) {
        return Err(PageError::not_found());
    }
    let units = st.app.units().await?;
    let services = st.app.subscription_services(p).await?;
    let customers: Vec<(String, String)> = units
        .iter()
        .filter(|u| matches!(u.kind, UnitKind::Department | UnitKind::Company))
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect();
    let mut providers: Vec<(String, String)> = services
        .iter()
        .map(|s| (s.unit_code.clone(), s.unit_name.clone()))
        .collect();
    providers.sort();
    providers.dedup();
    let pick = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let (customer, service, provider) = (pick("customer"), pick("service"), pick("provider"));
    // A code nobody has filters to nothing rather than to everything.
    let unit_id = |code: &str| {
        (!code.is_empty()).then(|| units.iter().find(|u| u.code == code).map_or(-1, |u| u.id.0))
    };
    let service_id = (!service.is_empty()).then(|| {
        services
            .iter()
            .find(|s| s.code == service)
            .map_or(-1, |s| s.id.0)
    });
    let filter = SubscriptionFilter {
        customer: unit_id(&customer),
        service: service_id,
        provider: unit_id(&provider),
        id: None,
    };
    let list = st.app.subscriptions(p, &filter).await?;
    let shown = match q
        .get("subscription")
        .and_then(|s| crate::params::parse_id(s))
    {
        Some(id) => st
            .app
            .subscriptions(
                p,
                &SubscriptionFilter {
                    id: Some(id),
                    ..Default::default()
                },
            )
            .await?
            .into_iter()
            .next(),
        None => None,
    };
    let service_names: Vec<(String, String)> = services
        .iter()
        .map(|s| (s.code.clone(), s.name.clone()))
        .collect();
    let view = SubscriptionsView {
        list: &list,
        shown: shown.as_ref(),
        customers: &customers,
        services: &service_names,
        providers: &providers,
        filter: (&customer, &service, &provider),
        today: serva_domain::time::today(),
        form,
        ok,
        error,
    };
    Ok((status, subscriptions_page(&auth.cx, &view)).into_response())
}

pub async fn page(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let ok = q.contains_key("saved").then(|| {
        auth.cx.t(
            "Abonnemanget är sparat.",
            "The subscription has been saved.",
        )
    });
    let form = ChangeForm {
        from: serva_domain::time::today().format("%Y-%m-%d").to_string(),
        ..ChangeForm::default()
    };
    render(&st, &auth, &q, &form, StatusCode::OK, ok, None).await
}

pub async fn change(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let p = &f.auth.s.principal;
    let cx = &f.auth.cx;
    if !sees_subscriptions(p) {
        return Err(PageError::not_found());
    }
    let mut form = ChangeForm {
        customer: f.get("customer").trim().to_string(),
        service: f.get("service").trim().to_string(),
        quantity: f.get("quantity").trim().to_string(),
        from: f.get("from").trim().to_string(),
        ..ChangeForm::default()
    };
    let units = st.app.units().await?;
    let services = st.app.subscription_services(p).await?;
    let customer = units
        .iter()
        .find(|u| {
            u.code == form.customer && matches!(u.kind, UnitKind::Department | UnitKind::Company)
        })
        .map(|u| u.id);
    if customer.is_none() {
        form.customer_error = Some(cx.t("Välj en kund.", "Choose a customer.").to_string());
    }
    let service = services
        .iter()
        .find(|s| s.code == form.service)
        .map(|s| s.id);
    if service.is_none() {
        form.service_error = Some(cx.t("Välj en tjänst.", "Choose a service.").to_string());
    }
    let quantity = read_quantity(cx, &form.quantity).map_err(|e| form.quantity_error = Some(e));
    let from = if form.from.is_empty() {
        Err(cx.t("Skriv dagen.", "Enter the day.").to_string())
    } else {
        serva_domain::time::parse_day(&form.from).ok_or_else(|| {
            cx.t(
                "Skriv ett datum som ÅÅÅÅ-MM-DD.",
                "Enter a date as YYYY-MM-DD.",
            )
            .to_string()
        })
    }
    .map_err(|e| form.from_error = Some(e));
    let q = HashMap::new();
    let nothing = cx.t(
        "Inget är sparat. Rätta felen nedan.",
        "Nothing has been saved. Correct the errors below.",
    );
    let (Some(customer), Some(service), Ok(quantity), Ok(from)) =
        (customer, service, quantity, from)
    else {
        return render(
            &st,
            &f.auth,
            &q,
            &form,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(nothing),
        )
        .await;
    };
    match st
        .app
        .change_subscription(p, customer, service, from, quantity)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!(
            "/billing/subscriptions?saved=1&subscription={id}#history"
        ))
        .into_response()),
        Err(SubscriptionRefused::Problem(pr)) => {
            let text = if cx.t("sv", "en") == "sv" {
                pr.swedish()
            } else {
                pr.to_string()
            };
            match pr {
                SubscriptionProblem::BeforeCurrent(_) => form.from_error = Some(text),
                SubscriptionProblem::NotSubscribed(_) => form.service_error = Some(text),
                _ => form.quantity_error = Some(text),
            }
            render(
                &st,
                &f.auth,
                &q,
                &form,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(nothing),
            )
            .await
        }
        Err(SubscriptionRefused::MonthLocked(m)) => {
            form.from_error = Some(locked_text(cx, &m));
            render(
                &st,
                &f.auth,
                &q,
                &form,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(nothing),
            )
            .await
        }
        Err(SubscriptionRefused::Other(e)) => Err(e.into()),
    }
}
