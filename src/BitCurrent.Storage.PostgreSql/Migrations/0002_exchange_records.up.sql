-- 0002 exchange records: users, custody wallets, deposits, withdrawals, orders, trades and security events, with the
-- names and columns the operations runbook's SQL uses, so that its queries run as written.
-- Amounts are numeric(39,0) integers of the currency's minor units (see currencies.scale).

-- No created_at, event_type, ip_address or email clash: the runbook joins users with security_events and names
-- created_at and event_type unqualified, so only security_events may have them (users has registered_at).
CREATE TABLE users (
    id            bigint      PRIMARY KEY CHECK (id > 0),
    email         text        NOT NULL UNIQUE,
    display_name  text        NOT NULL DEFAULT '',
    status        text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    registered_at timestamptz NOT NULL DEFAULT now()
);

-- What the custody wallets hold, as the chain (or the bank) reports it; one row per wallet.
CREATE TABLE wallets (
    id         text          PRIMARY KEY,
    currency   text          NOT NULL,
    kind       text          NOT NULL CHECK (kind IN ('hot', 'cold', 'bank')),
    address    text          NOT NULL,
    balance    numeric(39,0) NOT NULL CHECK (balance >= 0),
    updated_at timestamptz   NOT NULL DEFAULT now()
);

-- status: pending (seen, not yet confirmed enough: not in the ledger), credited (in the ledger exactly once),
-- failed (never in the ledger). id is the ledger's reference for the deposit's credit.
CREATE TABLE deposits (
    id                     bigint        PRIMARY KEY CHECK (id > 0),
    user_id                bigint        NOT NULL REFERENCES users (id),
    currency               text          NOT NULL,
    amount                 numeric(39,0) NOT NULL CHECK (amount > 0),
    status                 text          NOT NULL CHECK (status IN ('pending', 'credited', 'failed')),
    txid                   text,
    output_index           integer       CHECK (output_index >= 0),
    address                text,
    confirmations          integer       NOT NULL DEFAULT 0 CHECK (confirmations >= 0),
    confirmations_required integer       NOT NULL DEFAULT 0 CHECK (confirmations_required >= 0),
    created_at             timestamptz   NOT NULL DEFAULT now(),
    credited_at            timestamptz
);

CREATE INDEX deposits_status ON deposits (status);

-- status: pending, approved, signed (held in the ledger), broadcast, confirmed (posted in the ledger),
-- rejected, failed (voided or never held). amount is what is sent; fee is charged on top.
CREATE TABLE withdrawals (
    id         bigint        PRIMARY KEY CHECK (id > 0),
    user_id    bigint        NOT NULL REFERENCES users (id),
    currency   text          NOT NULL,
    amount     numeric(39,0) NOT NULL CHECK (amount > 0),
    fee        numeric(39,0) NOT NULL DEFAULT 0 CHECK (fee >= 0),
    address    text          NOT NULL,
    status     text          NOT NULL
        CHECK (status IN ('pending', 'approved', 'signed', 'broadcast', 'confirmed', 'rejected', 'failed')),
    txid       text,
    created_at timestamptz   NOT NULL DEFAULT now(),
    updated_at timestamptz   NOT NULL DEFAULT now()
);

CREATE INDEX withdrawals_status_currency ON withdrawals (status, currency);

-- price: quote minor units per whole base unit; quantities: base minor units.
CREATE TABLE orders (
    id              bigint        PRIMARY KEY CHECK (id > 0),
    user_id         bigint        NOT NULL REFERENCES users (id),
    symbol          text          NOT NULL,
    side            text          NOT NULL CHECK (side IN ('buy', 'sell')),
    type            text          NOT NULL CHECK (type IN ('limit', 'market')),
    price           numeric(39,0) CHECK (price > 0),
    quantity        numeric(39,0) NOT NULL CHECK (quantity > 0),
    filled_quantity numeric(39,0) NOT NULL DEFAULT 0 CHECK (filled_quantity >= 0 AND filled_quantity <= quantity),
    status          text          NOT NULL
        CHECK (status IN ('open', 'partially_filled', 'filled', 'cancelled', 'rejected', 'expired')),
    created_at      timestamptz   NOT NULL DEFAULT now(),
    updated_at      timestamptz   NOT NULL DEFAULT now()
);

CREATE INDEX orders_user ON orders (user_id, created_at);

-- One row per trade; each party's fee is charged in the asset it receives (the buyer's in base, the seller's in quote).
CREATE TABLE trades (
    id                 bigint        PRIMARY KEY CHECK (id > 0),
    symbol             text          NOT NULL,
    base_currency      text          NOT NULL,
    quote_currency     text          NOT NULL,
    price              numeric(39,0) NOT NULL CHECK (price > 0),
    base_amount        numeric(39,0) NOT NULL CHECK (base_amount > 0),
    quote_amount       numeric(39,0) NOT NULL CHECK (quote_amount > 0),
    maker_order_id     bigint        NOT NULL REFERENCES orders (id),
    taker_order_id     bigint        NOT NULL REFERENCES orders (id),
    maker_user_id      bigint        NOT NULL REFERENCES users (id),
    taker_user_id      bigint        NOT NULL REFERENCES users (id),
    taker_side         text          NOT NULL CHECK (taker_side IN ('buy', 'sell')),
    maker_fee          numeric(39,0) NOT NULL CHECK (maker_fee >= 0),
    maker_fee_currency text          NOT NULL,
    taker_fee          numeric(39,0) NOT NULL CHECK (taker_fee >= 0),
    taker_fee_currency text          NOT NULL,
    executed_at        timestamptz   NOT NULL
);

CREATE INDEX trades_symbol_time ON trades (symbol, executed_at);

-- Security events (login_failed, login_succeeded, ...), read by the runbook's HighFailedLoginRate queries.
CREATE TABLE security_events (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_type text        NOT NULL,
    user_id    bigint      REFERENCES users (id),
    ip_address inet,
    user_agent text,
    detail     text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX security_events_type_time ON security_events (event_type, created_at);
