//! The SIE 4I file of a billing run: one voucher (#VER) for the run, in which every customer's
//! purchase of a service from a unit is two transactions that cancel — internal revenue for
//! the provider, internal cost for the customer — so the voucher always balances.
//!
//! Objects (SIE 4, §"#DIM", "#OBJEKT"):
//! - dimension 1 (*Kostnadsställe/ansvar*): the unit's ERP code (its code when it has none),
//!   the provider's on the revenue line and the customer's on the cost line, so that Serva's
//!   own SIE import, and the ledger, book each side on its own unit;
//! - dimension 20 (*Kund*, a free dimension ≥ 20): the customer's unit code;
//! - dimension 21 (*Tjänst*): the service's code.
//!
//! The file is written in IBM PC code page 437 (`#FORMAT PC8`), as the format prescribes;
//! characters the code page lacks become `?`.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::money::sie_amount;
use super::run::ChargeLine;

/// The account internal revenue is booked on (class 3).
pub const REVENUE_ACCOUNT: &str = "3590";
/// The account internal purchases are booked on (class 7, other operating costs).
pub const COST_ACCOUNT: &str = "7590";

/// The free dimensions the file declares besides dimension 1.
pub const CUSTOMER_DIMENSION: u32 = 20;
pub const SERVICE_DIMENSION: u32 = 21;

/// What the file says about who made it and which run it holds.
#[derive(Debug, Clone)]
pub struct SieRun<'a> {
    /// The organisation (e.g. "Linköpings kommun").
    pub company: &'a str,
    /// The run's number, used as the voucher number.
    pub number: i64,
    /// The month, `2019-08`.
    pub month: &'a str,
    /// The voucher's date: the last day of the month.
    pub voucher_day: NaiveDate,
    /// When the file was written.
    pub generated: NaiveDate,
    /// The financial year the voucher falls in.
    pub year: (NaiveDate, NaiveDate),
}

/// A unit as the file names it: its object code on dimension 1 and its name.
#[derive(Debug, Clone)]
pub struct SieUnit {
    pub object: String,
    pub name: String,
}

