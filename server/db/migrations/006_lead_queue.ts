// The lead console at a million tasks. Its page order as an index key, so a first page is an index
// walk and not a sort of the whole team; and, for every filter but "all" (they look at open tasks
// only), an index over the team's open work whose key or predicate is the filter's condition, so a
// filtered page and its count read the matching open tasks, not the team's history.
// The "all" total is not a count(*) over the team's million rows but a sum over team_task_counts
// (per team and assignee), kept by triggers: by statement for intakes and deletes, by row only for
// an update that moves a task (a push's update of attempts touches no count row, so desks do not
// queue behind one another on it).
// OPEN is the open statuses of common/domain/taskMachine.ts as of this migration; server/store/lead.ts
// writes them the same way (a literal list: the planner uses a partial index only when it can
// prove its predicate, and it cannot prove it from a bound parameter).
const OPEN = `status IN ('new', 'assigned', 'in_progress', 'consented', 'sent', 'postal_pending',
  'postal_dispatched', 'postal_returned', 'in_person_pending', 'in_person_failed', 'announcement_pending', 'announced')`;
const ORDER = `team_id, (priority = 'urgent') DESC, deadline ASC NULLS LAST, created_at, id`;

export const name = 'lead_queue';
export const sql = `
CREATE INDEX tasks_team_queue ON tasks (${ORDER});
CREATE INDEX tasks_team_open_queue ON tasks (${ORDER}) WHERE ${OPEN};
CREATE INDEX tasks_team_unassigned_queue ON tasks (${ORDER}) WHERE assignee_id IS NULL AND ${OPEN};
-- escalation_due: electronic open tasks by unanswered attempts.
CREATE INDEX tasks_team_open_unanswered ON tasks (team_id, unanswered) WHERE method = 'electronic' AND ${OPEN};
-- stuck: open tasks with their last activity in the index, so counting them reads the index alone.
CREATE INDEX tasks_team_open_activity ON tasks (team_id) INCLUDE (last_attempt_at, created_at) WHERE ${OPEN};
-- callback_missed: the few open tasks with a callback time.
CREATE INDEX tasks_team_open_callback ON tasks (team_id, callback_at) INCLUDE (last_attempt_at)
  WHERE callback_at IS NOT NULL AND ${OPEN};

CREATE TABLE team_task_counts (
  team_id uuid NOT NULL,
  assignee_id uuid,
  tasks bigint NOT NULL,
  UNIQUE NULLS NOT DISTINCT (team_id, assignee_id)
);
INSERT INTO team_task_counts (team_id, assignee_id, tasks)
  SELECT team_id, assignee_id, count(*) FROM tasks GROUP BY team_id, assignee_id;

CREATE FUNCTION count_inserted_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO team_task_counts AS c (team_id, assignee_id, tasks)
    SELECT team_id, assignee_id, count(*) FROM new_rows GROUP BY team_id, assignee_id
    ON CONFLICT (team_id, assignee_id) DO UPDATE SET tasks = c.tasks + excluded.tasks;
  RETURN NULL;
END $$;
CREATE FUNCTION count_deleted_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE team_task_counts c SET tasks = c.tasks - d.n
    FROM (SELECT team_id, assignee_id, count(*) AS n FROM old_rows GROUP BY team_id, assignee_id) d
   WHERE c.team_id = d.team_id AND c.assignee_id IS NOT DISTINCT FROM d.assignee_id;
  RETURN NULL;
END $$;
CREATE FUNCTION count_moved_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE team_task_counts SET tasks = tasks - 1
   WHERE team_id = OLD.team_id AND assignee_id IS NOT DISTINCT FROM OLD.assignee_id;
  INSERT INTO team_task_counts AS c (team_id, assignee_id, tasks) VALUES (NEW.team_id, NEW.assignee_id, 1)
    ON CONFLICT (team_id, assignee_id) DO UPDATE SET tasks = c.tasks + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER tasks_count_inserted AFTER INSERT ON tasks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_inserted_tasks();
CREATE TRIGGER tasks_count_deleted AFTER DELETE ON tasks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_deleted_tasks();
CREATE TRIGGER tasks_count_moved AFTER UPDATE OF team_id, assignee_id ON tasks FOR EACH ROW
  WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id)
  EXECUTE FUNCTION count_moved_task();
`;
