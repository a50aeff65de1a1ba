-- Optimistic locking for everything staff edit in the console: a form
-- carries the version it was read at, and a save against a newer version
-- is refused instead of silently overwriting a colleague's change.
ALTER TABLE programs ADD COLUMN version int NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN version int NOT NULL DEFAULT 1;
ALTER TABLE teams ADD COLUMN version int NOT NULL DEFAULT 1;
ALTER TABLE memberships ADD COLUMN version int NOT NULL DEFAULT 1;
ALTER TABLE rounds ADD COLUMN version int NOT NULL DEFAULT 1;
ALTER TABLE criteria ADD COLUMN version int NOT NULL DEFAULT 1;
ALTER TABLE budgets ADD COLUMN version int NOT NULL DEFAULT 1;
ALTER TABLE allocations ADD COLUMN version int NOT NULL DEFAULT 1;
