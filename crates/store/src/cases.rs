//! Cases: intake from every channel, the queue, work on a case and its history.

use serva_domain::access::Visibility;
use serva_domain::case::{
    Case, CaseEvent, CaseNumber, CasePage, CaseStatus, Channel, Message, QueueCounts,
};
use serva_domain::catalogue::Service;
use serva_domain::role::TargetGroup;
use serva_domain::{CaseId, ServiceId, UnitId, UserId};

use crate::rows::{CaseRow, EventRow, MessageRow};
use crate::{Backend, Db, StoreError, StoreResult};

/// What a new case brings with it, written in the case's own transaction.
#[derive(Debug, Default)]
pub struct CaseExtras {
    /// The actor took the contact live (see `Db::create_taken_case_of`).
    pub taken: bool,
    /// A contact not known yet (`Db::known_contact` found none), made with the case (or the
    /// one made meanwhile with the same address). `NewCase::contact` is then `None`.
    pub new_contact: Option<serva_domain::contact::NewContact>,
    /// A received mail's Message-ID and intake log row.
    pub mail: Option<crate::mail_in::MailRecord>,
}

/// A case as it comes in.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub service: ServiceId,
    pub customer_unit: Option<UnitId>,
    pub requester: Option<UserId>,
    /// A caller or visitor without an account (citizens through Kontakt).
    pub requester_name: Option<String>,
    pub target_group: Option<TargetGroup>,
    pub channel: Channel,
    pub subject: String,
    pub description: String,
    pub answers: Vec<(String, String)>,
    /// Registered and resolved in one step while the person is on the line or at the desk.
    pub resolve_now: bool,
    /// The person without an account the case is for, found or made before the case.
    pub contact: Option<serva_domain::contact::Contact>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseSort {
    #[default]
    Newest,
    Oldest,
    Updated,
    /// The earliest due time of a running SLA clock first; cases with none last.
    Due,
}

impl CaseSort {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "newest" => Some(CaseSort::Newest),
            "oldest" => Some(CaseSort::Oldest),
            "updated" => Some(CaseSort::Updated),
            "due" => Some(CaseSort::Due),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            CaseSort::Newest => "newest",
            CaseSort::Oldest => "oldest",
            CaseSort::Updated => "updated",
            CaseSort::Due => "due",
        }
    }
}

/// Cases by where their SLA clocks stand at a moment (`SlaDue::flag`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaFilter {
    /// A running clock past its warning share, none past its due time.
    NearBreach { now: i64 },
    /// A clock past its due time, running or not.
    Breached { now: i64 },
    /// Either.
    AtRisk { now: i64 },
}

/// A case of `cases c` past a due time at `now`, running or not (`SlaFlag::Breached`).
pub(crate) fn past_target_sql(now: i64) -> String {
    format!("(c.sla_breached = 1 OR c.sla_due_at < {now})")
}

/// A case of `cases c` with a running clock past its warning share at `now` and none past its
/// due time (`SlaFlag::NearBreach`). Written so the partial index `cases_sla_near` serves it.
pub(crate) fn near_target_sql(now: i64) -> String {
    format!("(c.sla_breached = 0 AND c.sla_watch_at >= {now} AND c.sla_warn_at <= {now})")
}

