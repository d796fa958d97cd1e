//! Each unit's result from the billing: revenue from locked charges, costs from the imported
//! ledger, against a zero budget; who may see it; the SIE export read back agreeing with it;
//! and the demo's locked year of runs.

use reqwest::Method;
use serde_json::json;
use serva_domain::format::money_ore;

use crate::dual;

/// Orders `n` KL-FRAGA cases (65 kr each) for the social services and closes them.
async fn closed_kl_cases(app: &crate::harness::App, n: usize) -> Vec<i64> {
    let customer = app.api("admin.sof").await;
    let agent = app.api("handlaggare.kontakt").await;
    let mut ids = Vec::new();
    for i in 0..n {
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
        ids.push(c["id"].as_i64().unwrap());
    }
    ids
}

/// The cells of the table row headed `head` (the text of its `td`s, tags dropped).
fn row_cells(html: &str, head: &str) -> Vec<String> {
    let start = html
        .find(&format!("<th scope=\"row\">{head}</th>"))
        .unwrap_or_else(|| panic!("no row {head}"));
    let row = &html[start..start + html[start..].find("</tr>").unwrap()];
    row.split("<td class=\"num\">")
        .skip(1)
        .map(|c| {
            let c = c.split("</td>").next().unwrap();
            c.replace("<strong>", "").replace("</strong>", "")
        })
        .collect()
}

