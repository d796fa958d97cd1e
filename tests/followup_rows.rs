//! Follow-up rows by form: created, changed and deleted by a controller, checked by the
//! import's rules, Swedish numbers read and shown back the Swedish way, a delete asked first.

use crate::dual;
use reqwest::StatusCode;

const QS: &str = "org=VSS&year=2019&through=2019-08-31";
const HIDDEN: [(&str, &str); 3] = [
    ("fu_org", "VSS"),
    ("fu_year", "2019"),
    ("fu_through", "2019-08-31"),
];

/// A kind, its section, a new row's fields, and one field changed afterwards.
type Case<'a> = (
    &'a str,
    &'a str,
    Vec<(&'a str, &'a str)>,
    (&'a str, &'a str),
);

fn form<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = HIDDEN.to_vec();
    f.extend_from_slice(extra);
    f
}

/// The key in the first link after `marker` (`…&key=KEY"`).
fn key_after(html: &str, marker: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {html}"));
    let rest = &html[at..];
    let k = rest.find("key=").unwrap() + 4;
    let raw: String = rest[k..].chars().take_while(|c| *c != '"').collect();
    raw.replace("%3A", ":")
}

dual!(rows_are_created_changed_and_deleted_by_form, |app| {
    let c = app.login("controller").await;
    let (s, html) = c.get(&format!("/followup/investments?{QS}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("/followup/rows/investments/new?"), "{html}");

    // An investment with Swedish amounts.
    let new = [
        ("year", "2019"),
        ("unit", "KL"),
        ("project", "Nya växeln"),
        ("frame", "16 015"),
        ("spent", "1 234,50"),
        ("income", "0"),
        ("forecast_spent", "2 000"),
        ("forecast_income", "0"),
    ];
    let (s, _, loc) = c.post("/followup/rows/investments", &form(&new)).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let loc = loc.unwrap();
    assert!(
        loc.starts_with("/followup/investments?") && loc.contains("ok=saved#rad-investments-"),
        "{loc}"
    );
    let (_, html) = c.get(&format!("/followup/investments?{QS}")).await;
    assert!(
        html.contains("Nya växeln") && html.contains("16 015") && html.contains("1 234,50"),
        "{html}"
    );

    // The same project again is refused, not written over.
    let (s, html, _) = c.post("/followup/rows/investments", &form(&new)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("finns redan"), "{html}");

    // A bad amount: the error beside the field, everything typed kept.
    let mut bad = new.to_vec();
    bad[2] = ("project", "Annat projekt");
    bad[3] = ("frame", "sexton tusen");
    let (s, html, _) = c.post("/followup/rows/investments", &form(&bad)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"f-frame-error\""), "{html}");
    assert!(html.contains("Skriv ett belopp i kronor"), "{html}");
    assert!(html.contains("value=\"sexton tusen\"") && html.contains("value=\"Annat projekt\""));

    // Changed.
    let key = key_after(
        &html_of(&c, "investments").await,
        "/followup/rows/investments/edit?",
    );
    let (s, html) = c
        .get(&format!("/followup/rows/investments/edit?{QS}&key={key}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("value=\"16 015\""), "{html}");
    let mut changed = new.to_vec();
    changed[3] = ("frame", "20 000");
    let mut f = form(&changed);
    f.push(("key", &key));
    let (s, _, _) = c.post("/followup/rows/investments", &f).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(html_of(&c, "investments").await.contains("20 000"));

    // Deleted after a question.
    let (s, html) = c
        .get(&format!("/followup/rows/investments/delete?{QS}&key={key}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Ja, ta bort") && html.contains("Nya växeln"),
        "{html}"
    );
    let mut f = HIDDEN.to_vec();
    f.push(("key", &key));
    let (s, _, loc) = c.post("/followup/rows/investments/delete", &f).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(loc.unwrap().contains("ok=deleted"));
    assert!(!html_of(&c, "investments").await.contains("Nya växeln"));

    // An indicator value of 1,5: shown and filled in as 1,5.
    let value = [
        ("indicator", "VSS-IND-04"),
        ("period", "2019-07"),
        ("gender", "K"),
        ("value", "1,5"),
        ("target", ""),
    ];
    let (s, _, _) = c
        .post("/followup/rows/indicator_values", &form(&value))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let html = html_of(&c, "indicators").await;
    assert!(html.contains(">1,5<") && !html.contains("1.5"), "{html}");
    let at = html.find(">1,5<").unwrap();
    let key = key_after(&html[at..], "/followup/rows/indicator_values/edit?");
    let (_, html) = c
        .get(&format!(
            "/followup/rows/indicator_values/edit?{QS}&key={}",
            key
        ))
        .await;
    assert!(html.contains("value=\"1,5\""), "{html}");
    // The period by the import's rule.
    let bad = [
        ("indicator", "VSS-IND-04"),
        ("period", "juli"),
        ("gender", "K"),
        ("value", "1"),
    ];
    let (s, html, _) = c.post("/followup/rows/indicator_values", &form(&bad)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"f-period-error\"") && html.contains("value=\"juli\""),
        "{html}"
    );

    // Budget, staff, goal, assignment, control point and forecast: each created, changed, deleted.
    let cases: [Case; 6] = [
        (
            "budget",
            "budget",
            vec![
                ("year", "2021"),
                ("unit", "KL"),
                ("revenue", "100 000"),
                ("cost", "90 000,50"),
                ("note", "Ny"),
            ],
            ("note", "Ändrad"),
        ),
        (
            "staff",
            "staff",
            vec![
                ("period", "2019-05"),
                ("unit", "KL"),
                ("gender", "M"),
                ("metric", "sick_leave"),
                ("value", "2,5"),
                ("target", ""),
            ],
            ("value", "3,25"),
        ),
        (
            "goals",
            "goals",
            vec![
                ("year", "2019"),
                ("unit", "VSS"),
                ("area", "operations"),
                ("municipal_goal", ""),
                ("name", "Testmål"),
                ("description", ""),
            ],
            ("name", "Testmål, ändrat"),
        ),
        (
            "assignments",
            "assignments",
            vec![
                ("year", "2019"),
                ("unit", "VSS"),
                ("common", "false"),
                ("text", "Testuppdrag"),
                ("status", "not_started"),
                ("comment", ""),
            ],
            ("status", "done"),
        ),
        (
            "controls",
            "control",
            vec![
                ("year", "2019"),
                ("unit", "KL"),
                ("name", "Testkontroll"),
                ("risk", "Hög"),
                ("method", ""),
                ("frequency", ""),
                ("owner", ""),
            ],
            ("owner", "Controller"),
        ),
        (
            "forecast",
            "forecasts",
            vec![
                ("year", "2019"),
                ("through", "2019-6-30"),
                ("unit", "KL"),
                ("revenue", "1 000"),
                ("cost", "900"),
            ],
            ("cost", "950"),
        ),
    ];
    for (kind, section, fields, (col, changed)) in cases {
        let (s, html, loc) = c
            .post(&format!("/followup/rows/{kind}"), &form(&fields))
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{kind}: {html}");
        assert!(
            loc.unwrap().starts_with(&format!("/followup/{section}?")),
            "{kind}"
        );
        let (page, mark) = match kind {
            "budget" => ("org=VSS&year=2021&through=2021-08-31", "90 000,50"),
            "staff" => (QS, "2019-05"),
            "goals" => (QS, "Testmål"),
            "assignments" => (QS, "Testuppdrag"),
            "controls" => (QS, "Testkontroll"),
            _ => (QS, "2019-06-30"),
        };
        let (_, list) = c.get(&format!("/followup/{section}?{page}")).await;
        // In the kind's own list (a section's other forms may name the row too).
        let list = &list[list.find(&format!("id=\"h-{kind}\"")).unwrap()..];
        let at = list
            .find(mark)
            .unwrap_or_else(|| panic!("{kind}: {mark} in {list}"));
        let key = key_after(&list[at..], &format!("/followup/rows/{kind}/edit?"));
        let mut f: Vec<(&str, &str)> = form(&fields)
            .into_iter()
            .filter(|(k, _)| *k != col)
            .collect();
        f.push((col, changed));
        f.push(("key", &key));
        let (s, html, _) = c.post(&format!("/followup/rows/{kind}"), &f).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{kind} change: {html}");
        let (s, html) = c
            .get(&format!(
                "/followup/rows/{kind}/edit?{QS}&key={}",
                urlencoding(&key)
            ))
            .await;
        assert_eq!(s, StatusCode::OK, "{kind}: {key}");
        assert!(
            html.contains(&format!("value=\"{changed}\""))
                || html.contains(&format!("value=\"{changed}\" selected"))
                || html.contains(&format!(">{changed}</textarea>")),
            "{kind}: {html}"
        );
        let mut f = HIDDEN.to_vec();
        f.push(("key", &key));
        assert_eq!(
            c.post(&format!("/followup/rows/{kind}/delete"), &f).await.0,
            StatusCode::SEE_OTHER,
            "{kind}"
        );
        assert_eq!(
            c.get(&format!(
                "/followup/rows/{kind}/edit?{QS}&key={}",
                urlencoding(&key)
            ))
            .await
            .0,
            StatusCode::NOT_FOUND,
            "{kind}"
        );
    }

    // A date typed wrong is refused beside the field.
    let bad = [
        ("year", "2019"),
        ("through", "2019-13-01"),
        ("unit", "KL"),
        ("revenue", "1"),
        ("cost", "1"),
    ];
    let (s, html, _) = c.post("/followup/rows/forecast", &form(&bad)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"f-through-error\"") && html.contains("value=\"2019-13-01\""),
        "{html}"
    );

    // A unit outside the administration is not offered, and refused.
    let other = [
        ("year", "2019"),
        ("unit", "LEJON"),
        ("revenue", "1"),
        ("cost", "1"),
        ("note", ""),
    ];
    let (s, html, _) = c.post("/followup/rows/budget", &form(&other)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("id=\"f-unit-error\""));

    // Someone who does not write the follow-up reaches none of it.
    let agent = app.login("handlaggare.kontakt").await;
    assert_eq!(
        agent
            .get(&format!("/followup/rows/budget/new?{QS}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        agent.post("/followup/rows/budget", &form(&new)).await.0,
        StatusCode::NOT_FOUND
    );
});

async fn html_of(c: &crate::harness::Browser, section: &str) -> String {
    c.get(&format!("/followup/{section}?{QS}")).await.1
}

fn urlencoding(s: &str) -> String {
    s.replace(':', "%3A")
}

dual!(texts_and_events_are_carried_over_to_a_new_date, |app| {
    let c = app.login("controller").await;
    // An event on the report date, to be carried over with the texts.
    let mut ev = vec![("org", "VSS"), ("year", "2019"), ("through", "2019-08-31")];
    ev.extend([("decision", "true"), ("body", "Nytt beslut om växeln")]);
    assert_eq!(
        c.post("/followup/events", &ev).await.0,
        StatusCode::SEE_OTHER
    );
    let (_, texts) = c.get(&format!("/followup/texts?{QS}")).await;
    assert!(texts.contains("/followup/carry-over?"), "{texts}");

    // Opened from the texts page: the two dates, the new one being the page's.
    let (s, html) = c.get(&format!("/followup/carry-over?{QS}")).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains("name=\"to\"") && html.contains("value=\"2019-08-31\""),
        "{html}"
    );

    // The plan first: everything of 2019-08-31 is copied to 2019-12-31.
    let plan = format!("/followup/carry-over?{QS}&from=2019-08-31&to=20191231");
    let (s, html) = c.get(&plan).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("kopieras som utkast") && html.contains("Nytt beslut om växeln"),
        "{html}"
    );
    assert!(!html.contains("kopieras inte"), "{html}");
    let form = [("org", "VSS"), ("from", "2019-08-31"), ("to", "2019-12-31")];
    let (s, _, loc) = c.post("/followup/carry-over", &form).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let loc = loc.unwrap();
    assert!(
        loc.contains("through=2019-12-31") && loc.contains("ok=carried"),
        "{loc}"
    );
    let (_, html) = c.get(&loc).await;
    assert!(
        html.contains("Nytt beslut om växeln") && html.contains("Utkast"),
        "{html}"
    );

    // Again: nothing is written over, and the page says so.
    let (_, html) = c.get(&plan).await;
    assert!(
        html.contains("finns redan på det nya datumet, kopieras inte"),
        "{html}"
    );
    assert!(html.contains("Inget att kopiera"), "{html}");
    let api = app.api("controller").await;
    let (_, r) = api
        .get("/api/v1/reports/interim?org=VSS&year=2019&through=2019-12-31")
        .await;
    let n = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["body"] == "Nytt beslut om växeln")
        .count();
    assert_eq!(n, 1, "{r}");
    assert_eq!(
        c.post("/followup/carry-over", &form).await.0,
        StatusCode::SEE_OTHER
    );
    let (_, r) = api
        .get("/api/v1/reports/interim?org=VSS&year=2019&through=2019-12-31")
        .await;
    let n = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["body"] == "Nytt beslut om växeln")
        .count();
    assert_eq!(n, 1, "copied once");

    // A date that cannot be read is said beside its field.
    let (s, html) = c
        .get(&format!(
            "/followup/carry-over?{QS}&from=augusti&to=2019-12-31"
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"from-error\"") && html.contains("value=\"augusti\""),
        "{html}"
    );
    // Someone who does not write the follow-up cannot carry it over.
    let agent = app.login("handlaggare.kontakt").await;
    assert_eq!(agent.get(&plan).await.0, StatusCode::NOT_FOUND);
});
