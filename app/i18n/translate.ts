import { IntlMessageFormat } from "intl-messageformat";
import type { TYPE } from "@formatjs/icu-messageformat-parser";
import { messages } from "./messages";
import { formatDate, formatNumber, intlLocale, type Locale } from "./locale";
import { readRefusal } from "./refusal";

export type Translate = (key: string, params?: Record<string, Param>) => string;
export type Param = string | number | Date;

// Messages are ICU MessageFormat (intl-messageformat): a count next to a noun is a plural,
// "{n, plural, one {# product} other {# products}}" (Vietnamese has only `other`, so its
// counts stay plain "{n}"). Numbers come out with the locale's grouping (3.500 / 3,500):
// `#` and `{n, number}` by the library, and a number given to a plain "{name}" here.
// A refusal arrives in its text form "key|n|m" (made by `refusal`, read by `readRefusal`):
// its parameters are strings, so an argument the message declares numeric (plural, number) is read as one.

type Ast = ReturnType<IntlMessageFormat["getAst"]>;
type Element = Ast[number];

// What a plain "{name}" becomes in the compiled message, so that the same name can also be
// a plural's number: the plain one is filled with text made here, the plural with the number.
const TEXT = "text:";
const DAY = "date:";

// intl-messageformat's element types (TYPE of @formatjs/icu-messageformat-parser, its parser:
// named as types only, the parser itself is not a dependency of ours).
const ARGUMENT = 1 as TYPE.argument;
const NUMBER = 2 as TYPE.number;
const DATE = 3 as TYPE.date;
const SELECT = 5 as TYPE.select;
const PLURAL = 6 as TYPE.plural;

type Compiled = { message: IntlMessageFormat; text: Set<string>; numeric: Set<string>; choice: Set<string>; date: Set<string> };

function rewrite(elements: Ast, c: Omit<Compiled, "message">): Ast {
  return elements.map((el: Element): Element => {
    if (el.type === ARGUMENT) {
      c.text.add(el.value);
      return { ...el, value: TEXT + el.value };
    }
    // "{until, date}": the one date format of the language (formatDate), in Vietnam time.
    if (el.type === DATE) {
      c.date.add(el.value);
      return { type: ARGUMENT, value: DAY + el.value, location: el.location };
    }
    if (el.type === NUMBER || el.type === PLURAL) c.numeric.add(el.value);
    if (el.type === SELECT) c.choice.add(el.value);
    if (el.type === PLURAL || el.type === SELECT) {
      const options = Object.fromEntries(Object.entries(el.options).map(([k, o]) => [k, { ...o, value: rewrite(o.value, c) }]));
      return { ...el, options };
    }
    return el;
  });
}

/** Parses one message (throws on bad ICU syntax). Tags are text: no message carries markup. */
export function compileMessage(locale: Locale, template: string): Compiled {
  const parsed = new IntlMessageFormat(template, intlLocale[locale], undefined, { ignoreTag: true });
  const sets = { text: new Set<string>(), numeric: new Set<string>(), choice: new Set<string>(), date: new Set<string>() };
  const ast = rewrite(parsed.getAst(), sets);
  return { message: new IntlMessageFormat(ast, intlLocale[locale], undefined, { ignoreTag: true }), ...sets };
}

// A date arrives as a Date, an ISO string (loader data), or "dd/mm/yyyy" (a refusal's param).
function toDate(v: Param | undefined): Date | null {
  if (v === undefined || v === "") return null;
  if (v instanceof Date) return v;
  const dmy = typeof v === "string" ? /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v) : null;
  // A calendar day is kept as UTC midnight, which is the same day in Vietnam.
  return dmy ? new Date(Date.UTC(Number(dmy[3]), Number(dmy[2]) - 1, Number(dmy[1]))) : new Date(v);
}

/** Fills a compiled message. A missing plain "{name}" stays "{name}" (a page's script may fill it). */
export function formatMessage(locale: Locale, compiled: Compiled, values: Record<string, Param>): string {
  const filled: Record<string, string | number> = {};
  for (const name of compiled.text) {
    const v = values[name];
    filled[TEXT + name] =
      v === undefined ? `{${name}}` : typeof v === "number" ? formatNumber(locale, v) : v instanceof Date ? formatDate(locale, v) : v;
  }
  for (const name of compiled.date) {
    const d = toDate(values[name]);
    if (!d || Number.isNaN(d.getTime())) throw new Error(`missing date {${name}}`);
    filled[DAY + name] = formatDate(locale, d);
  }
  for (const name of compiled.choice) filled[name] = String(values[name] ?? "other");
  for (const name of compiled.numeric) {
    const v = values[name];
    const n = typeof v === "number" ? v : v instanceof Date ? NaN : Number(v);
    if (v === undefined || v === "" || Number.isNaN(n)) throw new Error(`missing number {${name}}`);
    filled[name] = n;
  }
  return String(compiled.message.format(filled));
}

// Each message is compiled once per process (or page load), the first time it is used.
const cache: Record<Locale, Map<string, Compiled | null>> = { vi: new Map(), en: new Map() };

export function messageFor(locale: Locale, key: string): { template: string; compiled: Compiled | null } | null {
  const template = (messages[locale] as Record<string, string>)[key] ?? (messages.vi as Record<string, string>)[key];
  if (template === undefined) return null;
  const made = cache[locale];
  let c = made.get(key);
  if (c === undefined) {
    try {
      c = compileMessage(locale, template);
    } catch (error) {
      console.error(`[i18n] ${locale} ${key}: ${String(error)}`);
      c = null;
    }
    made.set(key, c);
  }
  return { template, compiled: c };
}

export function translator(locale: Locale): Translate {
  return (keyOrRefusal, params) => {
    const { code: key, params: carried } = readRefusal(keyOrRefusal);
    const found = messageFor(locale, key);
    if (!found) return key;
    const values: Record<string, Param> = { ...carried, ...params };
    if (!found.compiled) return found.template;
    try {
      return formatMessage(locale, found.compiled, values);
    } catch (error) {
      // A caller that forgot a count: show the message's words rather than break the page.
      console.error(`[i18n] ${locale} ${key}: ${String(error)}`);
      return found.template;
    }
  };
}
