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
