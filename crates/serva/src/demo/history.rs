//! A year of cases (2019) for every unit, and a set of cases open right now.
//!
//! Volumes follow the interim report: Kontakt Linköping opens on 1 April 2019 and takes about
//! 4 600 cases a week until August (100 000 by 31 August) and about 5 600 a week after
//! (197 000 for the year); HR-direkt opens in May with the report's channel mix (43 % web
//! form, 28 % chat, 15 % phone, the rest e-mail) and target groups (37 % managers, 34 %
//! administrators, 29 % HR consultants). The other units get steady volumes in proportion.

use chrono::{Datelike, NaiveTime, Weekday};
use serva_domain::calendar::WorkingTime;
use serva_domain::case::{CaseStatus, Channel};
use serva_domain::catalogue::FieldKind;
use serva_domain::role::TargetGroup;
use serva_store::bulk::{
    Bulk, CallRow, CaseRow, EventRow, InvitationRow, MessageRow, SurveyAnswerRow, SurveyRow,
};

use super::catalogue::DemoService;
use super::profiles::{date, profiles, Profile};
use super::rng::Rng;
use super::{people, Loaded};

const SEED: u64 = 20_190_831;
const MINUTE: i64 = 60_000;
const FLUSH_AT: usize = 4_000;

/// Rows waiting to be written.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) cases: Vec<CaseRow>,
    pub(super) events: Vec<EventRow>,
    messages: Vec<MessageRow>,
    calls: Vec<CallRow>,
    surveys: Vec<SurveyRow>,
    /// Surveys Serva sent, and their answers (the recent weeks: `super::surveys`).
    pub(super) invitations: Vec<InvitationRow>,
    pub(super) answers: Vec<SurveyAnswerRow>,
}

impl Batch {
    async fn flush(&mut self, bulk: &mut Bulk) -> anyhow::Result<()> {
        bulk.cases(&self.cases).await?;
        bulk.insert(&self.events).await?;
        bulk.insert(&self.messages).await?;
        bulk.insert(&self.calls).await?;
        bulk.insert(&self.surveys).await?;
        bulk.insert(&self.invitations).await?;
        bulk.insert(&self.answers).await?;
        self.cases.clear();
        self.events.clear();
        self.messages.clear();
        self.calls.clear();
        self.surveys.clear();
        self.invitations.clear();
        self.answers.clear();
        Ok(())
    }

    fn event(
        &mut self,
        case: i64,
        at: i64,
        actor: Option<i64>,
        kind: &'static str,
        from: Option<&str>,
        to: Option<&str>,
    ) {
        self.events.push(EventRow {
            case_id: case,
            at,
            actor_id: actor,
            kind,
            from_value: from.map(|v| v.to_string().into()),
            to_value: to.map(|v| v.to_string().into()),
        });
    }
}

/// What one generated case looks like before it becomes rows.
pub(super) struct Draft<'a> {
    pub(super) id: i64,
    pub(super) service: (i64, &'a DemoService),
    pub(super) unit: i64,
    pub(super) channel: Channel,
    created: i64,
    requester: Option<i64>,
    requester_name: Option<String>,
    customer_unit: Option<i64>,
    target_group: TargetGroup,
}

const REPLIES: &[&str] = &[
    "Hej! Tack för ditt ärende. Vi har tittat på det och återkommer så snart vi vet mer.",
    "Hej! Nu är det åtgärdat. Hör av dig om något fortfarande inte fungerar.",
    "Hej! Vi behöver lite mer information för att kunna hjälpa dig – kan du beskriva vad som hände?",
    "Tack för att du hörde av dig. Ärendet är löst och avslutas om några dagar.",
];

