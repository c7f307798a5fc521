// The storefront's national-scale catalog (6,500 producers, 16,000 products over every
// province, straight through `pg`), shared by bench/search and bench/feeds.
import crypto from "node:crypto";
import pg from "pg";
import { ADDRESS_DATA_VERSION, listProvinces, listWards, type Ward } from "../../app/domain/address/address.server";
import { productSearchText } from "../../app/domain/catalog/search";
import { PRODUCT_UNITS } from "../../app/domain/catalog/ocop";

// Deterministic data: the same names on every run, so numbers compare between runs.
let state = 0x9e3779b9;
function random(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const chance = (p: number) => random() < p;

// What OCOP products are called, by group (1 food … 6 tourism).
const PRODUCT_NAMES: Record<number, string[]> = {
  1: [
    "Nước mắm cá cơm",
    "Nước mắm Phú Quốc",
    "Nước mắm nhĩ",
    "Nước mắm truyền thống",
    "Mắm tôm",
    "Mắm ruốc",
    "Mắm tép chua",
    "Gạo ST25",
    "Gạo nếp cái hoa vàng",
    "Gạo lứt đỏ",
    "Mật ong rừng",
    "Mật ong hoa nhãn",
    "Bánh pía",
    "Bánh đậu xanh",
    "Bánh tráng nướng",
    "Kẹo dừa",
    "Chả cá",
    "Giò lụa",
    "Lạp xưởng",
    "Tương ớt",
    "Tương bần",
    "Miến dong",
    "Bún khô",
    "Hạt điều rang muối",
    "Tỏi cô đơn",
    "Hành tím",
    "Nem chua",
    "Mứt gừng",
    "Khô cá dứa",
    "Tôm khô",
    "Chuối sấy",
    "Xoài sấy dẻo",
    "Thịt trâu gác bếp",
    "Măng khô",
    "Nấm hương",
    "Bưởi da xanh",
    "Cam sành",
    "Vải thiều",
    "Nhãn lồng",
    "Thanh long ruột đỏ",
    "Sầu riêng Ri6",
    "Măng cụt",
    "Hồng treo gió",
    "Dừa sáp",
    "Bơ sáp",
    "Tiêu đen",
    "Ớt bột",
  ],
  2: [
    "Chè búp",
    "Chè Tân Cương",
    "Chè búp Tân Cương",
    "Trà Shan tuyết",
    "Chè xanh",
    "Cà phê Robusta",
    "Cà phê Arabica",
    "Cà phê rang xay",
    "Rượu nếp cái",
    "Rượu ngô men lá",
    "Rượu cần",
    "Trà atiso",
    "Trà hoa vàng",
    "Nước cốt chanh leo",
    "Rượu sim",
    "Trà sen",
    "Nước dừa đóng chai",
  ],
  3: [
    "Tinh dầu sả chanh",
    "Tinh dầu quế",
    "Cao atiso",
    "Tinh bột nghệ",
    "Sâm Ngọc Linh",
    "Đông trùng hạ thảo",
    "Trà giảo cổ lam",
    "Xà phòng thảo mộc",
    "Hoa hồi khô",
    "Quế thanh",
    "Cao lá vối",
    "Nghệ đen",
  ],
  4: [
    "Thổ cẩm",
    "Khăn lụa tơ tằm",
    "Chiếu cói",
    "Giỏ mây tre đan",
    "Nón lá",
    "Gốm men lam",
    "Tranh Đông Hồ",
    "Đũa tre",
    "Túi cói",
    "Khăn dệt thổ cẩm",
  ],
  5: ["Lan hồ điệp", "Bonsai sanh", "Cây cảnh mini", "Đào thế", "Quất cảnh", "Mai vàng", "Lan kiếm"],
  6: ["Homestay cộng đồng", "Tour trải nghiệm làng nghề", "Du lịch sinh thái miệt vườn", "Trải nghiệm hái chè", "Du lịch cộng đồng bản"],
};
const GROUP_WEIGHTS = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 5, 6];
const QUALIFIERS = ["", "", "", "", " loại 1", " đặc biệt", " hữu cơ", " 500ml", " hộp 200g", " túi 1kg", " thượng hạng", " truyền thống"];
const TRADES = [
  "Nông nghiệp",
  "Dịch vụ nông nghiệp",
  "Chè",
  "Nước mắm",
  "Rau an toàn",
  "Mật ong",
  "Cà phê",
  "Dược liệu",
  "Thủ công mỹ nghệ",
  "Chăn nuôi",
  "Cây ăn quả",
  "Thủy sản",
];
const SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
const MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Hữu", "Thanh", "Quốc", "Thu", "Xuân"];
const GIVEN = [
  "An",
  "Bình",
  "Cường",
  "Dũng",
  "Hà",
  "Hải",
  "Hạnh",
  "Hoa",
  "Hùng",
  "Hương",
  "Lan",
  "Long",
  "Mai",
  "Nam",
  "Nga",
  "Phúc",
  "Quang",
  "Sơn",
  "Tâm",
  "Thảo",
  "Thắng",
  "Trang",
  "Tuấn",
  "Vy",
  "Yến",
];

