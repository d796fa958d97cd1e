//! Live queues: real server-sent event streams of a unit's queue and wall board, on one node
//! and (PostgreSQL) across two; the wall board as a plain page.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::chat::Person;
use crate::dual;
use crate::harness::{pg_url, Api, App, Backend};

/// An open event stream, read chunk by chunk.
pub(crate) struct Stream {
    resp: reqwest::Response,
    buf: String,
}

impl Stream {
    pub(crate) async fn open(p: &Person, path: &str) -> Stream {
        let resp = p
            .http
            .get(format!("{}{path}", p.base))
            .header("cookie", &p.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        assert!(resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream"));
        let mut s = Stream {
            resp,
            buf: String::new(),
        };
        s.event("ready").await;
        s
    }

    /// The data of the next event named `name`, within five seconds.
    pub(crate) async fn event(&mut self, name: &str) -> String {
        tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                while let Some(end) = self.buf.find("\n\n") {
                    let block: String = self.buf.drain(..end + 2).collect();
                    let mut event = "message";
                    let mut data = String::new();
                    for line in block.lines() {
                        if let Some(e) = line.strip_prefix("event:") {
                            event = e.trim();
                        } else if let Some(d) = line.strip_prefix("data:") {
                            data.push_str(d.trim());
                        }
                    }
                    if event == name {
                        return data;
                    }
                }
                let chunk = self
                    .resp
                    .chunk()
                    .await
                    .unwrap()
                    .expect("the stream goes on");
                self.buf.push_str(&String::from_utf8_lossy(&chunk));
            }
        })
        .await
        .unwrap_or_else(|_| panic!("an event {name:?} arrives within five seconds"))
    }
}

async fn new_case(api: &Api) {
    let (s, case) = api
        .post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": "Buller", "description": "Grannen borrar.", "channel": "phone" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
}

async fn unit_code(app: &App) -> String {
    app.db.service_by_code("KL-FRAGA").await.unwrap().unit_code
}

