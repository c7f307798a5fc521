-- The trace page's read model: one stored story per batch (see TraceStory in schema.prisma).
CREATE TABLE "TraceStory" (
    "batchId" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "json" TEXT NOT NULL,
    "builtAt" DATETIME NOT NULL,
    CONSTRAINT "TraceStory_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
