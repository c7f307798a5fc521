import canonicalize from "canonicalize";

/** JSON in its one canonical form (RFC 8785): what log leaves and signatures are made over. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("log record cannot be serialised");
  return text;
}
