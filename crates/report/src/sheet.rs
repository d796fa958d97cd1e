//! Lists as spreadsheets: CSV (UTF-8 with a byte-order mark, semicolons, as Swedish Excel
//! reads them) and XLSX. A text cell is never a formula: in XLSX it is written as a string,
//! and in CSV a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
//! leading apostrophe, so that a spreadsheet shows it instead of running it.

use rust_xlsxwriter::{Format, Workbook};

/// One cell of a list.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A whole number (a count, an id).
    Int(i64),
    /// Money in öre, shown in kronor with two decimals.
    Ore(i64),
    /// A quantity in thousandths.
    Milli(i64),
}

/// A list: its name, its column headings and its rows.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub headings: &'a [&'a str],
    pub rows: &'a [Vec<Cell>],
}

fn csv_text(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if guarded.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn decimal(v: i64, scale: i64, decimals: usize) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs() as i64;
    format!(
        "{sign}{},{:0width$}",
        a / scale,
        a % scale,
        width = decimals
    )
}

/// The list as CSV.
pub fn csv(sheet: &Sheet) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    out.push_str(
        &sheet
            .headings
            .iter()
            .map(|h| csv_text(h))
            .collect::<Vec<_>>()
            .join(";"),
    );
    out.push_str("\r\n");
    for row in sheet.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => csv_text(s),
                Cell::Int(i) => i.to_string(),
                Cell::Ore(o) => decimal(*o, 100, 2),
                Cell::Milli(m) => decimal(*m, 1000, 3),
            })
            .collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// The list as an XLSX workbook with one sheet.
pub fn xlsx(sheet: &Sheet) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet.name).map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold();
    let kronor = Format::new().set_num_format("# ##0.00");
    let milli = Format::new().set_num_format("0.###");
    for (c, h) in sheet.headings.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(|e| e.to_string())?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                Cell::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()),
                Cell::Ore(o) => ws
                    .write_number_with_format(r, c, *o as f64 / 100.0, &kronor)
                    .map(|_| ()),
                Cell::Milli(m) => ws
                    .write_number_with_format(r, c, *m as f64 / 1000.0, &milli)
                    .map(|_| ()),
            }
            .map_err(|e| e.to_string())?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    book.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[Vec<Cell>]) -> Sheet<'_> {
        Sheet {
            name: "Rader",
            headings: &["Kund", "Belopp"],
            rows,
        }
    }

    #[test]
    fn csv_never_hands_a_spreadsheet_a_formula() {
        let rows = vec![
            vec![
                Cell::Text("=HYPERLINK(\"http://x\")".into()),
                Cell::Ore(123_450),
            ],
            vec![Cell::Text("@SUM(A1)".into()), Cell::Ore(-5)],
            vec![Cell::Text("+1".into()), Cell::Milli(1500)],
            vec![Cell::Text("-2;3".into()), Cell::Int(7)],
            vec![Cell::Text("Utbildningsförvaltningen".into()), Cell::Ore(0)],
        ];
        let text = String::from_utf8(csv(&sheet(&rows))).unwrap();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], "Kund;Belopp");
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://x\"\")\";1234,50");
        assert_eq!(lines[2], "'@SUM(A1);-0,05");
        assert_eq!(lines[3], "'+1;1,500");
        assert_eq!(lines[4], "\"'-2;3\";7");
        assert_eq!(lines[5], "Utbildningsförvaltningen;0,00");
    }

    #[test]
    fn xlsx_writes_formula_looking_text_as_a_string() {
        let rows = vec![vec![Cell::Text("=1+1".into()), Cell::Ore(100)]];
        let bytes = xlsx(&sheet(&rows)).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        assert!(!xml.contains("<f>"), "no formula: {xml}");
        let mut shared = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
            &mut shared,
        )
        .unwrap();
        assert!(shared.contains("=1+1"));
    }
}
