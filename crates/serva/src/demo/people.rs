//! Demo people: the named logins of the README, more agents per unit, and customer staff.

use serva_domain::role::{RoleKind, TargetGroup};

pub struct DemoUser {
    pub username: &'static str,
    pub name: &'static str,
    pub home: &'static str,
    /// (role, unit code, target group)
    pub grants: &'static [(RoleKind, Option<&'static str>, Option<TargetGroup>)],
}

use RoleKind::*;
use TargetGroup as T;

/// Everyone here logs in with the password `demo`.
pub static USERS: &[DemoUser] = &[
    DemoUser {
        username: "admin",
        name: "Alva Administratör",
        home: "VSSL",
        grants: &[(Admin, None, None)],
    },
    DemoUser {
        username: "controller",
        name: "Conny Controller",
        home: "VSSL",
        grants: &[(Controller, None, None)],
    },
    DemoUser {
        username: "chef.vss",
        name: "Vera Sundström",
        home: "VSSL",
        grants: &[(UnitManager, Some("VSS"), None)],
    },
    DemoUser {
        username: "chef.kontakt",
        name: "Karin Holm",
        home: "KL",
        grants: &[(UnitManager, Some("KL"), None)],
    },
    DemoUser {
        username: "chef.lkdata",
        name: "Leif Dahl",
        home: "LKDATA",
        grants: &[(UnitManager, Some("LKDATA"), None)],
    },
    DemoUser {
        username: "handlaggare.kontakt",
        name: "Kim Lindqvist",
        home: "KL",
        grants: &[(Agent, Some("KL"), None)],
    },
    DemoUser {
        username: "handlaggare.hr",
        name: "Hanna Rask",
        home: "HRS",
        grants: &[(Agent, Some("HRS"), None)],
    },
    DemoUser {
        username: "handlaggare.lkdata",
        name: "Linus Dahlberg",
        home: "LKDATA",
        grants: &[(Agent, Some("LKDATA"), None)],
    },
    DemoUser {
        username: "handlaggare.ekonomi",
        name: "Eva Ekström",
        home: "EKS",
        grants: &[(Agent, Some("EKS"), None)],
    },
    DemoUser {
        username: "handlaggare.arkiv",
        name: "Arvid Öberg",
        home: "ARKIV",
        grants: &[(Agent, Some("ARKIV"), None)],
    },
    DemoUser {
        username: "chef.uf",
        name: "Ulrika Forsberg",
        home: "UF",
        grants: &[(CustomerManager, Some("UF"), None)],
    },
    DemoUser {
        username: "admin.sof",
        name: "Sofia Öhman",
        home: "SOF",
        grants: &[(Customer, Some("SOF"), Some(T::Administrator))],
    },
    DemoUser {
        username: "hrkonsult.uf",
        name: "Henrik Åström",
        home: "UF",
        grants: &[(Customer, Some("UF"), Some(T::HrConsultant))],
    },
    DemoUser {
        username: "chef.sof",
        name: "Stina Ågren",
        home: "SOF",
        grants: &[(CustomerManager, Some("SOF"), None)],
    },
];

/// More agents, without passwords (they would sign in through the municipality's SSO).
pub static AGENTS: &[(&str, &str, &str)] = &[
    ("KL", "kl.agent1", "Maja Berg"),
    ("KL", "kl.agent2", "Omar Haddad"),
    ("KL", "kl.agent3", "Elin Nyström"),
    ("KL", "kl.agent4", "Johan Ek"),
    ("KL", "kl.agent5", "Fatima Yusuf"),
    ("KL", "kl.agent6", "Per Åkesson"),
    ("HRS", "hrs.agent1", "Lena Wall"),
    ("HRD", "hrd.agent1", "Sara Björk"),
    ("HRD", "hrd.agent2", "Mikael Strand"),
    ("LKDATA", "lk.agent1", "Nils Ljung"),
    ("LKDATA", "lk.agent2", "Ida Sjöberg"),
    ("LKDATA", "lk.agent3", "Ali Rahimi"),
    ("EKS", "eks.agent1", "Britt Nord"),
    ("EKS", "eks.agent2", "Tomas Falk"),
    ("ARKIV", "ark.agent1", "Greta Lund"),
    ("VSSL", "vssl.agent1", "Olof Wik"),
];

pub static FIRST_NAMES: &[&str] = &[
    "Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Sara", "Mohammed", "Åsa",
    "Örjan", "Emma", "Ahmed", "Linnea", "Björn", "Elsa", "Göran", "Ingrid", "Nils", "Zeynep",
    "Oskar", "Maja", "Jonas",
];
pub static LAST_NAMES: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jönsson",
    "Ali",
    "Lindberg",
    "Åberg",
    "Öberg",
    "Ström",
    "Hassan",
    "Holm",
    "Bergström",
];
