// bench/search: the shopper's pages at national scale.
// Seeds 16,000 products from 6,500 producers over every province (PostgreSQL, straight
// through `pg`), starts the production server on it and loads the trace page /t/{code},
// /healthz, the home page, the product list, a search, a typo search and a product page with
// autocannon, 20 connections for BENCH_SECONDS each, each as an anonymous visitor, with a
// guest cart, and logged in with a cart. Reports req/s, p50 and p99 per page, the req/s ratio
// to the anonymous trace page, and whether p99 ≤ 100 ms was met (a report, not an assertion).
//   npm run bench:search       (BENCH_PRODUCTS=2000 BENCH_PRODUCERS=800 for a quick run)
// BENCH_DATABASE_URL: use that (empty or earlier seeded) database instead of an
// embedded PostgreSQL in a temporary folder.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import autocannon from "autocannon";
import { createCookie } from "@remix-run/node";
import { startEmbeddedPostgres } from "../../scripts/postgres.mjs";
import { prepareDatabase } from "../../scripts/database.mjs";
import { ADDRESS_DATA_VERSION, listProvinces, listWards, type Ward } from "../../app/domain/address/address.server";
import { productSearchText } from "../../app/domain/catalog/search";
import { PRODUCT_UNITS } from "../../app/domain/catalog/ocop";
import { batchCodes, seedTraceData } from "../trace/seed";

const root = path.resolve(import.meta.dirname, "../..");
// One app instance, as in production (build/server.js; env PORT, DATABASE_URL,
// SESSION_SECRET, NODE_ENV=production); its job worker is off, nothing queues jobs here.
const SERVER_CMD = [process.execPath, "build/server.js"];

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 16_000);
const PRODUCERS = Number(process.env.BENCH_PRODUCERS ?? 6_500);
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;
const TARGET_P99_MS = 100;
const PHONE_UA = "Mozilla/5.0 (Linux; Android 11; SM-A125F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
// The shopper's pages, each loaded three ways: anonymous, with a guest cart holding a line, and
// logged in with a cart (cookies signed with the server's SESSION_SECRET, rows made by
// prepareShoppers below). The trace page /t/{code} is the yardstick: every ratio is to its
// anonymous req/s, in the same run.
const BENCH_SECRET = "bench-search";
const TRACE_BATCHES = 20;
const SHOP_PAGES = [
  { name: "/healthz", path: "/healthz" },
  { name: "/", path: "/" },
  { name: "/products", path: "/products" },
  { name: "/products?q=nuoc+mam", path: "/products?q=nuoc+mam" },
  { name: "/products?q=nuoc+mamm (typo)", path: "/products?q=nuoc+mamm" },
];
type Visitor = "anonymous" | "cart" | "logged in";
const VISITORS: Visitor[] = ["anonymous", "cart", "logged in"];

const log = (m: string) => console.log(`[bench/search] ${m}`);

/** The first seeded product on sale: listed, its producer approved, a lot in stock. */
async function sellableProduct(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `SELECT p.id FROM "Product" p JOIN "Producer" pr ON pr.id = p."producerId"
        WHERE p.id LIKE 'bench-pd-%' AND p."listingStatus" = 'LISTED' AND pr.status = 'APPROVED'
          AND EXISTS (SELECT 1 FROM "Batch" b WHERE b."productId" = p.id AND b.status = 'ACTIVE' AND b.stock > 0)
        ORDER BY p.id LIMIT 1`,
    );
    return rows[0]!.id;
  } finally {
    await client.end();
  }
}

