// A product photo as a responsive <picture>: AVIF at the small widths where the upload made it
// (photos stored before AVIF have WebP only), WebP at 320/640/1024, width/height set so nothing
// shifts while it loads. Widths and formats: app/domain/files/uploads.server.ts (IMAGE_WIDTHS, AVIF_WIDTHS).

export type PhotoData = { storageKey: string; width?: number; height?: number; hasAvif?: boolean };

const media = (key: string, width: number, format: "webp" | "avif") => `/media/${key}-${width}.${format}`;

function webpSet(key: string): string {
  return [320, 640, 1024].map((w) => `${media(key, w, "webp")} ${w}w`).join(", ");
}

/** AVIF where it was made; the largest width stays WebP (too slow to encode as AVIF on upload), every AVIF browser reads both. */
function avifSet(key: string): string {
  return `${media(key, 320, "avif")} 320w, ${media(key, 640, "avif")} 640w, ${media(key, 1024, "webp")} 1024w`;
}

/**
 * Loading: "lazy" below the fold; "eager" for what shows on arrival, and "priority" for the
 * page's largest image (its LCP), fetched before the rest.
 */
export type PhotoLoading = "lazy" | "eager" | "priority";

export function ResponsivePhoto({
  photo,
  alt,
  sizes,
  width,
  height,
  loading,
  className,
}: {
  photo: PhotoData;
  alt: string;
  /** The CSS width the image takes, for the browser to pick a file before layout. */
  sizes: string;
  /** The intrinsic ratio (width/height attributes): the photo's own, or the box a cropped photo fills. */
  width: number;
  height: number;
  loading: PhotoLoading;
  className: string;
}) {
  const key = photo.storageKey;
  // Lower-case: React 18 passes it through as written (its camel-case prop is React 19's).
  const priority = loading === "priority" ? { fetchpriority: "high" } : {};
  return (
    <picture>
      {photo.hasAvif ? <source type="image/avif" srcSet={avifSet(key)} sizes={sizes} /> : null}
      <source type="image/webp" srcSet={webpSet(key)} sizes={sizes} />
      <img
        src={media(key, 640, "webp")}
        alt={alt}
        width={width}
        height={height}
        loading={loading === "lazy" ? "lazy" : "eager"}
        decoding={loading === "lazy" ? "async" : undefined}
        {...priority}
        className={className}
      />
    </picture>
  );
}

/** A product's main photo, full width on a phone and at most 576 px wide on a larger screen. */
export function ProductPhoto({
  storageKey,
  width,
  height,
  hasAvif,
  alt,
  className,
  lazy = false,
}: PhotoData & {
  alt: string;
  className: string;
  lazy?: boolean;
}) {
  return (
    <ResponsivePhoto
      photo={{ storageKey, hasAvif }}
      alt={alt}
      sizes="(max-width: 640px) calc(100vw - 2rem), 576px"
      // A photo stored without its size (none are, today) is shown square until it loads.
      width={width ?? 1024}
      height={height ?? 1024}
      loading={lazy ? "lazy" : "priority"}
      className={className}
    />
  );
}
