//! Business calendars and SLA clocks through the real server: an administrator sets a unit's
//! opening hours and own days on its calendar page, the due times of the unit's open cases
//! move at once, the case's JSON and page show them, queues sort and filter by them, and the
//! wall board warns. Every test runs on SQLite and PostgreSQL.

use reqwest::StatusCode;
use serde_json::Value;
use serva_domain::case::{CaseStatus, Channel};
use serva_store::bulk::{CaseRow, EventRow};

use crate::dual;
use crate::harness::*;

const MINUTE: i64 = 60_000;

/// A Stockholm wall-clock time as an instant.
fn local(s: &str) -> i64 {
    serva_domain::time::from_local(
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(),
    )
}

/// A case of `service` that came in at `created` and has had no answer, loaded as a history
/// import would load it (the server's clock cannot be turned back to a Friday afternoon).
async fn case_at(app: &App, service: &str, created: i64) -> i64 {
    let svc = app.db.service_by_code(service).await.unwrap();
    let id = app.db.next_id("cases").await.unwrap();
    let mut bulk = app.db.begin_bulk().await.unwrap();
    bulk.cases(&[CaseRow {
        id,
        service_id: svc.id.0,
        unit_id: svc.unit_id.0,
        customer_unit_id: None,
        requester_id: None,
        requester_name: Some("Sara Berg".into()),
        target_group: None,
        channel: Channel::Email,
        status: CaseStatus::New,
        subject: "Kontot är låst".into(),
        description: "Jag kommer inte in.".into(),
        form_data: "[]".into(),
        assignee_id: None,
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
    bulk.insert(&[EventRow {
        case_id: id,
        at: created,
        actor_id: None,
        kind: "created",
        from_value: None,
        to_value: Some("new".into()),
    }])
    .await
    .unwrap();
    bulk.commit().await.unwrap();
    id
}

/// The admin's form for a week: `hours` on the days given (Monday = 0), closed the others.
fn week_form<'a>(days: &[usize], open: &'a str, close: &'a str) -> Vec<(String, String)> {
    let keys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let mut f = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let on = days.contains(&i);
        f.push((format!("{k}_open"), if on { open } else { "" }.to_string()));
        f.push((
            format!("{k}_close"),
            if on { close } else { "" }.to_string(),
        ));
    }
    f
}

async fn save_week(
    admin: &Browser,
    unit: &str,
    form: &[(String, String)],
    holidays: bool,
    warn: &str,
) -> (StatusCode, String, Option<String>) {
    let mut fields: Vec<(&str, &str)> =
        form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    if holidays {
        fields.push(("public_holidays", "true"));
    }
    fields.push(("warn_percent", warn));
    admin
        .post(&format!("/admin/calendars/{unit}"), &fields)
        .await
}

async fn sla_of(api: &Api, id: i64) -> Value {
    let (s, json) = api.get(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{json}");
    json["sla"].clone()
}

dual!(
    a_friday_afternoon_case_is_due_on_monday_and_midsommar_is_closed,
    |app| {
        // LK-KONTO: first response within 240 minutes of LKDATA's working time.
        let admin = app.login("admin").await;
        let (s, _, to) = save_week(
            &admin,
            "LKDATA",
            &week_form(&[0, 1, 2, 3, 4], "08:00", "16:00"),
            true,
            "80",
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(to.unwrap().starts_with("/admin/calendars/LKDATA?ok="));

        let friday = case_at(&app, "LK-KONTO", local("2026-06-12 15:55")).await;
        let before_midsommar = case_at(&app, "LK-KONTO", local("2026-06-18 15:55")).await;
        // Loaded cases are worked out by the sweep at start, or by the next calendar change: the
        // administrator saves the week again.
        let (s, _, to) = save_week(
            &admin,
            "LKDATA",
            &week_form(&[0, 1, 2, 3, 4], "08:00", "16:00"),
            true,
            "80",
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, html) = admin.get(&to.unwrap()).await;
        assert!(
            html.contains("öppna ärenden fick nya förfallotider"),
            "{html}"
        );

        let api = app.api("handlaggare.lkdata").await;
        let sla = sla_of(&api, friday).await;
        assert_eq!(
            sla["first_response_due"], "2026-06-15T11:55:00+02:00",
            "{sla}"
        );
        let sla = sla_of(&api, before_midsommar).await;
        assert_eq!(
            sla["first_response_due"], "2026-06-22T11:55:00+02:00",
            "{sla}"
        );
        // 2 880 minutes (six 8-hour days) to resolve: from Thursday 15:55 over midsommar to
        // the Monday after next.
        assert_eq!(sla["resolution_due"], "2026-06-29T15:55:00+02:00", "{sla}");
        // Long past by now, and never answered.
        assert_eq!(sla["state"], "breached");
        assert_eq!(sla["paused"], false);

        // The case page says when the first reply was promised and that the time ran out.
        let agent = app.login("handlaggare.lkdata").await;
        let (_, page) = agent.get(&format!("/cases/{before_midsommar}")).await;
        assert!(page.contains("Första svar utlovat senast <time datetime=\"2026-06-22T11:55:00+02:00\">2026-06-22 11:55</time>"), "{page}");
        assert!(page.contains("Tiden för första svar gick ut."), "{page}");
        assert!(
            page.contains("Tiden räknas under öppettiderna för"),
            "{page}"
        );

        // The breach is recorded and counted for the unit.
        let unit = app.db.unit_by_code("LKDATA").await.unwrap();
        let (_, past, breaches) = app
            .db
            .sla_counts(unit.id, serva_domain::time::now_ms(), 0, i64::MAX)
            .await
            .unwrap();
        assert_eq!(past, 2);
        // Both cases: first response and resolution.
        assert_eq!(breaches, 4);
    }
);

dual!(a_calendar_edit_moves_the_due_times_of_open_cases, |app| {
    let admin = app.login("admin").await;
    let api = app.api("handlaggare.lkdata").await;
    let friday = case_at(&app, "LK-KONTO", local("2026-06-12 15:55")).await;
    save_week(
        &admin,
        "LKDATA",
        &week_form(&[0, 1, 2, 3, 4], "08:00", "16:00"),
        true,
        "80",
    )
    .await;
    assert_eq!(
        sla_of(&api, friday).await["first_response_due"],
        "2026-06-15T11:55:00+02:00"
    );

    // A staff day on Monday 15 June: closed, so the reply is due on Tuesday.
    let (s, _, to) = admin
        .post(
            "/admin/calendars/LKDATA/days",
            &[
                ("day", "2026-06-15"),
                ("open", ""),
                ("close", ""),
                ("note", "Personaldag"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{to:?}");
    assert_eq!(
        sla_of(&api, friday).await["first_response_due"],
        "2026-06-16T11:55:00+02:00"
    );
    let (_, html) = admin.get("/admin/calendars/LKDATA").await;
    assert!(
        html.contains("Personaldag") && html.contains("2026-06-15"),
        "{html}"
    );

    // Open 09:00–17:00 instead: Friday 15:55–17:00 is 65 minutes, Tuesday 09:00 + 175 min.
    save_week(
        &admin,
        "LKDATA",
        &week_form(&[0, 1, 2, 3, 4], "09:00", "17:00"),
        true,
        "80",
    )
    .await;
    assert_eq!(
        sla_of(&api, friday).await["first_response_due"],
        "2026-06-16T11:55:00+02:00"
    );
    save_week(
        &admin,
        "LKDATA",
        &week_form(&[0, 1, 2, 3, 4], "08:00", "12:00"),
        true,
        "80",
    )
    .await;
    // Closed at 12:00 on Friday, and on Monday: four hours on Tuesday.
    assert_eq!(
        sla_of(&api, friday).await["first_response_due"],
        "2026-06-16T12:00:00+02:00"
    );

    // Removing the staff day gives Monday back.
    let (s, _, _) = admin
        .post("/admin/calendars/LKDATA/days/2026-06-15/delete", &[])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        sla_of(&api, friday).await["first_response_due"],
        "2026-06-15T12:00:00+02:00"
    );

    // A closed case keeps the due times it had.
    let svc = app.db.service_by_code("LK-KONTO").await.unwrap();
    let unit = app.db.unit_by_code("LKDATA").await.unwrap();
    assert_eq!(svc.unit_id, unit.id);
    let before = sla_of(&api, friday).await;
    api.patch(
        &format!("/api/v1/cases/{friday}"),
        &serde_json::json!({"status": "closed"}),
    )
    .await;
    save_week(
        &admin,
        "LKDATA",
        &week_form(&[0, 1, 2, 3, 4], "08:00", "16:00"),
        true,
        "80",
    )
    .await;
    assert_eq!(
        sla_of(&api, friday).await["first_response_due"],
        before["first_response_due"]
    );

    // Changing a target recomputes too: 60 minutes to the first reply.
    let other = case_at(&app, "LK-KONTO", local("2026-06-12 15:55")).await;
    let manager = app.login("chef.lkdata").await;
    let form = "startdatum | Startdatum | date | required\n\
                behorighet | Behörighetsnivå | choice | required | Standard, Utökad, Administratör\n\
                ovrigt | Övriga önskemål | text | optional";
    let (s, body, _) = manager
        .post(
            "/catalogue/LK-KONTO",
            &[
                ("unit", "LKDATA"),
                ("code", "LK-KONTO"),
                ("name", "Nytt användarkonto"),
                ("description", "Konto i kommunens nätverk."),
                ("category", "Konton och behörigheter"),
                ("price_model", "per_case"),
                ("price", "450"),
                ("first_response_minutes", "60"),
                ("next_response_minutes", "60"),
                ("resolution_minutes", "2880"),
                ("form", form),
                ("active", "true"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(
        sla_of(&api, other).await["first_response_due"],
        "2026-06-15T08:55:00+02:00"
    );
});

dual!(
    queues_sort_and_filter_by_due_time_and_the_wall_board_warns,
    |app| {
        // A unit open round the clock, so "near" and "past" do not depend on when the test runs.
        let admin = app.login("admin").await;
        let (s, body, _) = save_week(
            &admin,
            "LKDATA",
            &week_form(&[0, 1, 2, 3, 4, 5, 6], "00:00", "24:00"),
            false,
            "80",
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
        let now = serva_domain::time::now_ms();
        // LK-KONTO: a first reply within 240 minutes.
        let past = case_at(&app, "LK-KONTO", now - 300 * MINUTE).await;
        let near = case_at(&app, "LK-KONTO", now - 200 * MINUTE).await;
        let fresh = case_at(&app, "LK-KONTO", now - 10 * MINUTE).await;
        save_week(
            &admin,
            "LKDATA",
            &week_form(&[0, 1, 2, 3, 4, 5, 6], "00:00", "24:00"),
            false,
            "80",
        )
        .await;

        let api = app.api("handlaggare.lkdata").await;
        assert_eq!(sla_of(&api, past).await["state"], "breached");
        assert_eq!(sla_of(&api, near).await["state"], "near_breach");
        assert_eq!(sla_of(&api, fresh).await["state"], "running");

        let ids = |json: &Value| -> Vec<i64> {
            json["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_i64().unwrap())
                .collect()
        };
        let (s, json) = api
            .get("/api/v1/cases?unit=LKDATA&status=active&sort=due")
            .await;
        assert_eq!(s, StatusCode::OK, "{json}");
        assert_eq!(ids(&json), vec![past, near, fresh]);
        let (_, json) = api.get("/api/v1/cases?unit=LKDATA&sla=near_breach").await;
        assert_eq!(ids(&json), vec![near]);
        let (_, json) = api.get("/api/v1/cases?unit=LKDATA&sla=breached").await;
        assert_eq!(ids(&json), vec![past]);
        assert_api_error(&api.get("/api/v1/cases?sla=soon").await, 400, "near_breach");

        // The queue page: due time and state columns, the filter and the sort.
        let agent = app.login("handlaggare.lkdata").await;
        let (s, html) = agent.get("/queues/LKDATA?status=active&sort=due").await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            html.contains("<th scope=\"col\">Senast</th>")
                && html.contains("<th scope=\"col\">Servicenivå</th>"),
            "{html}"
        );
        let at = |needle: &str| {
            html.find(needle)
                .unwrap_or_else(|| panic!("{needle} in {html}"))
        };
        assert!(at(&format!("/cases/{past}\"")) < at(&format!("/cases/{near}\"")));
        assert!(at(&format!("/cases/{near}\"")) < at(&format!("/cases/{fresh}\"")));
        assert!(
            html.contains("data-sla=\"breached\">Bruten<")
                && html.contains("data-sla=\"near_breach\">Nära brott<"),
            "{html}"
        );
        let (_, html) = agent.get("/queues/LKDATA?sla=near_breach").await;
        assert!(
            html.contains(&format!("/cases/{near}\""))
                && !html.contains(&format!("/cases/{past}\""))
        );
        // The overview counts them.
        let (_, html) = agent.get("/queues").await;
        assert!(
            html.contains("sla=near_breach&amp;sort=due\">1<")
                && html.contains("sla=breached&amp;sort=due\">1<"),
            "{html}"
        );

        // The wall board lists the two, the most urgent first, and counts today's breaches.
        let (s, html) = agent.get("/wall/LKDATA").await;
        assert_eq!(s, StatusCode::OK);
        let p = html
            .find(&format!("/cases/{past}\""))
            .expect("past on the wall");
        let n = html
            .find(&format!("/cases/{near}\""))
            .expect("near on the wall");
        assert!(
            p < n && !html.contains(&format!("/cases/{fresh}\"")),
            "{html}"
        );
        assert!(html.contains("Brutna servicenivåer i dag"), "{html}");

        // The warning share is the unit's: at 99 % the near one is not near yet.
        save_week(
            &admin,
            "LKDATA",
            &week_form(&[0, 1, 2, 3, 4, 5, 6], "00:00", "24:00"),
            false,
            "99",
        )
        .await;
        assert_eq!(sla_of(&api, near).await["state"], "running");
    }
);

dual!(pausing_and_resuming_show_in_the_case_timeline, |app| {
    let customer = app.api("admin.sof").await;
    let (s, created) = customer
        .post(
            "/api/v1/cases",
            &serde_json::json!({"service": "LK-KONTO", "subject": "Nytt konto", "description": "Till en nyanställd.",
                "fields": {"startdatum": "2026-12-01", "behorighet": "Standard"}}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    // A new case's clocks run from the start: due times come with it.
    assert!(
        created["sla"]["first_response_due"]
            .as_str()
            .unwrap()
            .ends_with("+01:00"),
        "{created}"
    );
    assert!(created["sla"]["resolution_due"].is_string(), "{created}");
    let agent = app.api("handlaggare.lkdata").await;
    // The agent answers and asks for what is missing: the first response is met, and the
    // resolution clock pauses while the customer is asked.
    let (s, _) = agent
        .post(
            &format!("/api/v1/cases/{id}/messages"),
            &serde_json::json!({"body": "Vilken enhet ska kontot höra till?"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = agent
        .patch(
            &format!("/api/v1/cases/{id}"),
            &serde_json::json!({"status": "waiting_customer"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let sla = sla_of(&agent, id).await;
    assert_eq!(sla["paused"], true, "{sla}");
    assert_eq!(sla["resolution_due"], Value::Null);
    assert_eq!(sla["state"], "paused");
    // The customer's answer puts the case back in the queue and the clock runs again.
    let (s, _) = customer
        .post(
            &format!("/api/v1/cases/{id}/messages"),
            &serde_json::json!({"body": "Här kommer uppgifterna."}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let sla = sla_of(&agent, id).await;
    assert_eq!(sla["paused"], false, "{sla}");
    assert!(sla["resolution_due"].is_string());

    let (_, page) = app
        .login("admin.sof")
        .await
        .get(&format!("/cases/{id}"))
        .await;
    for words in [
        "Ärendet kom in. Första svar utlovat senast",
        "Tiden för att lösa ärendet började räknas. Löst senast",
        "Första svaret kom i tid.",
        "Tiden står still medan vi väntar på svar från kunden",
        "Tiden räknas igen. Löst senast",
    ] {
        assert!(page.contains(words), "{words} in {page}");
    }
});

dual!(
    only_administrators_edit_calendars_and_mistakes_are_explained,
    |app| {
        let agent = app.login("handlaggare.lkdata").await;
        let (s, _) = agent.get("/admin/calendars/LKDATA").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _, _) = agent
            .post("/admin/calendars/LKDATA", &[("mon_open", "08:00")])
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        let admin = app.login("admin").await;
        let (s, html) = admin.get("/admin/calendars").await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            html.contains("/admin/calendars/LKDATA") && html.contains("08:00–16:00"),
            "{html}"
        );
        let (s, html) = admin.get("/admin/calendars/LKDATA").await;
        assert_eq!(s, StatusCode::OK);
        // The holidays ahead are listed, midsommarafton among them.
        assert!(
            html.contains("Midsommarafton") && html.contains("Julafton"),
            "{html}"
        );

        let (s, html, _) = save_week(
            &admin,
            "LKDATA",
            &week_form(&[0], "16:00", "08:00"),
            true,
            "80",
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("Stängningstiden måste vara efter öppningstiden."),
            "{html}"
        );
        let (s, html, _) = save_week(&admin, "LKDATA", &week_form(&[], "", ""), true, "80").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("minst en dag i veckan"), "{html}");
        let (s, html, _) =
            save_week(&admin, "LKDATA", &week_form(&[0], "8", "16:00"), true, "80").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("Skriv tiden som TT:MM"), "{html}");
        let (s, html, _) = save_week(
            &admin,
            "LKDATA",
            &week_form(&[0], "08:00", "16:00"),
            true,
            "100",
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("1–99 procent"), "{html}");
        let (s, html, _) = admin
            .post("/admin/calendars/LKDATA/days", &[("day", "2026-13-01")])
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("ÅÅÅÅ-MM-DD"), "{html}");
        let (s, _, _) = admin
            .post("/admin/calendars/LKDATA/days/2026-01-05/delete", &[])
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = admin.get("/admin/calendars/NOSUCH").await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // Shortened days: trettondagsafton until 15:00 is listed with its hours.
        let (s, _, _) = admin
            .post(
                "/admin/calendars/LKDATA/days",
                &[
                    ("day", "2027-01-05"),
                    ("open", "08:00"),
                    ("close", "15:00"),
                    ("note", "Trettondagsafton"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, html) = admin.get("/admin/calendars/LKDATA").await;
        assert!(
            html.contains("Trettondagsafton") && html.contains("08:00–15:00"),
            "{html}"
        );
        // Audited.
        let (_, log) = admin.get("/admin/audit").await;
        assert!(log.contains("calendar_day"), "{log}");
    }
);

dual!(
    the_sweep_records_a_breach_when_the_due_time_passes_and_tells_the_queue,
    |app| {
        let agent = crate::chat::Person::signed_in(&app, &app.base, "handlaggare.lkdata").await;
        let mut queue = crate::live::Stream::open(&agent, "/queues/LKDATA/events").await;
        // A case loaded from elsewhere, its first reply due long ago: nothing has worked its
        // clocks out yet.
        let id = case_at(&app, "LK-KONTO", local("2026-06-12 15:55")).await;
        let api = app.api("handlaggare.lkdata").await;
        assert_eq!(sla_of(&api, id).await["state"], "none");
        // What the server's sweep does every half minute (and at start).
        let sweep = serva_app::App::new(app.db.clone());
        let now = serva_domain::time::now_ms();
        assert_eq!(sweep.sweep_sla(now).await.unwrap(), 1);
        let notice = queue.event("changed").await;
        assert!(notice.contains("sla_breached"), "{notice}");
        assert_eq!(sla_of(&api, id).await["state"], "breached");
        let unit = app.db.unit_by_code("LKDATA").await.unwrap();
        let (_, past, breaches) = app.db.sla_counts(unit.id, now, 0, i64::MAX).await.unwrap();
        assert_eq!((past, breaches), (1, 2));
        // Recorded once: the next round finds nothing to do.
        assert_eq!(sweep.sweep_sla(now).await.unwrap(), 0);
    }
);

// Two app nodes sweep the same database at the same moment: both succeed, and each breach is
// recorded once. (On PostgreSQL the two transactions really overlap; SQLite takes them in
// turn.)
dual!(two_nodes_sweeping_at_once_record_each_breach_once, |app| {
    let mut ids = Vec::new();
    for _ in 0..20 {
        ids.push(case_at(&app, "LK-KONTO", local("2026-06-12 15:55")).await);
    }
    let now = serva_domain::time::now_ms();
    let a = serva_app::App::new(app.db.clone());
    let b = serva_app::App::new(app.db.clone());
    let (ra, rb) = tokio::join!(a.sweep_sla(now), b.sweep_sla(now));
    ra.expect("node A's sweep");
    rb.expect("node B's sweep");
    // Between them they did everything: a third round finds nothing left.
    assert_eq!(a.sweep_sla(now).await.unwrap(), 0);
    let unit = app.db.unit_by_code("LKDATA").await.unwrap();
    let (_, past, breaches) = app.db.sla_counts(unit.id, now, 0, i64::MAX).await.unwrap();
    // Each case: its first response and its resolution were due long ago.
    assert_eq!((past, breaches), (20, 40));
    // And the clocks worked out again later still count each breach once.
    app.db
        .recompute_sla(serva_store::sla::SlaScope::Ids(ids.clone()), now)
        .await
        .unwrap();
    let (_, _, breaches) = app.db.sla_counts(unit.id, now, 0, i64::MAX).await.unwrap();
    assert_eq!(breaches, 40);
});
