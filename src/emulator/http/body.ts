/**
 * Request bodies checked the way Discord reports them: every bad field at once,
 * in a 400 Invalid Form Body (50035) whose `errors` tree names each field.
 */
import { isSnowflake } from '../ids/snowflake';
import { invalidFormBody } from './apiError';

type Path = Array<string | number>;
type Problem = { path: Path; code: string; message: string };

export interface FieldRule {
  check(value: unknown, path: Path, problems: Problem[]): void;
  required?: boolean;
}

const rule = (check: FieldRule['check'], required = false): FieldRule => ({ check, required });

export const field = {
  string(opts: { min?: number; max?: number; required?: boolean; nullable?: boolean } = {}): FieldRule {
    return rule((v, path, problems) => {
      if (v === null && opts.nullable) return;
      if (typeof v !== 'string') return void problems.push({ path, code: 'BASE_TYPE_STRING', message: 'Could not interpret value as string.' });
      const n = [...v].length;
      if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max))
        problems.push({ path, code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${opts.min ?? 0} and ${opts.max ?? '∞'} in length.` });
    }, opts.required);
  },
  int(opts: { min?: number; max?: number; choices?: number[]; required?: boolean; nullable?: boolean } = {}): FieldRule {
    return rule((v, path, problems) => {
      if (v === null && opts.nullable) return;
      const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n)) return void problems.push({ path, code: 'NUMBER_TYPE_COERCE', message: `Value "${String(v)}" is not int.` });
      if (opts.choices && !opts.choices.includes(n)) return void problems.push({ path, code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${opts.choices.join(', ')}}.` });
      if (opts.min !== undefined && n < opts.min) problems.push({ path, code: 'NUMBER_TYPE_MIN', message: `int value should be greater than or equal to ${opts.min}.` });
      if (opts.max !== undefined && n > opts.max) problems.push({ path, code: 'NUMBER_TYPE_MAX', message: `int value should be less than or equal to ${opts.max}.` });
    }, opts.required);
  },
  bool(opts: { required?: boolean } = {}): FieldRule {
    return rule((v, path, problems) => {
      if (typeof v !== 'boolean') problems.push({ path, code: 'BASE_TYPE_BOOLEAN', message: 'Must be either true or false.' });
    }, opts.required);
  },
  snowflake(opts: { required?: boolean; nullable?: boolean } = {}): FieldRule {
    return rule((v, path, problems) => {
      if (v === null && opts.nullable) return;
      if ((typeof v !== 'string' && typeof v !== 'number') || !isSnowflake(String(v)))
        problems.push({ path, code: 'NUMBER_TYPE_COERCE', message: `Value "${String(v)}" is not snowflake.` });
    }, opts.required);
  },
  /** A permission bit set, as a decimal string (or number). */
  permissions(opts: { required?: boolean; nullable?: boolean } = {}): FieldRule {
    return rule((v, path, problems) => {
      if (v === null && opts.nullable) return;
      if (!/^\d+$/.test(String(v))) problems.push({ path, code: 'NUMBER_TYPE_COERCE', message: `Value "${String(v)}" is not int.` });
    }, opts.required);
  },
  array(item: FieldRule, opts: { max?: number; required?: boolean; nullable?: boolean } = {}): FieldRule {
    return rule((v, path, problems) => {
      if (v === null && opts.nullable) return;
      if (!Array.isArray(v)) return void problems.push({ path, code: 'BASE_TYPE_LIST', message: 'Must be a list.' });
      if (opts.max !== undefined && v.length > opts.max) problems.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${opts.max} or fewer in length.` });
      v.forEach((x, i) => item.check(x, [...path, i], problems));
    }, opts.required);
  },
  object(shape: Record<string, FieldRule>, opts: { required?: boolean; nullable?: boolean } = {}): FieldRule {
    return rule((v, path, problems) => {
      if (v === null && opts.nullable) return;
      checkObject(v, shape, path, problems);
    }, opts.required);
  },
  any(opts: { required?: boolean } = {}): FieldRule {
    return rule(() => undefined, opts.required);
  },
};

function checkObject(value: unknown, shape: Record<string, FieldRule>, path: Path, problems: Problem[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return void problems.push({ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
  const obj = value as Record<string, unknown>;
  for (const [key, r] of Object.entries(shape)) {
    if (obj[key] === undefined) {
      if (r.required) problems.push({ path: [...path, key], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      continue;
    }
    r.check(obj[key], [...path, key], problems);
  }
}

/** The body as an object of the given shape, or 400 50035 listing every problem. Unknown keys are ignored, as Discord does. */
export function parseBody<T = Record<string, unknown>>(body: unknown, shape: Record<string, FieldRule>): T {
  const problems: Problem[] = [];
  checkObject(body ?? {}, shape, [], problems);
  if (problems.length > 0) throw invalidFormBody(problems);
  return (body ?? {}) as T;
}

/** A JSON array body where each item has the shape. */
export function parseArrayBody<T>(body: unknown, item: Record<string, FieldRule>): T[] {
  const problems: Problem[] = [];
  if (!Array.isArray(body)) problems.push({ path: [], code: 'BASE_TYPE_LIST', message: 'Must be a list.' });
  else body.forEach((x, i) => checkObject(x, item, [i], problems));
  if (problems.length > 0) throw invalidFormBody(problems);
  return body as T[];
}
