//! Showback, billing through the API, and a unit manager's part of billing: a customer manager
//! sees their own department's charges only; the API previews, locks and exports a run; a unit
//! manager sees and exports only the lines their units provide.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::dual;
use crate::harness::{assert_api_error, Api, App};

/// Orders `n` cases of `service` as `customer` and closes them as `agent`: the case ids.
pub async fn closed_cases(
    app: &App,
    customer: &str,
    agent: &str,
    service: &str,
    n: usize,
) -> Vec<i64> {
    let customer = app.api(customer).await;
    let agent = app.api(agent).await;
    let mut ids = Vec::new();
    for i in 0..n {
        let (s, c) = customer
            .post(
                "/api/v1/cases",
                &json!({ "service": service, "subject": format!("Beställning {i}"), "description": "Hej" }),
            )
            .await;
        assert_eq!(s, 201, "{c}");
        let id = c["id"].as_i64().unwrap();
        let (s, p) = agent
            .patch(
                &format!("/api/v1/cases/{id}"),
                &json!({ "status": "closed" }),
            )
            .await;
        assert!(s.is_success(), "{p}");
        ids.push(id);
    }
    ids
}

pub fn this_month() -> String {
    serva_domain::time::today().format("%Y-%m").to_string()
}

/// A GET with the API client's token, for a file: status, headers and bytes.
async fn download(api: &Api, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let r = api
        .client
        .get(format!("{}{path}", api.base))
        .bearer_auth(api.token.as_ref().unwrap())
        .send()
        .await
        .unwrap();
    let (s, h) = (r.status(), r.headers().clone());
    (s, h, r.bytes().await.unwrap().to_vec())
}

dual!(
    a_customer_manager_sees_only_their_own_department_s_charges,
    |app| {
        let ids = closed_cases(&app, "admin.sof", "handlaggare.kontakt", "KL-FRAGA", 2).await;
        let month = this_month();
        let controller = app.api("controller").await;
        let (s, run) = controller
            .post(
                "/api/v1/billing/runs",
                &json!({ "month": month, "lock": true }),
            )
            .await;
        assert_eq!(s, 201, "{run}");
        // An open case of the department, beside its charges.
        let sof = app.api("admin.sof").await;
        let (s, open) = sof
        .post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": "Fortfarande öppen", "description": "Hej" }),
        )
        .await;
        assert_eq!(s, 201, "{open}");

        let chef = app.login("chef.sof").await;
        let (_, portal) = chef.get("/portal").await;
        let (_, start) = chef.get("/cases").await;
        assert!(
            start.contains("href=\"/portal/charges\""),
            "linked from the customer manager's start page"
        );
        assert!(
            portal.contains("href=\"/portal/charges\""),
            "linked from the portal"
        );
        let (s, html) = chef.get("/portal/charges").await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains(&month) && html.contains("KL-FRAGA"), "{html}");
        assert!(
            html.contains("130\u{a0}kr"),
            "2 × 65 kr in Swedish format: {html}"
        );
        let lines_href = format!("/portal/charges/lines?month={month}&amp;service=KL-FRAGA");
        assert!(
            html.contains(&lines_href),
            "the amount links to its lines: {html}"
        );
        let list = "/cases?list=ordered&amp;status=active&amp;service=KL-FRAGA";
        assert!(html.contains(list), "open cases link to the list: {html}");
        let (s, listed) = chef.get(&list.replace("&amp;", "&")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(listed.contains("Fortfarande öppen"), "{listed}");
        assert!(
            !listed.contains("Beställning 0"),
            "closed cases are not open: {listed}"
        );

        let (s, lines) = chef.get(&lines_href.replace("&amp;", "&")).await;
        assert_eq!(s, StatusCode::OK);
        for id in &ids {
            assert!(lines.contains(&format!("href=\"/cases/{id}\"")), "{lines}");
        }
        assert!(
            lines.contains("65\u{a0}kr") && lines.contains("130\u{a0}kr"),
            "{lines}"
        );
        assert_eq!(
            chef.get("/portal/charges/lines?month=2019-13&service=KL-FRAGA")
                .await
                .0,
            StatusCode::BAD_REQUEST
        );

        // Another department's manager gets nothing of it, not even by a direct link.
        let other = app.login("chef.uf").await;
        let (s, html) = other.get("/portal/charges").await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            !html.contains("KL-FRAGA") && !html.contains("130\u{a0}kr"),
            "{html}"
        );
        assert!(html.contains("Inget är debiterat ännu"), "{html}");
        let (s, html) = other.get(&lines_href.replace("&amp;", "&")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            ids.iter()
                .all(|id| !html.contains(&format!("/cases/{id}\""))),
            "{html}"
        );
        assert!(!html.contains("65\u{a0}kr"), "{html}");
        // Nobody but a customer manager has the page.
        for who in ["admin.sof", "controller", "handlaggare.kontakt"] {
            let b = app.login(who).await;
            assert_eq!(
                b.get("/portal/charges").await.0,
                StatusCode::NOT_FOUND,
                "{who}"
            );
            assert_eq!(
                b.get(&lines_href.replace("&amp;", "&")).await.0,
                StatusCode::NOT_FOUND,
                "{who}"
            );
        }
    }
);