/** A guest cart with one line, and a shopper logged in with two lines: rows and signed cookies. */
async function prepareShoppers(url: string): Promise<Record<Visitor, Record<string, string>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const far = new Date(Date.now() + 30 * DAY);
    await client.query(
      `INSERT INTO "User" (id, phone, name, "passwordHash", "updatedAt") VALUES ('bench-shopper', '0900000001', 'Người mua thử', 'x', now()) ON CONFLICT DO NOTHING`,
    );
    await client.query(`INSERT INTO "UserRole" ("userId", role) VALUES ('bench-shopper', 'SHOPPER') ON CONFLICT DO NOTHING`);
    await client.query(
      `INSERT INTO "Session" (id, "userId", "expiresAt") VALUES ('bench-session', 'bench-shopper', $1) ON CONFLICT (id) DO UPDATE SET "expiresAt" = $1`,
      [far],
    );
    await client.query(
      `INSERT INTO "Cart" (id, "userId", "updatedAt") VALUES ('bench-user-cart', 'bench-shopper', now()) ON CONFLICT DO NOTHING`,
    );
    await client.query(`INSERT INTO "Cart" (id, "updatedAt") VALUES ('bench-guest-cart', now()) ON CONFLICT DO NOTHING`);
    await client.query(
      `INSERT INTO "CartItem" (id, "cartId", "productId", quantity) VALUES
         ('bench-ci-1', 'bench-user-cart', 'bench-pd-000001', 2), ('bench-ci-2', 'bench-user-cart', 'bench-pd-000002', 1),
         ('bench-ci-3', 'bench-guest-cart', 'bench-pd-000003', 1) ON CONFLICT DO NOTHING`,
    );
  } finally {
    await client.end();
  }
  const signed = (name: string, value: string) => createCookie(name, { secrets: [BENCH_SECRET], path: "/" }).serialize(value);
  const cookieOf = (header: string) => header.split(";")[0]!;
  return {
    anonymous: {},
    cart: { cookie: cookieOf(await signed("ocop_cart", "bench-guest-cart")) },
    "logged in": { cookie: cookieOf(await signed("ocop_session", "bench-session")) },
  };
}

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

const DAY = 86_400_000;

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

async function seed(url: string) {
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

/** Seeds an empty database; a database seeded earlier at the same size is reused. */
async function prepare(url: string) {
  await prepareDatabase({ ...process.env, DATABASE_URL: url }, log); // Prisma's migrations and the job queue's schema
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ products: number; producers: number }>(
    `SELECT (SELECT count(*)::int FROM "Product" WHERE id LIKE 'bench-pd-%') AS products, (SELECT count(*)::int FROM "Producer" WHERE id LIKE 'bench-pr-%') AS producers`,
  );
  await client.end();
  const { products, producers } = rows[0]!;
  if (products === 0 && producers === 0) {
    await seed(url);
    // A few lots with the trace page's whole story (events, log leaves), for the yardstick
    // page; the server builds and keeps each one's story at its first scan.
    await seedTraceData(url, TRACE_BATCHES, log);
    return;
  }
  if (products === PRODUCTS && producers === PRODUCERS) return log(`reusing the ${products.toLocaleString("en")} products already there`);
  throw new Error(
    `the database holds ${products} products and ${producers} producers, not ${PRODUCTS} and ${PRODUCERS}: give an empty one`,
  );
}

async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const load = (url: string, seconds: number, headers: Record<string, string> = {}) =>
  autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { "user-agent": PHONE_UA, "accept-encoding": "gzip", ...headers },
  });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-bench-search-"));
const database = process.env.BENCH_DATABASE_URL
  ? { url: process.env.BENCH_DATABASE_URL, stop: async () => {} }
  : await startEmbeddedPostgres({ dir: path.join(tmp, "pg"), database: "ocop_bench", fast: true });
