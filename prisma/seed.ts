// Demo data for a newcomer: runs only when the database has no users.
// Real provinces and wards (post-July-2025 codes), real OCOP-style products.
import type { ProducerType, Role } from "@prisma/client";
import { prisma } from "../app/db.server";
import { hashPassword } from "../app/domain/identity/password.server";
import { generateTraceCode } from "../app/domain/trace/code.server";
import { ADDRESS_DATA_VERSION, isWardInProvince } from "../app/domain/address/address.server";
import { recordEvent } from "../app/domain/trace/events.server";
import { insertBatch } from "../app/domain/catalog/batch.server";
import { addCertificate } from "../app/domain/catalog/certificate.server";
import { CENTRAL_OFFICE, decideCertificate } from "../app/domain/catalog/certificate-verification.server";
import { sequenceAll } from "../app/domain/log/sequencer.server";
import { buildSnapshot } from "../app/domain/open-data/snapshots.server";
import { rebuildChangedFeeds } from "../app/domain/feeds/build.server";
import { gtinCheckDigit } from "../app/domain/catalog/gtin";
import { foldVietnamese } from "../app/domain/catalog/search";
import { refreshAllListings } from "../app/domain/catalog/product.server";
import { addProducerImage, setContactPhone } from "../app/domain/catalog/producer-page.server";
import { renderImage } from "../app/domain/files/uploads.server";
import { DEMO_SCENES as scene, demoPhotoStore } from "./seed-photos";
import { drawDemoImage, type DemoScene } from "./demo-photos";
import { seedDeliveredOrders } from "./seed-orders";
import { saveDeliverySettings } from "../app/domain/delivery/settings.server";

/** The one fixed code, so the README can print a trace URL that works on every fresh install. */
export const DEMO_TRACE_CODE = "CHETANCVNG2345ABCD";

type SeedProduct = {
  name: string;
  group: number;
  unit: string;
  price: number;
  description: string;
  lotPrefix: string;
  /** Drawn scenes of its photos, the first the main one. */
  photos: DemoScene[];
  batches: { daysAgo: number; shelfDays?: number; quantity: number; area?: string }[];
};
type SeedProducer = {
  owner: { name: string; phone: string };
  type: ProducerType;
  name: string;
  registrationNumber?: string;
  provinceCode: string;
  wardCode: string;
  street: string;
  story: string;
  status: "APPROVED" | "PENDING";
  products: SeedProduct[];
};

