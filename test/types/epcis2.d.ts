// epcis2.js ships no types; the tests use only its validator.
declare module "epcis2.js" {
  export function validateEpcisDocument(document: unknown, throwError?: boolean): { success: boolean; errors: string[] };
}
