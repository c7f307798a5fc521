/**
 * Every value of a schema enum, for modules that also run in the browser: importing the
 * enum's value from @prisma/client there ships its browser runtime (about 50 kB) to each
 * page that uses it. The type argument is the generated enum type, so the compiler checks
 * that the record names each value once and nothing else; the list keeps the record's order.
 */
export function enumValues<T extends string>(all: Record<T, true>): [T, ...T[]] {
  return Object.keys(all) as [T, ...T[]];
}
