//! Follow-up work in Serva: forecasts, assessments and texts with their workflow.

use crate::dual;
use reqwest::StatusCode;
use serde_json::json;

const Q: &str = "/api/v1/reports/interim?org=VSS&year=2019&through=2019-08-31";
const HIDDEN: [(&str, &str); 3] = [("org", "VSS"), ("year", "2019"), ("through", "2019-08-31")];

dual!(
    unit_manager_forecasts_head_assesses_and_approves_texts,
    |app| {
        // The LKDATA manager revises the forecast; the report follows.
        let lk = app.login("chef.lkdata").await;
        let (s, html) = lk.get("/followup/forecasts").await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("Spara prognos"));
        let mut form = HIDDEN.to_vec();
        form.extend([
            ("unit", "LKDATA"),
            ("revenue", "150 000 000"),
            ("cost", "135 000 000,50"),
            ("comment", "Fler vakanser"),
        ]);
        let (s, _, loc) = lk.post("/followup/forecasts", &form).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(loc.unwrap().contains("ok=forecast"));
        let api = app.api("controller").await;
        let (_, r) = api.get(Q).await;
        let lkdata = r["finance"]["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["name"] == "LKDATA")
            .unwrap()
            .clone();
        assert_eq!(
            (&lkdata["forecast"], &lkdata["deviation"]),
            (&json!(15_000), &json!(11_654))
        );
        let mut other = HIDDEN.to_vec();
        other.extend([("unit", "KL"), ("revenue", "1"), ("cost", "1")]);
        assert_eq!(
            lk.post("/followup/forecasts", &other).await.0,
            StatusCode::NOT_FOUND,
            "only their own unit"
        );
        let mut bad = HIDDEN.to_vec();
        bad.extend([("unit", "LKDATA"), ("revenue", "mycket"), ("cost", "1")]);
        let (s, html, _) = lk.post("/followup/forecasts", &bad).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("belopp i kronor"));

        // The head of VSS assesses a goal.
        let chef = app.login("chef.vss").await;
        let goal = r["goals"][0]["name"].as_str().unwrap().to_string();
        let (_, html) = chef.get("/followup/goals").await;
        let at =
            html.find("action=\"/followup/goals/").unwrap() + "action=\"/followup/goals/".len();
        let goal_id: String = html[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let mut form = HIDDEN.to_vec();
        form.extend([("assessment", "met"), ("analysis", "Nu uppfyllt.")]);
        let (s, _, _) = chef
            .post(&format!("/followup/goals/{goal_id}"), &form)
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, r) = api.get(Q).await;
        let g = r["goals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == goal.as_str())
            .unwrap()
            .clone();
        assert_eq!(
            (&g["assessment"], &g["analysis"]),
            (&json!("met"), &json!("Nu uppfyllt."))
        );
        assert_eq!(
            lk.post(&format!("/followup/goals/{goal_id}"), &form)
                .await
                .0,
            StatusCode::NOT_FOUND
        );

        // A text: the controller changes it (draft) and submits it; only the head approves it.
        let controller = app.login("controller").await;
        let (_, html) = controller.get("/followup/texts").await;
        let at = html.find("href=\"/followup/texts/").unwrap() + "href=\"/followup/texts/".len();
        let text_id: String = html[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let path = format!("/followup/texts/{text_id}");
        let (s, _, _) = controller
            .post(
                &path,
                &[("body", "Ny text om uppdraget.\n\nAndra stycket.")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, r) = api.get(Q).await;
        assert!(r["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "narrative_not_approved"));
        let (s, _, _) = controller
            .post(&format!("{path}/status"), &[("status", "approved")])
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "a controller cannot approve");
        let (s, _, _) = controller
            .post(&format!("{path}/status"), &[("status", "submitted")])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, html, _) = controller
            .post(&format!("{path}/status"), &[("status", "submitted")])
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        let (s, _, _) = chef
            .post(&format!("{path}/status"), &[("status", "approved")])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, html) = chef.get(&path).await;
        assert!(
            html.contains("Godkänd") && html.contains("Inlämnad") && html.contains("Utkast"),
            "history shows every step"
        );
        let (_, r) = api.get(Q).await;
        let n = r["narratives"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["body"] == "Ny text om uppdraget.\n\nAndra stycket.")
            .unwrap()
            .clone();
        assert_eq!(n["status"], "approved");
        assert!(!r["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "narrative_not_approved"));
        assert_eq!(
            app.login("handlaggare.lkdata").await.get(&path).await.0,
            StatusCode::NOT_FOUND
        );

        // An indicator value entered by hand, and an event written for the report.
        let mut form = HIDDEN.to_vec();
        form.extend([
            ("indicator", "VSS-IND-04"),
            ("period", "2019-08"),
            ("gender", "T"),
            ("value", "81"),
            ("target", "80"),
        ]);
        assert_eq!(
            chef.post("/followup/indicators", &form).await.0,
            StatusCode::SEE_OTHER
        );
        let mut bad = HIDDEN.to_vec();
        bad.extend([
            ("indicator", "VSS-IND-04"),
            ("period", "augusti"),
            ("gender", "T"),
            ("value", "81"),
        ]);
        assert_eq!(
            chef.post("/followup/indicators", &bad).await.0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let mut form = HIDDEN.to_vec();
        form.extend([
            ("decision", "false"),
            ("body", "Serva togs i drift.\n– Alla köer flyttade"),
        ]);
        assert_eq!(
            chef.post("/followup/events", &form).await.0,
            StatusCode::SEE_OTHER
        );
        let (_, r) = api.get(Q).await;
        let hme = r["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["code"] == "VSS-IND-04" && i["gender"] == "T")
            .unwrap()
            .clone();
        assert_eq!(
            (&hme["values"]["2019-08"], &hme["status"]),
            (&json!(81.0), &json!("green"))
        );
        assert!(r["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["body"] == "Serva togs i drift.\n– Alla köer flyttade"
                && e["decision"] == false));
        let (_, html) = chef.get("/followup/texts").await;
        let at = html.rfind("href=\"/followup/events/").unwrap() + "href=\"/followup/events/".len();
        let event_id: String = html[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        // Asked first, on a page of its own.
        let (s, html) = chef
            .get(&format!(
                "/followup/events/{event_id}/delete?org=VSS&year=2019&through=2019-08-31"
            ))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            html.contains("Ja, ta bort") && html.contains("Serva togs i drift."),
            "{html}"
        );
        assert_eq!(
            chef.post(&format!("/followup/events/{event_id}/delete"), &HIDDEN)
                .await
                .0,
            StatusCode::SEE_OTHER
        );
        let (_, r) = api.get(Q).await;
        assert!(!r["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["body"].as_str().unwrap().starts_with("Serva togs")));
    }
);

dual!(
    case_rollups_follow_every_write_and_the_local_calendar,
    |app| {
        use serva_domain::case::{CaseStatus, Channel};
        use serva_domain::role::TargetGroup;
        use serva_domain::time::{day_number, local_day};
        use serva_store::bulk::CaseRow;
        let svc = app.db.service_by_code("KL-FRAGA").await.unwrap();
        let ms = |s: &str| {
            chrono::DateTime::parse_from_rfc3339(s)
                .unwrap()
                .timestamp_millis()
        };
        // Instants either side of local midnights, in winter and summer time and across the
        // changes of clock, and the day each belongs to in Stockholm.
        let edges = [
            ("2019-03-30T22:59:59.999Z", "2019-03-30"),
            ("2019-03-30T23:00:00Z", "2019-03-31"),
            ("2019-03-31T00:59:59Z", "2019-03-31"),
            ("2019-03-31T01:00:00Z", "2019-03-31"),
            ("2019-06-30T21:59:59.999Z", "2019-06-30"),
            ("2019-06-30T22:00:00Z", "2019-07-01"),
            ("2019-10-26T21:59:59.999Z", "2019-10-26"),
            ("2019-10-26T22:00:00Z", "2019-10-27"),
            ("2019-10-27T00:59:59Z", "2019-10-27"),
            ("2019-10-27T01:00:00Z", "2019-10-27"),
            ("2019-12-31T22:59:59.999Z", "2019-12-31"),
            ("2019-12-31T23:00:00Z", "2020-01-01"),
        ];
        let first = app.db.next_id("cases").await.unwrap();
        let mut rows = Vec::new();
        for (i, (at, day)) in edges.iter().enumerate() {
            let t = ms(at);
            assert_eq!(
                local_day(t),
                day_number(chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap()),
                "{at}"
            );
            let closed = (i % 2 == 0).then(|| ms(edges[(i + 5) % edges.len()].0));
            rows.push(CaseRow {
                id: first + i as i64,
                service_id: svc.id.0,
                unit_id: svc.unit_id.0,
                customer_unit_id: None,
                requester_id: None,
                requester_name: Some("Kantfall".into()),
                target_group: (i % 3 == 0).then_some(TargetGroup::Manager),
                channel: if i % 2 == 0 {
                    Channel::Phone
                } else {
                    Channel::Chat
                },
                status: if closed.is_some() {
                    CaseStatus::Closed
                } else {
                    CaseStatus::New
                },
                subject: format!("Kantfall {at}").into(),
                description: "Dygnsgräns".into(),
                form_data: "[]".into(),
                assignee_id: None,
                first_contact_resolution: i % 4 == 0,
                created_at: t,
                updated_at: t,
                first_response_at: closed,
                resolved_at: closed,
                closed_at: closed,
                search_text: serva_store::cases::case_search_text(at, "", &[], None).into(),
                contact_id: None,
            });
            assert_eq!(rows[i].created_day(), local_day(t));
        }
        let mut bulk = app.db.begin_bulk().await.unwrap();
        bulk.cases(&rows).await.unwrap();
        bulk.commit().await.unwrap();
        assert_eq!(
            app.db.case_rollup_mismatches().await.unwrap(),
            Vec::<String>::new()
        );

        // New cases, closings and reopenings through the API keep them in step.
        let api = app.api("handlaggare.kontakt").await;
        let mut ids = Vec::new();
        for i in 0..4 {
            let (s, c) = api
            .post(
                "/api/v1/cases",
                &json!({ "service": "KL-FRAGA", "subject": format!("Räknas {i}"), "description": "x", "channel": "phone" }),
            )
            .await;
            assert_eq!(s, StatusCode::CREATED, "{c}");
            ids.push(c["id"].as_i64().unwrap());
        }
        for (i, id) in ids.iter().enumerate() {
            for status in ["open", "resolved", "closed"].iter().take(1 + i % 3) {
                let (s, c) = api
                    .patch(&format!("/api/v1/cases/{id}"), &json!({ "status": status }))
                    .await;
                assert_eq!(s, StatusCode::OK, "{c}");
            }
        }
        // Closing the edge cases goes through the row triggers, on the days the store works
        // out for the closings (the bulk load above counted its cases itself).
        for i in (1..edges.len() as i64).step_by(2) {
            for status in ["open", "resolved", "closed"] {
                let (s, c) = api
                    .patch(
                        &format!("/api/v1/cases/{}", first + i),
                        &json!({ "status": status }),
                    )
                    .await;
                assert_eq!(s, StatusCode::OK, "{c}");
            }
        }
        assert_eq!(
            app.db.case_rollup_mismatches().await.unwrap(),
            Vec::<String>::new()
        );

        // The report counts the edge cases on their local days: five fall in 2019 up to 30 June,
        // in ISO weeks 13 (Saturday 30 and Sunday 31 March) and 26 (Sunday 30 June).
        let controller = app.api("controller").await;
        let (s, r) = controller
            .get("/api/v1/reports/interim?org=VSS&year=2019&through=2019-06-30")
            .await;
        assert_eq!(s, StatusCode::OK, "{r}");
        let kl = r["operations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["code"] == "KL")
            .unwrap()
            .clone();
        assert_eq!(kl["cases"], json!(5), "{kl}");
        let weeks: Vec<(String, i64)> = kl["weekly"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["cases"].as_i64().unwrap() > 0)
            .map(|w| {
                (
                    w["week"].as_str().unwrap().to_string(),
                    w["cases"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            weeks,
            [("2019-V13".to_string(), 4), ("2019-V26".to_string(), 1)]
        );
        let (_, r) = controller
            .get("/api/v1/reports/interim?org=VSS&year=2019&through=2019-12-31")
            .await;
        let kl = r["operations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["code"] == "KL")
            .unwrap()
            .clone();
        assert_eq!(
            kl["cases"],
            json!(11),
            "the last one is 1 January 2020 in Stockholm"
        );
    }
);