dual!(queue_and_wall_streams_announce_changes, |app| {
    let code = unit_code(&app).await;
    let agent = Person::signed_in(&app, &app.base, "handlaggare.kontakt").await;
    let mut queue = Stream::open(&agent, &format!("/queues/{code}/events")).await;
    let mut wall = Stream::open(&agent, &format!("/wall/{code}/events")).await;

    new_case(&app.api("handlaggare.kontakt").await).await;
    assert!(queue.event("changed").await.contains("case_created"));
    assert!(wall.event("changed").await.contains("case_created"));

    // A chat opened by a customer shows up on the stream and on the wall board.
    let customer = Person::signed_in(&app, &app.base, "admin.sof").await;
    let (s, _, _) = customer
        .post(
            "/portal/services/KL-FRAGA/chat",
            &[("body", "Hej, en fråga om parkering")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let mut seen = Vec::new();
    while !seen.iter().any(|d: &String| d.contains("chat_opened")) {
        seen.push(wall.event("changed").await);
    }
    let (s, html) = agent.get(&format!("/wall/{code}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Chattar i kö"), "{html}");
    let name = app
        .db
        .user_by_username("admin.sof")
        .await
        .unwrap()
        .display_name;
    assert!(html.contains(&name), "the waiting chat is on the board");
    assert!(
        html.contains("data-events=\"/wall/"),
        "live.js finds its stream"
    );

    // Only those who work the unit: a customer gets nothing, not even that it exists.
    let r = customer
        .http
        .get(format!("{}/queues/{code}/events", app.base))
        .header("cookie", &customer.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (s, _) = customer.get(&format!("/wall/{code}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
});

/// A case created on node A is announced on node B's queue stream.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_cross_nodes() {
    if pg_url().is_none() {
        eprintln!("PostgreSQL not configured (TEST_DATABASE_URL); skipped");
        return;
    }
    let app = App::boot(Backend::Postgres).await.unwrap();
    let node = app.node(serva::Config::default()).await;
    let code = unit_code(&app).await;
    let agent = Person::signed_in(&app, &node.base, "handlaggare.kontakt").await;
    let mut queue = Stream::open(&agent, &format!("/queues/{code}/events")).await;
    new_case(&app.api("handlaggare.kontakt").await).await;
    assert!(queue.event("changed").await.contains("case_created"));
}

/// Calls at the start of this local hour: (call id, seconds waited), all answered.
fn calls_this_hour(calls: &[(&str, i64)]) -> serde_json::Value {
    let hour = serva_domain::time::to_local(serva_domain::time::now_ms())
        .format("%Y-%m-%dT%H:00:00")
        .to_string();
    calls
        .iter()
        .map(|(id, wait)| {
            json!({"call_id": id, "unit": "KL", "offered_at": hour, "wait_seconds": wait, "answered": true})
        })
        .collect()
}

dual!(the_wall_board_shows_todays_phone_service_level, |app| {
    let code = unit_code(&app).await;
    let agent = Person::signed_in(&app, &app.base, "handlaggare.kontakt").await;
    let (s, html) = agent.get(&format!("/wall/{code}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Telefonins servicenivå i dag"), "{html}");
    assert!(
        html.contains("(inga samtal)"),
        "a quiet day has no figure: {html}"
    );
    assert!(html.contains(&format!("href=\"/queues/{code}/phone\"")));

    // The platform posts four calls: three answered within 120 s, one after.
    let mut wall = Stream::open(&agent, &format!("/wall/{code}/events")).await;
    let (s, body) = app
        .api("admin")
        .await
        .post(
            "/api/v1/calls",
            &calls_this_hour(&[("W-1", 10), ("W-2", 60), ("W-3", 120), ("W-4", 300)]),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let mut seen = Vec::new();
    while !seen.iter().any(|d: &String| d.contains("calls_recorded")) {
        seen.push(wall.event("changed").await);
    }

    // What live.js reads again, and what a reload without JavaScript shows.
    let (_, html) = agent.get(&format!("/wall/{code}")).await;
    let today = "75,0\u{a0}% besvarade inom 120\u{a0}s <span class=\"hint\">(3 av 4 samtal; under målet 80\u{a0}%)</span>";
    assert!(html.contains(today), "{html}");
    let week = html
        .split("Telefonins servicenivå denna vecka")
        .nth(1)
        .expect("this week's figure");
    assert!(
        week.contains(today),
        "today's calls are this week's too: {week}"
    );

    // One more call within the time: 4 of 5, and the target is met.
    let api = app.api("admin").await;
    let (s, _) = api
        .post("/api/v1/calls", &calls_this_hour(&[("W-5", 5)]))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    // The same call posted again is not counted twice.
    let (s, _) = api
        .post("/api/v1/calls", &calls_this_hour(&[("W-5", 5)]))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, html) = agent.get(&format!("/wall/{code}")).await;
    assert!(
        html.contains("80,0\u{a0}% besvarade inom 120\u{a0}s <span class=\"hint\">(4 av 5 samtal; målet 80\u{a0}% nått)</span>"),
        "{html}"
    );
});

/// Moves a case's history `minutes` back, as if it had come in that long ago.
async fn backdate(app: &App, case: &serde_json::Value, minutes: i64) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(&app.database_url())
        .await
        .unwrap();
    sqlx::query("UPDATE case_events SET at = at - $1 WHERE case_id = $2")
        .bind(minutes * 60_000)
        .bind(case["id"].as_i64().unwrap())
        .execute(&mut c)
        .await
        .unwrap();
    c.close().await.unwrap();
}

dual!(
    the_wall_board_lists_cases_near_or_past_their_target,
    |app| {
        // KL-FRAGA is to be resolved within 60 minutes of Kontakt Linköping's working time;
        // the unit is open round the clock here, so the test does not depend on the hour.
        let api = app.api("handlaggare.kontakt").await;
        let mut cases = Vec::new();
        for subject in ["Sen", "Nära", "Ny", "Väntar"] {
            let (s, case) = api
            .post(
                "/api/v1/cases",
                &json!({ "service": "KL-FRAGA", "subject": subject, "description": "Fråga.", "channel": "phone" }),
            )
            .await;
            assert_eq!(s, StatusCode::CREATED, "{case}");
            cases.push(case);
        }
        backdate(&app, &cases[0], 120).await; // an hour past
        backdate(&app, &cases[1], 50).await; // ten minutes left
                                             // Waiting for the customer pauses the clock: put on hold at once, then two hours pass.
        let (s, body) = api
            .patch(
                &format!("/api/v1/cases/{}", cases[3]["id"]),
                &json!({ "status": "waiting_customer" }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        backdate(&app, &cases[3], 120).await;
        // Saving the calendar works out the due times of the unit's open cases again, from
        // their (backdated) histories.
        let code = unit_code(&app).await;
        let admin = app.login("admin").await;
        let mut week: Vec<(String, String)> = Vec::new();
        for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
            week.push((format!("{day}_open"), "00:00".into()));
            week.push((format!("{day}_close"), "24:00".into()));
        }
        let mut form: Vec<(&str, &str)> =
            week.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        form.push(("warn_percent", "80"));
        let (s, body, _) = admin.post(&format!("/admin/calendars/{code}"), &form).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{body}");

        let agent = Person::signed_in(&app, &app.base, "handlaggare.kontakt").await;
        let (_, html) = agent.get(&format!("/wall/{code}")).await;
        let number = |c: &serde_json::Value| c["number"].as_str().unwrap().to_string();
        let past = html
            .find(&number(&cases[0]))
            .expect("the late case is listed");
        let near = html
            .find(&number(&cases[1]))
            .expect("the near case is listed");
        assert!(past < near, "the most urgent first");
        assert!(html.contains("data-sla=\"breached\">Bruten<"), "{html}");
        assert!(
            html.contains("data-sla=\"near_breach\">Nära brott<"),
            "{html}"
        );
        assert!(
            !html.contains(&number(&cases[2])),
            "a new case is not near its target"
        );
        assert!(
            !html.contains(&number(&cases[3])),
            "a paused clock has not run"
        );
    }
);
