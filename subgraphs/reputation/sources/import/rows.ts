import { z } from 'zod';
import type { EnterpriseResolver } from '../../../../platform/enterprise/identity.ts';
import { INDUSTRIES } from '../../../../platform/vocabulary.ts';
import { resolvePublishedEnterprise } from '../../domain/entity-resolution.ts';
import { type ListingRecord, type ListingSource, ListingStatus } from '../../domain/listing.ts';
import { cleanText, hashRaw, parseAmount, parseSatisfaction, parseTime } from '../../domain/normalise.ts';

/**
 * The import format: one row per complaint, the columns below (header row first in CSV and
 * XLSX; objects with these keys in JSON). Every row is validated on its own; a row that fails
 * becomes a quarantined item with its row number and the reasons, never a silent drop. A valid
 * row becomes a `ListingRecord` through the same normalisation and enterprise resolution as a
 * crawled one. The README documents the same table for users.
 */
export const IMPORT_COLUMNS = [
  'source_id',
  'enterprise_name',
  'credit_code',
  'created_at',
  'status',
  'raw_status',
  'title',
  'issue',
  'demand',
  'amount',
  'replied_at',
  'completed_at',
  'satisfaction',
  'industry',
  'url',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Headers journalists' exports use in Chinese, mapped to our columns. */
const CHINESE_HEADERS: Record<string, ImportColumn> = {
  投诉编号: 'source_id',
  编号: 'source_id',
  投诉对象: 'enterprise_name',
  企业名称: 'enterprise_name',
  商家: 'enterprise_name',
  统一社会信用代码: 'credit_code',
  投诉时间: 'created_at',
  状态: 'status',
  投诉进度: 'raw_status',
  标题: 'title',
  投诉问题: 'issue',
  投诉要求: 'demand',
  涉诉金额: 'amount',
  回复时间: 'replied_at',
  完成时间: 'completed_at',
  满意度: 'satisfaction',
  行业: 'industry',
  链接: 'url',
};

/** A header as our column name (`Source ID`, `source-id`, `投诉编号` → `source_id`), or null. */
export function importColumn(header: string): ImportColumn | null {
  const trimmed = header.replace(/^\uFEFF/, '').trim();
  if (CHINESE_HEADERS[trimmed]) return CHINESE_HEADERS[trimmed];
  const key = trimmed.toLowerCase().replace(/[\s-]+/g, '_');
  return (IMPORT_COLUMNS as readonly string[]).includes(key) ? (key as ImportColumn) : null;
}

const CHINA_OFFSET_MS = 8 * 3600_000;
const TIME_EXPECTED =
  'a date-time: ISO-8601 with an offset, YYYY-MM-DD[ HH:mm[:ss]] in China time, or epoch seconds/milliseconds';

const blank = (value: unknown) =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '') ? undefined : value;

/** What a cell holds, as the readers give it: text, a number, or a date (XLSX). */
const cell = z.union([z.string(), z.number(), z.date()]);

const text = (max: number) =>
  z.preprocess(
    blank,
    cell
      .transform((value) => (value instanceof Date ? value.toISOString() : String(value)))
      .pipe(z.string().max(max, `at most ${max} characters`))
      .optional(),
  );

/**
 * A spreadsheet date carries no time zone; the XLSX reader gives its wall-clock reading as UTC.
 * Complaint times are China time, so that reading is taken as China time.
 */