pub(super) async fn generate(bulk: &mut Bulk, l: &Loaded) -> anyhow::Result<i64> {
    let mut rng = Rng::new(SEED);
    let mut batch = Batch::default();
    let mut next_id = 1i64;
    let profiles = profiles();
    let mut day = date(2019, 1, 1);
    let end = date(2019, 12, 31);
    while day <= end {
        for p in &profiles {
            if day < p.opens {
                continue;
            }
            let weekly = if day < date(2019, 9, 1) {
                p.weekly.0
            } else {
                p.weekly.1
            };
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            // Weekdays carry the week; chat and e-mail trickle in at weekends.
            let mean = if weekend {
                weekly * 0.01
            } else {
                weekly * 0.196
            };
            let count = (mean * (0.85 + 0.3 * rng.f64())).round() as i64;
            for _ in 0..count {
                let minute = if weekend {
                    rng.range(9 * 60, 16 * 60)
                } else {
                    rng.range(8 * 60, 16 * 60 + 30)
                };
                let local = day.and_time(
                    NaiveTime::from_hms_opt((minute / 60) as u32, (minute % 60) as u32, 0)
                        .expect("time"),
                ) + chrono::Duration::seconds(rng.range(0, 60));
                let created = serva_domain::time::from_local(local);
                if let Some(d) = draft(&mut rng, l, p, next_id, created, weekend) {
                    next_id += 1;
                    closed_case(&mut rng, l, p, &d, &mut batch, true);
                }
            }
        }
        if batch.cases.len() >= FLUSH_AT {
            batch.flush(bulk).await?;
        }
        day = day.succ_opt().expect("next day");
    }
    // Cases open right now, so the queues have work in them.
    let now = serva_domain::time::now_ms();
    let today = serva_domain::time::to_local(now).date();
    // The units' calendars are the default ones: Monday–Friday 08:00–16:00, closed on holidays.
    let open_time = serva_domain::calendar::CalendarSettings::default()
        .calendar()
        .open_time(today - chrono::Days::new(420), today);
    for p in &profiles {
        for k in 0..p.open_now {
            let created = recent_working_time(&mut rng, now);
            let Some(mut d) = draft(&mut rng, l, p, next_id, created, false) else {
                continue;
            };
            // New cases wait for their first reply, the others for their resolution.
            let s = d.service.1;
            let target = if k % 3 == 0 {
                s.first_response_minutes
            } else {
                s.resolution_minutes.or(s.first_response_minutes)
            };
            if let Some(target) = target {
                d.created = open_created(&mut rng, &open_time, now, target);
            }
            // Let the named demo customers have cases of their own.
            if !p.citizens && k % 5 == 0 {
                let who = ["admin.sof", "hrkonsult.uf", "chef.uf", "chef.sof"][k / 5 % 4];
                if let Some(&uid) = l.users.get(who) {
                    d.requester = Some(uid);
                    d.customer_unit = l
                        .customers
                        .iter()
                        .find(|c| c.0 == uid)
                        .map(|c| c.1)
                        .or(d.customer_unit);
                    if who.starts_with("chef.") {
                        d.customer_unit =
                            Some(l.units[if who == "chef.uf" { "UF" } else { "SOF" }]);
                        d.target_group = TargetGroup::Manager;
                    }
                }
            }
            next_id += 1;
            open_case(&mut rng, l, p, &d, k, now, &mut batch);
        }
    }
    // The last weeks' resolved cases with the surveys Serva sent about them.
    let mut recent = Rng::new(SEED + 1);
    super::surveys::recent(&mut recent, l, &profiles, &mut next_id, now, &mut batch);
    batch.flush(bulk).await?;
    Ok(next_id - 1)
}

