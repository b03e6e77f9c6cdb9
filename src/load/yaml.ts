// YAML parsing that keeps every node's source position, with PyYAML's (YAML 1.1) meaning of scalars.
//
// Values come out as plain JS (objects, arrays, scalars). Positions live in a side table keyed by
// the object or array, so the rest of the code handles ordinary data and asks locOf()/keyLoc()/
// valueLoc()/itemLoc() when it has something to report.

import { readFileSync } from 'node:fs';
import {
  parseAllDocuments,
  LineCounter,
  isMap,
  isSeq,
  isScalar,
  isAlias,
  isPair,
  Scalar,
  type Document,
  type Node as YamlNode,
  type ScalarTag,
  type Tags,
} from 'yaml';
import { SamsError, type SourceLoc } from '../errors.js';
import { registerSecretText, Secret } from '../secret.js';

/** Positions of one mapping or sequence: its own, and those of its keys, values and items. */
interface NodeLocs {
  loc: SourceLoc;
  keys?: Map<string, SourceLoc>;
  values?: Map<string, SourceLoc>;
  items?: SourceLoc[];
}

const locTable = new WeakMap<object, NodeLocs>();

/** Where a mapping or sequence starts. */
export function locOf(obj: unknown): SourceLoc | undefined {
  return typeof obj === 'object' && obj !== null ? locTable.get(obj)?.loc : undefined;
}
/** Where key `key` of mapping `obj` is written. */
export function keyLoc(obj: unknown, key: string): SourceLoc | undefined {
  return typeof obj === 'object' && obj !== null ? locTable.get(obj)?.keys?.get(key) ?? locOf(obj) : undefined;
}
/** Where the value of `key` in mapping `obj` is written. */
export function valueLoc(obj: unknown, key: string): SourceLoc | undefined {
  return typeof obj === 'object' && obj !== null ? locTable.get(obj)?.values?.get(key) ?? keyLoc(obj, key) : undefined;
}
/** Where item `i` of sequence `arr` is written. */
export function itemLoc(arr: unknown, i: number): SourceLoc | undefined {
  return typeof arr === 'object' && arr !== null ? locTable.get(arr)?.items?.[i] ?? locOf(arr) : undefined;
}
/** Record a position for an object built in code (e.g. a task expanded from `k=v` text). */
export function setLoc(obj: object, loc: SourceLoc | undefined, keys?: Map<string, SourceLoc>): void {
  if (loc) locTable.set(obj, { loc, keys, values: keys });
}
/** Copy the position table of `from` onto `to` (for shallow copies of located objects). */
export function copyLocs(from: object, to: object): void {
  const l = locTable.get(from);
  if (l) locTable.set(to, l);
}

/**
 * Follow a path (as zod reports it) down from a located root and return the best position:
 * the deepest node on the path that has one.
 */
export function locAtPath(root: unknown, path: readonly PropertyKey[], fallback?: SourceLoc): SourceLoc | undefined {
  let best = locOf(root) ?? fallback;
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null) break;
    if (Array.isArray(cur) && typeof seg === 'number') {
      best = itemLoc(cur, seg) ?? best;
      cur = cur[seg];
    } else if (typeof seg === 'string') {
      best = valueLoc(cur, seg) ?? best;
      cur = (cur as Record<string, unknown>)[seg];
    } else break;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Source text cache (for carets under errors)

const sources = new Map<string, string>();

/** The text of line `line` (1-based) of a file parsed earlier, or read now. */
export function sourceLine(file: string, line: number): string | undefined {
  let text = sources.get(file);
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    sources.set(file, text);
  }
  return text.split('\n')[line - 1];
}

/** Remember the text of a file whose content is not on disk as such (a decrypted vault file must not be shown). */
export function rememberSource(file: string, text: string): void {
  sources.set(file, text);
}

// ---------------------------------------------------------------------------------------------
// Tags: PyYAML's booleans, Ansible's !vault and !unsafe

/** An inline `!vault |` value; decrypted on first use by the keyring the run supplies. */
export class VaultedText {
  #secret: Secret | undefined;
  constructor(
    readonly envelope: string,
    readonly loc: SourceLoc | undefined,
    private readonly keyring: VaultKeyring | undefined,
  ) {}
  /** Decrypts (once) and returns the plaintext as a Secret; a missing or wrong password is a SamsError at `loc`. */
  get(): Secret {
    if (this.#secret) return this.#secret;
    if (!this.keyring)
      throw new SamsError('this value is vault-encrypted and no vault password was given', {
        loc: this.loc,
        hint: 'pass --vault-password-file FILE, --ask-vault-pass, or set vault_password_file in sams.yml',
        showSource: false,
      });
    this.#secret = new Secret(this.keyring.decrypt(this.envelope, this.loc ? `${this.loc.file}:${this.loc.line}` : 'inline value'));
    return this.#secret;
  }
  toString(): string {
    return '********';
  }
  toJSON(): string {
    return '********';
  }
}

/** Ansible's `!unsafe`: a string that is never templated. */
export class UnsafeText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
}

