//! `serva bench`'s SLA figures: working out the clocks of the loaded open cases, and
//! recomputing the due times of 100 000 open cases of one unit after its calendar changes
//! (budget: 5 s). Measured in-process on the bench's database before the server starts.

use std::time::Instant;

use anyhow::Context;
use serva_domain::calendar::{CalendarSettings, Hours};
use serva_domain::case::{CaseStatus, Channel};
use serva_store::bulk::{CaseRow, EventRow, MessageRow};
use serva_store::sla::SlaScope;
use serva_store::Db;

use crate::demo::rng::Rng;

/// The unit whose calendar changes, and how many open cases it gets.
pub const UNIT: &str = "KL";
pub const OPEN_CASES: usize = 100_000;

/// The figures, as printed.
pub struct SlaFigures {
    /// Open cases worked out after the load, and the seconds it took.
    pub stale: (usize, f64),
    /// Open cases recomputed after the calendar change, and the seconds it took.
    pub calendar_change: (usize, f64),
}

/// Loads `OPEN_CASES` open cases into the unit (unless an earlier run did), works out the
/// clocks of every open case not worked out yet, then changes the unit's calendar and times
/// the recomputation that follows.
pub async fn figures(db: &Db) -> anyhow::Result<SlaFigures> {
    let unit = db.unit_by_code(UNIT).await?;
    let mut f = serva_store::cases::CaseFilter::new(serva_domain::access::Visibility::All);
    f.unit = Some(unit.id);
    f.status = Some(serva_store::cases::StatusFilter::Active);
    f.page = (OPEN_CASES as i64 / 200).max(1);
    f.per_page = 200;
    if db.list_cases(&f).await?.cases.len() < 200 {
        load_open(db, unit.id.0, OPEN_CASES)
            .await
            .context("loading open cases")?;
    }
    let now = serva_domain::time::now_ms();
    let start = Instant::now();
    let stale = db.recompute_sla(SlaScope::Stale, now).await?;
    let stale = (stale.cases, start.elapsed().as_secs_f64());

    // The change an administrator makes on the calendar page: open an hour longer, which
    // moves every running due time.
    let mut s = db.calendar_settings(unit.id).await?;
    let longer = match s.week[0] {
        Some(h) if h.close < 23 * 60 => Hours::new(h.open, h.close + 60)?,
        _ => Hours::new(8 * 60, 17 * 60)?,
    };
    s.week = [
        Some(longer),
        Some(longer),
        Some(longer),
        Some(longer),
        Some(longer),
        None,
        None,
    ];
    let start = Instant::now();
    let done = db.save_calendar_week(None, unit.id, &s).await?;
    let calendar_change = (done.cases, start.elapsed().as_secs_f64());
    // Put the unit back as it was, so a run with --reuse starts from the same calendar.
    db.save_calendar_week(None, unit.id, &CalendarSettings::default())
        .await?;
    Ok(SlaFigures {
        stale,
        calendar_change,
    })
}

/// `n` open cases of the unit, created during the last four weeks' working hours: new,
/// answered and being worked, or waiting for the customer, with their histories.
async fn load_open(db: &Db, unit: i64, n: usize) -> anyhow::Result<()> {
    let services: Vec<_> = db
        .services(&serva_store::catalogue::ServiceFilter::default())
        .await?
        .into_iter()
        .filter(|s| s.unit_id.0 == unit)
        .collect();
    anyhow::ensure!(!services.is_empty(), "unit {UNIT} has no services");
    let agent = db.user_by_username("handlaggare.kontakt").await?.id.0;
    let mut rng = Rng::new(2_026_062);
    let now = serva_domain::time::now_ms();
    let first = db.next_id("cases").await?;
    let mut bulk = db.begin_bulk().await?;
    let (mut cases, mut events, mut messages) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..n {
        let id = first + k as i64;
        let svc = &services[rng.range(0, services.len() as i64) as usize];
        let created = now - rng.range(10 * 60_000, 28 * 86_400_000);
        let state = rng.weighted(&[40, 40, 20]);
        let answered =
            (state > 0).then(|| created + rng.range(60_000, 4 * 3_600_000).min(now - created - 1));
        let status = [
            CaseStatus::New,
            CaseStatus::Open,
            CaseStatus::WaitingCustomer,
        ][state];
        cases.push(CaseRow {
            id,
            service_id: svc.id.0,
            unit_id: unit,
            customer_unit_id: None,
            requester_id: None,
            requester_name: Some("Bänk Testsson".into()),
            target_group: None,
            channel: Channel::Phone,
            status,
            subject: format!("Öppet ärende #{id}").into(),
            description: "Mätning av servicenivåer".into(),
            form_data: "[]".into(),
            assignee_id: answered.map(|_| agent),
            first_contact_resolution: false,
            created_at: created,
            updated_at: answered.unwrap_or(created),
            first_response_at: answered,
            resolved_at: None,
            closed_at: None,
            search_text: "oppet arende matning".into(),
            contact_id: None,
        });
        events.push(EventRow {
            case_id: id,
            at: created,
            actor_id: None,
            kind: "created",
            from_value: None,
            to_value: Some("new".into()),
        });
        if let Some(at) = answered {
            events.push(EventRow {
                case_id: id,
                at,
                actor_id: Some(agent),
                kind: "status",
                from_value: Some("new".into()),
                to_value: Some("open".into()),
            });
            messages.push(MessageRow {
                case_id: id,
                author_id: Some(agent),
                internal: false,
                body: "Hej! Vi tittar på det.".into(),
                created_at: at,
                from_provider: true,
            });
            if status == CaseStatus::WaitingCustomer {
                events.push(EventRow {
                    case_id: id,
                    at,
                    actor_id: Some(agent),
                    kind: "status",
                    from_value: Some("open".into()),
                    to_value: Some("waiting_customer".into()),
                });
            }
        }
        if cases.len() == 10_000 {
            bulk.cases(&cases).await?;
            bulk.insert(&events).await?;
            bulk.insert(&messages).await?;
            cases.clear();
            events.clear();
            messages.clear();
        }
    }
    bulk.cases(&cases).await?;
    bulk.insert(&events).await?;
    bulk.insert(&messages).await?;
    bulk.commit().await?;
    Ok(())
}
