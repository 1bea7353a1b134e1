// Reads CSV (RFC 4180: quoted fields, doubled quotes, commas and line breaks inside quotes)
// from a stream of text chunks, one record at a time, keyed by the header row. Small on
// purpose, so that scripts/verify-export.ts needs nothing an auditor would have to install.

/** Each record of the CSV text as `{ column: value }`; memory holds one record at a time. */
export async function* csvRecords(chunks: AsyncIterable<string | Buffer> | Iterable<string>): AsyncGenerator<Record<string, string>> {
  let header: string[] | null = null;
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let quoteSeen = false;
  const record = (cells: string[]) => Object.fromEntries(header!.map((name, index) => [name, cells[index] ?? '']));
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    for (const char of text) {
      if (quoted) {
        if (quoteSeen) {
          quoteSeen = false;
          if (char === '"') {
            field += '"';
            continue;
          }
          quoted = false;
        } else if (char === '"') {
          quoteSeen = true;
          continue;
        } else {
          field += char;
          continue;
        }
      }
      if (char === '"') {
        quoted = true;
      } else if (char === ',') {
        row.push(field);
        field = '';
      } else if (char === '\n') {
        row.push(field);
        if (header) yield record(row);
        else header = row;
        row = [];
        field = '';
      } else if (char !== '\r') {
        field += char;
      }
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    if (header) yield record(row);
  }
}

/** All records of a CSV text (tests). */
export async function parseCsv(text: string): Promise<Record<string, string>[]> {
  const records: Record<string, string>[] = [];
  for await (const item of csvRecords([text])) records.push(item);
  return records;
}
