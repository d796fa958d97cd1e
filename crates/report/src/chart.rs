//! The report's charts, drawn once as SVG for every format: inline in the HTML (with
//! `role="img"`, a title and a description), as images in the PDF. Each comes with an
//! alternative text that carries the figures it shows, so a reader who cannot see the chart
//! loses nothing. Text in a chart is escaped; a bar too thin to see is not drawn (SVG readers
//! reject a zero-width rectangle).

use serva_domain::format;
use serva_domain::report::{FinanceRow, InterimReport, OperationsRow};

use crate::labels::{channel_label, opt, plain};
use crate::xml::escape;

/// A chart as SVG, with the words that stand in for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Unique in the report: names the chart's title and description in the HTML.
    pub id: String,
    pub width: i32,
    pub height: i32,
    /// The drawing: the SVG elements inside `<svg>`.
    pub body: String,
    /// A short name, the SVG's `<title>`.
    pub title: String,
    /// What the chart shows, figures included: the PDF's alternative text and the SVG's `<desc>`.
    pub alt: String,
    pub caption: String,
    /// The figures in words, for a format that does not draw the chart; `None` when the
    /// tables beside the chart already hold them.
    pub text: Option<String>,
}

impl Chart {
    /// The chart as an SVG document of its own, for typesetting.
    pub fn svg(&self) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="Libertinus Serif">{}</svg>"#,
            self.body,
            w = self.width,
            h = self.height
        )
    }

    /// The chart inside an HTML page: an image labelled by its title and described by its
    /// figures, as wide as the page allows and no wider than drawn. Its text takes the page's
    /// font.
    pub fn inline_svg(&self) -> String {
        let id = escape(&self.id);
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {w} {h}" width="100%" style="max-width:{w}px"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>{}</svg>"#,
            escape(&self.title),
            escape(&self.alt),
            self.body,
            w = self.width,
            h = self.height
        )
    }
}

/// A generous estimate of how wide `text` is drawn at `size` px: wider than any glyph of the
/// report's fonts averages, so a label measured by it never reaches into what follows it.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | ':' | ';' | '\'' | '|' | ' ' => 0.38,
            'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.95,
            c if c.is_uppercase() => 0.75,
            _ => 0.62,
        })
        .sum::<f64>()
        * size
}