const producers: SeedProducer[] = [
  {
    owner: { name: "Nguyễn Văn Hùng", phone: "0912345678" },
    type: "COOPERATIVE",
    name: "HTX Chè Tân Cương",
    registrationNumber: "4601234567",
    provinceCode: "19",
    wardCode: "05503",
    street: "Xóm Hồng Thái 2",
    story: "Ba thế hệ trồng chè trên đồi Tân Cương. Chè hái một tôm hai lá, sao bằng chảo gang trong ngày.",
    status: "APPROVED",
    products: [
      {
        name: "Chè búp Tân Cương",
        group: 2,
        unit: "hop",
        price: 250000,
        description: "Chè xanh búp non, hộp 200 g.",
        lotPrefix: "TC",
        photos: [scene.teaBox, scene.teaLeaves, scene.hills],
        // The first is the demo lot (DEMO_TRACE_CODE): the older one, which the shop sells first
        // (earliest expiry), so the demo's delivered orders come from it and its reviews name it.
        batches: [
          { daysAgo: 60, shelfDays: 540, quantity: 400, area: "Đồi chè xóm Hồng Thái, 1,2 ha" },
          { daysAgo: 12, shelfDays: 540, quantity: 350, area: "Đồi chè xóm Hồng Thái, 1,2 ha" },
        ],
      },
      {
        name: "Chè móc câu đặc biệt",
        group: 2,
        unit: "goi",
        price: 180000,
        description: "Cánh chè nhỏ, xoăn như móc câu; gói 100 g.",
        lotPrefix: "MC",
        photos: [scene.teaPouch, scene.teaLeaves, scene.hills],
        batches: [{ daysAgo: 20, shelfDays: 540, quantity: 300 }],
      },
      {
        name: "Trà xanh túi lọc Tân Cương",
        group: 2,
        unit: "hop",
        price: 65000,
        description: "Hộp 25 túi lọc.",
        lotPrefix: "TL",
        photos: [scene.teaBox, scene.teaLeaves],
        batches: [{ daysAgo: 35, shelfDays: 720, quantity: 800 }],
      },
    ],
  },
  {
    owner: { name: "Lò Văn Thắm", phone: "0913456789" },
    type: "HOUSEHOLD",
    name: "Hộ Lò Văn Thắm",
    provinceCode: "14",
    wardCode: "03980",
    street: "Bản Áng",
    story: "Gia đình người Thái trồng mận hậu trên cao nguyên Mộc Châu.",
    status: "APPROVED",
    products: [
      {
        name: "Mận hậu Mộc Châu",
        group: 1,
        unit: "kg",
        price: 45000,
        description: "Mận hậu chín cây, giòn ngọt.",
        lotPrefix: "MH",
        photos: [scene.plums, scene.hills],
        batches: [{ daysAgo: 5, shelfDays: 10, quantity: 500, area: "Vườn mận bản Áng" }],
      },
      {
        name: "Thịt trâu gác bếp",
        group: 1,
        unit: "goi",
        price: 220000,
        description: "Gói 250 g, hun khói bằng củi nhãn.",
        lotPrefix: "TG",
        photos: [scene.jerky, scene.hills],
        batches: [{ daysAgo: 15, shelfDays: 180, quantity: 120 }],
      },
      {
        name: "Mật ong hoa cải",
        group: 1,
        unit: "chai",
        price: 200000,
        description: "Chai 500 ml, mật ong nuôi trên nương cải.",
        lotPrefix: "MO",
        photos: [scene.honey, scene.orchid, scene.hills],
        batches: [{ daysAgo: 40, shelfDays: 730, quantity: 150 }],
      },
    ],
  },
  {
    owner: { name: "Trần Thị Lan", phone: "0914567890" },
    type: "COOPERATIVE",
    name: "HTX Nhãn lồng Phố Hiến",
    registrationNumber: "0501234568",
    provinceCode: "33",
    wardCode: "11953",
    street: "Thôn Đằng Châu",
    story: "Nhãn lồng Hưng Yên, cùi dày, hạt nhỏ, từng là sản vật tiến vua.",
    status: "APPROVED",
    products: [
      {
        name: "Nhãn lồng Hưng Yên",
        group: 1,
        unit: "kg",
        price: 60000,
        description: "Nhãn tươi, thu hái trong ngày.",
        lotPrefix: "NL",
        photos: [scene.longans, scene.hills],
        batches: [{ daysAgo: 90, shelfDays: 7, quantity: 1000, area: "Vườn nhãn thôn Đằng Châu" }],
      },
      {
        name: "Long nhãn sấy",
        group: 1,
        unit: "tui",
        price: 150000,
        description: "Túi 500 g, sấy lạnh.",
        lotPrefix: "LN",
        photos: [scene.brownPouch, scene.longans],
        batches: [{ daysAgo: 70, shelfDays: 365, quantity: 300 }],
      },
      {
        name: "Mật ong hoa nhãn",
        group: 1,
        unit: "chai",
        price: 180000,
        description: "Chai 500 ml.",
        lotPrefix: "MN",
        photos: [scene.honey, scene.longans],
        batches: [{ daysAgo: 100, shelfDays: 730, quantity: 200 }],
      },
    ],
  },
  {
    owner: { name: "Phạm Minh Tuấn", phone: "0915678901" },
    type: "ENTERPRISE",
    name: "Công ty TNHH Nước mắm Phú Quốc Hưng Thịnh",
    registrationNumber: "1701234569",
    provinceCode: "91",
    wardCode: "31078",
    street: "Đường 30 Tháng 4, khu phố 2",
    story: "Nhà thùng gỗ ủ cá cơm than với muối trong 12 tháng.",
    status: "APPROVED",
    products: [
      {
        name: "Nước mắm Phú Quốc 40 độ đạm",
        group: 1,
        unit: "chai",
        price: 120000,
        description: "Chai thủy tinh 500 ml.",
        lotPrefix: "NM",
        photos: [scene.fishSauce, scene.river],
        batches: [
          { daysAgo: 30, shelfDays: 1095, quantity: 2000 },
          { daysAgo: 120, shelfDays: 1095, quantity: 1500 },
        ],
      },
      {
        name: "Tiêu đen Phú Quốc",
        group: 1,
        unit: "hu",
        price: 90000,
        description: "Hũ 200 g.",
        lotPrefix: "TD",
        photos: [scene.darkJar, scene.coffeeBeans],
        batches: [{ daysAgo: 45, shelfDays: 730, quantity: 400 }],
      },
      {
        name: "Rượu sim Phú Quốc",
        group: 2,
        unit: "chai",
        price: 160000,
        description: "Chai 500 ml, 13% vol.",
        lotPrefix: "RS",
        photos: [scene.wine, scene.plums],
        batches: [{ daysAgo: 80, shelfDays: 1095, quantity: 600 }],
      },
    ],
  },
  {
    owner: { name: "Y Bhin Niê", phone: "0916789012" },
    type: "COOPERATIVE",
    name: "HTX Cà phê Buôn Ma Thuột",
    registrationNumber: "6001234570",
    provinceCode: "66",
    wardCode: "24133",
    street: "Buôn Kô Tam",
    story: "Cà phê Robusta hái chín, phơi trên giàn, rang mộc.",
    status: "APPROVED",
    products: [
      {
        name: "Cà phê rang xay nguyên chất",
        group: 2,
        unit: "goi",
        price: 140000,
        description: "Gói 500 g, rang vừa.",
        lotPrefix: "CF",
        photos: [scene.brownPouch, scene.coffeeBeans, scene.hills],
        batches: [{ daysAgo: 10, shelfDays: 365, quantity: 700 }],
      },
      {
        name: "Cà phê nhân Robusta",
        group: 2,
        unit: "kg",
        price: 120000,
        description: "Nhân xanh sàng 18.",
        lotPrefix: "CN",
        photos: [scene.coffeeBeans, scene.hills],
        batches: [{ daysAgo: 50, shelfDays: 540, quantity: 2500, area: "Vườn cà phê buôn Kô Tam, 3 ha" }],
      },
    ],
  },
  {
    owner: { name: "Nguyễn Thị Hoa", phone: "0917890123" },
    type: "HOUSEHOLD",
    name: "Hộ gốm Nguyễn Thị Hoa",
    provinceCode: "01",
    wardCode: "00577",
    street: "Xóm 3, thôn Giang Cao",
    story: "Làm gốm men lam bằng tay ở làng Bát Tràng.",
    status: "APPROVED",
    products: [
      {
        name: "Bộ ấm chén men lam",
        group: 4,
        unit: "bo",
        price: 650000,
        description: "Một ấm, sáu chén, vẽ tay.",
        lotPrefix: "AC",
        photos: [scene.teaset, scene.vase],
        batches: [{ daysAgo: 25, quantity: 40 }],
      },
      {
        name: "Bình hoa gốm men rạn",
        group: 4,
        unit: "cai",
        price: 480000,
        description: "Cao 30 cm.",
        lotPrefix: "BH",
        photos: [scene.vase, scene.teaset],
        batches: [{ daysAgo: 55, quantity: 25 }],
      },
    ],
  },
  {
    owner: { name: "Đặng Quốc Bảo", phone: "0918901234" },
    type: "COOP_GROUP",
    name: "Tổ hợp tác Atiso và hoa Lâm Viên",
    registrationNumber: "THT-68-0123",
    provinceCode: "68",
    wardCode: "24778",
    street: "Thôn Đa Thiện",
    story: "Atiso và lan trồng trên đất đỏ bazan Đà Lạt, sấy và đóng gói tại chỗ.",
    status: "APPROVED",
    products: [
      {
        name: "Trà atiso túi lọc",
        group: 3,
        unit: "hop",
        price: 75000,
        description: "Hộp 20 túi lọc.",
        lotPrefix: "AT",
        photos: [scene.teaBox, scene.hills],
        batches: [{ daysAgo: 18, shelfDays: 540, quantity: 900 }],
      },
      {
        name: "Cao atiso",
        group: 3,
        unit: "hu",
        price: 190000,
        description: "Hũ 200 g.",
        lotPrefix: "CA",
        photos: [scene.darkJar, scene.hills],
        batches: [{ daysAgo: 65, shelfDays: 365, quantity: 250 }],
      },
      {
        name: "Lan hồ điệp chậu ba cành",
        group: 5,
        unit: "cai",
        price: 950000,
        description: "Chậu sứ, ba cành hoa.",
        lotPrefix: "LH",
        photos: [scene.orchid, scene.hills],
        batches: [{ daysAgo: 8, quantity: 60 }],
      },
      {
        name: "Tour trải nghiệm vườn atiso",
        group: 6,
        unit: "ve",
        price: 150000,
        description: "Nửa ngày tham quan vườn, thưởng trà.",
        lotPrefix: "TV",
        photos: [scene.hills, scene.orchid],
        batches: [{ daysAgo: 3, quantity: 100 }],
      },
    ],
  },
  {
    owner: { name: "Lê Văn Tư", phone: "0919012345" },
    type: "COOPERATIVE",
    name: "HTX Du lịch cộng đồng Chợ nổi Cái Răng",
    registrationNumber: "1801234571",
    provinceCode: "92",
    wardCode: "31186",
    street: "Khu vực Yên Thượng",
    story: "Ghe chở khách đi chợ nổi lúc bình minh, ghé vườn trái cây.",
    status: "PENDING",
    products: [
      {
        name: "Tour chợ nổi Cái Răng lúc bình minh",
        group: 6,
        unit: "ve",
        price: 250000,
        description: "Ba giờ trên ghe, có ăn sáng.",
        lotPrefix: "CN",
        photos: [scene.river, scene.longans],
        batches: [{ daysAgo: 1, quantity: 200 }],
      },
    ],
  },
];

