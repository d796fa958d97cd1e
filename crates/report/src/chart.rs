//! The report's charts, drawn once as SVG for every format: inline in the HTML (with
//! `role="img"`, a title and a description), as images in the PDF. Each comes with an
//! alternative text that carries the figures it shows, so a reader who cannot see the chart
//! loses nothing. The chart type and its drawing primitives are `serva_domain::chart`'s,
//! shared with the unit dashboard; the service level per week is drawn by the same line as
//! the dashboard's. Text in a chart is escaped; a bar too thin to see is not drawn (SVG
//! readers reject a zero-width rectangle).

pub use serva_domain::chart::Chart;
use serva_domain::chart::{line_with_target, Line};
use serva_domain::format;
use serva_domain::report::{FinanceRow, InterimReport, OperationsRow};

use crate::labels::{channel_label, opt, plain};
use crate::xml::escape;

/// "Resultat per verksamhet": forecast (dark) and budget (light) per unit, in tkr.
pub fn results(r: &InterimReport) -> Option<Chart> {
    let units: Vec<&FinanceRow> = r.finance.units.iter().collect();
    if units.is_empty() {
        return None;
    }
    let max = units
        .iter()
        .flat_map(|u| [u.forecast.unwrap_or(0).abs(), u.budget.unwrap_or(0).abs()])
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (w, row_h, left) = (640, 34, 170);
    let h = 40 + row_h * units.len() as i32;
    // Room on the left of zero for deficits, on the right for surpluses and the labels: the
    // longest bar reaches 85 % of the plot, clear of the figures at its right edge.
    let zero = left as f64 + 0.35 * (w - left - 20) as f64;
    let scale = 0.5 * (w - left - 20) as f64 / max;
    let mut s = format!(
        r##"<line x1="{zero:.1}" y1="20" x2="{zero:.1}" y2="{}" stroke="#1b1b1b"/>"##,
        h - 10
    );
    s.push_str(&format!(
        r##"<rect x="{left}" y="4" width="10" height="10" fill="#00457c"/><text x="{}" y="13" font-size="12">Prognos</text><rect x="{}" y="4" width="10" height="10" fill="#8fb3d9"/><text x="{}" y="13" font-size="12">Budget (tkr)</text>"##,
        left + 14,
        left + 80,
        left + 94
    ));
    for (i, u) in units.iter().enumerate() {
        let y = 24 + i as i32 * row_h;
        s.push_str(&format!(
            r#"<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>"#,
            left - 6,
            y + 16,
            escape(&u.name)
        ));
        for (k, (v, fill)) in [
            (u.forecast.unwrap_or(0), "#00457c"),
            (u.budget.unwrap_or(0), "#8fb3d9"),
        ]
        .iter()
        .enumerate()
        {
            let len = (*v as f64 * scale).abs();
            if len < 0.05 {
                continue;
            }
            let x = if *v < 0 { zero - len } else { zero };
            s.push_str(&format!(
                r#"<rect x="{x:.1}" y="{}" width="{len:.1}" height="12" fill="{fill}"/>"#,
                y + 2 + k as i32 * 13
            ));
        }
        s.push_str(&format!(
            r#"<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>"#,
            w - 4,
            y + 12,
            escape(&opt(u.forecast))
        ));
    }
    let figures = units
        .iter()
        .map(|u| {
            format!(
                "{}: prognos {} tkr, budget {} tkr",
                u.name,
                plain(&opt(u.forecast)),
                plain(&opt(u.budget))
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(Chart {
        id: "chart-result".into(),
        width: w,
        height: h,
        body: s,
        title: "Resultat per verksamhet: prognos och budget".into(),
        alt: format!("Stapeldiagram, resultat per verksamhet: {figures}."),
        caption: "Resultat per verksamhet: prognostiserat resultat (mörk) och budget (ljus), tkr."
            .into(),
        text: None,
    })
}

/// How the cases of one unit came in, as one stacked bar with a legend.
pub fn channels(o: &OperationsRow) -> Option<Chart> {
    if o.channels.is_empty() {
        return None;
    }
    let colours = serva_domain::chart::COLOURS;
    let (w, h) = (640, 70);
    let total_w = (w - 20) as f64;
    let mut x = 10.0;
    let mut s = String::new();
    for (i, (k, v)) in o.channels.iter().enumerate() {
        let len = total_w * v / 100.0;
        let c = colours[i % colours.len()];
        if len >= 0.05 {
            s.push_str(&format!(
                r#"<rect x="{x:.1}" y="10" width="{len:.1}" height="24" fill="{c}"/>"#
            ));
        }
        s.push_str(&format!(
            r#"<rect x="{}" y="46" width="10" height="10" fill="{c}"/><text x="{}" y="55" font-size="11">{} {}</text>"#,
            10 + i * 125,
            24 + i * 125,
            escape(channel_label(k)),
            escape(&format::percent(*v, 0))
        ));
        x += len;
    }
    let shares = o
        .channels
        .iter()
        .map(|(k, v)| format!("{} {}", channel_label(k), plain(&format::percent(*v, 0))))
        .collect::<Vec<_>>()
        .join(", ");
    Some(Chart {
        id: format!("chart-channels-{}", o.code),
        width: w,
        height: h,
        body: s,
        title: format!("Kanalval {}", o.name),
        alt: format!("Stapeldiagram, kanalval för {}: {shares}.", o.name),
        caption: format!("Kanalval, {}: {shares}.", o.name),
        text: Some(format!("Kanalval, {}: {shares}.", o.name)),
    })
}

/// Answered within the threshold per week, against the target (dashed).
pub fn service_level(o: &OperationsRow) -> Option<Chart> {
    let weeks: Vec<(&str, f64)> = o
        .weekly
        .iter()
        .filter_map(|w| Some((w.week.as_str(), w.service_level?)))
        .collect();
    if weeks.len() < 2 {
        return None;
    }
    let target = o.service_level_target.unwrap_or(80.0);
    let min = weeks.iter().map(|w| w.1).fold(f64::MAX, f64::min);
    let max = weeks.iter().map(|w| w.1).fold(f64::MIN, f64::max);
    let (first, last) = (weeks[0].0, weeks[weeks.len() - 1].0);
    let p = |v: f64| plain(&format::percent(v, 0));
    let desc = format!(
        "Andel samtal besvarade inom tröskeln per vecka, {first} till {last}: lägst {}, högst {}, mål {}.",
        p(min),
        p(max),
        p(target)
    );
    let categories: Vec<String> = weeks.iter().map(|w| w.0.to_string()).collect();
    let values: Vec<Option<f64>> = weeks.iter().map(|w| Some(w.1)).collect();
    let drawing = line_with_target(&Line {
        categories: &categories,
        values: &values,
        target,
        markers: false,
    })?;
    Some(Chart {
        id: format!("chart-sl-{}", o.code),
        width: drawing.width,
        height: drawing.height,
        body: drawing.body,
        title: format!("Svarsservice per vecka, {}", o.name),
        alt: format!(
            "Linjediagram, svarsservice per vecka för {}. {desc}",
            o.name
        ),
        caption: format!(
            "Svarsservice per vecka, {}. {desc} Streckad linje: mål.",
            o.name
        ),
        text: Some(format!("Svarsservice per vecka, {}. {desc}", o.name)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serva_domain::report::WeekRow;

    fn row(name: &str, forecast: Option<i64>, budget: Option<i64>) -> FinanceRow {
        FinanceRow {
            name: name.into(),
            forecast,
            budget,
            ..Default::default()
        }
    }

    #[test]
    fn bars_keep_clear_of_the_labels_and_zero_draws_nothing() {
        let mut r = crate::tests::sample();
        r.finance.units = vec![
            row("A & <B>", Some(1_000), Some(0)),
            row("C", Some(-500), None),
        ];
        let c = results(&r).expect("a chart");
        assert!(c.body.contains("A &amp; &lt;B&gt;"), "names are escaped");
        assert!(!c.body.contains(r#"width="0.0""#), "no zero-width bar");
        // The longest bar is half the plot long, clear of the figures at the right edge.
        let zero = 170.0 + 0.35 * 450.0;
        assert!(c
            .body
            .contains(&format!(r#"<rect x="{zero:.1}" y="26" width="225.0""#)));
        let inline = c.inline_svg();
        assert!(inline.contains(r#"role="img" aria-labelledby="chart-result-t chart-result-d""#));
        assert!(inline.contains("<title id=\"chart-result-t\">Resultat per verksamhet"));
        assert!(inline.contains("<desc id=\"chart-result-d\">Stapeldiagram"));
        assert!(!inline.contains("font-family"), "the page's font");
        assert!(c.svg().starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 108\" width=\"640\" height=\"108\""));
    }

    #[test]
    fn service_level_needs_two_weeks_and_describes_them() {
        let mut o: OperationsRow = serde_json::from_value(serde_json::json!({
            "code": "KL", "name": "Kontakt Linköping", "cases": 3, "cases_prev_year": 0,
            "cases_forecast_year": null, "cases_per_week": null, "channels": {}, "target_groups": {},
            "first_contact_resolution": null, "satisfaction": null, "satisfied_share": null,
            "surveys": 0, "survey_response_rate": null, "service_level": 80.0,
            "service_level_target": null, "abandon_rate": null, "mean_wait_seconds": null,
            "calls_offered": 10, "weekly": []
        }))
        .expect("an operations row");
        let week = |w: &str, sl| WeekRow {
            week: w.into(),
            cases: 1,
            service_level: sl,
        };
        o.weekly = vec![week("2019-V01", Some(70.0)), week("2019-V02", None)];
        assert!(service_level(&o).is_none());
        o.weekly.push(week("2019-V03", Some(90.0)));
        let c = service_level(&o).expect("a chart");
        assert!(
            c.alt
                .contains("2019-V01 till 2019-V03: lägst 70 %, högst 90 %, mål 80 %"),
            "{}",
            c.alt
        );
        assert_eq!(c.id, "chart-sl-KL");
    }
}
