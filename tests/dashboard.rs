//! A unit's dashboard (docs/overview.md, `/units/{code}/dashboard`) through the real server:
//! LKDATA's manager sees the overview's known set of cases per week and channel, the week's
//! service level and satisfaction, and the open cases by age, each as a described SVG chart
//! with the same figures in a table; the weeks form keeps and explains bad input; agents get
//! 403, other managers 404, controllers and administrators see it. SQLite and PostgreSQL.

use reqwest::StatusCode;
use serva_domain::case::Channel;
use serva_domain::dashboard::last_weeks;
use serva_domain::CaseId;

use crate::harness::{App, Backend};
use crate::on_both;
use crate::overview::{known_cases, row_cells};

/// The rows of the table captioned `caption`, each as its row header and cells.
fn table_rows(html: &str, caption: &str) -> Vec<Vec<String>> {
    let at = html
        .find(&format!("<caption>{caption}</caption>"))
        .unwrap_or_else(|| panic!("no table {caption:?}: {html}"));
    let t = &html[at..];
    let t = &t[..t.find("</table>").unwrap()];
    t.split("<tr>")
        .skip(2)
        .map(|row| {
            row.split("<th scope=\"row\">")
                .nth(1)
                .into_iter()
                .flat_map(|r| {
                    let (th, rest) = r.split_once("</th>").unwrap();
                    std::iter::once(crate::overview::text(th)).chain(
                        rest.split("<td")
                            .skip(1)
                            .map(|c| {
                                let inner = &c[c.find('>').unwrap() + 1..];
                                crate::overview::text(&inner[..inner.find("</td>").unwrap()])
                            })
                            .collect::<Vec<_>>(),
                    )
                })
                .collect()
        })
        .collect()
}

on_both!(the_dashboard_charts_a_known_set_of_cases, |backend| {
    let Some(app) = App::boot(backend).await else {
        return;
    };
    let k = known_cases(&app).await;
    let manager = app.login("chef.lkdata").await;
    let (s, html) = manager.get("/units/LKDATA/dashboard").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let now = serva_domain::time::now_ms();
    let weeks = last_weeks(now, 12);

    // Cases per week and channel: each known case in the week and channel it came in.
    let mut expected = vec![[0i64; 5]; 12];
    for id in [k.past, k.near, k.old, k.done] {
        let c = app.db.case(CaseId(id)).await.unwrap();
        let w = weeks
            .iter()
            .position(|w| (w.from..w.to).contains(&c.created_at))
            .expect("within 12 weeks");
        let ch = Channel::ALL.iter().position(|x| *x == c.channel).unwrap();
        expected[w][ch] += 1;
    }
    let rows = table_rows(&html, "Ärenden per vecka och kanal");
    assert_eq!(rows.len(), 12, "{rows:?}");
    for (i, w) in weeks.iter().enumerate() {
        let mut want: Vec<String> = expected[i].iter().map(|n| n.to_string()).collect();
        want.push(expected[i].iter().sum::<i64>().to_string());
        assert_eq!(rows[i][0], w.label);
        assert_eq!(rows[i][1..], want[..], "week {}", w.label);
    }
    assert!(html.contains(r#"role="img" aria-labelledby="dash-cases-t dash-cases-d""#));
    assert!(html.contains(r#"<title id="dash-cases-t">Ärenden per vecka och kanal</title>"#));
    assert!(html.contains("<summary>Visa som tabell</summary>"));

    // This week: one first response in time and one breached; one resolution in time.
    let this_week = &weeks[11].label;
    let sl = row_cells(
        &html[html.find("<caption>Lösning inom mål per vecka").unwrap()..],
        this_week,
    );
    assert_eq!(sl, ["50,0 % (1/2)", "100,0 % (1/1)"], "{html}");
    assert!(html.contains(r#"<title id="dash-sl-t">Lösning inom mål per vecka</title>"#));
    assert!(
        html.contains("mål 80\u{a0}%."),
        "the target in the description"
    );

    // Satisfaction: the answer of 4 of 5 is index 75, this week.
    let sat = row_cells(
        &html[html.find("<caption>Kundnöjdhet").unwrap()..],
        this_week,
    );
    assert_eq!(sat, ["75,0", "1"]);
    assert!(html.contains(r#"<title id="dash-sat-t">"#));

    // Open cases by age (LKDATA works every day here): two of today, one of 40 days.
    let ages = &html[html.find("<caption>Öppna ärenden efter ålder").unwrap()..];
    assert_eq!(row_cells(ages, "0–2 dagar"), ["2"]);
    assert_eq!(row_cells(ages, "3–7 dagar"), ["0"]);
    assert_eq!(row_cells(ages, "8–30 dagar"), ["0"]);
    assert_eq!(row_cells(ages, "Över 30 dagar"), ["1"]);
    assert_eq!(row_cells(ages, "Totalt"), ["3"]);
    assert!(html.contains("Histogram, öppna ärenden efter ålder, totalt 3: 0–2 dagar: 2"));

    // Four weeks: four rows, the 40-day-old case left out.
    let (s, html) = manager.get("/units/LKDATA/dashboard?weeks=4").await;
    assert_eq!(s, StatusCode::OK);
    let rows = table_rows(&html, "Ärenden per vecka och kanal");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3][0], *this_week);
    assert!(html.contains(r#"name="weeks" value="4""#), "{html}");

    // Bad weeks: said beside the field, kept as typed, the default weeks shown.
    let (s, html) = manager.get("/units/LKDATA/dashboard?weeks=tolv").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains(r#"id="weeks-error">Ange antalet veckor som ett heltal"#),
        "{html}"
    );
    assert!(
        html.contains(r#"value="tolv" aria-invalid="true" aria-describedby="weeks-error""#),
        "{html}"
    );
    assert_eq!(table_rows(&html, "Ärenden per vecka och kanal").len(), 12);
    let (s, html) = manager.get("/units/LKDATA/dashboard?weeks=53").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Välj mellan 1 och 52 veckor."));

    // The overview leads here.
    let (_, overview) = manager.get("/units/LKDATA/overview").await;
    assert!(overview.contains(r#"href="/units/LKDATA/dashboard""#));
});

on_both!(
    the_dashboard_is_for_managers_controllers_and_administrators,
    |backend| {
        let Some(app) = App::boot(backend).await else {
            return;
        };
        for (user, status) in [
            ("chef.lkdata", StatusCode::OK),
            ("admin", StatusCode::OK),
            ("controller", StatusCode::OK),
            ("handlaggare.lkdata", StatusCode::FORBIDDEN),
            ("chef.kontakt", StatusCode::NOT_FOUND),
            ("admin.sof", StatusCode::NOT_FOUND),
        ] {
            let (s, body) = app.login(user).await.get("/units/LKDATA/dashboard").await;
            assert_eq!(s, status, "{user}: {body}");
        }
        let admin = app.login("admin").await;
        let (s, _) = admin.get("/units/NOSUCH/dashboard").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // A customer department has no dashboard.
        let (s, _) = admin.get("/units/SOF/dashboard").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // A unit with nothing to count says so instead of drawing empty charts.
        let (s, html) = app
            .login("chef.kontakt")
            .await
            .get("/units/KL/dashboard")
            .await;
        assert_eq!(s, StatusCode::OK, "{html}");
        if !html.contains("<svg") {
            assert_eq!(
                html.matches("Inga uppgifter för perioden.").count(),
                4,
                "{html}"
            );
        }
        assert!(!html.contains("NaN") && !html.contains("inf"), "{html}");
    }
);
