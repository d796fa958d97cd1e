-- The manager's overview (docs/overview.md) counts the SLA clocks that stopped today and this
-- week, the cases resolved this month and the breaches of a period, for a provider unit or a
-- customer department. Each reads the span it counts, however long the history behind it.

-- First replies in a span: the first-response clocks that stopped by a reply.
CREATE INDEX cases_first_response ON cases(first_response_at) WHERE first_response_at IS NOT NULL;
-- Resolutions in a span: the resolution clocks that stopped, and the first-response clocks of
-- cases resolved without a reply.
CREATE INDEX cases_resolved ON cases(resolved_at) WHERE resolved_at IS NOT NULL;
-- A customer department's open cases, without reading its closed ones.
CREATE INDEX cases_customer_active ON cases(customer_unit_id)
    WHERE status IN ('new', 'open', 'waiting_customer', 'waiting_third_party');
-- A department's breaches in a span (a unit's are read by case_sla_breaches_unit).
CREATE INDEX case_sla_breaches_due ON case_sla_breaches(due_at);
-- A provider unit's open cases per agent and state, with their ages and how near their targets
-- they are, read from the index alone, already in the order they are grouped in (without it a
-- unit with thousands of open cases reads each case's row: 24 ms against 1 ms at 6 000).
CREATE INDEX cases_open_workload
    ON cases(unit_id, assignee_id, status, created_at, sla_breached, sla_due_at, sla_watch_at, sla_warn_at)
    WHERE status IN ('new', 'open', 'waiting_customer', 'waiting_third_party');
