//! The `serva` binary as an operator uses it.

use std::process::Command;

use reqwest::StatusCode;

fn serva(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_serva"))
        .arg("--data")
        .arg(dir)
        .args(args)
        .env("SERVA_LOG", "warn")
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_user_add_and_token_create() {
    let dir = std::env::temp_dir().join(format!("serva_cli_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = serva(&dir, &["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A user needs an existing unit; with none, a clear error.
    let out = serva(
        &dir,
        &[
            "user",
            "add",
            "--username",
            "ops",
            "--name",
            "Ops",
            "--role",
            "agent:NOPE",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unit NOPE"));

    let db = serva::open(&format!("sqlite:{}", dir.join("serva.db").display()))
        .await
        .unwrap();
    serva::demo::load(&db, serva::demo::Scale::Base)
        .await
        .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_serva"))
        .arg("--data")
        .arg(&dir)
        .args([
            "user",
            "add",
            "--username",
            "ops.kl",
            "--name",
            "Olle Ops",
            "--home",
            "KL",
            "--role",
            "agent:KL",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"ett-langt-losenord\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = serva(&dir, &["token", "create", "--user", "ops.kl"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("serva_"));

    let (addr, _server) = serva::spawn("127.0.0.1:0", db, serva::Config::default())
        .await
        .unwrap();
    let r = reqwest::Client::new()
        .get(format!("http://{addr}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let me: serde_json::Value = r.json().await.unwrap();
    assert_eq!(me["username"], "ops.kl");
    let out = serva(&dir, &["token", "create", "--user", "nobody"]);
    assert!(!out.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_backup_restores_to_an_equal_copy() {
    let dir = std::env::temp_dir().join(format!("serva_backup_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = serva::open(&format!("sqlite:{}", dir.join("serva.db").display()))
        .await
        .unwrap();
    serva::demo::load(&db, serva::demo::Scale::Base)
        .await
        .unwrap();
    let user = db.user_by_username("handlaggare.kontakt").await.unwrap();
    let token = db.create_token(None, user.id, "t").await.unwrap();
    let (addr, _server) = serva::spawn("127.0.0.1:0", db.clone(), serva::Config::default())
        .await
        .unwrap();
    let client = reqwest::Client::new();
    for i in 0..20 {
        let r = client
            .post(format!("http://{addr}/api/v1/cases"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "service": "KL-FRAGA", "subject": format!("Fråga {i}"), "description": "x", "channel": "phone" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    // Online: the server keeps running while the copy is taken.
    let backup = dir.join("kopia.db");
    let out = serva(&dir, &["backup", "--output", backup.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("integrity check: ok"));
    let out = serva(&dir, &["backup", "--output", backup.to_str().unwrap()]);
    assert!(
        !out.status.success(),
        "an existing backup is never overwritten"
    );

    let restored = dir.join("restored");
    let out = serva(&restored, &["restore", "--input", backup.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = serva(&restored, &["restore", "--input", backup.to_str().unwrap()]);
    assert!(
        !out.status.success(),
        "restoring over a database needs --force"
    );
    let copy = serva::open(&format!("sqlite:{}", restored.join("serva.db").display()))
        .await
        .unwrap();
    assert_eq!(copy.integrity_check().await.unwrap(), "ok");
    assert_eq!(
        copy.table_counts().await.unwrap(),
        db.table_counts().await.unwrap()
    );
    let page = copy
        .list_cases(&serva_store::cases::CaseFilter::new(
            serva_domain::access::Visibility::All,
        ))
        .await
        .unwrap();
    assert_eq!(page.cases[0].subject, "Fråga 19");
    let garbage = dir.join("garbage.db");
    std::fs::write(&garbage, b"not a database").unwrap();
    let out = serva(
        &dir.join("other"),
        &["restore", "--input", garbage.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

/// How many rows the killed import writes: enough that a debug build takes seconds, so the
/// kills land while it checks the file and while it writes.
fn calls_file(dir: &std::path::Path, rows: usize) -> std::path::PathBuf {
    let mut text = String::from("call_id,unit,offered_at,wait_seconds,answered\n");
    for i in 0..rows {
        text.push_str(&format!(
            "kill-{i},LKDATA,2019-{:02}-{:02}T{:02}:{:02}:00,{},{}\n",
            1 + i % 12,
            1 + i % 28,
            8 + i % 9,
            i % 60,
            i % 300,
            if i % 7 == 0 { "false" } else { "true" }
        ));
    }
    let path = dir.join(format!("calls-{rows}.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

fn import_command(app: &crate::harness::App, file: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_serva"));
    match &app.data_dir {
        Some(dir) => c.arg("--data").arg(dir),
        None => c.arg("--database").arg(app.database_url()),
    };
    c.args(["import", "calls"])
        .arg(file)
        .env("SERVA_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    c
}

/// Whether the import has begun writing: on SQLite it holds the write lock, so another
/// writer cannot begin; on PostgreSQL its backend holds a transaction id, which only a write
/// assigns.
async fn writing(app: &crate::harness::App) -> bool {
    use sqlx::Connection;
    match &app.data_dir {
        Some(dir) => {
            use std::str::FromStr;
            let options = sqlx::sqlite::SqliteConnectOptions::from_str(&format!(
                "sqlite:{}",
                dir.join("serva.db").display()
            ))
            .unwrap()
            .busy_timeout(std::time::Duration::ZERO);
            let mut c = sqlx::SqliteConnection::connect_with(&options)
                .await
                .unwrap();
            let locked = match sqlx::query("BEGIN IMMEDIATE").execute(&mut c).await {
                Ok(_) => {
                    sqlx::query("ROLLBACK").execute(&mut c).await.unwrap();
                    false
                }
                Err(e) => {
                    assert!(e.to_string().contains("locked"), "{e}");
                    true
                }
            };
            c.close().await.ok();
            locked
        }
        None => {
            let mut c = sqlx::PgConnection::connect(&app.database_url())
                .await
                .unwrap();
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM pg_stat_activity \
                 WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()",
            )
            .fetch_one(&mut c)
            .await
            .unwrap();
            c.close().await.ok();
            n > 0
        }
    }
}

/// SIGKILLs `serva import` at several points of a large import: each time nothing of it is in
/// the database and SQLite's integrity check passes; then the import runs through whole.
/// When to kill the import: a fixed time after it starts, or a time after it is seen writing.
#[derive(Debug, Clone, Copy)]
enum Kill {
    After(u64),
    WhileWriting(u64),
}

async fn import_killed_half_way(backend: crate::harness::Backend, rows: usize, kills: &[Kill]) {
    use crate::harness::App;
    use std::time::{Duration, Instant};
    let Some(app) = App::boot(backend).await else {
        eprintln!("PostgreSQL not configured (TEST_DATABASE_URL); skipped");
        return;
    };
    let files = std::env::temp_dir().join(format!("serva_kill_{}_{backend:?}", std::process::id()));
    std::fs::create_dir_all(&files).unwrap();
    let file = calls_file(&files, rows);
    let before = app.db.table_counts().await.unwrap();
    let mut mid_write = 0;
    for &kill in kills {
        let started = Instant::now();
        let mut child = import_command(&app, &file).spawn().unwrap();
        let extra = match kill {
            Kill::After(ms) => ms,
            Kill::WhileWriting(ms) => {
                // Wait for the write transaction to begin, then let it run a while.
                while !writing(&app).await {
                    assert!(
                        child.try_wait().unwrap().is_none(),
                        "the import ended before it was seen writing"
                    );
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                ms
            }
        };
        tokio::time::sleep(Duration::from_millis(extra)).await;
        let was_writing = writing(&app).await;
        let at = started.elapsed();
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import of {rows} rows finished within {at:?}; make the file larger"
        );
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success());
        mid_write += usize::from(was_writing);
        eprintln!(
            "{backend:?}: {kill:?}: killed after {at:?}, {}",
            if was_writing {
                "while writing"
            } else {
                "before writing"
            }
        );
        if backend == crate::harness::Backend::Postgres {
            // The server rolls back once it notices the connection is gone.
            let deadline = Instant::now() + Duration::from_secs(10);
            while writing(&app).await {
                assert!(Instant::now() < deadline, "the killed transaction lingers");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        // A fresh connection, as the next process would open it.
        let fresh = serva::open(&app.database_url()).await.unwrap();
        assert_eq!(
            fresh.integrity_check().await.unwrap(),
            "ok",
            "after the kill at {at:?}"
        );
        assert_eq!(
            fresh.table_counts().await.unwrap(),
            before,
            "the import killed at {at:?} left rows behind"
        );
        fresh.close().await;
    }
    assert!(
        mid_write >= 3,
        "no kill landed while the import was writing: {kills:?}"
    );
    let started = Instant::now();
    let out = import_command(&app, &file).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "{backend:?}: {rows} rows imported whole in {:?}",
        started.elapsed()
    );
    let after = app.db.table_counts().await.unwrap();
    assert_eq!(app.db.integrity_check().await.unwrap(), "ok");
    for ((table, b), (_, a)) in before.iter().zip(&after) {
        let expected = match table.as_str() {
            "calls" => b + rows as i64,
            _ => *b,
        };
        // The import may note itself in the audit log.
        if table != "audit_log" {
            assert_eq!(*a, expected, "{table} after the whole import");
        }
    }
    let _ = std::fs::remove_dir_all(&files);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_killed_half_way_leaves_nothing_sqlite() {
    import_killed_half_way(
        crate::harness::Backend::Sqlite,
        80_000,
        &[
            Kill::After(150),
            Kill::After(700),
            Kill::WhileWriting(0),
            Kill::WhileWriting(400),
            Kill::WhileWriting(900),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_killed_half_way_leaves_nothing_postgres() {
    import_killed_half_way(
        crate::harness::Backend::Postgres,
        // Large enough that the last kill (1,5 s into the write) comes before the end on a
        // fast machine: 20 000 rows were once done in 1,7 s.
        80_000,
        &[
            Kill::After(150),
            Kill::WhileWriting(0),
            Kill::WhileWriting(600),
            Kill::WhileWriting(1_500),
        ],
    )
    .await;
}
