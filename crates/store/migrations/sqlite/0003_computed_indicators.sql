-- An indicator may be computed from Serva's own data at report time, e.g. 'service_level:KL'.
ALTER TABLE indicators ADD COLUMN computed_from TEXT;