const MONTHS_SV: [&str; 12] = [
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

dual!(
    a_unit_s_result_is_its_charges_against_its_ledger_costs,
    |app| {
        closed_kl_cases(&app, 3).await;
        let today = serva_domain::time::today();
        let month = today.format("%Y-%m").to_string();
        let year = today.format("%Y").to_string();
        let m = today.format("%m").to_string().parse::<usize>().unwrap();

        // Before the run is locked and the ledger imported nothing can be derived.
        let controller = app.login("controller").await;
        let (s, html) = controller
            .get(&format!("/billing/result?year={year}&unit=KL"))
            .await;
        assert_eq!(s, 200, "{html}");
        assert!(html.contains("Ingen debitering är låst"), "{html}");
        assert!(html.contains("Inget utfall från huvudboken"), "{html}");
        assert_eq!(
            row_cells(&html, MONTHS_SV[m - 1])[..4],
            ["–", "–", "–", "–"],
            "no figure is invented"
        );

        let (s, _, to) = controller
            .post("/billing/lock", &[("month", month.as_str())])
            .await;
        assert_eq!(s, 303, "the run locks");
        assert!(to.unwrap().contains("locked=1"));

        // The ledger's month for Kontakt Linköping (ansvar 2030): 1 000 kr costs, 300 kr revenue.
        let day = format!("{year}{:02}15", m);
        let sie = format!(
            "#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#DIM 1 \"Ansvar\"\n\
             #VER A 1 {day} \"Månaden\"\n{{\n#TRANS 3010 {{1 \"2030\"}} -300.00\n\
             #TRANS 5010 {{1 \"2030\"}} 1000.00\n#TRANS 1930 {{}} -700.00\n}}\n"
        );
        let admin = app.api("admin").await;
        let (s, body) = admin
            .raw(
                Method::POST,
                "/api/v1/imports/sie",
                "application/octet-stream",
                sie.into_bytes(),
            )
            .await;
        assert_eq!(s, 200, "{body}");

        let (s, html) = controller
            .get(&format!("/billing/result?year={year}&unit=KL"))
            .await;
        assert_eq!(s, 200, "{html}");
        assert!(!html.contains("Ingen debitering är låst"), "{html}");
        let cells = row_cells(&html, MONTHS_SV[m - 1]);
        assert_eq!(
            cells,
            [
                money_ore(19_500),
                money_ore(100_000),
                money_ore(-80_500),
                money_ore(-80_500),
                money_ore(0),
                money_ore(30_000),
            ],
            "revenue, cost, result, cumulative, budget, the ledger's revenue"
        );
        let service = row_cells(&html, "Allmän fråga till kommunen (KL-FRAGA)");
        assert_eq!(service.len(), 13, "twelve months and the year: {service:?}");
        assert_eq!(service[m - 1], money_ore(19_500));
        assert_eq!(service[12], money_ore(19_500));
        assert!(html.contains("<svg"), "the revenue chart");

        // The summary per unit: KL's year, linked to its page.
        let (s, html) = controller
            .get(&format!("/billing/result?year={year}"))
            .await;
        assert_eq!(s, 200);
        assert!(
            html.contains(&format!("/billing/result?year={year}&amp;unit=KL")),
            "{html}"
        );
        assert!(html.contains(&money_ore(-80_500)), "KL's result: {html}");

        // Bad input: a clear error.
        let (s, html) = controller.get("/billing/result?year=19x9").await;
        assert_eq!(s, 400);
        assert!(html.contains("fyra siffror"), "{html}");
        let (s, _) = controller
            .get(&format!("/billing/result?year={year}&unit=NOPE"))
            .await;
        assert_eq!(s, 404);

        // Access: KL's manager sees KL and only KL; LKDATA's manager does not see KL; agents
        // and customers see nothing.
        let chef = app.login("chef.kontakt").await;
        let (s, html) = chef
            .get(&format!("/billing/result?year={year}&unit=KL"))
            .await;
        assert_eq!(s, 200);
        assert_eq!(row_cells(&html, MONTHS_SV[m - 1])[0], money_ore(19_500));
        let (s, html) = chef.get(&format!("/billing/result?year={year}")).await;
        assert_eq!(s, 200);
        assert!(!html.contains("unit=LKDATA"), "{html}");
        let (s, _) = app
            .login("chef.lkdata")
            .await
            .get(&format!("/billing/result?year={year}&unit=KL"))
            .await;
        assert_eq!(s, 404);
        for who in ["handlaggare.kontakt", "admin.sof", "chef.sof"] {
            let (s, _) = app
                .login(who)
                .await
                .get(&format!("/billing/result?year={year}&unit=KL"))
                .await;
            assert_eq!(s, 404, "{who}");
            let (s, _) = app.login(who).await.get("/billing/result").await;
            assert_eq!(s, 404, "{who}");
        }
    }
);

dual!(
    the_sie_export_read_back_agrees_with_each_unit_s_result,
    |app| {
        closed_kl_cases(&app, 2).await;
        let today = serva_domain::time::today();
        let month = today.format("%Y-%m").to_string();
        let year: i32 = today.format("%Y").to_string().parse().unwrap();
        let m: u32 = today.format("%m").to_string().parse().unwrap();
        let controller = app.login("controller").await;
        let (s, _, _) = controller
            .post("/billing/lock", &[("month", month.as_str())])
            .await;
        assert_eq!(s, 303);
        let r = controller
            .client
            .get(format!(
                "{}/billing/export?month={month}&format=sie",
                controller.base
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap();
        let ledger = serva_domain::import::parse_sie(&serva_domain::import::decode_sie(&bytes))
            .expect("Serva's own SIE import reads the export");

        let serva = serva_app::App::new(app.db.clone());
        let results = serva
            .unit_results(&serva_domain::access::Principal::system(), year)
            .await
            .unwrap();
        let units = app.db.units().await.unwrap();
        let mut providers = 0;
        for r in &results {
            let revenue = r.months[m as usize - 1].revenue_ore.unwrap();
            if revenue == 0 {
                continue;
            }
            providers += 1;
            let u = units.iter().find(|u| u.code == r.unit).unwrap();
            let object = u.erp_code.clone().unwrap_or(u.code.clone());
            // The provider's revenue on account 3590 is what the import reads as its revenue
            // (a unit that also bought would carry costs on 7590 beside it).
            let (sie_revenue, _) =
                serva_domain::import::SieLedger::revenue_cost(&ledger.months[&(object, year, m)]);
            assert_eq!(sie_revenue, revenue, "{}: to the öre", r.unit);
        }
        assert_eq!(providers, 1, "Kontakt Linköping sold this month");
        let kl = results.iter().find(|r| r.unit == "KL").unwrap();
        assert_eq!(kl.months[m as usize - 1].revenue_ore, Some(13_000));
    }
);

dual!(the_demo_locks_2019_but_august_which_it_leaves_open, |app| {
    // The base demo has no history: two closed cases moved into March 2019 stand in for it.
    let ids = closed_kl_cases(&app, 2).await;
    let march = serva_domain::time::parse_day("2019-03-15").unwrap();
    let url = app.database_url();
    let sql = "UPDATE cases SET closed_day = $1 WHERE id = $2";
    let day = serva_domain::time::day_number(march);
    for id in ids {
        if url.starts_with("sqlite") {
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            sqlx::query(sql)
                .bind(day)
                .bind(id)
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        } else {
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            sqlx::query(sql)
                .bind(day)
                .bind(id)
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
    }
    serva::demo::billing_year::load(&app.db, None)
        .await
        .expect("the demo's runs lock");
    for month in serva::demo::billing_year::LOCKED_MONTHS {
        let run = app.db.billing_run(month).await.unwrap();
        let run = run.unwrap_or_else(|| panic!("{month} is locked"));
        if month == "2019-03" {
            assert_eq!((run.lines, run.total_ore), (2, 13_000));
        } else {
            assert_eq!(run.lines, 0, "{month}");
        }
    }
    assert_eq!(serva::demo::billing_year::LOCKED_MONTHS.len(), 11);
    assert!(app.db.billing_run("2019-08").await.unwrap().is_none());
    let controller = app.login("controller").await;
    // Every month but August has its run: the result page shows August as not locked.
    let (s, html) = controller.get("/billing/result?year=2019&unit=KL").await;
    assert_eq!(s, 200);
    assert_eq!(row_cells(&html, "aug")[0], "–");
    assert_eq!(row_cells(&html, "sep")[0], money_ore(0));
    let (s, _, to) = controller
        .post("/billing/lock", &[("month", "2019-08")])
        .await;
    assert_eq!(s, 303, "August 2019 can still be locked");
    assert!(to.unwrap().contains("2019-08"));
    // The result page has the demo's revenue for Kontakt Linköping, August's now too.
    let (s, html) = controller.get("/billing/result?year=2019&unit=KL").await;
    assert_eq!(s, 200);
    assert_eq!(row_cells(&html, "mar")[0], money_ore(13_000));
    assert_eq!(row_cells(&html, "feb")[0], money_ore(0));
    assert_eq!(row_cells(&html, "aug")[0], money_ore(0));
    // Without a year the page opens on the latest locked run's.
    let (s, html) = controller.get("/billing/result").await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Enheternas resultat från debiteringen 2019"),
        "{html}"
    );
});
