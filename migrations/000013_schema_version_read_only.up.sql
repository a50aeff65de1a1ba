-- The runtime role reads the schema version (a portal process that finds
-- the schema current works on its one runtime connection) but may not
-- change it: migration 2 granted it writes on every table of the schema,
-- the migration library's own table included.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM portal_app;
GRANT SELECT ON schema_migrations TO portal_app;
