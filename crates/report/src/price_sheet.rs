//! A price list (the prices valid on a day, or a draft) as a spreadsheet's rows, for the CSV
//! and XLSX exports. Names are text cells, so one that begins with `=` stays text.

use serva_domain::billing::price_draft::PriceListRow;
use serva_domain::billing::price_list::PriceEntry;
use serva_domain::catalogue::Service;

use crate::sheet::Cell;

/// The columns of a price list.
pub const PRICE_HEADINGS: &[&str] = &[
    "Tjänstekod",
    "Tjänst",
    "Levererande enhet",
    "Prismodell",
    "Pris (kr)",
    "Gäller från",
    "Gäller till",
];

/// The prices valid on a day, one row per service (a service without a price has empty cells).
pub fn price_rows(rows: &[(&Service, Option<&PriceEntry>)]) -> Vec<Vec<Cell>> {
    rows.iter()
        .map(|(s, e)| {
            let mut r = vec![
                Cell::Text(s.code.clone()),
                Cell::Text(s.name.clone()),
                Cell::Text(s.unit_name.clone()),
            ];
            match e {
                Some(e) => r.extend([
                    Cell::Text(e.model.as_str().to_string()),
                    Cell::Ore(e.price_ore),
                    Cell::Text(e.valid_from.format("%Y-%m-%d").to_string()),
                    Cell::Text(
                        e.valid_to
                            .map(|t| t.format("%Y-%m-%d").to_string())
                            .unwrap_or_default(),
                    ),
                ]),
                None => r.extend((0..4).map(|_| Cell::Text(String::new()))),
            }
            r
        })
        .collect()
}

/// A draft's rows: each from the draft's first day, open-ended.
pub fn draft_rows(
    rows: &[PriceListRow],
    from: &str,
    service: impl Fn(&str) -> Option<(String, String)>,
) -> Vec<Vec<Cell>> {
    rows.iter()
        .map(|r| {
            let (name, unit) = service(&r.service).unwrap_or_default();
            vec![
                Cell::Text(r.service.clone()),
                Cell::Text(name),
                Cell::Text(unit),
                Cell::Text(r.model.as_str().to_string()),
                Cell::Ore(r.price_ore),
                Cell::Text(from.to_string()),
                Cell::Text(String::new()),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::{xlsx, Sheet};
    use serva_domain::catalogue::PriceModel;

    #[test]
    fn a_draft_with_a_formula_looking_name_is_text_in_xlsx() {
        let rows = vec![PriceListRow {
            service: "KL-FRAGA".into(),
            model: PriceModel::PerCase,
            price_ore: 7_000,
        }];
        let cells = draft_rows(&rows, "2027-01-01", |_| {
            Some(("=1+1".to_string(), "Kontakt Linköping".to_string()))
        });
        assert_eq!(cells[0][1], Cell::Text("=1+1".into()));
        assert_eq!(cells[0][4], Cell::Ore(7_000));
        let bytes = xlsx(&Sheet {
            name: "Prislista",
            headings: PRICE_HEADINGS,
            rows: &cells,
        })
        .unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        assert!(!xml.contains("<f>"), "no formula: {xml}");
    }
}
