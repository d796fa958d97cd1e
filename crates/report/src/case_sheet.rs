//! A case list (a queue, "my cases") as a spreadsheet's rows, for the CSV and XLSX downloads.
//! The subject and names are text cells, so one that begins with `=` is never run as a formula
//! (see `sheet`).

use serva_domain::case::{Case, CaseStatus};

use crate::sheet::Cell;

/// The columns of a case list.
pub const CASE_HEADINGS: &[&str] = &[
    "Ärendenummer",
    "Ämne",
    "Tjänst",
    "Status",
    "Levererande enhet",
    "Kund",
    "Beställare",
    "Handläggare",
    "Kanal",
    "Skapad",
];

fn status(s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::New => "Ny",
        CaseStatus::Open => "Pågående",
        CaseStatus::WaitingCustomer => "Väntar på kund",
        CaseStatus::WaitingThirdParty => "Väntar på tredje part",
        CaseStatus::Resolved => "Löst",
        CaseStatus::Closed => "Avslutad",
    }
}

/// The cases as rows, in the list's order; times in Stockholm local time.
pub fn case_rows(cases: &[Case]) -> Vec<Vec<Cell>> {
    let text = |s: Option<&String>| Cell::Text(s.cloned().unwrap_or_default());
    cases
        .iter()
        .map(|c| {
            vec![
                Cell::Text(c.number().to_string()),
                Cell::Text(c.subject.clone()),
                Cell::Text(format!("{} {}", c.service_code, c.service_name)),
                Cell::Text(status(c.status).to_string()),
                Cell::Text(c.unit_name.clone()),
                text(c.customer_unit_name.as_ref()),
                text(c.requester_name.as_ref()),
                text(c.assignee_name.as_ref()),
                Cell::Text(c.channel.as_str().to_string()),
                Cell::Text(
                    serva_domain::time::to_local(c.created_at)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                ),
            ]
        })
        .collect()
}
