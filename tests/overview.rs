//! The manager's overview (docs/overview.md) through the real server: LKDATA's manager sees a
//! known set of cases counted per agent, state and age, the service level of a breach and a
//! case answered and resolved in time, and the index of an answered survey; moves cases
//! between agents in bulk, all or nothing; Socialförvaltningen's manager sees the
//! department's totals per provider and service; agents and other managers are refused; the
//! API gives the same figures. Every test runs on SQLite and PostgreSQL.

use reqwest::StatusCode;
use serde_json::{json, Value};
use serva_domain::case::{CaseStatus, Channel};
use serva_domain::CaseId;
use serva_store::bulk::{CaseRow, EventRow};

use crate::harness::{App, Backend};
use crate::on_both;

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;

/// Waits while the local time is within `margin` after midnight, so "today" and "this week"
/// hold the breaches the test backdates by up to `margin`.
async fn clear_of_midnight(margin: i64) {
    let now = serva_domain::time::now_ms();
    let midnight = serva_domain::time::from_local(
        serva_domain::time::to_local(now)
            .date()
            .and_hms_opt(0, 0, 0)
            .unwrap(),
    );
    let since = now - midnight;
    if since < margin {
        tokio::time::sleep(std::time::Duration::from_millis(
            (margin - since + 1_000) as u64,
        ))
        .await;
    }
}

/// A case loaded as a history import would load it, created `age` ago (the server's clock
/// cannot be turned back); its id.
async fn case_aged(
    app: &App,
    service: &str,
    age: i64,
    status: CaseStatus,
    assignee: Option<&str>,
    customer: &str,
) -> i64 {
    let svc = app.db.service_by_code(service).await.unwrap();
    let customer = app.db.unit_by_code(customer).await.unwrap();
    let assignee = match assignee {
        Some(u) => Some(app.db.user_by_username(u).await.unwrap().id.0),
        None => None,
    };
    let created = serva_domain::time::now_ms() - age;
    let id = app.db.next_id("cases").await.unwrap();
    let mut bulk = app.db.begin_bulk().await.unwrap();
    bulk.cases(&[CaseRow {
        id,
        service_id: svc.id.0,
        unit_id: svc.unit_id.0,
        customer_unit_id: Some(customer.id.0),
        requester_id: None,
        requester_name: Some("Sara Berg".into()),
        target_group: None,
        channel: Channel::Email,
        status,
        subject: "Kontot är låst".into(),
        description: "Jag kommer inte in.".into(),
        form_data: "[]".into(),
        assignee_id: assignee,
        first_contact_resolution: false,
        created_at: created,
        updated_at: created,
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        search_text: "kontot ar last".into(),
        contact_id: None,
    }])
    .await
    .unwrap();
    let mut events = vec![EventRow {
        case_id: id,
        at: created,
        actor_id: None,
        kind: "created",
        from_value: None,
        to_value: Some("new".into()),
    }];
    if status != CaseStatus::New {
        events.push(EventRow {
            case_id: id,
            at: created + MINUTE,
            actor_id: None,
            kind: "status",
            from_value: Some("new".into()),
            to_value: Some(status.as_str().into()),
        });
    }
    bulk.insert(&events).await.unwrap();
    bulk.commit().await.unwrap();
    id
}

/// LKDATA open round the clock, every day, holidays too: due times are plain arithmetic.
async fn lkdata_round_the_clock(app: &App) {
    let admin = app.login("admin").await;
    let mut fields: Vec<(String, String)> = Vec::new();
    for d in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
        fields.push((format!("{d}_open"), "00:00".into()));
        fields.push((format!("{d}_close"), "24:00".into()));
    }
    fields.push(("warn_percent".into(), "80".into()));
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (s, body, _) = admin.post("/admin/calendars/LKDATA", &f).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
}

/// The cases of the tests, at LKDATA (open round the clock):
/// - `past`: LK-LOSEN (first response in 15 min), 20 minutes old, unassigned, for SOF: its
///   first response was due 5 minutes ago — breached today;
/// - `near`: LK-KONTO (240 min), 200 minutes old, Nils Ljung's, for UF: past its 80 % warning;
/// - `old`: LK-KONTO, 40 days old, open, Nils Ljung's, for SOF: breached long ago;
/// - `done`: LK-LOSEN ordered now by SOF's administrator, answered and resolved by the agent
///   at once (both in time), and rated 4 of 5 (index 75) by the requester.
pub(crate) struct Known {
    pub past: i64,
    pub near: i64,
    pub old: i64,
    pub done: i64,
}

