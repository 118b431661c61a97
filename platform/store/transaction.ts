import type { DatabaseSync } from 'node:sqlite';

/**
 * How the transaction takes its locks: IMMEDIATE takes the write lock at once (a writer then never
 * fails half-way on a busy database); DEFERRED takes none until the first write, and a reader's
 * first read fixes its snapshot.
 */
export type TransactionMode = 'IMMEDIATE' | 'DEFERRED';

/**
 * Runs `work`, which may await, in one transaction on `db`: all of it lands or none of it does.
 * The synchronous `transaction()` in sqlite.ts suits work that never awaits; this one keeps the
 * transaction open across awaits (results from worker threads, say), so nothing else may use the
 * connection until it settles. Not re-entrant: a second BEGIN on the connection throws.
 *
 * When `work` fails, its error is the one thrown. The rollback runs only while the transaction is
 * still open (SQLite ends some failed transactions itself); should the rollback fail too, the
 * thrown error is a SuppressedError holding both.
 */
export async function inTransaction<T>(
  db: DatabaseSync,
  work: () => T | Promise<T>,
  mode: TransactionMode = 'IMMEDIATE',
): Promise<T> {
  db.exec(`BEGIN ${mode}`);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    rollBack(db, error);
    throw error;
  }
  try {
    db.exec('COMMIT');
  } catch (error) {
    rollBack(db, error);
    throw error;
  }
  return result;
}

function rollBack(db: DatabaseSync, cause: unknown): void {
  if (!db.isTransaction) return;
  try {
    db.exec('ROLLBACK');
  } catch (rollbackError) {
    throw new SuppressedError(rollbackError, cause, 'the transaction failed, and so did its rollback');
  }
}