/// The file, encoded. `units` maps a unit code to its object; `services` a service code to
/// its name. A line whose unit is missing from `units` uses the unit's code as its object.
pub fn write_sie(
    run: &SieRun,
    lines: &[ChargeLine],
    units: &BTreeMap<String, SieUnit>,
    services: &BTreeMap<String, String>,
) -> Vec<u8> {
    let object = |code: &str| {
        units
            .get(code)
            .map(|u| u.object.clone())
            .unwrap_or_else(|| code.to_string())
    };
    // One pair of transactions per provider, customer and service.
    let mut sums: BTreeMap<(&str, &str, &str), i64> = BTreeMap::new();
    for l in lines {
        let v = &l.volume;
        *sums
            .entry((&v.provider, &v.customer, &v.service))
            .or_default() += l.amount_ore;
    }
    let mut out = String::new();
    let mut rec = |s: String| {
        out.push_str(&s);
        out.push_str("\r\n");
    };
    rec("#FLAGGA 0".into());
    rec("#FORMAT PC8".into());
    rec("#SIETYP 4".into());
    rec(format!(
        "#PROGRAM {} {}",
        quote("Serva"),
        quote(env!("CARGO_PKG_VERSION"))
    ));
    rec(format!("#GEN {}", ymd(run.generated)));
    rec(format!("#FNAMN {}", quote(run.company)));
    rec(format!("#RAR 0 {} {}", ymd(run.year.0), ymd(run.year.1)));
    rec(format!(
        "#KONTO {REVENUE_ACCOUNT} {}",
        quote("Interna intäkter, sålda tjänster")
    ));
    rec(format!(
        "#KONTO {COST_ACCOUNT} {}",
        quote("Interna kostnader, köpta tjänster")
    ));
    rec(format!("#DIM 1 {}", quote("Ansvar")));
    rec(format!("#DIM {CUSTOMER_DIMENSION} {}", quote("Kund")));
    rec(format!("#DIM {SERVICE_DIMENSION} {}", quote("Tjänst")));
    let mut on_dim1: BTreeMap<String, String> = BTreeMap::new();
    let mut customers: BTreeMap<&str, String> = BTreeMap::new();
    let mut used_services: BTreeMap<&str, String> = BTreeMap::new();
    for &(provider, customer, service) in sums.keys() {
        for code in [provider, customer] {
            let name = units.get(code).map_or(code, |u| u.name.as_str());
            on_dim1.insert(object(code), name.to_string());
        }
        customers.insert(
            customer,
            units
                .get(customer)
                .map_or(customer, |u| u.name.as_str())
                .to_string(),
        );
        used_services.insert(
            service,
            services
                .get(service)
                .map_or(service, String::as_str)
                .to_string(),
        );
    }
    for (o, name) in &on_dim1 {
        rec(format!("#OBJEKT 1 {} {}", quote(o), quote(name)));
    }
    for (c, name) in &customers {
        rec(format!(
            "#OBJEKT {CUSTOMER_DIMENSION} {} {}",
            quote(c),
            quote(name)
        ));
    }
    for (s, name) in &used_services {
        rec(format!(
            "#OBJEKT {SERVICE_DIMENSION} {} {}",
            quote(s),
            quote(name)
        ));
    }
    rec(format!(
        "#VER {} {} {} {} {}",
        quote("F"),
        run.number,
        ymd(run.voucher_day),
        quote(&format!("Internfakturering {}", run.month)),
        ymd(run.generated)
    ));
    rec("{".into());
    for (&(provider, customer, service), &amount) in &sums {
        if amount == 0 {
            continue;
        }
        let dims = |unit: &str| {
            format!(
                "{{1 {} {CUSTOMER_DIMENSION} {} {SERVICE_DIMENSION} {}}}",
                quote(&object(unit)),
                quote(customer),
                quote(service)
            )
        };
        rec(format!(
            "   #TRANS {REVENUE_ACCOUNT} {} {}",
            dims(provider),
            sie_amount(-amount)
        ));
        rec(format!(
            "   #TRANS {COST_ACCOUNT} {} {}",
            dims(customer),
            sie_amount(amount)
        ));
    }
    rec("}".into());
    encode_pc8(&out)
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// A field in quotes, with quotes and backslashes escaped and control characters dropped.
fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars().filter(|c| !c.is_control()) {
        if c == '"' || c == '\\' {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    q
}

/// Text as IBM PC code page 437.
fn encode_pc8(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                c as u8
            } else {
                crate::import::CP437_HIGH
                    .iter()
                    .position(|&h| h == c)
                    .map_or(b'?', |i| 128 + i as u8)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::money::Milli;
    use crate::billing::run::{Source, Volume};
    use crate::import::{decode_sie, parse_sie, SieLedger};

    fn d(s: &str) -> NaiveDate {
        crate::time::parse_day(s).unwrap()
    }

    fn line(provider: &str, customer: &str, service: &str, amount: i64) -> ChargeLine {
        ChargeLine {
            volume: Volume {
                source: Source::Case(1),
                provider: provider.into(),
                customer: customer.into(),
                service: service.into(),
                day: d("2019-08-10"),
                quantity: Milli::ONE,
            },
            price_ore: amount,
            amount_ore: amount,
        }
    }

    fn file(lines: &[ChargeLine]) -> String {
        let units = BTreeMap::from([
            (
                "KL".to_string(),
                SieUnit {
                    object: "2030".into(),
                    name: "Kontakt Linköping".into(),
                },
            ),
            (
                "LKDATA".to_string(),
                SieUnit {
                    object: "2010".into(),
                    name: "LKDATA".into(),
                },
            ),
            (
                "UF".to_string(),
                SieUnit {
                    object: "40".into(),
                    name: "Utbildningsförvaltningen".into(),
                },
            ),
        ]);
        let services =
            BTreeMap::from([("KL-FRAGA".to_string(), "Fråga till \"Kontakt\"".to_string())]);
        let run = SieRun {
            company: "Linköpings kommun",
            number: 8,
            month: "2019-08",
            voucher_day: d("2019-08-31"),
            generated: d("2019-09-02"),
            year: (d("2019-01-01"), d("2019-12-31")),
        };
        decode_sie(&write_sie(&run, lines, &units, &services))
    }

    #[test]
    fn the_voucher_balances_and_every_transaction_carries_its_objects() {
        let text = file(&[
            line("KL", "UF", "KL-FRAGA", 12_345),
            line("KL", "UF", "KL-FRAGA", 10_000),
            line("LKDATA", "UF", "LK-DATOR", 99_999),
            line("LKDATA", "SOF", "LK-DATOR", 1),
        ]);
        assert!(text.starts_with("#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n"));
        assert!(
            text.contains("#OBJEKT 1 \"40\" \"Utbildningsförvaltningen\""),
            "the name survives CP437"
        );
        assert!(text.contains("#OBJEKT 21 \"KL-FRAGA\" \"Fråga till \\\"Kontakt\\\"\""));
        let trans: Vec<&str> = text
            .lines()
            .filter(|l| l.trim_start().starts_with("#TRANS"))
            .collect();
        assert_eq!(trans.len(), 6);
        assert!(
            trans[0].contains("#TRANS 3590 {1 \"2030\" 20 \"UF\" 21 \"KL-FRAGA\"} -223.45"),
            "{}",
            trans[0]
        );
        assert!(
            trans[1].contains("#TRANS 7590 {1 \"40\" 20 \"UF\" 21 \"KL-FRAGA\"} 223.45"),
            "{}",
            trans[1]
        );
        let sum: i64 = trans
            .iter()
            .map(|t| {
                let a = t.rsplit(' ').next().unwrap();
                let (k, o) = a.trim_start_matches('-').split_once('.').unwrap();
                let v = k.parse::<i64>().unwrap() * 100 + o.parse::<i64>().unwrap();
                if a.starts_with('-') {
                    -v
                } else {
                    v
                }
            })
            .sum();
        assert_eq!(sum, 0);
        // A unit without an object of its own is named by its code.
        assert!(text.contains("{1 \"SOF\" 20 \"SOF\" 21 \"LK-DATOR\"} 0.01"));
    }

    #[test]
    fn serva_s_own_sie_import_reads_it_back_to_the_ore() {
        let text = file(&[
            line("KL", "UF", "KL-FRAGA", 12_345),
            line("LKDATA", "UF", "LK-DATOR", 5_000),
        ]);
        let ledger = parse_sie(&text).expect("the import reads the export");
        let m = |o: &str| SieLedger::revenue_cost(&ledger.months[&(o.to_string(), 2019, 8)]);
        assert_eq!(m("2030"), (12_345, 0), "Kontakt Linköping's revenue");
        assert_eq!(m("2010"), (5_000, 0));
        assert_eq!(m("40"), (0, 17_345), "the department's cost");
    }
}