function readInstant(value: string | number | Date, ctx: z.RefinementCtx): number {
  const ms = value instanceof Date ? value.getTime() - CHINA_OFFSET_MS : parseTime(value);
  if (ms === null || Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `expected ${TIME_EXPECTED}, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return ms;
}

const instant = z.preprocess(blank, cell.transform(readInstant).optional());
const requiredInstant = (what: string) =>
  z.preprocess(
    blank,
    z.union([z.string(), z.number(), z.date()], { error: `required: ${what}` }).transform(readInstant),
  );

const STATUSES = Object.values(ListingStatus) as string[];

export const importRowSchema = z
  .object({
    source_id: z.preprocess(
      blank,
      z
        .union([z.string(), z.number()], { error: 'required: the id the source gives the complaint' })
        .transform(String)
        .pipe(z.string().trim().min(1).max(200, 'at most 200 characters')),
    ),
    enterprise_name: text(300),
    credit_code: text(18),
    created_at: requiredInstant('when the complaint was filed'),
    status: z.preprocess(
      (value) => (typeof value === 'string' ? value.trim().toUpperCase() : blank(value)),
      z.enum(STATUSES as [string, ...string[]], { error: `required: one of ${STATUSES.join(', ')}` }),
    ),
    raw_status: text(100),
    title: text(500),
    issue: text(500),
    demand: text(500),
    amount: z.preprocess(
      blank,
      cell
        .transform((value, ctx) => {
          const amount = parseAmount(value instanceof Date ? '' : value);
          if (amount === null) {
            ctx.addIssue({ code: 'custom', message: `expected an amount in CNY ≥ 0, got ${JSON.stringify(value)}` });
            return z.NEVER;
          }
          return amount;
        })
        .optional(),
    ),
    replied_at: instant,
    completed_at: instant,
    satisfaction: z.preprocess(
      blank,
      cell
        .transform((value, ctx) => {
          const rating = parseSatisfaction(value instanceof Date ? '' : value);
          if (rating === null || Number(value) !== rating) {
            ctx.addIssue({ code: 'custom', message: `expected an integer 1-5, got ${JSON.stringify(value)}` });
            return z.NEVER;
          }
          return rating;
        })
        .optional(),
    ),
    industry: z.preprocess(
      (value) => (typeof value === 'string' ? blank(value.trim().toUpperCase()) : blank(value)),
      z.enum(INDUSTRIES as [string, ...string[]], { error: `one of ${INDUSTRIES.join(', ')}` }).optional(),
    ),
    url: z.preprocess(
      blank,
      z
        .string()
        .trim()
        .refine((value) => /^https?:$/.test(URL.parse(value)?.protocol ?? ''), 'an http(s) URL')
        .optional(),
    ),
  })
  .superRefine((row, ctx) => {
    if (!row.enterprise_name && !row.credit_code)
      ctx.addIssue({ code: 'custom', path: ['enterprise_name'], message: 'required unless credit_code is given' });
    for (const field of ['replied_at', 'completed_at'] as const) {
      const value = row[field];
      if (value !== undefined && value < row.created_at)
        ctx.addIssue({ code: 'custom', path: [field], message: 'earlier than created_at' });
    }
    if (row.completed_at !== undefined && row.status !== ListingStatus.Completed)
      ctx.addIssue({ code: 'custom', path: ['completed_at'], message: `given, but status is ${row.status}` });
  });

export type ImportRow = z.infer<typeof importRowSchema>;

export type ImportedItem =
  | { kind: 'record'; record: ListingRecord }
  | { kind: 'invalid'; externalId: string | null; reason: string; raw: string };

/** The zod issues of a row as one line: `created_at: expected …; status: required: …`. */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ');
}

/**
 * One row (keys already mapped to our columns) to a record, or the reasons it cannot be one.
 * The raw hash covers the parsed values only, not the file or the row number: the same data
 * imported again, from any file, is unchanged.
 */
export function normaliseImportRow(
  values: Partial<Record<ImportColumn, unknown>>,
  context: { source: ListingSource; resolver: EnterpriseResolver },
): ImportedItem {
  const parsed = importRowSchema.safeParse(values);
  const id = values.source_id;
  const externalId = typeof id === 'string' || typeof id === 'number' ? String(id).trim() || null : null;
  const raw = JSON.stringify(values);
  if (!parsed.success) return { kind: 'invalid', externalId, reason: describeIssues(parsed.error), raw };
  const row = parsed.data;
  const enterprise = resolvePublishedEnterprise(context.resolver, {
    name: row.enterprise_name ?? '',
    creditCode: row.credit_code ?? null,
  });
  if (!enterprise)
    return {
      kind: 'invalid',
      externalId,
      reason: 'enterprise_name: empty once cleaned, and no valid credit_code',
      raw,
    };
  const status = row.status as ListingStatus;
  const record: ListingRecord = {
    source: context.source,
    externalId: row.source_id,
    url: row.url ?? null,
    enterpriseName: enterprise.displayName,
    enterpriseId: enterprise.id,
    enterpriseBasis: enterprise.basis,
    industry: row.industry ?? null,
    title: cleanText(row.title),
    issue: cleanText(row.issue),
    demand: cleanText(row.demand),
    amount: row.amount ?? null,
    status,
    rawStatus: row.raw_status ?? status,
    createdAt: row.created_at,
    repliedAt: row.replied_at ?? null,
    completedAt: status === ListingStatus.Completed ? (row.completed_at ?? null) : null,
    satisfaction: row.satisfaction ?? null,
    rawHash: hashRaw({ imported: row }),
  };
  return { kind: 'record', record };
}