impl SlaFilter {
    fn condition(self) -> String {
        let breached = past_target_sql;
        let near = near_target_sql;
        match self {
            SlaFilter::NearBreach { now } => format!(" AND {}", near(now)),
            SlaFilter::Breached { now } => format!(" AND {}", breached(now)),
            SlaFilter::AtRisk { now } => format!(" AND ({} OR {})", near(now), breached(now)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Not resolved or closed.
    Active,
    Is(CaseStatus),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    Unassigned,
    User(UserId),
}

#[derive(Debug, Clone)]
pub struct CaseFilter {
    pub visibility: Visibility,
    pub unit: Option<UnitId>,
    pub requester: Option<UserId>,
    pub status: Option<StatusFilter>,
    pub assignee: Option<AssigneeFilter>,
    pub service: Option<ServiceId>,
    pub channel: Option<Channel>,
    /// The cases of one contact.
    pub contact: Option<serva_domain::ContactId>,
    pub sla: Option<SlaFilter>,
    /// Free text; a case number (`2026-0265828`, or bare `265828`) finds that case.
    pub query: Option<String>,
    pub sort: CaseSort,
    pub page: i64,
    pub per_page: i64,
}

impl CaseFilter {
    pub fn new(visibility: Visibility) -> Self {
        CaseFilter {
            visibility,
            unit: None,
            requester: None,
            status: None,
            assignee: None,
            service: None,
            channel: None,
            contact: None,
            sla: None,
            query: None,
            sort: CaseSort::Newest,
            page: 1,
            per_page: 25,
        }
    }
}

pub(crate) const CASE_COLUMNS_SQL: &str = "SELECT c.id, c.service_id, s.code AS service_code, s.name AS service_name, c.unit_id, \
     pu.name AS unit_name, c.customer_unit_id, cu.name AS customer_unit_name, c.requester_id, \
     COALESCE(ru.display_name, c.requester_name, ct.name) AS requester_name, c.target_group, c.channel, c.status, \
     c.subject, c.description, c.form_data, c.assignee_id, au.display_name AS assignee_name, \
     c.first_contact_resolution, c.created_at, c.updated_at, c.first_response_at, c.resolved_at, c.closed_at, \
     c.contact_id, ct.name AS contact_name, ct.email AS contact_email, ct.phone AS contact_phone, \
     c.unread_by_provider, c.unread_by_customer, c.sla_first_response_due, c.sla_next_response_due, \
     c.sla_resolution_due, c.sla_due_at, c.sla_watch_at, c.sla_warn_at, c.sla_paused, c.sla_breached, \
     CASE WHEN c.sla_version > 0 AND (s.first_response_minutes IS NOT NULL OR s.next_response_minutes IS NOT NULL \
     OR s.resolution_minutes IS NOT NULL) THEN 1 ELSE 0 END AS sla_has_targets";
pub(crate) const CASE_JOINS: &str =
    "JOIN services s ON s.id = c.service_id JOIN units pu ON pu.id = c.unit_id \
     LEFT JOIN units cu ON cu.id = c.customer_unit_id LEFT JOIN users ru ON ru.id = c.requester_id \
     LEFT JOIN users au ON au.id = c.assignee_id LEFT JOIN contacts ct ON ct.id = c.contact_id";

/// A case's number given without its year: digits only, as people read it off a letter
/// (`265828`, `0265828`).
fn bare_case_number(q: &str) -> Option<i64> {
    if q.is_empty() || q.len() > 15 || !q.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    q.parse::<i64>().ok().filter(|&n| n > 0)
}

/// The full-text condition of a search, in each database's own query language: every word of
/// the query must begin a word of the case (`åter` finds `återbetalning`, `ar` does not find
/// `år`). `None` when the query has no words at all.
fn text_query(backend: Backend, q: &str) -> Option<String> {
    let words = serva_domain::search::words(q);
    if words.is_empty() {
        return None;
    }
    // Words hold only letters and digits, so quoting them needs no escaping.
    Some(match backend {
        Backend::Sqlite => words
            .iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" AND "),
        Backend::Postgres => words
            .iter()
            .map(|w| format!("'{w}':*"))
            .collect::<Vec<_>>()
            .join(" & "),
    })
}

/// The expression PostgreSQL's GIN index `cases_search` is built on (same text, same words).
const PG_SEARCH_VECTOR: &str =
    "array_to_tsvector(array_remove(string_to_array(c.search_text, ' '), ''))";

fn id_list(ids: &[UnitId]) -> String {
    if ids.is_empty() {
        "NULL".to_string()
    } else {
        ids.iter()
            .map(|u| u.0.to_string())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The words the search box looks in (see `serva_domain::search::index_text`): the case's
/// text, its form's answers and its contact's name, e-mail address and phone number.
pub fn case_search_text(
    subject: &str,
    description: &str,
    answers: &[(String, String)],
    contact: Option<&serva_domain::contact::Contact>,
) -> String {
    let mut s = format!("{subject} {description}");
    for (_, v) in answers {
        s.push(' ');
        s.push_str(v);
    }
    if let Some(c) = contact {
        s.push(' ');
        s.push_str(&c.search_words());
    }
    serva_domain::search::index_text(&s)
}

impl Db {
    pub async fn create_case(&self, actor: Option<UserId>, c: &NewCase) -> StoreResult<Case> {
        let svc = self.service(c.service).await?;
        self.create_case_of(actor, &svc, c).await
    }

    /// `create_case` for a caller who has just read the service (`c.service` must be its id).
    pub async fn create_case_of(
        &self,
        actor: Option<UserId>,
        svc: &Service,
        c: &NewCase,
    ) -> StoreResult<Case> {
        let (case, _) = self
            .create_case_with(actor, svc, c, CaseExtras::default())
            .await?;
        Ok(case)
    }

    /// `create_case_of` for a contact `agent` registers while talking to the person (a call,
    /// a visit at the desk, a chat): the case is theirs from the start, and the conversation
    /// was its first response. A case resolved at once is the agent's as well, either way.
    pub async fn create_taken_case_of(
        &self,
        agent: UserId,
        svc: &Service,
        c: &NewCase,
    ) -> StoreResult<Case> {
        let extras = CaseExtras {
            taken: true,
            ..CaseExtras::default()
        };
        Ok(self.create_case_with(Some(agent), svc, c, extras).await?.0)
    }

    /// `create_case_of` with what the case brings (`extras`), all written in the case's own
    /// transaction: one commit, shared with the cases around it. The case, and the id of the
    /// intake log row when `extras.mail` was given.
    pub async fn create_case_with(
        &self,
        actor: Option<UserId>,
        svc: &Service,
        c: &NewCase,
        extras: CaseExtras,
    ) -> StoreResult<(Case, Option<i64>)> {
        if c.contact.is_some() && extras.new_contact.is_some() {
            return Err(StoreError::Invalid(
                "a case has one contact: a known one or a new one".into(),
            ));
        }
        if svc.id != c.service {
            return Err(StoreError::Invalid("the case names another service".into()));
        }
        if !svc.active {
            return Err(StoreError::Invalid(format!(
                "service {} is not open for orders",
                svc.code
            )));
        }
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = crate::case_writer::CreateJob {
            actor,
            case: c.clone(),
            service_id: svc.id.0,
            service_code: svc.code.clone(),
            unit_id: svc.unit_id.0,
            taken: extras.taken,
            new_contact: extras.new_contact,
            mail: extras.mail.map(Box::new),
            reply,
        };
        let gone = || StoreError::Unavailable("the server is shutting down; try again".into());
        self.case_writer.send(job).await.map_err(|_| gone())?;
        let written = answer.await.map_err(|_| gone())??;
        Ok((self.case(CaseId(written.case)).await?, written.mail_log))
    }

    pub async fn case(&self, id: CaseId) -> StoreResult<Case> {
        sqlx::query_as::<_, CaseRow>(&format!(
            "{CASE_COLUMNS_SQL} FROM cases c {CASE_JOINS} WHERE c.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.read)
        .await?
        .map(|r| r.0)
        .ok_or(StoreError::NotFound("case"))
    }

    pub async fn list_cases(&self, f: &CaseFilter) -> StoreResult<CasePage> {
        let mut texts: Vec<String> = Vec::new();
        // A text search on SQLite is driven by the FTS5 index, in id order, so the newest
        // matches come first without reading every match.
        let mut fts = false;
        let mut none = false;
        let mut text_filter = String::new();
        if let Some(q) = f.query.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            // A phone number however written is searched as its digits, as it is indexed.
            let phone = serva_domain::contact::phone_key(q)
                .filter(|_| CaseNumber::parse(q).is_none() && q.contains([' ', '-', '+']));
            let q = phone.as_deref().map_or(q, |k| k.trim_start_matches('+'));
            if let Some(n) = CaseNumber::parse(q) {
                text_filter = format!(" AND c.id = {}", n.id.0);
            } else if let Some(id) = bare_case_number(q) {
                // Digits alone: the case with that number, or cases that mention them (a phone
                // number, an invoice number).
                let words = text_query(self.backend(), q).unwrap_or_default();
                texts.push(words);
                text_filter = match self.backend() {
                    Backend::Sqlite => format!(
                        " AND (c.id = {id} OR c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH $1))"
                    ),
                    Backend::Postgres => format!(
                        " AND (c.id = {id} OR {PG_SEARCH_VECTOR} @@ CAST($1 AS tsquery))"
                    ),
                };
            } else if let Some(tq) = text_query(self.backend(), q) {
                texts.push(tq);
                match self.backend() {
                    Backend::Sqlite => {
                        fts = true;
                        text_filter = " AND cases_fts MATCH $1".to_string();
                    }
                    Backend::Postgres => {
                        text_filter = format!(" AND {PG_SEARCH_VECTOR} @@ CAST($1 AS tsquery)");
                    }
                }
            } else {
                none = true;
            }
        }
        let mut sql = if fts {
            format!(
                "{CASE_COLUMNS_SQL} FROM cases_fts JOIN cases c ON c.id = cases_fts.rowid {CASE_JOINS} WHERE 1=1"
            )
        } else {
            format!("{CASE_COLUMNS_SQL} FROM cases c {CASE_JOINS} WHERE 1=1")
        };
        sql.push_str(&text_filter);
        if none {
            sql.push_str(" AND 1=0");
        }
        match &f.visibility {
            Visibility::All => {}
            Visibility::Restricted {
                units,
                customer_units,
                requester,
            } => {
                sql.push_str(&format!(
                    " AND (c.unit_id IN ({}) OR c.customer_unit_id IN ({}) OR c.requester_id = {})",
                    id_list(units),
                    id_list(customer_units),
                    requester.map_or("NULL".to_string(), |r| r.0.to_string())
                ));
            }
        }
        if let Some(u) = f.unit {
            sql.push_str(&format!(" AND c.unit_id = {}", u.0));
        }
        if let Some(r) = f.requester {
            sql.push_str(&format!(" AND c.requester_id = {}", r.0));
        }
        match f.status {
            Some(StatusFilter::Active) => sql.push_str(
                " AND c.status IN ('new', 'open', 'waiting_customer', 'waiting_third_party')",
            ),
            Some(StatusFilter::Is(s)) => sql.push_str(&format!(" AND c.status = '{}'", s.as_str())),
            None => {}
        }
        match f.assignee {
            Some(AssigneeFilter::Unassigned) => sql.push_str(" AND c.assignee_id IS NULL"),
            Some(AssigneeFilter::User(u)) => sql.push_str(&format!(" AND c.assignee_id = {}", u.0)),
            None => {}
        }
        if let Some(s) = f.service {
            sql.push_str(&format!(" AND c.service_id = {}", s.0));
        }
        if let Some(ch) = f.channel {
            sql.push_str(&format!(" AND c.channel = '{}'", ch.as_str()));
        }
        if let Some(k) = f.contact {
            sql.push_str(&format!(" AND c.contact_id = {}", k.0));
        }
        if let Some(sla) = f.sla {
            sql.push_str(&sla.condition());
        }
        let near_only = matches!(f.sla, Some(SlaFilter::NearBreach { .. }));
        // A text search lists its matches by case number (which follows the creation time
        // but for imported and handed-off cases): the word index gives them in that order, so
        // the first page is read without sorting every match (search p50 4.6 ms against
        // 126 ms at 1 000 000 cases, `serva bench --only search`).
        let searching = fts || !texts.is_empty();
        sql.push_str(match (f.sort, fts) {
            // Near a breach nothing is past due, so the due time is the watch time, in the
            // order of the index `cases_sla_near`.
            (CaseSort::Due, _) if near_only => " ORDER BY c.sla_watch_at, c.id",
            (CaseSort::Newest, true) => " ORDER BY cases_fts.rowid DESC",
            (CaseSort::Oldest, true) => " ORDER BY cases_fts.rowid ASC",
            (CaseSort::Newest, false) if searching => " ORDER BY c.id DESC",
            (CaseSort::Oldest, false) if searching => " ORDER BY c.id ASC",
            // The creation time people see, in the order of the index `cases_unit_created`
            // (numbers are not in that order after an import or a hand-off); the id breaks ties.
            (CaseSort::Newest, _) => " ORDER BY c.created_at DESC, c.id DESC",
            (CaseSort::Oldest, _) => " ORDER BY c.created_at ASC, c.id ASC",
            (CaseSort::Updated, _) => " ORDER BY c.updated_at DESC, c.id DESC",
            // The expression of the index `cases_sla_order`, so a queue reads it in order.
            (CaseSort::Due, _) => " ORDER BY COALESCE(c.sla_due_at, 9223372036854775807), c.id",
        });
        let per_page = f.per_page.clamp(1, 200);
        let page = f.page.clamp(1, 100_000);
        sql.push_str(&format!(
            " LIMIT {} OFFSET {}",
            per_page + 1,
            (page - 1) * per_page
        ));
        let texts_empty = texts.is_empty();
        let mut q = sqlx::query_as::<_, CaseRow>(&sql);
        for t in texts {
            q = q.bind(t);
        }
        // PostgreSQL cannot know that a word and a unit go together, so for a search within
        // some units it tends to walk the whole table newest first, hoping for matches soon.
        // Combining the word index with the unit indexes (bitmaps) is bounded instead.
        let narrowed = f.unit.is_some()
            || f.requester.is_some()
            || matches!(f.visibility, Visibility::Restricted { .. });
        let mut cases = if self.backend() == Backend::Postgres && !texts_empty && narrowed {
            let mut tx = self.read.begin().await?;
            sqlx::query("SET LOCAL enable_indexscan = off")
                .execute(&mut *tx)
                .await?;
            let cases = q.fetch_all(&mut *tx).await?;
            tx.commit().await?;
            cases
        } else {
            q.fetch_all(&self.read).await?
        };
        let has_next = cases.len() as i64 > per_page;
        cases.truncate(per_page as usize);
        let cases = cases.into_iter().map(|r| r.0).collect();
        Ok(CasePage {
            cases,
            page,
            per_page,
            has_next,
        })
    }

    pub async fn messages(&self, id: CaseId, include_internal: bool) -> StoreResult<Vec<Message>> {
        Ok(sqlx::query_as::<_, MessageRow>(
            "SELECT m.id, m.case_id, m.author_id, u.display_name AS author_name, m.internal, m.body, m.created_at \
             FROM case_messages m LEFT JOIN users u ON u.id = m.author_id \
             WHERE m.case_id = $1 AND ($2 = 1 OR m.internal = 0) ORDER BY m.id",
        )
        .bind(id.0)
        .bind(i64::from(include_internal))
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
    }

    /// Not-closed cases of a queue: all, unassigned, assigned to `me`, and near or past an
    /// SLA due time at `now`.
    pub async fn queue_counts(
        &self,
        unit: UnitId,
        me: UserId,
        now: i64,
    ) -> StoreResult<QueueCounts> {
        let row: (i64, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END), 0), \
                    COALESCE(SUM(CASE WHEN assignee_id = $2 THEN 1 ELSE 0 END), 0), \
                    COALESCE(SUM(CASE WHEN sla_breached = 0 AND sla_warn_at <= $3 AND sla_watch_at >= $3 THEN 1 ELSE 0 END), 0), \
                    COALESCE(SUM(CASE WHEN sla_breached = 1 OR sla_due_at < $3 THEN 1 ELSE 0 END), 0) \
             FROM cases WHERE unit_id = $1 AND status IN ('new', 'open', 'waiting_customer', 'waiting_third_party')",
        )
        .bind(unit.0)
        .bind(me.0)
        .bind(now)
        .fetch_one(&self.read)
        .await?;
        Ok(QueueCounts {
            active: row.0,
            unassigned: row.1,
            mine: row.2,
            near_breach: row.3,
            breached: row.4,
        })
    }

    /// Every change of the case in order.
    pub async fn history(&self, id: CaseId) -> StoreResult<Vec<CaseEvent>> {
        Ok(sqlx::query_as::<_, EventRow>(
            "SELECT e.id, e.at, e.actor_id, u.display_name AS actor_name, e.kind, e.from_value, e.to_value \
             FROM case_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = $1 ORDER BY e.id",
        )
        .bind(id.0)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
    }
}
