import type { vi, MessageKey } from "./messages";

// A refusal is a message key with its parameters, made in the domain, passed on by the route
// and worded by the translator in the reader's language. Its parameters are the message's
// {n} and {m}: the type reads them off the Vietnamese text, so a key that does not exist, a
// missing parameter or one too many is a type error where the refusal is made.
//
// On the wire (action replies, JSON answers, domain results) a refusal travels as its text
// form "key|n|m". That form is written by `refusal` and read back by `readRefusal`, here and
// nowhere else.

export type RefusalParam = string | number;

type Template<K extends MessageKey> = (typeof vi)[K];
type Uses<T extends string, Name extends string> = T extends `${string}{${Name}}${string}` | `${string}{${Name},${string}` ? true : false;

/** The parameters a message takes after its key: none, {n}, or {n} and {m}. */
type Args<K extends MessageKey> =
  Uses<Template<K>, "m"> extends true
    ? [params: { n: RefusalParam; m: RefusalParam }]
    : Uses<Template<K>, "n"> extends true
      ? [params: { n: RefusalParam }]
      : [];

declare const refused: unique symbol;
/** A refusal in its text form, only ever made by `refusal` (the brand keeps hand-made strings out of types that say Refused). */
export type Refused = string & { readonly [refused]: true };

/** Makes a refusal: `refusal("checkout.onlyLeft", { n: name, m: left })`. */
export function refusal<K extends MessageKey>(code: K, ...[params]: Args<K>): Refused {
  const given = params as { n?: RefusalParam; m?: RefusalParam } | undefined;
  const text = given?.n === undefined ? code : given.m === undefined ? `${code}|${given.n}` : `${code}|${given.n}|${given.m}`;
  return text as Refused;
}

/** Reads a refusal's text form back into its key and parameters (a plain key has none). */
export function readRefusal(text: string): { code: string; params: { n?: string; m?: string } } {
  const [code, n, m] = text.split("|", 3) as [string, string | undefined, string | undefined];
  return { code, params: { ...(n !== undefined ? { n } : {}), ...(m !== undefined ? { m } : {}) } };
}
