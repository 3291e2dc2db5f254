-- 0001 ledger: the ledger's records, projected from BitCurrent.Ledger (docs/concepts/ledger-projection.md).
--
-- Representation of the ledger's 128-bit values:
--   * ids (account, transfer, pending) are bytea of exactly 16 bytes, big-endian, so that byte order is numeric
--     order and equality is a 16-byte compare; bitcurrent_u128(id) shows one as a number;
--   * amounts, balances and user_data_128 are numeric(39,0): exact, readable, summable (2^128 has 39 digits);
--   * user_data_64 is numeric(20,0) (an unsigned 64-bit value does not fit bigint);
--   * timestamps are bigint nanoseconds (the ledger's u64; values above 2^63-1, after the year 2262, are refused).
-- Amounts are integers of minor units (satoshis, wei, pence); never floating point.

CREATE FUNCTION bitcurrent_u128(value bytea) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN octet_length(value) = 16 THEN
        (('x' || encode(substring(value FROM 1 FOR 8), 'hex'))::bit(64)::bigint::numeric
            + CASE WHEN get_byte(value, 0) >= 128 THEN 18446744073709551616 ELSE 0 END) * 18446744073709551616
        + ('x' || encode(substring(value FROM 9 FOR 8), 'hex'))::bit(64)::bigint::numeric
            + CASE WHEN get_byte(value, 8) >= 128 THEN 18446744073709551616 ELSE 0 END
    END;

COMMENT ON FUNCTION bitcurrent_u128(bytea) IS 'A 16-byte big-endian ledger id as a number, for people reading the tables.';

-- The assets the ledger lists: code, ledger id and scale (decimal places of one unit).
CREATE TABLE currencies (
    code   text     PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{1,12}$'),
    ledger bigint   NOT NULL UNIQUE CHECK (ledger BETWEEN 1 AND 4294967295),
    scale  smallint NOT NULL CHECK (scale BETWEEN 0 AND 38)
);

-- One row per ledger account, field for field the 128-byte Account record, with its balances as of the last
-- projection, plus three derived columns (kind, user_id, currency) for people and reports.
CREATE TABLE accounts (
    id              bytea         PRIMARY KEY CHECK (octet_length(id) = 16),
    debits_pending  numeric(39,0) NOT NULL CHECK (debits_pending >= 0),
    debits_posted   numeric(39,0) NOT NULL CHECK (debits_posted >= 0),
    credits_pending numeric(39,0) NOT NULL CHECK (credits_pending >= 0),
    credits_posted  numeric(39,0) NOT NULL CHECK (credits_posted >= 0),
    user_data_128   numeric(39,0) NOT NULL,
    user_data_64    numeric(20,0) NOT NULL,
    user_data_32    bigint        NOT NULL,
    ledger          bigint        NOT NULL,
    code            integer       NOT NULL,
    flags           integer       NOT NULL,
    "timestamp"     bigint        NOT NULL UNIQUE,
    kind            text          NOT NULL CHECK (kind IN ('user', 'escrow', 'custody', 'fees', 'adjustments', 'other')),
    user_id         numeric(20,0),
    currency        text          NOT NULL
);

-- One row per ledger transfer (posts and voids included), field for field the 128-byte Transfer record as stored
-- by the engine (a post or void carries the accounts, ledger, code and amount resolved from its pending transfer).
-- Immutable: rows are only ever inserted, and a transfer id is inserted once.
CREATE TABLE transfers (
    id                bytea         PRIMARY KEY CHECK (octet_length(id) = 16),
    debit_account_id  bytea         NOT NULL CHECK (octet_length(debit_account_id) = 16),
    credit_account_id bytea         NOT NULL CHECK (octet_length(credit_account_id) = 16),
    amount            numeric(39,0) NOT NULL CHECK (amount >= 0),
    pending_id        bytea         CHECK (octet_length(pending_id) = 16),
    user_data_128     numeric(39,0) NOT NULL,
    user_data_64      numeric(20,0) NOT NULL,
    user_data_32      bigint        NOT NULL,
    timeout           bigint        NOT NULL,
    ledger            bigint        NOT NULL,
    code              integer       NOT NULL,
    flags             integer       NOT NULL,
    "timestamp"       bigint        NOT NULL UNIQUE
);

-- The entries of every posted transfer on the exchange's side of the books: users, escrow, fees, adjustments.
-- Each posted transfer gives a debit entry (amount < 0) and a credit entry (amount > 0), except that the leg on a
-- custody account (the asset side: what the wallets hold) is not an entry here. By double entry, the sum of
-- ledger_entries.amount per currency is then exactly the custody balance the ledger expects the wallets to hold,
-- which is what the runbook's reconciliation query compares with SUM(wallets.balance).
-- The key is (transfer_id, direction): a transfer has at most one entry per side, so projecting it twice cannot add
-- entries twice. (No surrogate id: one index fewer to maintain at projection speed.)
CREATE TABLE ledger_entries (
    transfer_id    bytea         NOT NULL,
    direction      text          NOT NULL CHECK (direction IN ('debit', 'credit')),
    account_id     bytea         NOT NULL,
    account_kind   text          NOT NULL CHECK (account_kind IN ('user', 'escrow', 'fees', 'adjustments', 'other')),
    user_id        numeric(20,0),
    currency       text          NOT NULL,
    amount         numeric(39,0) NOT NULL,
    reference_type text          NOT NULL
        CHECK (reference_type IN ('deposit', 'withdrawal', 'trade', 'fee', 'adjustment', 'transfer')),
    reference_id   numeric(39,0) NOT NULL,
    flow_code      text          NOT NULL,
    "timestamp"    bigint        NOT NULL,
    created_at     timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (transfer_id, direction),
    CONSTRAINT ledger_entries_sign CHECK ((direction = 'credit' AND amount > 0) OR (direction = 'debit' AND amount < 0))
);

CREATE INDEX ledger_entries_reference ON ledger_entries (reference_type, reference_id);

-- How far the projection has got: the ledger timestamp up to which every transfer is projected.
CREATE TABLE projection_checkpoints (
    name           text        PRIMARY KEY,
    last_timestamp bigint      NOT NULL CHECK (last_timestamp >= 0),
    transfer_count bigint      NOT NULL DEFAULT 0,
    state_hash     text,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