pub(super) fn draft<'a>(
    rng: &mut Rng,
    l: &'a Loaded,
    p: &Profile,
    id: i64,
    created: i64,
    weekend: bool,
) -> Option<Draft<'a>> {
    let services: Vec<&(i64, &DemoService)> = l
        .services
        .iter()
        .filter(|(_, s)| s.unit == p.unit)
        .collect();
    if services.is_empty() {
        return None;
    }
    let weights: Vec<u32> = services.iter().map(|(_, s)| s.weight.max(1)).collect();
    let service = *services[rng.weighted(&weights)];
    let channel = if weekend {
        if rng.chance(0.5) {
            Channel::Email
        } else {
            Channel::Chat
        }
    } else {
        let w: Vec<u32> = p.channels.iter().map(|c| c.1).collect();
        p.channels[rng.weighted(&w)].0
    };
    let (requester, requester_name, customer_unit, target_group) = if p.citizens {
        let name = rng.chance(0.7).then(|| {
            format!(
                "{} {}",
                rng.pick(people::FIRST_NAMES),
                rng.pick(people::LAST_NAMES)
            )
        });
        (None, name, None, TargetGroup::Citizen)
    } else {
        let groups = [
            TargetGroup::Manager,
            TargetGroup::Administrator,
            TargetGroup::HrConsultant,
            TargetGroup::Employee,
        ];
        let tg = groups[rng.weighted(&p.groups)];
        let pool: Vec<&(i64, i64, TargetGroup)> =
            l.customers.iter().filter(|c| c.2 == tg).collect();
        let who = if pool.is_empty() {
            rng.pick(&l.customers)
        } else {
            *rng.pick(&pool)
        };
        (Some(who.0), None, Some(who.1), tg)
    };
    Some(Draft {
        id,
        service,
        unit: l.units[p.unit],
        channel,
        created,
        requester,
        requester_name,
        customer_unit,
        target_group,
    })
}

fn texts(rng: &mut Rng, s: &DemoService) -> (String, String, Vec<(String, String)>) {
    let subject = if s.subjects.is_empty() {
        s.name.to_string()
    } else {
        rng.pick(s.subjects).to_string()
    };
    let description = if s.descriptions.is_empty() {
        s.description.to_string()
    } else {
        rng.pick(s.descriptions).to_string()
    };
    let mut answers = Vec::new();
    for f in s.fields {
        if !f.required && rng.chance(0.4) {
            continue;
        }
        let value = match f.kind {
            FieldKind::Choice if !f.choices.is_empty() => rng.pick(f.choices).to_string(),
            _ if !f.examples.is_empty() => rng.pick(f.examples).to_string(),
            FieldKind::Number => rng.range(1, 20).to_string(),
            FieldKind::Date => "2019-09-02".to_string(),
            _ => continue,
        };
        answers.push((f.key.to_string(), value));
    }
    (subject, description, answers)
}

#[allow(clippy::too_many_arguments)]
fn case_row(
    d: &Draft,
    status: CaseStatus,
    subject: &str,
    description: &str,
    answers: &[(String, String)],
    assignee: Option<i64>,
    fcr: bool,
    updated: i64,
    first_response: Option<i64>,
    resolved: Option<i64>,
    closed: Option<i64>,
) -> CaseRow {
    CaseRow {
        id: d.id,
        service_id: d.service.0,
        unit_id: d.unit,
        customer_unit_id: d.customer_unit,
        requester_id: d.requester,
        requester_name: d.requester_name.clone().map(Into::into),
        target_group: Some(d.target_group),
        channel: d.channel,
        status,
        subject: subject.to_string().into(),
        description: description.to_string().into(),
        form_data: serde_json::to_string(answers)
            .expect("answers serialise")
            .into(),
        assignee_id: assignee,
        first_contact_resolution: fcr,
        created_at: d.created,
        updated_at: updated,
        first_response_at: first_response,
        resolved_at: resolved,
        closed_at: closed,
        search_text: serva_store::cases::case_search_text(subject, description, answers, None)
            .into(),
        contact_id: None,
    }
}

fn agent(rng: &mut Rng, l: &Loaded, unit: &str) -> Option<i64> {
    l.agents
        .get(unit)
        .filter(|a| !a.is_empty())
        .map(|a| *rng.pick(a))
}

