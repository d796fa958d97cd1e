//! Billing runs from the command line, as the controller's operator runs them: the month's
//! closed cases priced, previewed, locked once, and exported as SIE 4I (read back by Serva's
//! own SIE import), CSV and XLSX.

use std::process::Command;

use serde_json::json;

use crate::dual;

fn serva(url: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_serva"))
        .args(args)
        .arg("--database")
        .arg(url)
        .env("SERVA_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

dual!(
    a_month_s_closed_cases_are_charged_once_and_exported_in_balance,
    |app| {
        let customer = app.api("admin.sof").await;
        let agent = app.api("handlaggare.kontakt").await;
        // Three cases of Kontakt Linköping's KL-FRAGA (65 kr a case) for the social services.
        for i in 0..3 {
            let (s, c) = customer
            .post(
                "/api/v1/cases",
                &json!({ "service": "KL-FRAGA", "subject": format!("Fråga {i}"), "description": "Hej" }),
            )
            .await;
            assert_eq!(s, 201, "{c}");
            let (s, p) = agent
                .patch(
                    &format!("/api/v1/cases/{}", c["id"]),
                    &json!({ "status": "closed" }),
                )
                .await;
            assert!(s.is_success(), "{p}");
        }
        let month = serva_domain::time::today().format("%Y-%m").to_string();
        let url = app.database_url();

        let (ok, out, err) = serva(&url, &["billing", "run", "--month", &month]);
        assert!(ok, "{err}");
        assert!(out.contains("preview, not locked"), "{out}");
        let line = out
            .lines()
            .find(|l| l.contains("KL-FRAGA"))
            .unwrap_or_else(|| panic!("no KL-FRAGA row: {out}"));
        assert!(
            line.contains("SOF") && line.contains(" 3 ") && line.contains("195"),
            "{line}"
        );

        // Export needs a locked run.
        // Each database's run has its own folder: the two run at the same time.
        let dir = std::env::temp_dir().join(format!(
            "serva_billing_{}_{}",
            std::process::id(),
            if url.starts_with("sqlite") {
                "sqlite"
            } else {
                "postgres"
            }
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let sie = dir.join(format!("{month}.se"));
        let (ok, _, err) = serva(
            &url,
            &[
                "billing",
                "export",
                "--month",
                &month,
                "--format",
                "sie",
                "--output",
                sie.to_str().unwrap(),
            ],
        );
        assert!(!ok && err.contains("not locked"), "{err}");

        let (ok, out, err) = serva(&url, &["billing", "run", "--month", &month, "--lock"]);
        assert!(ok, "{err}");
        assert!(out.contains("Locked") && out.contains("195"), "{out}");
        let (ok, _, err) = serva(&url, &["billing", "run", "--month", &month, "--lock"]);
        assert!(
            !ok && err.contains("locked already"),
            "a locked run never changes: {err}"
        );
        let (ok, out, _) = serva(&url, &["billing", "run", "--month", &month]);
        assert!(ok && out.contains("(locked)"), "{out}");

        let (ok, _, err) = serva(
            &url,
            &[
                "billing",
                "export",
                "--month",
                &month,
                "--format",
                "sie",
                "--output",
                sie.to_str().unwrap(),
            ],
        );
        assert!(ok, "{err}");
        let text = serva_domain::import::decode_sie(&std::fs::read(&sie).unwrap());
        assert!(text.contains("#FORMAT PC8") && text.contains("#SIETYP 4"));
        let ledger = serva_domain::import::parse_sie(&text).expect("Serva's own import reads it");
        let kl = app.db.unit_by_code("KL").await.unwrap();
        let object = kl.erp_code.unwrap_or(kl.code);
        let (y, m) = month.split_once('-').unwrap();
        let key = (object, y.parse::<i32>().unwrap(), m.parse::<u32>().unwrap());
        assert_eq!(
            serva_domain::import::SieLedger::revenue_cost(&ledger.months[&key]),
            (19_500, 0),
            "Kontakt Linköping's revenue, to the öre"
        );
        let total: i64 = ledger
            .months
            .values()
            .map(|m| m.revenue_sum + m.cost_sum)
            .sum();
        assert_eq!(total, 0, "debit equals credit");

        let csv_path = dir.join("run.csv");
        let (ok, _, err) = serva(
            &url,
            &[
                "billing",
                "export",
                "--month",
                &month,
                "--format",
                "csv",
                "--output",
                csv_path.to_str().unwrap(),
            ],
        );
        assert!(ok, "{err}");
        let csv = std::fs::read_to_string(&csv_path).unwrap();
        assert_eq!(
            csv.lines()
                .filter(|l| l.starts_with("SOF;KL-FRAGA;KL;"))
                .count(),
            3,
            "{csv}"
        );
        assert!(
            csv.lines().all(|l| !l.contains("65.00")),
            "Swedish decimals: {csv}"
        );
        let xlsx_path = dir.join("run.xlsx");
        let (ok, _, err) = serva(
            &url,
            &[
                "billing",
                "export",
                "--month",
                &month,
                "--format",
                "xlsx",
                "--output",
                xlsx_path.to_str().unwrap(),
            ],
        );
        assert!(ok, "{err}");
        assert!(std::fs::read(&xlsx_path).unwrap().starts_with(b"PK"));
        let _ = std::fs::remove_dir_all(&dir);

        // Bad input: a month that is no month, with a clear error and nothing written.
        let (ok, _, err) = serva(&url, &["billing", "run", "--month", "2019-13", "--lock"]);
        assert!(!ok && err.contains("YYYY-MM"), "{err}");
        assert!(app.db.billing_run("2019-13").await.unwrap().is_none());
    }
);

dual!(
    the_controller_previews_locks_and_downloads_a_run_in_the_browser,
    |app| {
        let customer = app.api("admin.sof").await;
        let agent = app.api("handlaggare.kontakt").await;
        for i in 0..2 {
            let (_, c) = customer
            .post(
                "/api/v1/cases",
                &json!({ "service": "KL-FRAGA", "subject": format!("Fråga {i}"), "description": "Hej" }),
            )
            .await;
            let (s, p) = agent
                .patch(
                    &format!("/api/v1/cases/{}", c["id"]),
                    &json!({ "status": "closed" }),
                )
                .await;
            assert!(s.is_success(), "{p}");
        }
        let month = serva_domain::time::today().format("%Y-%m").to_string();
        let controller = app.login("controller").await;
        let (s, html) = controller.get(&format!("/billing?month={month}")).await;
        assert_eq!(s, reqwest::StatusCode::OK);
        assert!(html.contains("Förhandsgranskning"), "{html}");
        assert!(html.contains("Socialförvaltningen") || html.contains("SOF"));
        assert!(html.contains("130\u{a0}kr"), "2 × 65 kr: {html}");
        assert!(html.contains("href=\"/billing\""), "in the menu");

        let (s, _, loc) = controller.post("/billing/lock", &[("month", &month)]).await;
        assert_eq!(s, reqwest::StatusCode::SEE_OTHER);
        assert_eq!(loc.unwrap(), format!("/billing?month={month}&locked=1"));
        let (_, html) = controller
            .get(&format!("/billing?month={month}&locked=1"))
            .await;
        assert!(html.contains("Debiteringen är låst") && html.contains("Låst"));
        let (s, html, _) = controller.post("/billing/lock", &[("month", &month)]).await;
        assert_eq!(s, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("locked already"));

        for (format, starts) in [
            ("sie", &b"#FLAGGA 0"[..]),
            ("xlsx", &b"PK"[..]),
            ("csv", &b"\xef\xbb\xbfKund;"[..]),
        ] {
            let r = controller
                .client
                .get(app.url(&format!("/billing/export?month={month}&format={format}")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), reqwest::StatusCode::OK, "{format}");
            let disposition = r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .to_string();
            assert!(
                disposition.contains(&format!("debitering-{month}")),
                "{disposition}"
            );
            let body = r.bytes().await.unwrap();
            assert!(body.starts_with(starts), "{format}");
        }
        assert_eq!(
            controller.get("/billing?month=2019-13").await.0,
            reqwest::StatusCode::BAD_REQUEST
        );
        // Nobody else sees billing.
        for who in ["admin.sof", "handlaggare.kontakt", "chef.uf"] {
            let b = app.login(who).await;
            assert_eq!(
                b.get("/billing").await.0,
                reqwest::StatusCode::NOT_FOUND,
                "{who}"
            );
            let (_, html) = b.get("/account").await;
            assert!(
                !html.contains("href=\"/billing\""),
                "{who} has no menu item"
            );
        }
    }
);
