//! Charts drawn as SVG, once, for every place that shows one: the interim report (inline in
//! its HTML, as images in its PDF) and the unit dashboard. Pure: figures in, SVG text out.
//!
//! Each drawing is an image with a title and a description (`role="img"`, `aria-labelledby`);
//! colours keep at least 3:1 against white and against each other's neighbours, and a second
//! cue carries the same meaning (a hatch pattern per series, a dashed target line, markers,
//! the figure written on a column where it fits), so colour is never the only one. The pages
//! put a table with the same figures beside every chart. Text in a chart is escaped; a bar
//! too thin to see is not drawn (SVG readers reject a zero-width rectangle). A chart with
//! nothing to show is not drawn at all (`None`): the page says so in words.

use crate::format;

/// A chart as SVG, with the words that stand in for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Unique in its page or report: names the chart's title, description and patterns.
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
    /// A chart of `drawing`, with its caption as its words.
    pub fn of(id: &str, drawing: Drawing, title: &str, alt: &str, caption: &str) -> Chart {
        Chart {
            id: id.into(),
            width: drawing.width,
            height: drawing.height,
            body: drawing.body,
            title: title.into(),
            alt: alt.into(),
            caption: caption.into(),
            text: None,
        }
    }

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

/// The SVG elements of a chart and the size they are drawn at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawing {
    pub width: i32,
    pub height: i32,
    pub body: String,
}

/// Escapes text for XML content and attribute values, and drops the characters XML 1.0 cannot
/// hold at all (control characters other than tab and line breaks), which a pasted text may
/// carry and which would make Word refuse the whole document.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Series colours, each at least 3:1 against white (WCAG 1.4.11) and told apart by a pattern too.
pub const COLOURS: [&str; 5] = ["#00457c", "#2e7d32", "#b35c00", "#6a1b9a", "#455a64"];
/// The target line's colour (7:1 against white), always dashed.
pub const TARGET_COLOUR: &str = "#a1001a";
const INK: &str = "#1b1b1b";
const GRID: &str = "#c8c8c8";

/// The `i`th series' fill pattern, defined under the chart's `id`: plain, diagonal hatch, dots,
/// horizontal lines, cross-hatch (white marks on the series colour).
fn pattern(id: &str, i: usize) -> String {
    let c = COLOURS[i % COLOURS.len()];
    let marks = match i % COLOURS.len() {
        0 => "",
        1 => r##"<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" stroke="#fff" stroke-width="1.5"/>"##,
        2 => r##"<circle cx="4" cy="4" r="1.6" fill="#fff"/>"##,
        3 => r##"<path d="M0,4 H8" stroke="#fff" stroke-width="1.5"/>"##,
        _ => r##"<path d="M0,0 L8,8 M8,0 L0,8" stroke="#fff" stroke-width="1.2"/>"##,
    };
    format!(
        r#"<pattern id="{}-p{i}" patternUnits="userSpaceOnUse" width="8" height="8"><rect width="8" height="8" fill="{c}"/>{marks}</pattern>"#,
        escape(id)
    )
}

fn fill(id: &str, i: usize) -> String {
    format!("url(#{}-p{i})", escape(id))
}

/// The top of a count scale: the smallest 1, 2 or 5 times a power of ten at or above `v`.
pub fn nice_max(v: f64) -> f64 {
    // NaN and everything up to 1 draw on a scale of 1.
    if v.is_nan() || v <= 1.0 {
        return 1.0;
    }
    let mut step = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if m * step >= v {
                return m * step;
            }
        }
        step *= 10.0;
    }
}

/// The width, in drawing units, of `text` at font size 11 (a generous estimate: digits and
/// most letters are narrower), so labels placed by it never touch.
pub fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * 6.6
}

/// Every how many categories a label fits under columns `slot` wide, with room between them.
pub fn label_every(labels: &[String], slot: f64) -> usize {
    let widest = labels.iter().map(|l| text_width(l)).fold(0.0, f64::max) + 8.0;
    if slot <= 0.0 {
        return labels.len().max(1);
    }
    ((widest / slot).ceil() as usize).max(1)
}

/// The plot area of a column chart: categories along the bottom, a value scale on the left.
struct Frame {
    width: f64,
    height: f64,
    left: f64,
    top: f64,
    bottom: f64,
    right: f64,
}

impl Frame {
    fn plot_w(&self) -> f64 {
        self.width - self.left - self.right
    }
    fn plot_h(&self) -> f64 {
        self.height - self.top - self.bottom
    }
    fn y(&self, v: f64, max: f64) -> f64 {
        self.top + self.plot_h() * (1.0 - v / max)
    }
    fn base(&self) -> f64 {
        self.height - self.bottom
    }

    /// Grid lines at zero, half and the top of the scale, each labelled.
    fn grid(&self, max: f64, axis_text: &dyn Fn(f64) -> String) -> String {
        let mut s = String::new();
        for v in [0.0, max / 2.0, max] {
            s.push_str(&format!(
                r#"<line x1="{l}" x2="{r:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{GRID}"/><text x="{t}" y="{ty:.1}" font-size="11" text-anchor="end">{}</text>"#,
                escape(&axis_text(v)),
                l = self.left,
                r = self.width - self.right,
                y = self.y(v, max),
                t = self.left - 4.0,
                ty = self.y(v, max) + 4.0,
            ));
        }
        s
    }