/** The scenes of each demo product's photos, by its name. */
export const DEMO_PRODUCT_PHOTOS: Record<string, DemoScene[]> = Object.fromEntries(
  producers.flatMap((p) => p.products.map((sp) => [sp.name, sp.photos])),
);

const demoAccounts: { name: string; phone?: string; email?: string; password: string; roles: Role[] }[] = [
  { name: "Quản trị viên", email: "admin@ocop-trace.vn", password: "quantri123", roles: ["ADMIN"] },
  { name: "Thanh tra Sở NN Thái Nguyên", email: "thanhtra@ocop-trace.vn", password: "thanhtra123", roles: ["INSPECTOR"] },
  { name: "Phạm Thu Hà", phone: "0987654321", password: "nguoimua123", roles: ["SHOPPER"] },
  { name: "Hoàng Minh Tùng (Tổ CNS Mộc Châu)", email: "tocns@ocop-trace.vn", password: "hotro123", roles: ["HELPER"] },
  // OCOP officers (ADR 016): each checks the certificates of its office's decisions.
  { name: "Cán bộ OCOP Sở NN&PTNT Thái Nguyên", email: "ocop.thainguyen@ocop-trace.vn", password: "canbo123", roles: ["OCOP_OFFICER"] },
  {
    name: "Cán bộ Văn phòng Điều phối OCOP Trung ương",
    email: "ocop.trunguong@ocop-trace.vn",
    password: "canbo123",
    roles: ["OCOP_OFFICER"],
  },
  { name: "Cán bộ OCOP Sở NN&PTNT Hưng Yên", email: "ocop.hungyen@ocop-trace.vn", password: "canbo123", roles: ["OCOP_OFFICER"] },
  { name: "Cán bộ OCOP Sở NN&PTNT Đắk Lắk", email: "ocop.daklak@ocop-trace.vn", password: "canbo123", roles: ["OCOP_OFFICER"] },
];
// The office of each demo officer: a province's (code) or the central one (null).
const demoOffices: { email: string; provinceCode: string | null; officeName: string }[] = [
  { email: "ocop.thainguyen@ocop-trace.vn", provinceCode: "19", officeName: "Sở NN&PTNT Thái Nguyên" },
  { email: "ocop.trunguong@ocop-trace.vn", provinceCode: null, officeName: CENTRAL_OFFICE },
  { email: "ocop.hungyen@ocop-trace.vn", provinceCode: "33", officeName: "Sở NN&PTNT Hưng Yên" },
  { email: "ocop.daklak@ocop-trace.vn", provinceCode: "66", officeName: "Sở NN&PTNT Đắk Lắk" },
];
const PRODUCER_PASSWORD = "nongdan123";

