//! `GET /portal/charges` and `GET /portal/charges/lines?month=&service=`: showback, what the
//! customer manager's department bought and the lines behind each amount. Anyone else finds
//! no such page.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serva_app::AppError;
use serva_views::pages::showback::{
    showback_lines_page, showback_page, ChargeRow, LineRow, OpenRow,
};

use crate::auth::Auth;
use crate::error::PageError;
use crate::AppState;

pub async fn page(State(st): State<AppState>, auth: Auth) -> Result<Response, PageError> {
    let sb = st.app.showback(&auth.s.principal).await?;
    let charges: Vec<ChargeRow> = sb
        .charges
        .iter()
        .map(|c| ChargeRow {
            month: &c.month,
            service: &c.service,
            service_name: &c.service_name,
            quantity: c.quantity,
            amount_ore: c.amount_ore,
            lines: c.lines,
        })
        .collect();
    let open: Vec<OpenRow> = sb
        .open
        .iter()
        .map(|o| OpenRow {
            service: &o.service,
            service_name: &o.service_name,
            open: o.open,
        })
        .collect();
    Ok(showback_page(&auth.cx, &charges, &open).into_response())
}

pub async fn lines(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let (month, service) = (get("month"), get("service"));
    let lines = match st
        .app
        .showback_lines(&auth.s.principal, &month, &service)
        .await
    {
        Ok(l) => l,
        Err(AppError::BadRequest(_)) => {
            return Err(PageError::new(
                StatusCode::BAD_REQUEST,
                auth.cx.t(
                    "Skriv månaden som ÅÅÅÅ-MM, t.ex. 2019-08.",
                    "Write the month as YYYY-MM, e.g. 2019-08.",
                ),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    let rows: Vec<LineRow> = lines
        .iter()
        .map(|l| LineRow {
            day: l.day,
            source: l.source,
            case_number: l.case_number.map(|n| n.to_string()),
            quantity: l.quantity,
            price_ore: l.price_ore,
            amount_ore: l.amount_ore,
        })
        .collect();
    Ok(showback_lines_page(&auth.cx, &month, &service, &rows).into_response())
}
