-- Password sign-in counters, shared by every app node (serva_domain::login_throttle holds the
-- rules). One row per counter: an account (key a:user), an account from one client address
-- (af:address user) or a client address (ip:address). Times are Unix seconds.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    -- The account the counter is about; NULL for an address's counter. Lifting a lock on an
    -- account removes every counter of that account.
    username TEXT,
    attempts INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    paused_until INTEGER
);
CREATE INDEX login_throttle_username ON login_throttle(username);
CREATE INDEX login_throttle_window ON login_throttle(window_start);
CREATE INDEX login_throttle_paused ON login_throttle(paused_until);