const DAY = 24 * 3600 * 1000;
function daysAgo(n: number): Date {
  const d = new Date(Date.now() - n * DAY);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

export async function seed() {
  if ((await prisma.user.count()) > 0) {
    console.log("[ocop-trace] database already has data: seed skipped.");
    return false;
  }
  console.log("[ocop-trace] empty database: adding demo data…");
  for (const a of demoAccounts) {
    await prisma.user.create({
      data: {
        name: a.name,
        phone: a.phone,
        email: a.email,
        passwordHash: await hashPassword(a.password),
        roles: { create: a.roles.map((role) => ({ role })) },
      },
    });
  }
  const admin = await prisma.user.findUniqueOrThrow({ where: { email: "admin@ocop-trace.vn" } });
  await prisma.inspectorRegion.create({ data: { user: { connect: { email: "thanhtra@ocop-trace.vn" } }, provinceCode: "19" } });
  for (const o of demoOffices)
    await prisma.ocopOfficer.create({
      data: { user: { connect: { email: o.email } }, provinceCode: o.provinceCode, officeName: o.officeName },
    });
  const producerHash = await hashPassword(PRODUCER_PASSWORD);
  const photos = demoPhotoStore(Object.values(DEMO_PRODUCT_PHOTOS).flat());
  let demoCodeUsed = false;
  let demoBatch: { id: string; producerId: string; ownerId: string; producedAt: Date } | null = null;
  for (const p of producers) {
    if (!isWardInProvince(p.wardCode, p.provinceCode)) throw new Error(`seed: ward ${p.wardCode} is not in province ${p.provinceCode}`);
    const owner = await prisma.user.create({
      data: { name: p.owner.name, phone: p.owner.phone, passwordHash: producerHash, roles: { create: [{ role: "PRODUCER" }] } },
    });
    const producer = await prisma.producer.create({
      data: {
        type: p.type,
        name: p.name,
        registrationNumber: p.registrationNumber,
        street: p.street,
        wardCode: p.wardCode,
        provinceCode: p.provinceCode,
        addressDataVersion: ADDRESS_DATA_VERSION,
        story: p.story,
        status: p.status,
        approvedAt: p.status === "APPROVED" ? daysAgo(200) : null,
        approvedById: p.status === "APPROVED" ? admin.id : null,
        members: { create: { userId: owner.id, role: "OWNER" } },
      },
    });
    // Each demo producer delivers itself: cheap and quick in its own province, the rest of the
    // country slower and dearer, free from 500,000 đ; a pickup point at the producer's address.
    await saveDeliverySettings(producer.id, {
      shipsWith: "OWN",
      flatFeeVnd: 0,
      freeAboveVnd: 500000,
      pickupAddress: p.street,
      pickupHours: "7:30–17:00",
      zones: [
        { name: "Nội tỉnh", provinceCodes: [p.provinceCode], coversRest: false, feeVnd: 15000, minDays: 1, maxDays: 2 },
        { name: "Toàn quốc", provinceCodes: [], coversRest: true, feeVnd: 35000, minDays: 3, maxDays: 5 },
      ],
    });
    for (const sp of p.products) {
      const product = await prisma.product.create({
        data: {
          producerId: producer.id,
          name: sp.name,
          ocopGroup: sp.group,
          unit: sp.unit,
          priceVnd: sp.price,
          description: sp.description,
          createdById: owner.id,
        },
      });
      await photos.addProductPhotos(product.id, sp.name, sp.photos);
      for (const [i, b] of sp.batches.entries()) {
        const producedAt = daysAgo(b.daysAgo);
        // With its leaf in the public log, as the app writes a batch.
        const batch = await prisma.$transaction((tx) =>
          insertBatch(tx, {
            productId: product.id,
            lotCode: `${sp.lotPrefix}-${producedAt.toISOString().slice(0, 10).replace(/-/g, "")}-${i + 1}`,
            producedAt,
            expiresAt: b.shelfDays ? new Date(producedAt.getTime() + b.shelfDays * DAY) : null,
            quantity: b.quantity,
            stock: b.quantity,
            productionArea: b.area,
          }),
        );
        if (p.status !== "APPROVED") continue;
        const code = demoCodeUsed ? generateTraceCode() : DEMO_TRACE_CODE;
        if (!demoCodeUsed) demoBatch = { id: batch.id, producerId: producer.id, ownerId: owner.id, producedAt };
        demoCodeUsed = true;
        await prisma.traceCode.create({ data: { code, batchId: batch.id, kind: "BATCH", status: "ACTIVE", issuedById: owner.id } });
      }
    }
  }
  await seedDemoSeason(demoBatch);
  await seedCertificatesAndGtin();
  await seedProducerPages();
  await seedDeliveredOrders();
  // The demo helper works for the Mộc Châu household.
  const helper = await prisma.user.findUniqueOrThrow({ where: { email: "tocns@ocop-trace.vn" } });
  const household = await prisma.producer.findFirstOrThrow({ where: { name: "Hộ Lò Văn Thắm" } });
  await prisma.producerMember.create({ data: { producerId: household.id, userId: helper.id, role: "HELPER" } });
  await prisma.producer.update({
    where: { id: household.id },
    data: { consentHolderName: "Lò Văn Thắm", consentPhone: "0913456789", consentAt: daysAgo(150), consentById: helper.id },
  });
  // The demo's history is in the public log (and signed) before the first visitor.
  await sequenceAll();
  // Today's open-data files, as the nightly job writes them, so the open-data page has downloads.
  await buildSnapshot();
  // And the merchant feeds, as the feeds-rebuild job builds them.
  await rebuildChangedFeeds();
  console.log(`[ocop-trace] demo data ready: ${producers.length} producers; try /t/${DEMO_TRACE_CODE}`);
  return true;
}

/** The demo trace page tells a whole season, through the same code path a producer uses (every fact a leaf of the public log). */
async function seedDemoSeason(batch: { id: string; producerId: string; ownerId: string; producedAt: Date } | null) {
  if (!batch) return;
  const at = (daysBefore: number, hour = 7) => new Date(batch.producedAt.getTime() - daysBefore * DAY + (hour - 7) * 3600_000);
  const base = { producerId: batch.producerId, batchId: batch.id, userId: batch.ownerId };
  const steps = [
    {
      kind: "PLANTING" as const,
      input: { occurredAt: at(400), variety: "Chè Trung du lá nhỏ", area: "1,2 ha", place: "Đồi chè xóm Hồng Thái 2" },
    },
    {
      kind: "INPUT_APPLICATION" as const,
      input: {
        occurredAt: at(25),
        inputName: "Phân hữu cơ vi sinh Sông Gianh",
        activeIngredient: "Hữu cơ 15%, vi sinh vật cố định đạm",
        dose: "300 kg/ha",
        phiDays: 0,
      },
    },
    {
      kind: "INPUT_APPLICATION" as const,
      input: {
        occurredAt: at(14),
        inputName: "Chế phẩm sinh học BT",
        activeIngredient: "Bacillus thuringiensis",
        dose: "1 kg/ha",
        phiDays: 7,
      },
    },
    { kind: "HARVESTING" as const, input: { occurredAt: at(2, 6), quantity: 600, unit: "kg búp tươi", plot: "Lô 3" } },
    { kind: "PROCESSING" as const, input: { occurredAt: at(1, 14), method: "Sao chảo gang, vò tay", outputQuantity: 120 } },
    { kind: "PACKING" as const, input: { occurredAt: at(0, 9), quantity: 400, packageType: "Hộp giấy 200 g" } },
  ];
  for (const step of steps) {
    const r = await recordEvent({ ...base, kind: step.kind, input: step.input });
    if (!r.ok) throw new Error(`seed: ${step.kind} refused: ${JSON.stringify(r.fieldErrors)}`);
  }
}

async function seedCertificatesAndGtin() {
  const cert = async (
    productName: string,
    stars: number,
    scores: [number, number, number],
    decisionNumber: string,
    decided: Date,
    verify = true,
  ) => {
    const product = await prisma.product.findFirstOrThrow({
      where: { name: productName },
      select: { id: true, producer: { select: { provinceCode: true } } },
    });
    // The app's own path: the certificate and its leaf in the public log in one transaction.
    const declared = await addCertificate(
      product.id,
      {
        stars,
        scoreA: scores[0],
        scoreB: scores[1],
        scoreC: scores[2],
        totalScore: scores[0] + scores[1] + scores[2],
        level: stars === 5 ? "CENTRAL" : "PROVINCE",
        authority: stars === 5 ? "Hội đồng OCOP Trung ương" : "UBND tỉnh",
        decisionNumber,
        decisionDate: decided,
      },
      null,
    );
    if (!verify) return;
    // Then the same path an officer takes (ADR 016): the office of the decision verifies it, signed and logged.
    const office = demoOffices.find((o) => o.provinceCode === (stars === 5 ? null : product.producer.provinceCode));
    if (!office) throw new Error(`seed: no OCOP office for ${productName}`);
    const officer = await prisma.user.findUniqueOrThrow({ where: { email: office.email }, select: { id: true } });
    const verdict = await decideCertificate(declared.id, officer.id, office, { outcome: "VERIFIED", checked: "on" });
    if (!verdict.ok) throw new Error(`seed: certificate of ${productName} not verified`);
  };
  await cert("Chè búp Tân Cương", 4, [33, 20, 28], "2456/QĐ-UBND", daysAgo(300));
  await cert("Nước mắm Phú Quốc 40 độ đạm", 5, [38, 23, 31], "1102/QĐ-BNN", daysAgo(500));
  await cert("Nhãn lồng Hưng Yên", 3, [25, 15, 18], "987/QĐ-UBND", daysAgo(1200)); // expired: shows no badge
  await cert("Cà phê rang xay nguyên chất", 4, [30, 19, 26], "3310/QĐ-UBND", daysAgo(1050)); // expires within 30 days
  // Declared and not yet checked: it waits in the Thái Nguyên officer's queue and shows no star.
  await cert("Chè móc câu đặc biệt", 3, [27, 16, 19], "1875/QĐ-UBND", daysAgo(40), false);
  const body = "893601234567";
  const nuocMam = await prisma.product.findFirstOrThrow({ where: { name: "Nước mắm Phú Quốc 40 độ đạm" } });
  await prisma.product.update({ where: { id: nuocMam.id }, data: { gtin: `0${body}${gtinCheckDigit(body)}` } });
  // Bank accounts for VietQR (demo numbers; BINs are real NAPAS bank identifiers).
  const banks = ["970436", "970415", "970418", "970405"];
  const approved = await prisma.producer.findMany({
    where: { status: "APPROVED" },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true },
  });
  for (const [i, p] of approved.entries()) {
    await prisma.producer.update({
      where: { id: p.id },
      data: {
        bankBin: banks[i % banks.length],
        bankAccountNumber: `10${String(i + 1).padStart(8, "0")}`,
        bankAccountName: foldVietnamese(p.name).toUpperCase(),
      },
    });
  }
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop()!);
if (isMain) {
  seed()
    // Every start: storefront fields (search text, newest batch) for rows made before they existed.
    .then(() => refreshAllListings())
    .then(() => prisma.$disconnect())
    .catch(async (e) => {
      console.error(e);
      await prisma.$disconnect();
      process.exit(1);
    });
}

