// The part of jsonld.js (no types published) the open-data tests use.
declare module "jsonld" {
  type RemoteDocument = { contextUrl: string | null; documentUrl: string; document: unknown };
  type Options = { documentLoader?: (url: string) => Promise<RemoteDocument>; safe?: boolean };
  const jsonld: {
    expand(input: unknown, options?: Options): Promise<Record<string, unknown>[]>;
  };
  export default jsonld;
}
