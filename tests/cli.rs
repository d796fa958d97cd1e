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
    let token = db.create_token(None, user.uid(), "t").await.unwrap();
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
            serva_store::cases::Visibility::All,
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
