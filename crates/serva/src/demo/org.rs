//! The demo organisation: Linköpings kommun with its departments, companies, and VSS.

use serva_domain::org::UnitKind;

pub struct DemoUnit {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: UnitKind,
    pub parent: Option<&'static str>,
    pub erp_code: Option<&'static str>,
    pub valid_from: Option<&'static str>,
    pub valid_to: Option<&'static str>,
    pub predecessor: Option<&'static str>,
}

const fn u(
    code: &'static str,
    name: &'static str,
    kind: UnitKind,
    parent: Option<&'static str>,
    erp_code: Option<&'static str>,
) -> DemoUnit {
    DemoUnit {
        code,
        name,
        kind,
        parent,
        erp_code,
        valid_from: None,
        valid_to: None,
        predecessor: None,
    }
}

/// Parents come before their children.
pub static UNITS: &[DemoUnit] = &[
    u(
        "LK",
        "Linköpings kommun",
        UnitKind::Municipality,
        None,
        Some("1"),
    ),
    u(
        "KLF",
        "Kommunledningsförvaltningen",
        UnitKind::Department,
        Some("LK"),
        Some("10"),
    ),
    u(
        "UF",
        "Utbildningsförvaltningen",
        UnitKind::Department,
        Some("LK"),
        Some("30"),
    ),
    u(
        "SOF",
        "Socialförvaltningen",
        UnitKind::Department,
        Some("LK"),
        Some("40"),
    ),
    u(
        "AOF",
        "Äldreomsorgsförvaltningen",
        UnitKind::Department,
        Some("LK"),
        Some("45"),
    ),
    u(
        "KOF",
        "Kultur- och fritidsförvaltningen",
        UnitKind::Department,
        Some("LK"),
        Some("50"),
    ),
    u(
        "MSF",
        "Miljö- och samhällsbyggnadsförvaltningen",
        UnitKind::Department,
        Some("LK"),
        Some("60"),
    ),
    u(
        "STANG",
        "AB Stångåstaden",
        UnitKind::Company,
        Some("LK"),
        Some("81"),
    ),
    u(
        "TVAB",
        "Tekniska verken i Linköping AB",
        UnitKind::Company,
        Some("LK"),
        Some("82"),
    ),
    u(
        "LEJON",
        "Lejonfastigheter AB",
        UnitKind::Company,
        Some("LK"),
        Some("83"),
    ),
    u(
        "VSS",
        "Verksamhetsstöd och service",
        UnitKind::Administration,
        Some("LK"),
        Some("20"),
    ),
    u(
        "VSSL",
        "VSS ledning",
        UnitKind::Unit,
        Some("VSS"),
        Some("2000"),
    ),
    u(
        "EKS",
        "Ekonomiservice",
        UnitKind::Unit,
        Some("VSS"),
        Some("2010"),
    ),
    u(
        "HRS",
        "HR service",
        UnitKind::Unit,
        Some("VSS"),
        Some("2020"),
    ),
    DemoUnit {
        valid_from: Some("2019-05-01"),
        ..u(
            "HRD",
            "HR-direkt",
            UnitKind::Unit,
            Some("HRS"),
            Some("2021"),
        )
    },
    DemoUnit {
        valid_to: Some("2019-03-31"),
        ..u(
            "MBK",
            "Medborgarkontoret",
            UnitKind::Unit,
            Some("VSS"),
            Some("2039"),
        )
    },
    DemoUnit {
        valid_from: Some("2019-04-01"),
        predecessor: Some("MBK"),
        ..u(
            "KL",
            "Kontakt Linköping",
            UnitKind::Unit,
            Some("VSS"),
            Some("2030"),
        )
    },
    u(
        "LKDATA",
        "LKDATA",
        UnitKind::Unit,
        Some("VSS"),
        Some("2040"),
    ),
    u(
        "ARKIV",
        "Stadsarkivet",
        UnitKind::Unit,
        Some("VSS"),
        Some("2050"),
    ),
];

/// The demo's mailbox address of a provider unit: mail to it becomes a case in the unit's
/// queue (`serve --smtp-listen`), and the unit's mail is sent from it.
pub fn mailbox(code: &str) -> Option<&'static str> {
    Some(match code {
        "KL" => "kontakt@linkoping.example",
        "EKS" => "ekonomiservice@linkoping.example",
        "HRS" => "hrservice@linkoping.example",
        "HRD" => "hr-direkt@linkoping.example",
        "LKDATA" => "servicedesk.lkdata@linkoping.example",
        "ARKIV" => "stadsarkivet@linkoping.example",
        _ => return None,
    })
}
