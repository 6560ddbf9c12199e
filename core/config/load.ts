import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Scalar } from 'yaml';
import type { z } from 'zod';
import { AduanError } from '../errors.ts';
import { configSchema, type AduanConfig, type ChannelConfig } from './schema.ts';
import { exampleCaseNumber, yearIn } from '../case-number.ts';
import { statusLinkBase, statusUrl } from '../status-link.ts';
import { smsOverrideCost, SMS_TEMPLATES, wordsOnStatusUrlLines, worstCaseSmsVars, type SmsTemplate, type TemplateName } from '../templates.ts';
import { listenClashes, listenersOf } from './listen.ts';
import { pathKeysOf, resolveAgainst } from './paths.ts';

/** Channel type → zod schema of that type's settings; supplied by the connector registry. */
export type ChannelSchemas = Readonly<Record<string, z.ZodType>>;

export interface LoadOptions {
  /** Environment used for `${VAR}` interpolation (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Per-type channel schemas. Types not listed are rejected as unknown. */
  channelSchemas?: ChannelSchemas;
  /**
   * Folder a relative path written in the YAML (database.path, storage.dir, caFile, Gammu's spool
   * folders …) is read from; it is made absolute at load. loadConfigFile: the file's folder. false or
   * unset (loadConfigText): left as written, read from the working directory (the embedded demo).
   * Defaults the YAML does not write (./data/aduan.db …) are always left as they are.
   */
  pathBase?: string | false;
  /** The working directory the upgrade guard compares with (tests); process.cwd() when unset. */
  cwd?: string;
}

export interface LoadedConfig {
  /** Absolute path of the file, or `(embedded demo)`. */
  file: string;
  config: Readonly<AduanConfig>;
  /**
   * What loads but will not do what it says (for the sysadmin: `aduan doctor` prints each with "!", each
   * worker logs them when it starts): see configWarnings.
   */
  warnings: readonly string[];
}

/**
 * Warnings about a config that loads: words of a template override on a {statusUrl} line that no citizen
 * will get, as this instance makes no status links (no enabled web channel with a publicUrl; instance.publicUrl
 * only while a web channel is enabled) and the line is left out without one. Not an error: the same text is
 * right once a publicUrl is set, and a web channel switched off for a while must not stop the gateway.
 * And, when an enabled channel sends SMS (smsSenders), an override of an SMS text that takes more than one
 * SMS with the longest case number its casePrefix gives this year (too long, or a character outside GSM-7),
 * naming those channels: not an error either, a longer SMS still arrives, each acknowledgement just costs
 * two or three. A channel switched off sends no SMS: no warning. A Twilio channel with a WhatsApp sender
 * counts too: its number may also take SMS (smsSenders).
 */
export function configWarnings(config: Readonly<AduanConfig>, now = new Date()): string[] {
  const out: string[] = [];
  if (statusLinkBase(config) === undefined) {
    for (const [name, text] of Object.entries(config.templates)) {
      for (const words of wordsOnStatusUrlLines(name as TemplateName, text)) {
        out.push(`templates.${name}: "${words}" is never sent — it is on the {statusUrl} line, which is left out when there is no status link, and this instance has none (no enabled web channel with publicUrl, nor instance.publicUrl with a web channel enabled). Put the words that must reach citizens on a line of their own, or set a web channel's publicUrl`);
      }
    }
  }
  // an override of an SMS text that takes more than one SMS (too long, or UCS-2) with this instance's longest case number
  const senders = smsSenders(config.channels);
  if (senders.length > 0) {
    const number = exampleCaseNumber(config.instance.casePrefix, yearIn(now, config.instance.timezone));
    const vars = worstCaseSmsVars(number, statusUrl(config, { number, token: 'x' }) ?? '');
    for (const [name, text] of Object.entries(config.templates)) {
      if (!(SMS_TEMPLATES as readonly string[]).includes(name)) continue;
      const cost = smsOverrideCost(name as SmsTemplate, text, vars, senders);
      if (cost !== undefined) out.push(cost);
    }
  }
  return out;
}

/**
 * The enabled channels that send replies by SMS, as the warnings name them ("sms-gammu (gammu)"): Gammu,
 * the Android SMS gateway and Twilio, always. A Twilio channel whose `from` is a WhatsApp sender
 * (`whatsapp:+62…`) is not WhatsApp-only: a reply goes on the channel the citizen used (onWhatsApp in
 * connectors/twilio/index.ts), so a citizen who sends an SMS to that number (its SMS webhook pointing at
 * the channel: a plain `From`) is answered by SMS from the same number without `whatsapp:` — which config
 * cannot rule out; and with `smsFallbackFrom` a failed WhatsApp reply goes again by SMS from that number.
 */