    /// The category labels under their columns, as many as fit without touching: every
    /// `label_every`th, always the first.
    fn category_labels(&self, categories: &[String]) -> String {
        let slot = self.plot_w() / categories.len().max(1) as f64;
        let every = label_every(categories, slot);
        let mut s = String::new();
        for (i, c) in categories.iter().enumerate() {
            if i % every != 0 {
                continue;
            }
            s.push_str(&format!(
                r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle">{}</text>"#,
                self.left + slot * (i as f64 + 0.5),
                self.base() + 16.0,
                escape(c)
            ));
        }
        s
    }

    /// A dashed target line across the plot, named at its right end.
    fn target(&self, value: f64, max: f64, label: &str) -> String {
        let y = self.y(value, max);
        format!(
            r#"<line x1="{l}" x2="{r:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/><text x="{r:.1}" y="{ty:.1}" font-size="11" text-anchor="end" fill="{TARGET_COLOUR}">{}</text>"#,
            escape(label),
            l = self.left,
            r = self.width - self.right,
            ty = y - 4.0,
        )
    }
}

/// One column per category, its figure written above it where it fits; a dashed target
/// line when `target` is given. `None` when no category has a figure.
pub struct Columns<'a> {
    pub id: &'a str,
    pub categories: &'a [String],
    pub values: &'a [Option<f64>],
    /// The top of the scale (100 for percentages); the data's own rounded up when `None`.
    pub max: Option<f64>,
    /// The target and its label ("Mål 80 %").
    pub target: Option<(f64, &'a str)>,
    /// A figure as written on its column and in the scale.
    pub value_text: &'a dyn Fn(f64) -> String,
}

pub fn columns(c: &Columns) -> Option<Drawing> {
    if c.values.iter().all(Option::is_none) || c.categories.len() != c.values.len() {
        return None;
    }
    let f = Frame {
        width: 640.0,
        height: 240.0,
        left: 52.0,
        top: 24.0,
        bottom: 26.0,
        right: 10.0,
    };
    let data_max = c.values.iter().flatten().fold(0.0, |a: f64, b| a.max(*b));
    let max = c
        .max
        .unwrap_or_else(|| nice_max(data_max))
        .max(f64::MIN_POSITIVE);
    let slot = f.plot_w() / c.categories.len() as f64;
    let bar = (slot * 0.7).min(60.0);
    let mut s = f.grid(max, c.value_text);
    let texts: Vec<Option<String>> = c
        .values
        .iter()
        .map(|v| v.map(|v| (c.value_text)(v)))
        .collect();
    // The figures go on the columns only when every one of them fits its slot.
    let write = texts.iter().flatten().all(|t| text_width(t) + 4.0 <= slot);
    for (i, v) in c.values.iter().enumerate() {
        let Some(v) = v else { continue };
        let x = f.left + slot * i as f64 + (slot - bar) / 2.0;
        let y = f.y(v.clamp(0.0, max), max);
        let h = f.base() - y;
        if h >= 0.05 {
            s.push_str(&format!(
                r#"<rect x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{h:.1}" fill="{}"/>"#,
                COLOURS[0]
            ));
        }
        if write {
            s.push_str(&format!(
                r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle">{}</text>"#,
                x + bar / 2.0,
                y - 4.0,
                escape(texts[i].as_deref().unwrap_or_default())
            ));
        }
    }
    if let Some((t, label)) = c.target {
        s.push_str(&f.target(t, max, label));
    }
    s.push_str(&format!(
        r#"<line x1="{l}" x2="{r:.1}" y1="{b:.1}" y2="{b:.1}" stroke="{INK}"/>"#,
        l = f.left,
        r = f.width - f.right,
        b = f.base()
    ));
    s.push_str(&f.category_labels(c.categories));
    Some(Drawing {
        width: f.width as i32,
        height: f.height as i32,
        body: s,
    })
}

/// One series of a stacked column chart: its name in the legend and a count per category.
pub struct Series<'a> {
    pub name: &'a str,
    pub values: Vec<i64>,
}

