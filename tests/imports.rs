//! A second administration, imported only through the documented formats, gets a correct
//! report; bad files are refused whole, with line and column.

use crate::dual;
use crate::harness::{assert_api_error, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn import(api: &Api, kind: &str, body: &str) -> (StatusCode, Value) {
    api.raw(
        Method::POST,
        &format!("/api/v1/imports/{kind}"),
        "text/csv",
        body.as_bytes().to_vec(),
    )
    .await
}

const UNITS: &str = "code,name,kind,parent,erp_code\n\
    GIS,GIS-enheten,unit,SBF,3010\n\
    SBF,Samhällsbyggnadsservice,administration,LK,30\n\
    BYGG,Bygglovsservice,unit,SBF,3020\n";

const SIE: &str = "#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#RAR 0 20200101 20201231\n#DIM 1 \"Ansvar\"\n\
    #VER A 1 20190210 \"Q1\"\n{\n#TRANS 3010 {1 \"3010\"} -3000000\n#TRANS 5010 {1 \"3010\"} 3500000\n#TRANS 1930 {} -500000\n}\n\
    #VER A 2 20190615\n{\n#TRANS 3010 {1 \"3010\"} -7000000\n#TRANS 5010 {1 \"3010\"} 5500000\n#TRANS 1930 {} 1500000\n}\n\
    #VER A 3 20200315\n{\n#TRANS 3010 {1 \"3010\"} -4000000\n#TRANS 7010 {1 \"3010\"} 3200000 20200320\n#TRANS 1930 {} 800000\n}\n\
    #VER A 4 20200110\n{\n#TRANS 3010 {1 \"3020\"} -2000000\n#TRANS 4010 {1 \"3020\"} 2250500 20200111\n#TRANS 1930 {} -250500\n}\n";

dual!(second_administration_through_imports_only, |app| {
    let admin = app.api("admin").await;
    for (kind, body) in [
        ("units", UNITS),
        ("budget", "year;unit;revenue;cost\n2020;GIS;12 500 000;12 500 000\n2020;BYGG;8 000 000,00;7 600 000\n"),
        ("forecast", "year,through,unit,revenue,cost\n2020,2020-04-30,GIS,12800000,12000000\n2020,2020-04-30,BYGG,8000000,8300000\n2020,2020-05-31,BYGG,1,999999999\n"),
        ("investments", "year,unit,project,frame,spent,income,forecast_spent,forecast_income\n2020,BYGG,E-tjänst bygglov,1000000,250000,0,1200000,100000\n"),
        ("calls", "call_id,unit,offered_at,wait_seconds,answered\nb1,BYGG,2020-03-02T09:00:00,30,true\nb2,BYGG,2020-03-02T09:05:00,60,1\nb3,BYGG,2020-03-02 09:10,200,true\nb4,BYGG,2020-03-02T09:15:00,3,false\nb5,BYGG,2020-03-02T09:20:00,100,nej\n"),
        ("indicators", "code,unit,name,measure,direction,goal,band_low,band_high,period_type,kolada_id,min_group_size,computed_from\n\
            SBF-NKI,SBF,Nöjd kund-index,index,higher,,,,year,U00405,0,\n\
            SBF-SL,SBF,Svarsservice bygglov,%,higher,,,,month,,,service_level:BYGG\n"),
        ("indicator_values", "indicator,unit,period,gender,value,target\nSBF-NKI,SBF,2019,T,70,\nSBF-NKI,SBF,2020-04,T,75,74\nSBF-NKI,SBF,2019,K,68,\nSBF-NKI,SBF,2020-04,K,65,74\nSBF-SL,SBF,2020-04,T,,80\n"),
        ("goals", "year,unit,area,municipal_goal,name,description\n2020,SBF,operations,En effektiv service,Snabba bygglov,Beslut inom tio veckor\n2020,SBF,staff,Attraktiv arbetsgivare,Goda arbetsplatser,\n"),
        ("staff", "period,unit,gender,metric,value,target\n2020-04,SBF,T,employees,42,\n2020-04,SBF,T,sick_leave,\"3,1\",4\n2020-04,SBF,K,sick_leave,3.5,4\n"),
        ("assignments", "year,unit,common,text,status,comment\n2020,SBF,true,Öka takten i digitaliseringen,not_started,\n"),
        ("controls", "year,unit,name,risk,method,frequency,owner\n2020,BYGG,Handläggningstider,Försenade beslut,Stickprov,Kvartalsvis,Enhetschef\n"),
    ] {
        let (s, body) = import(&admin, kind, body).await;
        assert_eq!(s, StatusCode::OK, "{kind}: {body}");
    }
    let (s, body) = admin
        .raw(
            Method::POST,
            "/api/v1/imports/sie",
            "application/octet-stream",
            SIE.as_bytes().to_vec(),
        )
        .await;
    assert_eq!((s, &body["rows"]), (StatusCode::OK, &json!(4)), "{body}");

    let (s, r) = admin
        .get("/api/v1/reports/interim?org=SBF&year=2020&through=2020-04-30")
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let rows = r["finance"]["units"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Bygglovsservice", "GIS-enheten"]);
    let cols = |u: &Value| {
        (
            u["outcome_ytd"].clone(),
            u["outcome_ytd_prev"].clone(),
            u["forecast"].clone(),
            u["budget"].clone(),
            u["deviation"].clone(),
            u["actual_prev_year"].clone(),
        )
    };
    // BYGG: −250,5 tkr rounds away from zero; GIS: +800 now, −500 a year ago, +1 000 for 2019.
    assert_eq!(
        cols(&rows[0]),
        (
            json!(-251),
            json!(0),
            json!(-300),
            json!(400),
            json!(-700),
            json!(0)
        )
    );
    assert_eq!(
        cols(&rows[1]),
        (
            json!(800),
            json!(-500),
            json!(800),
            json!(0),
            json!(800),
            json!(1_000)
        )
    );
    assert_eq!(
        cols(&r["finance"]["total"]),
        (
            json!(550),
            json!(-500),
            json!(500),
            json!(400),
            json!(100),
            json!(1_000)
        )
    );
    assert_eq!(
        r["finance"]["costs"],
        json!({ "forecast": 20_300, "budget": 20_100, "deviation": -200, "actual_prev_year": 9_000 })
    );
    assert_eq!(r["investments"]["total"]["forecast_net"], json!(1_100));
    assert_eq!(r["investments"]["total"]["deviation"], json!(-100));
    let bygg = r["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == "BYGG")
        .expect("BYGG's phone queue");
    assert_eq!(
        (
            &bygg["calls_offered"],
            &bygg["service_level"],
            &bygg["abandon_rate"]
        ),
        (&json!(4), &json!(50.0), &json!(25.0))
    );
    let nki: Vec<(&str, &str)> = r["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "SBF-NKI")
        .map(|i| (i["gender"].as_str().unwrap(), i["status"].as_str().unwrap()))
        .collect();
    assert_eq!(nki, [("T", "green"), ("K", "red")]);
    // An indicator computed from Serva's own calls: BYGG answered 2 of 4 offered calls in time.
    let sl = r["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "SBF-SL")
        .unwrap()
        .clone();
    assert_eq!(
        (&sl["values"]["2020-04"], &sl["target"], &sl["status"]),
        (&json!(50.0), &json!(80.0), &json!("grey"))
    );
    assert_eq!(
        r["indicators"].as_array().unwrap()[0]["kolada_id"],
        json!("U00405")
    );
    assert!(r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["code"] != "finance_sum_outcome_ytd"));

    // The queue's rule is a setting: with a 60-second threshold only two of four calls count,
    // and with a grace period of 120 s the call abandoned after 100 s is no longer offered.
    let b = app.login("admin").await;
    let (s, _, _) = b
        .post(
            "/admin/queues/BYGG",
            &[
                ("answer_within_seconds", "60"),
                ("abandon_grace_seconds", "120"),
                ("target_percent", "90"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, html, _) = b
        .post(
            "/admin/queues/BYGG",
            &[
                ("answer_within_seconds", "0"),
                ("abandon_grace_seconds", "5"),
                ("target_percent", "80"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    let (_, r2) = admin
        .get("/api/v1/reports/interim?org=SBF&year=2020&through=2020-04-30")
        .await;
    let bygg = r2["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == "BYGG")
        .unwrap()
        .clone();
    assert_eq!(
        (&bygg["calls_offered"], &bygg["service_level_target"]),
        (&json!(3), &json!(90.0))
    );
    let sl = bygg["service_level"].as_f64().unwrap();
    assert!((sl - 200.0 / 3.0).abs() < 1e-9, "{sl}");

    // Goals, staff, assignments and control points came in by import; results are entered in Serva.
    let q = "org=SBF&year=2020&through=2020-04-30";
    let html = b.get(&format!("/followup/control?{q}")).await.1
        + &b.get(&format!("/followup/assignments?{q}")).await.1;
    let id_after = |marker: &str| {
        let at = html
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} in the follow-up page"))
            + marker.len();
        html[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
    };
    let (control, assignment) = (
        id_after("action=\"/followup/controls/"),
        id_after("action=\"/followup/assignments/"),
    );
    let hidden = [("org", "SBF"), ("year", "2020"), ("through", "2020-04-30")];
    let mut form = hidden.to_vec();
    form.extend([
        ("result", "partly_satisfactory"),
        ("findings", "Två ärenden över tio veckor"),
        ("actions", "Ny rutin"),
        ("carries_over", "true"),
    ]);
    assert_eq!(
        b.post(&format!("/followup/controls/{control}"), &form)
            .await
            .0,
        StatusCode::SEE_OTHER
    );
    let mut form = hidden.to_vec();
    form.extend([
        ("status", "actions_taken"),
        ("comment", "E-tjänst lanserad"),
    ]);
    assert_eq!(
        b.post(&format!("/followup/assignments/{assignment}"), &form)
            .await
            .0,
        StatusCode::SEE_OTHER
    );
    let (_, r3) = admin
        .get("/api/v1/reports/interim?org=SBF&year=2020&through=2020-04-30")
        .await;
    let goals: Vec<&str> = r3["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(goals, ["Snabba bygglov", "Goda arbetsplatser"]);
    assert!(r3["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["code"] == "goal_not_assessed"));
    let sick = r3["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["metric"] == "sick_leave" && s["gender"] == "T")
        .unwrap()
        .clone();
    assert_eq!(
        (&sick["values"]["2020-04"], &sick["target"]),
        (&json!(3.1), &json!(4.0))
    );
    assert_eq!(r3["assignments"][0]["status"], "actions_taken");
    let c = &r3["internal_control"][0];
    assert_eq!(
        (&c["unit"], &c["result"], &c["carries_over"]),
        (&json!("BYGG"), &json!("partly_satisfactory"), &json!(true))
    );

    // Importing the same files again changes nothing.
    let (s, _) = import(&admin, "units", UNITS).await;
    assert_eq!(s, StatusCode::OK);
    let (_, again) = admin
        .get("/api/v1/reports/interim?org=SBF&year=2020&through=2020-04-30")
        .await;
    assert_eq!(again["finance"], r["finance"]);
});

dual!(bad_import_files_are_refused_whole, |app| {
    let admin = app.api("admin").await;
    let (s, _) = import(
        &admin,
        "budget",
        "year,unit,revenue,cost\n2020,EKS,100,100\n",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // One good row that would change the budget, then two bad rows: nothing changes.
    let got = import(
        &admin,
        "budget",
        "year,unit,revenue,cost\n2020,EKS,999,0\n2020,EKS,tio,0\n2020,NOPE,1,1\n",
    )
    .await;
    assert_api_error(&got, 422, "nothing was imported");
    let errors = got.1["error"]["details"]["errors"].as_array().unwrap();
    let at: Vec<(u64, &str)> = errors
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(at, [(3, "revenue"), (4, "unit")]);
    assert!(errors[1]["message"].as_str().unwrap().contains("NOPE"));
    let (_, r) = admin
        .get("/api/v1/reports/interim?org=VSS&year=2020&through=2020-01-31")
        .await;
    let eks = r["finance"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "Ekonomiservice")
        .unwrap()
        .clone();
    assert_eq!(
        eks["budget"],
        json!(0),
        "still the first budget (100 − 100)"
    );

    for (kind, body, needle) in [
        ("budget", "year,unit,revenue\n", "lacks column \"cost\""),
        ("budget", "", "empty"),
        (
            "calls",
            "call_id,unit,offered_at,wait_seconds,answered\nx,KL,2019-08-30T09:00:00,-4,true\n",
            "wait",
        ),
        (
            "calls",
            "call_id,unit,offered_at,wait_seconds,answered\nx,KL,30/8 2019,4,kanske\n",
            "local time",
        ),
        (
            "forecast",
            "year,through,unit,revenue,cost\n2019,2020-01-31,EKS,1,1\n",
            "not in 2019",
        ),
        (
            "units",
            "code,name,kind,parent,erp_code\nny enhet,X,unit,,\n",
            "unit code",
        ),
        (
            "units",
            "code,name,kind,parent,erp_code\nNY,X,team,,\n",
            "team",
        ),
        (
            "indicator_values",
            "indicator,unit,period,gender,value,target\nNOPE,VSS,2019,T,1,\n",
            "import it first",
        ),
        (
            "indicator_values",
            "indicator,unit,period,gender,value,target\nVSS-IND-01,VSS,2019-13,X,1,\n",
            "period",
        ),
        (
            "sie",
            "#SIETYP 4\n#VER A 1 20190101\n{\n#TRANS 3010 {1 \"9999\"} -5\n}\n",
            "ERP code \"9999\"",
        ),
        (
            "sie",
            "#SIETYP 4\n#VER A 1 20190101\n{\n#TRANS 3010 {} -5\n}\n",
            "no dimension-1 object",
        ),
        ("sie", "#SIETYP 3\n", "type 4"),
    ] {
        let got = import(&admin, kind, body).await;
        if body.is_empty() {
            assert_api_error(&got, 400, needle);
        } else {
            assert_api_error(&got, 422, needle);
            assert!(
                got.1["error"]["details"]["errors"][0]["line"]
                    .as_u64()
                    .is_some(),
                "{kind}: {}",
                got.1
            );
        }
    }
    // CP437 SIE files are read: Ö in a voucher text does not break the import.
    let mut cp437 = b"#FORMAT PC8\n#SIETYP 4\n#VER A 1 20190105 \"".to_vec();
    cp437.push(0x99);
    cp437.extend_from_slice(b"vrigt\"\n{\n#TRANS 3010 {1 \"2010\"} -100\n}\n");
    let (s, body) = admin
        .raw(
            Method::POST,
            "/api/v1/imports/sie",
            "application/octet-stream",
            cp437,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");

    assert_api_error(&import(&admin, "payroll", "a\n").await, 404, "import kind");
    assert_api_error(
        &import(&app.api("controller").await, "units", UNITS).await,
        403,
        "units",
    );
    assert_api_error(
        &import(
            &app.api("handlaggare.kontakt").await,
            "budget",
            "year,unit,revenue,cost\n",
        )
        .await,
        403,
        "budget",
    );
});

dual!(import_page_uploads_a_file, |app| {
    let b = app.login("controller").await;
    let (s, html) = b.get("/imports").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("enctype=\"multipart/form-data\""));
    let form = |csv: &'static str| {
        reqwest::multipart::Form::new()
            .text("_csrf", b.csrf.clone().unwrap())
            .text("kind", "budget")
            .part(
                "file",
                reqwest::multipart::Part::bytes(csv.as_bytes()).file_name("budget.csv"),
            )
    };
    let r = b
        .client
        .post(app.url("/imports"))
        .multipart(form("year,unit,revenue,cost\n2020,EKS,5,5\n"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("1 rad importerades (Budget)"));
    let r = b
        .client
        .post(app.url("/imports"))
        .multipart(form("year,unit,revenue,cost\n2020,EKS,x,5\n"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Inget importerades") && html.contains("Rad 2, kolumn revenue"),
        "{html}"
    );
    assert_eq!(
        app.login("handlaggare.kontakt")
            .await
            .get("/imports")
            .await
            .0,
        StatusCode::NOT_FOUND
    );
});