// "Xã Tân Cương" → "Tân Cương": how products and cooperatives are named after their place.
const properName = (name: string) => name.replace(/^(Thành phố|Tỉnh|Phường|Xã|Đặc khu|Thị trấn)\s+/u, "");
const person = () => `${pick(SURNAMES)} ${pick(MIDDLE)} ${pick(GIVEN)}`;

function producerName(type: string, ward: Ward): string {
  const place = properName(ward.name);
  if (type === "HOUSEHOLD") return `Hộ kinh doanh ${person()}`;
  if (type === "COOPERATIVE") return `HTX ${pick(TRADES)} ${place}`;
  if (type === "COOP_GROUP") return `Tổ hợp tác ${pick(TRADES).toLowerCase()} ${place}`;
  return chance(0.5) ? `Công ty TNHH ${pick(TRADES)} ${place}` : `Công ty CP ${person().split(" ").pop()} ${place}`;
}

export const DAY = 86_400_000;

type Rows = Record<string, unknown[]>;
function columns(names: string[]): Rows {
  return Object.fromEntries(names.map((n) => [n, []]));
}

/** Inserts column arrays with one `INSERT … SELECT FROM unnest(…)` per chunk. */
async function insert(client: pg.Client, table: string, types: Record<string, string>, rows: Rows) {
  const names = Object.keys(types);
  const count = rows[names[0]!]!.length;
  const CHUNK = 5_000;
  for (let start = 0; start < count; start += CHUNK) {
    const params = names.map((n) => rows[n]!.slice(start, start + CHUNK));
    const sql = `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(", ")}) SELECT * FROM unnest(${names.map((n, i) => `$${i + 1}::${types[n]}[]`).join(", ")})`;
    await client.query(sql, params);
  }
}

