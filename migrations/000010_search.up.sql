-- Full-text search over the public record in Korean and English. Korean
-- words are not split by spaces the way English ones are, and particles
-- attach to nouns, so the search matches n-grams: trigram GIN indexes
-- (pg_trgm) serve ILIKE '%…%' and word-similarity queries on each text
-- column the public search reads.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX teams_search_trgm ON teams USING gin (
    name_ko gin_trgm_ops, name_en gin_trgm_ops, model gin_trgm_ops,
    note_ko gin_trgm_ops, note_en gin_trgm_ops, model_note_ko gin_trgm_ops, model_note_en gin_trgm_ops);
CREATE INDEX organizations_search_trgm ON organizations USING gin (name_ko gin_trgm_ops, name_en gin_trgm_ops);
CREATE INDEX rounds_search_trgm ON rounds USING gin (
    name_ko gin_trgm_ops, name_en gin_trgm_ops, note_ko gin_trgm_ops, note_en gin_trgm_ops);
CREATE INDEX announced_outcomes_search_trgm ON announced_outcomes USING gin (
    reason_ko gin_trgm_ops, reason_en gin_trgm_ops, note_ko gin_trgm_ops, note_en gin_trgm_ops);
CREATE INDEX entries_search_trgm ON entries USING gin (reason_ko gin_trgm_ops, reason_en gin_trgm_ops);
CREATE INDEX sources_search_trgm ON sources USING gin (label gin_trgm_ops, url gin_trgm_ops);
