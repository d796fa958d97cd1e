//! "Mitt arbete": an agent's start page — the open cases assigned to them, earliest due
//! first, and the unassigned cases of the queues they work, newest first.

use serva_domain::access::{Principal, Visibility};
use serva_domain::case::{CasePage, QueueCounts};
use serva_domain::org::Unit;
use serva_store::cases::{AssigneeFilter, CaseFilter, CaseSort, StatusFilter};

use crate::{App, AppError, AppResult};

/// How many cases each list of the page shows; the rest are a link away.
pub const MY_WORK_CAP: i64 = 25;

/// An agent's work at a glance.
#[derive(Debug, Clone)]
pub struct MyWork {
    /// Open cases assigned to the person, the earliest due first.
    pub assigned: CasePage,
    /// Open, unassigned cases of the person's queues, the newest first.
    pub unassigned: CasePage,
    /// The person's queues with their counts, for the links to each.
    pub queues: Vec<(Unit, QueueCounts)>,
}

impl App {
    /// The start page of someone who works queues; `NotFound` for anyone else.
    pub async fn my_work(&self, p: &Principal) -> AppResult<MyWork> {
        let me = match p.user {
            Some(u) if p.is_agent() => u,
            _ => return Err(AppError::NotFound("work")),
        };
        let queues = self.queues(p).await?;
        // Only the queues themselves: not the cases the person ordered or oversees.
        let in_queues = if p.admin {
            Visibility::All
        } else {
            let mut units: Vec<_> = p.works.iter().copied().collect();
            units.sort_unstable();
            Visibility::Restricted {
                units,
                customer_units: vec![],
                requester: None,
            }
        };
        let mut f = CaseFilter::new(in_queues);
        f.status = Some(StatusFilter::Active);
        f.assignee = Some(AssigneeFilter::User(me));
        f.sort = CaseSort::Due;
        f.per_page = MY_WORK_CAP;
        let assigned = self.db().list_cases(&f).await?;
        let unassigned = self.unassigned_in(&queues).await?;
        Ok(MyWork {
            assigned,
            unassigned,
            queues,
        })
    }

    /// The newest open, unassigned cases of the person's queues. Each queue is read on its own,
    /// as its queue page reads it (by unit, status and id), and the newest of all are kept.
    async fn unassigned_in(&self, queues: &[(Unit, QueueCounts)]) -> AppResult<CasePage> {
        let mut cases = Vec::new();
        let mut more = false;
        for (unit, counts) in queues {
            if counts.unassigned == 0 {
                continue;
            }
            let mut f = CaseFilter::new(Visibility::All);
            f.unit = Some(unit.id);
            f.status = Some(StatusFilter::Active);
            f.assignee = Some(AssigneeFilter::Unassigned);
            f.sort = CaseSort::Newest;
            f.per_page = MY_WORK_CAP;
            let page = self.db().list_cases(&f).await?;
            more |= page.has_next;
            cases.extend(page.cases);
        }
        cases.sort_by_key(|c| std::cmp::Reverse(c.id));
        let cap = MY_WORK_CAP as usize;
        more |= cases.len() > cap;
        cases.truncate(cap);
        Ok(CasePage {
            cases,
            page: 1,
            per_page: MY_WORK_CAP,
            has_next: more,
        })
    }
}