pub(crate) async fn known_cases(app: &App) -> Known {
    clear_of_midnight(10 * MINUTE).await;
    lkdata_round_the_clock(app).await;
    let past = case_aged(app, "LK-LOSEN", 20 * MINUTE, CaseStatus::New, None, "SOF").await;
    let near = case_aged(
        app,
        "LK-KONTO",
        200 * MINUTE,
        CaseStatus::New,
        Some("lk.agent1"),
        "UF",
    )
    .await;
    let old = case_aged(
        app,
        "LK-KONTO",
        40 * DAY,
        CaseStatus::Open,
        Some("lk.agent1"),
        "SOF",
    )
    .await;
    // Loaded cases are worked out (and their breaches recorded) as the sweep would.
    app.db
        .recompute_sla(
            serva_store::sla::SlaScope::Stale,
            serva_domain::time::now_ms(),
        )
        .await
        .unwrap();

    let customer = app.api("admin.sof").await;
    let (s, case) = customer
        .post(
            "/api/v1/cases",
            &json!({ "service": "LK-LOSEN", "subject": "Glömt lösenord", "description": "Efter semestern." }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let done = case["id"].as_i64().unwrap();
    let agent = app.api("handlaggare.lkdata").await;
    let (s, m) = agent
        .post(
            &format!("/api/v1/cases/{done}/messages"),
            &json!({ "body": "Nytt lösenord är skickat med sms." }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let (s, c) = agent
        .patch(
            &format!("/api/v1/cases/{done}"),
            &json!({ "status": "resolved" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let (s, a) = customer
        .post(
            &format!("/api/v1/cases/{done}/survey"),
            &json!({ "answer": 4 }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(a["score"], 75);
    Known {
        past,
        near,
        old,
        done,
    }
}

async fn user_id(app: &App, username: &str) -> i64 {
    app.db.user_by_username(username).await.unwrap().id.0
}

/// An HTML fragment's text: tags dropped, no-break spaces as spaces, trimmed.
pub(crate) fn text(html: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for ch in html.chars() {
        match ch {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.replace('\u{a0}', " ").trim().to_string()
}

/// The data cells' text of the first table row whose row header reads `name`.
pub(crate) fn row_cells(html: &str, name: &str) -> Vec<String> {
    for row in html.split("<tr>").skip(1) {
        let row = &row[..row.find("</tr>").unwrap_or(row.len())];
        let Some(at) = row.find("<th scope=\"row\">") else {
            continue;
        };
        let th = &row[at..];
        let th = &th[..th.find("</th>").unwrap_or(th.len())];
        if text(th) != name {
            continue;
        }
        return row
            .split("<td")
            .skip(1)
            .map(|cell| {
                let inner = &cell[cell.find('>').unwrap() + 1..];
                text(&inner[..inner.find("</td>").unwrap_or(inner.len())])
            })
            .collect();
    }
    panic!("no row {name:?}: {html}");
}

on_both!(the_overview_counts_a_known_set_of_cases, |backend| {
    let Some(app) = App::boot(backend).await else {
        return;
    };
    let k = known_cases(&app).await;
    let nils = user_id(&app, "lk.agent1").await;
    let manager = app.login("chef.lkdata").await;
    let (s, html) = manager.get("/units/LKDATA/overview").await;
    assert_eq!(s, StatusCode::OK, "{html}");

    // Open cases per agent: new, open, waiting ×2, total, near, past, oldest.
    let row = row_cells(&html, "Nils Ljung");
    assert_eq!(&row[..7], ["1", "1", "0", "0", "2", "1", "1"], "{row:?}");
    assert_eq!(row[7], "40 dagar");
    let row = row_cells(&html, "Ej tilldelad");
    assert_eq!(&row[..7], ["1", "0", "0", "0", "1", "0", "1"], "{row:?}");
    // An agent without cases has a row of noughts.
    let row = row_cells(&html, "Ida Sjöberg");
    assert_eq!(&row[..7], ["0", "0", "0", "0", "0", "0", "0"], "{row:?}");
    assert_eq!(row[7], "–");
    let row = row_cells(&html, "Totalt");
    assert_eq!(&row[..7], ["2", "1", "0", "0", "3", "1", "2"], "{row:?}");
    // Each count leads to the queue filtered alike.
    assert!(
        html.contains(&format!(
            "href=\"/queues/LKDATA?status=active&amp;assignee={nils}&amp;sla=near_breach&amp;sort=due\""
        )),
        "{html}"
    );
    assert!(html.contains("href=\"/queues/LKDATA?status=new&amp;assignee=none\""));

    // Ages, by creation.
    assert_eq!(row_cells(&html, "Under 1 dag")[0], "2");
    assert_eq!(row_cells(&html, "1–4 veckor")[0], "0");
    assert_eq!(row_cells(&html, "Över 4 veckor")[0], "1");

    // Today's and this week's service level: one first response in time, one breached.
    let row = row_cells(&html, "Första svar inom mål");
    assert_eq!(row, ["50,0 % (1 av 2)", "50,0 % (1 av 2)"], "{html}");
    let row = row_cells(&html, "Lösning inom mål");
    assert_eq!(row, ["100,0 % (1 av 1)", "100,0 % (1 av 1)"]);
    assert_eq!(row_cells(&html, "Brutna mål: första svar"), ["1", "1"]);
    assert_eq!(row_cells(&html, "Brutna mål totalt"), ["1", "1"]);

    // Satisfaction: the answer of 4 of 5 is index 75, one survey of one answered.
    assert_eq!(row_cells(&html, "Index (0–100)"), ["75", "75"]);
    assert_eq!(row_cells(&html, "Besvarade enkäter"), ["1", "1"]);
    assert_eq!(row_cells(&html, "Svarsfrekvens"), ["100 %", "100 %"]);

    // Near or past target, the earliest due first: the old breach, the new one, the near one.
    let list = &html[html.find("id=\"flytta\"").unwrap()..];
    let order: Vec<usize> = [k.old, k.past, k.near]
        .iter()
        .map(|id| list.find(&format!("id=\"pick-risk-{id}\"")).unwrap())
        .collect();
    assert!(order[0] < order[1] && order[1] < order[2], "{list}");
    assert!(!list.contains(&format!("pick-risk-{}", k.done)));

    // The nav leads here.
    assert!(html.contains("href=\"/overview\""));
    let (s, _, to) = {
        let r = manager
            .client
            .get(app.url("/overview"))
            .send()
            .await
            .unwrap();
        let to = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        (r.status(), (), to)
    };
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(to.as_deref(), Some("/units/LKDATA/overview"));

    // The API says the same.
    let (s, j) = app
        .api("chef.lkdata")
        .await
        .get("/api/v1/units/LKDATA/overview")
        .await;
    assert_eq!(s, StatusCode::OK, "{j}");
    let agent = |name: Value| {
        j["agents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .cloned()
            .unwrap()
    };
    let n = agent(json!("Nils Ljung"));
    assert_eq!(n["agent_id"], nils);
    assert_eq!(
        (
            &n["new"],
            &n["open"],
            &n["total"],
            &n["near_target"],
            &n["past_target"]
        ),
        (&json!(1), &json!(1), &json!(2), &json!(1), &json!(1))
    );
    let none = agent(Value::Null);
    assert_eq!(
        (&none["total"], &none["past_target"]),
        (&json!(1), &json!(1))
    );
    assert_eq!(j["total"]["total"], 3);
    assert_eq!(
        j["ages"],
        json!([
            { "age": "under_one_day", "cases": 2 },
            { "age": "one_to_three_days", "cases": 0 },
            { "age": "three_to_seven_days", "cases": 0 },
            { "age": "one_to_four_weeks", "cases": 0 },
            { "age": "over_four_weeks", "cases": 1 },
        ])
    );
    let today = &j["service_level"]["today"];
    assert_eq!(
        today["first_response"],
        json!({ "met": 1, "breached": 1, "share": 50.0 })
    );
    assert_eq!(
        today["resolution"],
        json!({ "met": 1, "breached": 0, "share": 100.0 })
    );
    assert_eq!(
        today["breaches"],
        json!({ "first_response": 1, "next_response": 0, "resolution": 0, "total": 1 })
    );
    assert_eq!(j["service_level"]["this_week"], *today);
    let ids: Vec<i64> = j["at_risk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [k.old, k.past, k.near]);
    assert_eq!(j["satisfaction"]["today"]["index"], 75.0);
    assert_eq!(j["satisfaction"]["this_week"]["answered"], 1);
    assert_eq!(j["phone"]["this_week"]["offered"], 0);
});

on_both!(only_the_units_managers_see_its_overview, |backend| {
    let Some(app) = App::boot(backend).await else {
        return;
    };
    // The unit's agent: forbidden; another unit's manager: no such page.
    let (s, _) = app
        .login("handlaggare.lkdata")
        .await
        .get("/units/LKDATA/overview")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .login("chef.kontakt")
        .await
        .get("/units/LKDATA/overview")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .login("chef.kontakt")
        .await
        .get("/units/KL/overview")
        .await;
    assert_eq!(s, StatusCode::OK);
    // The head of VSS manages LKDATA too, and the administrator everything.
    for who in ["chef.vss", "admin"] {
        let (s, _) = app.login(who).await.get("/units/LKDATA/overview").await;
        assert_eq!(s, StatusCode::OK, "{who}");
    }
    let (s, j) = app
        .api("handlaggare.lkdata")
        .await
        .get("/api/v1/units/LKDATA/overview")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{j}");
    let (s, j) = app
        .api("chef.kontakt")
        .await
        .get("/api/v1/units/LKDATA/overview")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{j}");
    assert_eq!(j["error"]["code"], "not_found");
    // A department's overview: its customer manager, not its staff nor another's manager.
    let (s, _) = app
        .login("admin.sof")
        .await
        .get("/customers/SOF/overview")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .login("chef.uf")
        .await
        .get("/customers/SOF/overview")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .login("chef.lkdata")
        .await
        .get("/customers/SOF/overview")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, j) = app
        .api("chef.uf")
        .await
        .get("/api/v1/customers/SOF/overview")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{j}");
    // An agent has no overview, and no link to one.
    let agent = app.login("handlaggare.lkdata").await;
    let (s, _) = agent.get("/overview").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, html) = agent.get("/queues").await;
    assert!(!html.contains("href=\"/overview\""), "{html}");
    // The head of VSS chooses among the units.
    let (s, html) = app.login("chef.vss").await.get("/overview").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("href=\"/units/LKDATA/overview\""), "{html}");
    assert!(html.contains("href=\"/units/KL/overview\""), "{html}");
});

on_both!(a_bulk_reassignment_moves_every_case_or_none, |backend| {
    let Some(app) = App::boot(backend).await else {
        return;
    };
    let k = known_cases(&app).await;
    let ida = user_id(&app, "lk.agent2").await;
    let nils = user_id(&app, "lk.agent1").await;
    let manager = app.login("chef.lkdata").await;
    let assignee = |id: i64| {
        let db = app.db.clone();
        async move { db.case(CaseId(id)).await.unwrap().assignee_id.map(|u| u.0) }
    };
    let ida_s = ida.to_string();
    let (past_s, near_s) = (k.past.to_string(), k.near.to_string());
    let (s, body, to) = manager
        .post(
            "/units/LKDATA/overview/reassign",
            &[
                ("case", past_s.as_str()),
                ("case", near_s.as_str()),
                ("assignee", ida_s.as_str()),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let to = to.unwrap();
    assert_eq!(
        to,
        format!("/units/LKDATA/overview?ok=reassigned&n=2&to={ida}#flytta")
    );
    assert_eq!(assignee(k.past).await, Some(ida));
    assert_eq!(assignee(k.near).await, Some(ida));
    let (_, html) = manager.get(&to).await;
    assert!(
        html.contains("2 ärenden tilldelade till Ida Sjöberg."),
        "{html}"
    );
    // Each move is in the case's history and the audit log, as a single assignment is.
    let (s, history) = app
        .api("handlaggare.lkdata")
        .await
        .get(&format!("/api/v1/cases/{}/history", k.near))
        .await;
    assert_eq!(s, StatusCode::OK, "{history}");
    let last = history["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["kind"], "assigned", "{history}");
    assert_eq!(last["from"], nils.to_string(), "{history}");
    assert_eq!(last["to"], ida.to_string(), "{history}");
    let audit = app
        .db
        .audit_entries(&serva_store::audit::AuditFilter {
            entity: Some("case".into()),
            entity_id: Some(k.past.to_string()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(audit.iter().any(|a| a.action == "assign"), "{audit:?}");

    // A case of another unit among them: nothing moves.
    let kl = case_aged(&app, "KL-FRAGA", MINUTE, CaseStatus::New, None, "SOF").await;
    let nils_s = nils.to_string();
    let kl_s = kl.to_string();
    let (s, body, _) = manager
        .post(
            "/units/LKDATA/overview/reassign",
            &[
                ("case", past_s.as_str()),
                ("case", kl_s.as_str()),
                ("assignee", nils_s.as_str()),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains(&format!("Ärende {kl} ligger inte i den här enhetens kö.")),
        "{body}"
    );
    assert!(body.contains("Inget ärende har flyttats."), "{body}");
    assert_eq!(assignee(k.past).await, Some(ida));
    assert_eq!(assignee(kl).await, None);
    // A case that does not exist, and an agent of another unit: nothing moves either.
    let (s, body, _) = manager
        .post(
            "/units/LKDATA/overview/reassign",
            &[
                ("case", past_s.as_str()),
                ("case", "99999999"),
                ("assignee", nils_s.as_str()),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(assignee(k.past).await, Some(ida));
    let kl_agent = user_id(&app, "kl.agent1").await.to_string();
    let (s, body, _) = manager
        .post(
            "/units/LKDATA/overview/reassign",
            &[("case", past_s.as_str()), ("assignee", kl_agent.as_str())],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("arbetar inte i den här kön"), "{body}");
    assert_eq!(assignee(k.past).await, Some(ida));
    // No case chosen.
    let (s, _, _) = manager
        .post(
            "/units/LKDATA/overview/reassign",
            &[("assignee", nils_s.as_str())],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // Without the session's CSRF token the form is refused.
    let mut stale = app.login("chef.lkdata").await;
    stale.csrf = Some("not-the-token".into());
    let (s, _, _) = stale
        .post(
            "/units/LKDATA/overview/reassign",
            &[("case", past_s.as_str()), ("assignee", nils_s.as_str())],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(assignee(k.past).await, Some(ida));
    // Nor may the unit's agent move its cases.
    let (s, _, _) = app
        .login("handlaggare.lkdata")
        .await
        .post(
            "/units/LKDATA/overview/reassign",
            &[("case", past_s.as_str()), ("assignee", nils_s.as_str())],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(assignee(k.past).await, Some(ida));

    // An agent's own open cases can be listed and picked too.
    let (s, html) = manager
        .get(&format!("/units/LKDATA/overview?agent={ida}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(&format!("id=\"pick-agent-{}\"", k.near)),
        "{html}"
    );
    assert!(!html.contains(&format!("id=\"pick-agent-{}\"", k.old)));
});

on_both!(a_departments_overview_totals_its_cases, |backend| {
    let Some(app) = App::boot(backend).await else {
        return;
    };
    let k = known_cases(&app).await;
    let boss = app.login("chef.sof").await;
    let (s, html) = boss.get("/customers/SOF/overview").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    // SOF's cases: `past` and `old` open (both past target), `done` resolved this month;
    // `near` is UF's.
    // Open, near, past, resolved this month, breaches this month.
    assert_eq!(
        row_cells(&html, "LKDATA (LKDATA)"),
        ["2", "0", "2", "1", "1"],
        "{html}"
    );
    assert_eq!(
        row_cells(&html, "Lösenord och inloggning (LK-LOSEN)"),
        ["1", "0", "1", "1", "1"]
    );
    assert_eq!(
        row_cells(&html, "Nytt användarkonto (LK-KONTO)"),
        ["1", "0", "1", "0", "0"]
    );
    assert_eq!(
        row_cells(&html, "Första svar inom mål"),
        ["50,0 % (1 av 2)", "50,0 % (1 av 2)"]
    );
    for id in [k.past, k.old, k.done] {
        assert!(html.contains(&format!("href=\"/cases/{id}\"")), "{id}");
    }
    assert!(!html.contains(&format!("href=\"/cases/{}\"", k.near)));
    assert!(html.contains("href=\"/overview\""));

    let (s, j) = app
        .api("chef.sof")
        .await
        .get("/api/v1/customers/SOF/overview")
        .await;
    assert_eq!(s, StatusCode::OK, "{j}");
    assert_eq!(
        j["totals"],
        json!({ "open": 2, "near_target": 0, "past_target": 2, "closed_this_month": 1, "breaches_this_month": 1 })
    );
    assert_eq!(
        j["by_provider"],
        json!([{ "code": "LKDATA", "name": "LKDATA", "open": 2, "near_target": 0, "past_target": 2, "closed_this_month": 1, "breaches_this_month": 1 }])
    );
    assert_eq!(j["by_service"].as_array().unwrap().len(), 2);
    assert_eq!(
        j["service_level"]["today"]["first_response"],
        json!({ "met": 1, "breached": 1, "share": 50.0 })
    );
    let open: Vec<i64> = j["open_cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(open, [k.old, k.past]);
    assert_eq!(j["recently_resolved"][0]["id"], k.done);
    // UF sees only its own case.
    let (s, j) = app
        .api("chef.uf")
        .await
        .get("/api/v1/customers/UF/overview")
        .await;
    assert_eq!(s, StatusCode::OK, "{j}");
    assert_eq!(j["totals"]["open"], 1);
    assert_eq!(j["totals"]["near_target"], 1);
    assert_eq!(j["open_cases"][0]["id"], k.near);
});
