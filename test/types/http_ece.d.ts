// http_ece (Encrypted Content-Encoding for HTTP, RFC 8188; web-push's encryption) ships no
// types: what the tests use of it.
declare module "http_ece" {
  import type { ECDH } from "node:crypto";
  type Params = {
    version?: "aes128gcm" | "aesgcm";
    privateKey?: ECDH;
    dh?: string | Buffer;
    salt?: string | Buffer;
    authSecret?: string | Buffer;
    keyid?: string;
    rs?: number;
    pad?: number;
  };
  export function encrypt(buffer: Buffer, params: Params): Buffer;
  export function decrypt(buffer: Buffer, params: Params): Buffer;
}
