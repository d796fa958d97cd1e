//! Crash safety: the server is killed with SIGKILL in the middle of a load, again and again;
//! every case it acknowledged with 201 is there afterwards and the database is intact.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(dir: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_serva"))
        .arg("--data")
        .arg(dir)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("SERVA_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_ready(client: &reqwest::Client, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
        {
            if r.status() == StatusCode::OK {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_cases_survive_sigkill() {
    let dir = std::env::temp_dir().join(format!("serva_crash_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite:{}", dir.join("serva.db").display());
    let token = {
        let db = serva::open(&url).await.unwrap();
        serva::demo::load(&db, serva::demo::Scale::Base)
            .await
            .unwrap();
        let user = db.user_by_username("handlaggare.kontakt").await.unwrap();
        let t = db.create_token(None, user.id, "crash").await.unwrap();
        db.close().await;
        t
    };
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let acknowledged = Arc::new(Mutex::new(Vec::<i64>::new()));
    for round in 0..4 {
        let port = free_port();
        let mut child = start(&dir, port);
        wait_ready(&client, port).await;
        let stop = Arc::new(AtomicBool::new(false));
        let mut workers = Vec::new();
        for w in 0..8 {
            let (client, token, stop, acked) = (
                client.clone(),
                token.clone(),
                stop.clone(),
                acknowledged.clone(),
            );
            workers.push(tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let body = serde_json::json!({
                        "service": "KL-FRAGA", "subject": format!("Runda {round} arbetare {w} nr {i}"),
                        "description": "Krocktest", "channel": "phone", "resolve_now": i % 2 == 0
                    });
                    let Ok(r) = client.post(format!("http://127.0.0.1:{port}/api/v1/cases")).bearer_auth(&token).json(&body).send().await else {
                        break;
                    };
                    if r.status() == StatusCode::CREATED {
                        if let Ok(v) = r.json::<serde_json::Value>().await {
                            acked.lock().unwrap().push(v["id"].as_i64().unwrap());
                        }
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(600 + 150 * round)).await;
        child.kill().unwrap(); // SIGKILL: no shutdown, no flush
        child.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        for w in workers {
            let _ = w.await;
        }
    }
    let acked = acknowledged.lock().unwrap().clone();
    assert!(
        acked.len() > 50,
        "the load acknowledged only {} cases",
        acked.len()
    );
    let db = serva::open(&url).await.unwrap();
    assert_eq!(db.integrity_check().await.unwrap(), "ok");
    for id in &acked {
        let case = db
            .case(serva_domain::CaseId(*id))
            .await
            .unwrap_or_else(|e| panic!("acknowledged case {id} is lost: {e}"));
        assert_eq!(case.description, "Krocktest");
        let events = db.history(case.id).await.unwrap();
        assert!(!events.is_empty(), "case {id} lost its history");
    }
    // And the server starts again on the same data and answers.
    let port = free_port();
    let mut child = start(&dir, port);
    wait_ready(&client, port).await;
    child.kill().unwrap();
    child.wait().unwrap();
    eprintln!("{} acknowledged cases survived 4 SIGKILLs", acked.len());
    let _ = std::fs::remove_dir_all(&dir);
}
