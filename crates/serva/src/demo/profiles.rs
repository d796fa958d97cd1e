//! The demo units' case volumes: when each opens, cases a week, channels, target groups and
//! first-contact resolution, as the interim report describes them (see `history`).

use chrono::NaiveDate;
use serva_domain::case::Channel;

pub(super) struct Profile {
    pub(super) unit: &'static str,
    pub(super) opens: NaiveDate,
    /// Cases a week before and from 1 September.
    pub(super) weekly: (f64, f64),
    pub(super) channels: &'static [(Channel, u32)],
    /// Share of live contacts (phone, visit, chat) resolved while the person is there.
    pub(super) fcr: f64,
    pub(super) citizens: bool,
    /// Target-group weights (manager, administrator, HR consultant, employee) of requesters.
    pub(super) groups: [u32; 4],
    pub(super) open_now: usize,
}

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

pub(super) fn profiles() -> Vec<Profile> {
    use Channel::*;
    vec![
        Profile {
            unit: "KL",
            opens: date(2019, 4, 1),
            weekly: (4_600.0, 5_600.0),
            channels: &[(Phone, 77), (Email, 9), (Chat, 7), (Visit, 4), (Web, 3)],
            fcr: 0.78,
            citizens: true,
            groups: [0, 0, 0, 1],
            open_now: 40,
        },
        Profile {
            unit: "HRD",
            opens: date(2019, 5, 2),
            weekly: (160.0, 190.0),
            channels: &[(Web, 43), (Chat, 28), (Phone, 15), (Email, 14)],
            fcr: 0.55,
            citizens: false,
            groups: [37, 34, 29, 0],
            open_now: 15,
        },
        Profile {
            unit: "HRS",
            opens: date(2019, 1, 1),
            weekly: (210.0, 210.0),
            channels: &[(Web, 60), (Email, 30), (Phone, 10)],
            fcr: 0.3,
            citizens: false,
            groups: [40, 40, 15, 5],
            open_now: 15,
        },
        Profile {
            unit: "EKS",
            opens: date(2019, 1, 1),
            weekly: (300.0, 320.0),
            channels: &[(Web, 55), (Email, 35), (Phone, 10)],
            fcr: 0.3,
            citizens: false,
            groups: [30, 55, 5, 10],
            open_now: 20,
        },
        Profile {
            unit: "LKDATA",
            opens: date(2019, 1, 1),
            weekly: (620.0, 650.0),
            channels: &[(Web, 50), (Phone, 30), (Email, 15), (Chat, 5)],
            fcr: 0.45,
            citizens: false,
            groups: [20, 30, 5, 45],
            open_now: 30,
        },
        Profile {
            unit: "ARKIV",
            opens: date(2019, 1, 1),
            weekly: (40.0, 40.0),
            channels: &[(Web, 50), (Email, 40), (Visit, 10)],
            fcr: 0.2,
            citizens: false,
            groups: [25, 50, 5, 20],
            open_now: 8,
        },
        Profile {
            unit: "VSSL",
            opens: date(2019, 1, 1),
            weekly: (3.0, 3.0),
            channels: &[(Web, 80), (Email, 20)],
            fcr: 0.0,
            citizens: false,
            groups: [100, 0, 0, 0],
            open_now: 3,
        },
    ]
}
