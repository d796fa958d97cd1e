//! Hand-offs per unit pair in the figures: the interim report's table "Överlämningar mellan
//! enheter" (JSON, HTML, PDF/DOCX from the same model) and the follow-up page, counted from
//! 1 January to the report date, with the hand-backs among them.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::dual;
use crate::harness::App;

/// The report's hand-off row from one unit to another, as (hand-offs, hand-backs).
fn pair(r: &Value, from: &str, to: &str) -> (i64, i64) {
    r["handoffs"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .find(|h| h["from"] == from && h["to"] == to)
                .map(|h| {
                    (
                        h["handoffs"].as_i64().unwrap(),
                        h["hand_backs"].as_i64().unwrap(),
                    )
                })
                .unwrap_or((0, 0))
        })
        .unwrap_or((0, 0))
}

fn today() -> (i32, String) {
    let d = serva_domain::time::to_local(serva_domain::time::now_ms()).date();
    (chrono::Datelike::year(&d), d.format("%Y-%m-%d").to_string())
}

async fn case_at_kl(app: &App) -> i64 {
    let agent = app.api("handlaggare.kontakt").await;
    let (s, c) = agent
        .post(
            "/api/v1/cases",
            &json!({"service": "KL-FRAGA", "subject": "Skrivaren på plan 3 skriver inte ut",
                    "description": "Ringde in; gäller IT-stödet.", "channel": "phone",
                    "requester_name": "Per Nilsson"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    c["id"].as_i64().unwrap()
}

dual!(
    hand_offs_per_unit_pair_in_the_report_and_on_the_follow_up_page,
    |app| {
        let controller = app.api("controller").await;

        // The seed report (2019) has no hand-offs, so it has no such table and reads as before.
        let (s, seed) = controller
            .get("/api/v1/reports/interim?org=VSS&year=2019&through=2019-08-31")
            .await;
        assert_eq!(s, StatusCode::OK, "{seed}");
        assert!(seed.get("handoffs").is_none(), "no empty table in the seed");

        let (year, through) = today();
        let q = format!("org=VSS&year={year}&through={through}");
        let (s, before) = controller
            .get(&format!("/api/v1/reports/interim?{q}"))
            .await;
        assert_eq!(s, StatusCode::OK, "{before}");
        let kl_lk = pair(&before, "Kontakt Linköping", "LKDATA");
        let lk_kl = pair(&before, "LKDATA", "Kontakt Linköping");

        // Two cases from Kontakt Linköping to LKDATA; one comes back.
        let kl_agent = app.login("handlaggare.kontakt").await;
        let lk_agent = app.login("handlaggare.lkdata").await;
        for n in 0..2 {
            let id = case_at_kl(&app).await;
            let (s, _, _) = kl_agent
                .post(
                    &format!("/cases/{id}/handoff"),
                    &[
                        ("service", "LK-INCIDENT"),
                        ("note", "Skrivaren är LKDATA:s."),
                    ],
                )
                .await;
            assert_eq!(s, StatusCode::SEE_OTHER);
            if n == 0 {
                let (s, _, _) = lk_agent
                    .post(
                        &format!("/cases/{id}/handback"),
                        &[("note", "Skrivaren ägs av fastighetsbolaget.")],
                    )
                    .await;
                assert_eq!(s, StatusCode::SEE_OTHER);
            }
        }

        let (s, after) = controller
            .get(&format!("/api/v1/reports/interim?{q}"))
            .await;
        assert_eq!(s, StatusCode::OK, "{after}");
        assert_eq!(
            pair(&after, "Kontakt Linköping", "LKDATA"),
            (kl_lk.0 + 2, kl_lk.1)
        );
        assert_eq!(
            pair(&after, "LKDATA", "Kontakt Linköping"),
            (lk_kl.0 + 1, lk_kl.1 + 1),
            "a hand-back is a hand-off the other way, counted among the hand-backs"
        );
        // The store's count agrees with the report's table.
        let units: Vec<_> = app
            .db
            .units()
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.id)
            .collect();
        let start = serva_domain::report::ActivityPeriod::new(
            year,
            chrono::NaiveDate::parse_from_str(&through, "%Y-%m-%d").unwrap(),
        );
        let pairs = app
            .db
            .handoff_pairs(&units, start.start, start.end)
            .await
            .unwrap();
        let total: i64 = pairs.iter().map(|p| p.handoffs).sum();
        let in_report: i64 = after["handoffs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["handoffs"].as_i64().unwrap())
            .sum();
        assert_eq!(
            in_report, total,
            "every hand-off of the day is between VSS's rows: {pairs:?}"
        );

        // The HTML report shows the table (PDF and DOCX render the same document model).
        let (s, html) = app
            .login("controller")
            .await
            .get(&format!("/api/v1/reports/interim?{q}&format=html"))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("Överlämningar mellan enheter"));
        assert!(html.contains("Varav tillbakalämnade"));
        assert!(html.contains(r#"<th scope="row">Kontakt Linköping</th><td>LKDATA</td>"#));

        // The follow-up page shows the same table.
        let (s, page) = app
            .login("controller")
            .await
            .get(&format!("/followup?{q}"))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("id=\"overlamningar\""));
        let row = format!(
        "<th scope=\"row\">Kontakt Linköping</th><td>LKDATA</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
        kl_lk.0 + 2,
        kl_lk.1
    );
        assert!(page.contains(&row), "the follow-up row {row}");
    }
);