/// A case of the past: worked, resolved and closed, mostly within its service level. With
/// `legacy_survey`, now and then answered in the 2019 way (an answer without a survey sent).
/// Returns when it was resolved.
pub(super) fn closed_case(
    rng: &mut Rng,
    l: &Loaded,
    p: &Profile,
    d: &Draft,
    b: &mut Batch,
    legacy_survey: bool,
) -> i64 {
    phone_calls(rng, p, d, b);
    let s = d.service.1;
    let (subject, description, answers) = texts(rng, s);
    let agent = agent(rng, l, p.unit);
    if d.channel.is_live() && rng.chance(p.fcr) {
        let done = d.created + rng.range(2, 9) * MINUTE;
        b.cases.push(case_row(
            d,
            CaseStatus::Closed,
            &subject,
            &description,
            &answers,
            agent,
            true,
            done,
            // The call (or visit, or chat) itself answered the person, as when an agent
            // registers a contact resolved at once.
            Some(d.created),
            Some(done),
            Some(done),
        ));
        b.event(d.id, d.created, agent, "created", None, Some("new"));
        b.event(d.id, done, agent, "status", Some("new"), Some("closed"));
        if legacy_survey {
            survey(rng, p, d.id, done, b);
        }
        return done;
    }
    let response_target = s.first_response_minutes.unwrap_or(480);
    let resolution_target = s
        .resolution_minutes
        .unwrap_or(4 * 1440)
        .max(response_target + 10);
    let within = |rng: &mut Rng, target: i64, p_ok: f64| {
        let f = if rng.chance(p_ok) {
            0.05 + 0.9 * rng.f64()
        } else {
            1.05 + rng.f64()
        };
        ((target as f64) * f) as i64 * MINUTE
    };
    let responded = d.created + within(rng, response_target, 0.92);
    let resolved = (d.created + within(rng, resolution_target, 0.88)).max(responded + MINUTE);
    let closed = resolved + 3 * 1440 * MINUTE;
    b.cases.push(case_row(
        d,
        CaseStatus::Closed,
        &subject,
        &description,
        &answers,
        agent,
        false,
        closed,
        Some(responded),
        Some(resolved),
        Some(closed),
    ));
    b.event(
        d.id,
        d.created,
        d.requester.or(agent),
        "created",
        None,
        Some("new"),
    );
    b.event(
        d.id,
        responded,
        agent,
        "assigned",
        None,
        agent.map(|a| a.to_string()).as_deref(),
    );
    b.event(d.id, responded, agent, "status", Some("new"), Some("open"));
    b.messages.push(MessageRow {
        case_id: d.id,
        author_id: agent,
        internal: false,
        body: (*rng.pick(REPLIES)).into(),
        created_at: responded,
        from_provider: true,
    });
    b.event(d.id, responded, agent, "message", None, None);
    b.event(
        d.id,
        resolved,
        agent,
        "status",
        Some("open"),
        Some("resolved"),
    );
    b.event(
        d.id,
        closed,
        None,
        "status",
        Some("resolved"),
        Some("closed"),
    );
    if legacy_survey {
        survey(rng, p, d.id, resolved, b);
    }
    resolved
}

/// Phone queues (Kontakt Linköping, HR-direkt): the call behind a phone case, and now and then
/// a caller who hung up. About 91 % of answered calls are answered within 120 seconds, which
/// with the hang-ups gives a service level near the report's 85 %.
fn phone_calls(rng: &mut Rng, p: &Profile, d: &Draft, b: &mut Batch) {
    if d.channel != Channel::Phone || !matches!(p.unit, "KL" | "HRD") {
        return;
    }
    let wait = if rng.chance(0.91) {
        rng.range(3, 121)
    } else {
        rng.range(121, 600)
    };
    b.calls.push(CallRow {
        unit_id: d.unit,
        call_ref: format!("c{}", d.id).into(),
        offered_at: d.created - wait * 1000,
        wait_seconds: wait,
        answered: true,
    });
    if rng.chance(0.07) {
        let wait = rng.range(1, 400);
        let at = d.created - rng.range(60, 3600) * 1000;
        b.calls.push(CallRow {
            unit_id: d.unit,
            call_ref: format!("a{}", d.id).into(),
            offered_at: at,
            wait_seconds: wait,
            answered: false,
        });
    }
}