/** Decrypts Ansible-vault envelopes; `where` names the file or value for the error message. */
export interface VaultKeyring {
  decrypt(envelope: string, where: string): string;
  /** True when the text is a vault envelope ($ANSIBLE_VAULT;...). */
  isEncrypted?(text: string): boolean;
}

// PyYAML (and so Ansible) knows fewer boolean spellings than YAML 1.1 proper: no y/n.
const pyTrue: ScalarTag = {
  identify: (v) => v === true,
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  resolve: () => new Scalar(true),
};
const pyFalse: ScalarTag = {
  identify: (v) => v === false,
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  resolve: () => new Scalar(false),
};

function tagsFor(file: string, lc: LineCounter, keyring: VaultKeyring | undefined) {
  return (tags: Tags): Tags => {
    const kept = tags.filter((t) => !(typeof t === 'object' && 'tag' in t && t.tag === 'tag:yaml.org,2002:bool'));
    const vault: ScalarTag = {
      tag: '!vault',
      resolve: (str: string) => new VaultedText(str.trim(), undefined, keyring),
    };
    const unsafe: ScalarTag = { tag: '!unsafe', resolve: (str: string) => new UnsafeText(str) };
    void file;
    void lc;
    return [pyTrue, pyFalse, vault, unsafe, ...kept];
  };
}

// ---------------------------------------------------------------------------------------------
// Parsing

export interface YamlOptions {
  keyring?: VaultKeyring;
  /** Mark every string leaf as Secret (a whole-file vault). */
  secret?: boolean;
}

/** Parse one YAML document; an empty file is null. Syntax errors are SamsErrors at file:line:col. */
export function parseYaml(text: string, file: string, opts: YamlOptions = {}): unknown {
  const docs = parseYamlDocuments(text, file, opts);
  if (docs.length > 1) {
    throw new SamsError('expected one YAML document, found several (separated by ---)', {
      loc: { file, line: 1, col: 1 },
      hint: 'split the documents into separate files',
    });
  }
  return docs[0] ?? null;
}

/** Parse every document of a YAML stream. */
export function parseYamlDocuments(text: string, file: string, opts: YamlOptions = {}): unknown[] {
  if (!opts.secret) sources.set(file, text);
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: lc,
    version: '1.1',
    merge: true,
    uniqueKeys: false,
    prettyErrors: false,
    customTags: tagsFor(file, lc, opts.keyring),
  });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) throw yamlSyntaxError(err.message, err.pos[0], file, lc, text, opts.secret ?? false);
    if (doc.contents === null && list.length > 1) continue;
    out.push(new Converter(doc, file, lc, opts, text).convert(doc.contents as YamlNode | null));
  }
  return out;
}

export function readYamlFile(file: string, opts: YamlOptions = {}): unknown {
  return parseYaml(readTextFile(file), file, opts);
}

/** Read a file as UTF-8, turning a missing file into a user error. */
export function readTextFile(file: string, loc?: SourceLoc): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(e);
    const hint = code === 'ENOENT' ? 'check the file name and where it is looked for' : code === 'EACCES' ? `make ${file} readable by the user running sams` : code === 'EISDIR' ? 'name a file, not a directory' : undefined;
    throw new SamsError(`cannot read ${file}: ${what}`, { loc, hint });
  }
}

