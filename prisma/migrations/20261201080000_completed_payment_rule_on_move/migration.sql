-- Hand-written: no change to schema.prisma.

-- The one-completed-payment rule on "Payment" ran when a payment was written or its status
-- changed, not when a completed payment was moved to another installment: an UPDATE of
-- "installmentId" alone put it on an installment a completed payoff covers (found by a stranger,
-- as the app's role). It now runs on either change.
DROP TRIGGER "Payment_one_completed_per_covered_installment" ON "Payment";
CREATE TRIGGER "Payment_one_completed_per_covered_installment" AFTER INSERT OR UPDATE OF "status", "installmentId" ON "Payment"
  FOR EACH ROW WHEN (NEW."status" = 'COMPLETED') EXECUTE FUNCTION "payment_one_completed_per_covered_installment"();
