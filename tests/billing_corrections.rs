//! Corrections of locked charge lines: never an edit, but a correction stored with its reason
//! and charged in the next run locked for a later month — the line's reversal and its new
//! quantity at the line's price — so that the runs balance. A line is corrected once.
//! And the case lists (a queue, "my cases") as spreadsheets, a formula written as text.

use chrono::NaiveDate;
use reqwest::StatusCode;
use serde_json::json;

use crate::billing_showback::{closed_cases, this_month};
use crate::dual;

fn month_after(month: &str) -> String {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
    first
        .checked_add_months(chrono::Months::new(1))
        .unwrap()
        .format("%Y-%m")
        .to_string()
}

dual!(
    a_correction_goes_into_the_next_month_s_run_and_balances,
    |app| {
        closed_cases(&app, "admin.sof", "handlaggare.kontakt", "KL-FRAGA", 2).await;
        let month = this_month();
        let next = month_after(&month);
        let api = app.api("controller").await;
        let (s, run) = api
            .post(
                "/api/v1/billing/runs",
                &json!({ "month": month, "lock": true }),
            )
            .await;
        assert_eq!(s, 201, "{run}");
        let lines = app
            .db
            .run_lines_stored(run["id"].as_i64().unwrap())
            .await
            .unwrap();
        let ours: Vec<i64> = lines
            .iter()
            .filter(|l| l.line.volume.customer == "SOF" && l.line.volume.service == "KL-FRAGA")
            .map(|l| l.id)
            .collect();
        assert_eq!(ours.len(), 2);
        let (cancel, more) = (ours[0], ours[1]);

        let web = app.login("controller").await;
        let (_, html) = web.get(&format!("/billing?month={month}")).await;
        let chosen = format!("/billing?month={month}&customer=SOF&service=KL-FRAGA");
        assert!(
            html.contains(&format!("{}#rader", chosen.replace('&', "&amp;"))),
            "a row of the table links to its lines: {html}"
        );
        let (_, html) = web.get(&chosen).await;
        assert!(
            html.contains(&format!("href=\"/billing/lines/{cancel}/correct\"")),
            "{html}"
        );
        let form = format!("/billing/lines/{cancel}/correct");
        let (s, html) = web.get(&form).await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("name=\"quantity\"") && html.contains("name=\"reason\""));

        // Bad input: each field says what is wrong, and nothing is stored.
        let (s, html, _) = web.post(&form, &[("quantity", ""), ("reason", " ")]).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("id=\"quantity-error\"") && html.contains("id=\"reason-error\""),
            "{html}"
        );
        let (s, html, _) = web
            .post(&form, &[("quantity", "-1"), ("reason", "Fel")])
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("kan inte vara negativt"), "{html}");
        let (s, _, _) = web
            .post(&form, &[("quantity", "1"), ("reason", "Samma")])
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the line's own quantity corrects nothing"
        );
        assert!(app
            .db
            .charge_line(cancel)
            .await
            .unwrap()
            .correction
            .is_none());
        // A unit manager does not correct.
        let kl = app.login("chef.kontakt").await;
        assert_eq!(kl.get(&form).await.0, StatusCode::NOT_FOUND);
        let (s, _, _) = kl
            .post(&form, &[("quantity", "0"), ("reason", "Fel")])
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        let (s, _, loc) = web
            .post(&form, &[("quantity", "0"), ("reason", "Fel kund")])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let loc = loc.unwrap();
        assert!(loc.starts_with(&chosen), "{loc}");
        let (_, html) = web.get(&loc).await;
        assert!(html.contains("Rättelsen är sparad"), "{html}");
        // Corrected once: a second correction is refused with a clear message.
        let (s, html, _) = web
            .post(&form, &[("quantity", "2"), ("reason", "Ändrat mig")])
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(html.contains("redan rättad"), "{html}");
        let stored = app
            .db
            .charge_line(cancel)
            .await
            .unwrap()
            .correction
            .unwrap();
        assert_eq!((stored.quantity.0, stored.reason.as_str()), (0, "Fel kund"));
        let (s, _, _) = web
            .post(
                &format!("/billing/lines/{more}/correct"),
                &[("quantity", "3"), ("reason", "Tre frågor i samma ärende")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, html) = web.get(&chosen).await;
        assert!(
            html.contains("Rättad till 0") && html.contains("Fel kund"),
            "{html}"
        );

        // The locked month does not change; the next month's preview shows the corrections.
        let (_, again) = api
            .get(&format!("/api/v1/billing/runs/{}", run["id"]))
            .await;
        assert_eq!(again["run"]["total_ore"], run["total_ore"]);
        let (_, html) = web.get(&format!("/billing?month={next}")).await;
        assert!(html.contains("Rättelser"), "{html}");
        let (s, pv) = api
            .post("/api/v1/billing/runs", &json!({ "month": next }))
            .await;
        assert_eq!(s, 200, "{pv}");
        // −65 (cancelled) −65 +3 × 65 = 65 kr.
        assert_eq!(
            (pv["lines"].as_i64(), pv["total_ore"].as_i64()),
            (Some(3), Some(6_500)),
            "{pv}"
        );
        let (s, locked) = api
            .post(
                "/api/v1/billing/runs",
                &json!({ "month": next, "lock": true }),
            )
            .await;
        assert_eq!(s, 201, "{locked}");
        assert_eq!(locked["total_ore"].as_i64(), Some(6_500));
        let charged = app
            .db
            .charge_line(cancel)
            .await
            .unwrap()
            .correction
            .unwrap();
        assert_eq!(charged.charged_in.as_deref(), Some(next.as_str()));
        // Charged once: the month after has nothing of it.
        let (_, later) = api
            .post(
                "/api/v1/billing/runs",
                &json!({ "month": month_after(&next) }),
            )
            .await;
        assert_eq!(later["lines"].as_i64(), Some(0), "{later}");

        // The next run's SIE voucher balances, and the provider's revenue is the corrections'.
        let text = {
            let r = api
                .client
                .get(format!(
                    "{}/api/v1/billing/runs/{}/export?format=sie",
                    api.base, locked["id"]
                ))
                .bearer_auth(api.token.as_ref().unwrap())
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            serva_domain::import::decode_sie(&r.bytes().await.unwrap())
        };
        let ledger = serva_domain::import::parse_sie(&text).expect("Serva's own import reads it");
        let total: i64 = ledger
            .months
            .values()
            .map(|m| m.revenue_sum + m.cost_sum)
            .sum();
        assert_eq!(total, 0, "debit equals credit");
        let kl_unit = app.db.unit_by_code("KL").await.unwrap();
        let object = kl_unit.erp_code.unwrap_or(kl_unit.code);
        let (y, m) = next.split_once('-').unwrap();
        let key = (object, y.parse::<i32>().unwrap(), m.parse::<u32>().unwrap());
        assert_eq!(
            serva_domain::import::SieLedger::revenue_cost(&ledger.months[&key]),
            (6_500, 0)
        );

        // A correction line is not corrected again.
        let next_lines = app
            .db
            .run_lines_stored(locked["id"].as_i64().unwrap())
            .await
            .unwrap();
        let reversal = next_lines[0].id;
        let (s, html, _) = web
            .post(
                &format!("/billing/lines/{reversal}/correct"),
                &[("quantity", "1"), ("reason", "Igen")],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("själv en rättelse"), "{html}");
        // The audit log has the corrections, with their reasons.
        let audit = app
            .db
            .audit_entries(&serva_store::audit::AuditFilter {
                entity: Some("billing_run".into()),
                entity_id: Some(month.clone()),
                limit: 50,
                ..Default::default()
            })
            .await
            .unwrap();
        let corrections: Vec<_> = audit
            .iter()
            .filter(|e| e.action == "create")
            .filter_map(|e| e.after_json.as_deref())
            .collect();
        assert_eq!(corrections.len(), 2, "{audit:?}");
        assert!(
            corrections.iter().any(|a| a.contains("Fel kund")),
            "{corrections:?}"
        );
    }
);

