//! The interim report: the seed's figures from the demo data, access, approval and freezing.

use crate::dual;
use crate::tokens::sql;
use reqwest::StatusCode;
use serde_json::{json, Value};

const Q: &str = "/api/v1/reports/interim?org=VSS&year=2019&through=2019-08-31";

fn row<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["finance"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == name)
        .unwrap_or_else(|| panic!("no row {name}"))
}

dual!(report_reproduces_the_seed, |app| {
    let api = app.api("controller").await;
    let (s, r) = api.get(Q).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    // Driftsammandrag per 31/8 2019 and 2018, forecast, budget, deviation, year-end 2018 (tkr).
    let expected = [
        ("Ekonomiservice", -65, 113, -178, 0, 0, 0, 78),
        ("HR service", 433, -653, 1_086, 0, 0, 0, -1_050),
        ("Kontakt Linköping", 2_787, 647, 2_140, 2_000, 0, 2_000, -39),
        ("LKDATA", 12_976, 5_916, 7_060, 15_834, 3_346, 12_488, 8_811),
        ("Stadsarkivet", 87, 412, -325, 0, 0, 0, 0),
        ("VSS ledning", -203, 0, -203, -945, 0, -945, 0),
    ];
    assert_eq!(
        r["finance"]["units"].as_array().unwrap().len(),
        expected.len(),
        "Medarbetarkontoret is reported inside Kontakt Linköping"
    );
    for (name, ytd, prev, change, fc, budget, dev, actual) in expected {
        let u = row(&r, name);
        let got = (
            &u["outcome_ytd"],
            &u["outcome_ytd_prev"],
            &u["change"],
            &u["forecast"],
            &u["budget"],
            &u["deviation"],
            &u["actual_prev_year"],
        );
        assert_eq!(
            got,
            (
                &json!(ytd),
                &json!(prev),
                &json!(change),
                &json!(fc),
                &json!(budget),
                &json!(dev),
                &json!(actual)
            ),
            "{name}"
        );
    }
    assert_eq!(
        row(&r, "Kontakt Linköping")["predecessors"],
        json!(["Medborgarkontoret"])
    );
    assert!(row(&r, "LKDATA")["note"]
        .as_str()
        .unwrap()
        .contains("2 846 tkr"));
    let t = &r["finance"]["total"];
    assert_eq!(
        (
            &t["outcome_ytd"],
            &t["outcome_ytd_prev"],
            &t["change"],
            &t["forecast"],
            &t["budget"],
            &t["deviation"],
            &t["actual_prev_year"]
        ),
        (
            &json!(16_015),
            &json!(6_435),
            &json!(9_580),
            &json!(16_889),
            &json!(3_346),
            &json!(13_543),
            &json!(8_198)
        )
    );
    assert_eq!(
        r["finance"]["costs"],
        json!({ "forecast": 252_928, "budget": 263_577, "deviation": 10_648, "actual_prev_year": 219_200 })
    );
    assert_eq!(
        r["finance"]["revenues"],
        json!({ "forecast": 269_817, "budget": 266_923, "deviation": 2_894, "actual_prev_year": 227_398 })
    );
    // The seed's year-end column sums to 7 800 but says 8 198: the check names the gap.
    let check = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "finance_sum_actual_prev_year")
        .expect("a sum check");
    assert_eq!(check["severity"], "error");
    let msg = check["message"].as_str().unwrap();
    assert!(msg.contains("7\u{a0}800") || msg.contains("7 800"), "{msg}");
    assert!(msg.contains("398 tkr"), "{msg}");

    let inv = &r["investments"]["total"];
    assert_eq!(
        (
            &inv["spent"],
            &inv["income"],
            &inv["forecast_spent"],
            &inv["forecast_income"],
            &inv["forecast_net"],
            &inv["frame"],
            &inv["deviation"]
        ),
        (
            &json!(33_100),
            &json!(0),
            &json!(48_808),
            &json!(808),
            &json!(48_000),
            &json!(37_900),
            &json!(-10_100)
        )
    );
    let goals = r["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 11);
    let met: Vec<&str> = goals
        .iter()
        .filter(|g| g["assessment"] == "met")
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        met,
        [
            "God ekonomisk kontroll",
            "God finansiell ställning",
            "God tillgänglighet"
        ]
    );
    assert!(goals
        .iter()
        .all(|g| g["assessment"] == "met" || g["assessment"] == "partly_met"));

    let ind = |name: &str, gender: &str| {
        r["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name && i["gender"] == gender)
            .cloned()
            .unwrap_or_else(|| panic!("{name} {gender}"))
    };
    let sick = ind("Total sjukfrånvaro", "T");
    assert_eq!(
        (&sick["values"]["2019-08"], &sick["target"], &sick["status"]),
        (&json!(2.5), &json!(3.5), &json!("green"))
    );
    assert_eq!(
        ind("Total sjukfrånvaro", "K")["values"]["2019-08"],
        json!(3.3)
    );
    assert_eq!(
        ind("Total sjukfrånvaro", "M")["values"]["2019-08"],
        json!(1.5)
    );
    assert_eq!(
        ind("Hållbart medarbetarengagemang (HME)", "T")["status"],
        "yellow"
    );
    assert_eq!(ind("Chefers sjukfrånvaro", "T")["status"], "red");
    assert_eq!(
        ind("Attraktiv arbetsgivarindex (AVI)", "T")["status"],
        "grey"
    );

    let staff = r["staff"].as_array().unwrap();
    let employees = staff
        .iter()
        .find(|s| s["metric"] == "employees" && s["gender"] == "T")
        .unwrap();
    assert_eq!(
        (
            &employees["values"]["2019-08"],
            &employees["values"]["2018-08"]
        ),
        (&json!(175.0), &json!(141.0))
    );
    assert_eq!(r["assignments"].as_array().unwrap().len(), 5);
    assert!(r["internal_control"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["result"] == "unsatisfactory"));
    assert!(r["narratives"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["section"] == "uppdrag"));
    assert_eq!(r["meta"]["status"], "draft");

    // The same report as HTML, with Swedish number formats and described charts.
    let b = app.login("controller").await;
    let (s, html) = b.get(&format!("{Q}&format=html")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<html lang=\"sv\"") && html.contains("Delårsrapport"));
    assert!(
        html.contains("16\u{a0}015")
            && html.contains("252\u{a0}928")
            && html.contains("-10\u{a0}100")
    );
    assert!(html.contains("role=\"img\"") && html.contains("<desc"));
    assert!(
        html.contains("Omfattar även Medborgarkontoret")
            || html.contains("omfattar även Medborgarkontoret")
    );
});

