use super::*;
use crate::case::CaseNumber;
use crate::UserId;

#[test]
fn scales_map_onto_the_index() {
    let five: Vec<i64> = Scale::OneToFive
        .values()
        .map(|v| Scale::OneToFive.to_index(v).unwrap())
        .collect();
    assert_eq!(five, [0, 25, 50, 75, 100]);
    let ten: Vec<i64> = Scale::ZeroToTen
        .values()
        .map(|v| Scale::ZeroToTen.to_index(v).unwrap())
        .collect();
    assert_eq!(ten, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    assert_eq!(Scale::OneToFive.to_index(0), None);
    assert_eq!(Scale::OneToFive.to_index(6), None);
    assert_eq!(Scale::ZeroToTen.to_index(-1), None);
    assert_eq!(Scale::ZeroToTen.to_index(11), None);
    for s in Scale::ALL {
        assert_eq!(Scale::parse(s.as_str()), Some(s));
    }
    // Positive from 4 of 5 and from 6 of 10.
    assert!(Scale::OneToFive.to_index(4).unwrap() >= POSITIVE_FROM);
    assert!(Scale::OneToFive.to_index(3).unwrap() < POSITIVE_FROM);
    assert!(Scale::ZeroToTen.to_index(6).unwrap() >= POSITIVE_FROM);
    assert!(Scale::ZeroToTen.to_index(5).unwrap() < POSITIVE_FROM);
}

#[test]
fn answers_are_checked_on_their_scale() {
    let raw = RawAnswer {
        answer: Some(4),
        dimensions: [Some(5), None, Some(1)],
        comment: Some("  Snabbt och vänligt.  ".into()),
    };
    let a = raw.check(Scale::OneToFive).unwrap();
    assert_eq!(
        (a.answer, a.score, a.dimensions),
        (4, 75, [Some(100), None, Some(0)])
    );
    assert_eq!(a.comment.as_deref(), Some("Snabbt och vänligt."));
    assert_eq!(
        RawAnswer::default().check(Scale::OneToFive),
        Err(BadAnswer::Missing)
    );
    let off = RawAnswer {
        answer: Some(7),
        ..Default::default()
    };
    assert_eq!(
        off.check(Scale::OneToFive),
        Err(BadAnswer::OffScale("answer", 1, 5))
    );
    assert_eq!(off.check(Scale::ZeroToTen).unwrap().score, 70);
    let dim = RawAnswer {
        answer: Some(3),
        dimensions: [None, Some(0), None],
        comment: Some("   ".into()),
    };
    assert_eq!(
        dim.check(Scale::OneToFive),
        Err(BadAnswer::OffScale("general_satisfaction", 1, 5))
    );
    assert_eq!(dim.check(Scale::ZeroToTen).unwrap().comment, None);
    let long = RawAnswer {
        answer: Some(3),
        comment: Some("ä".repeat(COMMENT_MAX + 1)),
        ..Default::default()
    };
    assert_eq!(long.check(Scale::OneToFive), Err(BadAnswer::CommentTooLong));
}

#[test]
fn sampling_is_deterministic_and_near_its_rate() {
    assert!((1..100).all(|i| is_sampled(CaseId(i), 1)));
    assert!((1..100).all(|i| !is_sampled(CaseId(i), 0)));
    let picked: Vec<i64> = (1..=4_000).filter(|&i| is_sampled(CaseId(i), 4)).collect();
    assert!(
        (900..=1_100).contains(&picked.len()),
        "about one in four: {}",
        picked.len()
    );
    let again: Vec<i64> = (1..=4_000).filter(|&i| is_sampled(CaseId(i), 4)).collect();
    assert_eq!(picked, again);
    // Every second number (one channel of two alternating) is still sampled one in four.
    let even = (1..=4_000)
        .filter(|&i| is_sampled(CaseId(2 * i), 4))
        .count();
    assert!((900..=1_100).contains(&even), "{even}");
}

#[test]
fn settings_are_checked() {
    let ok = SurveySettings::default();
    assert_eq!(ok.check(), Ok(()));
    let mut s = ok;
    s.reminder_days = 30;
    assert_eq!(s.check(), Err(BadSettings::ReminderAfterClose));
    let mut s = ok;
    s.min_group = 0;
    assert_eq!(s.check(), Err(BadSettings::MinGroup));
    let mut s = ok;
    s.set_sample_every(Channel::Phone, 1_001);
    assert_eq!(s.check(), Err(BadSettings::Sampling("phone")));
    s.set_sample_every(Channel::Phone, 4);
    assert_eq!(s.sample_every(Channel::Phone), 4);
    assert_eq!(s.sample_every(Channel::Web), 1);
    assert_eq!(ok.remind_at(0), Some(5 * DAY_MS));
    assert_eq!(ok.expires_at(0), 30 * DAY_MS);
    let mut none = ok;
    none.reminder_days = 0;
    assert_eq!(none.check(), Ok(()));
    assert_eq!(none.remind_at(0), None);
}

#[test]
fn weeks_start_on_monday_in_stockholm() {
    use chrono::NaiveDate;
    let at = |y, m, d, h| {
        crate::time::from_local(
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap(),
        )
    };
    // Sunday 2026-06-07 23:00 and Monday 2026-06-01 00:00 are in week 23.
    let monday = crate::time::day_number(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
    assert_eq!(week_of(at(2026, 6, 7, 23)), monday);
    assert_eq!(week_of(at(2026, 6, 1, 0)), monday);
    assert_eq!(week_of(at(2026, 6, 8, 0)), monday + 7);
    assert_eq!(week_label(monday), "2026-V23");
    // The week of 1 January 2027 (a Friday) is 2026's week 53.
    assert_eq!(week_label(week_of(at(2027, 1, 1, 12))), "2026-V53");
}

#[test]
fn periods() {
    use chrono::NaiveDate;
    let today = NaiveDate::from_ymd_opt(2026, 6, 22).unwrap();
    let p = Period::parse(None, None, today).unwrap();
    assert_eq!(p.from, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    assert_eq!(p.to, today);
    let (a, b) = p.bounds();
    assert_eq!(crate::time::format_datetime(a), "2026-01-01 00:00");
    assert_eq!(crate::time::format_datetime(b), "2026-06-23 00:00");
    assert_eq!(
        Period::parse(Some("2026-02-30"), None, today),
        Err(BadPeriod::NotADate("from"))
    );
    assert_eq!(
        Period::parse(Some("2026-07-01"), Some("2026-06-01"), today),
        Err(BadPeriod::Backwards)
    );
    assert_eq!(
        Period::parse(Some("2019-01-01"), None, today),
        Err(BadPeriod::TooLong)
    );
    assert_eq!(
        Period::parse(Some(""), Some("2025-12-31"), today)
            .unwrap()
            .from,
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
    );
}

fn sums(sent: i64, answered: i64, score_sum: i64) -> GroupSums {
    GroupSums {
        sent,
        answered,
        score_sum,
        dimensions: [(answered, answered), (0, answered), (0, 0)],
        comments: answered.min(1),
    }
}

#[test]
fn figures_and_anonymity() {
    let g = |key: &str, s| Group {
        key: key.into(),
        label: key.into(),
        sums: s,
    };
    let comment = |agent: i64, text: &str| RawComment {
        case: CaseNumber {
            year: 2026,
            id: CaseId(agent * 10),
        },
        agent: Some(UserId(agent)),
        agent_name: Some(format!("Agent {agent}")),
        service_name: "Frågor".into(),
        channel: "phone".into(),
        week: 20_605,
        score: 75,
        text: text.into(),
        answered_at: 0,
    };
    let s = FigureSums {
        by_unit: vec![g("KL", sums(20, 8, 600))],
        by_service: vec![g("KL-FRAGA", sums(20, 8, 600))],
        by_channel: vec![g("phone", sums(12, 6, 450)), g("chat", sums(8, 2, 150))],
        by_agent: vec![g("7", sums(12, 6, 450)), g("9", sums(8, 2, 150))],
        by_week: vec![g("20605", sums(20, 8, 600))],
        comments: vec![comment(7, "Bra"), comment(9, "Dåligt")],
    };
    let m = figures(&s, 5, Viewer::Manager);
    assert!(m.full);
    assert_eq!(
        (m.total.sent, m.total.answered, m.total.index),
        (20, 8, Some(75.0))
    );
    assert_eq!(m.total.response_rate, Some(40.0));
    assert_eq!(m.total.engagement, Some(100.0));
    assert_eq!(m.total.general_satisfaction, Some(0.0));
    assert_eq!(m.total.resolution, None);
    assert_eq!(m.by_agent.len(), 2);
    assert!(!m.by_agent[1].withheld && m.by_agent[1].index == Some(75.0));
    assert_eq!(m.comments.len(), 2);
    assert_eq!(m.comments[0].case.as_deref(), Some("2026-0000070"));
    assert_eq!(m.comments[1].agent.as_deref(), Some("Agent 9"));

    // Agent 7 has 6 answers: their own row, comments without case or agent; agent 9's
    // comment (2 answers) is withheld, and so is the chat channel's index.
    let a = figures(&s, 5, Viewer::Agent(UserId(7)));
    assert!(!a.full);
    assert_eq!(a.total.index, Some(75.0));
    assert_eq!(a.by_agent.len(), 1);
    assert_eq!(a.by_agent[0].key, "7");
    let chat = a.by_channel.iter().find(|c| c.key == "chat").unwrap();
    assert!(chat.withheld && chat.index.is_none() && chat.engagement.is_none());
    assert_eq!((chat.sent, chat.answered), (8, 2));
    assert_eq!(a.comments.len(), 1);
    assert_eq!(
        (
            &a.comments[0].case,
            &a.comments[0].agent,
            a.comments[0].text.as_str()
        ),
        (&None, &None, "Bra")
    );
    // Agent 9 sees no row of their own and no comments about them.
    let b = figures(&s, 5, Viewer::Agent(UserId(9)));
    assert!(b.by_agent.is_empty());
    assert_eq!(b.comments.len(), 1);
    // With a smallest group of 10, the agent sees no index at all.
    let c = figures(&s, 10, Viewer::Agent(UserId(7)));
    assert!(c.total.withheld && c.total.index.is_none());
    assert!(c.comments.is_empty() && c.by_agent.is_empty());
}
