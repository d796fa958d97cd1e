-- Corrections of locked charge lines (docs/billing.md): a line is never edited; its correction
-- is stored here and charged in the next run locked for a later month, as the line's reversal
-- and, when the new quantity is above zero, a new line at the line's own price. A line is
-- corrected once.
CREATE TABLE charge_corrections (
    id              INTEGER PRIMARY KEY,
    line_id         INTEGER NOT NULL UNIQUE REFERENCES charge_lines(id),
    quantity_milli  INTEGER NOT NULL CHECK (quantity_milli >= 0),
    reason          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    created_by      INTEGER REFERENCES users(id)
);
-- A department's charges, read for its showback without scanning every run.
CREATE INDEX charge_lines_customer ON charge_lines(customer_unit_id, run_id);
