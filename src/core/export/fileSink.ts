import * as fs from 'node:fs';

const FLUSH_AT = 256 * 1024;

/**
 * A file written in pieces: text is buffered and written synchronously in large
 * chunks to `<file>.partial`, which replaces the file only on commit. A cancelled
 * or failed export leaves the previous version of the file as it was.
 */
export class FileSink {
  private readonly fd: number;
  private readonly temp: string;
  private chunks: string[] = [];
  private buffered = 0;
  private closed = false;

  constructor(readonly file: string) {
    this.temp = `${file}.partial`;
    this.fd = fs.openSync(this.temp, 'w');
  }

  write(text: string): void {
    this.chunks.push(text);
    this.buffered += text.length;
    if (this.buffered >= FLUSH_AT) this.flush();
  }

  commit(): void {
    this.flush();
    fs.closeSync(this.fd);
    this.closed = true;
    fs.renameSync(this.temp, this.file);
  }

  discard(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
    fs.rmSync(this.temp, { force: true });
  }

  private flush(): void {
    if (this.buffered === 0) return;
    fs.writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.buffered = 0;
  }
}
