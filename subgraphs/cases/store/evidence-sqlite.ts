import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { Role } from '../../../platform/context.ts';
import { migrate } from '../../../platform/store/sqlite.ts';
import { evidenceBlobRelativePath, type EvidenceMediaType, type EvidenceMetadata } from '../domain/evidence.ts';
import type { EvidenceBlobStore, EvidenceRepository, EvidenceStore } from './evidence.ts';

const MIGRATIONS = [
  `CREATE TABLE evidence (
     id TEXT PRIMARY KEY,
     sha256 TEXT NOT NULL,
     name TEXT NOT NULL,
     media_type TEXT NOT NULL,
     size INTEGER NOT NULL CHECK (size >= 0),
     uploaded_by TEXT NOT NULL,
     uploaded_at TEXT NOT NULL
   ) STRICT;
   CREATE INDEX evidence_sha256 ON evidence (sha256);`,
  // Ids are unique within a role only; NULL for files stored before this column.
  `ALTER TABLE evidence ADD COLUMN uploader_role TEXT;`,
];

interface EvidenceRow {
  id: string;
  sha256: string;
  name: string;
  media_type: string;
  size: number;
  uploaded_by: string;
  uploader_role: string | null;
  uploaded_at: string;
}

const fromRow = (row: EvidenceRow): EvidenceMetadata => ({
  id: row.id,
  sha256: row.sha256,
  name: row.name,
  mediaType: row.media_type as EvidenceMediaType,
  size: row.size,
  uploadedBy: row.uploaded_by,
  uploaderRole: (row.uploader_role as Role | null) ?? null,
  uploadedAt: row.uploaded_at,
});

/** Evidence metadata in the cases SQLite database (same file as the cases, own migrations). */
export function createSqliteEvidenceRepository(db: DatabaseSync): EvidenceRepository {
  migrate(db, 'cases-evidence', MIGRATIONS);
  const insert = db.prepare(
    `INSERT INTO evidence (id, sha256, name, media_type, size, uploaded_by, uploader_role, uploaded_at)
     VALUES (:id, :sha256, :name, :mediaType, :size, :uploadedBy, :uploaderRole, :uploadedAt)`,
  );
  const byId = db.prepare('SELECT * FROM evidence WHERE id = ?');
  const countBySha = db.prepare('SELECT COUNT(*) AS n FROM evidence WHERE sha256 = ?');
  return {
    async insert(evidence) {
      insert.run({ ...evidence });
    },
    async findById(id) {
      const row = byId.get(id) as EvidenceRow | undefined;
      return row ? fromRow(row) : null;
    },
    async findByIds(ids) {
      if (ids.length === 0) return [];
      // json_each keeps one prepared shape for any number of ids (no IN-list string building).
      const rows = db
        .prepare('SELECT * FROM evidence WHERE id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(ids)) as unknown as EvidenceRow[];
      return rows.map(fromRow);
    },
    async countBySha256(sha256) {
      return Number((countBySha.get(sha256) as { n: number }).n);
    },
  };
}

/** Where uploads are assembled before they are renamed into place (same file system as the blobs). */
const INCOMING = '.incoming';

/**
 * Blobs as files under `<root>/ab/cd/<sha256>`. Each is written to a temp file in
 * `<root>/.incoming`, fsynced, then renamed over its final name and the directory fsynced, so a
 * crash at any point leaves either the complete file or no file under the hash (a stray temp
 * file at worst, swept at the next start).
 */
export function createFileEvidenceBlobStore(root: string): EvidenceBlobStore {
  const incoming = join(root, INCOMING);
  mkdirSync(incoming, { recursive: true });
  sweepStaleUploads(incoming);
  const pathOf = (sha256: string) => join(root, ...evidenceBlobRelativePath(sha256));

  return {
    async put(sha256, bytes) {
      const target = pathOf(sha256);
      const existing = await stat(target).catch(() => null);
      if (existing?.isFile() && existing.size === bytes.byteLength) return;
      const temp = join(incoming, `${sha256}.${randomBytes(6).toString('hex')}.part`);
      try {
        const handle = await open(temp, 'wx', 0o640);
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await mkdir(dirname(target), { recursive: true });
        await rename(temp, target);
        await fsyncDirectory(dirname(target));
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async read(sha256) {
      try {
        return await readFile(pathOf(sha256));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async remove(sha256) {
      await rm(pathOf(sha256), { force: true });
    },
  };
}

/**
 * An upload older than this in `.incoming` was abandoned by a crash (another instance may be
 * mid-upload in newer ones).
 */
const STALE_UPLOAD_MS = 60 * 60 * 1000;

function sweepStaleUploads(incoming: string): void {
  const cutoff = Date.now() - STALE_UPLOAD_MS;
  for (const leftover of readdirSync(incoming)) {
    const path = join(incoming, leftover);
    try {
      if (statSync(path).mtimeMs < cutoff) rmSync(path, { force: true });
    } catch {
      // Already gone: another instance swept it.
    }
  }
}

/** Makes a rename durable: the new directory entry survives power loss only once the directory is synced. */
async function fsyncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The embedded evidence store: metadata in the cases database, bytes under `${DATA_DIR}/evidence`. */
export function createSqliteEvidenceStore(db: DatabaseSync, dataDir: string): EvidenceStore {
  return {
    metadata: createSqliteEvidenceRepository(db),
    blobs: createFileEvidenceBlobStore(join(dataDir, 'evidence')),
  };
}
