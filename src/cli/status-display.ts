import { Writable } from 'node:stream';

/**
 * The terminal as the CLI shares it between one refreshing status line and everything else
 * (log lines, messages). On a TTY the status line is the last line and is rewritten in place
 * (`\r`, erase line); anything printed first erases it, is written, and the line is redrawn
 * below, so logs and messages scroll while the status stays at the bottom and is never glued to
 * them. Not a TTY (a pipe, a file, CI): each status is a plain line of its own.
 */
export class StatusDisplay {
  readonly #out: NodeJS.WriteStream;
  readonly #tty: boolean;
  #status = '';
  #closed = false;

  constructor(out: NodeJS.WriteStream = process.stdout) {
    this.#out = out;
    this.#tty = out.isTTY === true;
  }

  /** Terminal width now (it changes when the window is resized); Infinity when not a TTY. */
  get columns(): number {
    return this.#tty ? this.#out.columns || 80 : Infinity;
  }

  /** Shows `line` as the status (already fitted to `columns`). */
  status(line: string): void {
    if (this.#closed) return;
    if (!this.#tty) {
      this.#out.write(`${line}\n`);
      return;
    }
    this.#status = line;
    this.#out.write(`\r\x1b[2K${line}`);
  }

  /** Writes `text` (whole lines) above the status line. */
  print(text: string): void {
    const body = text.endsWith('\n') ? text : `${text}\n`;
    if (!this.#tty || this.#status === '' || this.#closed) {
      this.#out.write(body);
      return;
    }
    this.#out.write(`\r\x1b[2K${body}${this.#status}`);
  }

  /** A stream for the pretty logger: each chunk is printed above the status line. */
  logStream(): Writable {
    return new Writable({
      write: (chunk: Buffer | string, _enc, cb) => {
        this.print(chunk.toString());
        cb();
      },
    });
  }

  /** Erases the status line for good: what follows is printed as plain lines. */
  close(): void {
    if (this.#closed) return;
    if (this.#tty && this.#status !== '') this.#out.write('\r\x1b[2K');
    this.#status = '';
    this.#closed = true;
  }
}
