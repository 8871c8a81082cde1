import { reindexAllTasks } from '../searchIndex';
import type { Migration } from './types';

// What the queue needs to page 100,000 tasks in milliseconds: the columns it shows and filters
// on, copied onto the task row (so a page is one index walk, no joins), indexes for every
// filter × sort, and the bigram search index (see common/search/searchText.ts).
export const migration002: Migration = {
  version: 2,
  name: 'queue columns, queue indexes and the search index',
  up(db) {
    db.exec(`
    ALTER TABLE tasks ADD COLUMN party_name TEXT NOT NULL DEFAULT '';
    ALTER TABLE tasks ADD COLUMN party_role TEXT NOT NULL DEFAULT '';
    ALTER TABLE tasks ADD COLUMN case_number TEXT NOT NULL DEFAULT '';
    ALTER TABLE tasks ADD COLUMN court TEXT NOT NULL DEFAULT '';
    ALTER TABLE tasks ADD COLUMN phone_masked TEXT;
    -- 0 = urgent first; open = 1 while the task still needs work.
    ALTER TABLE tasks ADD COLUMN priority_rank INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE tasks ADD COLUMN open INTEGER NOT NULL DEFAULT 1;

    UPDATE tasks SET
      party_name = (SELECT name FROM parties WHERE parties.id = tasks.party_id),
      party_role = (SELECT role FROM parties WHERE parties.id = tasks.party_id),
      case_number = (SELECT number FROM cases WHERE cases.id = tasks.case_id),
      court = (SELECT court FROM cases WHERE cases.id = tasks.case_id),
      priority_rank = CASE priority WHEN 'urgent' THEN 0 ELSE 1 END,
      open = CASE WHEN status IN ('delivered', 'proof_issued', 'closed', 'postal_delivered',
                                  'in_person_delivered', 'deemed_served') THEN 0 ELSE 1 END;

    -- Tasks without a deadline sort last: the index key is the same expression the queue orders by.
    CREATE INDEX tasks_by_deadline ON tasks (coalesce(deadline, '9999-12-31'), priority_rank, id);
    CREATE INDEX tasks_by_priority ON tasks (priority_rank, coalesce(deadline, '9999-12-31'), id);
    CREATE INDEX tasks_by_status_deadline ON tasks (status, coalesce(deadline, '9999-12-31'), priority_rank, id);
    CREATE INDEX tasks_by_status_priority ON tasks (status, priority_rank, coalesce(deadline, '9999-12-31'), id);
    CREATE INDEX tasks_by_method_deadline ON tasks (method, coalesce(deadline, '9999-12-31'), priority_rank, id);
    CREATE INDEX tasks_by_method_priority ON tasks (method, priority_rank, coalesce(deadline, '9999-12-31'), id);
    CREATE INDEX tasks_open_by_deadline ON tasks (open, coalesce(deadline, '9999-12-31'), priority_rank, id);
    CREATE INDEX tasks_open_by_priority ON tasks (open, priority_rank, coalesce(deadline, '9999-12-31'), id);
    CREATE INDEX tasks_callbacks ON tasks (callback_at) WHERE callback_at IS NOT NULL;

    -- Counting 50,000 rows takes SQLite ~20 ms and the queue shows totals with every page, so
    -- counts per (status, method, deadline) are kept by triggers; any filter without a search
    -- text sums a few hundred rows of this table instead.
    CREATE TABLE task_counts (
      status TEXT NOT NULL,
      method TEXT NOT NULL,
      deadline TEXT NOT NULL,
      open INTEGER NOT NULL,
      n INTEGER NOT NULL,
      PRIMARY KEY (status, method, deadline)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO task_counts (status, method, deadline, open, n)
      SELECT status, method, coalesce(deadline, '9999-12-31'), open, count(*) FROM tasks GROUP BY 1, 2, 3;
    CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks BEGIN
      INSERT INTO task_counts (status, method, deadline, open, n)
        VALUES (new.status, new.method, coalesce(new.deadline, '9999-12-31'), new.open, 1)
        ON CONFLICT (status, method, deadline) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks BEGIN
      UPDATE task_counts SET n = n - 1
        WHERE status = old.status AND method = old.method AND deadline = coalesce(old.deadline, '9999-12-31');
    END;
    CREATE TRIGGER task_counts_update AFTER UPDATE OF status, method, deadline, open ON tasks
      WHEN old.status IS NOT new.status OR old.method IS NOT new.method OR old.deadline IS NOT new.deadline
        OR old.open IS NOT new.open BEGIN
      UPDATE task_counts SET n = n - 1
        WHERE status = old.status AND method = old.method AND deadline = coalesce(old.deadline, '9999-12-31');
      INSERT INTO task_counts (status, method, deadline, open, n)
        VALUES (new.status, new.method, coalesce(new.deadline, '9999-12-31'), new.open, 1)
        ON CONFLICT (status, method, deadline) DO UPDATE SET n = n + 1, open = excluded.open;
    END;

    CREATE VIRTUAL TABLE task_search USING fts5(
      text,
      content = '',
      contentless_delete = 1,
      tokenize = 'trigram'
    );
    CREATE TABLE name_bigrams (
      gram TEXT NOT NULL,
      task_id INTEGER NOT NULL,
      PRIMARY KEY (gram, task_id)
    ) STRICT, WITHOUT ROWID;
  `);
    reindexAllTasks(db);
  },
};
