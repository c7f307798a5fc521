// Bulk loading for the benches with `pg` alone (no pg-copy-streams): COPY … FROM STDIN
// in text format, through a "submittable" (the interface pg-copy-streams uses) that
// sends the rows when the server asks for them.
import pg from "pg";

export class CopyIn {
  readonly text: string;
  private readonly data: string;
  private error: Error | null = null;
  rowCount = 0;
  readonly done: Promise<number>;
  private settle!: { resolve: (n: number) => void; reject: (e: Error) => void };

  constructor(sql: string, data: string) {
    this.text = sql;
    this.data = data;
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: { query: (text: string) => void }) {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: { sendCopyFromChunk: (b: Buffer) => void; endCopyFrom: () => void }) {
    const bytes = Buffer.from(this.data, "utf8");
    const step = 1 << 20;
    for (let i = 0; i < bytes.length; i += step) connection.sendCopyFromChunk(bytes.subarray(i, i + step));
    connection.endCopyFrom();
  }

  handleCommandComplete(msg: { text?: string }) {
    this.rowCount = Number(/(\d+)$/.exec(msg.text ?? "")?.[1] ?? 0);
  }

  handleError(error: Error) {
    this.error = error;
  }

  handleReadyForQuery() {
    if (this.error) this.settle.reject(this.error);
    else this.settle.resolve(this.rowCount);
  }

  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
}

type Cell = string | number | boolean | null;
const escapeCell = (v: Cell): string =>
  v === null
    ? "\\N"
    : typeof v === "string"
      ? /[\\\t\n\r]/.test(v)
        ? v.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!)
        : v
      : String(v);

/** Rows as COPY text: tab-separated, \N for NULL. */
export class Rows {
  private parts: string[] = [];
  count = 0;
  add(...cells: Cell[]) {
    this.parts.push(cells.map(escapeCell).join("\t"));
    this.count += 1;
  }
  text() {
    return this.parts.length ? this.parts.join("\n") + "\n" : "";
  }
}

/** COPY `rows` into `table` (its quoted `columns`) on `client`. */
export async function copy(client: pg.Client, table: string, columns: string[], rows: Rows | string): Promise<number> {
  const data = typeof rows === "string" ? rows : rows.text();
  if (!data) return 0;
  const op = new CopyIn(`COPY "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`, data);
  void client.query(op as unknown as pg.QueryConfig);
  return op.done;
}

/** PostgreSQL `timestamp(3)` text in UTC, as Prisma stores DateTime. */
export const ts = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace("T", " ");

export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}