/// Columns of counts stacked by series (cases per week by channel), each series in its own
/// colour and pattern, with a legend above. `None` when every count is zero.
pub fn stacked_columns(id: &str, categories: &[String], series: &[Series]) -> Option<Drawing> {
    let totals: Vec<i64> = (0..categories.len())
        .map(|i| {
            series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0).max(0))
                .sum()
        })
        .collect();
    if totals.iter().all(|&t| t == 0) {
        return None;
    }
    // The legend wraps: as many names on a line as the width holds.
    let mut legend = String::new();
    let (mut lx, mut ly) = (52.0, 6.0);
    for (i, se) in series.iter().enumerate() {
        let w = 18.0 + text_width(se.name) + 14.0;
        if lx + w > 630.0 && lx > 52.0 {
            lx = 52.0;
            ly += 18.0;
        }
        legend.push_str(&format!(
            r#"<rect x="{lx:.1}" y="{ly:.1}" width="12" height="12" fill="{}" stroke="{INK}" stroke-width="0.5"/><text x="{:.1}" y="{:.1}" font-size="11">{}</text>"#,
            fill(id, i),
            lx + 16.0,
            ly + 10.0,
            escape(se.name)
        ));
        lx += w;
    }
    let f = Frame {
        width: 640.0,
        height: 240.0 + ly,
        left: 52.0,
        top: ly + 30.0,
        bottom: 26.0,
        right: 10.0,
    };
    let max = nice_max(*totals.iter().max().unwrap_or(&1) as f64);
    let slot = f.plot_w() / categories.len().max(1) as f64;
    let bar = (slot * 0.7).min(60.0);
    let mut s = String::from("<defs>");
    for i in 0..series.len() {
        s.push_str(&pattern(id, i));
    }
    s.push_str("</defs>");
    s.push_str(&legend);
    s.push_str(&f.grid(max, &|v| format::int(v.round() as i64)));
    let totals_fit = totals
        .iter()
        .all(|t| text_width(&format::int(*t)) + 4.0 <= slot);
    for (i, total) in totals.iter().enumerate() {
        let x = f.left + slot * i as f64 + (slot - bar) / 2.0;
        let mut below = 0i64;
        for (k, se) in series.iter().enumerate() {
            let v = se.values.get(i).copied().unwrap_or(0).max(0);
            if v == 0 {
                continue;
            }
            let y_top = f.y((below + v) as f64, max);
            let h = f.y(below as f64, max) - y_top;
            below += v;
            if h < 0.05 {
                continue;
            }
            // A white edge between segments: neighbours stay apart whatever their colours.
            s.push_str(&format!(
                r##"<rect x="{x:.1}" y="{y_top:.1}" width="{bar:.1}" height="{h:.1}" fill="{}" stroke="#fff" stroke-width="1"/>"##,
                fill(id, k)
            ));
        }
        if totals_fit && *total > 0 {
            s.push_str(&format!(
                r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle">{}</text>"#,
                x + bar / 2.0,
                f.y(*total as f64, max) - 4.0,
                escape(&format::int(*total))
            ));
        }
    }
    s.push_str(&format!(
        r#"<line x1="{l}" x2="{r:.1}" y1="{b:.1}" y2="{b:.1}" stroke="{INK}"/>"#,
        l = f.left,
        r = f.width - f.right,
        b = f.base()
    ));
    s.push_str(&f.category_labels(categories));
    Some(Drawing {
        width: f.width as i32,
        height: f.height as i32,
        body: s,
    })
}

/// A percentage per category as a line (0–100 %), against a dashed target line; categories
/// without a figure break the line. The first and last categories are named under it.
pub struct Line<'a> {
    pub categories: &'a [String],
    pub values: &'a [Option<f64>],
    pub target: f64,
    /// A marker on every point, and a point standing alone drawn at all: the dashboard's.
    /// The report's line has neither.
    pub markers: bool,
}

/// `None` without a figure to draw.
pub fn line_with_target(l: &Line) -> Option<Drawing> {
    if l.values.iter().all(Option::is_none) || l.categories.len() != l.values.len() {
        return None;
    }
    let (w, h, left, top, bottom) = (640.0, 200.0, 40.0, 10.0, 30.0);
    let plot_h = h - top - bottom;
    let y = |v: f64| top + plot_h * (1.0 - v / 100.0);
    let n = l.categories.len();
    let step = if n > 1 {
        (w - left - 10.0) / (n - 1) as f64
    } else {
        0.0
    };
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
        y(l.target),
        y(l.target)
    ));
    // Each unbroken run of figures is one polyline.
    let mut runs: Vec<Vec<String>> = vec![Vec::new()];
    for (i, v) in l.values.iter().enumerate() {
        match v {
            Some(v) => runs.last_mut().expect("a run").push(format!(
                "{:.1},{:.1}",
                left + i as f64 * step,
                y(*v)
            )),
            None => runs.push(Vec::new()),
        }
    }
    for run in runs.iter().filter(|r| r.len() > 1) {
        s.push_str(&format!(
            r##"<polyline points="{}" fill="none" stroke="#00457c" stroke-width="2"/>"##,
            run.join(" ")
        ));
    }
    if l.markers {
        for (i, v) in l.values.iter().enumerate() {
            if let Some(v) = v {
                s.push_str(&format!(
                    r##"<circle cx="{:.1}" cy="{:.1}" r="4" fill="#00457c" stroke="#fff" stroke-width="1"/>"##,
                    left + i as f64 * step,
                    y(*v)
                ));
            }
        }
    }
    s.push_str(&format!(
        r#"<text x="{left}" y="{}" font-size="11">{}</text>"#,
        h - 8.0,
        escape(&l.categories[0]),
    ));
    if n > 1 {
        s.push_str(&format!(
            r#"<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>"#,
            w - 10.0,
            h - 8.0,
            escape(&l.categories[n - 1])
        ));
    }
    Some(Drawing {
        width: w as i32,
        height: h as i32,
        body: s,
    })
}

#[cfg(test)]
mod tests;