// Where some demo producers are (roughly their commune), their public contact numbers (demo
// numbers, not the owners' own) and two drawn photos each, through the owner's own functions.
const DEMO_PLACES: Record<string, { lat: number; lon: number; phone: string; sky: string; land: string }> = {
  "HTX Chè Tân Cương": { lat: 21.5936, lon: 105.7612, phone: "0912000101", sky: "#bfe3f2", land: "#3f8f3a" },
  "Hộ Lò Văn Thắm": { lat: 20.8466, lon: 104.6346, phone: "0912000102", sky: "#d6ecf7", land: "#6aa84f" },
  "HTX Nhãn lồng Phố Hiến": { lat: 20.6564, lon: 106.0519, phone: "0912000103", sky: "#cde8f5", land: "#7a9a2e" },
  "Công ty TNHH Nước mắm Phú Quốc Hưng Thịnh": { lat: 10.2172, lon: 103.9598, phone: "0912000104", sky: "#9fd3ef", land: "#c9a66b" },
  "HTX Cà phê Buôn Ma Thuột": { lat: 12.6797, lon: 108.0378, phone: "0912000105", sky: "#c8e2f0", land: "#7b4b2a" },
};

async function seedProducerPages() {
  for (const [name, place] of Object.entries(DEMO_PLACES)) {
    const producer = await prisma.producer.findFirst({ where: { name } });
    if (!producer) continue;
    await prisma.producer.update({ where: { id: producer.id }, data: { latitude: place.lat, longitude: place.lon } });
    await setContactPhone(producer.id, place.phone);
    for (const variant of [0, 1] as const)
      await addProducerImage(
        producer.id,
        await renderImage(await drawDemoImage({ kind: "farm", sky: place.sky, land: place.land, variant })),
      );
  }
}