function smsSenders(channels: readonly ChannelConfig[]): string[] {
  const out: string[] = [];
  for (const c of channels) {
    if (!c.enabled) continue;
    if (c.type === 'gammu' || c.type === 'android-sms-gateway') out.push(`${c.id} (${c.type})`);
    if (c.type !== 'twilio') continue;
    const from: unknown = c['from'];
    const fallback: unknown = c['smsFallbackFrom'];
    const whatsappFrom = typeof from === 'string' && /^whatsapp:/i.test(from);
    const hasFallback = typeof fallback === 'string' && fallback !== '';
    if (!whatsappFrom) out.push(`${c.id} (twilio)`);
    else out.push(`${c.id} (twilio: its answers to citizens who write to its number by SMS${hasFallback ? ', and its SMS fallback, smsFallbackFrom' : ''})`);
  }
  return out;
}

const VAR_PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Default config path: --config, then ADUAN_CONFIG, then config/aduan.yaml when it exists. */
export function resolveConfigPath(cliPath: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (cliPath !== undefined && cliPath !== '') return path.resolve(cliPath);
  const fromEnv = env['ADUAN_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') return path.resolve(fromEnv);
  const conventional = path.resolve('config/aduan.yaml');
  return existsSync(conventional) ? conventional : undefined;
}

/** Load, interpolate and validate a config file. Throws AduanError CONFIG.* naming file, line and key. */
export function loadConfigFile(file: string, options: LoadOptions = {}): LoadedConfig {
  const abs = path.resolve(file);
  if (!existsSync(abs)) throw new AduanError('CONFIG.NOT_FOUND', { file: abs });
  return loadConfigText(readFileSync(abs, 'utf8'), abs, { ...options, pathBase: options.pathBase ?? path.dirname(abs) });
}

/** Parse YAML text (from a file or embedded), interpolate `${VAR}`, validate, freeze. */
export function loadConfigText(text: string, file: string, options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = lineCounter.linePos(first.pos[0]);
    throw new AduanError('CONFIG.YAML', { file, detail: `line ${pos.line}: ${first.message.split('\n')[0]}`, line: pos.line });
  }
  const interpolated = interpolate(doc, env, file, lineCounter);
  // a value interpolated as a number or boolean where the schema wants text (a password of digits:
  // `pass: ${SMTP_PASS}`) is taken as the text it was, and the config read again
  for (;;) {
    const raw: unknown = doc.toJS() ?? {};
    const parsed = configSchema.safeParse(raw);
    if (!parsed.success) {
      if (asText(parsed.error, [], doc, interpolated)) continue;
      throw zodToConfigError(parsed.error, [], doc, lineCounter, file, configSchema);
    }
    const config = parsed.data;
    if (options.channelSchemas) {
      const channels = config.channels.map((channel, index) => validateChannel(channel, index, options.channelSchemas!, doc, lineCounter, file));
      const failed = channels.find((c): c is { error: z.ZodError; at: (string | number)[]; schema: z.ZodType } => 'error' in c);
      if (failed) {
        if (asText(failed.error, failed.at, doc, interpolated)) continue;
        throw zodToConfigError(failed.error, failed.at, doc, lineCounter, file, failed.schema);
      }
      config.channels = channels as ChannelConfig[];
    }
    if (options.pathBase) resolvePaths(config, options.pathBase, options.channelSchemas ?? {}, doc, lineCounter, file, options.cwd ?? process.cwd());
    refuseListenClashes(config, doc, lineCounter, file);
    return { file, config: deepFreeze(config), warnings: configWarnings(config) };
  }
}

/** Interpolated scalars turned into numbers or booleans get their text back where a string was expected; true when one did. */
function asText(error: z.ZodError, prefix: (string | number)[], doc: Document, interpolated: Map<Scalar, string>): boolean {
  let changed = false;
  for (const issue of error.issues) {
    if (issue.code !== 'invalid_type' || issue.expected !== 'string') continue;
    const node = doc.getIn([...prefix, ...issue.path] as (string | number)[], true);
    if (isScalar(node) && interpolated.has(node) && typeof node.value !== 'string') {
      node.value = interpolated.get(node)!;
      changed = true;
    }
  }
  return changed;
}

function validateChannel(
  channel: ChannelConfig, index: number, schemas: ChannelSchemas, doc: Document, lc: LineCounter, file: string,
): ChannelConfig | { error: z.ZodError; at: (string | number)[]; schema: z.ZodType } {
  const schema = schemas[channel.type];
  const at = ['channels', index];
  if (!schema) {
    const line = lineOf(doc, lc, [...at, 'type']);
    throw new AduanError('CONFIG.INVALID', {
      file, line, key: `channels[${index}].type`,
      detail: `line ${line}, key channels[${index}].type: unknown channel type "${channel.type}"; expected one of ${Object.keys(schemas).join(', ')}`,
    });
  }
  const result = schema.safeParse(channel);
  if (!result.success) return { error: result.error, at, schema };
  return result.data as ChannelConfig;
}

