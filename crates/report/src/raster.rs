//! Charts as PNG images, for Word, which shows no SVG of its own: the same drawing as in the
//! HTML and the PDF, rasterised here at twice its size (sharp when printed at the page's width)
//! with the report's own fonts, so the image looks the same on every server.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use crate::chart::Chart;

/// The fonts typst typesets the PDF with, loaded once.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            for font in typst_assets::fonts() {
                db.load_font_data(font.to_vec());
            }
            Arc::new(db)
        })
        .clone()
}

/// The chart as a PNG on white, `scale` times its drawn size.
pub fn png(chart: &Chart, scale: f32) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        font_family: "Libertinus Serif".into(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&chart.svg(), &options)
        .map_err(|e| format!("chart {}: {e}", chart.id))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("empty chart")?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("empty chart")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("chart {}: {e}", chart.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_becomes_a_png_with_its_text_drawn() {
        let r = crate::tests::sample();
        let chart = crate::chart::results(&r).expect("a chart");
        let bytes = png(&chart, 2.0).expect("a png");
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        let tree = usvg::Tree::from_str(
            &chart.svg(),
            &usvg::Options {
                font_family: "Libertinus Serif".into(),
                fontdb: fonts(),
                ..usvg::Options::default()
            },
        )
        .unwrap();
        // The labels are shaped with the report's fonts, not dropped for want of a font.
        fn has_text(g: &usvg::Group) -> bool {
            g.children().iter().any(|n| match n {
                usvg::Node::Text(t) => !t.flattened().children().is_empty(),
                usvg::Node::Group(g) => has_text(g),
                _ => false,
            })
        }
        assert!(has_text(tree.root()));
    }
}
