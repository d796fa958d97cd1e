//! Charts as SVG, each with an alternative text that carries the figures it shows, so a
//! reader who cannot see the chart loses nothing. Colours follow the HTML report's charts.

use serva_domain::format;
use serva_domain::report::{FinanceRow, InterimReport, OperationsRow};

use crate::document::Chart;
use crate::labels::{channel_label, opt, plain};
use crate::xml::escape;

const FONT: &str = "font-family=\"Libertinus Serif\"";

fn svg(w: i32, h: i32, body: &str) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" {FONT}>{body}</svg>"#
    )
}

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
    // Room on the left of zero for deficits, on the right for surpluses and the labels.
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
                // Nothing to draw (and SVG readers reject a zero-width rectangle).
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
        svg: svg(w, h, &s),
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
    let colours = ["#00457c", "#2e7d32", "#b35c00", "#6a1b9a", "#455a64"];
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
            channel_label(k),
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
        svg: svg(w, h, &s),
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
    let (w, h, left, top, bottom) = (640.0, 200.0, 40.0, 10.0, 30.0);
    let plot_h = h - top - bottom;
    let y = |v: f64| top + plot_h * (1.0 - v / 100.0);
    let step = (w - left - 10.0) / (weeks.len() - 1) as f64;
    let points = weeks
        .iter()
        .enumerate()
        .map(|(i, (_, v))| format!("{:.1},{:.1}", left + i as f64 * step, y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
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
    let mut s = String::new();
    for v in [0.0, 50.0, 100.0] {
        s.push_str(&format!(
            r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#c8c8c8"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end">{v:.0} %</text>"##,
            w - 10.0,
            y(v),
            y(v),
            left - 4.0,
            y(v) + 4.0
        ));
    }
    s.push_str(&format!(
        r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#a1001a" stroke-dasharray="6 4"/>"##,
        w - 10.0,
        y(target),
        y(target)
    ));
    s.push_str(&format!(
        r##"<polyline points="{points}" fill="none" stroke="#00457c" stroke-width="2"/>"##
    ));
    s.push_str(&format!(
        r#"<text x="{left}" y="{}" font-size="11">{}</text><text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>"#,
        h - 8.0,
        escape(first),
        w - 10.0,
        h - 8.0,
        escape(last)
    ));
    Some(Chart {
        svg: svg(w as i32, h as i32, &s),
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
