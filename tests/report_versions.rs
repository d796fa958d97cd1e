//! Report versions: an approved date is frozen; a later change to its data is saved with a
//! warning, the list of reports shows the draft now differs, and the draft can be approved as
//! version 2 with version 1 kept as it was.

use crate::dual;
use reqwest::StatusCode;
use serde_json::{json, Value};

const Q: &str = "/api/v1/reports/interim?org=VSS&year=2019&through=2019-08-31";
const PAGE: &str = "/reports/interim?org=VSS&year=2019&through=2019-08-31";
const HIDDEN: [(&str, &str); 3] = [("org", "VSS"), ("year", "2019"), ("through", "2019-08-31")];
const WARNING: &str =
    "Rapporten för 2019-08-31 är fastställd; ändringen räknas inte i den fastställda versionen.";

fn lkdata_forecast(r: &Value) -> Value {
    r["finance"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "LKDATA")
        .unwrap()["forecast"]
        .clone()
}

dual!(
    approved_versions_stay_frozen_and_a_changed_draft_becomes_version_2,
    |app| {
        let chef = app.login("chef.vss").await;
        let api = app.api("chef.vss").await;
        let (_, draft) = api.get(Q).await;
        assert_eq!(draft["meta"]["status"], "draft");

        // Nothing approved yet: the list shows the date as a draft, not approved.
        let (s, list) = chef.get("/reports").await;
        assert_eq!(s, StatusCode::OK);
        assert!(list.contains("Utkast och fastställda versioner"), "{list}");
        assert!(list.contains("2019-08-31") && list.contains("Inte fastställd"));

        let (s, _, _) = chef.post("/reports/interim/approve", &HIDDEN).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, v1) = api.get(Q).await;
        assert_eq!(v1["meta"]["status"], "approved");
        let (_, v1_html) = chef.get(&format!("{Q}&version=1&format=html")).await;
        let (_, page) = chef.get(PAGE).await;
        assert!(page.contains("Fastställd version 1"), "{page}");
        assert!(page.contains("Fastställd ") && page.contains(" av Vera Sundström"));
        assert!(page.contains("Versionen är fryst"));
        assert!(!page.contains("Godkänn"), "nothing new to approve");
        let (_, list) = chef.get("/reports").await;
        assert!(list.contains("Samma som fastställd version 1"), "{list}");

        // A unit manager saves a 99 Mkr forecast into the approved date: saved, with a warning.
        let lk = app.login("chef.lkdata").await;
        let mut form = HIDDEN.to_vec();
        form.extend([
            ("unit", "LKDATA"),
            ("revenue", "0"),
            ("cost", "99 000 000"),
            ("comment", "Efter fastställandet"),
        ]);
        let (s, _, loc) = lk.post("/followup/forecasts", &form).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, after) = lk.get(&loc.unwrap()).await;
        assert!(after.contains("Prognosen är sparad."));
        assert!(after.contains(WARNING), "{after}");
        assert!(after.contains(r#"class="notice warning" role="alert""#));

        // The approved version is unchanged, as JSON and as HTML; the draft has the new forecast.
        let (_, frozen) = api.get(Q).await;
        assert_eq!(frozen, v1);
        let (_, frozen_v1) = api.get(&format!("{Q}&version=1")).await;
        assert_eq!(frozen_v1, v1);
        let (_, html_again) = chef.get(&format!("{Q}&version=1&format=html")).await;
        assert_eq!(html_again, v1_html);
        let (_, live) = api.get(&format!("{Q}&version=utkast")).await;
        assert_eq!(live["meta"]["status"], "draft");
        assert_eq!(lkdata_forecast(&live), json!(-99_000));
        assert_ne!(lkdata_forecast(&v1), json!(-99_000));

        // The list and the version's page say the draft now differs.
        let (_, list) = chef.get("/reports").await;
        assert!(
            list.contains("Skiljer sig från fastställd version 1"),
            "{list}"
        );
        let (_, page) = chef.get(PAGE).await;
        assert!(page.contains("Underlaget har ändrats sedan versionen fastställdes"));
        let (_, draft_page) = chef.get(&format!("{PAGE}&version=utkast")).await;
        assert!(draft_page.contains("Utkastet skiljer sig från fastställd version 1"));
        assert!(draft_page.contains("Godkänn som version 2"));

        // Version 2: the draft approved; version 1 kept as it was.
        let (s, _, _) = chef.post("/reports/interim/approve", &HIDDEN).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, v2) = api.get(Q).await;
        assert_eq!(v2["meta"]["status"], "approved");
        assert_eq!(lkdata_forecast(&v2), json!(-99_000));
        let (_, v2_explicit) = api.get(&format!("{Q}&version=2")).await;
        assert_eq!(v2_explicit, v2);
        let (_, still_v1) = api.get(&format!("{Q}&version=1")).await;
        assert_eq!(still_v1, v1);
        let (_, list) = chef.get("/reports").await;
        assert!(list.contains("Samma som fastställd version 2"), "{list}");
        assert!(list.contains("(gällande)") && list.contains("(ersatt)"));
        let (_, old_page) = chef.get(&format!("{PAGE}&version=1")).await;
        assert!(old_page.contains("Versionen är ersatt av version 2"));

        // Approving an unchanged draft again is a conflict; an unknown version is not found, a
        // bad one a bad request; both approvals are in the audit log.
        let (s, _) = api
            .post(
                "/api/v1/reports/interim/approve",
                &json!({ "org": "VSS", "year": 2019, "through": "2019-08-31" }),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_eq!(
            api.get(&format!("{Q}&version=3")).await.0,
            StatusCode::NOT_FOUND
        );
        crate::harness::assert_api_error(
            &api.get(&format!("{Q}&version=tre")).await,
            400,
            "version",
        );
        assert_eq!(
            chef.get(&format!("{PAGE}&version=3")).await.0,
            StatusCode::NOT_FOUND
        );
        let audit = app
            .db
            .audit_entries(&serva_store::audit::AuditFilter {
                entity: Some("interim_report".into()),
                limit: 5,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(audit.len(), 2);

        // A change for a later date reaches no approved version: no warning.
        let mut later = vec![("org", "VSS"), ("year", "2019"), ("through", "2019-09-30")];
        later.extend([("unit", "LKDATA"), ("revenue", "0"), ("cost", "1 000")]);
        let (s, _, loc) = lk.post("/followup/forecasts", &later).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, after) = lk.get(&loc.unwrap()).await;
        assert!(after.contains("Prognosen är sparad.") && !after.contains("är fastställd"));
    }
);
