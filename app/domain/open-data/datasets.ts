// The province's open datasets: one entry each, named the same in the catalog (data.json,
// DCAT-AP), on the /du-lieu-mo page, in the daily snapshot files and in the JSON API.
// Only public facts: no person's phone, e-mail or name beyond a producer's public page,
// no unit serials, no client keys (ADR on open data).

export const DATASET_IDS = ["producers", "products", "lots", "trace-events", "inspections", "recalls", "scan-statistics"] as const;
export type DatasetId = (typeof DATASET_IDS)[number];

export type DatasetInfo = {
  id: DatasetId;
  title: { vi: string; en: string };
  description: { vi: string; en: string };
};

export const DATASETS: Record<DatasetId, DatasetInfo> = {
  producers: {
    id: "producers",
    title: { vi: "Cơ sở sản xuất", en: "Producers" },
    description: {
      vi: "Hộ sản xuất, hợp tác xã và doanh nghiệp đã được duyệt: tên, phường/xã, tỉnh và các thông tin họ công khai.",
      en: "Approved farm households, cooperatives and companies: name, ward, province and what they publish.",
    },
  },
  products: {
    id: "products",
    title: { vi: "Sản phẩm OCOP", en: "OCOP products" },
    description: {
      vi: "Sản phẩm đang bán của các cơ sở đã duyệt, với số sao OCOP đã được cán bộ xác minh (không có sao tự khai).",
      en: "Products on sale from approved producers, with OCOP stars only where an officer verified them.",
    },
  },
  lots: {
    id: "lots",
    title: { vi: "Lô hàng", en: "Lots" },
    description: {
      vi: "Các lô của sản phẩm: mã lô, ngày sản xuất, hạn dùng, trạng thái (đang bán, tạm giữ, thu hồi).",
      en: "The lots of each product: lot code, production and expiry dates, status (on sale, held, recalled).",
    },
  },
  "trace-events": {
    id: "trace-events",
    title: { vi: "Sự kiện truy xuất", en: "Trace events" },
    description: {
      vi: "Những gì cơ sở ghi cho mỗi lô (gieo trồng, thu hoạch, đóng gói, …) với thời gian và địa điểm công khai.",
      en: "What producers recorded for each lot (planting, harvest, packing, …) with public times and places.",
    },
  },
  inspections: {
    id: "inspections",
    title: { vi: "Kiểm tra lô hàng", en: "Lot inspections" },
    description: {
      vi: "Kết luận kiểm tra của cán bộ tỉnh cho từng lô (đạt / không đạt), có chữ ký số.",
      en: "Provincial inspectors' verdicts on each lot (pass / fail), signed.",
    },
  },
  recalls: {
    id: "recalls",
    title: { vi: "Thu hồi", en: "Recalls" },
    description: {
      vi: "Các lô bị thu hồi: lý do, ngày thu hồi và việc người mua cần làm.",
      en: "Recalled lots: the reason, the date and what buyers should do.",
    },
  },
  "scan-statistics": {
    id: "scan-statistics",
    title: { vi: "Thống kê lượt quét", en: "Scan statistics" },
    description: {
      vi: "Số lượt quét mã QR theo tỉnh và theo ngày; số nhỏ được ẩn, không có dữ liệu cá nhân.",
      en: "QR scans per province and day; small counts suppressed, no personal data.",
    },
  },
};
