// The shape of a trace code, shared by the generator (server) and the scanner (browser):
// 18 symbols from a 31-letter alphabet without look-alikes (no 0/O, 1/I/L).
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const CODE_LENGTH = 18;
export const CODE_PATTERN = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);
