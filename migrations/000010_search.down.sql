DROP INDEX sources_search_trgm;
DROP INDEX entries_search_trgm;
DROP INDEX announced_outcomes_search_trgm;
DROP INDEX rounds_search_trgm;
DROP INDEX organizations_search_trgm;
DROP INDEX teams_search_trgm;
DROP EXTENSION IF EXISTS pg_trgm;
