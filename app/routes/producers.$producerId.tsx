import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { findPublicProducer } from "~/domain/catalog/producer-page.server";
import { notFound } from "~/web/auth.server";
import { deliveryOf } from "~/domain/delivery/settings.server";
import { findProvince } from "~/domain/address/address.server";
import { Page, Card } from "~/components/layout";
import { ProductCard } from "~/components/product-card";
import { ProducerMap } from "~/components/producer-map";
import { ProducerDelivery } from "~/components/producer-delivery";
import { ProducerFeeds } from "~/components/producer-feeds";
import { ProductPhoto } from "~/components/product-photo";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate } from "~/i18n/locale";
import { producerSeo } from "~/web/page-seo.server";
import { seoMeta } from "~/components/page-seo";

// A producer's public page: approved producers only (anyone else, and any malformed id, is a 404).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const producer = await findPublicProducer(params.producerId ?? "");
  if (!producer) throw notFound();
  const delivery = (await deliveryOf([producer.id])).get(producer.id) ?? null;
  // The zones' provinces by name, for the delivery table.
  const provinceNames = Object.fromEntries(
    (delivery?.zones ?? []).flatMap((z) => z.provinceCodes).map((code) => [code, findProvince(code)?.name ?? code]),
  );
  return { producer, delivery, provinceNames, seo: await producerSeo(request, producer) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  seoMeta(data ? `${data.producer.name} · ocop-trace` : "ocop-trace", data?.seo);

export default function ProducerPage() {
  const t = useT();
  const locale = useLocale();
  const { producer, delivery, provinceNames } = useLoaderData<typeof loader>();
  const [first, ...more] = producer.images;
  return (
    <Page title={producer.name}>
      {first ? <ProductPhoto storageKey={first.storageKey} alt={producer.name} className="mb-3 h-auto w-full max-w-xl rounded-lg" /> : null}
      <Card>
        <p className="text-sm text-stone-600">{t(`producerType.${producer.type}`)}</p>
        <h2 className="mt-1 text-lg font-semibold">{t("producerPage.where")}</h2>
        <p>
          {producer.location.ward}, {producer.location.province}
        </p>
        {producer.latitude !== null && producer.longitude !== null ? (
          <ProducerMap name={producer.name} latitude={producer.latitude} longitude={producer.longitude} />
        ) : null}
      </Card>
      {producer.story ? (
        <Card>
          <h2 className="mb-1 text-lg font-semibold">{t("producerPage.story")}</h2>
          <p className="whitespace-pre-line">{producer.story}</p>
        </Card>
      ) : null}
      {more.length > 0 ? (
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t("producerPage.photos")}</h2>
          <ul className="flex gap-2 overflow-x-auto">
            {more.map((img) => (
              <li key={img.storageKey} className="shrink-0">
                <a href={`/media/${img.storageKey}-1024.webp`}>
                  <img
                    src={`/media/${img.storageKey}-320.webp`}
                    alt={producer.name}
                    loading="lazy"
                    width={128}
                    height={96}
                    className="h-24 w-32 rounded object-cover"
                  />
                </a>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("producerPage.certificates")}</h2>
        {producer.certificates.length === 0 ? (
          <p className="text-stone-700">{t("producerPage.noCertificates")}</p>
        ) : (
          <ul className="space-y-2" data-testid="producer-certificates">
            {producer.certificates.map((c) => (
              <li key={c.productId}>
                <span className="rounded bg-amber-100 px-2 py-1 font-semibold text-amber-900">{"★".repeat(c.stars)}</span>{" "}
                {t("producerPage.certificateOf", {
                  product: c.productName,
                  stars: c.stars,
                  number: c.decisionNumber,
                  date: formatDate(locale, c.validUntil),
                })}
                {c.verifiedBy && c.verifiedAt ? (
                  <span className="block text-sm text-stone-700">
                    {t("cert.verifiedBy", { office: c.verifiedBy, date: formatDate(locale, c.verifiedAt) })}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("producerPage.contact")}</h2>
        {producer.contactPhone ? (
          <p className="flex flex-wrap gap-3">
            <a href={`tel:${producer.contactPhone}`} className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline">
              {t("producerPage.call", { phone: producer.contactPhone })}
            </a>
            <a
              href={`https://zalo.me/${producer.contactPhone}`}
              rel="noopener noreferrer"
              className="rounded-md border border-brand-700 px-4 py-2 font-semibold text-brand-700 no-underline"
            >
              {t("producerPage.zalo")}
            </a>
          </p>
        ) : (
          <p className="text-stone-700">{t("producerPage.noContact")}</p>
        )}
      </Card>
      <ProducerDelivery delivery={delivery} provinceName={(code) => provinceNames[code] ?? code} />
      <ProducerFeeds producerId={producer.id} />
      <h2 className="mb-2 mt-4 text-lg font-semibold">{t("producerPage.products")}</h2>
      {producer.products.length === 0 ? <p>{t("producerPage.noProducts")}</p> : null}
      <ul className="grid gap-3 sm:grid-cols-2">
        {producer.products.map((p) => (
          <li key={p.id}>
            <ProductCard product={p} />
          </li>
        ))}
      </ul>
    </Page>
  );
}