/// `text` broken at spaces into lines no wider than `max` px at `size`; a single word wider
/// than that is cut with an ellipsis (the alternative text still has the whole name).
pub(crate) fn wrap(text: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let word = fit(word, size, max);
        match lines.last_mut() {
            Some(l) if text_width(&format!("{l} {word}"), size) <= max => {
                l.push(' ');
                l.push_str(&word);
            }
            _ => lines.push(word),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

fn fit(word: &str, size: f64, max: f64) -> String {
    if text_width(word, size) <= max {
        return word.to_string();
    }
    let mut cut = String::new();
    for c in word.chars() {
        if text_width(&format!("{cut}{c}…"), size) > max {
            break;
        }
        cut.push(c);
    }
    cut.push('…');
    cut
}

/// Where the parts of the result chart go, measured from its labels: the names in a column on
/// the left (wrapped when long), the forecasts in a column on the right, and the bars between,
/// scaled so that the longest surplus and the longest deficit both stay inside.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResultsLayout {
    pub width: f64,
    /// The right edge of the name column.
    pub names_right: f64,
    /// Where the bars may start and must end.
    pub plot_left: f64,
    pub plot_right: f64,
    /// The left edge of the forecast column.
    pub figures_left: f64,
    pub zero: f64,
    /// Pixels per tkr.
    pub scale: f64,
    /// Each unit's top and its name's lines.
    pub rows: Vec<(f64, Vec<String>)>,
    pub height: f64,
}

const NAME_SIZE: f64 = 12.0;
const FIGURE_SIZE: f64 = 11.0;
const GAP: f64 = 8.0;

pub(crate) fn results_layout(units: &[&FinanceRow]) -> ResultsLayout {
    let width = 640.0;
    // The names take what they need, up to a third of the width; longer ones wrap.
    let names_w = units
        .iter()
        .map(|u| text_width(&u.name, NAME_SIZE))
        .fold(40.0, f64::max)
        .min(width / 3.0);
    let names_right = 4.0 + names_w;
    let figures_w = units
        .iter()
        .map(|u| text_width(&opt(u.forecast), FIGURE_SIZE))
        .fold(20.0, f64::max);
    let figures_left = width - 4.0 - figures_w;
    let (plot_left, plot_right) = (names_right + GAP, figures_left - GAP);
    let values = || {
        units
            .iter()
            .flat_map(|u| [u.forecast.unwrap_or(0), u.budget.unwrap_or(0)])
    };
    let pos = values().max().unwrap_or(0).max(0) as f64;
    let neg = (-values().min().unwrap_or(0)).max(0) as f64;
    let span = (pos + neg).max(1.0);
    let plot = plot_right - plot_left;
    let zero = plot_left + plot * neg / span;
    let mut y = 24.0;
    let rows = units
        .iter()
        .map(|u| {
            let lines = wrap(&u.name, NAME_SIZE, names_w);
            let top = y;
            y += (lines.len() as f64 * 14.0 + 6.0).max(34.0);
            (top, lines)
        })
        .collect();
    ResultsLayout {
        width,
        names_right,
        plot_left,
        plot_right,
        figures_left,
        zero,
        scale: plot / span,
        rows,
        height: y + 6.0,
    }
}

/// "Resultat per verksamhet": forecast (dark) and budget (light) per unit, in tkr.
pub fn results(r: &InterimReport) -> Option<Chart> {
    let units: Vec<&FinanceRow> = r.finance.units.iter().collect();
    if units.is_empty() {
        return None;
    }
    let l = results_layout(&units);
    let zero = l.zero;
    let mut s = format!(
        r##"<line x1="{zero:.1}" y1="20" x2="{zero:.1}" y2="{:.1}" stroke="#1b1b1b"/>"##,
        l.height - 4.0
    );
    let left = l.plot_left;
    s.push_str(&format!(
        r##"<rect x="{left:.1}" y="4" width="10" height="10" fill="#00457c"/><text x="{:.1}" y="13" font-size="12">Prognos</text><rect x="{:.1}" y="4" width="10" height="10" fill="#8fb3d9"/><text x="{:.1}" y="13" font-size="12">Budget (tkr)</text>"##,
        left + 14.0,
        left + 80.0,
        left + 94.0
    ));
    for (u, (y, lines)) in units.iter().zip(&l.rows) {
        let y = *y;
        s.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end">"#,
            l.names_right,
            y + 14.0
        ));
        for (i, line) in lines.iter().enumerate() {
            s.push_str(&format!(
                r#"<tspan x="{:.1}" dy="{}">{}</tspan>"#,
                l.names_right,
                if i == 0 { 0 } else { 14 },
                escape(line)
            ));
        }
        s.push_str("</text>");
        for (k, (v, fill)) in [
            (u.forecast.unwrap_or(0), "#00457c"),
            (u.budget.unwrap_or(0), "#8fb3d9"),
        ]
        .iter()
        .enumerate()
        {
            let len = (*v as f64 * l.scale).abs();
            if len < 0.05 {
                continue;
            }
            let x = if *v < 0 { zero - len } else { zero };
            s.push_str(&format!(
                r#"<rect x="{x:.1}" y="{:.1}" width="{len:.1}" height="12" fill="{fill}"/>"#,
                y + 2.0 + k as f64 * 13.0
            ));
        }
        s.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end">{}</text>"#,
            l.width - 4.0,
            y + 12.0,
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
        width: l.width as i32,
        height: l.height.ceil() as i32,
        body: s,
        title: "Resultat per verksamhet: prognos och budget".into(),
        alt: format!("Stapeldiagram, resultat per verksamhet: {figures}."),
        caption: "Resultat per verksamhet: prognostiserat resultat (mörk) och budget (ljus), tkr."
            .into(),
        text: None,
    })
}

/// Where each legend entry of a stacked bar goes: in rows, each entry as wide as its label,
/// wrapping to a new row rather than running into the next entry. Returns (x, y) per entry
/// and the height the legend needs below `top`.
pub(crate) fn legend_layout(labels: &[String], width: f64, top: f64) -> (Vec<(f64, f64)>, f64) {
    let (mut x, mut y) = (10.0, top);
    let mut at = Vec::new();
    for label in labels {
        let w = 14.0 + text_width(label, FIGURE_SIZE) + 16.0;
        if x > 10.0 && x + w > width - 10.0 {
            x = 10.0;
            y += 18.0;
        }
        at.push((x, y));
        x += w;
    }
    (at, y + 18.0 - top)
}

