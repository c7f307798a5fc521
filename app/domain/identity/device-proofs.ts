// What a browser's signed cookies prove, as the domain sees them once app/web has read and
// checked them. They grant nothing by themselves: they only choose which allowance a
// guess is counted on.

/** A random device id and the newest few ids this device was given (codes it asked for, units it scanned). */
export type SignedList = { device: string; ids: string[] };

/** A phone that has logged in before: its id and the accounts it logged in to. */
export type KnownDevice = { id: string; users: string[] };
