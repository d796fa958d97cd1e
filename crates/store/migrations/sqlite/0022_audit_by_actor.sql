-- The audit log filtered by person (admin/audit?who=…), newest first, without reading the whole log.
CREATE INDEX audit_log_actor ON audit_log(actor_id, id);
