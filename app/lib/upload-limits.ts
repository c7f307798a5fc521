// Upload limits that the phone checks before it sends and the server enforces when it reads
// (domain/files/uploads.server.ts): one source, so the two never disagree.

/** One file. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** All parts of one form together, so many 5 MB files cannot pile up in memory. */
export const MAX_FORM_BYTES = 20 * 1024 * 1024;
/** Photo types the server takes (decided there by the bytes, here by the browser's word). */
export const PHOTO_MIME_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
