-- CreateTable
CREATE TABLE "PinSeat" (
    "codeId" TEXT NOT NULL,
    "seat" INTEGER NOT NULL,
    "holder" VARCHAR(64) NOT NULL,
    "clientKey" VARCHAR(64) NOT NULL,
    "wrong" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PinSeat_pkey" PRIMARY KEY ("codeId","seat")
);

-- CreateIndex
CREATE UNIQUE INDEX "PinSeat_codeId_holder_key" ON "PinSeat"("codeId", "holder");

-- CreateIndex
CREATE UNIQUE INDEX "PinSeat_codeId_clientKey_key" ON "PinSeat"("codeId", "clientKey");

-- AddForeignKey
ALTER TABLE "PinSeat" ADD CONSTRAINT "PinSeat_codeId_fkey" FOREIGN KEY ("codeId") REFERENCES "TraceCode"("id") ON DELETE CASCADE ON UPDATE CASCADE;
