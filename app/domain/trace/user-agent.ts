/** Coarse browser family for analytics; never the full user-agent string. */
export function userAgentFamily(ua: string | null): string {
  if (!ua) return "unknown";
  if (/Zalo/i.test(ua)) return "zalo";
  if (/FBAN|FBAV|FB_IAB/i.test(ua)) return "facebook";
  if (/CocCoc/i.test(ua)) return "coccoc";
  if (/SamsungBrowser/i.test(ua)) return "samsung";
  if (/Edg\//.test(ua)) return "edge";
  if (/Firefox\//.test(ua)) return "firefox";
  if (/Chrome\/|CriOS/.test(ua)) return "chrome";
  if (/Safari\//.test(ua)) return "safari";
  return "other";
}
