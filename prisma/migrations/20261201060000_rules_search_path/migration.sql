-- Hand-written: no change to schema.prisma.

-- The database's own rules read their tables by unqualified name, resolved through the calling
-- session's search_path, where pg_temp comes first: the app's role could create a temporary
-- table named "LedgerEntry" holding balancing rows, and an unbalanced ledger transaction would
-- commit (found by a stranger's attack). Each function now resolves names in the schema the
-- tables were migrated into, then pg_catalog, and pg_temp last, whoever calls it.
DO $$
DECLARE
  schema_name text := current_schema();
  fn text;
BEGIN
  FOREACH fn IN ARRAY ARRAY[
    'ledger_check_balanced(bigint)',
    'ledger_transaction_balances()',
    'ledger_entry_balances()',
    'ledger_is_append_only()',
    'event_history_is_append_only()',
    'payment_one_completed_per_covered_installment()'
  ] LOOP
    EXECUTE format('ALTER FUNCTION %I.%s SET search_path = %I, pg_catalog, pg_temp', schema_name, fn, schema_name);
  END LOOP;
END
$$;
