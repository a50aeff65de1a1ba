-- The public record: programs, organizations, teams, rounds, criteria,
-- entries, scores, announced outcomes, published figures, funding, sources.

CREATE TYPE org_kind AS ENUM ('company', 'startup', 'university', 'research_institute', 'public_body', 'other');
CREATE TYPE round_kind AS ENUM ('selection', 'stage', 'additional');
CREATE TYPE round_status AS ENUM ('draft', 'scoring', 'closed', 'published', 'corrected');
CREATE TYPE entry_status AS ENUM ('eligible', 'disqualified', 'withdrew');
CREATE TYPE outcome AS ENUM ('selected', 'not_selected', 'advanced', 'eliminated', 'disqualified', 'withdrew');
CREATE TYPE panel_aggregate AS ENUM ('mean', 'median', 'trimmed_mean');
CREATE TYPE confidence AS ENUM ('confirmed', 'reported', 'conflicting');
CREATE TYPE allocation_kind AS ENUM ('gpu', 'data', 'talent', 'funding', 'other');
CREATE TYPE published_stat AS ENUM ('mean', 'median', 'max', 'min');

CREATE DOMAIN slug AS text CHECK (VALUE ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(VALUE) <= 64);
-- Criterion codes may also join words with underscores (global_common).
CREATE DOMAIN code AS text CHECK (VALUE ~ '^[a-z0-9]+([_-][a-z0-9]+)*$' AND length(VALUE) <= 64);
-- Points are non-negative with two decimals.
CREATE DOMAIN points AS numeric(7, 2) CHECK (VALUE >= 0);

CREATE TABLE programs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        slug NOT NULL UNIQUE,
    name_ko     text NOT NULL CHECK (name_ko <> ''),
    name_en     text NOT NULL CHECK (name_en <> ''),
    ministry_ko text NOT NULL DEFAULT '',
    ministry_en text NOT NULL DEFAULT '',
    goal_ko     text NOT NULL DEFAULT '',
    goal_en     text NOT NULL DEFAULT '',
    note_ko     text NOT NULL DEFAULT '',
    note_en     text NOT NULL DEFAULT '',
    agencies    jsonb NOT NULL DEFAULT '[]',
    final_teams int CHECK (final_teams >= 0),
    started_on  date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organizations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       slug NOT NULL UNIQUE,
    name_ko    text NOT NULL CHECK (name_ko <> ''),
    name_en    text NOT NULL CHECK (name_en <> ''),
    kind       org_kind NOT NULL DEFAULT 'other',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    program_id    bigint NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    slug          slug NOT NULL,
    name_ko       text NOT NULL CHECK (name_ko <> ''),
    name_en       text NOT NULL CHECK (name_en <> ''),
    lead_org_id   bigint NOT NULL REFERENCES organizations (id),
    model         text NOT NULL DEFAULT '',
    model_note_ko text NOT NULL DEFAULT '',
    model_note_en text NOT NULL DEFAULT '',
    goal_ko       text NOT NULL DEFAULT '',
    goal_en       text NOT NULL DEFAULT '',
    note_ko       text NOT NULL DEFAULT '',
    note_en       text NOT NULL DEFAULT '',
    position      int NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (program_id, slug)
);

-- A consortium member. The lead organization is a member implicitly and is
-- not repeated here.
CREATE TABLE memberships (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id    bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    org_id     bigint NOT NULL REFERENCES organizations (id),
    role       text NOT NULL DEFAULT 'participant' CHECK (role ~ '^[a-z_]+$'),
    since      date,
    until      date CHECK (until IS NULL OR since IS NULL OR until >= since),
    confidence confidence NOT NULL DEFAULT 'confirmed',
    note_ko    text NOT NULL DEFAULT '',
    note_en    text NOT NULL DEFAULT '',
    position   int NOT NULL DEFAULT 0,
    UNIQUE (team_id, org_id)
);
CREATE INDEX memberships_org_idx ON memberships (org_id);

