import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { type ImportColumn, importColumn } from './rows.ts';

/**
 * Reads the rows of an import file, whatever its format, as `{row, values}`: `row` is the number
 * a person finds the row under (the spreadsheet row for CSV and XLSX, header = row 1; the item's
 * position, from 1, in a JSON array) and `values` the cells keyed by our column names. Columns we
 * do not know are reported once (`ignoredColumns`), never guessed at.
 *
 * Maintained parsers do the reading: csv-parse (streamed, RFC 4180 quoting, BOM) and exceljs.
 */
export const IMPORT_FORMATS = ['csv', 'json', 'xlsx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportRowRead {
  row: number;
  values: Partial<Record<ImportColumn, unknown>>;
}

export interface ImportFile {
  rows: AsyncIterable<ImportRowRead>;
  /** Headers that map to no column (filled once the header is read). */
  ignoredColumns: string[];
  /** How far reading has come, in a unit of the reader's own (bytes for CSV, rows otherwise). */
  progress(): { done: number; total: number };
}

export class ImportFileError extends Error {}

function mapHeaders(headers: unknown[], ignored: string[]): Array<ImportColumn | null> {
  return headers.map((header) => {
    const name = String(header ?? '');
    const column = importColumn(name);
    if (!column && name.trim() !== '') ignored.push(name.trim());
    return column;
  });
}

function valuesOf(columns: Array<ImportColumn | null>, cells: unknown[]): Partial<Record<ImportColumn, unknown>> {
  const values: Partial<Record<ImportColumn, unknown>> = {};
  columns.forEach((column, i) => {
    if (column && cells[i] !== undefined) values[column] = cells[i];
  });
  return values;
}

async function openCsv(path: string): Promise<ImportFile> {
  const total = (await stat(path)).size;
  let done = 0;
  const ignoredColumns: string[] = [];
  async function* rows(): AsyncIterable<ImportRowRead> {
    const input = createReadStream(path);
    input.on('data', (chunk) => {
      done += chunk.length;
    });
    const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }));
    let columns: Array<ImportColumn | null> | null = null;
    let row = 0;
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        row++;
        if (!columns) {
          columns = mapHeaders(record, ignoredColumns);
          continue;
        }
        yield { row, values: valuesOf(columns, record) };
      }
    } catch (error) {
      throw new ImportFileError(`CSV: ${(error as Error).message}`);
    }
  }
  return { rows: rows(), ignoredColumns, progress: () => ({ done, total }) };
}

async function openJson(path: string): Promise<ImportFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ImportFileError(`JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(parsed)
    ? parsed
    : parsed && typeof parsed === 'object' && Array.isArray((parsed as { rows?: unknown }).rows)
      ? (parsed as { rows: unknown[] }).rows
      : null;
  if (!list) throw new ImportFileError('JSON: expected an array of row objects, or {"rows": [...]}');
  const items: unknown[] = list;
  const ignored = new Set<string>();
  let done = 0;
  async function* rows(): AsyncIterable<ImportRowRead> {
    for (const [index, item] of items.entries()) {
      done = index + 1;
      const values: Partial<Record<ImportColumn, unknown>> = {};
      if (item && typeof item === 'object' && !Array.isArray(item)) {
        for (const [key, value] of Object.entries(item)) {
          const column = importColumn(key);
          if (column) values[column] = value;
          else ignored.add(key);
        }
      }
      yield { row: index + 1, values };
    }
  }
  return {
    rows: rows(),
    get ignoredColumns() {
      return [...ignored];
    },
    progress: () => ({ done, total: items.length }),
  };
}

/** A cell as a plain value: rich text joined, a hyperlink's text, a formula's result. */
function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date || typeof value !== 'object') return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('result' in value) return cellValue(value.result as ExcelJS.CellValue);
  if ('error' in value) return undefined;
  return String(value);
}

async function openXlsx(path: string): Promise<ImportFile> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw new ImportFileError(`XLSX: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ImportFileError('XLSX: the workbook has no worksheet');
  const ignoredColumns: string[] = [];
  const total = sheet.rowCount;
  let done = 0;
  async function* rows(): AsyncIterable<ImportRowRead> {
    let columns: Array<ImportColumn | null> | null = null;
    for (let number = 1; number <= sheet.rowCount; number++) {
      done = number;
      const row = sheet.getRow(number);
      // exceljs rows are 1-based: values[0] is empty.
      const cells = (Array.isArray(row.values) ? row.values.slice(1) : []).map((value) =>
        cellValue(value as ExcelJS.CellValue),
      );
      if (!columns) {
        columns = mapHeaders(cells, ignoredColumns);
        continue;
      }
      if (cells.every((value) => value === undefined || value === '')) continue;
      yield { row: number, values: valuesOf(columns, cells) };
    }
  }
  return { rows: rows(), ignoredColumns, progress: () => ({ done, total }) };
}

export function openImportFile(path: string, format: ImportFormat): Promise<ImportFile> {
  switch (format) {
    case 'csv':
      return openCsv(path);
    case 'json':
      return openJson(path);
    case 'xlsx':
      return openXlsx(path);
  }
}
