//! The event bus: every write of the application layer is announced, on this node at once and,
//! on PostgreSQL, on every other `serve` process sharing the database.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use serva_domain::case::CaseStatus;
use serva_domain::event::{CaseChange, Event};
use serva_domain::CaseId;
use tokio::sync::broadcast::Receiver;

use crate::dual;
use crate::harness::{pg_url, App, Backend};

/// The next event on `rx` that `pick` accepts, within a second.
async fn next_matching(rx: &mut Receiver<Event>, pick: impl Fn(&Event) -> bool) -> Event {
    tokio::time::timeout(Duration::from_secs(1), async {
        loop {
            match rx.recv().await {
                Ok(e) if pick(&e) => return e,
                Ok(_) => {}
                Err(e) => panic!("the bus failed: {e}"),
            }
        }
    })
    .await
    .expect("the event arrives within a second")
}

dual!(every_write_is_announced, |app| {
    let mut rx = app.db.events().subscribe();
    let agent = app.api("handlaggare.kontakt").await;
    let (s, case) = agent
        .post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": "Parkering", "description": "Var får jag stå?", "channel": "phone" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let id = CaseId(case["id"].as_i64().unwrap());
    let unit = serva_domain::UnitId(case["unit"]["id"].as_i64().unwrap());
    assert_eq!(
        next_matching(&mut rx, |_| true).await,
        Event::CaseCreated { case: id, unit }
    );

    let path = format!("/api/v1/cases/{}", id.0);
    let (s, _) = agent.patch(&path, &json!({ "status": "open" })).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        next_matching(&mut rx, |_| true).await,
        Event::CaseChanged {
            case: id,
            unit,
            change: CaseChange::Status(CaseStatus::Open)
        }
    );

    let (s, m) = agent
        .post(&format!("{path}/messages"), &json!({ "body": "Hej!" }))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let e = next_matching(&mut rx, |_| true).await;
    assert!(
        matches!(e, Event::MessageAdded { case, internal: false, message, .. }
            if case == id && message.0 == m["id"].as_i64().unwrap()),
        "{e:?}"
    );

    // A refused write announces nothing.
    let (s, _) = agent.patch(&path, &json!({ "status": "new" })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        tokio::time::timeout(Duration::from_millis(200), rx.recv())
            .await
            .is_err(),
        "nothing happened, so nothing was announced"
    );
});

/// A `serva serve` process of its own on the test's database.
struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_node(database: &str) -> (Node, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_serva"))
        .args(["--database", database, "serve", "--listen", "127.0.0.1:0"])
        .env("SERVA_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start serva serve");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("serve said {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (Node(child), base)
}

/// Two app nodes on one PostgreSQL: what node A writes, node B hears within a second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_cross_nodes_through_postgres() {
    if pg_url().is_none() {
        eprintln!("PostgreSQL not configured (TEST_DATABASE_URL); skipped");
        return;
    }
    // Node B is this test's own connection to the database; node A a separate process.
    let b = App::boot(Backend::Postgres).await.unwrap();
    let (_a, a_base) = start_node(&b.database_url());
    let bus = b.db.events();
    let mut rx = bus.subscribe();
    bus.ready().await;

    let mut agent = b.api("handlaggare.kontakt").await;
    agent.base = a_base;
    let (s, case) = agent
        .post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": "Bygglov", "description": "Hur lång tid tar det?", "channel": "phone" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let id = CaseId(case["id"].as_i64().unwrap());
    let e = next_matching(
        &mut rx,
        |e| matches!(e, Event::CaseCreated { case, .. } if *case == id),
    )
    .await;
    assert!(matches!(e, Event::CaseCreated { .. }));

    // Every listening node hears it: B, and a third node C that only listens.
    let c = serva::open(&b.database_url()).await.unwrap();
    let mut rx_c = c.events().subscribe();
    c.events().ready().await;
    let (s, _) = agent
        .patch(
            &format!("/api/v1/cases/{}", id.0),
            &json!({ "status": "resolved" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    for rx in [&mut rx, &mut rx_c] {
        let e = next_matching(
            rx,
            |e| matches!(e, Event::CaseChanged { case, .. } if *case == id),
        )
        .await;
        assert!(
            matches!(
                e,
                Event::CaseChanged {
                    change: CaseChange::Status(CaseStatus::Resolved),
                    ..
                }
            ),
            "{e:?}"
        );
    }
    c.close().await;

    // The listener's connection is cut: it comes back by itself, and says that events may
    // have been missed meanwhile before it passes on the next ones.
    let db_name = b.database_url().rsplit('/').next().unwrap().to_string();
    let pg = sqlx::PgPool::connect(&b.database_url()).await.unwrap();
    let mut cut = 0;
    for _ in 0..50 {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = $1 AND query LIKE 'LISTEN%'",
        )
        .bind(&db_name)
        .fetch_one(&pg)
        .await
        .unwrap();
        cut += n;
        if cut > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    pg.close().await;
    assert!(cut > 0, "the listener's connection was found and cut");
    let (mut missed, mut heard) = (false, false);
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while !heard && std::time::Instant::now() < deadline {
        let (s, case) = agent
            .post(
                "/api/v1/cases",
                &json!({ "service": "KL-FRAGA", "subject": "Efter avbrottet", "description": "Hörs detta?", "channel": "phone" }),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{case}");
        let id = CaseId(case["id"].as_i64().unwrap());
        while let Ok(Ok(e)) = tokio::time::timeout(Duration::from_millis(400), rx.recv()).await {
            match e {
                Event::Missed => missed = true,
                Event::CaseCreated { case, .. } if case == id && missed => heard = true,
                _ => {}
            }
        }
    }
    assert!(
        missed,
        "subscribers are told that events may have been missed"
    );
    assert!(
        heard,
        "after the reconnect, other nodes' events arrive again"
    );
}