/** `channels[0].imap.auth.pass`: where a scalar stands, from the visitor's ancestors. */
function keyOf(ancestors: readonly unknown[], node: unknown): string {
  let key = '';
  ancestors.forEach((a, i) => {
    if (isPair(a)) {
      const k = isScalar(a.key) ? String(a.key.value) : String(a.key);
      if ((ancestors[i + 1] ?? node) !== a.key) key += key === '' ? k : `.${k}`;
    } else if (isSeq(a)) {
      key += `[${a.items.indexOf((ancestors[i + 1] ?? node) as never)}]`;
    }
  });
  return key === '' ? '(top level)' : key;
}

/** Replace ${VAR} in every scalar; returns the scalars made numbers or booleans, with their text. */
function interpolate(doc: Document, env: NodeJS.ProcessEnv, file: string, lc: LineCounter): Map<Scalar, string> {
  const retyped = new Map<Scalar, string>();
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      const original = node.value;
      node.value = original.replace(VAR_PATTERN, (_whole, name: string, fallback: string | undefined) => {
        const direct = env[name];
        if (direct !== undefined && direct !== '') return direct;
        const fileRef = env[`${name}_FILE`];
        if (fileRef !== undefined && fileRef !== '') {
          try {
            return readFileSync(fileRef, 'utf8').replace(/\r?\n$/, '');
          } catch (err) {
            const line = node.range ? lc.linePos(node.range[0]).line : 0;
            throw new AduanError('CONFIG.INVALID', {
              file, line, detail: `line ${line}: ${name}_FILE points to ${fileRef}, which cannot be read (${(err as Error).message})`,
            });
          }
        }
        if (fallback !== undefined) return fallback;
        const line = node.range ? lc.linePos(node.range[0]).line : 0;
        throw new AduanError('CONFIG.ENV_MISSING', { file, name, line, key: keyOf(ancestors, node) });
      });
      // Interpolated numbers and booleans keep their YAML meaning: `port: ${PORT:-8080}` is a number.
      if (node.value !== original && node.type === 'PLAIN') {
        const v = node.value as string;
        if (/^-?\d+(\.\d+)?$/.test(v)) node.value = Number(v);
        else if (v === 'true' || v === 'false') node.value = v === 'true';
        if (typeof node.value !== 'string') retyped.set(node, v);
      }
    },
  });
  return retyped;
}

/**
 * Make every relative path the YAML writes absolute, read from `base` (the config file's folder). One
 * that meant an existing file or folder from the working directory, while the new one does not exist,
 * is refused: an upgraded install would otherwise start on an empty database or an empty spool.
 */
function resolvePaths(config: AduanConfig, base: string, schemas: ChannelSchemas, doc: Document, lc: LineCounter, file: string, cwd: string): void {
  const keys: (string | number)[][] = pathKeysOf(configSchema);
  config.channels.forEach((c, i) => {
    const schema = schemas[c.type];
    if (schema) for (const k of pathKeysOf(schema)) keys.push(['channels', i, ...k]);
  });
  for (const at of keys) {
    if (!doc.hasIn(at)) continue; // a default: read from the working directory, as always
    const parent = at.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], config) as Record<string | number, unknown> | undefined;
    const value = parent?.[at[at.length - 1]!];
    if (typeof value !== 'string') continue;
    const r = resolveAgainst(value, base, cwd);
    if (!r) continue;
    if (r.moved !== undefined) {
      const line = lineOf(doc, lc, at);
      const key = formatPath(at);
      throw new AduanError('CONFIG.INVALID', {
        file, line, key,
        detail: `line ${line}, key ${key}: the relative path "${value}" is read from the config file's folder, ${base}: ${r.resolved}, which does not exist; `
          + `but ${r.moved} (read from the working directory, ${cwd}, as before) does. Write the path you mean absolute, e.g. ${r.moved}, or relative to ${base}`,
      });
    }
    parent![at[at.length - 1]!] = r.resolved;
  }
}

