-- Written by hand (ADR 027): a lot is DEPLETED while it is ACTIVE with no stock, written by
-- the stock changes themselves from now on. Lots sold out before this get the same status.
UPDATE "Batch" SET "status" = 'DEPLETED' WHERE "status" = 'ACTIVE' AND "stock" = 0;
