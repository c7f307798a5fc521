import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { prisma } from "~/db.server";
import { notFound } from "~/web/auth.server";
import { describeLocation } from "~/domain/address/address.server";
import { Card } from "~/components/layout";
import { TraceProblem } from "~/components/trace-page";
import { useT } from "~/i18n/use-t";
import { linksetLinkHeader } from "~/web/gs1-resolver.server";

// GS1 Digital Link product level (/01/{gtin14}): where a lot that is not on file falls back to.
// Its resolver answers (linkType, linksets) are the server's, before Remix (server-services.server.ts).
export async function loader({ params }: LoaderFunctionArgs) {
  const gtin = params.gtin ?? "";
  // Only digits are ever a GTIN (a NUL in the path would fail in PostgreSQL).
  if (!/^\d{8,14}$/.test(gtin)) throw notFound();
  const product = await prisma.product.findUnique({
    where: { gtin },
    select: {
      name: true,
      description: true,
      ocopGroup: true,
      producer: { select: { name: true, type: true, wardCode: true, provinceCode: true, status: true } },
    },
  });
  if (!product || product.producer.status !== "APPROVED") throw notFound();
  return data(
    { product, location: describeLocation(product.producer.wardCode, product.producer.provinceCode) },
    { headers: { Link: linksetLinkHeader(`/01/${gtin}`) } },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const link = loaderHeaders.get("Link");
  const out = new Headers();
  if (link) out.set("Link", link);
  return out;
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.product.name} · ocop-trace` : "ocop-trace" }];

export default function Gs1Product() {
  const t = useT();
  const { product, location } = useLoaderData<typeof loader>();
  return (
    <main className="mx-auto max-w-xl px-4 py-4">
      <p className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3" role="status">
        {t("trace.lotUnknown")}
      </p>
      <Card>
        <p className="text-sm text-stone-600">{t(`ocop.group.${product.ocopGroup}`)}</p>
        <h1 className="text-2xl font-bold">{product.name}</h1>
        {product.description ? <p className="mt-2">{product.description}</p> : null}
      </Card>
      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("trace.producer")}</h2>
        <p className="font-semibold">{product.producer.name}</p>
        <p>
          {location.ward}, {location.province}
        </p>
      </Card>
    </main>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  return <TraceProblem unknown={isRouteErrorResponse(error) && error.status === 404} />;
}
