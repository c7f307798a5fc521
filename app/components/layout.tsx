import { Form as RemixForm, Link as RemixLink } from "@remix-run/react";
import type { ComponentProps, ReactNode } from "react";
import type { Role } from "@prisma/client";
import { useLocale, useT } from "~/i18n/use-t";

type HeaderUser = { name: string; roles: Role[] } | null;

// Plain <a>/<form> for pages rendered outside Remix (the scan page): without JavaScript
// they behave exactly like Link and Form, which need Remix's router around them.
const PlainLink = ({ to, children, ...rest }: { to: string } & Omit<ComponentProps<"a">, "href">) => (
  <a href={to} {...rest}>
    {children}
  </a>
);
const PlainForm = (props: ComponentProps<"form">) => <form {...props} />;
// The same markup as Remix's Link and Form, byte for byte, without the router: the header the
// server writes into a kept shop page (web/viewer-header.server.tsx), which the browser hydrates.
const StaticRemixLink = ({ to, children, ...rest }: { to: string } & Omit<ComponentProps<"a">, "href">) => (
  <a {...rest} data-discover="true" href={to}>
    {children}
  </a>
);
const StaticRemixForm = (props: ComponentProps<"form">) => <form {...props} data-discover="true" />;

/** The site's header; `here` is the current path + query (where the language switch returns to). */
export function SiteHeader({
  user,
  cartItems,
  here,
  plain = false,
  staticRemix = false,
}: {
  user: HeaderUser;
  cartItems: number;
  here: string;
  plain?: boolean;
  staticRemix?: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const Link = plain ? PlainLink : staticRemix ? StaticRemixLink : RemixLink;
  const Form = plain ? PlainForm : staticRemix ? StaticRemixForm : RemixForm;
  return (
    <header className="border-b border-stone-200 bg-white print:hidden">
      <div className="mx-auto flex max-w-4xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link to="/" className="text-lg font-bold text-brand-700 no-underline">
          ocop-trace
        </Link>
        <nav aria-label={t("nav.main")} className="flex flex-wrap items-center gap-3 text-sm">
          <Link to="/products">{t("nav.products")}</Link>
          <Link to="/scan">{t("nav.scan")}</Link>
          <Link to="/cart">{t("nav.cart", { n: cartItems })}</Link>
          {user ? <Link to="/orders">{t("nav.orders")}</Link> : <Link to="/orders/lookup">{t("nav.lookup")}</Link>}
          {user?.roles.includes("PRODUCER") ? <Link to="/producer">{t("nav.producer")}</Link> : null}
          {user?.roles.includes("HELPER") ? <Link to="/helper">{t("nav.helper")}</Link> : null}
          {user?.roles.includes("INSPECTOR") ? <Link to="/inspector">{t("nav.inspector")}</Link> : null}
          {user?.roles.includes("OCOP_OFFICER") ? <Link to="/officer">{t("nav.officer")}</Link> : null}
          {user?.roles.includes("ADMIN") ? <Link to="/admin">{t("nav.admin")}</Link> : null}
        </nav>
        <div className="ml-auto flex flex-wrap items-center gap-3 text-sm">
          <Form method="post" action="/locale" className="flex items-center gap-1">
            <input type="hidden" name="redirectTo" value={here} />
            <span className="sr-only">{t("nav.language")}</span>
            <button
              type="submit"
              name="locale"
              value="vi"
              aria-pressed={locale === "vi"}
              className={locale === "vi" ? "font-bold" : "underline"}
            >
              Tiếng Việt
            </button>
            <span aria-hidden="true">·</span>
            <button
              type="submit"
              name="locale"
              value="en"
              aria-pressed={locale === "en"}
              className={locale === "en" ? "font-bold" : "underline"}
            >
              English
            </button>
          </Form>
          {user ? (
            <Form method="post" action="/logout" className="flex items-center gap-2">
              <span className="text-stone-600">{user.name}</span>
              <button type="submit" className="underline">
                {t("nav.logout")}
              </button>
            </Form>
          ) : (
            <>
              <Link to="/login">{t("nav.login")}</Link>
              <Link to="/signup">{t("nav.signup")}</Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

export function Page({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="mx-auto max-w-4xl px-4 py-6">
      <h1 className="mb-4 text-2xl font-bold">{title}</h1>
      {children}
    </main>
  );
}

export function Card({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <section className={`mb-4 rounded-lg border border-stone-200 bg-white p-4 ${className}`}>{children}</section>;
}
