import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { prisma } from "~/db.server";
import { forbidden, requireProducerMember } from "~/web/auth.server";
import { removeHelper } from "~/domain/identity/helper-membership.server";
import { Page, Card } from "~/components/layout";
import { useT } from "~/i18n/use-t";
import { formText } from "~/domain/input/fields";

export async function loader({ request }: LoaderFunctionArgs) {
  const { producer, membership } = await requireProducerMember(request);
  const helpers = await prisma.producerMember.findMany({
    where: { producerId: producer.id, role: "HELPER" },
    select: { userId: true, user: { select: { name: true, phone: true } } },
  });
  return { isOwner: membership.role === "OWNER", helpers };
}

export async function action({ request }: ActionFunctionArgs) {
  const { producer, user, membership } = await requireProducerMember(request);
  if (membership.role !== "OWNER") throw forbidden();
  const helperId = formText(await request.formData(), "helperId");
  const removed = await removeHelper(user.id, producer.id, helperId);
  return data({ removed }, { status: removed ? 200 : 404 });
}

export default function ProducerHelpers() {
  const t = useT();
  const { isOwner, helpers } = useLoaderData<typeof loader>();
  return (
    <Page title={t("helpers.title")}>
      {helpers.length === 0 ? <p>{t("helpers.none")}</p> : null}
      <ul>
        {helpers.map((h) => (
          <li key={h.userId}>
            <Card>
              <p className="font-semibold">{h.user.name}</p>
              <p className="text-sm">{h.user.phone}</p>
              {isOwner ? (
                <Form method="post" className="mt-2">
                  <input type="hidden" name="helperId" value={h.userId} />
                  <button type="submit" className="rounded-md border border-red-700 px-3 py-2 font-semibold text-red-700">
                    {t("helpers.remove")}
                  </button>
                </Form>
              ) : null}
            </Card>
          </li>
        ))}
      </ul>
    </Page>
  );
}
