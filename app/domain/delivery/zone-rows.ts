/** Rows the delivery settings form offers: enough for "Nội tỉnh", a few regions and the rest. */
export const ZONE_ROWS = 5;