export async function seedCatalog(url: string, PRODUCTS: number, PRODUCERS: number, log: (m: string) => void) {
  const t0 = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const now = Date.now();
    const wards = listProvinces().flatMap((p) => listWards(p.code));
    const provinceName = new Map(listProvinces().map((p) => [p.code, p.name]));
    const producers = columns([
      "id",
      "type",
      "name",
      "registrationNumber",
      "street",
      "wardCode",
      "provinceCode",
      "addressDataVersion",
      "status",
      "approvedAt",
      "createdAt",
      "updatedAt",
    ]);
    const producerInfo: { id: string; name: string; provinceCode: string; place: string }[] = [];
    for (let i = 0; i < PRODUCERS; i++) {
      // Every province has producers: the first ones go round the provinces, the rest anywhere.
      const ward = i < listProvinces().length ? pick(listWards(listProvinces()[i]!.code)) : pick(wards);
      const type = pick(["HOUSEHOLD", "HOUSEHOLD", "COOPERATIVE", "COOPERATIVE", "COOP_GROUP", "ENTERPRISE"]);
      const name = producerName(type, ward);
      const status = chance(0.92) ? "APPROVED" : chance(0.5) ? "PENDING" : "SUSPENDED";
      const created = new Date(now - Math.floor(random() * 900) * DAY);
      const id = `bench-pr-${String(i).padStart(6, "0")}`;
      producers.id!.push(id);
      producers.type!.push(type);
      producers.name!.push(name);
      producers.registrationNumber!.push(type === "HOUSEHOLD" ? null : String(4_600_000_000 + i));
      producers.street!.push(`Thôn ${1 + Math.floor(random() * 12)}`);
      producers.wardCode!.push(ward.code);
      producers.provinceCode!.push(ward.provinceCode);
      producers.addressDataVersion!.push(ADDRESS_DATA_VERSION);
      producers.status!.push(status);
      producers.approvedAt!.push(status === "APPROVED" ? created : null);
      producers.createdAt!.push(created);
      producers.updatedAt!.push(created);
      producerInfo.push({ id, name, provinceCode: ward.provinceCode, place: properName(ward.name) });
    }
    await insert(
      client,
      "Producer",
      {
        id: "text",
        type: '"ProducerType"',
        name: "text",
        registrationNumber: "text",
        street: "text",
        wardCode: "text",
        provinceCode: "text",
        addressDataVersion: "text",
        status: '"ProducerStatus"',
        approvedAt: "timestamp(3)",
        createdAt: "timestamp(3)",
        updatedAt: "timestamp(3)",
      },
      producers,
    );

    const products = columns([
      "id",
      "producerId",
      "name",
      "ocopGroup",
      "unit",
      "priceVnd",
      "description",
      "listingStatus",
      "searchText",
      "latestBatchAt",
      "createdAt",
      "updatedAt",
    ]);
    const batches = columns([
      "id",
      "productId",
      "lotCode",
      "producedAt",
      "expiresAt",
      "quantity",
      "stock",
      "status",
      "createdAt",
      "updatedAt",
    ]);
    const certificates = columns([
      "id",
      "productId",
      "stars",
      "scoreA",
      "scoreB",
      "scoreC",
      "totalScore",
      "level",
      "authority",
      "decisionNumber",
      "decisionDate",
      "validUntil",
      "revokedAt",
      "createdAt",
    ]);
    const images = columns(["id", "productId", "storageKey", "mimeType", "width", "height", "position", "createdAt"]);
    for (let i = 0; i < PRODUCTS; i++) {
      // One product for every producer, the rest to a few busy ones and many small ones.
      const owner = i < PRODUCERS ? producerInfo[i]! : producerInfo[Math.floor(random() ** 2 * PRODUCERS)]!;
      const group = pick(GROUP_WEIGHTS);
      const base = pick(PRODUCT_NAMES[group]!);
      const where = chance(0.45) ? ` ${owner.place}` : chance(0.2) ? ` ${properName(provinceName.get(owner.provinceCode) ?? "")}` : "";
      const name = `${base}${where}${pick(QUALIFIERS)}`;
      const id = `bench-pd-${String(i).padStart(6, "0")}`;
      const produced = new Date(now - Math.floor(random() * 400) * DAY - Math.floor(random() * DAY));
      const created = new Date(produced.getTime() - Math.floor(random() * 60) * DAY);
      const listing = chance(0.94) ? "LISTED" : chance(0.5) ? "DRAFT" : "UNLISTED";
      products.id!.push(id);
      products.producerId!.push(owner.id);
      products.name!.push(name);
      products.ocopGroup!.push(group);
      products.unit!.push(pick(PRODUCT_UNITS));
      products.priceVnd!.push(10_000 * (2 + Math.floor(random() * 80)));
      products.description!.push(`${base} của ${owner.name}, làm theo cách truyền thống.`);
      products.listingStatus!.push(listing);
      products.searchText!.push(
        productSearchText({ productName: name, producerName: owner.name, provinceName: provinceName.get(owner.provinceCode) ?? "" }),
      );
      products.latestBatchAt!.push(produced);
      products.createdAt!.push(created);
      products.updatedAt!.push(produced);

      const quantity = 50 + Math.floor(random() * 950);
      batches.id!.push(`bench-bt-${String(i).padStart(6, "0")}`);
      batches.productId!.push(id);
      batches.lotCode!.push(`LO-${String(i).padStart(6, "0")}`);
      batches.producedAt!.push(produced);
      batches.expiresAt!.push(group <= 3 ? new Date(produced.getTime() + 365 * DAY) : null);
      batches.quantity!.push(quantity);
      batches.stock!.push(chance(0.85) ? 1 + Math.floor(random() * quantity) : 0);
      batches.status!.push(chance(0.97) ? "ACTIVE" : "ON_HOLD");
      batches.createdAt!.push(produced);
      batches.updatedAt!.push(produced);

      if (chance(0.45)) {
        const total = 50 + Math.floor(random() * 51);
        const stars = total >= 90 ? 5 : total >= 70 ? 4 : 3;
        const decided = new Date(now - Math.floor(random() * 1400) * DAY);
        const until = new Date(decided);
        until.setUTCMonth(until.getUTCMonth() + 36);
        const scoreA = Math.round((total * 40) / 100);
        const scoreB = Math.round((total * 25) / 100);
        certificates.id!.push(`bench-ce-${String(i).padStart(6, "0")}`);
        certificates.productId!.push(id);
        certificates.stars!.push(stars);
        certificates.scoreA!.push(scoreA);
        certificates.scoreB!.push(scoreB);
        certificates.scoreC!.push(total - scoreA - scoreB);
        certificates.totalScore!.push(total);
        certificates.level!.push(stars === 5 ? "CENTRAL" : "PROVINCE");
        certificates.authority!.push(stars === 5 ? "Hội đồng OCOP Trung ương" : `UBND ${provinceName.get(owner.provinceCode)}`);
        certificates.decisionNumber!.push(`${100 + (i % 900)}/QĐ-UBND`);
        certificates.decisionDate!.push(decided);
        certificates.validUntil!.push(until);
        certificates.revokedAt!.push(chance(0.02) ? new Date(decided.getTime() + 200 * DAY) : null);
        certificates.createdAt!.push(decided);
      }
      const photos = chance(0.6) ? 1 + Math.floor(random() * 3) : 0;
      for (let n = 0; n < photos; n++) {
        images.id!.push(`bench-im-${String(i).padStart(6, "0")}-${n}`);
        images.productId!.push(id);
        images.storageKey!.push(crypto.randomBytes(12).toString("hex"));
        images.mimeType!.push("image/webp");
        images.width!.push(1200);
        images.height!.push(900);
        images.position!.push(n);
        images.createdAt!.push(created);
      }
    }
    await insert(
      client,
      "Product",
      {
        id: "text",
        producerId: "text",
        name: "text",
        ocopGroup: "int",
        unit: "text",
        priceVnd: "int",
        description: "text",
        listingStatus: '"ListingStatus"',
        searchText: "text",
        latestBatchAt: "timestamp(3)",
        createdAt: "timestamp(3)",
        updatedAt: "timestamp(3)",
      },
      products,
    );
    await insert(
      client,
      "Batch",
      {
        id: "text",
        productId: "text",
        lotCode: "text",
        producedAt: "timestamp(3)",
        expiresAt: "timestamp(3)",
        quantity: "int",
        stock: "int",
        status: '"BatchStatus"',
        createdAt: "timestamp(3)",
        updatedAt: "timestamp(3)",
      },
      batches,
    );
    await insert(
      client,
      "OcopCertificate",
      {
        id: "text",
        productId: "text",
        stars: "int",
        scoreA: "int",
        scoreB: "int",
        scoreC: "int",
        totalScore: "int",
        level: '"CertificateLevel"',
        authority: "text",
        decisionNumber: "text",
        decisionDate: "timestamp(3)",
        validUntil: "timestamp(3)",
        revokedAt: "timestamp(3)",
        createdAt: "timestamp(3)",
      },
      certificates,
    );
    await insert(
      client,
      "ProductImage",
      {
        id: "text",
        productId: "text",
        storageKey: "text",
        mimeType: "text",
        width: "int",
        height: "int",
        position: "int",
        createdAt: "timestamp(3)",
      },
      images,
    );
    // What autovacuum would have done by now: statistics, visibility map.
    await client.query("VACUUM ANALYZE");
    log(
      `seeded ${PRODUCERS.toLocaleString("en")} producers, ${PRODUCTS.toLocaleString("en")} products (${certificates.id!.length.toLocaleString("en")} certificates, ${images.id!.length.toLocaleString("en")} photos, a batch each) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  } finally {
    await client.end();
  }
}
