use super::*;

fn weeks(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("2026-V{i:02}")).collect()
}

/// The x positions and texts of the labels drawn on the baseline row `y`.
fn labels_at(body: &str, y: &str) -> Vec<(f64, String)> {
    body.split("<text ")
        .skip(1)
        .filter(|t| t.contains(&format!(r#"y="{y}""#)))
        .map(|t| {
            let x: f64 = t
                .split(r#"x=""#)
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(|x| x.parse().ok())
                .expect("an x");
            let text = t
                .split('>')
                .nth(1)
                .and_then(|r| r.split('<').next())
                .unwrap();
            (x, text.to_string())
        })
        .collect()
}

#[test]
fn scales_round_up_to_one_two_or_five() {
    assert_eq!(nice_max(0.0), 1.0);
    assert_eq!(nice_max(1.0), 1.0);
    assert_eq!(nice_max(3.0), 5.0);
    assert_eq!(nice_max(16_015.0), 20_000.0);
    assert_eq!(nice_max(20_000.0), 20_000.0);
    assert_eq!(nice_max(f64::NAN), 1.0);
}

#[test]
fn category_labels_never_overlap() {
    for n in [1, 4, 12, 26, 52] {
        let cats = weeks(n);
        let values: Vec<Option<f64>> = (0..n).map(|i| Some(i as f64)).collect();
        let d = columns(&Columns {
            id: "c",
            categories: &cats,
            values: &values,
            max: None,
            target: None,
            value_text: &|v| format::int(v as i64),
        })
        .expect("a chart");
        let labels = labels_at(&d.body, "230.0");
        assert!(!labels.is_empty());
        assert_eq!(labels[0].1, "2026-V01", "the first is always named");
        for pair in labels.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let gap = (b.0 - a.0) - (text_width(&a.1) + text_width(&b.1)) / 2.0;
            assert!(gap > 0.0, "{n} weeks: {} and {} touch", a.1, b.1);
        }
        assert!(labels.iter().all(|l| l.0 > 52.0 && l.0 < 630.0));
    }
}

#[test]
fn columns_scale_to_the_top_and_write_figures_that_fit() {
    let cats: Vec<String> = ["0–2 d", "3–7 d", "8–30 d", "> 30 d"]
        .map(String::from)
        .to_vec();
    let values = [Some(16_015.0), Some(0.0), Some(5.0), Some(10_000.0)];
    let d = columns(&Columns {
        id: "age",
        categories: &cats,
        values: &values,
        max: None,
        target: None,
        value_text: &|v| format::int(v as i64),
    })
    .expect("a chart");
    // The scale's top is 20 000, written the Swedish way; the biggest column reaches 80 %.
    assert!(d.body.contains(">20\u{a0}000</text>"), "{}", d.body);
    assert!(d.body.contains(">16\u{a0}015</text>"));
    let plot_h = 240.0 - 24.0 - 26.0;
    let h = plot_h * 16_015.0 / 20_000.0;
    assert!(d.body.contains(&format!(r#"height="{h:.1}""#)));
    assert!(
        !d.body.contains(r#"height="0.0""#),
        "a zero draws no column"
    );
    assert!(d.body.contains(">0</text>"), "but its figure is written");
    assert!(d.body.contains("&gt; 30 d"), "text is escaped");
    // Too many columns for their figures: none is written, the table beside has them.
    let cats = weeks(52);
    let values: Vec<Option<f64>> = (0..52).map(|_| Some(12_345.0)).collect();
    let d = columns(&Columns {
        id: "c",
        categories: &cats,
        values: &values,
        max: None,
        target: None,
        value_text: &|v| format::int(v as i64),
    })
    .unwrap();
    assert!(!d.body.contains("12\u{a0}345"));
}

#[test]
fn nothing_to_show_draws_nothing() {
    let cats = weeks(3);
    assert!(columns(&Columns {
        id: "c",
        categories: &cats,
        values: &[None, None, None],
        max: Some(100.0),
        target: Some((80.0, "Mål 80 %")),
        value_text: &|v| format::percent(v, 0),
    })
    .is_none());
    assert!(stacked_columns(
        "s",
        &cats,
        &[Series {
            name: "E-post",
            values: vec![0, 0, 0]
        }]
    )
    .is_none());
    assert!(line_with_target(&Line {
        categories: &cats,
        values: &[None, None, None],
        target: 80.0,
        markers: true
    })
    .is_none());
    assert!(stacked_columns("s", &[], &[]).is_none());
}

#[test]
fn stacked_columns_tell_series_apart_without_colour() {
    let cats = weeks(2);
    let d = stacked_columns(
        "cw",
        &cats,
        &[
            Series {
                name: "Webbformulär",
                values: vec![3, 0],
            },
            Series {
                name: "Telefon",
                values: vec![1, 4],
            },
        ],
    )
    .expect("a chart");
    // Each series has a pattern of its own, used by its segments and its legend swatch.
    assert!(d.body.contains(r#"<pattern id="cw-p0""#));
    assert!(d.body.contains(r#"<pattern id="cw-p1""#));
    assert_eq!(d.body.matches(r#"fill="url(#cw-p1)""#).count(), 3);
    assert!(d.body.contains(">Webbformulär</text>"));
    // Totals on top: 4 and 4; the scale's top is 5.
    assert_eq!(d.body.matches(">4</text>").count(), 2);
    assert!(d.body.contains(">5</text>"));
    // Segments have a white edge between them.
    assert!(d.body.contains(r##"stroke="#fff" stroke-width="1"/>"##));
}

#[test]
fn the_line_breaks_at_a_week_without_figures_and_shows_its_target() {
    let cats = weeks(4);
    let d = line_with_target(&Line {
        categories: &cats,
        values: &[Some(50.0), Some(100.0), None, Some(75.0)],
        target: 80.0,
        markers: true,
    })
    .expect("a chart");
    assert_eq!(d.body.matches("<polyline").count(), 1, "one run of two");
    assert_eq!(d.body.matches("<circle").count(), 3, "every figure marked");
    assert!(
        d.body.contains(r#"stroke-dasharray="6 4""#),
        "a dashed target"
    );
    let y80 = 10.0 + 160.0 * 0.2;
    assert!(d.body.contains(&format!(r#"y1="{y80:.1}""#)));
    assert!(d.body.contains(">2026-V01</text>") && d.body.contains(">2026-V04</text>"));
}

#[test]
fn escape_keeps_xml_well_formed() {
    assert_eq!(
        escape("A & <B> \"c\" 'd'\u{1}\n"),
        "A &amp; &lt;B&gt; &quot;c&quot; &apos;d&apos; "
    );
}