dual!(report_as_pdf_and_docx, |app| {
    let api = app.api("controller").await;
    let get = |format: &'static str| {
        let req = api
            .client
            .get(app.url(&format!("{Q}&format={format}")))
            .bearer_auth(api.token.clone().unwrap());
        async move {
            let r = req.send().await.unwrap();
            let ct = r.headers()["content-type"].to_str().unwrap().to_string();
            (r.status(), ct, r.bytes().await.unwrap().to_vec())
        }
    };
    let (s, ct, pdf) = get("pdf").await;
    assert_eq!((s, ct.as_str()), (StatusCode::OK, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("/StructTreeRoot") && text.contains("/Alt"),
        "a tagged PDF with alternative texts"
    );
    let (s, ct, docx) = get("docx").await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.contains("wordprocessingml"));
    assert!(docx.starts_with(b"PK"), "a zip package");
});

dual!(approved_report_is_frozen, |app| {
    let chef = app.login("chef.vss").await;
    let (s, html) = chef
        .get("/reports/interim?org=VSS&year=2019&through=2019-08-31")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Godkänn rapporten") && html.contains("Kontroll före godkännande"));
    let api = app.api("chef.vss").await;
    let (_, before_html) = chef.get(&format!("{Q}&format=html")).await;

    let (s, _, loc) = chef
        .post(
            "/reports/interim/approve",
            &[("org", "VSS"), ("year", "2019"), ("through", "2019-08-31")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(loc.unwrap().ends_with("&ok=1"));
    let (_, approved) = api.get(Q).await;
    assert_eq!(approved["meta"]["status"], "approved");
    assert_eq!(approved["meta"]["approved_by"], "Vera Sundström");
    let (_, approved_html) = chef.get(&format!("{Q}&format=html")).await;
    assert_ne!(before_html, approved_html, "the approved report says so");

    // The data changes: LKDATA makes a new forecast on the report date's next day, and a new
    // forecast on the report date itself replaces the old one in the live data.
    let lkdata = app.db.unit_by_code("LKDATA").await.unwrap().id;
    let id = app.db.next_id("fin_forecast").await.unwrap();
    let mut bulk = app.db.begin_bulk().await.unwrap();
    bulk.insert(&[serva_store::bulk::ForecastRow {
        id,
        unit_id: lkdata.0,
        year: 2019,
        made_on: "2019-08-30".into(),
        revenue: 0,
        cost: 100_000_000,
        comment: Some("Ny".into()),
        author_id: None,
        created_at: 0,
    }])
    .await
    .unwrap();
    bulk.commit().await.unwrap();
    // Frozen: the same document as before the change, as JSON and as HTML.
    let (_, again) = api.get(Q).await;
    assert_eq!(again, approved);
    let (_, again_html) = chef.get(&format!("{Q}&format=html")).await;
    assert_eq!(again_html, approved_html);
    // A report for another date is computed live and sees the change.
    let (_, live) = api
        .get("/api/v1/reports/interim?org=VSS&year=2019&through=2019-08-30")
        .await;
    assert_eq!(live["meta"]["status"], "draft");
    assert_eq!(row(&live, "LKDATA")["forecast"], json!(-1_000));
    // Approving twice is a conflict; the approval is in the audit log.
    let (s, _) = api
        .post(
            "/api/v1/reports/interim/approve",
            &json!({ "org": "VSS", "year": 2019, "through": "2019-08-31" }),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let audit = app
        .db
        .audit_entries(&serva_store::audit::AuditFilter {
            entity: Some("interim_report".into()),
            limit: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
});

dual!(report_access_and_bad_parameters, |app| {
    for (user, status) in [
        ("admin", StatusCode::OK),
        ("controller", StatusCode::OK),
        ("chef.vss", StatusCode::OK),
        ("chef.lkdata", StatusCode::NOT_FOUND),
        ("handlaggare.kontakt", StatusCode::NOT_FOUND),
        ("admin.sof", StatusCode::NOT_FOUND),
        ("chef.uf", StatusCode::NOT_FOUND),
    ] {
        let api = app.api(user).await;
        assert_eq!(api.get(Q).await.0, status, "{user}");
        let b = app.login(user).await;
        assert_eq!(
            b.get("/reports/interim?org=VSS&year=2019&through=2019-08-31")
                .await
                .0,
            status,
            "{user} page"
        );
    }
    let controller = app.api("controller").await;
    let (s, body) = controller
        .post(
            "/api/v1/reports/interim/approve",
            &json!({ "org": "VSS", "year": 2019, "through": "2019-08-31" }),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    for (q, needle) in [
        ("org=VSS&year=2019", "through"),
        ("org=VSS&year=twenty&through=2019-08-31", "year"),
        ("org=VSS&year=2019&through=2019-02-30", "YYYY-MM-DD"),
        ("org=VSS&year=2019&through=2018-08-31", "not in 2019"),
        (
            "org=VSS&year=2019&through=2019-08-31&format=xlsx",
            "unknown format",
        ),
        ("org=VSS&year=2019&through=2019-08-31&colour=red", "colour"),
    ] {
        crate::harness::assert_api_error(
            &controller
                .get(&format!("/api/v1/reports/interim?{q}"))
                .await,
            400,
            needle,
        );
    }
    crate::harness::assert_api_error(
        &controller
            .get("/api/v1/reports/interim?org=NOPE&year=2019&through=2019-08-31")
            .await,
        404,
        "administration",
    );
});

dual!(a_failing_database_is_not_a_missing_administration, |app| {
    let api = app.api("controller").await;
    assert_eq!(
        api.get(Q).await.0,
        StatusCode::OK,
        "and the person is known"
    );
    // Only an unknown administration is a 404; when the units cannot be read, that is ours.
    sql(&app, "ALTER TABLE units RENAME TO units_away").await;
    let got = api.get(Q).await;
    sql(&app, "ALTER TABLE units_away RENAME TO units").await;
    assert_eq!(got.0, StatusCode::INTERNAL_SERVER_ERROR, "{}", got.1);
    assert_eq!(got.1["error"]["code"], "internal");
    assert_eq!(api.get(Q).await.0, StatusCode::OK);
});

dual!(an_unknown_stored_value_fails_loudly, |app| {
    // A goal area the domain does not know is a corrupt row, not quietly "operations".
    sql(
        &app,
        "UPDATE goals SET area = 'weather' WHERE id = (SELECT MIN(id) FROM goals)",
    )
    .await;
    let api = app.api("controller").await;
    let got = api.get(Q).await;
    assert_eq!(got.0, StatusCode::INTERNAL_SERVER_ERROR, "{}", got.1);
    let chef = app.login("chef.vss").await;
    assert_eq!(
        chef.get("/followup").await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
});

dual!(the_pages_offer_the_last_booked_month, |app| {
    // The demo's ledger runs to August 2019: that month's last day is offered.
    let b = app.login("controller").await;
    let (s, html) = b.get("/reports").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(r#"name="year" value="2019""#)
            && html.contains(r#"name="through" value="2019-08-31""#),
        "{html}"
    );
    let (s, html) = b.get("/followup").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(r#"name="through" value="2019-08-31""#));
    // A booking in a later month moves the date.
    sql(
        &app,
        "INSERT INTO fin_outcome (unit_id, year, month, revenue, cost) \
         SELECT id, 2019, 10, 1, 1 FROM units WHERE code = 'EKS'",
    )
    .await;
    let (_, html) = b.get("/reports").await;
    assert!(html.contains(r#"name="through" value="2019-10-31""#));
});
