// A product's main photo at the width the screen needs (the 320/640/1024 WebP variants
// the upload module makes).
export function ProductPhoto({
  storageKey,
  alt,
  className,
  lazy = false,
}: {
  storageKey: string;
  alt: string;
  className: string;
  lazy?: boolean;
}) {
  return (
    <img
      src={`/media/${storageKey}-640.webp`}
      srcSet={`/media/${storageKey}-320.webp 320w, /media/${storageKey}-640.webp 640w, /media/${storageKey}-1024.webp 1024w`}
      sizes="(max-width: 640px) 100vw, 576px"
      alt={alt}
      loading={lazy ? "lazy" : undefined}
      className={className}
    />
  );
}