/// Satisfaction surveys after a case: Kontakt Linköping asks a few (about 2 350 answers by
/// August, mean near 80), HR-direkt gets a quarter of its customers to answer, all satisfied.
fn survey(rng: &mut Rng, p: &Profile, case: i64, at: i64, b: &mut Batch) {
    let (rate, lo, hi) = match p.unit {
        "KL" => (0.0235, 60, 101),
        "HRD" => (0.25, 70, 101),
        _ => (0.12, 40, 101),
    };
    if !rng.chance(rate) {
        return;
    }
    // The mean of two draws leans towards the middle of the range.
    let score = (rng.range(lo, hi) + rng.range(lo.max(60), hi)) / 2;
    b.surveys.push(SurveyRow {
        case_id: case,
        score,
        comment: None,
        answered_at: at + rng.range(1, 48) * 3_600_000,
    });
}

/// A weekday working-hour instant in the last two weeks before `now`.
fn recent_working_time(rng: &mut Rng, now: i64) -> i64 {
    let today = serva_domain::time::to_local(now).date();
    loop {
        let day = today - chrono::Days::new(rng.range(0, 14) as u64);
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        let minute = rng.range(8 * 60, 16 * 60 + 30);
        let t = day.and_time(
            NaiveTime::from_hms_opt((minute / 60) as u32, (minute % 60) as u32, 0).expect("time"),
        );
        let at = serva_domain::time::from_local(t);
        if at < now - 10 * MINUTE {
            return at;
        }
    }
}

/// When an open case came in, so that by `now` a share of its target of working time has
/// passed: most have time left, a quarter are near their due time, some are past it.
fn open_created(rng: &mut Rng, time: &dyn WorkingTime, now: i64, target_minutes: i64) -> i64 {
    let share = match rng.weighted(&[45, 25, 30]) {
        0 => 0.1 + 0.6 * rng.f64(),
        1 => 0.82 + 0.15 * rng.f64(),
        _ => 1.1 + 1.5 * rng.f64(),
    };
    let goal = (target_minutes as f64 * share) as i64 * MINUTE;
    // The latest instant with that much working time between it and now.
    let (mut lo, mut hi) = (now - 400 * 1440 * MINUTE, now - MINUTE);
    while hi - lo > MINUTE {
        let mid = lo + (hi - lo) / 2;
        if time.between(mid, now) >= goal {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// A case in the queue now: new, being worked, or waiting for the customer.
fn open_case(rng: &mut Rng, l: &Loaded, p: &Profile, d: &Draft, k: usize, now: i64, b: &mut Batch) {
    let (subject, description, answers) = texts(rng, d.service.1);
    let state = k % 3;
    let agent = if state == 0 {
        None
    } else {
        agent(rng, l, p.unit)
    };
    let target = d.service.1.first_response_minutes.unwrap_or(480);
    let responded = (state > 0)
        .then(|| d.created + ((target as f64) * (0.1 + 0.8 * rng.f64())) as i64 * MINUTE)
        .filter(|&r| r < now);
    let status = match (state, responded) {
        (0, _) | (_, None) => CaseStatus::New,
        (1, _) => CaseStatus::Open,
        _ => CaseStatus::WaitingCustomer,
    };
    let agent = agent.filter(|_| responded.is_some());
    let updated = responded.unwrap_or(d.created);
    b.cases.push(case_row(
        d,
        status,
        &subject,
        &description,
        &answers,
        agent,
        false,
        updated,
        responded,
        None,
        None,
    ));
    b.event(
        d.id,
        d.created,
        d.requester.or(agent),
        "created",
        None,
        Some("new"),
    );
    if let Some(r) = responded {
        b.event(
            d.id,
            r,
            agent,
            "assigned",
            None,
            agent.map(|a| a.to_string()).as_deref(),
        );
        b.event(d.id, r, agent, "status", Some("new"), Some("open"));
        b.messages.push(MessageRow {
            case_id: d.id,
            author_id: agent,
            internal: false,
            body: REPLIES[if state == 2 { 2 } else { 0 }].into(),
            created_at: r,
            from_provider: true,
        });
        b.event(d.id, r, agent, "message", None, None);
        if state == 2 {
            b.event(
                d.id,
                r,
                agent,
                "status",
                Some("open"),
                Some("waiting_customer"),
            );
        }
    }
}