CREATE TABLE rounds (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    program_id   bigint NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    slug         slug NOT NULL,
    position     int NOT NULL,
    kind         round_kind NOT NULL,
    name_ko      text NOT NULL CHECK (name_ko <> ''),
    name_en      text NOT NULL CHECK (name_en <> ''),
    period       text NOT NULL DEFAULT '',
    evaluated_on date,
    announce_at  timestamptz,
    -- announce_date_only: the announcement is known to the day, not the hour.
    announce_date_only boolean NOT NULL DEFAULT false,
    advance      int NOT NULL CHECK (advance >= 0),
    backfill     boolean NOT NULL DEFAULT false,
    min_total    points,
    status       round_status NOT NULL DEFAULT 'draft',
    published_at timestamptz,
    note_ko      text NOT NULL DEFAULT '',
    note_en      text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (program_id, slug),
    UNIQUE (program_id, position) DEFERRABLE INITIALLY DEFERRED,
    CHECK ((status IN ('published', 'corrected')) = (published_at IS NOT NULL))
);

-- The criteria tree of a round. A leaf is scored directly, or by a panel of
-- anonymous evaluators numbered 1..panel_size whose scores are aggregated.
CREATE TABLE criteria (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id       bigint NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    parent_id      bigint,
    code           code NOT NULL CHECK (code <> 'total'),
    name_ko        text NOT NULL CHECK (name_ko <> ''),
    name_en        text NOT NULL CHECK (name_en <> ''),
    description_ko text NOT NULL DEFAULT '',
    description_en text NOT NULL DEFAULT '',
    note_ko        text NOT NULL DEFAULT '',
    note_en        text NOT NULL DEFAULT '',
    max            points NOT NULL CHECK (max > 0),
    position       int NOT NULL DEFAULT 0,
    panel_size     int CHECK (panel_size > 0),
    aggregate      panel_aggregate,
    UNIQUE (round_id, code),
    UNIQUE (round_id, id),
    FOREIGN KEY (round_id, parent_id) REFERENCES criteria (round_id, id) ON DELETE CASCADE,
    CHECK ((panel_size IS NULL) = (aggregate IS NULL)),
    CHECK (aggregate IS DISTINCT FROM 'trimmed_mean' OR panel_size >= 3)
);

-- A team's participation in a round and its eligibility.
CREATE TABLE entries (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id  bigint NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    team_id   bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    status    entry_status NOT NULL DEFAULT 'eligible',
    reason_ko text NOT NULL DEFAULT '',
    reason_en text NOT NULL DEFAULT '',
    position  int NOT NULL DEFAULT 0,
    UNIQUE (round_id, team_id),
    CHECK (status <> 'disqualified' OR (reason_ko <> '' AND reason_en <> ''))
);

-- One entered score. evaluator 0 means a directly scored leaf.
CREATE TABLE scores (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id     bigint NOT NULL,
    team_id      bigint NOT NULL,
    criterion_id bigint NOT NULL,
    evaluator    int NOT NULL DEFAULT 0 CHECK (evaluator >= 0),
    value        points NOT NULL,
    version      int NOT NULL DEFAULT 1 CHECK (version >= 1),
    entered_by   text NOT NULL DEFAULT 'import',
    entered_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (round_id, team_id, criterion_id, evaluator),
    FOREIGN KEY (round_id, team_id) REFERENCES entries (round_id, team_id) ON DELETE CASCADE,
    FOREIGN KEY (round_id, criterion_id) REFERENCES criteria (round_id, id) ON DELETE CASCADE
);
CREATE INDEX scores_criterion_idx ON scores (criterion_id);

