/**
 * kubectl prints tables with Go's tabwriter: every cell of a column starts where its header starts.
 * Reading by those positions keeps cells with spaces whole (`5 (2m ago)`, `NOMINATED NODE`).
 */
export interface Columns {
  names: string[];
  starts: number[];
}

/** Header cells are separated by two or more spaces (or a tab); names may hold one space (`LAST SEEN`). */
export function headerColumns(line: string): Columns {
  const names: string[] = [];
  const starts: number[] = [];
  const re = /\S+(?: \S+)*/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    names.push(m[0].toUpperCase());
    starts.push(m.index);
  }
  return { names, starts };
}

/**
 * The row's cells by name. Returns undefined when the row does not line up with the header (a paste
 * that lost its spacing): the caller then reads it by pattern instead.
 */
export function cellsAt(cols: Columns, row: string): Record<string, string> | undefined {
  if (row.trim() === '') return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < cols.starts.length; i++) {
    const start = cols.starts[i]!;
    const end = cols.starts[i + 1] ?? row.length;
    // A cell must begin where its header begins: right after whitespace, with text there.
    if (start > 0 && start < row.length && !/\s/.test(row[start - 1]!)) return undefined;
    if (i > 0 && start < row.length && /\s/.test(row[start]!) && i < cols.starts.length - 1) return undefined;
    out[cols.names[i]!] = row.slice(start, Math.max(start, end)).trim();
  }
  return out;
}