dual!(
    a_queue_list_downloads_as_a_spreadsheet_with_formulas_as_text,
    |app| {
        let customer = app.api("admin.sof").await;
        for subject in ["=HYPERLINK(\"http://x\")", "Vanlig fråga"] {
            let (s, c) = customer
                .post(
                    "/api/v1/cases",
                    &json!({ "service": "KL-FRAGA", "subject": subject, "description": "Hej" }),
                )
                .await;
            assert_eq!(s, 201, "{c}");
        }
        let agent = app.login("handlaggare.kontakt").await;
        let (_, html) = agent.get("/queues/KL?q=HYPERLINK").await;
        assert!(
            html.contains("/queues/KL/export?q=HYPERLINK&amp;format=csv"),
            "{html}"
        );
        let get = |path: String| {
            let c = agent.client.clone();
            let url = app.url(&path);
            async move { c.get(url).send().await.unwrap() }
        };
        let r = get("/queues/KL/export?q=HYPERLINK&format=csv".into()).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("ko-KL.csv"));
        let csv = r.text().await.unwrap();
        assert!(csv.contains(";\"'=HYPERLINK("), "a formula is text: {csv}");
        assert!(
            !csv.contains("Vanlig fråga"),
            "the list's filter holds: {csv}"
        );
        // Every matching case, not one page: more than a page of the queue.
        let all = get("/queues/KL/export?format=csv&per_page=1".into())
            .await
            .text()
            .await
            .unwrap();
        assert!(
            all.contains("Vanlig fråga") && all.contains("HYPERLINK"),
            "{all}"
        );
        let r = get("/queues/KL/export?format=xlsx".into()).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.bytes().await.unwrap().starts_with(b"PK"));
        assert_eq!(
            get("/queues/KL/export?format=pdf".into()).await.status(),
            StatusCode::BAD_REQUEST
        );
        // Another unit's queue is not the agent's.
        assert_eq!(
            get("/queues/LKDATA/export?format=csv".into())
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        // The customer's own list downloads the same way.
        let web = app.login("admin.sof").await;
        let (_, html) = web.get("/cases").await;
        assert!(html.contains("/cases/export?"), "{html}");
        let r = web
            .client
            .get(app.url("/cases/export?format=csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let csv = r.text().await.unwrap();
        assert!(
            csv.contains("'=HYPERLINK(") && csv.contains("Vanlig fråga"),
            "{csv}"
        );
    }
);