/// How the cases of one unit came in, as one stacked bar with a legend.
pub fn channels(o: &OperationsRow) -> Option<Chart> {
    if o.channels.is_empty() {
        return None;
    }
    let colours = ["#00457c", "#2e7d32", "#b35c00", "#6a1b9a", "#455a64"];
    let w = 640;
    let labels: Vec<String> = o
        .channels
        .iter()
        .map(|(k, v)| format!("{} {}", channel_label(k), format::percent(*v, 0)))
        .collect();
    let (at, legend_h) = legend_layout(&labels, f64::from(w), 46.0);
    let h = (46.0 + legend_h).ceil() as i32;
    let total_w = f64::from(w - 20);
    let mut x = 10.0;
    let mut s = String::new();
    for (i, ((_, v), label)) in o.channels.iter().zip(&labels).enumerate() {
        let len = total_w * v / 100.0;
        let c = colours[i % colours.len()];
        if len >= 0.05 {
            s.push_str(&format!(
                r#"<rect x="{x:.1}" y="10" width="{len:.1}" height="24" fill="{c}"/>"#
            ));
        }
        let (lx, ly) = at[i];
        s.push_str(&format!(
            r#"<rect x="{lx:.1}" y="{ly:.1}" width="10" height="10" fill="{c}"/><text x="{:.1}" y="{:.1}" font-size="11">{}</text>"#,
            lx + 14.0,
            ly + 9.0,
            escape(label)
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
        id: format!("chart-sl-{}", o.code),
        width: w as i32,
        height: h as i32,
        body: s,
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
        // The largest figures fill the plot between the names and the forecasts, no further.
        let units: Vec<&FinanceRow> = r.finance.units.iter().collect();
        let l = results_layout(&units);
        let bars = bars(&c.body);
        let leftmost = bars.iter().map(|b| b.0).fold(f64::MAX, f64::min);
        let rightmost = bars.iter().map(|b| b.0 + b.1).fold(f64::MIN, f64::max);
        assert!((leftmost - l.plot_left).abs() < 0.2, "{leftmost} {l:?}");
        assert!((rightmost - l.plot_right).abs() < 0.2, "{rightmost} {l:?}");
        let inline = c.inline_svg();
        assert!(inline.contains(r#"role="img" aria-labelledby="chart-result-t chart-result-d""#));
        assert!(inline.contains("<title id=\"chart-result-t\">Resultat per verksamhet"));
        assert!(inline.contains("<desc id=\"chart-result-d\">Stapeldiagram"));
        assert!(!inline.contains("font-family"), "the page's font");
        assert!(c
            .svg()
            .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 "));
    }

    /// The bars of a chart body: (x, width) of every rectangle taller than a legend swatch.
    fn bars(body: &str) -> Vec<(f64, f64)> {
        let attr = |r: &str, name: &str| -> f64 {
            let at = r.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
            r[at..r[at..].find('"').unwrap() + at].parse().unwrap()
        };
        body.split("<rect")
            .skip(1)
            .map(|r| &r[..r.find("/>").unwrap()])
            .filter(|r| attr(r, "height") > 10.0)
            .map(|r| (attr(r, "x"), attr(r, "width")))
            .collect()
    }

    #[test]
    fn long_names_and_large_figures_never_overlap_the_bars() {
        let mut r = crate::tests::sample();
        r.finance.units = vec![
            row(
                "Förvaltningsgemensamt kansli för digitalisering och verksamhetsutveckling",
                Some(-99_000),
                Some(-12_345),
            ),
            row("Kontakt Linköping", Some(150_000), Some(15_000)),
            row(
                "Ett_enda_mycket_långt_ord_utan_mellanslag_som_inte_kan_brytas_någonstans",
                Some(-1_000),
                Some(2_000),
            ),
            row("C", Some(-140_000), None),
        ];
        let units: Vec<&FinanceRow> = r.finance.units.iter().collect();
        let l = results_layout(&units);
        let c = results(&r).expect("a chart");
        for (_, lines) in &l.rows {
            for line in lines {
                assert!(
                    text_width(line, NAME_SIZE) <= l.names_right - 4.0 + 0.01,
                    "{line:?} fits in the name column"
                );
            }
        }
        for u in &units {
            assert!(
                text_width(&opt(u.forecast), FIGURE_SIZE) <= l.width - 4.0 - l.figures_left + 0.01
            );
        }
        assert!(l.names_right < l.plot_left && l.plot_right < l.figures_left);
        let bars = bars(&c.body);
        assert_eq!(bars.len(), 7, "a bar per figure: {bars:?}");
        for (x, w) in bars {
            assert!(
                x >= l.plot_left - 0.1,
                "a bar starting at {x} runs into the names"
            );
            assert!(
                x + w <= l.plot_right + 0.1,
                "a bar ending at {} runs into the figures",
                x + w
            );
        }
        // The long names wrap rather than run off the chart, and every row has room for its lines.
        assert!(l.rows[0].1.len() > 1, "{:?}", l.rows[0].1);
        assert!(l.rows[2].1[0].ends_with('…'));
        for pair in l.rows.windows(2) {
            let (top, lines) = &pair[0];
            assert!(top + lines.len() as f64 * 14.0 <= pair[1].0);
        }
        assert!(f64::from(c.height) >= l.height);
    }

    #[test]
    fn legend_entries_wrap_instead_of_overlapping() {
        let labels: Vec<String> = [
            "Självservice via e-tjänst 35 %",
            "Telefon 30 %",
            "Personligt besök i kontaktcenter 20 %",
            "E-post 10 %",
            "Chatt 5 %",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (at, h) = legend_layout(&labels, 640.0, 46.0);
        assert!(h > 18.0, "two rows at least");
        for (i, ((x, y), label)) in at.iter().zip(&labels).enumerate() {
            let right = x + 14.0 + text_width(label, FIGURE_SIZE);
            assert!(right <= 630.0, "{label} stays inside");
            if let Some((nx, ny)) = at.get(i + 1) {
                assert!(ny > y || *nx >= right, "{label} ends before the next entry");
            }
        }
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
