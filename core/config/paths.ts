// Path-valued config keys (database.path, storage.dir, Gammu's spool folders, caFile …): which they
// are, and how a relative one in a config file is read — from the file's folder, not from whatever
// directory a process happens to run in (`aduan …` from another directory, PM2 started elsewhere).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

const FS_PATHS = new WeakSet<z.ZodType>();

/** Mark a string schema as a file or folder path (wrap before `.optional()` / `.default()`). */
export function fsPath<T extends z.ZodType>(schema: T): T {
  FS_PATHS.add(schema);
  return schema;
}

interface Def { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; in?: z.ZodType }

/** Key paths of every value marked with fsPath in an object schema (nested objects included). */
export function pathKeysOf(schema: z.ZodType): string[][] {
  const out: string[][] = [];
  const walk = (s: z.ZodType, at: string[]): void => {
    if (FS_PATHS.has(s)) {
      out.push(at);
      return;
    }
    const def = (s as unknown as { _zod: { def: Def } })._zod.def;
    if (def.type === 'object' && def.shape) for (const [k, v] of Object.entries(def.shape)) walk(v, [...at, k]);
    else if (def.innerType) walk(def.innerType, at);
    else if (def.type === 'pipe' && def.in) walk(def.in, at);
  };
  walk(schema, []);
  return out;
}

/** Values that name no file: SQLite's in-memory database and URIs. */
function isPathLike(value: string): boolean {
  return value !== ':memory:' && !value.startsWith('file:');
}

/**
 * Resolve a relative path value against `base`. Returns undefined for absolute values and values that
 * are no file path. `moved` is set when the value used to mean another, existing file or folder (read
 * from the working directory `cwd`) while the one it names now does not exist: an install upgraded
 * with `./data/aduan.db` in config/aduan.yaml would otherwise start on a new, empty database.
 */
export function resolveAgainst(value: string, base: string, cwd: string): { resolved: string; moved?: string } | undefined {
  if (!isPathLike(value) || path.isAbsolute(value)) return undefined;
  const resolved = path.resolve(base, value);
  const before = path.resolve(cwd, value);
  if (before !== resolved && !existsSync(resolved) && existsSync(before)) return { resolved, moved: before };
  return { resolved };
}