-- A score must be for a leaf, within 0..max of its criterion, and name a
-- panel evaluator exactly when the leaf is panel-scored.
CREATE FUNCTION check_score() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c criteria%ROWTYPE;
BEGIN
    SELECT * INTO c FROM criteria WHERE id = NEW.criterion_id;
    IF EXISTS (SELECT 1 FROM criteria WHERE parent_id = NEW.criterion_id) THEN
        RAISE EXCEPTION 'score for % must be on a leaf criterion', c.code USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.value > c.max THEN
        RAISE EXCEPTION 'score % for % exceeds its maximum %', NEW.value, c.code, c.max USING ERRCODE = 'check_violation';
    END IF;
    IF c.panel_size IS NULL AND NEW.evaluator <> 0 THEN
        RAISE EXCEPTION 'criterion % is scored directly; evaluator must be empty', c.code USING ERRCODE = 'check_violation';
    END IF;
    IF c.panel_size IS NOT NULL AND (NEW.evaluator < 1 OR NEW.evaluator > c.panel_size) THEN
        RAISE EXCEPTION 'criterion % needs an evaluator between 1 and %', c.code, c.panel_size USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER scores_check BEFORE INSERT OR UPDATE ON scores FOR EACH ROW EXECUTE FUNCTION check_score();

-- Lowering a criterion's maximum below an entered score is refused too.
CREATE FUNCTION check_criterion_max() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM scores WHERE criterion_id = NEW.id AND value > NEW.max) THEN
        RAISE EXCEPTION 'criterion % has scores above the new maximum %', NEW.code, NEW.max USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER criteria_max_check BEFORE UPDATE OF max ON criteria FOR EACH ROW EXECUTE FUNCTION check_criterion_max();

-- A recorded decision for a tie at the cut.
CREATE TABLE decisions (
    round_id   bigint PRIMARY KEY REFERENCES rounds (id) ON DELETE CASCADE,
    team_ids   bigint[] NOT NULL,
    reason_ko  text NOT NULL CHECK (reason_ko <> ''),
    reason_en  text NOT NULL CHECK (reason_en <> ''),
    decided_by text NOT NULL DEFAULT '',
    decided_at timestamptz NOT NULL DEFAULT now()
);

-- Announced outcomes of historic rounds whose full scores were not disclosed.
CREATE TABLE announced_outcomes (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id  bigint NOT NULL,
    team_id   bigint NOT NULL,
    outcome   outcome NOT NULL,
    rank      int CHECK (rank >= 1),
    reason_ko text NOT NULL DEFAULT '',
    reason_en text NOT NULL DEFAULT '',
    note_ko   text NOT NULL DEFAULT '',
    note_en   text NOT NULL DEFAULT '',
    UNIQUE (round_id, team_id),
    FOREIGN KEY (round_id, team_id) REFERENCES entries (round_id, team_id) ON DELETE CASCADE
);

-- Figures that were published for historic rounds. criterion_id NULL is the round total.
CREATE TABLE published_scores (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id     bigint NOT NULL,
    team_id      bigint NOT NULL,
    criterion_id bigint,
    value        points NOT NULL,
    UNIQUE NULLS NOT DISTINCT (round_id, team_id, criterion_id),
    FOREIGN KEY (round_id, team_id) REFERENCES entries (round_id, team_id) ON DELETE CASCADE,
    FOREIGN KEY (round_id, criterion_id) REFERENCES criteria (round_id, id) ON DELETE CASCADE
);

-- Published round statistics (e.g. the mean per category). criterion_id NULL is the total.
CREATE TABLE published_stats (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id     bigint NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    criterion_id bigint,
    stat         published_stat NOT NULL,
    value        points NOT NULL,
    UNIQUE NULLS NOT DISTINCT (round_id, criterion_id, stat),
    FOREIGN KEY (round_id, criterion_id) REFERENCES criteria (round_id, id) ON DELETE CASCADE
);

