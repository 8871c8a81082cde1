import type { SqliteDatabase } from '../../native/sqlite';
import { nameBigrams, searchDocument } from '../../common/search/searchText';

/** The fields a specialist can search a task by. Only the ID's last 6 characters are indexed. */
export interface SearchableTask {
  partyName: string;
  caseNumber: string;
  phoneDigits: readonly string[];
  idNumber: string;
}

export function taskSearchDocument(task: SearchableTask): string {
  return searchDocument([task.partyName, task.caseNumber, ...task.phoneDigits, task.idNumber.slice(-6)]);
}

export function prepareSearchWriter(db: SqliteDatabase) {
  const remove = db.prepare('DELETE FROM task_search WHERE rowid = ?');
  const removeGrams = db.prepare('DELETE FROM name_bigrams WHERE task_id = ?');
  const insert = db.prepare('INSERT INTO task_search (rowid, text) VALUES (?, ?)');
  const insertGram = db.prepare('INSERT INTO name_bigrams (gram, task_id) VALUES (?, ?)');
  return {
    index(taskId: number, task: SearchableTask, replace = false): void {
      if (replace) {
        remove.run(taskId);
        removeGrams.run(taskId);
      }
      insert.run(taskId, taskSearchDocument(task));
      for (const gram of nameBigrams(task.partyName)) insertGram.run(gram, taskId);
    },
  };
}

/** Rebuilds the search rows of every task (used by the migration that creates the index). */
export function reindexAllTasks(db: SqliteDatabase): void {
  const writer = prepareSearchWriter(db);
  const phonesOf = db.prepare<[number], { digits: string }>('SELECT digits FROM phones WHERE party_id = ?');
  const rows = db
    .prepare<[], { id: number; partyId: number; name: string; number: string; idNumber: string }>(
      `SELECT t.id, t.party_id AS partyId, p.name, c.number, p.id_number AS idNumber
         FROM tasks t JOIN parties p ON p.id = t.party_id JOIN cases c ON c.id = t.case_id`,
    )
    .all();
  for (const row of rows) {
    const phoneDigits = phonesOf.all(row.partyId).map((p) => p.digits);
    writer.index(
      row.id,
      { partyName: row.name, caseNumber: row.number, phoneDigits, idNumber: row.idNumber },
      true,
    );
  }
}