let server: ChildProcess | undefined;
try {
  await prepare(database.url);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: database.url,
    SESSION_SECRET: BENCH_SECRET,
    NODE_ENV: "production",
    JOBS: "off",
    APP_URL: base,
    DATA_DIR: path.join(tmp, "data"),
  };
  server = spawn(SERVER_CMD[0]!, SERVER_CMD.slice(1), { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  let up = false;
  for (let i = 0; i < 120 && !up; i++) {
    up = await fetch(`${base}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (!up) await new Promise((r) => setTimeout(r, 500));
  }
  if (!up) throw new Error(`the server (${SERVER_CMD.join(" ")}) did not answer /healthz`);
  const cookies = await prepareShoppers(database.url);
  // The trace page of a lot seeded the way bench/trace seeds them (events, log leaves, stored story).
  const traceCode = (await batchCodes(database.url))[0]!;
  const productPath = `/products/${await sellableProduct(database.url)}`;
  const PAGES = VISITORS.flatMap((visitor) =>
    [{ name: "/t/{code}", path: `/t/${traceCode}` }, ...SHOP_PAGES, { name: "/products/{id}", path: productPath }].map((p) => ({
      ...p,
      visitor,
      name: `${p.name} [${visitor}]`,
      headers: cookies[visitor],
    })),
  );
  // Each page must really work, as that visitor, before its speed means anything.
  for (const page of PAGES) {
    const res = await fetch(`${base}${page.path}`, { headers: { "user-agent": PHONE_UA, ...page.headers } });
    const html = await res.text();
    if (!res.ok) throw new Error(`${page.name} answered ${res.status}`);
    if (page.path.includes("q=nuoc") && !html.includes("Nước mắm")) throw new Error(`${page.name} did not find "Nước mắm"`);
    if (page.path.startsWith("/t/") || page.path === "/healthz") continue;
    if (page.visitor === "logged in" && !html.includes("Người mua thử")) throw new Error(`${page.name} does not name the shopper`);
    const cartLink = /href="\/cart"[^>]*>([^<]*)</.exec(html)?.[1] ?? "";
    const expected = page.visitor === "logged in" ? "3" : page.visitor === "cart" ? "1" : "0";
    if (!cartLink.includes(expected)) throw new Error(`${page.name}: the cart link says "${cartLink}", not ${expected} items`);
  }
  for (const page of PAGES) await load(`${base}${page.path}`, 2, page.headers); // warm-up: JIT, plans, caches
  // Another busy process on the machine slows every page alike: the ratio to the trace page is the steadier number.
  const loadBefore = os.loadavg()[0]!;
  const results = [];
  for (const page of PAGES) {
    const r = await load(`${base}${page.path}`, DURATION_S, page.headers);
    results.push({ page: page.name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx });
  }
  const yardstick = results[0]!.rps; // the trace page, anonymous
  const rows = results.map((r) => ({ ...r, ratio: r.rps / yardstick, met: r.p99 <= TARGET_P99_MS }));
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(
    `\nbench/search: ${PRODUCTS.toLocaleString("en")} products, ${PRODUCERS.toLocaleString("en")} producers, ${CONNECTIONS} connections × ${DURATION_S} s per page, ${os.cpus().length} CPUs, load average ${loadBefore.toFixed(1)} before`,
  );
  console.log(
    `${pad("page", 44)}${pad("req/s", 9)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("÷trace", 8)}${pad("errors", 8)}p99 ≤ ${TARGET_P99_MS} ms`,
  );
  for (const r of rows) {
    console.log(
      `${pad(r.page, 44)}${pad(r.rps.toFixed(0), 9)}${pad(String(r.p50), 8)}${pad(String(r.p99), 8)}${pad(r.ratio.toFixed(2), 8)}${pad(String(r.errors), 8)}${r.met ? "met" : "NOT met"}`,
    );
  }
  console.log(
    JSON.stringify({
      bench: "search",
      products: PRODUCTS,
      producers: PRODUCERS,
      connections: CONNECTIONS,
      seconds: DURATION_S,
      loadAverage: Number(loadBefore.toFixed(1)),
      targetP99Ms: TARGET_P99_MS,
      pages: rows.map((r) => ({
        page: r.page,
        rps: Math.round(r.rps),
        p50: r.p50,
        p99: r.p99,
        ratio: Number(r.ratio.toFixed(2)),
        errors: r.errors,
        p99Met: r.met,
      })),
    }),
  );
} finally {
  // The server goes first: stopping PostgreSQL under it would fail its last queries.
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  await database.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