/** Two channels (or a channel and the admin API) on one host:port: one process would exit with EADDRINUSE at start. */
function refuseListenClashes(config: AduanConfig, doc: Document, lc: LineCounter, file: string): void {
  const clashes = listenClashes(listenersOf(config));
  if (clashes.length === 0) return;
  const lines = clashes.slice(0, 5).map(([a, b]) => {
    const key = formatPath([...b.at, 'port']);
    const line = lineOf(doc, lc, [...b.at, 'port']);
    const where = (l: typeof a): string => `${l.host}:${l.port}`;
    const same = a.host === b.host ? `both listen on ${where(b)}` : `listen on ${where(b)} and ${where(a)}, which overlap`;
    return {
      line, key,
      text: `line ${line}, key ${key}: ${b.what} and ${a.what} (${formatPath([...a.at, 'port'])}, line ${lineOf(doc, lc, [...a.at, 'port'])}) ${same}; `
        + 'each runs its own server, so one of them would fail to start (EADDRINUSE): give one of them another port',
    };
  });
  throw new AduanError('CONFIG.INVALID', { file, line: lines[0]!.line, key: lines[0]!.key, detail: lines.map((l) => l.text).join('; ') });
}

function zodToConfigError(error: z.ZodError, prefix: (string | number)[], doc: Document, lc: LineCounter, file: string, schema: z.ZodType): AduanError {
  const lines = error.issues.flatMap((issue) => {
    const at = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    // a misspelt key: its own line and name (not its parent's), and the key it most likely means
    if (issue.code === 'unrecognized_keys') {
      const known = keysAt(schema, issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)));
      return issue.keys.map((key) => ({ keyPath: [...at, key], message: `unknown key "${key}"${knownKeysHint(key, known)}` }));
    }
    // a required key left out: say so, rather than zod's "Invalid input: expected string, received undefined"
    if (at.length > 0 && !doc.hasIn(at)) {
      const what = /^Invalid input/.test(issue.message) ? '' : `: ${issue.message}`;
      return [{ keyPath: at, message: `missing — this key is required${what}` }];
    }
    return [{ keyPath: at, message: issue.message }];
  }).slice(0, 5).map(({ keyPath, message }) => ({ line: lineOf(doc, lc, keyPath), key: formatPath(keyPath), message }));
  const first = lines[0]!;
  const detail = lines.map((l) => `line ${l.line}, key ${l.key || '(top level)'}: ${l.message}`).join('; ');
  return new AduanError('CONFIG.INVALID', { file, line: first.line, key: first.key, detail });
}

/** The keys a (zod 4) object schema takes at a path of the value it validates; [] where that is no object. */
function keysAt(schema: z.ZodType, keyPath: readonly (string | number)[]): string[] {
  type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType; options?: z.ZodType[] };
  const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
  const unwrap = (s: z.ZodType): z.ZodType[] => {
    const d = defOf(s);
    if (d.innerType) return unwrap(d.innerType);
    if (d.type === 'pipe' && d.in) return unwrap(d.in);
    if (d.type === 'union' && d.options) return d.options.flatMap(unwrap);
    return [s];
  };
  let at = unwrap(schema);
  for (const part of keyPath) {
    at = at.flatMap((s) => {
      const d = defOf(s);
      if (typeof part === 'number') return d.type === 'array' && d.element ? unwrap(d.element) : [];
      return d.type === 'object' && d.shape?.[part] ? unwrap(d.shape[part]) : [];
    });
  }
  return [...new Set(at.flatMap((s) => {
    const d = defOf(s);
    return d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
  }))];
}

/** "; did you mean "casePrefix"?" for a key a letter or two off a known one, else the known keys there. */
function knownKeysHint(key: string, known: readonly string[]): string {
  if (known.length === 0) return '';
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diag = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const up = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
        diag = up;
      }
    }
    return row[b.length]!;
  };
  const scored = known.map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) })).sort((a, b) => a.d - b.d);
  const best = scored[0]!;
  if (best.d <= Math.max(2, Math.floor(best.k.length / 4))) return `; did you mean "${best.k}"?`;
  // (cut short: "rejectUnauth" for rejectUnauthorized)
  const longer = key.length >= 4 ? known.filter((k) => k.toLowerCase().startsWith(key.toLowerCase())) : [];
  if (longer.length === 1) return `; did you mean "${longer[0]!}"?`;
  return `; known keys here: ${known.join(', ')}`;
}

/** Line of the deepest existing node on the path — a key's own line, also when its value begins below it (a missing key reports its parent's line). */
function lineOf(doc: Document, lc: LineCounter, keyPath: (string | number)[]): number {
  for (let n = keyPath.length; n >= 0; n--) {
    const parent = n > 0 ? doc.getIn(keyPath.slice(0, n - 1), true) : undefined;
    const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === keyPath[n - 1]) : undefined;
    if (pair && isScalar(pair.key) && pair.key.range) return lc.linePos(pair.key.range[0]).line;
    const node = doc.getIn(keyPath.slice(0, n), true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) {
      return lc.linePos(node.range[0]).line;
    }
    if (n === 0) break;
  }
  return 1;
}

function formatPath(keyPath: (string | number)[]): string {
  return keyPath.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