-- Frozen snapshots of published results: revision 1 is the publication,
-- later revisions are corrections with a reason.
CREATE TABLE result_revisions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id     bigint NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    revision     int NOT NULL CHECK (revision >= 1),
    published_at timestamptz NOT NULL DEFAULT now(),
    reason_ko    text NOT NULL DEFAULT '',
    reason_en    text NOT NULL DEFAULT '',
    -- snapshot is the results document (FORMATS.md §3) as published;
    -- inputs are the rule, criteria, entries, scores and decision it was
    -- computed from, so the computation can be shown and re-derived exactly.
    snapshot     jsonb NOT NULL,
    inputs       jsonb NOT NULL DEFAULT '{}',
    UNIQUE (round_id, revision),
    CHECK (revision = 1 OR (reason_ko <> '' AND reason_en <> ''))
);

CREATE TABLE budgets (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    program_id bigint NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    year       int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    amount_krw bigint CHECK (amount_krw >= 0),
    confidence confidence NOT NULL DEFAULT 'confirmed',
    note_ko    text NOT NULL DEFAULT '',
    note_en    text NOT NULL DEFAULT '',
    UNIQUE (program_id, year)
);

CREATE TABLE allocations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    budget_id  bigint NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
    position   int NOT NULL,
    team_id    bigint REFERENCES teams (id) ON DELETE CASCADE,
    kind       allocation_kind NOT NULL,
    gpu_model  text NOT NULL DEFAULT '',
    quantity   int CHECK (quantity >= 0),
    amount_krw bigint CHECK (amount_krw >= 0),
    confidence confidence NOT NULL DEFAULT 'confirmed',
    note_ko    text NOT NULL DEFAULT '',
    note_en    text NOT NULL DEFAULT '',
    UNIQUE (budget_id, position)
);

-- Dated events of a program that are not decision rounds (kickoff, demo day, ...).
CREATE TABLE events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    program_id bigint NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    position   int NOT NULL,
    happened_on date NOT NULL,
    until_on   date,
    title_ko   text NOT NULL CHECK (title_ko <> ''),
    title_en   text NOT NULL CHECK (title_en <> ''),
    confidence confidence NOT NULL DEFAULT 'confirmed',
    UNIQUE (program_id, position)
);

-- A public source (news article, ministry release).
CREATE TABLE sources (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url         text NOT NULL UNIQUE CHECK (url ~ '^https?://'),
    label       text NOT NULL DEFAULT '',
    published_on date,
    date_note   text NOT NULL DEFAULT ''
);

-- Which fact a source supports: exactly one subject per row.
CREATE TABLE citations (
    source_id          bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    program_id         bigint REFERENCES programs (id) ON DELETE CASCADE,
    organization_id    bigint REFERENCES organizations (id) ON DELETE CASCADE,
    team_id            bigint REFERENCES teams (id) ON DELETE CASCADE,
    membership_id      bigint REFERENCES memberships (id) ON DELETE CASCADE,
    round_id           bigint REFERENCES rounds (id) ON DELETE CASCADE,
    outcome_id         bigint REFERENCES announced_outcomes (id) ON DELETE CASCADE,
    published_score_id bigint REFERENCES published_scores (id) ON DELETE CASCADE,
    budget_id          bigint REFERENCES budgets (id) ON DELETE CASCADE,
    allocation_id      bigint REFERENCES allocations (id) ON DELETE CASCADE,
    event_id           bigint REFERENCES events (id) ON DELETE CASCADE,
    position           int NOT NULL DEFAULT 0,
    CHECK (num_nonnulls(program_id, organization_id, team_id, membership_id, round_id, outcome_id,
                        published_score_id, budget_id, allocation_id, event_id) = 1),
    UNIQUE NULLS NOT DISTINCT (source_id, program_id, organization_id, team_id, membership_id, round_id,
                               outcome_id, published_score_id, budget_id, allocation_id, event_id)
);
CREATE INDEX citations_team_idx ON citations (team_id) WHERE team_id IS NOT NULL;
CREATE INDEX citations_round_idx ON citations (round_id) WHERE round_id IS NOT NULL;
