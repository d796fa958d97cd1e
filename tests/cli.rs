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
