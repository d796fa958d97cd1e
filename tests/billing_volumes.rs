//! Billing volumes beside closed cases: time recorded on cases (page and API), subscriptions
//! changed mid-month (pro rata), and volume files; each charged once, locked runs never
//! change, and customers never see time entries.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use serva_domain::billing::run::Source;

use crate::dual;
use crate::harness::{App, Browser};

/// A case of `service` ordered by the social services' administrator.
async fn order(app: &App, service: &str, fields: Value) -> i64 {
    let customer = app.api("admin.sof").await;
    let (s, c) = customer
        .post(
            "/api/v1/cases",
            &json!({ "service": service, "subject": format!("Beställning {service}"), "description": "Hej", "fields": fields }),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    c["id"].as_i64().unwrap()
}

/// Locks a month's run as the controller does, and returns its lines.
async fn lock(
    app: &App,
    controller: &Browser,
    month: &str,
) -> Vec<serva_domain::billing::run::ChargeLine> {
    let (s, body, loc) = controller.post("/billing/lock", &[("month", month)]).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(loc.unwrap(), format!("/billing?month={month}&locked=1"));
    let run = app.db.billing_run(month).await.unwrap().expect("locked");
    app.db.run_lines(run.id).await.unwrap()
}

dual!(
    time_on_a_case_is_charged_once_at_the_hourly_price_and_then_read_only,
    |app| {
        // LK-ANDRING is priced 850 kr an hour; the social services order a change.
        let case = order(&app, "LK-ANDRING", json!({ "system": "Agresso" })).await;
        let agent = app.login("handlaggare.lkdata").await;
        let (s, html) = agent.get(&format!("/cases/{case}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            html.contains("id=\"time-heading\"") && html.contains("Ingen tid är registrerad"),
            "{html}"
        );

        // Through the page: 1:30 on 5 March 2019.
        let (s, _, loc) = agent
            .post(
                &format!("/cases/{case}/time"),
                &[("day", "2019-03-05"), ("hours", "1:30"), ("note", "Analys")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(loc.unwrap(), format!("/cases/{case}?ok=time#time"));
        // Bad hours: said beside the field, nothing written.
        let (s, html, _) = agent
            .post(
                &format!("/cases/{case}/time"),
                &[("day", "2019-03-05"), ("hours", "en timme"), ("note", "")],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("time-hours-error") && html.contains("Skriv tiden som timmar"),
            "{html}"
        );
        let (s, html, _) = agent
            .post(
                &format!("/cases/{case}/time"),
                &[("day", "2019-03-05"), ("hours", "23"), ("note", "")],
            )
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "more than 24 hours that day"
        );
        assert!(html.contains("22,5 h kvar"), "{html}");

        // Through the API: 90 minutes the day after.
        let api = app.api("handlaggare.lkdata").await;
        let (s, e) = api
            .post(
                &format!("/api/v1/cases/{case}/time"),
                &json!({ "day": "2019-03-06", "hours": "90 min", "note": "Test" }),
            )
            .await;
        assert_eq!(s, 201, "{e}");
        assert_eq!(e["hours"], json!(1.5));
        let (s, e) = api
            .post(
                &format!("/api/v1/cases/{case}/time"),
                &json!({ "day": "2019-03-06", "hours": "0" }),
            )
            .await;
        assert_eq!(s, 422, "{e}");
        let (s, list) = api.get(&format!("/api/v1/cases/{case}/time")).await;
        assert_eq!(s, 200);
        assert_eq!(list["total_hours"], json!(3.0));
        assert_eq!(list["entries"].as_array().unwrap().len(), 2);

        // Customers never see time entries: not on the page, not through the API.
        let customer = app.login("admin.sof").await;
        let (s, html) = customer.get(&format!("/cases/{case}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            !html.contains("time-heading") && !html.contains("Analys"),
            "{html}"
        );
        let (s, _, _) = customer
            .post(
                &format!("/cases/{case}/time"),
                &[("day", "2019-03-05"), ("hours", "1"), ("note", "")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = app
            .api("admin.sof")
            .await
            .get(&format!("/api/v1/cases/{case}/time"))
            .await;
        assert_eq!(s, 403, "the customer sees the case, not its time");
        let (s, _) = app
            .api("chef.uf")
            .await
            .get(&format!("/api/v1/cases/{case}/time"))
            .await;
        assert_eq!(s, 404, "another customer does not see the case at all");

        // The run of March 2019 charges 3 hours × 850 kr to the social services, once.
        let controller = app.login("controller").await;
        let (_, html) = controller.get("/billing?month=2019-03").await;
        assert!(
            html.contains("LK-ANDRING") && html.contains("2\u{a0}550\u{a0}kr"),
            "{html}"
        );
        let lines = lock(&app, &controller, "2019-03").await;
        let time: Vec<_> = lines
            .iter()
            .filter(|l| matches!(l.volume.source, Source::Time(_)))
            .collect();
        assert_eq!(time.len(), 2);
        assert!(time
            .iter()
            .all(|l| l.price_ore == 85_000 && l.volume.customer == "SOF"));
        assert_eq!(time.iter().map(|l| l.amount_ore).sum::<i64>(), 255_000);
        assert!(
            app.db.billable_time("2019-03").await.unwrap().is_empty(),
            "charged once"
        );

        // Read-only once charged: the page says so, a change and a delete are refused.
        let (_, html) = agent.get(&format!("/cases/{case}")).await;
        assert!(html.contains("Debiterad – kan inte ändras"), "{html}");
        let entry = list["entries"][0]["id"].as_i64().unwrap();
        let (s, _, _) = agent
            .post(
                &format!("/cases/{case}/time/{entry}"),
                &[("day", "2019-03-05"), ("hours", "2"), ("note", "")],
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        let (s, _, _) = agent
            .post(&format!("/cases/{case}/time/{entry}/delete"), &[])
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        let (s, html, _) = agent
            .post(
                &format!("/cases/{case}/time"),
                &[("day", "2019-03-20"), ("hours", "1"), ("note", "")],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "March is locked");
        assert!(html.contains("är låst"), "{html}");
        let (_, list) = api.get(&format!("/api/v1/cases/{case}/time")).await;
        assert_eq!(list["total_hours"], json!(3.0), "nothing changed");

        // An entry not yet charged is the recorder's to change and delete.
        let (s, _, _) = agent
            .post(
                &format!("/cases/{case}/time"),
                &[("day", "2019-04-02"), ("hours", "1,5"), ("note", "")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, list) = api.get(&format!("/api/v1/cases/{case}/time")).await;
        let open = list["entries"][2]["id"].as_i64().unwrap();
        let (s, _, _) = agent
            .post(
                &format!("/cases/{case}/time/{open}"),
                &[("day", "2019-04-02"), ("hours", "2"), ("note", "Mer")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let other = app.login("chef.lkdata").await;
        let (s, _, _) = other
            .post(&format!("/cases/{case}/time/{open}/delete"), &[])
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "only one's own entries");
        let (s, _, _) = agent
            .post(&format!("/cases/{case}/time/{open}/delete"), &[])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, list) = api.get(&format!("/api/v1/cases/{case}/time")).await;
        assert_eq!(list["total_hours"], json!(3.0));
    }
);

dual!(
    a_subscription_changed_mid_month_is_charged_pro_rata_once_a_month,
    |app| {
        let controller = app.login("controller").await;
        // Ten computers for the social services from 1 January 2019 (350 kr a computer a month).
        let (s, body, loc) = controller
            .post(
                "/billing/subscriptions",
                &[
                    ("customer", "SOF"),
                    ("service", "LK-DATOR"),
                    ("quantity", "10"),
                    ("from", "2019-01-01"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
        let sub = loc.unwrap();
        assert!(
            sub.starts_with("/billing/subscriptions?saved=1&subscription="),
            "{sub}"
        );
        // A bad quantity is said beside its field.
        let (s, html, _) = controller
            .post(
                "/billing/subscriptions",
                &[
                    ("customer", "SOF"),
                    ("service", "LK-DATOR"),
                    ("quantity", "2,5"),
                    ("from", "2019-02-01"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("quantity-error") && html.contains("heltal"),
            "{html}"
        );

        // An order case raises it to 16 from 16 April: staff of LKDATA change it from the case.
        let case = order(
            &app,
            "LK-DATOR",
            json!({ "antal": "6", "modell": "Bärbar standard" }),
        )
        .await;
        let agent = app.login("handlaggare.lkdata").await;
        let (_, html) = agent.get(&format!("/cases/{case}")).await;
        assert!(html.contains("Ändra abonnemang"), "{html}");
        let (s, _, loc) = agent
            .post(
                &format!("/cases/{case}/subscription"),
                &[("quantity", "16"), ("from", "2019-04-16")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(
            loc.unwrap(),
            format!("/cases/{case}?ok=subscription#subscription")
        );
        // The customer cannot.
        let customer = app.login("admin.sof").await;
        let (_, html) = customer.get(&format!("/cases/{case}")).await;
        assert!(!html.contains("Ändra abonnemang"));
        let (s, _, _) = customer
            .post(
                &format!("/cases/{case}/subscription"),
                &[("quantity", "99"), ("from", "2019-05-01")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // The history links back to the case.
        let (_, html) = controller.get(&sub).await;
        assert!(html.contains(&format!("href=\"/cases/{case}\"")), "{html}");
        assert!(
            html.contains("2019-04-15") && html.contains("2019-04-16"),
            "{html}"
        );

        // April: 10 × 15/30 + 16 × 15/30 = 5 + 8 computers, 4 550 kr.
        let (_, html) = controller.get("/billing?month=2019-04").await;
        assert!(html.contains("4\u{a0}550\u{a0}kr"), "{html}");
        let lines = lock(&app, &controller, "2019-04").await;
        let mut q: Vec<(i64, i64)> = lines
            .iter()
            .filter(|l| matches!(l.volume.source, Source::Subscription(_)))
            .map(|l| (l.volume.quantity.0, l.amount_ore))
            .collect();
        q.sort_unstable();
        assert_eq!(q, vec![(5_000, 175_000), (8_000, 280_000)]);
        assert!(
            app.db
                .billable_subscriptions("2019-04")
                .await
                .unwrap()
                .is_empty(),
            "once a month"
        );
        // May: the whole month at 16.
        let lines = lock(&app, &controller, "2019-05").await;
        let may: Vec<_> = lines
            .iter()
            .filter(|l| matches!(l.volume.source, Source::Subscription(_)))
            .collect();
        assert_eq!(may.len(), 1);
        assert_eq!(
            (may[0].volume.quantity.0, may[0].amount_ore),
            (16_000, 560_000)
        );
        // A change reaching back into a locked month is refused.
        let (s, html, _) = agent
            .post(
                &format!("/cases/{case}/subscription"),
                &[("quantity", "20"), ("from", "2019-05-20")],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("är låst"), "{html}");
        // So is one before a locked month: it would change what April and May charged.
        let (s, html, _) = agent
            .post(
                &format!("/cases/{case}/subscription"),
                &[("quantity", "20"), ("from", "2019-03-10")],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("2019-04 är låst"), "{html}");
        // Nobody but controllers, administrators and managers sees the page.
        for who in ["admin.sof", "handlaggare.lkdata", "chef.uf"] {
            let b = app.login(who).await;
            assert_eq!(
                b.get("/billing/subscriptions").await.0,
                StatusCode::NOT_FOUND,
                "{who}"
            );
        }
        // The unit's manager sees their own services' subscriptions.
        let (s, html) = app
            .login("chef.lkdata")
            .await
            .get("/billing/subscriptions")
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("LK-DATOR"));
    }
);

async fn import(app: &App, body: &str) -> (StatusCode, Value) {
    app.api("controller")
        .await
        .raw(
            Method::POST,
            "/api/v1/imports/volumes",
            "text/csv",
            body.as_bytes().to_vec(),
        )
        .await
}

dual!(
    a_volume_file_is_all_or_nothing_and_charged_in_its_month,
    |app| {
        let bad = "customer;service;day;quantity;reference\n\
        SOF;LK-ANDRING;2019-06-10;2,5;A-1\n\
        SOF;LK-OKAND;2019-06-11;1;A-2\n\
        UF;LK-ANDRING;2019-06-12;-3;A-3\n";
        let (s, e) = import(&app, bad).await;
        assert_eq!(s, 422, "{e}");
        let errors = e["error"]["details"]["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 2, "{e}");
        assert_eq!(
            (errors[0]["line"].as_i64(), errors[0]["column"].as_str()),
            (Some(3), Some("service"))
        );
        assert_eq!(
            (errors[1]["line"].as_i64(), errors[1]["column"].as_str()),
            (Some(4), Some("quantity"))
        );
        assert!(
            app.db
                .billable_imported("2019-06")
                .await
                .unwrap()
                .is_empty(),
            "nothing written"
        );

        let good = "customer,service,day,quantity,reference\n\
        SOF,LK-ANDRING,2019-06-10,\"2,5\",A-1\n\
        UF,LK-ANDRING,2019-06-30,0.125,A-2\n";
        let (s, r) = import(&app, good).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["rows"], json!(2));
        let controller = app.login("controller").await;
        let lines = lock(&app, &controller, "2019-06").await;
        let mut imported: Vec<(String, i64, i64)> = lines
            .iter()
            .filter(|l| matches!(l.volume.source, Source::Imported(_)))
            .map(|l| (l.volume.customer.clone(), l.volume.quantity.0, l.amount_ore))
            .collect();
        imported.sort();
        // 2,5 h and 0,125 h at 850 kr.
        assert_eq!(
            imported,
            vec![("SOF".into(), 2_500, 212_500), ("UF".into(), 125, 10_625)]
        );
        assert!(
            app.db
                .billable_imported("2019-06")
                .await
                .unwrap()
                .is_empty(),
            "charged once"
        );

        // A row in a locked month is refused with its line.
        let late = "customer;service;day;quantity;reference\nSOF;LK-ANDRING;2019-06-15;1;A-4\n";
        let (s, e) = import(&app, late).await;
        assert_eq!(s, 422, "{e}");
        let errors = e["error"]["details"]["errors"].as_array().unwrap();
        assert_eq!(errors[0]["line"].as_i64(), Some(2));
        assert!(
            errors[0]["message"].as_str().unwrap().contains("locked"),
            "{e}"
        );
    }
);
