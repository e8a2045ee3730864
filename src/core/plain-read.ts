// Reading untrusted values (storage) into typed ones, with no schema library: these readers are on the
// popup's first paint, where every kilobyte is felt (a schema library would weigh more than all of
// them). A reader answers the value, or INVALID; composite readers reject the whole when a part fails.
// The feed protocol, shared with the server, keeps its valibot schemas (src/shared/feed.ts).

export const INVALID: unique symbol = Symbol('invalid');
export type Read<T> = (raw: unknown) => T | typeof INVALID;

export const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

export const num: Read<number> = (x) => (typeof x === 'number' && !Number.isNaN(x) ? x : INVALID);
export const str: Read<string> = (x) => (typeof x === 'string' ? x : INVALID);
export const bool: Read<boolean> = (x) => (typeof x === 'boolean' ? x : INVALID);

/** A whole number from `min` to `max`. */
export const int =
  (min: number, max: number): Read<number> =>
  (x) =>
    Number.isInteger(x) && (x as number) >= min && (x as number) <= max ? (x as number) : INVALID;

export const oneOf =
  <T extends string>(values: readonly T[]): Read<T> =>
  (x) =>
    (values as readonly unknown[]).includes(x) ? (x as T) : INVALID;

export const nullable =
  <T>(read: Read<T>): Read<T | null> =>
  (x) =>
    x === null ? null : read(x);

/** Absent (undefined) reads as `fallback`; anything else must read. */
export const optional =
  <T, F>(read: Read<T>, fallback: F): Read<T | F> =>
  (x) =>
    x === undefined ? fallback : read(x);

/** Every element must read. */
export const listOf =
  <T>(read: Read<T>): Read<T[]> =>
  (x) => {
    if (!Array.isArray(x)) return INVALID;
    const out: T[] = [];
    for (const e of x) {
      const v = read(e);
      if (v === INVALID) return INVALID;
      out.push(v);
    }
    return out;
  };

type Shape = Record<string, Read<unknown>>;
type Output<S extends Shape> = { -readonly [K in keyof S]: Exclude<ReturnType<S[K]>, typeof INVALID> };

/** An object with these keys (others are dropped, and so are optional ones that are absent), each reading. */
export const objectOf =
  <S extends Shape>(shape: S): Read<Output<S>> =>
  (x) => {
    if (!isRecord(x)) return INVALID;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) {
      const v = (shape[key] as Read<unknown>)(x[key]);
      if (v === INVALID) return INVALID;
      if (v !== undefined) out[key] = v;
    }
    return out as Output<S>;
  };