function yamlSyntaxError(message: string, offset: number, file: string, lc: LineCounter, text: string, secret: boolean): SamsError {
  const { line, col } = lc.linePos(offset);
  // The yaml library's first message line is the useful part; the rest repeats the source.
  let msg = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  let hint = 'check the indentation and quoting on this line and the one before it';
  const src = text.split('\n')[line - 1] ?? '';
  if (/\{\{/.test(src) && /:\s*\{\{/.test(src)) {
    hint = 'a value that starts with {{ must be quoted: key: "{{ var }}"';
  } else if (/Nested mappings are not allowed in compact mappings|Implicit map keys need to be followed by map values/.test(msg) && /: .*: /.test(src)) {
    hint = 'a value containing ": " must be quoted';
  } else if (/tab/i.test(msg)) {
    hint = 'YAML indentation must use spaces, not tabs';
  }
  msg = `YAML syntax error: ${msg.charAt(0).toLowerCase()}${msg.slice(1)}`;
  return new SamsError(msg, { loc: { file, line, col }, hint, showSource: !secret });
}

class Converter {
  private readonly anchors = new Map<YamlNode, unknown>();
  /** How deep in collections the node being converted is (0: the document's top level). */
  private depth = 0;
  constructor(
    private readonly doc: Document,
    private readonly file: string,
    private readonly lc: LineCounter,
    private readonly opts: YamlOptions,
    private readonly text: string,
  ) {}

  private loc(node: { range?: [number, number, number] | null } | null | undefined): SourceLoc | undefined {
    const r = node?.range;
    if (!r) return undefined;
    const { line, col } = this.lc.linePos(r[0]);
    return { file: this.file, line, col };
  }

  convert(node: YamlNode | null): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) throw new SamsError(`unknown YAML alias *${node.source}`, { loc: this.loc(node), hint: `define the anchor &${node.source} before this alias, in the same file` });
      if (this.anchors.has(target)) return this.anchors.get(target);
      return this.convert(target);
    }
    if (isScalar(node)) {
      let v = node.value;
      if (v instanceof VaultedText) v = new VaultedText(v.envelope, this.loc(node), this.opts.keyring);
      else if (this.opts.secret && typeof v === 'string') v = new Secret(v);
      // A number from a vaulted file (an all-digit PIN) keeps its type, but output still masks it.
      else if (this.opts.secret && (typeof v === 'number' || typeof v === 'bigint')) registerSecretText(String(v));
      if (typeof v === 'bigint') v = Number(v);
      return v;
    }
    if (isSeq(node)) {
      const arr: unknown[] = [];
      this.anchors.set(node, arr);
      const items: SourceLoc[] = [];
      this.depth++;
      for (const item of node.items) {
        arr.push(this.convert(item as YamlNode));
        items.push(this.loc(item as YamlNode) ?? this.loc(node)!);
      }
      this.depth--;
      locTable.set(arr, { loc: this.loc(node)!, items });
      return arr;
    }
    if (isMap(node)) {
      if (node.flow && this.looksLikeUnquotedTemplate(node)) {
        throw new SamsError('YAML syntax error: this value looks like a template ({{ ... }}) that is not quoted', {
          loc: this.loc(node),
          hint: 'a value that starts with {{ must be quoted: key: "{{ var }}"',
        });
      }
      const obj: Record<string, unknown> = {};
      this.anchors.set(node, obj);
      const keys = new Map<string, SourceLoc>();
      const values = new Map<string, SourceLoc>();
      const merged: Record<string, unknown>[] = [];
      // Keys inside a vaulted file's values are secret too (user names as keys); top-level keys are variable names.
      const secretKeys = this.opts.secret === true && this.depth > 0;
      this.depth++;
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
          // `<<: *anchor` merge key: explicit keys of this mapping win, earlier merges win over later.
          const src = this.convert(pair.value as YamlNode);
          for (const m of Array.isArray(src) ? src : [src]) if (m && typeof m === 'object') merged.push(m as Record<string, unknown>);
          continue;
        }
        const key = this.keyString(keyNode);
        if (secretKeys) registerSecretText(key);
        obj[key] = this.convert(pair.value as YamlNode | null);
        const kl = this.loc(keyNode);
        if (kl) keys.set(key, kl);
        const vl = this.loc(pair.value as YamlNode | null) ?? kl;
        if (vl) values.set(key, vl);
      }
      for (const m of merged) {
        const ml = locTable.get(m);
        for (const [k, v] of Object.entries(m)) {
          if (k in obj) continue;
          obj[k] = v;
          const kl = ml?.keys?.get(k);
          if (kl) keys.set(k, kl);
          const vl = ml?.values?.get(k);
          if (vl) values.set(k, vl);
        }
      }
      this.depth--;
      locTable.set(obj, { loc: this.loc(node)!, keys, values });
      return obj;
    }
    // Pairs at top level and other exotic nodes: let the library convert them.
    return (node as { toJSON?: () => unknown }).toJSON?.() ?? null;
  }

  /** `key: {{ var }}` parses as a flow mapping whose key is another flow mapping. */
  private looksLikeUnquotedTemplate(node: YamlNode): boolean {
    const r = node.range;
    return r !== undefined && r !== null && this.text.slice(r[0], r[0] + 2) === '{{';
  }

  private keyString(keyNode: YamlNode | null): string {
    if (keyNode === null) return '';
    if (isScalar(keyNode)) {
      const v = keyNode.value;
      if (v === null) return 'None';
      if (v === true) return 'True';
      if (v === false) return 'False';
      return String(v);
    }
    throw new SamsError('a mapping key must be a plain value, not a list or mapping', { loc: this.loc(keyNode), hint: 'quote the key if it is text: "[a, b]": value' });
  }
}

/** A new mapping with the keys of each given mapping (later wins), keeping every key's position. */
export function mergeLocated(...objs: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = new Map<string, SourceLoc>();
  const values = new Map<string, SourceLoc>();
  let loc: SourceLoc | undefined;
  for (const o of objs) {
    if (!o) continue;
    const l = locTable.get(o);
    loc ??= l?.loc;
    for (const [k, v] of Object.entries(o)) {
      out[k] = v;
      const kl = l?.keys?.get(k) ?? l?.loc;
      if (kl) keys.set(k, kl);
      const vl = l?.values?.get(k) ?? kl;
      if (vl) values.set(k, vl);
    }
  }
  if (loc) locTable.set(out, { loc, keys, values });
  return out;
}

/** A mapping built in code whose every key is placed at `loc` (free-form `k=v` arguments). */
export function locatedAt<T extends Record<string, unknown>>(obj: T, loc: SourceLoc | undefined): T {
  if (loc) {
    const m = new Map(Object.keys(obj).map((k) => [k, loc] as const));
    locTable.set(obj, { loc, keys: m, values: m });
  }
  return obj;
}
