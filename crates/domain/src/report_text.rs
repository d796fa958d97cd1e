//! The Swedish words and number forms of the interim report, shared by every format (HTML,
//! PDF and DOCX, all in serva-report).

use crate::followup::{
    Assessment, AssignmentStatus, ControlResult, Gender, GoalArea, StaffMetric, TrafficLight,
};
use crate::format;

pub fn n(x: i64) -> String {
    format::int(x)
}

pub fn opt(x: Option<i64>) -> String {
    x.map_or_else(|| "–".to_string(), n)
}

/// One decimal, dropped when it is zero: 2,5 and 100 as the report writes them.
pub fn dec(x: f64) -> String {
    let s = format::decimal(x, 1);
    s.strip_suffix(",0").map(str::to_string).unwrap_or(s)
}

pub fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), |v| format::percent(v, 0))
}

/// The same text with ordinary spaces, for alternative texts read aloud or copied.
pub fn plain(s: &str) -> String {
    s.replace(format::GROUP, " ")
}

pub fn month_name(m: u32) -> &'static str {
    [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ][(m.clamp(1, 12) - 1) as usize]
}

/// "31 augusti 2019" from "2019-08-31".
pub fn long_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!(
            "{} {} {y}",
            d.trim_start_matches('0'),
            month_name(m.parse().unwrap_or(1))
        ),
        _ => iso.to_string(),
    }
}

/// "31/8 2019" from "2019-08-31".
pub fn short_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!(
            "{}/{} {y}",
            d.trim_start_matches('0'),
            m.trim_start_matches('0')
        ),
        _ => iso.to_string(),
    }
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

pub fn assessment_label(a: Assessment) -> &'static str {
    match a {
        Assessment::Met => "Uppfyllt",
        Assessment::PartlyMet => "Delvis uppfyllt",
        Assessment::NotMet => "Ej uppfyllt",
        Assessment::NotAssessed => "Ej bedömt",
    }
}

pub fn light_label(l: TrafficLight) -> &'static str {
    match l {
        TrafficLight::Green => "Uppfylls per helår",
        TrafficLight::Yellow => "Positiv utveckling, delvis uppfyllt",
        TrafficLight::Red => "Negativ utveckling, nås inte",
        TrafficLight::Grey => "Ej bedömd",
    }
}

pub fn area_label(a: GoalArea) -> &'static str {
    match a {
        GoalArea::Economy => "Ekonomi",
        GoalArea::Operations => "Verksamhet",
        GoalArea::Staff => "Medarbetare",
    }
}

pub fn gender_label(g: Gender) -> &'static str {
    match g {
        Gender::Women => "Kvinnor",
        Gender::Men => "Män",
        Gender::Total => "Totalt",
    }
}

pub fn channel_label(c: &str) -> &'static str {
    match c {
        "web" => "Webbformulär",
        "chat" => "Chatt",
        "phone" => "Telefon",
        "email" => "E-post",
        "visit" => "Besök",
        _ => "Övrigt",
    }
}

pub fn group_label(g: &str) -> &'static str {
    match g {
        "manager" => "Chefer",
        "administrator" => "Administratörer",
        "hr_consultant" => "HR-konsulter",
        "employee" => "Medarbetare",
        "citizen" => "Medborgare",
        _ => "Övriga",
    }
}

pub fn metric_label(m: StaffMetric) -> &'static str {
    match m {
        StaffMetric::Employees => "Antal tillsvidareanställda",
        StaffMetric::SickLeave => "Total sjukfrånvaro, %",
        StaffMetric::ExternalTurnover => "Extern personalomsättning, %",
        StaffMetric::FullTimeShare => "Andel heltidsanställningar, %",
    }
}

pub fn assignment_status(s: AssignmentStatus) -> &'static str {
    match s {
        AssignmentStatus::NotStarted => "Ej påbörjad",
        AssignmentStatus::ActionsTaken => "Åtgärder vidtagna",
        AssignmentStatus::Done => "Genomförd",
        AssignmentStatus::NotApplicable => "Inte tillämplig",
    }
}

pub fn control_result(c: Option<ControlResult>) -> &'static str {
    match c {
        Some(ControlResult::Satisfactory) => "Tillfredsställande",
        Some(ControlResult::PartlySatisfactory) => "Delvis tillfredsställande",
        Some(ControlResult::Unsatisfactory) => "Otillfredsställande",
        None => "Ej kontrollerad",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers() {
        assert_eq!(long_date("2019-08-31"), "31 augusti 2019");
        assert_eq!(short_date("2019-08-31"), "31/8 2019");
        assert_eq!(dec(2.5), "2,5");
        assert_eq!(dec(100.0), "100");
        assert_eq!(plain(&n(-16_015)), "-16 015");
    }
}