dual!(the_api_previews_locks_and_exports_a_run, |app| {
    closed_cases(&app, "admin.sof", "handlaggare.kontakt", "KL-FRAGA", 3).await;
    let month = this_month();
    let api = app.api("controller").await;

    let bad = api
        .post("/api/v1/billing/runs", &json!({ "month": "2019-13" }))
        .await;
    assert_api_error(&bad, 400, "YYYY-MM");
    let bad = api
        .post(
            "/api/v1/billing/runs",
            &json!({ "month": "2019-08", "lok": true }),
        )
        .await;
    assert_api_error(&bad, 422, "lok");
    assert!(app.db.billing_run("2019-13").await.unwrap().is_none());

    let (s, pv) = api
        .post("/api/v1/billing/runs", &json!({ "month": month }))
        .await;
    assert_eq!(s, 200, "{pv}");
    assert!(pv["run"].is_null(), "a preview: {pv}");
    let row = pv["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["customer"] == "SOF" && r["service"] == "KL-FRAGA")
        .unwrap_or_else(|| panic!("{pv}"))
        .clone();
    assert_eq!(
        (
            row["quantity_milli"].as_i64(),
            row["amount_ore"].as_i64(),
            row["provider"].as_str()
        ),
        (Some(3000), Some(19_500), Some("KL"))
    );
    assert!(
        app.db.billing_run(&month).await.unwrap().is_none(),
        "a preview writes nothing"
    );

    let (s, run) = api
        .post(
            "/api/v1/billing/runs",
            &json!({ "month": month, "lock": true }),
        )
        .await;
    assert_eq!(s, 201, "{run}");
    let id = run["id"].as_i64().unwrap();
    assert_eq!(run["month"], Value::String(month.clone()));
    assert_eq!(run["total_ore"], pv["total_ore"]);
    let again = api
        .post(
            "/api/v1/billing/runs",
            &json!({ "month": month, "lock": true }),
        )
        .await;
    assert_api_error(&again, 409, "locked already");

    let (s, runs) = api.get("/api/v1/billing/runs").await;
    assert_eq!(s, 200);
    assert!(
        runs.as_array().unwrap().iter().any(|r| r["id"] == id),
        "{runs}"
    );
    let (s, one) = api.get(&format!("/api/v1/billing/runs/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(one["run"]["id"], id);
    assert_eq!(
        one["rows"], pv["rows"],
        "the locked run is what the preview showed"
    );
    assert_api_error(
        &api.get("/api/v1/billing/runs/999999").await,
        404,
        "billing run",
    );

    for (format, content_type, ext, starts) in [
        ("sie", "text/plain; charset=IBM437", "se", &b"#FLAGGA 0"[..]),
        (
            "csv",
            "text/csv; charset=utf-8",
            "csv",
            &b"\xef\xbb\xbfKund;"[..],
        ),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            &b"PK"[..],
        ),
    ] {
        let (s, h, body) = download(
            &api,
            &format!("/api/v1/billing/runs/{id}/export?format={format}"),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{format}");
        assert_eq!(h["content-type"], content_type);
        assert!(
            h["content-disposition"]
                .to_str()
                .unwrap()
                .contains(&format!("debitering-{month}.{ext}")),
            "{:?}",
            h["content-disposition"]
        );
        assert!(body.starts_with(starts), "{format}");
    }
    assert_api_error(
        &api.get(&format!("/api/v1/billing/runs/{id}/export?format=pdf"))
            .await,
        400,
        "sie, csv or xlsx",
    );

    // Nobody else sees the runs.
    let customer = app.api("admin.sof").await;
    assert_api_error(&customer.get("/api/v1/billing/runs").await, 404, "billing");
    assert_api_error(
        &customer
            .get(&format!("/api/v1/billing/runs/{id}/export?format=csv"))
            .await,
        404,
        "billing",
    );
    let refused = customer
        .post("/api/v1/billing/runs", &json!({ "month": "2019-13" }))
        .await;
    assert_eq!(
        refused.0.as_u16(),
        404,
        "no hint from a bad month: {}",
        refused.1
    );
});

dual!(
    a_unit_manager_sees_and_exports_only_their_units_lines,
    |app| {
        closed_cases(&app, "admin.sof", "handlaggare.kontakt", "KL-FRAGA", 2).await;
        closed_cases(&app, "admin.sof", "handlaggare.lkdata", "LK-LOSEN", 1).await;
        let month = this_month();

        let kl = app.login("chef.kontakt").await;
        let (s, html) = kl.get(&format!("/billing?month={month}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("href=\"/billing\""), "in the menu");
        assert!(
            html.contains("KL-FRAGA") && html.contains("130\u{a0}kr"),
            "{html}"
        );
        assert!(!html.contains("LK-LOSEN"), "another unit's lines: {html}");
        assert!(
            !html.contains("action=\"/billing/lock\""),
            "no lock for a unit manager"
        );
        let (s, _, _) = kl.post("/billing/lock", &[("month", &month)]).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(
            app.db.billing_run(&month).await.unwrap().is_none(),
            "nothing locked"
        );

        let lk = app.login("chef.lkdata").await;
        let (_, html) = lk.get(&format!("/billing?month={month}")).await;
        assert!(
            html.contains("LK-LOSEN") && html.contains("150\u{a0}kr"),
            "{html}"
        );
        assert!(!html.contains("KL-FRAGA"), "{html}");

        let controller = app.login("controller").await;
        let (s, _, _) = controller.post("/billing/lock", &[("month", &month)]).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, html) = kl.get(&format!("/billing?month={month}")).await;
        assert!(
            html.contains("format=csv") && !html.contains("format=sie"),
            "{html}"
        );
        let (s, html) = kl
            .get(&format!(
                "/billing?month={month}&customer=SOF&service=KL-FRAGA"
            ))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            html.contains("id=\"rader\"") && html.contains("65\u{a0}kr"),
            "{html}"
        );
        assert!(
            !html.contains("/correct\""),
            "a unit manager does not correct: {html}"
        );
        let (_, html) = kl
            .get(&format!(
                "/billing?month={month}&customer=SOF&service=LK-LOSEN"
            ))
            .await;
        assert!(
            !html.contains("150\u{a0}kr"),
            "another unit's lines: {html}"
        );
        let r = kl
            .client
            .get(app.url(&format!("/billing/export?month={month}&format=csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let csv = r.text().await.unwrap();
        assert_eq!(
            csv.lines()
                .filter(|l| l.starts_with("SOF;KL-FRAGA;KL;"))
                .count(),
            2,
            "{csv}"
        );
        assert!(!csv.contains("LK-LOSEN"), "{csv}");
        let r = kl
            .client
            .get(app.url(&format!("/billing/export?month={month}&format=xlsx")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let r = kl
            .client
            .get(app.url(&format!("/billing/export?month={month}&format=sie")))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::NOT_FOUND,
            "the SIE voucher books every unit"
        );
        // An agent, or a customer manager, has no billing.
        for who in ["handlaggare.kontakt", "chef.uf"] {
            let b = app.login(who).await;
            assert_eq!(b.get("/billing").await.0, StatusCode::NOT_FOUND, "{who}");
        }
    }
);
