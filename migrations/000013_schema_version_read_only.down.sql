GRANT INSERT, UPDATE, DELETE ON schema_migrations TO portal_app;
