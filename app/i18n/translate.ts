import { messages, type MessageKey } from "./messages";
import type { Locale } from "./locale";

export type Translate = (key: MessageKey | string, params?: Record<string, string | number>) => string;

/**
 * Looks a key up in the locale's messages and fills {placeholders}.
 * Field errors arrive as "key|param" (see lib/form.ts): the param fills {n}, a second one {m}.
 */
export function translator(locale: Locale): Translate {
  const dict = messages[locale] as Record<string, string>;
  return (rawKey, params) => {
    const [key, inline, second] = rawKey.split("|", 3) as [string, string | undefined, string | undefined];
    const template = dict[key] ?? (messages.vi as Record<string, string>)[key] ?? key;
    const values: Record<string, string | number> = { ...(inline !== undefined ? { n: inline } : {}), ...(second !== undefined ? { m: second } : {}), ...params };
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m));
  };
}
