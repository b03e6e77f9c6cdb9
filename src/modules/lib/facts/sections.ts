// Reading the sectioned output of the setup script (see setup-script.ts for the format).

const MARK = /\x1esams:([^\n]*)\n/g;

export class Sections {
  private readonly map = new Map<string, string[]>();

  constructor(output: string) {
    const marks = [...output.matchAll(MARK)];
    marks.forEach((m, i) => {
      const start = m.index! + m[0].length;
      const end = i + 1 < marks.length ? marks[i + 1]!.index! : output.length;
      let body = output.slice(start, end);
      // Each section ends with one newline the script adds.
      if (body.endsWith('\n')) body = body.slice(0, -1);
      const list = this.map.get(m[1]!) ?? [];
      list.push(body);
      this.map.set(m[1]!, list);
    });
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  /** The first section of that name, as printed. */
  raw(name: string): string | undefined {
    return this.map.get(name)?.[0];
  }

  /** A file's content (undefined when absent). */
  file(path: string): string | undefined {
    return this.raw(`f:${path}`);
  }

  /** Ansible's get_file_content(): stripped content, undefined when absent or empty. */
  content(path: string): string | undefined {
    const c = this.file(path)?.trim();
    return c ? c : undefined;
  }

  /** A command's rc and output (undefined when the program is not installed). */
  cmd(name: string): { rc: number; out: string } | undefined {
    const c = this.raw(`c:${name}`);
    if (c === undefined) return undefined;
    const nl = c.indexOf('\n');
    return { rc: Number(nl < 0 ? c : c.slice(0, nl)), out: nl < 0 ? '' : c.slice(nl + 1) };
  }

  /** Output of a command that succeeded, else undefined. */
  ok(name: string): string | undefined {
    const c = this.cmd(name);
    return c && c.rc === 0 ? c.out : undefined;
  }

  /** Every path the script found to exist (all `exists` sections). */
  exists(path: string): boolean {
    return (this.map.get('exists') ?? []).some((s) => s.split('\n').includes(path));
  }

  /** key=value lines of a section. */
  kv(name: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of (this.raw(name) ?? '').split('\n')) {
      const i = line.indexOf('=');
      if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
    }
    return out;
  }

  /** Section names starting with a prefix, in output order, without the prefix. */
  names(prefix: string): string[] {
    return [...this.map.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  }
}
