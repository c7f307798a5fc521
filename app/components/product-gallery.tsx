import { ProductPhoto, ResponsivePhoto, type PhotoData } from "~/components/product-photo";

/**
 * The product page's photos: the first large and fetched first (the page's LCP), the others as
 * thumbnails in a row that scrolls sideways, each a link to its large file (works without JavaScript).
 */
export function ProductGallery({ images, name }: { images: (PhotoData & { width: number; height: number })[]; name: string }) {
  const [main, ...others] = images;
  if (!main) return null;
  return (
    <div className="mb-3">
      <ProductPhoto {...main} alt={name} className="h-auto w-full max-w-xl rounded-lg bg-stone-100" />
      {others.length > 0 ? (
        <ul className="mt-2 flex gap-2 overflow-x-auto">
          {others.map((img) => (
            <li key={img.storageKey} className="shrink-0">
              <a href={`/media/${img.storageKey}-1024.webp`}>
                <ResponsivePhoto
                  photo={img}
                  alt={name}
                  sizes="96px"
                  width={96}
                  height={96}
                  loading="lazy"
                  className="h-24 w-24 rounded bg-stone-100 object-cover"
                />
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
