import { prisma } from "~/db.server";

// Which producers a community digital helper acts for, and the owner's right to remove one.

export async function householdsOfHelper(helperId: string) {
  return prisma.producer.findMany({
    where: { members: { some: { userId: helperId, role: "HELPER" } } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      status: true,
      consentHolderName: true,
      consentPhone: true,
      consentAt: true,
      _count: { select: { products: true } },
    },
  });
}

export async function isHelperOf(helperId: string, producerId: string): Promise<boolean> {
  const member = await prisma.producerMember.findUnique({
    where: { producerId_userId: { producerId, userId: helperId } },
    select: { role: true },
  });
  return member?.role === "HELPER";
}

/** Only an OWNER that is not itself a helper may remove a helper. */
export async function removeHelper(ownerId: string, producerId: string, helperId: string): Promise<boolean> {
  const owner = await prisma.producerMember.findUnique({ where: { producerId_userId: { producerId, userId: ownerId } } });
  if (owner?.role !== "OWNER") return false;
  const { count } = await prisma.producerMember.deleteMany({ where: { producerId, userId: helperId, role: "HELPER" } });
  return count === 1;
}

/** "Entered by {helper}" when a record's author acted as this producer's helper, else null. */
export async function helperNameIfHelper(producerId: string, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const m = await prisma.producerMember.findUnique({
    where: { producerId_userId: { producerId, userId } },
    select: { role: true, user: { select: { name: true } } },
  });
  return m?.role === "HELPER" ? m.user.name : null;
}
