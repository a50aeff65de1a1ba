DROP TABLE IF EXISTS citations, sources, events, allocations, budgets, result_revisions,
    published_stats, published_scores, announced_outcomes, decisions, scores, entries,
    criteria, rounds, memberships, teams, organizations, programs;
DROP FUNCTION IF EXISTS check_score(), check_criterion_max();
DROP DOMAIN IF EXISTS points, code, slug;
DROP TYPE IF EXISTS published_stat, allocation_kind, confidence, panel_aggregate, outcome,
    entry_status, round_status, round_kind, org_kind;
