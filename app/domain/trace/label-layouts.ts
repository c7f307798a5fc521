// Label sheet layouts, shared by the print form (browser) and the PDF renderer (server).
const MM = 72 / 25.4;

export const SHEET_LAYOUTS = {
  A4_24: { cols: 3, rows: 8, labelW: 70 * MM, labelH: 37 * MM, thermal: false },
  A4_40: { cols: 4, rows: 10, labelW: 52.5 * MM, labelH: 29.7 * MM, thermal: false },
  A4_65: { cols: 5, rows: 13, labelW: 38.1 * MM, labelH: 21.2 * MM, thermal: false },
  THERMAL_50x30: { cols: 1, rows: 1, labelW: 50 * MM, labelH: 30 * MM, thermal: true },
} as const;
export type SheetLayout = keyof typeof SHEET_LAYOUTS;
export const SHEET_LAYOUT_NAMES = Object.keys(SHEET_LAYOUTS) as SheetLayout[];
