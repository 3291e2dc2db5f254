DROP TABLE projection_checkpoints;
DROP TABLE ledger_entries;
DROP TABLE transfers;
DROP TABLE accounts;
DROP TABLE currencies;
DROP FUNCTION bitcurrent_u128(bytea);
