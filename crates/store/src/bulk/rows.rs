//! The rows a bulk load (and the case writer) may insert, one typed struct per table. Each is
//! declared once with [`rows!`], which makes the struct and its column list from the same
//! field list, so a column and its value cannot drift apart.

use std::borrow::Cow;

use serva_domain::case::{CaseStatus, Channel};
use serva_domain::role::TargetGroup;
use serva_domain::time::local_day;

/// Text of a row: borrowed when it is static (the demo's texts, enumerations), owned otherwise.
pub type Text = Cow<'static, str>;

rows! {
    /// A case. `created_day` and `closed_day`, the Stockholm days the roll-ups count it on,
    /// are worked out from `created_at` and `closed_at` (see `serva_domain::time::local_day`).
    pub struct CaseRow in "cases" {
        id: i64,
        service_id: i64,
        unit_id: i64,
        customer_unit_id: Option<i64>,
        requester_id: Option<i64>,
        requester_name: Option<Text>,
        target_group: Option<TargetGroup>,
        channel: Channel,
        status: CaseStatus,
        subject: Text,
        description: Text,
        form_data: Text,
        assignee_id: Option<i64>,
        first_contact_resolution: bool,
        created_at: i64,
        updated_at: i64,
        first_response_at: Option<i64>,
        resolved_at: Option<i64>,
        closed_at: Option<i64>,
        search_text: Text,
        contact_id: Option<i64>,
    }
    computed {
        created_day = |r: &CaseRow| Some(r.created_day()),
        closed_day = |r: &CaseRow| r.closed_day(),
    }

    /// An event in a case's history.
    pub struct EventRow in "case_events" {
        case_id: i64,
        at: i64,
        actor_id: Option<i64>,
        kind: &'static str,
        from_value: Option<Text>,
        to_value: Option<Text>,
    }

    /// A message; `from_provider`: written by the provider's side (the next-response
    /// clock waits for these).
    pub struct MessageRow in "case_messages" {
        case_id: i64,
        author_id: Option<i64>,
        internal: bool,
        body: Text,
        created_at: i64,
        from_provider: bool,
    }

    /// A recorded breach of an SLA clock (see `sla`).
    pub struct BreachRow in "case_sla_breaches" {
        case_id: i64,
        clock: &'static str,
        due_at: i64,
        unit_id: i64,
        recorded_at: i64,
    }

    pub struct UnitRow in "units" {
        id: i64,
        code: Text,
        name: Text,
        kind: Text,
        parent_id: Option<i64>,
        erp_code: Option<Text>,
        valid_from: Option<Text>,
        valid_to: Option<Text>,
        predecessor_id: Option<i64>,
        mail_address: Option<Text>,
    }

    pub struct UserRow in "users" {
        id: i64,
        username: Text,
        display_name: Text,
        email: Option<Text>,
        password_hash: Option<Text>,
        locale: Option<Text>,
        home_unit_id: Option<i64>,
        active: bool,
        created_at: i64,
    }

    pub struct GrantRow in "grants" {
        user_id: i64,
        role: Text,
        unit_id: Option<i64>,
        target_group: Option<Text>,
    }

    pub struct ServiceRow in "services" {
        id: i64,
        unit_id: i64,
        code: Text,
        name: Text,
        description: Text,
        category: Text,
        price_model: Text,
        price_ore: i64,
        first_response_minutes: Option<i64>,
        next_response_minutes: Option<i64>,
        resolution_minutes: Option<i64>,
        form: Text,
        active: bool,
        search_text: Text,
    }

    /// An offered call of a phone queue.
    pub struct CallRow in "calls" {
        unit_id: i64,
        call_ref: Text,
        offered_at: i64,
        wait_seconds: i64,
        answered: bool,
    }

    pub struct SurveyRow in "case_surveys" {
        case_id: i64,
        score: i64,
        comment: Option<Text>,
        answered_at: i64,
    }

    /// An answer to a survey Serva sent, with its scale and the dimensions on 0–100.
    pub struct SurveyAnswerRow in "case_surveys" {
        case_id: i64,
        score: i64,
        comment: Option<Text>,
        answered_at: i64,
        scale: &'static str,
        answer: i64,
        engagement: Option<i64>,
        general_satisfaction: Option<i64>,
        resolution: Option<i64>,
        via: &'static str,
    }

    /// A survey sent about a resolved case (docs/surveys.md).
    pub struct InvitationRow in "survey_invitations" {
        case_id: i64,
        unit_id: i64,
        service_id: i64,
        channel: Channel,
        agent_id: Option<i64>,
        scale: &'static str,
        via: &'static str,
        sent_at: i64,
        sent_week: i64,
        expires_at: i64,
        remind_at: Option<i64>,
        reminded_at: Option<i64>,
        answered_at: Option<i64>,
    }

    /// A unit's ledger outcome for a month, in öre.
    pub struct OutcomeRow in "fin_outcome" {
        unit_id: i64,
        year: i64,
        month: i64,
        revenue: i64,
        cost: i64,
    }

    pub struct BudgetRow in "fin_budget" {
        unit_id: i64,
        year: i64,
        revenue: i64,
        cost: i64,
        note: Option<Text>,
    }

    pub struct ForecastRow in "fin_forecast" {
        id: i64,
        unit_id: i64,
        year: i64,
        made_on: Text,
        revenue: i64,
        cost: i64,
        comment: Option<Text>,
        author_id: Option<i64>,
        created_at: i64,
    }

    pub struct InvestmentRow in "investments" {
        id: i64,
        unit_id: i64,
        year: i64,
        project: Text,
        frame: i64,
        spent: i64,
        income: i64,
        forecast_spent: i64,
        forecast_income: i64,
    }

    pub struct GoalRow in "goals" {
        id: i64,
        org_unit_id: i64,
        year: i64,
        area: Text,
        municipal_goal: Text,
        name: Text,
        description: Text,
        position: i64,
    }

    pub struct GoalAssessmentRow in "goal_assessments" {
        goal_id: i64,
        through: Text,
        assessment: Text,
        analysis: Text,
        author_id: Option<i64>,
        updated_at: i64,
    }

    pub struct IndicatorRow in "indicators" {
        id: i64,
        org_unit_id: i64,
        goal_id: Option<i64>,
        code: Text,
        name: Text,
        measure: Text,
        direction: Text,
        band_low: Option<f64>,
        band_high: Option<f64>,
        period_type: Text,
        kolada_id: Option<Text>,
        min_group_size: i64,
        position: i64,
    }

    pub struct IndicatorValueRow in "indicator_values" {
        indicator_id: i64,
        period: Text,
        gender: Text,
        value: Option<f64>,
        target: Option<f64>,
        group_size: Option<i64>,
        source: Text,
    }

    pub struct StaffFigureRow in "staff_figures" {
        org_unit_id: i64,
        period: Text,
        gender: Text,
        metric: Text,
        value: f64,
        target: Option<f64>,
    }

    pub struct AssignmentRow in "strategic_assignments" {
        id: i64,
        org_unit_id: i64,
        year: i64,
        common: bool,
        body: Text,
        status: Text,
        comment: Text,
        position: i64,
    }

    pub struct ControlPointRow in "control_points" {
        id: i64,
        unit_id: i64,
        year: i64,
        name: Text,
        risk: Text,
        method: Text,
        frequency: Text,
        owner: Text,
    }

    pub struct ControlResultRow in "control_results" {
        control_id: i64,
        through: Text,
        result: Text,
        findings: Text,
        actions: Text,
        carries_over: bool,
    }

    pub struct NarrativeRow in "narratives" {
        id: i64,
        org_unit_id: i64,
        through: Text,
        section: Text,
        title: Text,
        body: Text,
        status: Text,
        author_id: Option<i64>,
        updated_at: i64,
    }

    pub struct NarrativeHistoryRow in "narrative_history" {
        narrative_id: i64,
        at: i64,
        actor_id: Option<i64>,
        status: Text,
        body: Text,
    }

    pub struct ReportEventRow in "report_events" {
        org_unit_id: i64,
        through: Text,
        decision: bool,
        body: Text,
        position: i64,
    }

    pub struct QueueSettingsRow in "queue_settings" {
        unit_id: i64,
        answer_within_seconds: i64,
        abandon_grace_seconds: i64,
        target_percent: f64,
    }

    /// An audit entry (the case writer's; other writes audit through `Db::begin_audited`).
    pub struct AuditRow in "audit_log" {
        at: i64,
        actor_id: Option<i64>,
        action: &'static str,
        entity: &'static str,
        entity_id: Text,
        before_json: Option<Text>,
        after_json: Option<Text>,
    }

    /// Cases per unit, Stockholm day, channel and target group (`''` for none).
    pub struct DayCountRow in "case_day_counts" {
        unit_id: i64,
        day: i64,
        channel: &'static str,
        target_group: &'static str,
        cases: i64,
        first_contact: i64,
    }

    /// Closings per unit, day created and day closed.
    pub struct CloseCountRow in "case_close_counts" {
        unit_id: i64,
        created_day: i64,
        closed_day: i64,
        closed: i64,
    }
}

impl CaseRow {
    /// The Stockholm day the case was created on (days since 1970-01-01).
    pub fn created_day(&self) -> i64 {
        local_day(self.created_at)
    }

    /// The Stockholm day the case was closed on, if it is closed.
    pub fn closed_day(&self) -> Option<i64> {
        self.closed_at.map(local_day)
    }
}
